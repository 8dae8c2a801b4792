/**
 * Contact lists at size on the PostgreSQL server: a union of 200,000 members, one ballot over its
 * employers, its electorate frozen, and 2 million contacts already logged. Then a rep of the busiest
 * workplace logs contacts one after another (one in five carrying the member's report, which goes
 * through turnout's own-report path), each timed end to end through the service (permission, scope,
 * insert, audit, commit); and reads the first page of their list, timed the same way.
 *
 *   npm run bench -- canvass [--members 200000] [--employers 500] [--contacts 2000000] [--logs 1000] [--keep]
 */
import { parseArgs } from "node:util";
import { sql } from "kysely";
import type { Actor } from "../src/auth/permissions.js";
import { freezeElectorate } from "../src/ballots/freeze.service.js";
import { contactList, logContact } from "../src/canvass/canvass.service.js";
import type { Ctx } from "../src/context.js";
import { fixedClock } from "../src/shared/clock.js";
import { BENCH_ACTOR, createAllEmployersBallot, createBenchDatabase } from "./bench-database.js";

const round = (n: number, d = 2) => Math.round(n * 10 ** d) / 10 ** d;
const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;

export async function run(argv: string[]): Promise<Record<string, unknown>> {
  const { values } = parseArgs({
    args: argv,
    options: {
      members: { type: "string", default: "200000" },
      employers: { type: "string", default: "500" },
      contacts: { type: "string", default: "2000000" },
      logs: { type: "string", default: "1000" },
      keep: { type: "boolean", default: false },
    },
  });
  const bench = await createBenchDatabase("canvass", {
    members: Number(values.members),
    employers: Number(values.employers),
  });
  const { db } = bench.open;
  try {
    const setup: Ctx = { db, actor: BENCH_ACTOR, clock: fixedClock("2026-11-27T09:00:00Z") };
    const { ballotId } = await createAllEmployersBallot(setup, {
      employers: "great_britain",
      dispute: { title: "Pay 2026", mattersInIssue: "Pay." },
      ballot: { name: "All members", questions: ["strike"], actionShortTypes: [] },
      statement: "Statutory statement as advised by the union's solicitors.",
    });
    console.error("freezing the electorate...");
    await freezeElectorate(setup, ballotId);

    const contacts = Number(values.contacts);
    console.error(`logging ${contacts.toLocaleString("en-GB")} contacts in bulk...`);
    const fillStart = performance.now();
    await sql`insert into canvass_contacts (union_id, ballot_id, member_id, workplace_id, rep_user_id,
        contact_type, outcome, occurred_at)
      select 1, e.ballot_id, e.member_id, e.workplace_id, null,
        (array['conversation','phone','text','email'])[1 + (g + e.member_id) % 4],
        (array['reached','not_in','wrong_number','refused','moved'])[1 + (g * 7 + e.member_id) % 5],
        timestamptz '2026-12-14 08:00:00+00' + ((g * 100003 + e.member_id) % 500000) * interval '1 second'
      from ballot_electorate e cross join generate_series(1, ceil(${contacts}::numeric /
        (select count(*) from ballot_electorate where ballot_id = ${ballotId} and included))::int) g
      where e.ballot_id = ${ballotId} and e.included
      limit ${contacts}`.execute(db);
    await sql`analyze`.execute(db);
    const fillSeconds = (performance.now() - fillStart) / 1000;

    const busiest = await db
      .selectFrom("ballot_electorate")
      .select(["workplace_id", (eb) => eb.fn.countAll<string>().as("n")])
      .where("ballot_id", "=", ballotId)
      .where("included", "=", true)
      .where("workplace_id", "is not", null)
      .groupBy("workplace_id")
      .orderBy(sql`count(*)`, "desc")
      .limit(1)
      .executeTakeFirstOrThrow();
    const workplaceId = busiest.workplace_id!;
    const rep: Actor = { ...BENCH_ACTOR, role: "rep", label: "bench-rep", workplaceIds: [workplaceId] };
    const ctx: Ctx = { db, actor: rep, clock: fixedClock("2026-12-20T10:00:00Z") };
    const members = (
      await db
        .selectFrom("ballot_electorate")
        .innerJoin("members", "members.id", "ballot_electorate.member_id")
        .select("member_id")
        .where("ballot_id", "=", ballotId)
        .where("included", "=", true)
        .where("members.workplace_id", "=", workplaceId)
        .execute()
    ).map((m) => m.member_id);

    const logs = Number(values.logs);
    const logTimes: number[] = [];
    for (let i = 0; i < logs; i++) {
      const memberId = members[i % members.length]!;
      const start = performance.now();
      await logContact(ctx, ballotId, {
        memberId,
        contactType: "phone",
        outcome: i % 5 === 0 ? "reached" : "not_in",
        ...(i % 5 === 0 ? { report: i % 10 === 0 ? ("voted" as const) : ("will_vote" as const) } : {}),
      });
      logTimes.push(performance.now() - start);
    }
    const listTimes: number[] = [];
    for (let i = 0; i < 100; i++) {
      const start = performance.now();
      await contactList(ctx, ballotId, { page: 1 + (i % 3), pageSize: 50 });
      listTimes.push(performance.now() - start);
    }
    logTimes.sort((a, b) => a - b);
    listTimes.sort((a, b) => a - b);
    const total = await sql<{ n: string }>`select count(*) as n from canvass_contacts`.execute(db);
    const figures = {
      backend: "postgres",
      members: Number(values.members),
      contacts_in_table: Number(total.rows[0]?.n),
      bulk_fill_seconds: round(fillSeconds),
      workplace_electorate: Number(busiest.n),
      logs,
      log_ms_p50: round(quantile(logTimes, 0.5)),
      log_ms_p95: round(quantile(logTimes, 0.95)),
      log_ms_p99: round(quantile(logTimes, 0.99)),
      list_page_ms_p50: round(quantile(listTimes, 0.5)),
      list_page_ms_p95: round(quantile(listTimes, 0.95)),
      goal_log_ms_p95: 50,
      goal_met: quantile(logTimes, 0.95) < 50,
    };
    console.error(JSON.stringify(figures));
    return figures;
  } finally {
    await bench.dispose(values.keep);
  }
}
