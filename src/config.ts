import { isIP } from "node:net";
import path from "node:path";
import { z } from "zod";

/**
 * Environment parsed once. Nothing else in the code base reads process.env,
 * so every setting is visible here and tests pass their own.
 */
const EnvSchema = z.object({
  DATABASE_URL: z.string().url().optional(),
  MANDATE_DATA_DIR: z.string().min(1).optional(),
  PORT: z.coerce.number().int().min(0).max(65535).optional(),
  HOST: z.string().min(1).optional(),
  MANDATE_SECURE_COOKIES: z.enum(["0", "1"]).optional(),
  MANDATE_TRUST_PROXY: z
    .string()
    .refine((v) => v === "0" || v === "1" || v.split(",").every((p) => isProxyAddress(p.trim())), {
      message:
        "expected 1 (a proxy on this machine) or the proxy's addresses or CIDR ranges, comma-separated (e.g. 10.0.0.5,10.1.0.0/16)",
    })
    .optional(),
  MANDATE_UPLOAD_RETENTION_DAYS: z.coerce.number().int().min(0).max(365).optional(),
  MANDATE_JOB_LEASE_SECONDS: z.coerce.number().min(1).max(3600).optional(),
  MANDATE_JOB_STEP_DELAY_MS: z.coerce.number().int().min(0).max(60_000).optional(),
  MANDATE_AUDIT_KEY: z.string().min(1).optional(),
  MANDATE_AUDIT_DIR: z.string().min(1).optional(),
  MANDATE_LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).optional(),
  MANDATE_SMTP_URL: z
    .string()
    .url()
    .refine((v) => /^smtps?:\/\//.test(v), {
      message: "expected smtp://host:port or smtps://user:pass@host:port",
    })
    .optional(),
  MANDATE_MAIL_FROM: z.string().min(3).max(200).optional(),
  MANDATE_PUBLIC_URL: z.string().url().optional(),
  MANDATE_EMAIL_RATE: z.coerce.number().int().min(1).max(100_000).optional(),
  MANDATE_SEND_CONCURRENCY: z.coerce.number().int().min(1).max(500).optional(),
  MANDATE_DKIM_DOMAIN: z.string().min(1).optional(),
  MANDATE_DKIM_SELECTOR: z.string().min(1).optional(),
  MANDATE_DKIM_KEY_FILE: z.string().min(1).optional(),
  MANDATE_SMS_URL: z
    .string()
    .url()
    .refine((v) => /^https?:\/\/[^:@/]+:[^@/]+@/.test(v), {
      message: "expected https://ACCOUNT_SID:AUTH_TOKEN@api.twilio.com",
    })
    .optional(),
  MANDATE_SMS_FROM: z.string().min(3).max(64).optional(),
  MANDATE_SMS_RATE: z.coerce.number().int().min(1).max(10_000).optional(),
  MANDATE_BOUNCE_SMTP_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  MANDATE_BOUNCE_SMTP_HOST: z.string().min(1).optional(),
  MANDATE_BOUNCE_DOMAIN: z
    .string()
    .regex(/^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+$/, {
      message: "expected a domain name, e.g. bounces.union.org.uk",
    })
    .optional(),
});

export interface Config {
  /** PostgreSQL server URL; when absent the embedded database is used. */
  databaseUrl: string | null;
  /** Folder of the embedded database. */
  dataDir: string;
  port: number;
  host: string;
  secureCookies: boolean;
  /**
   * Behind a TLS-terminating reverse proxy: the proxy's addresses or CIDR
   * ranges, whose X-Forwarded-Proto and X-Forwarded-For are believed; null:
   * none. Never "every hop": the client writes the leftmost X-Forwarded-For entry.
   */
  trustProxy: string | null;
  /** How long a worker holds a job without renewing before another may take it over. */
  jobLeaseSeconds: number;
  /** A pause after each committed job step, to slow jobs down in tests of a killed worker (0). */
  jobStepDelayMs: number;
  /** Days the upload of a failed import job is kept for a retry. */
  uploadRetentionDays: number;
  logLevel: string;
  /** The audit chain's HMAC key as given (hex or base64); null: the key file in auditDir. */
  auditKey: string | null;
  /**
   * Where the audit key file (when no MANDATE_AUDIT_KEY) and the signed
   * checkpoints are kept: beside the data folder, not in it, so restoring or
   * editing the database does not touch them.
   */
  auditDir: string;
  /** Whether MANDATE_AUDIT_DIR was given (with DATABASE_URL, it or MANDATE_AUDIT_KEY must be). */
  auditDirSet: boolean;
  /** Communications (decisions/0027): the SMTP server (null: email sends are refused), From, links. */
  smtpUrl: string | null;
  mailFrom: string;
  /** The address members' links point to (unsubscribe pages); the server's own by default. */
  publicUrl: string;
  emailPerSecond: number;
  sendConcurrency: number;
  dkim: { domainName: string; keySelector: string; keyFile: string } | null;
  /** The SMS provider (Twilio's API with the account SID and auth token; null: SMS sends are refused). */
  smsUrl: string | null;
  /** The sending number (E.164) or Messaging Service SID. */
  smsFrom: string | null;
  /** Messages a second through the provider, shared by every worker. */
  smsPerSecond: number;
  /**
   * Deliverability (decisions/0028): the port of Mandate's bounce listener (null: none), the address it
   * listens on, and the domain of messages' return paths (null: the From's), whose MX points at it.
   */
  bounceSmtpPort: number | null;
  bounceSmtpHost: string;
  bounceDomain: string | null;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  // An empty variable means "not set", as shells and CI files often leave them.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = EnvSchema.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`Invalid environment variable ${issue?.path.join(".")}: ${issue?.message}`);
  }
  const e = parsed.data;
  const dataRoot = e.MANDATE_DATA_DIR ? path.resolve(cwd, e.MANDATE_DATA_DIR) : path.resolve(cwd, ".mandate");
  const dataDir = e.MANDATE_DATA_DIR ? dataRoot : path.join(dataRoot, "db");
  return {
    databaseUrl: e.DATABASE_URL ?? null,
    dataDir,
    port: e.PORT ?? 3000,
    host: e.HOST ?? "127.0.0.1",
    secureCookies: e.MANDATE_SECURE_COOKIES === "1",
    trustProxy: trustedProxies(e.MANDATE_TRUST_PROXY),
    jobLeaseSeconds: e.MANDATE_JOB_LEASE_SECONDS ?? 30,
    jobStepDelayMs: e.MANDATE_JOB_STEP_DELAY_MS ?? 0,
    uploadRetentionDays: e.MANDATE_UPLOAD_RETENTION_DAYS ?? 7,
    logLevel: e.MANDATE_LOG_LEVEL ?? "info",
    auditKey: e.MANDATE_AUDIT_KEY ?? null,
    auditDir: e.MANDATE_AUDIT_DIR ? path.resolve(cwd, e.MANDATE_AUDIT_DIR) : `${dataDir}-audit`,
    auditDirSet: e.MANDATE_AUDIT_DIR !== undefined,
    smtpUrl: e.MANDATE_SMTP_URL ?? null,
    mailFrom: e.MANDATE_MAIL_FROM ?? "Mandate <mandate@localhost>",
    publicUrl: e.MANDATE_PUBLIC_URL ?? `http://${e.HOST ?? "127.0.0.1"}:${e.PORT ?? 3000}`,
    emailPerSecond: e.MANDATE_EMAIL_RATE ?? 100,
    sendConcurrency: e.MANDATE_SEND_CONCURRENCY ?? 20,
    dkim:
      e.MANDATE_DKIM_DOMAIN && e.MANDATE_DKIM_SELECTOR && e.MANDATE_DKIM_KEY_FILE
        ? {
            domainName: e.MANDATE_DKIM_DOMAIN,
            keySelector: e.MANDATE_DKIM_SELECTOR,
            keyFile: path.resolve(cwd, e.MANDATE_DKIM_KEY_FILE),
          }
        : null,
    smsUrl: e.MANDATE_SMS_URL ?? null,
    smsFrom: e.MANDATE_SMS_FROM ?? null,
    smsPerSecond: e.MANDATE_SMS_RATE ?? 10,
    bounceSmtpPort: e.MANDATE_BOUNCE_SMTP_PORT ?? null,
    bounceSmtpHost: e.MANDATE_BOUNCE_SMTP_HOST ?? "127.0.0.1",
    bounceDomain: e.MANDATE_BOUNCE_DOMAIN?.toLowerCase() ?? null,
  };
}

const PROXY_RANGES = new Set(["loopback", "linklocal", "uniquelocal"]);

/** An address, a CIDR range, or one of the named ranges Fastify (proxy-addr) knows. */
function isProxyAddress(entry: string): boolean {
  if (PROXY_RANGES.has(entry)) return true;
  const [address, bits, ...rest] = entry.split("/");
  const version = isIP(address ?? "");
  if (!version || rest.length) return false;
  if (bits === undefined) return true;
  const n = Number(bits);
  return /^\d+$/.test(bits) && n >= 0 && n <= (version === 4 ? 32 : 128);
}

/** "1" (the historical setting) means a proxy on this machine. */
function trustedProxies(value: string | undefined): string | null {
  if (value === undefined || value === "0") return null;
  if (value === "1") return "loopback";
  return value
    .split(",")
    .map((p) => p.trim())
    .join(",");
}
