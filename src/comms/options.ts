import fs from "node:fs";
import type { Config } from "../config.js";
import type { Db } from "../db/database.js";
import type { Clock } from "../shared/clock.js";
import { type BounceListener, startBounceListener } from "./bounce.listener.js";
import { smtpTransport } from "./email.transport.js";
import type { CommsOptions } from "./send.job.js";
import { parseSmsUrl, twilioTransport } from "./sms.transport.js";

/**
 * The send job's options from the configuration: no SMTP server configured means email sends are
 * refused, no SMS provider (or no sending number) that SMS sends are.
 */
export function commsOptionsOf(
  config: Pick<
    Config,
    | "smtpUrl"
    | "mailFrom"
    | "publicUrl"
    | "emailPerSecond"
    | "sendConcurrency"
    | "dkim"
    | "smsUrl"
    | "smsFrom"
    | "smsPerSecond"
  > &
    Partial<Pick<Config, "bounceDomain">>,
): CommsOptions {
  const dkim = config.dkim
    ? {
        domainName: config.dkim.domainName,
        keySelector: config.dkim.keySelector,
        privateKey: fs.readFileSync(config.dkim.keyFile, "utf8"),
      }
    : null;
  const url = config.smtpUrl;
  const account = config.smsUrl ? parseSmsUrl(config.smsUrl) : null;
  const smsFrom = config.smsFrom;
  return {
    from: config.mailFrom,
    bounceDomain: config.bounceDomain ?? undefined,
    publicUrl: config.publicUrl,
    concurrency: config.sendConcurrency,
    emailPerSecond: config.emailPerSecond,
    emailTransport: url
      ? (maxConnections) => smtpTransport({ url, maxConnections: Math.min(maxConnections, 50), dkim })
      : null,
    sms:
      account && smsFrom
        ? {
            transport: () => twilioTransport(account, smsFrom),
            authToken: account.authToken,
            perSecond: config.smsPerSecond,
          }
        : null,
  };
}

/**
 * Mandate's bounce listener when the configuration asks for one (MANDATE_BOUNCE_SMTP_PORT), for
 * `mandate start` and `mandate worker`. A port another Mandate process on the machine already holds
 * is not an error: that process reads the bounces.
 */
export async function startConfiguredBounceListener(
  config: Pick<Config, "bounceSmtpPort" | "bounceSmtpHost">,
  deps: { db: Db; clock: Clock },
  log: (line: string) => void,
): Promise<BounceListener | null> {
  if (config.bounceSmtpPort === null) return null;
  try {
    const listener = await startBounceListener(deps, {
      port: config.bounceSmtpPort,
      host: config.bounceSmtpHost,
      log,
    });
    log(`Bounce notices are read on ${config.bounceSmtpHost}:${listener.port} (SMTP).`);
    return listener;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EADDRINUSE") {
      log(
        `The bounce listener's port ${config.bounceSmtpPort} is taken (another Mandate process reads bounces there).`,
      );
      return null;
    }
    throw e;
  }
}
