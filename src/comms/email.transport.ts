/**
 * Email out over SMTP with nodemailer's pooled transport: a few long-lived connections, many messages
 * each. The answer of the server is classified the way the send loop needs it: accepted, refused for
 * now (4xx: 421 "try later", 454 throttling; a dropped connection), or refused for good (5xx), with a
 * hard bounce (no such mailbox) told apart so that the address is suppressed.
 */
import nodemailer from "nodemailer";
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

export function smtpTransport(options: SmtpOptions): EmailTransport {
  const settings: SMTPPool.Options = {
    url: options.url,
    pool: true,
    maxConnections: options.maxConnections,
    maxMessages: Number.POSITIVE_INFINITY,
    ...(options.dkim ? { dkim: options.dkim } : {}),
  };
  const transport = nodemailer.createTransport(settings);
  return {
    async send(m) {
      try {
        const info = await transport.sendMail({
          messageId: `<${m.messageId}>`,
          from: m.from,
          to: m.to,
          envelope: { from: m.returnPath, to: m.to },
          subject: m.subject,
          text: m.text,
          ...(m.html === null ? {} : { html: m.html }),
          headers: m.headers,
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
