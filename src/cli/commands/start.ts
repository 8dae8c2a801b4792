import { type Command, Option } from "commander";
import { listUsersOfEmailDomain } from "../../auth/index.js";
import { commsOptionsOf, startConfiguredBounceListener } from "../../comms/index.js";
import type { Ctx } from "../../context.js";
import { DEMO_PASSWORD } from "../../demo/demo.generate.js";
import { unionIsEmpty } from "../../demo/demo.seed.js";
import { buildApp } from "../../http/app.js";
import { cliActor, resolveUnionId } from "../../main.js";
import { positiveInt } from "../args.js";
import {
  type Cli,
  DEFAULT_DEMO_MEMBERS,
  DEFAULT_DEMO_SEED,
  demoLoginsText,
  seedWithProgress,
  uploadDirOf,
} from "../cli-context.js";
import { ensureWebBuilt } from "../web-build.js";

/** `mandate start ...`: the server. */
export function addStartCommands(program: Command, cli: Cli): void {
  program
    .command("start")
    .description("start the server (seeds the demo union when the database is empty)")
    .addOption(new Option("--port <n>", "port (default $PORT or 3000)").argParser(positiveInt("port")))
    .option("--host <host>", "address to listen on (default 127.0.0.1)")
    .option("--no-seed", "do not seed the demo union into an empty database")
    .option("--no-worker", "run no job worker in this process (run `mandate worker` beside it)")
    .action(async (opts: { port?: number; host?: string; seed: boolean; worker: boolean }) => {
      const config = cli.deps.config();
      const out = cli.output();
      const webDir = await ensureWebBuilt((l) => out.info(l));
      const open = await cli.deps.openDatabase(config);
      const unionId = await resolveUnionId(open.db, cli.union());
      const ctx: Ctx = { db: open.db, actor: cliActor(unionId, "cli:start"), clock: cli.deps.clock };
      let seeded = null;
      if (opts.seed && (await unionIsEmpty(open.db, unionId))) {
        out.info(
          `Empty database: loading the demo union (${DEFAULT_DEMO_MEMBERS.toLocaleString("en-GB")} members)...`,
        );
        seeded = await seedWithProgress(ctx, out, DEFAULT_DEMO_MEMBERS, DEFAULT_DEMO_SEED);
      }
      const app = await buildApp({
        db: open.db,
        clock: cli.deps.clock,
        secureCookies: config.secureCookies,
        trustProxy: config.trustProxy,
        uploadRetentionDays: config.uploadRetentionDays,
        webDir,
        logLevel: config.logLevel === "info" ? "warn" : config.logLevel,
        uploadDir: uploadDirOf(config),
        worker: opts.worker,
        comms: commsOptionsOf(config),
      });
      const port = opts.port ?? config.port;
      const host = opts.host ?? config.host;
      await app.listen({ port, host });
      const address = `http://${host === "0.0.0.0" ? "localhost" : host}:${(app.server.address() as { port: number }).port}`;
      const demoUsers = await listUsersOfEmailDomain(open.db, { unionId }, "demo.mandate.test");
      const users = seeded?.users ?? demoUsers.map((u) => ({ ...u, scope: "" }));
      out.result(
        {
          address,
          database: open.location,
          backend: open.backend,
          seeded: seeded !== null,
          demoUsers: users,
          password: DEMO_PASSWORD,
        },
        () =>
          [
            `Mandate is running at ${address}`,
            `Database: ${open.backend === "pglite" ? "embedded" : "PostgreSQL server"} (${open.location})`,
            users.length ? demoLoginsText(users) : "No demo users in this database.",
            "Press Ctrl+C to stop.",
          ].join("\n"),
      );
      const bounces = await startConfiguredBounceListener(
        config,
        { db: open.db, clock: cli.deps.clock },
        (l) => out.info(l),
      );
      const stop = async () => {
        await bounces?.close();
        await app.close();
        await open.close();
        process.exit(0);
      };
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
    });
}
