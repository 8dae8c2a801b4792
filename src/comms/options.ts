import fs from "node:fs";
import type { Config } from "../config.js";
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
  >,
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
