/**
 * Mandate's own small SMTP listener for what comes back to a message's return path (decisions/0028):
 * delivery status notifications (bounces) and complaint reports. The bounce domain's MX (or the
 * sending relay's transport map) points here. A recipient is accepted only when its VERP local part
 * carries the HMAC of its ledger row (`links.ts`), so a forged bounce for someone else's message is
 * refused at RCPT TO; a message is capped in size and recipients. Addresses are never logged: a log
 * line names the ledger row and the outcome.
 */
import type { AddressInfo } from "node:net";
import { SMTPServer, type SMTPServerAddress, type SMTPServerSession } from "smtp-server";
import type { Db } from "../db/database.js";
import type { Clock } from "../shared/clock.js";
import { safeErrorMessage } from "../shared/errors.js";
import { auditKeyOfSecret } from "./comms.service.js";
import { recordDeliveryReport, wakeWaitingSends } from "./deliverability.service.js";
import { outcomeOf, parseDeliveryReport } from "./dsn.js";
import { rowOfReturnPath } from "./links.js";

/** A notification with the returned message attached is rarely over 100 KB; anything bigger is refused. */
export const MAX_BOUNCE_BYTES = 1024 * 1024;
/** One notice concerns one message; a few recipients at most. */
const MAX_RECIPIENTS = 20;
/** How often sends with fallback messages waiting are checked for a run (a run that finished just before a bounce). */
const WAKE_EVERY_MS = 60_000;

export interface BounceListener {
  port: number;
  close(): Promise<void>;
}

export interface BounceListenerOptions {
  port: number;
  host: string;
  /** Log lines (row ids and outcomes, never addresses). */
  log?: (line: string) => void;
  /** How often to look for sends whose fallback messages wait for a run; 0: never. */
  wakeEveryMs?: number;
}

function smtpError(code: number, message: string): Error {
  const e = new Error(message) as Error & { responseCode: number };
  e.responseCode = code;
  return e;
}

export async function startBounceListener(
  deps: { db: Db; clock: Clock },
  options: BounceListenerOptions,
): Promise<BounceListener> {
  const secret = auditKeyOfSecret({ db: deps.db });
  const log = options.log ?? (() => undefined);
  const ctx = { db: deps.db, clock: deps.clock };

  const server = new SMTPServer({
    name: "mandate-bounces",
    banner: "Mandate bounce listener",
    authOptional: true,
    disabledCommands: ["AUTH", "STARTTLS"],
    disableReverseLookup: true,
    size: MAX_BOUNCE_BYTES,
    maxClients: 50,
    socketTimeout: 60_000,
    logger: false,
    onRcptTo(address: SMTPServerAddress, session: SMTPServerSession, callback: (err?: Error) => void) {
      if (session.envelope.rcptTo.length >= MAX_RECIPIENTS) {
        return callback(smtpError(452, "4.5.3 Too many recipients"));
      }
      if (rowOfReturnPath(secret, address.address) === null) {
        return callback(smtpError(550, "5.1.1 No such return path here"));
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      let bytes = 0;
      stream.on("data", (c: Buffer) => {
        bytes += c.length;
        if (bytes <= MAX_BOUNCE_BYTES) chunks.push(c);
      });
      stream.on("error", () => callback(smtpError(451, "4.3.0 Reading the message failed")));
      stream.on("end", () => {
        if ((stream as unknown as { sizeExceeded?: boolean }).sizeExceeded || bytes > MAX_BOUNCE_BYTES) {
          return callback(smtpError(552, "5.3.4 Message too big for a bounce notice"));
        }
        const outcome = outcomeOf(parseDeliveryReport(Buffer.concat(chunks)));
        const rows = session.envelope.rcptTo
          .map((r) => rowOfReturnPath(secret, r.address))
          .filter((r): r is string => r !== null);
        void (async () => {
          for (const row of rows) {
            const result = await recordDeliveryReport(ctx, row, outcome);
            log(
              `Return path of message ${row}: ${outcome.outcome}${"status" in outcome && outcome.status ? ` ${outcome.status}` : ""} (${result}).`,
            );
          }
        })().then(
          () => callback(),
          (e: unknown) => {
            // Not recorded: the sending server keeps the notice and tries again later.
            log(`A bounce notice could not be recorded (${safeErrorMessage(e)}); the sender will retry.`);
            callback(smtpError(451, "4.3.0 Try again later"));
          },
        );
      });
    },
  });
  server.on("error", (e) => log(`Bounce listener error: ${safeErrorMessage(e)}`));

  await new Promise<void>((resolve, reject) => {
    const onError = (e: Error) => reject(e);
    server.server.once("error", onError);
    server.listen(options.port, options.host, () => {
      server.server.off("error", onError);
      resolve();
    });
  });
  const wakeEvery = options.wakeEveryMs ?? WAKE_EVERY_MS;
  const timer =
    wakeEvery > 0
      ? setInterval(() => {
          wakeWaitingSends(ctx).catch((e: unknown) =>
            log(`Looking for fallback messages failed (${safeErrorMessage(e)}).`),
          );
        }, wakeEvery)
      : null;
  timer?.unref();
  return {
    port: (server.server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        if (timer) clearInterval(timer);
        server.close(() => resolve());
      }),
  };
}
