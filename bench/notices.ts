/**
 * Notices of ballot for one aggregated ballot across thousands of employers
 * on the PostgreSQL server: freezing the electorate, the pre-flight checks,
 * then every notice (PDF), its CSV annexes and the sample voting paper,
 * rendered and stored. Time and peak memory per phase.
 *
 *   npm run bench -- notices [--members 1220000] [--employers 5000] [--keep] [--lists-only]
 */
import { parseArgs } from "node:util";
import { sql } from "kysely";
import { generateBallotNotices } from "../src/ballots/documents.service.js";
import { freezeElectorate } from "../src/ballots/freeze.service.js";
import { preflight } from "../src/ballots/preflight.service.js";
import type { Ctx } from "../src/context.js";
import { fixedClock } from "../src/shared/clock.js";
import { BENCH_ACTOR, createAllEmployersBallot, createBenchDatabase } from "./bench-database.js";

const round = (n: number, d = 2) => Math.round(n * 10 ** d) / 10 ** d;

/** Runs a phase, sampling resident memory, and reports its seconds and peak. */
async function phase<T>(
  name: string,
  fn: () => Promise<T>,
): Promise<{ value: T; seconds: number; peakRssMb: number }> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 50);
  const start = performance.now();
  try {
    const value = await fn();
    const seconds = (performance.now() - start) / 1000;
    peak = Math.max(peak, process.memoryUsage().rss);
    console.error(`${name}: ${round(seconds)} s, peak ${Math.round(peak / 2 ** 20)} MB`);
    return { value, seconds, peakRssMb: Math.round(peak / 2 ** 20) };
  } finally {
    clearInterval(timer);
  }
}

export async function run(argv: string[]): Promise<Record<string, unknown>> {
  const { values } = parseArgs({
    args: argv,
    options: {
      members: { type: "string", default: "1220000" },
      employers: { type: "string", default: "5000" },
      keep: { type: "boolean", default: false },
      /** Notices in the form with figures and an explanation per employer (received before 18 February 2026). */
      "lists-only": { type: "boolean", default: false },
    },
  });
  const bench = await createBenchDatabase("notices", {
    members: Number(values.members),
    employers: Number(values.employers),
  });
  const { db } = bench.open;
  try {
    // The generated union has the defects real registers have; the notices are measured on
    // clean data, as they would be produced after the pre-flight fixes.
    console.error("clearing the generated data defects...");
    await sql`update workplaces set closed_on = null, headcount = null`.execute(db);
    await sql`update members m set workplace_id = (select min(w.id) from workplaces w where w.employer_id = m.employer_id)
      where m.workplace_id is null and m.employer_id is not null`.execute(db);
    await sql`update members set job_category = 'Administrative and clerical'
      where job_category is null or lower(trim(job_category)) in ('', 'other', 'staff', 'various', 'unknown', 'general', 'n/a')`.execute(
      db,
    );
    await sql`update members set address_line1 = '1 High Street', home_postcode = 'LS1 1AA'
      where address_line1 is null or home_postcode is null`.execute(db);
    await sql`update members set left_on = null, duplicate_group_id = null`.execute(db);
    await sql`analyze`.execute(db);

    const ctx: Ctx = { db, actor: BENCH_ACTOR, clock: fixedClock("2026-11-27T09:00:00Z") };
    const { ballotId } = await createAllEmployersBallot(ctx, {
      // One ballot, one jurisdiction (decisions/0013): the generated Northern Ireland employers are left out.
      employers: "great_britain",
      dispute: { title: "Pensions 2026", mattersInIssue: "Changes to the pension scheme." },
      ballot: {
        name: "All members in the pension scheme",
        questions: ["strike", "action_short_of_strike"],
        actionShortTypes: ["Overtime ban"],
      },
      statement: "Statutory statement as advised by the union's solicitors (benchmark wording).",
    });

    const freeze = await phase("freeze", () => freezeElectorate(ctx, ballotId));
    const checks = await phase("preflight", () => preflight(ctx, ballotId));
    if (checks.value.blocking) {
      throw new Error(
        `pre-flight blocks: ${checks.value.checks
          .filter((c) => c.count > 0)
          .map((c) => `${c.code} ${c.count}`)
          .join(", ")}`,
      );
    }
    // The heaviest form by default: a notice received before 18 February 2026 carries each employer's
    // figures and the explanation of them, with that employer's own exclusions (s.226A(2)(c)(i)).
    const noticeCtx = values["lists-only"] ? ctx : { ...ctx, clock: fixedClock("2026-01-12T09:00:00Z") };
    await db
      .insertInto("union_settings")
      .values({
        union_id: 1,
        letter_name: "Benchmark Union",
        address: "Union House\n1 Example Street\nLondon WC1A 1AA",
        contact: "ballots@union.example",
        signatory_name: "Sam Taylor",
        signatory_title: "General Secretary",
        updated_at: new Date("2026-01-01T00:00:00Z"),
      })
      .onConflict((oc) => oc.column("union_id").doNothing())
      .execute();
    const notices = await phase("notices", () => generateBallotNotices(noticeCtx, ballotId));
    const docs = notices.value;
    const annexes = docs.filter((d) => d.kind === "ballot_notice_annex").length;
    return {
      backend: "postgres",
      members: freeze.value.entitled,
      members_listed: freeze.value.entitled + freeze.value.excluded,
      employers: docs.filter((d) => d.kind === "ballot_notice").length,
      workplaces: bench.demo.workplaces.length,
      documents: docs.length,
      annexes,
      bytes: docs.reduce((s, d) => s + d.bytes, 0),
      copy_seconds: round(bench.copySeconds),
      freeze_seconds: round(freeze.seconds),
      freeze_peak_rss_mb: freeze.peakRssMb,
      preflight_seconds: round(checks.seconds),
      seconds: round(notices.seconds),
      notices_per_second: round(docs.filter((d) => d.kind === "ballot_notice").length / notices.seconds, 1),
      peak_rss_mb: Math.max(freeze.peakRssMb, checks.peakRssMb, notices.peakRssMb),
      form: values["lists-only"] ? "lists_total" : "lists_figures_explanation",
      goal_seconds: 60,
      goal_met: notices.seconds < 60,
    };
  } finally {
    await bench.dispose(values.keep);
  }
}
