/**
 * The scrutineer's per-member feed of papers returned (decisions in docs/architecture.md, "Turnout"):
 * each member named is recorded as having voted, under the source `scrutineer`, so they leave every
 * contact list and the list of members not yet reported voted at the next read. Never how anyone voted.
 */
import { recordAudit } from "../audit/index.js";
import { authorize } from "../auth/index.js";
import { ballotReach } from "../ballots/index.js";
import type { Ctx } from "../context.js";
import { withTx } from "../db/tx.js";
import { ukDate } from "../shared/clock.js";
import { AppError } from "../shared/errors.js";
import { sha256Hex } from "../shared/hash.js";
import { formatProblem, type Problem } from "../shared/problems.js";
import type { ImportVotedDto, ImportVotedInput } from "./turnout.model.js";
import {
  insertScrutineerVoted,
  selectBallotAndDispute,
  selectConstituencies,
  selectElectorateByNumbers,
  selectElectorateByPapers,
  selectScopeEntries,
} from "./turnout.store.js";
import { parseVotedFeed, resolveVotedFeed, type VotedTarget } from "./voted-feed.js";

const refuse = (problems: Problem[]) => {
  const shown = problems.slice(0, 5).map(formatProblem).join("; ");
  return new AppError(
    "turnout.invalid_voted_feed",
    `The feed of papers returned was refused, nothing was recorded: ${problems.length} problem${problems.length === 1 ? "" : "s"}: ${shown}${problems.length > 5 ? "; ..." : ""}`,
    { problems },
  );
};

/**
 * Records the scrutineer's feed of members whose papers were returned, for the constituencies of the
 * ballot's dispute (the coordinated ballot) that the importer reaches; by the same officers who import
 * the returns. Any problem refuses the whole file and records nothing. One transaction; one audit row
 * with the counts and the file's fingerprint.
 */
export async function importVotedFeed(
  ctx: Ctx,
  ballotId: number,
  input: ImportVotedInput,
): Promise<ImportVotedDto> {
  const grant = authorize(ctx.actor, "turnout.returns");
  const reach = ballotReach(ctx.actor, grant);
  const ballot = await selectBallotAndDispute(ctx.db, reach, ballotId);
  if (!ballot) throw new AppError("ballots.not_found", `No ballot ${ballotId}.`, { id: ballotId });
  const constituencies = await selectConstituencies(ctx.db, reach, ballot.dispute_id);
  const entries = await selectScopeEntries(
    ctx.db,
    grant,
    constituencies.map((c) => c.id),
  );
  const targets: VotedTarget[] = constituencies.map((c) => {
    const own = entries.filter((e) => e.ballot_id === c.id);
    const workplaces = [...new Set(own.map((e) => e.workplace_name))];
    return {
      ballotId: c.id,
      name: c.name,
      aliases: own.length === 1 && workplaces[0] ? [workplaces[0]] : [],
      openingDate: c.opening_date,
      frozen: c.electorate_entitled !== null,
    };
  });
  const parsed = parseVotedFeed(input.csv, input.fileName, targets);
  if (parsed.problems.length) throw refuse(parsed.problems);

  const frozenIds = targets.filter((t) => t.frozen).map((t) => t.ballotId);
  const numbers = [
    ...new Set(parsed.rows.flatMap((r) => (r.membershipNumber === null ? [] : [r.membershipNumber]))),
  ];
  const papers = new Map<string, { ballotId: number; paperNumber: number }>();
  for (const r of parsed.rows)
    if (r.paperNumber !== null) {
      const paper = { ballotId: r.ballotId ?? ballotId, paperNumber: r.paperNumber };
      papers.set(`${paper.ballotId}|${paper.paperNumber}`, paper);
    }
  const [byNumber, byPaper] = await Promise.all([
    selectElectorateByNumbers(ctx.db, reach, frozenIds, numbers),
    selectElectorateByPapers(ctx.db, reach, [...papers.values()]),
  ]);
  const resolved = resolveVotedFeed(
    input.fileName,
    parsed.rows,
    { byNumber, byPaper },
    { ballotId, targets, today: ukDate(ctx.clock.now()) },
  );
  if (resolved.problems.length) throw refuse(resolved.problems);

  const members = resolved.votes.length;
  const touched = new Set(resolved.votes.map((v) => v.ballotId)).size;
  const recorded = await withTx(ctx.db, async (tx) => {
    const written = await insertScrutineerVoted(
      tx,
      grant.unionId,
      resolved.votes,
      ctx.actor.userId,
      ctx.clock.now(),
    );
    await recordAudit({ ...ctx, db: tx }, "turnout.voted_feed_imported", {
      subjectType: "dispute",
      subjectId: ballot.dispute_id,
      details: {
        ballotId,
        rows: parsed.rows.length,
        members,
        recorded: written,
        constituencies: touched,
        sha256: sha256Hex(input.csv),
      },
    });
    return written;
  });
  return {
    disputeId: ballot.dispute_id,
    rows: parsed.rows.length,
    members,
    recorded,
    alreadyReported: members - recorded,
    constituencies: touched,
  };
}
