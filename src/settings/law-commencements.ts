/**
 * The union's commencement dates for changes in the law whose commencement Mandate's law data does not
 * know (decision 0013): the 50% turnout repeal and electronic, hybrid and workplace voting. A national
 * officer records each with its legal source; everyone signed in may read them, since they decide
 * verdicts. The law functions stay pure: callers load these and pass them in.
 */
import { recordAudit } from "../audit/index.js";
import { authorize } from "../auth/index.js";
import type { Ctx } from "../context.js";
import type { Db } from "../db/database.js";
import type { CommencementOverrides, CommencementSources } from "../law/index.js";
import { COMMENCEMENTS, isIsoDate, type SwitchId } from "../law/index.js";
import { AppError } from "../shared/errors.js";
import { selectCommencement, selectCommencements, upsertCommencement } from "./law-commencements.store.js";

export const SWITCH_IDS = Object.keys(COMMENCEMENTS) as SwitchId[];

export interface RecordedCommencements {
  overrides: CommencementOverrides;
  sources: CommencementSources;
}

export interface CommencementSetting {
  id: SwitchId;
  title: string;
  citation: string;
  unconfirmed: string;
  /** The law data's default (null: not in force). */
  defaultCommencedOn: string | null;
  /** Null when the union has recorded nothing; otherwise its date (null: recorded as not in force). */
  recorded: {
    commencedOn: string | null;
    source: string;
    recordedAt: string;
    recordedBy: number | null;
  } | null;
}

/** What the ballots code passes to the law functions for this union. */
export async function loadCommencements(db: Db, unionId: number): Promise<RecordedCommencements> {
  const rows = await selectCommencements(db, { unionId });
  const overrides: CommencementOverrides = {};
  const sources: CommencementSources = {};
  for (const r of rows) {
    if (!(r.switch_id in COMMENCEMENTS)) continue;
    const id = r.switch_id as SwitchId;
    overrides[id] = r.commenced_on;
    sources[id] = r.source;
  }
  return { overrides, sources };
}

export async function listCommencements(ctx: Ctx): Promise<CommencementSetting[]> {
  const rows = await selectCommencements(ctx.db, { unionId: ctx.actor.unionId });
  return SWITCH_IDS.map((id) => {
    const c = COMMENCEMENTS[id];
    const r = rows.find((x) => x.switch_id === id);
    return {
      id,
      title: c.title,
      citation: c.citation,
      unconfirmed: c.unconfirmed,
      defaultCommencedOn: c.commencedOn,
      recorded: r
        ? {
            commencedOn: r.commenced_on,
            source: r.source,
            recordedAt: r.recorded_at.toISOString(),
            recordedBy: r.recorded_by,
          }
        : null,
    };
  });
}

export interface RecordCommencementInput {
  /** Null records that the change is not in force. */
  commencedOn: string | null;
  source: string;
}

export async function recordCommencement(
  ctx: Ctx,
  id: string,
  input: RecordCommencementInput,
): Promise<CommencementSetting[]> {
  const grant = authorize(ctx.actor, "law.commencements");
  if (!SWITCH_IDS.includes(id as SwitchId)) {
    throw new AppError("law.unknown_commencement", `No change in the law is called ${id}.`, {
      id,
      known: SWITCH_IDS,
    });
  }
  const source = input.source.trim();
  if (!source) {
    throw new AppError(
      "law.commencement_source_required",
      "Give the legal source of the commencement date (the commencement order, or the advice relied on).",
      { id },
    );
  }
  if (input.commencedOn !== null && !isIsoDate(input.commencedOn)) {
    throw new AppError("request.invalid", "The commencement date must be a calendar date as YYYY-MM-DD.", {
      id,
    });
  }
  const before = await selectCommencement(ctx.db, grant, id);
  await upsertCommencement(ctx.db, grant, {
    switch_id: id,
    commenced_on: input.commencedOn,
    source,
    recorded_by: ctx.actor.userId,
    recorded_at: ctx.clock.now(),
  });
  await recordAudit(ctx, "law.commencement_recorded", {
    subjectType: "law_commencement",
    subjectId: id,
    details: {
      commencedOn: input.commencedOn,
      source,
      previous: before ? { commencedOn: before.commenced_on, source: before.source } : null,
    },
  });
  return listCommencements(ctx);
}
