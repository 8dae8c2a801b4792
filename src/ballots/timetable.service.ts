/**
 * A ballot's timetable: every deadline, with employers' receipts of notices
 * (a court asks when it was received, not sent), and the reminders across
 * every open ballot.
 */
import { recordAudit } from "../audit/index.js";
import { authorize } from "../auth/index.js";
import type { Ctx } from "../context.js";
import { cachedByVersion } from "../counts/index.js";
import type { Db } from "../db/database.js";
import { withTx } from "../db/tx.js";
import {
  addDays,
  ballotTimetable,
  dayNote,
  type IsoDate,
  type Nation,
  receiptWarnings,
} from "../law/index.js";
import { ukDate } from "../shared/clock.js";
import { AppError } from "../shared/errors.js";
import { type BallotRow, ballotJurisdiction, loadBallotRow, loadVisibleBallot } from "./ballot-access.js";
import {
  type BallotReach,
  ballotInReach,
  ballotReach,
  electorateRowInReach,
  employerInReach,
  reachesAll,
} from "./ballot-scope.js";

export async function ballotTimetableFor(ctx: Ctx, id: number) {
  const grant = authorize(ctx.actor, "ballots.read");
  const { row, reach } = await loadVisibleBallot(ctx, grant, id);
  const result = await ctx.db
    .selectFrom("ballot_results")
    .select("declared_on")
    .where("ballot_id", "=", id)
    .executeTakeFirst();
  const action = await ctx.db
    .selectFrom("action_notices")
    .select(["given_on", "shorter_notice_agreed", "continuous", "start_date", "dates"])
    .where("ballot_id", "=", id)
    .orderBy("id", "desc")
    .executeTakeFirst();
  const t = ballotTimetable({
    jurisdiction: await ballotJurisdiction(ctx.db, row.id),
    openingDate: row.opening_date,
    closingDate: row.closing_date,
    resultDate: result?.declared_on ?? null,
    actionNoticeGivenOn: action?.given_on ?? null,
    shorterNoticeAgreed: action?.shorter_notice_agreed ?? false,
  });
  const due = (id: string) => t.deadlines.find((d) => d.id === id)?.date ?? null;
  const firstAction = action
    ? action.continuous
      ? action.start_date
      : ([...action.dates].sort()[0] ?? null)
    : null;
  const dueBy = {
    ballot_notice: due("ballot_notice"),
    sample_paper: due("sample_paper"),
    result_employer: result?.declared_on ?? null,
    action_notice: firstAction ? addDays(firstAction, -t.actionNoticeDays) : null,
  } as const;
  // Observers get totals only (no employer breakdown); others the employers they reach.
  const employers =
    grant.view === "aggregate"
      ? []
      : await ctx.db
          .selectFrom("ballot_scope as s")
          .innerJoin("employers as e", "e.id", "s.employer_id")
          .select(["e.id", "e.name", "e.nation"])
          .distinct()
          .where("s.ballot_id", "=", id)
          .where(employerInReach(reach, id, "e.id"))
          .orderBy("e.name")
          .execute();
  const entitled = await entitledByEmployer(ctx.db, row, reach);
  const receipts = await ctx.db
    .selectFrom("notice_receipts")
    .selectAll()
    .where("ballot_id", "=", id)
    .execute();
  const receiptOf = new Map(receipts.map((r) => [`${r.employer_id}|${r.kind}`, r]));
  // Extensions agreed with employers (records.service.ts) end the mandate later for those employers.
  const extended =
    grant.view === "aggregate"
      ? []
      : await ctx.db
          .selectFrom("mandate_extensions as x")
          .innerJoin("employers as e", "e.id", "x.employer_id")
          .select(["x.employer_id", "e.name", "x.agreed_on", "x.last_day"])
          .where("x.ballot_id", "=", id)
          .where(employerInReach(reach, id, "x.employer_id"))
          .orderBy("e.name")
          .execute();
  const mandateEnd = t.deadlines.find((d) => d.id === "mandate_ends");
  const deadlines = [
    ...t.deadlines,
    ...(mandateEnd
      ? extended.map((x) => ({
          ...mandateEnd,
          id: `mandate_ends_extended_${x.employer_id}`,
          label: `${mandateEnd.label} for ${x.name} (extended by agreement on ${x.agreed_on})`,
          date: x.last_day,
        }))
      : []),
  ];
  // Weekends and bank holidays of the employers' nations (england when the reader sees no employer).
  const nations = [...new Set(employers.map((e) => e.nation as Nation))];
  return {
    ballotId: id,
    deadlines,
    days: deadlines.map((d) => {
      const note = dayNote(d.date, nations.length ? nations : ["england"]);
      return { deadlineId: d.id, weekday: note.weekday, nonWorking: note.nonWorking };
    }),
    warnings: t.warnings,
    employers: employers.map((e) => ({
      employerId: e.id,
      employerName: e.name,
      entitled: entitled.get(e.id) ?? 0,
      nation: e.nation as Nation,
      warnings: receiptWarnings(
        (["ballot_notice", "sample_paper", "action_notice"] as const).map((kind) => ({
          kind,
          dueBy: dueBy[kind],
        })),
        e.nation as Nation,
      ),
      receipts: (["ballot_notice", "sample_paper", "result_employer", "action_notice"] as const).map(
        (kind) => {
          const r = receiptOf.get(`${e.id}|${kind}`);
          const by = dueBy[kind];
          return {
            kind,
            dueBy: by,
            receivedOn: r?.received_on ?? null,
            onTime: r && by ? r.received_on <= by : null,
            method: r?.method ?? "",
            evidence: r?.evidence ?? "",
          };
        },
      ),
    })),
  };
}

/**
 * How many are entitled at each employer. The snapshot changes only when it
 * is frozen again, so the count is cached per snapshot: the dashboard's
 * reminders read it on every visit, and a national ballot has a million rows.
 */
async function entitledByEmployer(db: Db, row: BallotRow, reach: BallotReach): Promise<Map<number, number>> {
  const count = async () => {
    const rows = await db
      .selectFrom("ballot_electorate as be")
      .select(["be.employer_id", (eb) => eb.fn.countAll<number>().as("n")])
      .where("be.ballot_id", "=", row.id)
      .where("be.included", "=", true)
      .where(electorateRowInReach(reach, "be"))
      .groupBy("be.employer_id")
      .execute();
    return new Map(rows.map((r) => [r.employer_id, Number(r.n)]));
  };
  // A reader who does not reach the whole union counts only their rows: not cached.
  if (!reachesAll(reach)) return count();
  // The fingerprint names the snapshot's content: the same fingerprint, the same counts.
  if (!row.electorate_hash) return count();
  return cachedByVersion(db, `entitled-by-employer|${row.id}|${row.electorate_hash}`, 0, count);
}

export async function recordReceipt(
  ctx: Ctx,
  id: number,
  input: {
    employerId: number;
    kind: string;
    sentOn: IsoDate | null;
    receivedOn: IsoDate;
    method: string;
    evidence: string;
  },
) {
  const grant = authorize(ctx.actor, "ballots.manage");
  await loadBallotRow(ctx.db, grant.unionId, id);
  const inScope = await ctx.db
    .selectFrom("ballot_scope")
    .select("employer_id")
    .where("ballot_id", "=", id)
    .where("employer_id", "=", input.employerId)
    .executeTakeFirst();
  if (!inScope)
    throw new AppError("employers.not_found", "That employer is not in this ballot.", {
      employerId: input.employerId,
    });
  if (input.sentOn && input.sentOn > input.receivedOn) {
    throw new AppError("ballots.invalid", "A notice cannot be received before it was sent.", {});
  }
  await withTx(ctx.db, async (tx) => {
    await tx
      .insertInto("notice_receipts")
      .values({
        ballot_id: id,
        employer_id: input.employerId,
        kind: input.kind,
        sent_on: input.sentOn,
        received_on: input.receivedOn,
        method: input.method,
        evidence: input.evidence,
        recorded_by: ctx.actor.userId,
        recorded_at: ctx.clock.now(),
      })
      .onConflict((oc) =>
        oc.columns(["ballot_id", "employer_id", "kind"]).doUpdateSet({
          sent_on: input.sentOn,
          received_on: input.receivedOn,
          method: input.method,
          evidence: input.evidence,
          recorded_by: ctx.actor.userId,
          recorded_at: ctx.clock.now(),
        }),
      )
      .execute();
    await recordAudit({ ...ctx, db: tx }, "ballot.receipt_recorded", {
      subjectType: "ballot",
      subjectId: id,
      details: { employer: input.employerId, kind: input.kind, receivedOn: input.receivedOn },
    });
  });
  return ballotTimetableFor(ctx, id);
}

/**
 * What needs doing soon across every open ballot: deadlines in the next
 * fortnight, and notices an employer should have received by now with no
 * receipt recorded (a court asks when it was received, not sent).
 */
export async function ballotReminders(ctx: Ctx, horizonDays = 14) {
  const grant = authorize(ctx.actor, "ballots.read");
  const today = ukDate(ctx.clock.now());
  const until = addDays(today, horizonDays);
  const ballots = await ctx.db
    .selectFrom("ballots")
    .select(["id", "name", "state"])
    .where("union_id", "=", grant.unionId)
    .where(ballotInReach(ballotReach(ctx.actor, grant), "ballots.id"))
    .where("state", "!=", "result_declared")
    .orderBy("id")
    .execute();
  const out: {
    ballotId: number;
    ballotName: string;
    date: IsoDate;
    label: string;
    status: "overdue" | "today" | "upcoming";
    employerName: string | null;
  }[] = [];
  for (const b of ballots) {
    const t = await ballotTimetableFor(ctx, b.id);
    for (const d of t.deadlines) {
      if (d.date >= today && d.date <= until) {
        out.push({
          ballotId: b.id,
          ballotName: b.name,
          date: d.date,
          label: d.label,
          status: d.date === today ? "today" : "upcoming",
          employerName: null,
        });
      }
    }
    if (b.state === "draft") continue;
    for (const e of t.employers) {
      if (e.entitled === 0) continue;
      for (const r of e.receipts) {
        if (
          r.dueBy &&
          r.dueBy < today &&
          !r.receivedOn &&
          (r.kind === "ballot_notice" || r.kind === "sample_paper")
        ) {
          out.push({
            ballotId: b.id,
            ballotName: b.name,
            date: r.dueBy,
            label: `No receipt recorded: ${r.kind === "ballot_notice" ? "notice of ballot" : "sample voting paper"}`,
            status: "overdue",
            employerName: e.employerName,
          });
        }
      }
    }
  }
  return out.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.ballotId - b.ballotId));
}
