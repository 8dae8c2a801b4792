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
import { type Kysely, sql } from "kysely";
import { createUser } from "../src/auth/users.service.js";
import type { Database } from "../src/db/database.js";
import { buildApp } from "../src/http/app.js";
import { fixedClock } from "../src/shared/clock.js";
import { BENCH_ACTOR, BENCH_PASSWORD, createBenchDatabase } from "./bench-database.js";

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
    // The logged contacts, spread over the three weeks, one in five carrying what the member said about
    // their vote (their own report, linked as logContact links it); the daily counts filled once, as the
    // migrations do.
    const copies = Math.max(1, Math.ceil(contacts / entitled));
    // A plain table, not a temporary one: the statements below may each run on another pooled connection.
    await sql`create unlogged table bench_contacts as
      select row_number() over () as n, be.ballot_id, be.member_id, be.workplace_id,
        ${now}::timestamptz - random() * interval '21 days' as occurred_at,
        (array['conversation','phone','text','email'])[1 + floor(random() * 4)::int] as contact_type,
        random() < 0.2 as reached
      from ballot_electorate be cross join generate_series(1, ${copies}) g
      where random() < ${contacts / (entitled * copies)}`.execute(db);
    await sql`alter table turnout_self_reports disable trigger turnout_self_reports_activity`.execute(db);
    await sql`alter table canvass_contacts disable trigger canvass_contacts_activity`.execute(db);
    await sql`insert into turnout_self_reports (id, union_id, ballot_id, member_id, kind, source, recorded_at)
      overriding system value
      select n, 1, ballot_id, member_id,
        (array['will_vote','will_vote','voted','voted','wont_vote','needs_replacement','wrong_address'])[1 + floor(random() * 7)::int],
        'rep_conversation', occurred_at
      from bench_contacts where reached`.execute(db);
    await sql`select setval(pg_get_serial_sequence('turnout_self_reports', 'id'), (select max(id) from turnout_self_reports))`.execute(
      db,
    );
    await sql`insert into canvass_contacts (union_id, ballot_id, member_id, workplace_id, rep_user_id, contact_type,
        outcome, report_id, occurred_at)
      select 1, ballot_id, member_id, workplace_id, null, contact_type,
        case when reached then 'reached' else (array['not_in','not_in','wrong_number','refused'])[1 + floor(random() * 4)::int] end,
        case when reached then n end, occurred_at
      from bench_contacts order by n`.execute(db);
    await sql`alter table turnout_self_reports enable trigger turnout_self_reports_activity`.execute(db);
    await sql`alter table canvass_contacts enable trigger canvass_contacts_activity`.execute(db);
    await sql`insert into turnout_activity_daily (union_id, ballot_id, day, kind, reports)
      select union_id, ballot_id, (recorded_at at time zone 'Europe/London')::date, kind, count(*)
      from turnout_self_reports group by 1, 2, 3, 4
      union all
      select union_id, ballot_id, (occurred_at at time zone 'Europe/London')::date, 'contact', count(*)
      from canvass_contacts group by 1, 2, 3`.execute(db);
    await sql`drop table bench_contacts`.execute(db);
    await sql`analyze`.execute(db);
    const logged = Number(
      (await sql<{ n: string }>`select count(*) as n from canvass_contacts`.execute(db)).rows[0]!.n,
    );
    const setupSeconds = (performance.now() - setupStart) / 1000;
    console.error(
      `set up ${constituencies} constituencies, ${entitled} entitled, ${logged} outcomes in ${round(setupSeconds)} s`,
    );

    const load = await measure(db, { readers, writers, requests });
    return {
      backend: "postgres",
      members,
      constituencies: load.constituencies,
      entitled,
      returns_days: 21,
      contacts_logged: logged,
      setup_seconds: round(setupSeconds),
      copy_seconds: round(bench.copySeconds),
      ...load.figures,
    };
  } finally {
    await bench.dispose(values.keep);
  }
}

export interface LoadOptions {
  readers: number;
  writers: number;
  requests: number;
}

/**
 * The load over a database set up as above: the server in this process, the clients on their own thread.
 * Readers (the national officer) ask for the dashboards in turn; each writer is a rep of one of the busiest
 * workplaces logging contacts with its members through the contact list's route, one in five carrying the
 * member's report, as the phone screen sends them.
 */
export async function measure(
  db: Kysely<Database>,
  options: LoadOptions,
): Promise<{ constituencies: number; figures: Record<string, unknown> }> {
  const { readers, writers, requests } = options;
  const app = await buildApp({
    db,
    clock: fixedClock(NOW),
    secureCookies: false,
    webDir: null,
    logLevel: (process.env.MANDATE_BENCH_LOG as "error" | undefined) ?? "silent",
  });
  await app.listen({ port: 0, host: "127.0.0.1" });
  try {
    const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
    const signIn = async (email: string) => {
      const login = await fetch(`${base}/api/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email, password: BENCH_PASSWORD }),
      });
      if (!login.ok) throw new Error(`login failed: ${login.status} ${await login.text()}`);
      const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0]!;
      return { cookie, csrf: ((await login.json()) as { csrfToken: string }).csrfToken };
    };
    const { cookie } = await signIn("national@demo.mandate.test");

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

    // One rep per writer, each of one of the busiest workplaces, signed in as reps are.
    const busiest = await sql<{ workplace_id: number; ballot_id: number }>`
      select workplace_id, min(ballot_id) as ballot_id from ballot_electorate
      where workplace_id is not null and included group by workplace_id order by count(*) desc, workplace_id
      limit ${writers}`.execute(db);
    const outcomes = ["not_in", "not_in", "wrong_number", "reached", "refused"];
    const reports = ["will_vote", "voted", "wont_vote"];
    const writerSessions: { cookie: string; csrf: string; url: string; bodies: object[] }[] = [];
    for (const [i, w] of busiest.rows.entries()) {
      const email = `bench-rep-${w.workplace_id}@demo.mandate.test`;
      const exists = await db.selectFrom("users").select("id").where("email", "=", email).executeTakeFirst();
      if (!exists)
        await createUser(
          { db, actor: BENCH_ACTOR, clock: fixedClock(NOW) },
          {
            email,
            displayName: `Bench rep ${i + 1}`,
            role: "rep",
            password: BENCH_PASSWORD,
            regionCodes: [],
            sectorCodes: [],
            workplaceIds: [w.workplace_id],
            workplaceCodes: [],
          },
        );
      const session = await signIn(email);
      const members = await sql<{ member_id: number }>`
        select e.member_id from ballot_electorate e join members m on m.id = e.member_id
        where e.ballot_id = ${w.ballot_id} and e.included and m.workplace_id = ${w.workplace_id}
        order by e.member_id limit 500`.execute(db);
      writerSessions.push({
        ...session,
        url: `${base}/api/ballots/${w.ballot_id}/canvass/contacts`,
        bodies: members.rows.map((m, j) => {
          const outcome = outcomes[j % outcomes.length]!;
          return {
            memberId: m.member_id,
            contactType: j % 2 ? "phone" : "conversation",
            outcome,
            ...(outcome === "reached" ? { report: reports[j % reports.length] } : {}),
          };
        }),
      });
    }

    const load = (await new Promise((resolve, reject) => {
      const worker = new Worker(new URL("./turnout-load.mjs", import.meta.url), {
        workerData: { cookie, dashboards, writerSessions, readers, requests, warmup: 100 },
      });
      worker.once("message", resolve);
      worker.once("error", reject);
    })) as { readLatencies: number[]; writeLatencies: number[]; notModified: number; seconds: number };
    const read = load.readLatencies.sort((a, b) => a - b);
    const write = load.writeLatencies.sort((a, b) => a - b);
    const dashboardP95 = percentile(read, 95);
    const logP95 = percentile(write, 95);
    return {
      constituencies: national.summary.constituencies,
      figures: {
        readers,
        writers: writerSessions.length,
        dashboard_views: dashboards.length,
        dashboard_cold_ms: round(coldMs),
        dashboard_requests: read.length,
        dashboard_per_second: round(read.length / load.seconds, 0),
        dashboard_not_modified: load.notModified,
        dashboard_p50_ms: round(percentile(read, 50)),
        dashboard_p95_ms: round(dashboardP95),
        dashboard_p99_ms: round(percentile(read, 99)),
        log_outcome_requests: write.length,
        log_outcome_p50_ms: round(percentile(write, 50)),
        log_outcome_p95_ms: round(logP95),
        log_outcome_p99_ms: round(percentile(write, 99)),
        load_seconds: round(load.seconds),
        logged_through:
          "POST /api/ballots/:id/canvass/contacts (reps of the busiest workplaces; one in five with the member's report)",
        goal_dashboard_p95_ms: 100,
        goal_log_outcome_p95_ms: 50,
        goal_met: dashboardP95 < 100 && logP95 < 50,
      },
    };
  } finally {
    await app.close();
  }
}
