/**
 * The verdict for each constituency and question of a report, through the law's own evaluation
 * (law/evaluate.ts): no threshold is restated here. Where the report leaves a figure out, the verdict
 * is given only if the figure cannot change it (votes cast missing but Yes + No + spoilt already meet
 * the turnout; No missing but Yes is a majority of every paper returned); otherwise it is null.
 *
 * votes_short: for each test that applies, the votes still needed for it to pass (0 when met; null
 * when the report's figures cannot tell), by the rule's own arithmetic:
 * - turnout: the votes needed (at least the threshold's share of those entitled) less the votes cast;
 * - majority: more Yes than No, so No - Yes + 1 more Yes answers;
 * - important_public_services_40: the Yes answers needed (40% of those entitled) less the Yes answers.
 */

import { evaluateBallot, type IsoDate, type QuestionKind, type TestName } from "../law/index.js";
import { AppError } from "../shared/errors.js";
import type { Problem } from "../shared/problems.js";
import type { Jurisdiction, Percent, ReportRow } from "./layout.js";
import { norm } from "./layout.js";

export interface ConstituencyVerdict {
  name: string;
  jurisdiction: Jurisdiction;
  entitled: number | null;
  votes_cast: number | null;
  yes: number | null;
  no: number | null;
  /** Null where the report's figures cannot decide it. */
  mandate: boolean | null;
  votes_short: Partial<Record<TestName, number | null>>;
}

export interface ResultsReport {
  questions: { question: string; constituencies: ConstituencyVerdict[] }[];
}

export interface VerdictOptions {
  openingDate: IsoDate;
  /** The union believes most of those entitled normally work in important public services (the 40% test). */
  importantPublicServices: boolean;
  walesDevolved?: boolean;
}

/** One row's verdict and shortfalls; problems for figures that cannot be true. */
export function verdictOf(
  row: ReportRow,
  options: VerdictOptions,
): { verdict: ConstituencyVerdict; problem: string | null; field: string; note?: string } {
  const base: ConstituencyVerdict = {
    name: row.name,
    jurisdiction: row.jurisdiction,
    entitled: row.entitled,
    votes_cast: row.votesCast,
    yes: row.yes,
    no: row.no,
    mandate: null,
    votes_short: {},
  };
  const kind: QuestionKind = row.kind ?? "strike";
  const law = {
    openingDate: options.openingDate,
    importantPublicServices: row.importantPublicServices ?? options.importantPublicServices,
    walesDevolved: options.walesDevolved === true,
    jurisdiction: row.jurisdiction,
  };
  // Which tests apply, whatever the figures: the law's own list.
  const applicable = evaluateBallot({
    ...law,
    entitled: 2,
    votesCast: 1,
    questions: [{ question: kind, yes: 1, no: 0 }],
  }).tests.map((t) => t.name);
  for (const name of applicable) base.votes_short[name] = null;
  const { yes, no, spoilt, entitled } = row;
  const run = (e: number, votesCast: number, y: number, n: number, sp: number | null) =>
    evaluateBallot({
      ...law,
      entitled: e,
      votesCast,
      questions: [{ question: kind, yes: y, no: n, spoilt: sp }],
    });
  const status: Partial<Record<TestName, boolean | null>> = {};
  for (const name of applicable) status[name] = null;
  let note: string | undefined;
  let votesKnown = false;

  if (yes !== null) {
    // Votes cast: given, or the sum of every paper if all parts are given; else a lower bound.
    votesKnown = row.votesCast !== null || (no !== null && spoilt !== null);
    const votesCast = row.votesCast ?? yes + (no ?? 0) + (spoilt ?? 0);
    if (row.votesCast === null && votesKnown) base.votes_cast = votesCast;
    // No: given, or at most what is left of the votes cast.
    const noFigure = no ?? votesCast - yes - (spoilt ?? 0);
    let spoiltFigure = no === null ? (spoilt ?? 0) : spoilt;
    // Fewer papers accounted for than returned: answers left blank on a two-question paper, which the
    // report does not count as spoilt. The rest of the papers are neither Yes nor No; said, not refused.
    if (no !== null && spoilt !== null && row.votesCast !== null && yes + no + spoilt < row.votesCast) {
      note = `${row.name}: Yes (${yes}) + No (${no}) + spoilt (${spoilt}) is less than the ${row.votesCast} votes cast; the other ${row.votesCast - yes - no - spoilt} papers are counted as neither Yes nor No.`;
      spoiltFigure = null;
    }
    let evaluation: ReturnType<typeof evaluateBallot>;
    try {
      evaluation = run(
        entitled ?? Math.max(votesCast, 1),
        votesCast,
        yes,
        Math.max(noFigure, 0),
        spoiltFigure,
      );
    } catch (e) {
      if (e instanceof AppError && e.code === "law.invalid_figures") {
        const field = /exceed/.test(e.message) ? "votes_cast" : /spoilt/.test(e.message) ? "spoilt" : "yes";
        return { verdict: base, problem: e.message, field };
      }
      throw e;
    }
    for (const test of evaluation.tests) {
      let met: boolean | null = test.met;
      let short: number | null = 0;
      if (test.name === "turnout") {
        if (entitled === null) met = null;
        else if (!test.met) met = votesKnown ? false : null;
        if (met === false) short = (test.figures.votesNeeded ?? 0) - votesCast;
      } else if (test.name === "important_public_services_40") {
        if (entitled === null) met = null;
        if (met === false) short = (test.figures.yesNeeded ?? 0) - yes;
      } else if (test.name === "majority") {
        // With No unknown, the test used the most No could be: a pass stands, a failure is unknown.
        if (!test.met && no === null) met = null;
        if (met === false) short = (test.figures.no ?? 0) - (test.figures.yes ?? 0) + 1;
      }
      status[test.name] = met;
      base.votes_short[test.name] = met === null ? null : short;
    }
  }

  // Percentages settle what the counts leave open, only where no rounding of the printed figure could
  // change the answer; the shortfall stays unknown (a percentage is not a count).
  const SCALE = 1_000_000;
  const range = (p: Percent) => [Math.max(0, p.value - p.half), Math.min(100, p.value + p.half)] as const;
  const countsIn = (whole: number, p: Percent): [number, number] => {
    const [low, high] = range(p);
    const lo = Math.ceil((whole * low) / 100 - 1e-9);
    const hi = Math.floor((whole * high) / 100 + 1e-9);
    return hi < lo ? [Math.round((whole * p.value) / 100), Math.round((whole * p.value) / 100)] : [lo, hi];
  };
  const testMet = (e: ReturnType<typeof evaluateBallot>, name: TestName) =>
    e.tests.find((t) => t.name === name)?.met;
  if (status.turnout === null && !votesKnown && row.turnoutPct) {
    const whole = entitled ?? SCALE;
    const [lo, hi] = countsIn(whole, row.turnoutPct);
    if (hi <= whole) {
      if (testMet(run(whole, lo, 0, 0, null), "turnout")) status.turnout = true;
      else if (!testMet(run(whole, hi, 0, 0, null), "turnout")) status.turnout = false;
      if (status.turnout === true) base.votes_short.turnout = 0;
    }
  }
  if (status.majority === null && row.yesPct) {
    const [yesLo, yesHi] = countsIn(SCALE, row.yesPct);
    // Whatever the base of the percentages, No is at most what Yes leaves.
    const [noLo, noHi] = row.noPct ? countsIn(SCALE, row.noPct) : [null, SCALE - yesLo];
    if (yesLo + noHi <= SCALE && testMet(run(SCALE, yesLo + noHi, yesLo, noHi, 0), "majority")) {
      status.majority = true;
      base.votes_short.majority = 0;
    } else if (
      noLo !== null &&
      yesHi + noLo <= SCALE &&
      !testMet(run(SCALE, yesHi + noLo, yesHi, noLo, 0), "majority")
    )
      status.majority = false;
  }

  const states = Object.values(status);
  base.mandate = states.includes(false) ? false : states.includes(null) ? null : true;
  return { verdict: base, problem: null, field: "", ...(note ? { note } : {}) };
}

/** The verdicts of every row, grouped by question in the report's order. */
export function reportVerdicts(
  rows: ReportRow[],
  options: VerdictOptions,
  file: string,
): { report: ResultsReport; problems: Problem[]; warnings: Problem[] } {
  const problems: Problem[] = [];
  const warnings: Problem[] = [];
  const questions = new Map<
    string,
    { question: string; constituencies: ConstituencyVerdict[]; seen: Map<string, string> }
  >();
  for (const row of rows) {
    const where = { file, line: row.line, ...(row.sheet ? { sheet: row.sheet } : {}) };
    let q = questions.get(row.questionKey);
    if (!q) {
      q = { question: row.question, constituencies: [], seen: new Map() };
      questions.set(row.questionKey, q);
    }
    const key = `${row.jurisdiction}|${norm(row.name)}`;
    const figures = JSON.stringify([row.entitled, row.votesCast, row.yes, row.no, row.spoilt]);
    const before = q.seen.get(key);
    // The same row again (a page break) is dropped; the same name with other figures (two schools of
    // one name in different authorities) is listed twice, and said.
    if (before === figures) continue;
    if (before !== undefined)
      warnings.push({
        ...where,
        field: "name",
        code: "constituency.repeated",
        message: `"${row.name}" is given twice for ${q.question || "the question"}, with different figures: both are listed.`,
      });
    q.seen.set(key, figures);
    const { verdict, problem, field, note } = verdictOf(row, options);
    if (note) warnings.push({ ...where, field: "spoilt", code: "figures.unaccounted", message: note });
    if (problem)
      problems.push({ ...where, field, code: "figures.inconsistent", message: `${row.name}: ${problem}` });
    else if (verdict.mandate === null) {
      const unknown = Object.entries(verdict.votes_short)
        .filter(([, v]) => v === null)
        .map(([k]) => k.replaceAll("_", " "));
      warnings.push({
        ...where,
        field:
          row.yes === null
            ? "yes"
            : row.entitled === null
              ? "entitled"
              : row.no === null
                ? "no"
                : "votes_cast",
        code: "figures.missing",
        message: `${row.name}: the report leaves out a count the ${unknown.join(" and ")} test${unknown.length > 1 ? "s need" : " needs"} (a percentage is not turned into a count, and decides a test only where no rounding could change it); no verdict.`,
      });
    }
    q.constituencies.push(verdict);
  }
  return {
    report: {
      questions: [...questions.values()].map((q) => ({
        question: q.question,
        constituencies: q.constituencies,
      })),
    },
    problems,
    warnings,
  };
}
