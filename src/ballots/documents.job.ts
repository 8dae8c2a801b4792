/**
 * Generating a ballot's documents (its notices of ballot with their annexes
 * and sample paper, or its result notices) as a job of the queue, one
 * document per step. The date of issue is the day it was queued; the first
 * run fixes the audit checkpoint the PDFs carry, and commits them as its first step; each
 * document is then rendered, stored and committed with its step. A run taken
 * over after its worker died works out the same plan from the same facts and
 * that date, and renders only the documents not yet committed: every document
 * has the bytes it would have had in a straight run, and none is made twice.
 */
import type { Ctx } from "../context.js";
import { withTx } from "../db/tx.js";
import { enqueueJob, type JobDto, type JobHandler } from "../jobs/index.js";
import type { IsoDate } from "../law/index.js";
import {
  checkpointFor,
  type DocumentSet,
  knownDocuments,
  planDocuments,
  renderAll,
  storeRendered,
} from "./documents.service.js";

export const BALLOT_DOCUMENTS_JOB = "ballot_documents";

export interface BallotDocumentsPayload {
  ballotId: number;
  set: DocumentSet;
  /** The date of issue: the day the documents were asked for (results: the day declared). */
  issuedOn: IsoDate;
}

/** Where a run stopped: the date and checkpoint fixed by the first run, the next document, the ids stored. */
interface DocumentsStep {
  issuedOn: IsoDate;
  checkpoint: string | null;
  next: number;
  ids: number[];
  finished?: boolean;
}

export interface BallotDocumentsResult {
  ballotId: number;
  set: DocumentSet;
  documents: number;
  ids: number[];
}

/**
 * Checks that the set can be generated now (permission, the ballot's state,
 * the pre-flight checks, the letterhead: refused at once, changing nothing)
 * and queues it; one queued or running job per ballot and set.
 */
export async function queueBallotDocuments(ctx: Ctx, ballotId: number, set: DocumentSet): Promise<JobDto> {
  const plan = await planDocuments(ctx, ballotId, set);
  const payload: BallotDocumentsPayload = { ballotId, set, issuedOn: plan.issuedOn };
  return enqueueJob(ctx, BALLOT_DOCUMENTS_JOB, payload, {
    total: plan.specs.length,
    dedupeKey: `documents:${ballotId}:${set}`,
  });
}

export function ballotDocumentsJob(): JobHandler<BallotDocumentsPayload> {
  return {
    kind: BALLOT_DOCUMENTS_JOB,
    async run(job) {
      const { ctx } = job;
      const { ballotId, set } = job.payload;
      let step = job.step as DocumentsStep | null;
      const plan = await planDocuments(ctx, ballotId, set, step?.issuedOn ?? job.payload.issuedOn);
      const total = plan.specs.length;
      if (!step) {
        const first: DocumentsStep = {
          issuedOn: plan.issuedOn,
          checkpoint: await checkpointFor(ctx, plan.specs),
          next: 0,
          ids: [],
        };
        await withTx(ctx.db, (tx) => job.commitStep(tx, first, { done: 0, total }));
        step = first;
      }
      const known = await knownDocuments(ctx.db, ballotId);
      while (!step.finished && step.next < total) {
        job.throwIfStopped();
        const current: DocumentsStep = step;
        const rendered = await renderAll(ctx, [plan.specs[current.next]!], current.checkpoint);
        step = await withTx(ctx.db, async (tx) => {
          const ids = await storeRendered(ctx, tx, plan.row, rendered, known);
          const next = { ...current, next: current.next + 1, ids: [...current.ids, ...ids] };
          await job.commitStep(tx, next, { done: next.next, total });
          return next;
        });
      }
      if (!step.finished) {
        job.throwIfStopped();
        const last: DocumentsStep = { ...step, finished: true };
        await withTx(ctx.db, async (tx) => {
          await plan.finish(ctx, tx, total);
          await job.commitStep(tx, last, { done: total, total });
        });
        step = last;
      }
      return { ballotId, set, documents: total, ids: step.ids } satisfies BallotDocumentsResult;
    },
  };
}
