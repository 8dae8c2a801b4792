/**
 * The live board of a day of action on the PostgreSQL server (decisions/0036): 5,000 workplaces report
 * numbers out every 10 minutes while 500 national officers watch the board.
 *
 * Time is compressed: the arrival rate of 5,000 reports per 10 minutes (about 8.3 a second) is run as
 * it is, then at a stressed rate (10 times that), each for `--seconds`. Throughout, 500 viewers poll the
 * board every 5 to 10 seconds (at random), for what changed since the version they hold. Reports go
 * through the HTTP API (scope check, the report, the board's aggregate and the audit row in one
 * transaction); the application's clock runs 60 times faster than the wall so the day's chart moves.
 *
 *   npm run bench -- action        options: --workplaces 5000 --viewers 500 --seconds 60 --stress 10 --keep
 */
import os from "node:os";
import { parseArgs } from "node:util";
import { Worker } from "node:worker_threads";
import { sql } from "kysely";
import { DAY_BOARD_KEEP_MS } from "../src/action/dayboard.service.js";
import { POSTCODE_AREA_CENTRES } from "../src/action/postcode-areas.js";
import { buildApp } from "../src/http/app.js";
import { BENCH_PASSWORD, createBenchDatabase } from "./bench-database.js";

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  const i = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, i)]!;
}
const round = (n: number, d = 2) => Math.round(n * 10 ** d) / 10 ** d;

const DAY = "2027-01-12";
const START = Date.parse(`${DAY}T06:00:00Z`);

interface Phase {
  reportLatencies: number[];
  reportErrors: number;
  boardLatencies: number[];
  changeBytes: number[];
  firstLatencies: number[];
  pollLatencies: number[];
  boardErrors: number;
  seconds: number;
  boardBytes: number;
  firstError: string | null;
}

function summarise(phase: Phase, rate: number) {
  const r = [...phase.reportLatencies].sort((a, b) => a - b);
  const b = [...phase.boardLatencies].sort((a, c) => a - c);
  const first = [...phase.firstLatencies].sort((a, c) => a - c);
  const polls = [...phase.pollLatencies].sort((a, c) => a - c);
  const changeBytes = [...phase.changeBytes].sort((a, c) => a - c);
  return {
    report_rate_target_per_s: round(rate, 1),
    reports: r.length,
    report_errors: phase.reportErrors,
    reports_per_s: round(r.length / phase.seconds, 1),
    report_p50_ms: round(percentile(r, 50)),
    report_p95_ms: round(percentile(r, 95)),
    report_p99_ms: round(percentile(r, 99)),
    board_requests: b.length,
    board_errors: phase.boardErrors,
    board_first_load_p50_ms: round(percentile(first, 50)),
    board_first_load_p95_ms: round(percentile(first, 95)),
    board_polls_p95_ms: round(percentile(polls, 95)),
    board_changes_median_bytes: percentile(changeBytes, 50),
    board_per_s: round(b.length / phase.seconds, 1),
    board_p50_ms: round(percentile(b, 50)),
    board_p95_ms: round(percentile(b, 95)),
    board_p99_ms: round(percentile(b, 99)),
    board_max_ms: round(b[b.length - 1] ?? 0),
    board_bytes: phase.boardBytes,
    first_error: phase.firstError,
    seconds: round(phase.seconds, 1),
  };
}

export async function run(argv: string[]): Promise<Record<string, unknown>> {
  const { values } = parseArgs({
    args: argv,
    options: {
      workplaces: { type: "string", default: "5000" },
      viewers: { type: "string", default: "500" },
      seconds: { type: "string", default: "60" },
      stress: { type: "string", default: "10" },
      keep: { type: "boolean", default: false },
    },
  });
  const workplaces = Number(values.workplaces);
  const viewers = Number(values.viewers);
  const seconds = Number(values.seconds);
  const stress = Number(values.stress);
  const bench = await createBenchDatabase("action", { members: 20_000, employers: 400, poolSize: 30 });
  const { db } = bench.open;
  try {
    const setupStart = performance.now();
    // The workplaces of the day, spread over the union's employers and regions, each with a postcode
    // in one of the UK's postcode areas (a few with none: not on the map).
    const areas = Object.keys(POSTCODE_AREA_CENTRES);
    await sql`insert into workplaces (union_id, employer_id, region_id, name, postcode)
      select 1, e.id, e.region_id, 'Site ' || g || ' ' || left(e.name, 100),
        case when g % 97 = 0 then null
          else (${sql.val(areas)}::text[])[1 + g % ${areas.length}] || (1 + g % 19) || ' ' || (g % 10) || 'AB' end
      from generate_series(1, ${workplaces}) g
      join lateral (select id, region_id, name from employers where union_id = 1 order by id offset (g % (select count(*) from employers where union_id = 1)) limit 1) e on true`.execute(
      db,
    );
    // Every workplace has reported once already this morning (written as the report path would).
    await sql`insert into action_reports (union_id, day, workplace_id, region_id, reported_at, out_count, at_work_count, exempt_count, picket_up)
      select 1, ${DAY}, w.id, w.region_id, ${new Date(START - 30 * 60_000)}, 10 + w.id % 60, w.id % 7, w.id % 3, w.id % 4 = 0
      from workplaces w where w.union_id = 1 and w.name like 'Site %'`.execute(db);
    await sql`insert into action_board_workplaces (union_id, day, workplace_id, region_id, sector_id, out_count, at_work_count, exempt_count, picket_up, reported_at, reports)
      select r.union_id, r.day, r.workplace_id, coalesce(w.region_id, 0), coalesce(e.sector_id, 0), r.out_count, r.at_work_count, r.exempt_count, r.picket_up, r.reported_at, 1
      from action_reports r join workplaces w on w.id = r.workplace_id join employers e on e.id = w.employer_id`.execute(
      db,
    );
    await sql`insert into action_board_slots (union_id, day, region_id, sector_id, slot, out_delta)
      select union_id, day, region_id, sector_id, 11, sum(out_count) from action_board_workplaces group by union_id, day, region_id, sector_id`.execute(
      db,
    );
    const ids = (
      await sql<{
        id: number;
      }>`select id from workplaces where union_id = 1 and name like 'Site %' order by id`.execute(db)
    ).rows.map((r) => r.id);
    await sql`analyze`.execute(db);
    const setupSeconds = (performance.now() - setupStart) / 1000;
    console.error(`set up ${ids.length} workplaces in ${round(setupSeconds)} s`);

    const wallStart = Date.now();
    const app = await buildApp({
      db,
      clock: { now: () => new Date(START + (Date.now() - wallStart) * 60) },
      secureCookies: false,
      webDir: null,
      logLevel: (process.env.MANDATE_BENCH_LOG as "error" | undefined) ?? "silent",
    });
    await app.listen({ port: 0, host: "127.0.0.1" });
    try {
      const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
      const login = await fetch(`${base}/api/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: "national@demo.mandate.test", password: BENCH_PASSWORD }),
      });
      if (!login.ok) throw new Error(`login failed: ${login.status} ${await login.text()}`);
      const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0]!;
      const csrf = ((await login.json()) as { csrfToken: string }).csrfToken;
      const boardUrl = `${base}/api/action/board/${DAY}`;
      const coldStart = performance.now();
      const first = await fetch(boardUrl, { headers: { cookie } });
      if (!first.ok) throw new Error(`board: ${first.status} ${await first.text()}`);
      const firstBoard = (await first.json()) as { totals: { workplaces: number; notOnMap: number } };
      const coldMs = performance.now() - coldStart;
      const rate = workplaces / 600;
      const phase = (reportsPerSecond: number) =>
        new Promise<Phase>((resolve, reject) => {
          const worker = new Worker(new URL("./action-load.mjs", import.meta.url), {
            workerData: {
              cookie,
              csrf,
              boardUrl,
              reportUrl: `${base}/api/action/reports`,
              day: DAY,
              workplaceIds: ids,
              viewers,
              reportsPerSecond,
              seconds,
            },
          });
          worker.once("message", resolve);
          worker.once("error", reject);
        });
      const loadBefore = round(os.loadavg()[0]!);
      const normal = await phase(rate);
      const loadNormal = round(os.loadavg()[0]!);
      const stressed = await phase(rate * stress);
      const loadStressed = round(os.loadavg()[0]!);
      const counts = (
        await sql<{
          reports: number;
          audit: number;
        }>`select (select count(*)::int from action_reports) as reports,
          (select count(*)::int from audit_log where event = 'action.report_recorded') as audit`.execute(db)
      ).rows[0]!;
      const n = summarise(normal, rate);
      const s = summarise(stressed, rate * stress);
      return {
        backend: "postgres",
        workplaces: firstBoard.totals.workplaces,
        not_on_map: firstBoard.totals.notOnMap,
        viewers,
        viewer_poll_seconds: "5-10 (uniform), asking for the changes since the version held",
        board_keep_ms: DAY_BOARD_KEEP_MS,
        setup_seconds: round(setupSeconds),
        cold_board_ms: round(coldMs),
        // The headline: the stated load (5,000 workplaces every 10 minutes, 500 viewers).
        board_p95_ms: n.board_p95_ms,
        report_p95_ms: n.report_p95_ms,
        normal: n,
        stressed: { factor: stress, ...s },
        reports_in_database: counts.reports,
        reports_audited: counts.audit,
        load_average_before: loadBefore,
        load_average_after_normal: loadNormal,
        load_average_after_stressed: loadStressed,
        goal_board_p95_ms: 100,
        goal_report_p95_ms: 50,
        goal_met: n.board_p95_ms < 100 && n.report_p95_ms < 50,
        goal_met_stressed: s.board_p95_ms < 100 && s.report_p95_ms < 50,
      };
    } finally {
      await app.close();
    }
  } finally {
    await bench.dispose(values.keep);
  }
}
