/**
 * Delivery status notifications (RFC 3464) and complaint reports (ARF, RFC 5965), read from the raw
 * message a mail server sends to a message's return path (decisions/0028). Pure: text in, facts out.
 *
 * A notification is a multipart/report whose message/delivery-status part (or
 * message/global-delivery-status, RFC 6533) is a block of per-message fields and a block per
 * recipient (Action, Status, Diagnostic-Code...), each block a header block. Only what Mandate needs
 * is kept: the action and the status code per recipient. Addresses and diagnostic texts, which quote
 * them, are never returned.
 */

/** What one recipient's block says. */
export interface RecipientStatus {
  /** failed, delayed, delivered, relayed or expanded (RFC 3464 2.3.3). */
  action: string;
  /** The enhanced status code (RFC 3463), e.g. 5.1.1; null when absent or malformed. */
  status: string | null;
}

export type DeliveryReport =
  | { kind: "delivery-status"; recipients: RecipientStatus[] }
  | { kind: "feedback"; feedbackType: string }
  | { kind: "none" };

/** What a report means for the message it names. */
export type ReportOutcome =
  /** Refused for good (5.x.x): the message is bounced; `flagsAddress` when the address itself is at fault. */
  | { outcome: "hard"; status: string; flagsAddress: boolean }
  /** Refused for now (4.x.x): `failed` when the server gave up, else only delayed. Recorded, never flagged. */
  | { outcome: "soft"; status: string; failed: boolean }
  | { outcome: "delivered"; status: string | null }
  | { outcome: "complaint"; feedbackType: string }
  | { outcome: "unknown" };

/** The most of a message looked at: a notification's report part sits well before this. */
export const MAX_REPORT_BYTES = 256 * 1024;
/** Parts looked at, nested parts included: a report has three. */
const MAX_PARTS = 50;
const MAX_DEPTH = 4;

interface Part {
  headers: Map<string, string>;
  body: string;
}

/** Header name (lower case) to its unfolded value; the first of a repeated field wins. */
function parseHeaderBlock(block: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of block.replace(/\r?\n[ \t]+/g, " ").split(/\r?\n/)) {
    const i = line.indexOf(":");
    if (i <= 0) continue;
    const name = line.slice(0, i).trim().toLowerCase();
    if (!out.has(name)) out.set(name, line.slice(i + 1).trim());
  }
  return out;
}

function splitPart(text: string): Part {
  const m = /\r?\n\r?\n/.exec(text);
  if (!m) return { headers: parseHeaderBlock(text), body: "" };
  return { headers: parseHeaderBlock(text.slice(0, m.index)), body: text.slice(m.index + m[0].length) };
}

/** "multipart/report; report-type=delivery-status; boundary="x"" to its type and parameters. */
export function parseContentType(value: string | undefined): { type: string; params: Map<string, string> } {
  const params = new Map<string, string>();
  if (!value) return { type: "text/plain", params };
  const [type, ...rest] = value.split(";");
  const re = /^\s*([A-Za-z0-9_.*-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s;]*))/;
  for (const piece of rest.join(";").split(/;(?=(?:[^"]*"[^"]*")*[^"]*$)/)) {
    const m = re.exec(piece);
    if (m) params.set(m[1]!.toLowerCase(), (m[2] ?? m[3] ?? "").replace(/\\(.)/g, "$1"));
  }
  return { type: (type ?? "").trim().toLowerCase(), params };
}

function decodeBody(part: Part): string {
  const cte = (part.headers.get("content-transfer-encoding") ?? "").toLowerCase();
  if (cte === "base64") return Buffer.from(part.body.replace(/\s+/g, ""), "base64").toString("utf8");
  if (cte === "quoted-printable") {
    return part.body
      .replace(/=\r?\n/g, "")
      .replace(/=([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16)));
  }
  return part.body;
}

function childrenOf(part: Part, boundary: string): Part[] {
  const delimiter = `--${boundary}`;
  const lines = part.body.split(/\r?\n/);
  const parts: string[][] = [];
  let current: string[] | null = null;
  for (const line of lines) {
    const trimmed = line.trimEnd();
    if (trimmed === `${delimiter}--`) break;
    if (trimmed === delimiter) {
      current = [];
      parts.push(current);
      if (parts.length > MAX_PARTS) break;
      continue;
    }
    current?.push(line);
  }
  return parts.map((p) => splitPart(p.join("\r\n")));
}

const STATUS = /^([245])\.(\d{1,3})\.(\d{1,3})\b/;

/** The blocks of a delivery-status body: the per-message one first, then one per recipient. */
function parseDeliveryStatus(text: string): RecipientStatus[] {
  const blocks = text
    .split(/\r?\n(?:[ \t]*\r?\n)+/)
    .map((b) => b.trim())
    .filter((b) => b.length > 0);
  const recipients: RecipientStatus[] = [];
  for (const block of blocks.slice(1)) {
    const fields = parseHeaderBlock(block);
    const action = fields
      .get("action")
      ?.toLowerCase()
      .split(/[\s(;]/)[0];
    if (!action) continue;
    const status = STATUS.exec(fields.get("status") ?? "");
    recipients.push({
      action,
      status: status ? `${status[1]}.${Number(status[2])}.${Number(status[3])}` : null,
    });
  }
  return recipients;
}

/** The report a message carries, or none (an ordinary reply, an auto-reply, a bounce in prose). */
export function parseDeliveryReport(raw: Buffer | string): DeliveryReport {
  const text = (typeof raw === "string" ? raw : raw.toString("utf8")).slice(0, MAX_REPORT_BYTES);
  let seen = 0;
  const walk = (part: Part, depth: number): DeliveryReport | null => {
    if (++seen > MAX_PARTS || depth > MAX_DEPTH) return null;
    const ct = parseContentType(part.headers.get("content-type"));
    if (ct.type === "message/delivery-status" || ct.type === "message/global-delivery-status") {
      return { kind: "delivery-status", recipients: parseDeliveryStatus(decodeBody(part)) };
    }
    if (ct.type === "message/feedback-report") {
      const fields = parseHeaderBlock(decodeBody(part).trim());
      return { kind: "feedback", feedbackType: (fields.get("feedback-type") ?? "abuse").toLowerCase() };
    }
    const boundary = ct.params.get("boundary");
    if (!ct.type.startsWith("multipart/") || !boundary) return null;
    for (const child of childrenOf(part, boundary)) {
      const found = walk(child, depth + 1);
      if (found) return found;
    }
    return null;
  };
  return walk(splitPart(text), 0) ?? { kind: "none" };
}

/**
 * Status codes whose subject is the message or the receiver's policy, not the address: content
 * refused (x.6.x), security or policy (x.7.x, often a spam filter's verdict on one message), too
 * big (x.3.4). They bounce the message but do not mark the member's address undeliverable: a filter's
 * dislike of one campaign must not take a member off email for good.
 */
function addressAtFault(status: string): boolean {
  const [, subject, detail] = status.split(".");
  if (subject === "6" || subject === "7") return false;
  if (subject === "3" && detail === "4") return false;
  return true;
}

/**
 * What a report means for the message it was sent back for (one recipient each: Mandate sends each
 * message to one address). With several recipient blocks, the worst counts: failed before delayed
 * before delivered.
 */
export function outcomeOf(report: DeliveryReport): ReportOutcome {
  if (report.kind === "feedback") return { outcome: "complaint", feedbackType: report.feedbackType };
  if (report.kind === "none") return { outcome: "unknown" };
  const failed = report.recipients.filter((r) => r.action === "failed");
  const hard = failed.find((r) => r.status === null || r.status.startsWith("5."));
  if (hard) {
    // A failure without a status code is a failure for good (RFC 3464 requires the code).
    const status = hard.status ?? "5.0.0";
    return { outcome: "hard", status, flagsAddress: addressAtFault(status) };
  }
  if (failed.length) return { outcome: "soft", status: failed[0]!.status!, failed: true };
  const delayed = report.recipients.find((r) => r.action === "delayed");
  if (delayed) return { outcome: "soft", status: delayed.status ?? "4.0.0", failed: false };
  const delivered = report.recipients.find((r) => ["delivered", "relayed", "expanded"].includes(r.action));
  if (delivered) return { outcome: "delivered", status: delivered.status };
  return { outcome: "unknown" };
}
