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
import { type BallotReach, ballotReach, reachesAll } from "./ballot-scope.js";
import {
  ballotCoversEmployer,
  ballotEmployersInReach,
  countEntitledByEmployer,
  latestActionNotice,
  mandateExtensionsInReach,
  noticeReceipts,
  openBallotsInReach,
  resultDeclaredOn,
  upsertNoticeReceipt,
} from "./timetable.store.js";

export async function ballotTimetableFor(ctx: Ctx, id: number) {
  const grant = authorize(ctx.actor, "ballots.read");
  const { row, reach } = await loadVisibleBallot(ctx, grant, id);
  const result = await resultDeclaredOn(ctx.db, id);
  const action = await latestActionNotice(ctx.db, id);
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
  const employers = grant.view === "aggregate" ? [] : await ballotEmployersInReach(ctx.db, id, reach);
  const entitled = await entitledByEmployer(ctx.db, row, reach);
  const receipts = await noticeReceipts(ctx.db, id);
  const receiptOf = new Map(receipts.map((r) => [`${r.employer_id}|${r.kind}`, r]));
  // Extensions agreed with employers (records.service.ts) end the mandate later for those employers.
  const extended = grant.view === "aggregate" ? [] : await mandateExtensionsInReach(ctx.db, id, reach);
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
    return countEntitledByEmployer(db, row.id, reach);
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
  const inScope = await ballotCoversEmployer(ctx.db, id, input.employerId);
  if (!inScope)
    throw new AppError("employers.not_found", "That employer is not in this ballot.", {
      employerId: input.employerId,
    });
  if (input.sentOn && input.sentOn > input.receivedOn) {
    throw new AppError("ballots.invalid", "A notice cannot be received before it was sent.", {});
  }
  await withTx(ctx.db, async (tx) => {
    await upsertNoticeReceipt(tx, id, {
      ...input,
      recordedBy: ctx.actor.userId,
      recordedAt: ctx.clock.now(),
    });
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
  const ballots = await openBallotsInReach(ctx.db, ballotReach(ctx.actor, grant));
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
