/**
 * Names a message carries, derived from its ledger row (decisions/0027). Pure.
 * - Message-ID: the same for a repeat of the same row, so a receiving system can tell a repeat.
 * - Return path (VERP): a bounce names the row it bounced.
 * - Unsubscribe token: the row and an HMAC with the installation's secret; nothing stored per message,
 *   nothing to guess.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

function sig(secret: Buffer, purpose: string, id: string): string {
  return createHmac("sha256", secret).update(`${purpose}:${id}`, "utf8").digest("base64url").slice(0, 22);
}

export function messageIdFor(rowId: string, sendId: number, domain: string): string {
  return `${rowId}.${sendId}.mandate@${domain}`;
}

/**
 * A link's token: ids (positive integers joined by dots) and an HMAC of them for one purpose, so a
 * token made for one use (unsubscribing) proves nothing for another (opening a bulletin).
 */
export function signedToken(secret: Buffer, purpose: string, id: string): string {
  return `${id}.${sig(secret, purpose, id)}`;
}

/** The ids a token for this purpose names, or null when it is not one of ours. */
export function idOfSignedToken(secret: Buffer, purpose: string, token: string): string | null {
  const m = /^([1-9][0-9]{0,18}(?:\.[1-9][0-9]{0,18}){0,3})\.([A-Za-z0-9_-]{22})$/.exec(token);
  if (!m) return null;
  const expected = Buffer.from(sig(secret, purpose, m[1]!));
  const given = Buffer.from(m[2]!);
  return expected.length === given.length && timingSafeEqual(expected, given) ? m[1]! : null;
}

export function unsubscribeToken(secret: Buffer, rowId: string): string {
  return signedToken(secret, "unsubscribe", rowId);
}

/** The ledger row a token names, or null when it is not one of ours. */
export function rowOfToken(secret: Buffer, token: string): string | null {
  const id = idOfSignedToken(secret, "unsubscribe", token);
  return id !== null && !id.includes(".") ? id : null;
}

/** bounces+<row>-<sig>@domain */
export function returnPathFor(secret: Buffer, rowId: string, domain: string): string {
  return `bounces+${rowId}-${sig(secret, "bounce", rowId).slice(0, 10)}@${domain}`;
}

/** The ledger row a bounce's recipient names, or null. */
export function rowOfReturnPath(secret: Buffer, address: string): string | null {
  const m = /^bounces\+([1-9][0-9]{0,18})-([A-Za-z0-9_-]{10})@/i.exec(address.trim());
  if (!m) return null;
  const expected = Buffer.from(sig(secret, "bounce", m[1]!).slice(0, 10));
  const given = Buffer.from(m[2]!);
  return expected.length === given.length && timingSafeEqual(expected, given) ? m[1]! : null;
}

/** The domain of a From address ("Union <ballots@union.org.uk>" gives union.org.uk). */
export function domainOf(from: string): string {
  const m = /@([A-Za-z0-9.-]+)>?\s*$/.exec(from.trim());
  return m ? m[1]!.toLowerCase() : "localhost";
}
