/**
 * SMS out through Twilio's Messages API (decisions/0027): POST
 * {base}/2010-04-01/Accounts/{AccountSid}/Messages.json, form-encoded, HTTP Basic auth with the account
 * SID and auth token. The answer is classified the way the send loop needs it: accepted (201, with the
 * message's sid), refused for now (429, 5xx, no answer), or refused for good (other 4xx), with the
 * refusals that mean the number is not valid (21211, 21614) or the member replied STOP to our number
 * (21610) told apart so that the member's number is suppressed. Also the check of the signature Twilio
 * puts on its callbacks (X-Twilio-Signature).
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { parsePhoneNumberFromString } from "libphonenumber-js/max";
import type { SuppressionReason } from "./comms.model.js";

export interface OutgoingSms {
  /** The member's number as stored; made E.164 here. */
  to: string;
  body: string;
  /** Where Twilio reports the delivery status (names the ledger row); null: no callback. */
  statusCallback: string | null;
}

export type SmsSuppression = Extract<SuppressionReason, "invalid_number" | "stop">;

export type SmsOutcome =
  | { kind: "accepted"; response: string }
  | { kind: "temporary"; code: string; response: string }
  | { kind: "permanent"; code: string; response: string; suppress: SmsSuppression | null };

export interface SmsTransport {
  /** The rate-limit key's provider part: every worker sending through this account shares it. */
  readonly provider: string;
  send(message: OutgoingSms): Promise<SmsOutcome>;
  close(): void;
}

export interface TwilioAccount {
  /** https://api.twilio.com, or a fake's address in tests. */
  baseUrl: string;
  accountSid: string;
  authToken: string;
}

/** MANDATE_SMS_URL: https://ACxxx:token@api.twilio.com, the account SID as user, the auth token as password. */
export function parseSmsUrl(url: string): TwilioAccount {
  const u = new URL(url);
  const accountSid = decodeURIComponent(u.username);
  const authToken = decodeURIComponent(u.password);
  if (!accountSid || !authToken) {
    throw new Error(
      "MANDATE_SMS_URL must carry the account SID and auth token: https://ACxxx:token@api.twilio.com",
    );
  }
  return { baseUrl: `${u.protocol}//${u.host}${u.pathname.replace(/\/+$/, "")}`, accountSid, authToken };
}

/**
 * A number in E.164 (+447700900123), UK numbers written nationally (07700 900123) included, or null
 * when it cannot be a phone number. "Possible" rather than "valid": Ofcom's drama range is mobile-shaped
 * but not valid to libphonenumber, and the provider has the last word (21211).
 */
export function e164(text: string): string | null {
  const parsed = parsePhoneNumberFromString(text.trim(), "GB");
  return parsed?.isPossible() ? parsed.number : null;
}

/** Twilio error codes that mean the number is no good, and the one that means the member replied STOP. */
const INVALID_NUMBER_CODES = new Set([21211, 21614]);
const OPTED_OUT_CODE = 21610;

/** Twilio's answer in a few words: its code and status, never the number it may quote back. */
function cleanResponse(text: string): string {
  return text.replace(/\+?\d[\d\s-]{6,}\d/g, "…").slice(0, 200);
}

export function classifyTwilio(status: number, body: { code?: unknown; message?: unknown }): SmsOutcome {
  const code = typeof body.code === "number" ? body.code : null;
  const response = cleanResponse(
    `${status}${code === null ? "" : ` ${code}`} ${String(body.message ?? "")}`.trim(),
  );
  if (status === 429 || status >= 500) return { kind: "temporary", code: String(status), response };
  const suppress: SmsSuppression | null =
    code === OPTED_OUT_CODE
      ? "stop"
      : code !== null && INVALID_NUMBER_CODES.has(code)
        ? "invalid_number"
        : null;
  return { kind: "permanent", code: code === null ? String(status) : String(code), response, suppress };
}

/**
 * Sends through one Twilio account. `from` is the sending number (made E.164) or a Messaging Service
 * SID (MG…), which lets Twilio pick from a pool of numbers.
 */
export function twilioTransport(
  account: TwilioAccount,
  from: string,
  options: { timeoutMs?: number } = {},
): SmsTransport {
  const endpoint = `${account.baseUrl}/2010-04-01/Accounts/${encodeURIComponent(account.accountSid)}/Messages.json`;
  const authorization = `Basic ${Buffer.from(`${account.accountSid}:${account.authToken}`).toString("base64")}`;
  const sender: [string, string] = /^MG[0-9a-f]{32}$/i.test(from)
    ? ["MessagingServiceSid", from]
    : ["From", e164(from) ?? from];
  const timeoutMs = options.timeoutMs ?? 15_000;
  return {
    provider: `twilio:${account.accountSid}`,
    async send(m) {
      const to = e164(m.to);
      if (to === null) {
        // Nothing to ask the provider: it cannot be a number.
        return {
          kind: "permanent",
          code: "invalid_number",
          response: "not a phone number",
          suppress: "invalid_number",
        };
      }
      const form = new URLSearchParams({ To: to, [sender[0]]: sender[1], Body: m.body });
      if (m.statusCallback) form.set("StatusCallback", m.statusCallback);
      let res: Response;
      try {
        res = await fetch(endpoint, {
          method: "POST",
          headers: {
            authorization,
            "content-type": "application/x-www-form-urlencoded",
            accept: "application/json",
          },
          body: form,
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        // No answer (refused, reset, timed out): the message may pass later.
        const e = error as { name?: string; cause?: { code?: string } };
        return {
          kind: "temporary",
          code: e.name === "TimeoutError" ? "ETIMEDOUT" : (e.cause?.code ?? "ECONNECTION"),
          response: "no answer",
        };
      }
      const text = await res.text().catch(() => "");
      let body: { sid?: unknown; status?: unknown; code?: unknown; message?: unknown } = {};
      try {
        body = text ? JSON.parse(text) : {};
      } catch {
        body = {};
      }
      if (res.status === 200 || res.status === 201) {
        return {
          kind: "accepted",
          response: `${res.status} ${String(body.sid ?? "")} ${String(body.status ?? "")}`.trim(),
        };
      }
      return classifyTwilio(res.status, body);
    },
    close() {},
  };
}

/**
 * X-Twilio-Signature: base64 of HMAC-SHA1, keyed with the auth token, over the full URL Twilio called
 * followed by each POST parameter's name and value, sorted by name.
 */
export function twilioSignature(
  authToken: string,
  url: string,
  params: Record<string, string | string[]>,
): string {
  const data = Object.keys(params)
    .sort()
    .map((k) => {
      const v = params[k]!;
      return (Array.isArray(v) ? [...v].sort() : [v]).map((one) => `${k}${one}`).join("");
    })
    .join("");
  return createHmac("sha1", authToken)
    .update(url + data, "utf8")
    .digest("base64");
}

export function validTwilioSignature(
  authToken: string,
  url: string,
  params: Record<string, string | string[]>,
  given: string | undefined,
): boolean {
  if (!given) return false;
  const expected = Buffer.from(twilioSignature(authToken, url, params));
  const actual = Buffer.from(given);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
