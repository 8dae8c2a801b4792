/**
 * A ballot's result: entered by hand or imported from the scrutineer's CSV,
 * evaluated against the thresholds of the law in force at the opening date.
 */
import { recordAudit } from "../audit/index.js";
import { authorize } from "../auth/index.js";
import type { Ctx } from "../context.js";
import { withTx } from "../db/tx.js";
import { evaluateBallot, type IsoDate } from "../law/index.js";
import { loadCommencements } from "../settings/index.js";
import { AppError } from "../shared/errors.js";
import { formatProblem } from "../shared/problems.js";
import { ballotJurisdiction, loadVisibleBallot, refuseUnless } from "./ballot-access.js";
import type { ResultDto, ResultInput } from "./ballots.model.js";
import { selectResult, writeResult } from "./results.store.js";
import { parseScrutineerResult } from "./scrutineer-result.js";

export async function getResult(ctx: Ctx, id: number): Promise<ResultDto | null> {
  const grant = authorize(ctx.actor, "ballots.read");
  await loadVisibleBallot(ctx, grant, id);
  const r = await selectResult(ctx.db, id);
  if (!r) return null;
  return {
    ballotId: id,
    entitled: r.entitled,
    votesCast: r.votes_cast,
    declaredOn: r.declared_on,
    source: r.source as ResultDto["source"],
    evaluation: r.evaluation as ResultDto["evaluation"],
  };
}

/** The entitled number is the frozen electorate's, never typed in: the figure the notices gave. */
export async function recordResult(
  ctx: Ctx,
  id: number,
  input: ResultInput,
  source: "entered" | "scrutineer_csv" = "entered",
): Promise<ResultDto> {
  const grant = authorize(ctx.actor, "ballots.results");
  // A scrutineer enters the result only of a ballot they are appointed to.
  const { row } = await loadVisibleBallot(ctx, grant, id);
  refuseUnless(row.state, "record_result");
  if (input.declaredOn < row.closing_date) {
    throw new AppError(
      "ballots.invalid",
      `The result cannot be declared before the ballot closes on ${row.closing_date}.`,
      {},
    );
  }
  const asked = new Set(row.questions);
  const unknown = input.questions.filter((q) => !asked.has(q.question));
  if (unknown.length || input.questions.length !== asked.size) {
    throw new AppError(
      "ballots.invalid",
      `Give the counts for exactly the ballot's questions: ${row.questions.join(", ")}.`,
      {},
    );
  }
  const law = await loadCommencements(ctx.db, row.union_id);
  const jurisdiction = await ballotJurisdiction(ctx.db, row.id);
  const evaluation = evaluateBallot({
    openingDate: row.opening_date,
    closingDate: row.closing_date,
    entitled: row.electorate_entitled ?? 0,
    votesCast: input.votesCast,
    questions: input.questions,
    importantPublicServices: row.ips_belief,
    walesDevolved: row.wales_devolved,
    commencements: law.overrides,
    commencementSources: law.sources,
    jurisdiction,
  });
  const now = ctx.clock.now();
  await withTx(ctx.db, async (tx) => {
    await writeResult(tx, id, {
      entitled: evaluation.entitled,
      votesCast: input.votesCast,
      questions: input.questions,
      source,
      evaluation,
      declaredOn: input.declaredOn,
      recordedBy: ctx.actor.userId,
      now,
    });
    await recordAudit({ ...ctx, db: tx }, "ballot.result_recorded", {
      subjectType: "ballot",
      subjectId: id,
      details: { source, votesCast: input.votesCast, mandate: evaluation.mandate, regime: evaluation.regime },
    });
  });
  return (await getResult(ctx, id))!;
}

/** The result from the scrutineer's CSV file; a file with problems is refused whole, each problem named. */
export async function importScrutineerResult(
  ctx: Ctx,
  id: number,
  input: { filename: string; csv: string; declaredOn: IsoDate },
): Promise<ResultDto> {
  const grant = authorize(ctx.actor, "ballots.results");
  await loadVisibleBallot(ctx, grant, id);
  const { result, problems } = parseScrutineerResult(input.csv, input.filename);
  if (!result) {
    const first = problems[0]!;
    throw new AppError("import.file_invalid", formatProblem(first), { problems });
  }
  return recordResult(ctx, id, { ...result, declaredOn: input.declaredOn }, "scrutineer_csv");
}
