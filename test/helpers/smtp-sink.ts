/**
 * A local SMTP server that accepts and counts messages, for tests and the comms benchmark: what
 * arrived, for whom, with which Message-ID. `rejectRecipient` answers RCPT TO as a real server would
 * (550 5.1.1 for an unknown mailbox, 421/454 for "try later"); `delayMs` slows each message down.
 */
import { SMTPServer } from "smtp-server";

export interface SunkMessage {
  from: string;
  to: string[];
  messageId: string | null;
  headers: Record<string, string>;
  raw: string;
}

export interface SmtpSink {
  url: string;
  messages: SunkMessage[];
  /** Message-IDs seen more than once, with how many times. */
  repeats(): Map<string, number>;
  close(): Promise<void>;
}

export async function startSmtpSink(
  options: {
    rejectRecipient?: (address: string) => { code: number; message: string } | null;
    delayMs?: number;
    /** Keep only the headers (the benchmark's million messages). */
    headersOnly?: boolean;
    onMessage?: (m: SunkMessage) => void;
  } = {},
): Promise<SmtpSink> {
  const messages: SunkMessage[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    size: 1024 * 1024,
    onRcptTo(address, _session, callback) {
      const refusal = options.rejectRecipient?.(address.address) ?? null;
      if (refusal) {
        const e = new Error(refusal.message) as Error & { responseCode: number };
        e.responseCode = refusal.code;
        return callback(e);
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        const raw = Buffer.concat(chunks).toString("utf8");
        const head = raw.split(/\r?\n\r?\n/, 1)[0] ?? "";
        const headers: Record<string, string> = {};
        for (const line of head.replace(/\r?\n[ \t]+/g, " ").split(/\r?\n/)) {
          const i = line.indexOf(":");
          if (i > 0) headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
        }
        const m: SunkMessage = {
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          to: session.envelope.rcptTo.map((r) => r.address),
          messageId: headers["message-id"] ?? null,
          headers,
          raw: options.headersOnly ? "" : raw,
        };
        const done = () => {
          messages.push(m);
          options.onMessage?.(m);
          callback();
        };
        if (options.delayMs) setTimeout(done, options.delayMs);
        else done();
      });
    },
  });
  // A worker killed mid-session resets its connections (ECONNRESET): expected in the kill tests, and
  // without a listener the server's "error" event would end the test's process.
  server.on("error", () => {});
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.server.address() as { port: number }).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    repeats() {
      const seen = new Map<string, number>();
      for (const m of messages) if (m.messageId) seen.set(m.messageId, (seen.get(m.messageId) ?? 0) + 1);
      return new Map([...seen].filter(([, n]) => n > 1));
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
