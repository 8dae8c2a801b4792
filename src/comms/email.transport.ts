/**
 * Email out over SMTP with nodemailer's pooled transport: a few long-lived connections, many messages
 * each. The answer of the server is classified the way the send loop needs it: accepted, refused for
 * now (4xx: 421 "try later", 454 throttling; a dropped connection), or refused for good (5xx), with a
 * hard bounce (no such mailbox) told apart so that the address is suppressed.
 */
import nodemailer from "nodemailer";
import addressparser from "nodemailer/lib/addressparser/index.js";
import { encodeWords } from "nodemailer/lib/mime-funcs/index.js";
import type SMTPPool from "nodemailer/lib/smtp-pool/index.js";

export interface OutgoingEmail {
  /** Without the angle brackets; the same for a repeat of the same ledger row. */
  messageId: string;
  from: string;
  /** The envelope sender (VERP): bounces come back to an address naming the ledger row. */
  returnPath: string;
  to: string;
  subject: string;
  html: string | null;
  text: string;
  headers: Record<string, string>;
  /** The Date header: when the message was made (the job's clock). */
  date: Date;
}

export type SendOutcome =
  | { kind: "accepted"; response: string }
  | { kind: "temporary"; code: string; response: string }
  | { kind: "permanent"; code: string; response: string; hardBounce: boolean };

export interface EmailTransport {
  send(message: OutgoingEmail): Promise<SendOutcome>;
  close(): void;
}

export interface SmtpOptions {
  url: string;
  maxConnections: number;
  /** DKIM: the signing domain, selector and private key (PEM), when the union has set one up. */
  dkim?: { domainName: string; keySelector: string; privateKey: string } | null;
}

/** 550 5.1.1, 551, 553 5.1.x: the mailbox does not exist or the address is not valid. */
export function isHardBounce(code: number, response: string): boolean {
  if (/\b5\.1\.[0-9]\b/.test(response)) return true;
  return (
    code === 551 ||
    code === 553 ||
    (code === 550 && /(unknown|no such|does not exist|invalid)/i.test(response))
  );
}

/** Only the server's code and first words: never the address it may quote back. */
function cleanResponse(response: string): string {
  return response
    .replace(/<[^>]*>/g, "<…>")
    .replace(/[^\s@]+@[^\s@]+/g, "…@…")
    .slice(0, 200);
}

export function classify(error: unknown): SendOutcome {
  const e = error as { responseCode?: number; response?: string; code?: string; message?: string };
  const code = typeof e.responseCode === "number" ? e.responseCode : null;
  const response = cleanResponse(e.response ?? e.message ?? "");
  if (code !== null && code >= 500) {
    return { kind: "permanent", code: String(code), response, hardBounce: isHardBounce(code, response) };
  }
  // 4xx answers and everything that is not an answer (a dropped or refused connection) may pass later.
  return { kind: "temporary", code: code === null ? (e.code ?? "ECONNECTION") : String(code), response };
}

/** Base64 in lines of 76 characters (RFC 2045). */
function base64Lines(text: string): string {
  const b64 = Buffer.from(text, "utf8").toString("base64");
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += 76) lines.push(b64.slice(i, i + 76));
  return lines.join("\r\n");
}

/** Only printable ASCII and no CR or LF: what may go into a header as it is. */
const PLAIN = /^[\x20-\x7e]*$/;

function headerText(value: string): string {
  const oneLine = value.replace(/[\r\n]+/g, " ");
  return PLAIN.test(oneLine) ? oneLine : encodeWords(oneLine, "Q", 52);
}

/** "Name <address>" with the name encoded where it must be (RFC 2047); fixed per transport. */
export function fromHeader(from: string): { header: string; address: string } {
  const [first] = addressparser(from) as { name: string; address: string }[];
  if (!first?.address) throw new Error("MANDATE_MAIL_FROM is not an email address.");
  const name = first.name
    ? `${PLAIN.test(first.name) ? JSON.stringify(first.name) : encodeWords(first.name, "Q", 52)} `
    : "";
  return { header: `${name}<${first.address}>`, address: first.address };
}

/**
 * The message as the server receives it: headers, and a text and an HTML part in base64. Built here
 * rather than by nodemailer's composer because at a million messages its per-message MIME work
 * (transfer-encoding scans, quoted-printable in JavaScript, a stream per part) was most of the
 * sending worker's CPU; nodemailer still carries it (SMTP, pooling, DKIM over the whole message).
 */
export function composeMime(m: OutgoingEmail, from: string, date: Date): Buffer {
  const boundary = `=_mandate_${m.messageId.replace(/[^A-Za-z0-9]/g, "")}`;
  const headers = [
    `From: ${from}`,
    `To: <${m.to.replace(/[\r\n<>]/g, "")}>`,
    `Subject: ${headerText(m.subject)}`,
    `Date: ${date.toUTCString().replace("GMT", "+0000")}`,
    `Message-ID: <${m.messageId}>`,
    "MIME-Version: 1.0",
    ...Object.entries(m.headers).map(([k, v]) => `${k}: ${headerText(v)}`),
  ];
  const parts = [
    `--${boundary}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n${base64Lines(m.text)}`,
  ];
  if (m.html !== null) {
    parts.push(
      `--${boundary}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n${base64Lines(m.html)}`,
    );
  }
  return Buffer.from(
    `${headers.join("\r\n")}\r\nContent-Type: multipart/alternative; boundary="${boundary}"\r\n\r\n${parts.join("\r\n")}\r\n--${boundary}--\r\n`,
    "utf8",
  );
}

export function smtpTransport(options: SmtpOptions): EmailTransport {
  const settings: SMTPPool.Options = {
    url: options.url,
    pool: true,
    maxConnections: options.maxConnections,
    maxMessages: Number.POSITIVE_INFINITY,
    ...(options.dkim ? { dkim: options.dkim } : {}),
  };
  const transport = nodemailer.createTransport(settings);
  const froms = new Map<string, string>();
  const fromOf = (from: string) => {
    let header = froms.get(from);
    if (header === undefined) {
      header = fromHeader(from).header;
      froms.set(from, header);
    }
    return header;
  };
  return {
    async send(m) {
      try {
        const info = await transport.sendMail({
          envelope: { from: m.returnPath, to: [m.to] },
          raw: composeMime(m, fromOf(m.from), m.date),
        });
        return { kind: "accepted", response: cleanResponse(String(info.response ?? "250")) };
      } catch (error) {
        return classify(error);
      }
    },
    close() {
      transport.close();
    },
  };
}
