/**
 * The National Disputes Unit board on the PostgreSQL server: one installation with 25 unions (tenants) in
 * one coalition; the benchmark's union runs a national dispute of 5,000 constituencies (one per employer,
 * frozen electorates, three weeks of returns); the 24 others each have a ballot linked to the coalition
 * and have published their aggregates (24 regions each). 500 national officers watch the board:
 *
 * 1. viewers as the page behaves: each loads the board, then asks again every 60 seconds (the page's
 *    interval) with If-None-Match, for 130 seconds (so the kept figures go stale and are recomputed twice
 *    behind the readers);
 * 2. saturation: the same 500 clients in a closed loop, no think time, no entity tag (the full board each
 *    time).
 *
 *   npm run bench -- board                 options: --members 200000 --constituencies 5000 --unions 25
 *                                          --viewers 500 --interval 60 --seconds 130 --requests 20000 --keep
 */
import os from "node:os";
import { parseArgs } from "node:util";
import { Worker } from "node:worker_threads";
import { sql } from "kysely";
import { BOARD_MAX_AGE_SECONDS } from "../src/board/board.service.js";
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
const NOW = "2026-12-07T12:00:00Z";
const DAY_OF_ACTION = "2027-01-12";

export async function run(argv: string[]): Promise<Record<string, unknown>> {
  const { values } = parseArgs({
    args: argv,
    options: {
      members: { type: "string", default: "200000" },
      constituencies: { type: "string", default: "5000" },
      unions: { type: "string", default: "25" },
      viewers: { type: "string", default: "500" },
      interval: { type: "string", default: String(BOARD_MAX_AGE_SECONDS) },
      seconds: { type: "string", default: "130" },
      requests: { type: "string", default: "20000" },
      keep: { type: "boolean", default: false },
    },
  });
  const members = Number(values.members);
  const constituencies = Number(values.constituencies);
  const unions = Number(values.unions);
  const viewers = Number(values.viewers);
  // More employers than constituencies: those with no active member or in Northern Ireland are left out
  // of the dispute, and the first `constituencies` of the rest make it.
  const bench = await createBenchDatabase("board", {
    members,
    employers: Math.ceil(constituencies * 1.3),
    poolSize: 30,
  });
  const { db } = bench.open;
  try {
    const setupStart = performance.now();
    const now = new Date(NOW);
    // The union's national dispute, as the turnout benchmark sets it up (written directly).
    await sql`insert into disputes (union_id, title, matters_in_issue, created_at, updated_at)
      values (1, 'National pay 2026', 'Pay.', ${now}, ${now})`.execute(db);
    await sql`insert into dispute_employers (dispute_id, employer_id)
      select 1, e.id from employers e where e.union_id = 1 and coalesce(e.nation, '') <> 'northern_ireland'
        and exists (select 1 from members m where m.employer_id = e.id and m.status = 'active')
      order by e.id limit ${constituencies}`.execute(db);
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
    await sql`insert into turnout_returns (union_id, ballot_id, as_of, papers_returned, source, recorded_at)
      select 1, b.id, ${OPENING}::date + d, floor(b.electorate_entitled * (0.35 + 0.3 * ((b.id * 7919) % 101) / 100.0)
        * (1 - power(1 - (d + 1) / 29.0, 2.5)))::int, 'scrutineer_csv', ${now}
      from ballots b cross join generate_series(0, 20) d where b.electorate_entitled > 0`.execute(db);

    // The coalition, coordinated here, with the union and 24 tenants, all agreed.
    await sql`insert into coalitions (union_id, kind, name, coordinator_name, days_of_action, created_at)
      values (1, 'coordinated', 'National pay coalition', 'Bench union', ${sql.raw(`array['${DAY_OF_ACTION}']::date[]`)}, ${now})`.execute(
      db,
    );
    await sql`insert into coalition_members (coalition_id, key, name, local_union_id, state, agreed_at, added_at)
      values (1, 'bench', 'Bench union', 1, 'agreed', ${now}, ${now})`.execute(db);
    await sql`insert into coalition_ballots (coalition_id, union_id, ballot_id) values (1, 1, 1)`.execute(db);
    const regions = Array.from({ length: 24 }, (_, r) => `Region ${r + 1}`);
    for (let u = 2; u <= unions; u++) {
      const id = Number(
        (
          await sql<{
            id: number;
          }>`insert into unions (slug, name) values (${`union-${u}`}, ${`Union ${u}`}) returning id`.execute(
            db,
          )
        ).rows[0]!.id,
      );
      const dispute = (
        await sql<{
          id: number;
        }>`insert into disputes (union_id, title, matters_in_issue, created_at, updated_at)
          values (${id}, 'Pay', 'Pay.', ${now}, ${now}) returning id`.execute(db)
      ).rows[0]!.id;
      // Some close after the day of action's notice would be due: the timetable shows conflicts.
      const closing = u % 5 === 0 ? "2027-01-08" : `2026-12-${String(8 + (u % 12)).padStart(2, "0")}`;
      const ballot = (
        await sql<{
          id: number;
        }>`insert into ballots (union_id, dispute_id, name, kind, questions, opening_date, closing_date,
            state, created_at, updated_at)
          values (${id}, ${dispute}, ${`Union ${u} pay ballot`}, 'workplace', array['strike'], ${OPENING}, ${closing}, 'open', ${now}, ${now})
          returning id`.execute(db)
      ).rows[0]!.id;
      const member = (
        await sql<{
          id: number;
        }>`insert into coalition_members (coalition_id, key, name, local_union_id, state, agreed_at, added_at)
          values (1, ${`u${u}`}, ${`Union ${u}`}, ${id}, 'agreed', ${now}, ${now}) returning id`.execute(db)
      ).rows[0]!.id;
      await sql`insert into coalition_ballots (coalition_id, union_id, ballot_id) values (1, ${id}, ${ballot})`.execute(
        db,
      );
      const cells = regions.map((label, r) => {
        const entitled = 1000 + ((u * 37 + r * 101) % 4000);
        const returned = Math.round((entitled * (0.3 + ((u + r) % 40) / 100)) / 5) * 5;
        return {
          key: `r${r}`,
          label,
          entitled: Math.round(entitled / 5) * 5,
          returned,
          turnout: Math.round((returned / entitled) * 100),
          yesShare: null,
          mandate: "pending",
        };
      });
      const entitled = cells.reduce((n, c) => n + c.entitled, 0);
      const returned = cells.reduce((n, c) => n + c.returned, 0);
      const totals = {
        entitled,
        returned,
        turnout: Math.round((returned / entitled) * 100),
        suppressedCells: 0,
      };
      const report = {
        version: 1,
        coalitionId: 1,
        union: `u${u}`,
        sequence: 1,
        asOf: "2026-12-07",
        issuedAt: NOW,
        timetable: [],
        release: {
          breakdowns: { employer: [], sector: [], region: cells },
          totals: { employer: totals, sector: totals, region: totals },
        },
      };
      await sql`insert into coalition_reports (coalition_id, member_id, sequence, as_of, issued_at, source, trigger, payload, received_at)
        values (1, ${member}, 1, '2026-12-07', ${now}, 'local', 'hand', ${JSON.stringify(report)}, ${now})`.execute(
        db,
      );
      await sql`update coalition_members set last_sequence = 1 where id = ${member}`.execute(db);
    }
    await sql`analyze`.execute(db);
    const setupSeconds = (performance.now() - setupStart) / 1000;
    console.error(`set up ${constituencies} constituencies and ${unions} unions in ${round(setupSeconds)} s`);

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
      const login = await fetch(`${base}/api/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: "national@demo.mandate.test", password: BENCH_PASSWORD }),
      });
      if (!login.ok) throw new Error(`login failed: ${login.status} ${await login.text()}`);
      const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0]!;
      const url = `${base}/api/board`;
      const coldStart = performance.now();
      const first = await fetch(url, { headers: { cookie } });
      if (!first.ok) throw new Error(`board: ${first.status} ${await first.text()}`);
      const board = (await first.json()) as {
        disputes: { national: { constituencies: number } }[];
        coalitions: { partners: unknown[]; timetable: { conflicts: unknown[] } }[];
      };
      const coldMs = performance.now() - coldStart;
      const bytes = Number(first.headers.get("content-length") ?? 0);
      const load1 = os.loadavg()[0]!;
      const load = (await new Promise((resolve, reject) => {
        const worker = new Worker(new URL("./board-load.mjs", import.meta.url), {
          workerData: {
            cookie,
            url,
            viewers,
            intervalMs: Number(values.interval) * 1000,
            seconds: Number(values.seconds),
            requests: Number(values.requests),
          },
        });
        worker.once("message", resolve);
        worker.once("error", reject);
      })) as {
        viewerLatencies: number[];
        viewerNotModified: number;
        viewerSeconds: number;
        saturationLatencies: number[];
        saturationSeconds: number;
      };
      const v = load.viewerLatencies.sort((a, b) => a - b);
      const s = load.saturationLatencies.sort((a, b) => a - b);
      const p95 = percentile(v, 95);
      return {
        backend: "postgres",
        members,
        constituencies: board.disputes[0]?.national.constituencies ?? 0,
        unions,
        partners_published: board.coalitions[0]?.partners.length ?? 0,
        timetable_conflicts: board.coalitions[0]?.timetable.conflicts.length ?? 0,
        board_bytes: bytes,
        setup_seconds: round(setupSeconds),
        cold_ms: round(coldMs),
        kept_seconds: BOARD_MAX_AGE_SECONDS,
        load_average_before: round(load1),
        load_average_after: round(os.loadavg()[0]!),
        viewers,
        refresh_seconds: Number(values.interval),
        // The headline: viewers as the page behaves.
        requests: v.length,
        per_second: round(v.length / load.viewerSeconds, 1),
        not_modified: load.viewerNotModified,
        p50_ms: round(percentile(v, 50)),
        p95_ms: round(p95),
        p99_ms: round(percentile(v, 99)),
        max_ms: round(v[v.length - 1] ?? 0),
        saturation: {
          clients: viewers,
          think_time_ms: 0,
          if_none_match: false,
          requests: s.length,
          per_second: round(s.length / load.saturationSeconds, 0),
          p50_ms: round(percentile(s, 50)),
          p95_ms: round(percentile(s, 95)),
          p99_ms: round(percentile(s, 99)),
        },
        goal_p95_ms: 100,
        goal_met: p95 < 100,
      };
    } finally {
      await app.close();
    }
  } finally {
    await bench.dispose(values.keep);
  }
}
