/**
 * The coalition's joint timetable and its conflicts (pure, no I/O).
 *
 * Each member union brings its ballots' dates (from its own ballots on this installation, or from its
 * signed report when it runs its own Mandate); the coalition names its day or days of action. For each
 * union, ballot and day this works out, from the law data keyed by date (src/law), whether the union can
 * lawfully take part, and if not why, with the citation a national officer can check:
 *
 * - `mandate_expired`: the day falls after the mandate's last day (regime A: after the last day action may
 *   begin; B: 6 months; C: 12 months, s.234);
 * - `mandate_not_obtained`: the result is declared and there is no mandate for action;
 * - `closes_too_late`: the ballot's result comes too late for the notice of action before the day
 *   (the notice period runs from the result, s.234A(4)(a); 14 days under regime B, 10 under C, by the day
 *   the notice is given);
 * - `notice_too_late`: the ballot is in time, but the last day to give notice of action has passed and no
 *   notice was given in time;
 * - `no_ballot`: the union has no ballot in the coalition (none linked, or no report yet): it has no
 *   mandate for the day;
 * - `ballot_not_yet_open` is not a conflict: a result still to come is shown as pending, not refused.
 */
import {
  addDays,
  ballotTimetable,
  type IsoDate,
  type Jurisdiction,
  lawSet,
  mandateDates,
  type RegimeId,
  ruleAt,
} from "../law/index.js";

export type MandateState = "yes" | "no" | "pending";

export interface TimetableBallotInput {
  /** The constituency's name, as its union calls it. */
  name: string;
  openingDate: IsoDate;
  closingDate: IsoDate;
  /** The day the result was declared; null while it is awaited (the closing day is assumed). */
  resultDate: IsoDate | null;
  /** "yes" when the result gives a mandate for action, "no" when it does not, "pending" before it. */
  mandate: MandateState;
  jurisdiction?: Jurisdiction;
  /** The employer agreed the shorter notice period (regime B: 7 days). */
  shorterNoticeAgreed?: boolean;
  /** The day a notice of industrial action for the day of action was given, if one was. */
  actionNoticeGivenOn?: IsoDate | null;
}

export interface TimetableUnionInput {
  /** The union's key in the coalition. */
  key: string;
  name: string;
  ballots: TimetableBallotInput[];
}

export type ConflictKind =
  | "no_ballot"
  | "mandate_expired"
  | "mandate_not_obtained"
  | "closes_too_late"
  | "notice_too_late";

export interface Conflict {
  union: string;
  ballot: string;
  day: IsoDate;
  kind: ConflictKind;
  reason: string;
  citation: string;
  /** Why the rule relied on needs legal review, or null. */
  unconfirmed: string | null;
}

export interface BallotTimeline {
  union: string;
  ballot: string;
  regime: RegimeId;
  /** Employers must have the notice of ballot by this day. */
  ballotNoticeBy: IsoDate;
  openingDate: IsoDate;
  closingDate: IsoDate;
  resultDate: IsoDate;
  resultDeclared: boolean;
  mandate: MandateState;
  /** Earliest first day of action, notice given on the result day. */
  earliestAction: IsoDate;
  /** The last day of the mandate (regime A: the last day action may begin); null before a closing date. */
  mandateEnds: IsoDate | null;
  /** For each day of action: the last day a notice of action can be given for it. */
  noticeBy: { day: IsoDate; lastDay: IsoDate | null }[];
}

export interface JointTimetable {
  daysOfAction: IsoDate[];
  ballots: BallotTimeline[];
  conflicts: Conflict[];
}

const EARLIEST_LAW_DATE: IsoDate = "2005-10-01";

/** The notice period for a notice given on `givenOn` (the rule is keyed by that day). */
function noticePeriod(givenOn: IsoDate, jurisdiction: Jurisdiction, shorter: boolean) {
  const rule = ruleAt(lawSet(jurisdiction).actionNoticePeriod, givenOn)!;
  const days = shorter && rule.value.byAgreementDays !== null ? rule.value.byAgreementDays : rule.value.days;
  return { days, rule };
}

/**
 * The last day on which a notice of action may be given for `day`: the latest g with g + period(g) <= day.
 * The period depends on g itself (14 days before 18 February 2026, 10 after), so each period the law has
 * known is tried and the latest day that agrees with its own rule wins.
 */
export function lastNoticeDay(
  day: IsoDate,
  jurisdiction: Jurisdiction = "gb",
  shorter = false,
): IsoDate | null {
  const rule = lawSet(jurisdiction).actionNoticePeriod;
  const periods = new Set<number>();
  for (const v of rule.versions) {
    periods.add(v.value.days);
    if (shorter && v.value.byAgreementDays !== null) periods.add(v.value.byAgreementDays);
  }
  let best: IsoDate | null = null;
  for (const n of periods) {
    const g = addDays(day, -n);
    if (g < EARLIEST_LAW_DATE) continue;
    if (noticePeriod(g, jurisdiction, shorter).days === n && (best === null || g > best)) best = g;
  }
  return best;
}

/** The joint timetable: every ballot's dates, and each union's conflicts with each day of action. */
export function jointTimetable(input: {
  unions: TimetableUnionInput[];
  daysOfAction: IsoDate[];
  /** Today: a notice not yet given can be given from today at the earliest. */
  today: IsoDate;
}): JointTimetable {
  const days = [...new Set(input.daysOfAction)].sort();
  const ballots: BallotTimeline[] = [];
  const conflicts: Conflict[] = [];
  for (const union of input.unions) {
    if (union.ballots.length === 0) {
      for (const day of days) {
        conflicts.push({
          union: union.key,
          ballot: "",
          day,
          kind: "no_ballot",
          reason: `${union.name} has no ballot in the coalition (none linked, or no report received): without a ballot it has no mandate for action on ${day}.`,
          citation: "TULRCA 1992 s.226(1)",
          unconfirmed: null,
        });
      }
    }
    for (const b of union.ballots) {
      const jurisdiction = b.jurisdiction ?? "gb";
      const shorter = b.shorterNoticeAgreed ?? false;
      const resultDate = b.resultDate ?? b.closingDate;
      const tt = ballotTimetable({
        openingDate: b.openingDate,
        closingDate: b.closingDate,
        resultDate,
        shorterNoticeAgreed: shorter,
        jurisdiction,
      });
      const mandate = mandateDates(b.openingDate, b.closingDate, jurisdiction);
      const fromResult = noticePeriod(resultDate, jurisdiction, shorter);
      const earliestAction = addDays(resultDate, fromResult.days);
      const deadline = (id: string) => tt.deadlines.find((d) => d.id === id)!;
      const timeline: BallotTimeline = {
        union: union.key,
        ballot: b.name,
        regime: tt.regime,
        ballotNoticeBy: deadline("ballot_notice").date,
        openingDate: b.openingDate,
        closingDate: b.closingDate,
        resultDate,
        resultDeclared: b.resultDate !== null,
        mandate: b.mandate,
        earliestAction,
        mandateEnds: mandate.lastDay,
        noticeBy: days.map((day) => ({ day, lastDay: lastNoticeDay(day, jurisdiction, shorter) })),
      };
      ballots.push(timeline);
      const flag = (
        day: IsoDate,
        kind: ConflictKind,
        reason: string,
        citation: string,
        unconfirmed: string | null,
      ) => conflicts.push({ union: union.key, ballot: b.name, day, kind, reason, citation, unconfirmed });

      for (const day of days) {
        if (b.mandate === "no") {
          flag(
            day,
            "mandate_not_obtained",
            `${union.name}: the ballot "${b.name}" gave no mandate for action (result declared ${resultDate}), so its members cannot be called out on ${day}.`,
            "TULRCA 1992 ss.226, 226(2)",
            null,
          );
          continue;
        }
        if (mandate.lastDay && day > mandate.lastDay) {
          flag(
            day,
            "mandate_expired",
            mandate.period.kind === "begin_within"
              ? `${union.name}: action on "${b.name}" must begin by ${mandate.lastDay}; ${day} is too late. ${mandate.rule}`
              : `${union.name}: the mandate of "${b.name}" ends on ${mandate.lastDay}, before ${day}. ${mandate.rule}`,
            mandate.citation,
            mandate.unconfirmed,
          );
          continue;
        }
        if (day < earliestAction) {
          flag(
            day,
            "closes_too_late",
            `${union.name}: "${b.name}" ${b.resultDate ? "declared its result" : "closes"} on ${resultDate}; with ${fromResult.days} days' notice of action from the result the earliest day of action is ${earliestAction}, after ${day}. ${fromResult.rule.summary}`,
            `${fromResult.rule.citation}; s.234A(4)(a) (notice only once the employer has the result)`,
            fromResult.rule.unconfirmed,
          );
          continue;
        }
        const lastDay = lastNoticeDay(day, jurisdiction, shorter);
        const given = b.actionNoticeGivenOn ?? null;
        if (given !== null && lastDay !== null && given <= lastDay && given >= resultDate) continue;
        if (lastDay !== null && input.today > lastDay) {
          const rule = noticePeriod(lastDay, jurisdiction, shorter).rule;
          flag(
            day,
            "notice_too_late",
            `${union.name}: notice of action for ${day} had to be given by ${lastDay}${given ? ` (it was given on ${given})` : " and none was given"}. ${rule.summary}`,
            rule.citation,
            rule.unconfirmed,
          );
        }
      }
    }
  }
  return { daysOfAction: days, ballots, conflicts };
}
