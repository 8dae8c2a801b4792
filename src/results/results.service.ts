/**
 * A dispute's results from one published report: each constituency of the report matched by name to
 * one of the dispute's ballots (after folding case, punctuation, "&" and a leading "The"; never by
 * likeness), then every matched ballot's result recorded through the ballots' own recordResult, all in
 * one transaction. Any name that matches no ballot, or more than one, refuses the whole file with the
 * names listed.
 */
import { authorize } from "../auth/index.js";
import { getBallot, getDispute, recordResult } from "../ballots/index.js";
import type { Ctx } from "../context.js";
import { withTx } from "../db/tx.js";
import type { QuestionKind } from "../law/index.js";
import { AppError } from "../shared/errors.js";
import { formatProblem, type Problem } from "../shared/problems.js";
import type { ReportRow } from "./layout.js";
import { readReportRows, refuse } from "./report.js";
import type { ImportResultsDto } from "./results.model.js";

/** A constituency's name as compared: case, punctuation, "&"/"and" and a leading "The" do not count. */
export function matchKey(name: string): string {
  return name
    .toLowerCase()
    .replace(/&/g, " and ")
    .replace(/[\u2018\u2019'`]/g, "")
    .replace(/[^a-z0-9]+/g, " ")
    .trim()
    .replace(/^the /, "");
}

export interface Match {
  matched: { ballotId: number; ballotName: string; reportName: string }[];
  unmatched: string[];
  ambiguous: { reportName: string; ballots: string[] }[];
}

/** Pure: each report name to the one ballot of the same name. */
export function matchConstituencies(reportNames: string[], ballots: { id: number; name: string }[]): Match {
  const byKey = new Map<string, { id: number; name: string }[]>();
  for (const b of ballots) byKey.set(matchKey(b.name), [...(byKey.get(matchKey(b.name)) ?? []), b]);
  const out: Match = { matched: [], unmatched: [], ambiguous: [] };
  for (const reportName of reportNames) {
    const found = byKey.get(matchKey(reportName)) ?? [];
    if (found.length === 0) out.unmatched.push(reportName);
    else if (found.length > 1) out.ambiguous.push({ reportName, ballots: found.map((b) => b.name) });
    else out.matched.push({ ballotId: found[0]!.id, ballotName: found[0]!.name, reportName });
  }
  const twice = new Map<number, string[]>();
  for (const m of out.matched) twice.set(m.ballotId, [...(twice.get(m.ballotId) ?? []), m.reportName]);
  for (const [, names] of twice) {
    if (names.length > 1) {
      out.matched = out.matched.filter((m) => !names.includes(m.reportName));
      for (const n of names) out.ambiguous.push({ reportName: n, ballots: names });
    }
  }
  return out;
}

export async function importDisputeResults(
  ctx: Ctx,
  disputeId: number,
  input: { filename: string; bytes: Uint8Array; declaredOn: string },
): Promise<ImportResultsDto> {
  authorize(ctx.actor, "ballots.results");
  const dispute = await getDispute(ctx, disputeId);
  const { rows, warnings } = await readReportRows(input.bytes, input.filename);
  // The report's constituencies, the same name however written taken as one.
  const byName = new Map<string, ReportRow[]>();
  for (const r of rows) {
    const same = [...byName.keys()].find((n) => matchKey(n) === matchKey(r.name)) ?? r.name;
    byName.set(same, [...(byName.get(same) ?? []), r]);
  }
  const match = matchConstituencies([...byName.keys()], dispute.ballots);
  if (match.unmatched.length || match.ambiguous.length) {
    const parts = [
      match.unmatched.length
        ? `no ballot of the dispute is named ${match.unmatched.map((n) => `"${n}"`).join(", ")}`
        : "",
      ...match.ambiguous.map(
        (a) => `"${a.reportName}" matches more than one ballot (${a.ballots.join(", ")})`,
      ),
    ].filter(Boolean);
    throw new AppError("results.unmatched", `Nothing recorded: ${parts.join("; ")}.`, {
      unmatched: match.unmatched,
      ambiguous: match.ambiguous,
      ballots: dispute.ballots.map((b) => b.name),
    });
  }
  const problems: Problem[] = [];
  const notes = warnings.map(formatProblem);
  const plans: {
    ballotId: number;
    name: string;
    reportName: string;
    votesCast: number;
    questions: { question: QuestionKind; yes: number; no: number; spoilt: number | null }[];
  }[] = [];
  for (const m of match.matched) {
    const ballot = await getBallot(ctx, m.ballotId);
    const mine = byName.get(m.reportName)!;
    const at = (r: ReportRow, field: string, message: string, code = "figures.missing") =>
      problems.push({
        file: input.filename,
        line: r.line,
        field,
        code,
        message: `${r.name}: ${message}`,
        ...(r.sheet ? { sheet: r.sheet } : {}),
      });
    const figures = (r: ReportRow) => JSON.stringify([r.entitled, r.votesCast, r.yes, r.no, r.spoilt]);
    for (const [i, r] of mine.entries()) {
      const twin = mine
        .slice(0, i)
        .find((x) => x.questionKey === r.questionKey && x.jurisdiction === r.jurisdiction);
      if (twin && figures(twin) !== figures(r))
        at(
          r,
          "name",
          "the constituency is given twice for one question, with different figures.",
          "constituency.repeated",
        );
    }
    const questions: (typeof plans)[number]["questions"] = [];
    const votes = new Set<number>();
    for (const kind of ballot.questions) {
      // The report's row for this question: by its kind, or the report's only question for a one-question ballot.
      const r =
        mine.find((x) => x.kind === kind) ??
        (mine.length === 1 && ballot.questions.length === 1 && mine[0]!.kind === null ? mine[0] : undefined);
      if (!r) {
        at(
          mine[0]!,
          "question",
          `the report gives no result for the ${kind.replaceAll("_", " ")} question this ballot asked.`,
          "question.missing",
        );
        continue;
      }
      const votesCast =
        r.votesCast ??
        (r.no !== null && r.spoilt !== null && r.yes !== null ? r.yes + r.no + r.spoilt : null);
      if (r.yes === null || r.no === null || votesCast === null) {
        at(
          r,
          r.yes === null ? "yes" : r.no === null ? "no" : "votes_cast",
          "the report does not give this count (a percentage is not a count).",
        );
        continue;
      }
      const accounted = r.yes + r.no + (r.spoilt ?? 0);
      if (accounted > votesCast) {
        at(
          r,
          "votes_cast",
          `Yes + No${r.spoilt === null ? "" : " + spoilt"} (${accounted}) is more than the ${votesCast} votes cast.`,
          "figures.inconsistent",
        );
        continue;
      }
      // Papers neither Yes, No nor spoilt (the question left blank): counted as neither, and said.
      const blank = r.spoilt !== null && accounted < votesCast;
      if (blank)
        notes.push(
          `${m.reportName}: ${votesCast - accounted} papers are neither Yes, No nor spoilt for the ${kind.replaceAll("_", " ")} question; counted as neither.`,
        );
      votes.add(votesCast);
      questions.push({ question: kind, yes: r.yes, no: r.no, spoilt: blank ? null : r.spoilt });
      const entitled = dispute.ballots.find((b) => b.id === m.ballotId)?.entitled ?? null;
      if (r.entitled !== null && entitled !== null && r.entitled !== entitled)
        notes.push(
          `${m.reportName}: the report says ${r.entitled} entitled to vote; the ballot's electorate is ${entitled}, which the verdict uses.`,
        );
    }
    if (votes.size > 1)
      at(
        mine[0]!,
        "votes_cast",
        "the report gives different votes cast for the questions of one ballot.",
        "votes_cast.differs",
      );
    if (questions.length === ballot.questions.length && votes.size === 1)
      plans.push({
        ballotId: m.ballotId,
        name: m.ballotName,
        reportName: m.reportName,
        votesCast: [...votes][0]!,
        questions,
      });
  }
  if (problems.length) refuse(problems);
  const recorded = await withTx(ctx.db, async (tx) => {
    const out: ImportResultsDto["ballots"] = [];
    for (const p of plans) {
      const result = await recordResult(
        { ...ctx, db: tx },
        p.ballotId,
        { votesCast: p.votesCast, questions: p.questions, declaredOn: input.declaredOn },
        "scrutineer_csv",
      );
      out.push({
        ballotId: p.ballotId,
        name: p.name,
        reportName: p.reportName,
        votesCast: p.votesCast,
        mandate: result.evaluation.mandate,
      });
    }
    return out;
  });
  const done = new Set(recorded.map((b) => b.ballotId));
  return {
    disputeId,
    ballots: recorded,
    notInReport: dispute.ballots
      .filter((b) => !done.has(b.id))
      .map((b) => ({ ballotId: b.id, name: b.name })),
    warnings: notes,
  };
}
