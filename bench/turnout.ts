/**
 * Turnout dashboards over a national dispute on the PostgreSQL server: one constituency per employer
 * (s.228A(4)), its frozen electorate, three weeks of the scrutineer's returns and members' logged
 * outcomes (own reports: "I will vote", "I have voted"...). p95 of GET /api/ballots/:id/turnout/dashboard
 * (national, region, sector and employer views in turn) under `--readers` concurrent clients, and of
 * logging an outcome (POST /api/ballots/:id/turnout/reports, audited) by `--writers` clients at the same
 * time. The contacts table is not in this branch: outcomes are logged as members' own reports.
 *
 *   npm run bench -- turnout                       (about 110,000 members, 500 constituencies, 200,000 outcomes)
 *   npm run bench -- turnout --full                (1.1 million members, 5,000 constituencies, 2 million outcomes)
 *   options: --members --constituencies --contacts --readers 100 --writers 10 --requests 5000 --keep
 */
import { parseArgs } from "node:util";
import { Worker } from "node:worker_threads";
import { sql } from "kysely";
import { buildApp } from "../src/http/app.js";
import { fixedClock } from "../src/shared/clock.js";
import { BENCH_PASSWORD, createBenchDatabase } from "./bench-database.js";

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  const i = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, i)]!;
}
const round = (n: number, d = 2) => Math.round(n * 10 ** d) / 10 ** d;

const OPENING = "2026-11-16";
const CLOSING = "2026-12-14";
/** Day 22 of the ballot: three weeks of returns are in. */
const NOW = "2026-12-07T12:00:00Z";

export async function run(argv: string[]): Promise<Record<string, unknown>> {
  const { values } = parseArgs({
    args: argv,
    options: {
      full: { type: "boolean", default: false },
      members: { type: "string" },
      constituencies: { type: "string" },
      contacts: { type: "string" },
      readers: { type: "string", default: "100" },
      writers: { type: "string", default: "10" },
      requests: { type: "string", default: "5000" },
      keep: { type: "boolean", default: false },
    },
  });
  const members = Number(values.members ?? (values.full ? 1_100_000 : 110_000));
  const constituencies = Number(values.constituencies ?? (values.full ? 5000 : 500));
  const contacts = Number(values.contacts ?? (values.full ? 2_000_000 : 200_000));
  const readers = Number(values.readers);
  const writers = Number(values.writers);
  const requests = Number(values.requests);
  const bench = await createBenchDatabase("turnout", { members, employers: constituencies, poolSize: 30 });
  const { db } = bench.open;
  try {
    const setupStart = performance.now();
    const now = new Date(NOW);
    // The dispute and its constituencies, written directly: the freeze has its own benchmark.
    await sql`insert into disputes (union_id, title, matters_in_issue, created_at, updated_at)
      values (1, 'National pay 2026', 'Pay.', ${now}, ${now})`.execute(db);
    await sql`insert into dispute_employers (dispute_id, employer_id)
      select 1, id from employers where union_id = 1 and coalesce(nation, '') <> 'northern_ireland'`.execute(
      db,
    );
    await sql`insert into ballots (union_id, dispute_id, name, kind, aggregation_test, aggregation_reason, questions,
        opening_date, closing_date, state, created_at, updated_at)
      select 1, 1, left(e.name, 190) || ' #' || e.id, 'aggregated', 'employer', 'Every member employed by the employer.',
        array['strike'], ${OPENING}, ${CLOSING}, 'open', ${now}, ${now}
      from dispute_employers de join employers e on e.id = de.employer_id order by e.id`.execute(db);
    await sql`insert into ballot_scope (ballot_id, employer_id, workplace_id)
      select b.id, de.employer_id, null from ballots b
      join lateral (select employer_id from dispute_employers where dispute_id = 1 order by employer_id offset b.id - 1 limit 1) de on true`.execute(
      db,
    );
    await sql`insert into ballot_electorate (ballot_id, member_id, member_union_id, membership_number, included, reason,
        employer_id, workplace_id, job_category, check_off, left_on, paper_number, name, address_lines, postcode)
      select s.ballot_id, m.id, 1, m.membership_number, true, 'entitled', m.employer_id, m.workplace_id, m.job_category,
        m.check_off, m.left_on, row_number() over (partition by s.ballot_id order by m.id), m.forenames || ' ' || m.surname,
        array_remove(array[m.address_line1, m.town], null), m.home_postcode
      from ballot_scope s join members m on m.employer_id = s.employer_id and m.union_id = 1 and m.status = 'active'`.execute(
      db,
    );
    await sql`update ballots b set electorate_entitled = c.n, electorate_as_at = ${OPENING}, frozen_at = ${now}
      from (select ballot_id, count(*)::int as n from ballot_electorate group by ballot_id) c where c.ballot_id = b.id`.execute(
      db,
    );
    // Three weeks of returns: each constituency heads for its own final turnout (35% to 65%).
    await sql`insert into turnout_returns (union_id, ballot_id, as_of, papers_returned, source, recorded_at)
      select 1, b.id, ${OPENING}::date + d, floor(b.electorate_entitled * (0.35 + 0.3 * ((b.id * 7919) % 101) / 100.0)
        * (1 - power(1 - (d + 1) / 29.0, 2.5)))::int, 'scrutineer_csv', ${now}
      from ballots b cross join generate_series(0, 20) d where b.electorate_entitled > 0`.execute(db);
    const entitled = Number(
      (await sql<{ n: string }>`select count(*) as n from ballot_electorate`.execute(db)).rows[0]!.n,
    );
    // The logged outcomes, spread over the three weeks; the daily counts filled once, as the migration does.
    const copies = Math.max(1, Math.ceil(contacts / entitled));
    await sql`alter table turnout_self_reports disable trigger turnout_self_reports_activity`.execute(db);
    await sql`insert into turnout_self_reports (union_id, ballot_id, member_id, kind, source, recorded_at)
      select 1, be.ballot_id, be.member_id,
        (array['will_vote','will_vote','voted','voted','wont_vote','needs_replacement','wrong_address'])[1 + floor(random() * 7)::int],
        'rep_conversation', ${now}::timestamptz - random() * interval '21 days'
      from ballot_electorate be cross join generate_series(1, ${copies}) g
      where random() < ${contacts / (entitled * copies)}`.execute(db);
    await sql`alter table turnout_self_reports enable trigger turnout_self_reports_activity`.execute(db);
    await sql`insert into turnout_activity_daily (union_id, ballot_id, day, kind, reports)
      select union_id, ballot_id, (recorded_at at time zone 'Europe/London')::date, kind, count(*)
      from turnout_self_reports group by 1, 2, 3, 4`.execute(db);
    await sql`analyze`.execute(db);
    const logged = Number(
      (await sql<{ n: string }>`select count(*) as n from turnout_self_reports`.execute(db)).rows[0]!.n,
    );
    const setupSeconds = (performance.now() - setupStart) / 1000;
    console.error(
      `set up ${constituencies} constituencies, ${entitled} entitled, ${logged} outcomes in ${round(setupSeconds)} s`,
    );

    const app = await buildApp({
      db,
      clock: fixedClock(NOW),
      secureCookies: false,
      webDir: null,
      logLevel: "silent",
    });
    await app.listen({ port: 0, host: "127.0.0.1" });
    const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
    const login = await fetch(`${base}/api/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "national@demo.mandate.test", password: BENCH_PASSWORD }),
    });
    if (!login.ok) throw new Error(`login failed: ${login.status} ${await login.text()}`);
    const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0]!;
    const csrf = ((await login.json()) as { csrfToken: string }).csrfToken;

    const ballotId = 1;
    const url = (q: string) => `${base}/api/ballots/${ballotId}/turnout/dashboard${q}`;
    // The first request computes every constituency's status: timed on its own.
    const coldStart = performance.now();
    const first = await fetch(url(""), { headers: { cookie } });
    if (!first.ok) throw new Error(`dashboard: ${first.status} ${await first.text()}`);
    const national = (await first.json()) as {
      summary: { constituencies: number };
      groups: Record<"regions" | "sectors" | "employers", { id: number }[]>;
    };
    const coldMs = performance.now() - coldStart;
    const dashboards = [url("")];
    for (const [level, list] of [
      ["region", national.groups.regions],
      ["sector", national.groups.sectors],
      ["employer", national.groups.employers.slice(0, 50)],
    ] as const)
      for (const g of list) dashboards.push(url(`?level=${level}&groupId=${g.id}`));
    const sample = await sql<{ ballot_id: number; member_id: number }>`
      select ballot_id, member_id from ballot_electorate tablesample system (1) limit 5000`.execute(db);
    const kinds = ["will_vote", "voted", "wont_vote"];
    const reports = sample.rows.map((r, i) => ({
      url: `${base}/api/ballots/${r.ballot_id}/turnout/reports`,
      body: { memberId: r.member_id, kind: kinds[i % kinds.length], source: "rep_conversation" },
    }));

    const load = (await new Promise((resolve, reject) => {
      const worker = new Worker(new URL("./turnout-load.mjs", import.meta.url), {
        workerData: { cookie, csrf, dashboards, reports, readers, writers, requests, warmup: 100 },
      });
      worker.once("message", resolve);
      worker.once("error", reject);
    })) as { readLatencies: number[]; writeLatencies: number[]; seconds: number };
    await app.close();
    const read = load.readLatencies.sort((a, b) => a - b);
    const write = load.writeLatencies.sort((a, b) => a - b);
    const dashboardP95 = percentile(read, 95);
    const logP95 = percentile(write, 95);
    return {
      backend: "postgres",
      members,
      constituencies: national.summary.constituencies,
      entitled,
      returns_days: 21,
      outcomes_logged: logged,
      setup_seconds: round(setupSeconds),
      copy_seconds: round(bench.copySeconds),
      readers,
      writers,
      dashboard_views: dashboards.length,
      dashboard_cold_ms: round(coldMs),
      dashboard_requests: read.length,
      dashboard_p50_ms: round(percentile(read, 50)),
      dashboard_p95_ms: round(dashboardP95),
      dashboard_p99_ms: round(percentile(read, 99)),
      log_outcome_requests: write.length,
      log_outcome_p50_ms: round(percentile(write, 50)),
      log_outcome_p95_ms: round(logP95),
      log_outcome_p99_ms: round(percentile(write, 99)),
      load_seconds: round(load.seconds),
      logged_through:
        "POST /api/ballots/:id/turnout/reports (members' own reports; no contacts table in this branch)",
      goal_dashboard_p95_ms: 100,
      goal_log_outcome_p95_ms: 50,
      goal_met: dashboardP95 < 100 && logP95 < 50,
    };
  } finally {
    await bench.dispose(values.keep);
  }
}
