/**
 * A send to a million members by email, end to end, on the PostgreSQL server: the ledger written, each
 * message rendered and sent over SMTP to a local sink (a process of its own), and marked. Run by a real
 * `mandate worker` process. Then the same send again with the worker SIGKILLed every `--kill-every`
 * messages and a new one started: how many members got nothing (lost) and how many got a message twice
 * (duplicates; only messages in flight at a kill may be, at most the worker's concurrency each time).
 *
 *   npm run bench -- comms [--messages 1000000] [--concurrency 50] [--kill-every 100000] [--no-kill] [--keep]
 */
import { type ChildProcess, fork, spawn } from "node:child_process";
import path from "node:path";
import { parseArgs } from "node:util";
import { sql } from "kysely";
import { auditKeyOf } from "../src/audit/index.js";
import {
  addVersion,
  approveTemplateVersion,
  createTemplate,
  queueSend,
  saveSegment,
} from "../src/comms/index.js";
import type { Ctx } from "../src/context.js";
import { getJob } from "../src/jobs/index.js";
import { PACKAGE_ROOT } from "../src/main.js";
import { fixedClock } from "../src/shared/clock.js";
import { BENCH_ACTOR, createBenchDatabase } from "./bench-database.js";

const round = (n: number, d = 2) => Math.round(n * 10 ** d) / 10 ** d;

interface SinkReport {
  count: number;
  distinct: number;
  recipients: number;
  repeated: number;
  extra: number;
}

function startSink(
  onCount: (n: number) => void,
): Promise<{ url: string; child: ChildProcess; ask: <T>(kind: string) => Promise<T> }> {
  const child = fork(path.join(import.meta.dirname, "comms-sink.ts"), [], {
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const waiting = new Map<string, (v: unknown) => void>();
  return new Promise((resolve) => {
    child.on("message", (m: { kind: string; url?: string; count?: number }) => {
      if (m.kind === "ready") resolve({ url: m.url!, child, ask });
      else if (m.kind === "count") onCount(m.count!);
      else waiting.get(m.kind)?.(m);
    });
  });
  function ask<T>(kind: string): Promise<T> {
    return new Promise((r) => {
      waiting.set(kind, r as (v: unknown) => void);
      child.send({ kind });
    });
  }
}

/** Peak resident memory of a process, from the kernel's high-water mark (MB). */
async function peakRssMb(pid: number): Promise<number> {
  const fs = await import("node:fs");
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
    return round(kb / 1024, 0);
  } catch {
    return 0;
  }
}

export async function run(argv: string[]): Promise<Record<string, unknown>> {
  const { values } = parseArgs({
    args: argv,
    options: {
      messages: { type: "string", default: "1000000" },
      concurrency: { type: "string", default: "50" },
      "kill-every": { type: "string", default: "100000" },
      "no-kill": { type: "boolean", default: false },
      keep: { type: "boolean", default: false },
    },
  });
  const messages = Number(values.messages);
  const concurrency = Number(values.concurrency);
  const killEvery = Number(values["kill-every"]);
  const bench = await createBenchDatabase("comms", { members: 0, employers: 50 });
  const { db } = bench.open;
  let sinkCount = 0;
  let onCount = (_n: number) => {};
  const sink = await startSink((n) => {
    sinkCount = n;
    onCount(n);
  });
  const clock = fixedClock("2026-12-01T09:00:00Z");
  const ctx: Ctx = { db, actor: BENCH_ACTOR, clock };
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: bench.url,
    MANDATE_AUDIT_KEY: auditKeyOf(db).toString("hex"),
    MANDATE_SMTP_URL: sink.url,
    MANDATE_MAIL_FROM: "Bench Union <ballots@bench.example>",
    MANDATE_SEND_CONCURRENCY: String(concurrency),
    MANDATE_EMAIL_RATE: "100000",
    MANDATE_JOB_LEASE_SECONDS: "3",
    MANDATE_LOG_LEVEL: "warn",
  };
  const bin = path.join(PACKAGE_ROOT, "bin/mandate.js");
  try {
    console.error(`adding ${messages.toLocaleString("en-GB")} members with an email address and consent...`);
    const e = await db.selectFrom("employers").select("id").orderBy("id").limit(1).executeTakeFirstOrThrow();
    await sql`insert into members (union_id, membership_number, forenames, surname, email, consent_email, status, employer_id)
      select 1, 'B' || g, 'Sam', 'Member' || g, 'member' || g || '@bench.example', true, 'active', ${e.id}
      from generate_series(1, ${messages}) g`.execute(db);
    await sql`analyze`.execute(db);
    const t = await createTemplate(ctx, { name: "Vote", channel: "email", purpose: "reminder" });
    const v = await addVersion(ctx, t.id, {
      language: "en",
      subject: "{{ member.forename }}, your ballot paper",
      body: "Dear {{ member.forename }},\n\nYour ballot paper is on its way. Vote and post it back the day it comes.\n\n[How to vote](https://bench.example/vote)",
    });
    await approveTemplateVersion(ctx, v.id);
    const s = await saveSegment(ctx, { name: "Everyone", definition: { memberStatuses: ["active"] } });

    /** One send run by worker processes; `kill` SIGKILLs the current one every `killEvery` messages. */
    const oneSend = async (kill: boolean) => {
      await sink.ask("reset");
      sinkCount = 0;
      const start = performance.now();
      const send = await queueSend(ctx, { templateId: t.id, segmentId: s.id });
      let kills = 0;
      let peak = 0;
      for (;;) {
        const worker = spawn(process.execPath, [bin, "worker", "--once"], {
          env,
          stdio: ["ignore", "ignore", "inherit"],
        });
        const sampler = setInterval(async () => {
          peak = Math.max(peak, await peakRssMb(worker.pid!));
        }, 500);
        let killed = false;
        const nextKill = (kills + 1) * killEvery;
        onCount = (n) => {
          if (kill && n >= nextKill && !killed) {
            killed = true;
            worker.kill("SIGKILL");
          }
        };
        const code = await new Promise<number | null>((r) => worker.once("exit", (c) => r(c)));
        clearInterval(sampler);
        if (!killed) {
          if (code !== 0) throw new Error(`the worker stopped with ${code}`);
          break;
        }
        kills++;
        console.error(`killed the worker at ${sinkCount.toLocaleString("en-GB")} messages; starting another`);
        await new Promise((r) => setTimeout(r, 3500)); // the lease runs out
      }
      const seconds = (performance.now() - start) / 1000;
      const job = await getJob(ctx, send.jobId!);
      const report = await sink.ask<SinkReport>("report");
      const ledger = await db
        .selectFrom("comms_messages")
        .select(["state", sql<number>`count(*)::int`.as("n")])
        .where("send_id", "=", send.id)
        .groupBy("state")
        .execute();
      const sent = Number(ledger.find((r) => r.state === "sent")?.n ?? 0);
      return {
        job_state: job.state,
        seconds: round(seconds),
        per_second: round(report.distinct / seconds, 0),
        messages: messages,
        delivered: report.recipients,
        ledger_sent: sent,
        lost: messages - report.recipients,
        duplicates: report.extra,
        kills,
        in_flight_resent: (job.result as { inFlightResent?: number } | null)?.inFlightResent ?? 0,
        peak_rss_mb: peak,
      };
    };

    console.error("send 1: straight through...");
    const straight = await oneSend(false);
    console.error(JSON.stringify(straight));
    if (!values["no-kill"]) console.error(`send 2: killed every ${killEvery}...`);
    const killed = values["no-kill"] ? null : await oneSend(true);
    if (killed) console.error(JSON.stringify(killed));
    return {
      messages,
      concurrency,
      delivered: straight.delivered,
      duplicates: straight.duplicates,
      lost: straight.lost,
      per_second: straight.per_second,
      seconds: straight.seconds,
      peak_rss_mb: straight.peak_rss_mb,
      straight,
      killed,
    };
  } finally {
    sink.child.send({ kind: "stop" });
    await bench.dispose(values.keep);
  }
}
