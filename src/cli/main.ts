import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Command, CommanderError, Option } from "commander";
import { checkpointInPdf } from "../audit/anchor.js";
import { verifyAudit } from "../audit/audit.service.js";
import { ROLES } from "../auth/permissions.js";
import { createUser } from "../auth/users.service.js";
import { electorateSummary, listDisputes, preflight } from "../ballots/ballots.service.js";
import { generateBallotNotices, writeDocumentsToFolder } from "../ballots/documents.service.js";
import { queueFreeze } from "../ballots/freeze.service.js";
import {
  decidePartnerAgreement,
  listPartnerAgreements,
  proposePartnerAgreement,
} from "../ballots/partner-agreements.service.js";
import { appointScrutineer } from "../ballots/scrutineers.service.js";
import { loadConfig } from "../config.js";
import type { Ctx } from "../context.js";
import type { OpenDatabase } from "../db/connect.js";
import { migrateToLatest } from "../db/migrate.js";
import { DEMO_PASSWORD } from "../demo/demo.generate.js";
import { seedDemo, unionIsEmpty } from "../demo/demo.seed.js";
import { writeMessyExport } from "../demo/messy-export.service.js";
import { buildApp } from "../http/app.js";
import { jobHandlers } from "../job-handlers.js";
import { enqueueJob, getJob, Worker } from "../jobs/index.js";
import { cliActor, openDatabase, resolveUnionId } from "../main.js";
import type { ColumnMapping } from "../members/import/index.js";
import { MEMBER_IMPORT_JOB, type MemberImportPayload } from "../members/member-import.job.js";
import {
  createMemberImport,
  getImportJob,
  importSummary,
  listImportProblems,
} from "../members/member-import.service.js";
import { exportMembersCsv } from "../members/members-export.service.js";
import { importRegister } from "../registers/register-import.service.js";
import { listCommencements, recordCommencement, SWITCH_IDS } from "../settings/law-commencements.js";
import { systemClock } from "../shared/clock.js";
import { AppError, ERROR_CODES, type ErrorCode, safeErrorMessage } from "../shared/errors.js";
import { formatProblem } from "../shared/problems.js";
import { isoDate, positiveInt } from "./args.js";
import { addLawCommands } from "./law.js";
import { makeOutput, type Output, reportFailure, table } from "./output.js";
import { runJobHere } from "./run-job.js";
import { ensureWebBuilt } from "./web-build.js";

const DEFAULT_DEMO_MEMBERS = 50_000;
const DEFAULT_DEMO_SEED = 2011;

const program = new Command("mandate")
  .description("Mandate: membership by employer, statutory ballots, notices and turnout for trade unions.")
  .option("--json", "machine-readable output")
  .option("--union <slug>", "the union to act on (default: the first union)")
  .showHelpAfterError()
  .exitOverride();

function globals(): { json: boolean; union?: string } {
  return program.opts();
}

/** Opens the database (migrating it), builds the CLI context, runs, and always closes. */
async function withContext<T>(fn: (ctx: Ctx, open: OpenDatabase, out: Output) => Promise<T>): Promise<T> {
  const out = makeOutput(globals().json === true);
  const open = await openDatabase(loadConfig());
  try {
    const unionId = await resolveUnionId(open.db, globals().union);
    const ctx: Ctx = {
      db: open.db,
      actor: cliActor(unionId, `cli:${os.userInfo().username}`),
      clock: systemClock,
    };
    return await fn(ctx, open, out);
  } finally {
    await open.close();
  }
}

async function seedWithProgress(ctx: Ctx, out: Output, members: number, seed: number) {
  const bar = out.progress("Members", members);
  try {
    return await seedDemo(ctx, { members, seed, onProgress: (done) => bar.update(done) });
  } finally {
    bar.stop();
  }
}

function demoLoginsText(users: { email: string; role: string; scope: string }[]): string {
  return `Demo sign-ins (password "${DEMO_PASSWORD}"):\n${table(users.map((u) => ({ email: u.email, role: u.role, scope: u.scope })))}`;
}

program
  .command("start")
  .description("start the server (seeds the demo union when the database is empty)")
  .addOption(new Option("--port <n>", "port (default $PORT or 3000)").argParser(positiveInt("port")))
  .option("--host <host>", "address to listen on (default 127.0.0.1)")
  .option("--no-seed", "do not seed the demo union into an empty database")
  .option("--no-worker", "run no job worker in this process (run `mandate worker` beside it)")
  .action(async (opts: { port?: number; host?: string; seed: boolean; worker: boolean }) => {
    const config = loadConfig();
    const out = makeOutput(globals().json === true);
    const webDir = await ensureWebBuilt((l) => out.info(l));
    const open = await openDatabase(config);
    const unionId = await resolveUnionId(open.db, globals().union);
    const ctx: Ctx = { db: open.db, actor: cliActor(unionId, "cli:start"), clock: systemClock };
    let seeded = null;
    if (opts.seed && (await unionIsEmpty(open.db, unionId))) {
      out.info(
        `Empty database: loading the demo union (${DEFAULT_DEMO_MEMBERS.toLocaleString("en-GB")} members)...`,
      );
      seeded = await seedWithProgress(ctx, out, DEFAULT_DEMO_MEMBERS, DEFAULT_DEMO_SEED);
    }
    const app = await buildApp({
      db: open.db,
      clock: systemClock,
      secureCookies: config.secureCookies,
      trustProxy: config.trustProxy,
      uploadRetentionDays: config.uploadRetentionDays,
      webDir,
      logLevel: config.logLevel === "info" ? "warn" : config.logLevel,
      uploadDir: uploadDirOf(config),
      worker: opts.worker,
    });
    const port = opts.port ?? config.port;
    const host = opts.host ?? config.host;
    await app.listen({ port, host });
    const address = `http://${host === "0.0.0.0" ? "localhost" : host}:${(app.server.address() as { port: number }).port}`;
    const demoUsers = await open.db
      .selectFrom("users")
      .select(["email", "role"])
      .where("union_id", "=", unionId)
      .where("email", "like", "%@demo.mandate.test")
      .orderBy("id")
      .execute();
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
    const stop = async () => {
      await app.close();
      await open.close();
      process.exit(0);
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });

/** Where uploaded member files wait for their import job: beside the data folder. */
function uploadDirOf(config: { dataDir: string }): string {
  return path.join(path.dirname(config.dataDir), "uploads");
}

program
  .command("worker")
  .description("run background jobs (imports...) from the queue until stopped")
  .option("--once", "stop when no job is due instead of waiting for more")
  .action(async (opts: { once?: boolean }) => {
    const config = loadConfig();
    const out = makeOutput(globals().json === true);
    const open = await openDatabase(config);
    const worker = new Worker({
      db: open.db,
      clock: systemClock,
      handlers: jobHandlers({ uploadDir: uploadDirOf(config) }),
      leaseSeconds: config.jobLeaseSeconds,
      // Without the error's message: a database error can quote personal values.
      onError: (e) => out.info(`The job queue failed (${safeErrorMessage(e)}); trying again.`),
    });
    let ran = 0;
    const stop = async () => {
      await worker.stop();
      await open.close();
    };
    if (opts.once) {
      while (await worker.runOnce()) ran++;
      await stop();
      out.result(
        { worker: worker.owner, jobsRun: ran },
        () => `Ran ${ran} job${ran === 1 ? "" : "s"}; none is due.`,
      );
      return;
    }
    out.info(`Worker ${worker.owner} is taking jobs from ${open.location}. Press Ctrl+C to stop.`);
    worker.start();
    await new Promise<void>((resolve) => {
      const onSignal = () => {
        void stop().then(resolve);
      };
      process.once("SIGINT", onSignal);
      process.once("SIGTERM", onSignal);
    });
  });

const db = program.command("db").description("database housekeeping");
db.command("migrate")
  .description("bring the database schema up to date")
  .action(async () => {
    const out = makeOutput(globals().json === true);
    const config = loadConfig();
    const { connect } = await import("../db/connect.js");
    const open = await connect({
      databaseUrl: config.databaseUrl,
      dataDir: config.dataDir,
      command: "mandate db migrate",
    });
    try {
      const result = await migrateToLatest(open.db);
      out.result({ ...result, database: open.location }, () =>
        result.applied.length ? `Applied: ${result.applied.join(", ")}` : "The schema is up to date.",
      );
    } finally {
      await open.close();
    }
  });

const demo = program.command("demo").description("demonstration data");
demo
  .command("seed")
  .description("load a generated demo union into an empty database")
  .addOption(
    new Option("--members <n>", "members to generate")
      .default(DEFAULT_DEMO_MEMBERS)
      .argParser(positiveInt("members")),
  )
  .addOption(
    new Option("--seed <s>", "random seed").default(DEFAULT_DEMO_SEED).argParser(positiveInt("seed")),
  )
  .action((opts: { members: number; seed: number }) =>
    withContext(async (ctx, _open, out) => {
      if (!(await unionIsEmpty(ctx.db, ctx.actor.unionId))) {
        throw new AppError(
          "cli.usage",
          "The union already has data; the demo is only loaded into an empty union (use a fresh MANDATE_DATA_DIR).",
        );
      }
      const result = await seedWithProgress(ctx, out, opts.members, opts.seed);
      out.result(result, () =>
        [
          `Loaded ${result.unionName}: ${result.regions} regions, ${result.employers} employers, ${result.workplaces} workplaces, ${result.members} members.`,
          demoLoginsText(result.users),
        ].join("\n"),
      );
    }),
  );

demo
  .command("members")
  .description("write a messy membership export and its ground truth over the registers in the database")
  .addOption(new Option("--rows <n>", "rows to write").default(100_000).argParser(positiveInt("rows")))
  .addOption(new Option("--seed <s>", "random seed").default(1).argParser(positiveInt("seed")))
  .requiredOption("--out <dir>", "folder for members.csv and truth.csv")
  .action((opts: { rows: number; seed: number; out: string }) =>
    withContext(async (ctx, _open, out) => {
      const result = await writeMessyExport(ctx, { rows: opts.rows, seed: opts.seed, outDir: opts.out });
      out.result(
        result,
        () =>
          `Wrote ${result.rows.toLocaleString("en-GB")} rows to ${result.members}, ground truth in ${result.truth}.`,
      );
    }),
  );

const users = program.command("users").description("user accounts");
users
  .command("add")
  .description("create a user with a role and scope")
  .requiredOption("--email <email>", "sign-in email")
  .requiredOption("--name <name>", "display name")
  .addOption(new Option("--role <role>", "role").choices([...ROLES]).makeOptionMandatory())
  .option("--password <password>", "password (default: $MANDATE_NEW_PASSWORD)")
  .option("--region <code...>", "region codes (regional officers)")
  .option("--sector <code...>", "sector codes (sector officers)")
  .option("--workplace <siteCode...>", "workplace site codes (workplace reps)")
  .action(
    (opts: {
      email: string;
      name: string;
      role: (typeof ROLES)[number];
      password?: string;
      region?: string[];
      sector?: string[];
      workplace?: string[];
    }) =>
      withContext(async (ctx, _open, out) => {
        const password = opts.password ?? process.env.MANDATE_NEW_PASSWORD;
        if (!password) throw new AppError("cli.usage", "Give --password or set MANDATE_NEW_PASSWORD.");
        const created = await createUser(ctx, {
          email: opts.email,
          displayName: opts.name,
          password,
          role: opts.role,
          regionCodes: opts.region ?? [],
          sectorCodes: opts.sector ?? [],
          workplaceCodes: opts.workplace ?? [],
        });
        out.result(
          { id: created.id, email: opts.email.toLowerCase(), role: opts.role },
          () => `Created user ${created.id} (${opts.email}, ${opts.role}).`,
        );
      }),
  );

const register = program.command("register").description("official registers of employers and workplaces");
register
  .command("import")
  .description("load a register file (NHS ODS, DfE GIAS, local authorities, or a generic CSV)")
  .addOption(
    new Option("--format <format>", "file format")
      .choices(["ods", "gias", "la", "csv"])
      .makeOptionMandatory(),
  )
  .argument("<file>", "the register file")
  .action((file: string, opts: { format: "ods" | "gias" | "la" | "csv" }) =>
    withContext(async (ctx, _open, out) => {
      if (!fs.existsSync(file)) throw new AppError("cli.usage", `No such file: ${file}`);
      const bytes = fs.readFileSync(file);
      const result = await importRegister(ctx, { format: opts.format, file: path.basename(file), bytes });
      out.result(result, () =>
        [
          `Loaded ${result.file} (${result.linesRead.toLocaleString("en-GB")} lines, import ${result.importId}).`,
          table([
            { "": "employers", ...result.employers },
            { "": "workplaces", ...result.workplaces },
          ]),
          `Aliases added: ${result.aliasesAdded}.`,
          result.problemsTotal
            ? `${result.problemsTotal} line(s) not used:\n${result.problems.slice(0, 20).map(formatProblem).join("\n")}${result.problemsTotal > 20 ? "\n..." : ""}`
            : "Every line was used.",
        ].join("\n"),
      );
    }),
  );

const ballots = program.command("ballots").description("disputes, ballots and their documents");
ballots
  .command("list")
  .description("disputes and their ballots")
  .action(() =>
    withContext(async (ctx, _open, out) => {
      const disputes = await listDisputes(ctx);
      out.result(disputes, () =>
        table(
          disputes.flatMap((d) =>
            d.ballots.map((b) => ({
              dispute: d.title,
              ballot: b.id,
              name: b.name,
              state: b.state,
              opens: b.openingDate,
              closes: b.closingDate,
              entitled: b.entitled ?? "",
            })),
          ),
        ),
      );
    }),
  );
ballots
  .command("freeze <ballot>")
  .description("freeze the ballot's electorate as at today, as a job, with a progress bar")
  .option("--detach", "queue the freeze and print its job id: `mandate start` or `mandate worker` runs it")
  .action((ballot: string, opts: { detach?: boolean }) =>
    withContext(async (ctx, _open, out) => {
      const id = positiveInt("ballot")(ballot);
      const queued = await queueFreeze(ctx, id);
      if (opts.detach) {
        out.result({ job: queued.id, ballot: id, state: queued.state }, () => `Queued as job ${queued.id}.`);
        return;
      }
      await runJobHere(ctx, out, queued.id, "Members", jobHandlers({ uploadDir: uploadDirOf(loadConfig()) }));
      const summary = await electorateSummary(ctx, id);
      out.result(
        summary,
        () => `Frozen: ${summary.entitled} entitled, ${summary.excluded} not; fingerprint ${summary.hash}`,
      );
    }),
  );
ballots
  .command("preflight <ballot>")
  .description("the pre-flight checks; exits 1 while they block the notices")
  .action((ballot: string) =>
    withContext(async (ctx, _open, out) => {
      const result = await preflight(ctx, positiveInt("ballot")(ballot));
      out.result(result, () =>
        [
          result.blocking
            ? "BLOCKED: fix these before any notice goes out."
            : "Clear: notices can be generated.",
          ...result.checks
            .filter((c) => c.count > 0)
            .map(
              (c) =>
                `  ${c.severity === "block" ? "BLOCK" : "warn "} ${c.title}: ${c.count}  [${c.citation}]`,
            ),
        ].join("\n"),
      );
      if (result.blocking) process.exitCode = 1;
    }),
  );
ballots
  .command("notices <ballot>")
  .description("generate the notices of ballot and the sample voting paper; write them to a folder")
  .requiredOption("--out <dir>", "folder to write the documents to")
  .action((ballot: string, opts: { out: string }) =>
    withContext(async (ctx, _open, out) => {
      const docs = await generateBallotNotices(ctx, positiveInt("ballot")(ballot));
      await writeDocumentsToFolder(ctx, docs, opts.out);
      out.result(
        { folder: opts.out, documents: docs },
        () =>
          `Wrote ${docs.length} documents to ${opts.out} (notices for ${docs.filter((d) => d.kind === "ballot_notice").length} employers).`,
      );
    }),
  );

ballots
  .command("appoint-scrutineer <ballot> <user>")
  .description("appoint a scrutineer user to the ballot: the only ballots they see")
  .action((ballot: string, user: string) =>
    withContext(async (ctx, _open, out) => {
      const list = await appointScrutineer(ctx, positiveInt("ballot")(ballot), positiveInt("user")(user));
      out.result(list, () =>
        table(list.map((u) => ({ user: u.userId, name: u.displayName, since: u.appointedAt }))),
      );
    }),
  );

const partners = program
  .command("partners")
  .description("agreements with partner unions to ballot their members alongside yours");
const agreementRows = (list: Awaited<ReturnType<typeof listPartnerAgreements>>) =>
  table(
    list.map((a) => ({
      id: a.id,
      side: a.side,
      union: a.unionName,
      partner: a.partnerUnionName,
      for: a.subject,
      fields: a.fields.join(" "),
      state: a.state,
      shared: a.shared.reduce((n, s) => n + s.listed, 0),
    })),
  );
partners
  .command("list")
  .description("agreements your union asked for or was asked for, with how many members were shared")
  .action(() =>
    withContext(async (ctx, _open, out) => {
      const list = await listPartnerAgreements(ctx);
      out.result(list, () => agreementRows(list));
    }),
  );
partners
  .command("propose <partnerUnion> <ballot>")
  .description("ask a partner union for its members in one of your ballots (only what the ballot needs)")
  .action((partnerUnion: string, ballot: string) =>
    withContext(async (ctx, _open, out) => {
      const a = await proposePartnerAgreement(ctx, {
        partnerUnionId: positiveInt("partnerUnion")(partnerUnion),
        ballotId: positiveInt("ballot")(ballot),
        purpose: "",
      });
      out.result(a, () => agreementRows([a]));
    }),
  );
partners
  .command("decide <agreement>")
  .description("as the partner: accept or decline a request; either side: withdraw")
  .addOption(
    new Option("--action <action>", "the decision")
      .choices(["accept", "decline", "withdraw"])
      .makeOptionMandatory(),
  )
  .action((agreement: string, opts: { action: "accept" | "decline" | "withdraw" }) =>
    withContext(async (ctx, _open, out) => {
      const a = await decidePartnerAgreement(ctx, positiveInt("agreement")(agreement), opts.action);
      out.result(a, () => agreementRows([a]));
    }),
  );

const members = program.command("members").description("membership records");
members
  .command("import")
  .description("import a membership export (CSV or Excel) as a resumable job")
  .argument("[file]", "the CSV or .xlsx file")
  .option("--map <field=Header...>", 'map a field to a column header, e.g. --map membershipNumber="Mem No"')
  .addOption(new Option("--resume <job>", "resume a failed job").argParser(positiveInt("resume")))
  .option("--detach", "queue the import and print its job id: `mandate start` or `mandate worker` runs it")
  .action((file: string | undefined, opts: { map?: string[]; resume?: number; detach?: boolean }) =>
    withContext(async (ctx, _open, out) => {
      let jobId = opts.resume;
      if (jobId === undefined) {
        if (!file) throw new AppError("cli.usage", "Give the file to import, or --resume JOB.");
        const mapping: Record<string, string> = {};
        for (const m of opts.map ?? []) {
          const eq = m.indexOf("=");
          if (eq < 1) throw new AppError("cli.usage", `--map takes field=Header, got "${m}".`);
          mapping[m.slice(0, eq)] = m.slice(eq + 1);
        }
        const job = await createMemberImport(ctx, { filePath: file, mapping: mapping as ColumnMapping });
        out.info(`Import job ${job.id}: ${job.fileName}`);
        jobId = job.id;
      }
      // The import runs as a job of the queue, as from the web app: this process runs it (or a
      // worker elsewhere takes it), and a run killed half-way resumes from its last batch.
      let queued: Awaited<ReturnType<typeof enqueueJob>>;
      try {
        queued = await enqueueJob(
          ctx,
          MEMBER_IMPORT_JOB,
          { importJobId: jobId, upload: null } satisfies MemberImportPayload,
          { dedupeKey: `import:${jobId}` },
        );
      } catch (e) {
        if (e instanceof AppError && e.code === "jobs.already_queued")
          throw new AppError("import.already_running", `Import job ${jobId} is queued or running already.`);
        throw e;
      }
      if (opts.detach) {
        out.result({ job: queued.id, importJob: jobId, state: queued.state }, () =>
          [
            `Queued as job ${queued.id} (import job ${jobId}).`,
            "`mandate start` or `mandate worker` runs it; follow it in the web app or with --resume.",
          ].join("\n"),
        );
        return;
      }
      const worker = new Worker({
        db: ctx.db,
        clock: ctx.clock,
        handlers: jobHandlers({ uploadDir: uploadDirOf(loadConfig()) }),
      });
      const bar = out.progress("Rows", 0);
      const progress = setInterval(() => {
        getJob(ctx, queued.id)
          .then((j) => bar.update(j.done))
          .catch(() => undefined);
      }, 500);
      let ended: Awaited<ReturnType<typeof getJob>>;
      try {
        for (;;) {
          const ran = await worker.runOnce();
          ended = await getJob(ctx, queued.id);
          if (["succeeded", "failed", "cancelled"].includes(ended.state)) break;
          // Another worker has it: wait for it to finish.
          if (!ran) await new Promise((r) => setTimeout(r, 500));
        }
      } finally {
        clearInterval(progress);
        bar.stop();
      }
      if (ended.state !== "succeeded") {
        const code =
          ended.errorCode && ended.errorCode in ERROR_CODES
            ? (ended.errorCode as ErrorCode)
            : "internal.error";
        throw new AppError(code, ended.errorMessage ?? `Import job ${jobId} ${ended.state}.`);
      }
      const result = await getImportJob(ctx, jobId);
      const problems = await listImportProblems(ctx, jobId, 50);
      out.result({ ...result, duplicateGroups: result.duplicates, ...importSummary(result), problems }, () =>
        [
          `Job ${result.id} ${result.status}: ${result.rowsRead} rows read; ${result.rowsInserted} new, ${result.rowsUpdated} updated, ${result.rowsUnchanged} unchanged, ${result.rowsRejected} rejected.`,
          result.matching
            ? `Employer matching: ${result.matching.auto} auto, ${result.matching.reviewed} reviewed, ${result.matching.review} to review, ${result.matching.unmatched} unmatched.`
            : "",
          Object.keys(result.fixes).length
            ? `Values fixed: ${Object.entries(result.fixes)
                .map(([kind, n]) => `${kind} ${n}`)
                .join(", ")}.`
            : "",
          result.duplicates
            ? `Duplicates: ${result.duplicates.linked} groups linked, ${result.duplicates.review} to review.`
            : "",
          problems.length
            ? `Problems (first ${problems.length}):\n${problems.map((p) => `${p.severity === "reject" ? "rejected" : "warning"} ${formatProblem(p)}`).join("\n")}`
            : "",
        ]
          .filter(Boolean)
          .join("\n"),
      );
    }),
  );
members
  .command("export")
  .description("write members with their employer and workplace codes, match status and duplicate group")
  .addOption(new Option("--format <format>", "file format").choices(["csv"]).default("csv"))
  .requiredOption("--out <file>", "where to write")
  .action((opts: { out: string }) =>
    withContext(async (ctx, _open, out) => {
      const stream = fs.createWriteStream(opts.out);
      const result = await exportMembersCsv(ctx, stream);
      out.result(
        { file: opts.out, rows: result.rows },
        () => `Wrote ${result.rows.toLocaleString("en-GB")} members to ${opts.out} (audited).`,
      );
    }),
  );

const law = addLawCommands(program, () => globals().json === true);
law
  .command("commencements")
  .description(
    "the union's commencement dates for changes in the law (decision 0013); --set records one, audited",
  )
  .addOption(new Option("--set <switch>", "the change to record").choices(SWITCH_IDS))
  .option("--date <date>", "the day it commences (YYYY-MM-DD); with --off, not in force", isoDate("date"))
  .option("--off", "record that the change is not in force")
  .option("--source <text>", "the legal source: the commencement order, or the advice relied on")
  .action((opts: { set?: string; date?: string; off?: boolean; source?: string }) =>
    withContext(async (ctx, _open, out) => {
      if (opts.set && !opts.date && !opts.off) {
        throw new AppError("cli.usage", "Give --date YYYY-MM-DD, or --off for not in force.");
      }
      const list = opts.set
        ? await recordCommencement(ctx, opts.set, {
            commencedOn: opts.off ? null : (opts.date ?? null),
            source: opts.source ?? "",
          })
        : await listCommencements(ctx);
      out.result(list, () =>
        table(
          list.map((c) => ({
            switch: c.id,
            title: c.title,
            "in force from": c.recorded ? (c.recorded.commencedOn ?? "not in force") : "not set (off)",
            source: c.recorded?.source ?? c.citation,
          })),
        ),
      );
    }),
  );

const audit = program.command("audit").description("the audit log");
audit
  .command("verify")
  .description("check the audit log's chain against the signed checkpoints kept outside the database")
  .option(
    "--document <file...>",
    "PDFs generated by Mandate (e.g. a notice an employer holds): compare the checkpoint printed in each",
  )
  .action((opts: { document?: string[] }) =>
    withContext(async (ctx, _open, out) => {
      const checkpoints = (opts.document ?? []).map((file) => {
        const c = checkpointInPdf(fs.readFileSync(file));
        if (!c) throw new AppError("cli.usage", `${file}: no audit checkpoint in this file.`);
        return c;
      });
      const result = await verifyAudit(ctx, { checkpoints });
      out.result(result, () =>
        [
          result.ok
            ? `Audit chain verified: ${result.rows} rows, head ${result.headHash.slice(0, 16)}...`
            : `AUDIT CHAIN BROKEN${result.brokenAtSeq === null ? "" : ` at row ${result.brokenAtSeq}`}: ${result.reason}`,
          result.checkpoints.latestSeq === null
            ? "No checkpoint outside the database to compare with yet."
            : `Compared with ${result.checkpoints.compared} signed checkpoints; the latest (${result.checkpoints.latestAt}) anchors ${result.checkpoints.latestSeq} rows.`,
        ].join("\n"),
      );
      if (!result.ok) process.exitCode = 1;
    }),
  );

export async function runCli(argv: string[]): Promise<number> {
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === "number" ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (
        e.code === "commander.helpDisplayed" ||
        e.code === "commander.help" ||
        e.code === "commander.version"
      )
        return 0;
      return reportFailure(
        new AppError("cli.usage", e.message.replace(/^error: /, "")),
        argv.includes("--json"),
      );
    }
    return reportFailure(e, argv.includes("--json"));
  }
}
