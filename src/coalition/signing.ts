/**
 * Signed aggregate reports between installations (pure but for node:crypto; no I/O).
 *
 * A union that runs its own Mandate sends the coalition's coordinator a report: the coalition's id, the
 * union's key, a sequence number, the day it is as at, its ballots' dates and its aggregates (never a
 * member). It is signed with the union's Ed25519 key; the coordinator registered the public key when the
 * union's membership (the agreement to share) was recorded. The receiver checks, in this order: the
 * signature under the registered key, that the sender is an agreed member of that coalition (the caller,
 * which holds the membership), that the sequence is above the last one accepted (a replayed or reordered
 * report is refused) and that it was issued recently (a report held back and sent late is refused).
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify } from "node:crypto";
import { AppError } from "../shared/errors.js";
import { canonicalJson } from "../shared/hash.js";

/** How old a report may be when it arrives. */
export const MAX_REPORT_AGE_MS = 2 * 24 * 3600_000;
/** How far ahead of the receiver's clock a sender's clock may run. */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;

export interface KeyPair {
  /** SPKI DER, base64: what the coordinator registers. */
  publicKey: string;
  /** PKCS8 DER, base64: kept by the sending installation only. */
  privateKey: string;
}

export function generateSigningKeys(): KeyPair {
  const { publicKey, privateKey } = generateKeyPairSync("ed25519");
  return {
    publicKey: publicKey.export({ type: "spki", format: "der" }).toString("base64"),
    privateKey: privateKey.export({ type: "pkcs8", format: "der" }).toString("base64"),
  };
}

/** Whether a string is an Ed25519 public key this module can verify with. */
export function isPublicKey(key: string): boolean {
  try {
    return (
      createPublicKey({ key: Buffer.from(key, "base64"), format: "der", type: "spki" }).asymmetricKeyType ===
      "ed25519"
    );
  } catch {
    return false;
  }
}

export interface ReportHeader {
  coalitionId: number;
  union: string;
  sequence: number;
  issuedAt: string;
}

export function signReport<R extends ReportHeader>(
  report: R,
  privateKey: string,
): { report: R; signature: string } {
  const key = createPrivateKey({ key: Buffer.from(privateKey, "base64"), format: "der", type: "pkcs8" });
  return { report, signature: sign(null, Buffer.from(canonicalJson(report)), key).toString("base64") };
}

/**
 * Checks a received report against the sender's registered key and the last sequence accepted from it.
 * Throws `coalition.bad_signature`, `coalition.replayed` or `coalition.stale`; the message names no member.
 */
export function verifyReport(
  envelope: { report: ReportHeader; signature: string },
  expect: { publicKey: string; lastSequence: number; now: Date },
): void {
  let ok = false;
  try {
    const key = createPublicKey({
      key: Buffer.from(expect.publicKey, "base64"),
      format: "der",
      type: "spki",
    });
    ok = verify(
      null,
      Buffer.from(canonicalJson(envelope.report)),
      key,
      Buffer.from(envelope.signature, "base64"),
    );
  } catch {
    ok = false;
  }
  if (!ok)
    throw new AppError(
      "coalition.bad_signature",
      "The report's signature does not verify under the union's registered key.",
    );
  const { sequence, issuedAt } = envelope.report;
  if (sequence <= expect.lastSequence) {
    throw new AppError(
      "coalition.replayed",
      `Report ${sequence} is not after the last report accepted (${expect.lastSequence}).`,
      {
        sequence,
        lastSequence: expect.lastSequence,
      },
    );
  }
  const issued = Date.parse(issuedAt);
  const age = expect.now.getTime() - issued;
  if (!Number.isFinite(issued) || age > MAX_REPORT_AGE_MS || age < -MAX_CLOCK_SKEW_MS) {
    throw new AppError(
      "coalition.stale",
      "The report was not issued in the last two days; send a fresh one.",
      { issuedAt },
    );
  }
}
