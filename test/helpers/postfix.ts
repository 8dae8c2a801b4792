/**
 * A private Postfix instance for tests (Debian's package): its own configuration, queue and log in a
 * temporary folder, listening on 127.0.0.1 on a free port, delivering locally for `localhost` with no
 * recipient check at the door (so an unknown user is accepted, then bounced by local delivery with a
 * real delivery status notification), and sending on by a transport map (the bounce domain to
 * Mandate's listener, other test domains where the test says). Queues run every second and nothing is
 * kept for a retry, so a notice comes back in well under a second.
 *
 * Postfix runs as root (its master starts the daemons under the `postfix` user). Without Postfix the
 * tests that need it skip with the reason printed, unless MANDATE_REQUIRE_POSTFIX=1.
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const POSTFIX = "/usr/sbin/postfix";

export function postfixSkipReason(): string | false {
  let reason: string | null = null;
  if (!fs.existsSync(POSTFIX)) reason = `Postfix not found at ${POSTFIX} (apt-get install -y postfix)`;
  else if (process.getuid?.() !== 0) reason = "Postfix's master must start as root";
  if (reason === null) return false;
  if (process.env.MANDATE_REQUIRE_POSTFIX === "1") throw new Error(`${reason} (MANDATE_REQUIRE_POSTFIX=1)`);
  console.log(`# skipping the Postfix suite: ${reason}`);
  return reason;
}

/** A port nobody listens on now. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface Postfix {
  /** The SMTP port Postfix takes mail on (127.0.0.1). */
  port: number;
  dir: string;
  /** Postfix's log so far (for a failing test's message). */
  log(): string;
  stop(): Promise<void>;
}

async function waitForPort(port: number, ms: number): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, "127.0.0.1");
      s.once("connect", () => {
        s.destroy();
        resolve(true);
      });
      s.once("error", () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > until) throw new Error(`Postfix did not listen on ${port} within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Starts an instance; `transports` maps a domain to a Postfix transport (e.g. `smtp:[127.0.0.1]:2626`). */
export async function startPostfix(transports: Record<string, string>): Promise<Postfix> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mandate-postfix-"));
  // The daemons run as the postfix user: they must reach their folders (mkdtemp makes it private).
  fs.chmodSync(dir, 0o755);
  const conf = path.join(dir, "conf");
  const spool = path.join(dir, "spool");
  const data = path.join(dir, "data");
  const maillog = path.join(dir, "maillog");
  fs.mkdirSync(conf);
  fs.mkdirSync(spool);
  fs.mkdirSync(data);
  await run("chown", ["postfix", data]);
  const port = await freePort();
  // Debian's master.cf, with no chroot (the temporary folder has no copy of the system) and smtpd on our port.
  const master = fs
    .readFileSync("/etc/postfix/master.cf", "utf8")
    .split("\n")
    .map((line) =>
      line
        .replace(/^(\S+\s+\S+\s+\S+\s+\S+\s+)y(\s)/, "$1n$2")
        .replace(/^smtp(\s+)inet(\s)/, `127.0.0.1:${port}$1inet$2`),
    )
    .join("\n");
  fs.writeFileSync(path.join(conf, "master.cf"), master);
  fs.writeFileSync(
    path.join(conf, "transport"),
    Object.entries(transports)
      .map(([domain, transport]) => `${domain} ${transport}`)
      .join("\n"),
  );
  fs.writeFileSync(
    path.join(conf, "main.cf"),
    [
      "compatibility_level = 3.6",
      `queue_directory = ${spool}`,
      `data_directory = ${data}`,
      "myhostname = mta.mandate.test",
      "mydomain = mandate.test",
      "myorigin = mandate.test",
      "mydestination = localhost",
      "inet_interfaces = 127.0.0.1",
      "inet_protocols = ipv4",
      "mynetworks = 127.0.0.0/8",
      // Accept every local recipient at the door: local delivery bounces the unknown ones with a DSN.
      "local_recipient_maps =",
      "alias_maps =",
      "alias_database =",
      `transport_maps = texthash:${path.join(conf, "transport")}`,
      "smtp_dns_support_level = disabled",
      "smtp_host_lookup = native",
      `maillog_file_prefixes = ${os.tmpdir()}`,
      `maillog_file = ${maillog}`,
      // Fast and final: queues every second, nothing kept for a retry, notices sent at once.
      "queue_run_delay = 1s",
      "minimal_backoff_time = 1s",
      "maximal_backoff_time = 2s",
      "maximal_queue_lifetime = 0",
      "bounce_queue_lifetime = 0",
      "in_flow_delay = 0",
      "smtp_connect_timeout = 5s",
      "biff = no",
      "",
    ].join("\n"),
  );
  try {
    await run(POSTFIX, ["-c", conf, "start"]);
    await waitForPort(port, 10_000);
  } catch (e) {
    const log = fs.existsSync(maillog) ? fs.readFileSync(maillog, "utf8") : "";
    await run(POSTFIX, ["-c", conf, "abort"]).catch(() => undefined);
    fs.rmSync(dir, { recursive: true, force: true });
    throw new Error(`Postfix did not start: ${(e as Error).message}\n${log}`);
  }
  return {
    port,
    dir,
    log: () => (fs.existsSync(maillog) ? fs.readFileSync(maillog, "utf8") : ""),
    async stop() {
      await run(POSTFIX, ["-c", conf, "abort"]).catch(() => undefined);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
