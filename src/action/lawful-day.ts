/**
 * Is a day of action lawful at one employer (or one of its workplaces) under
 * one constituency's mandate? Pure: the caller hands in the ballot's declared
 * result, the notices of industrial action given under it and any mandate
 * extension agreed with the employer; the periods come from the law data in
 * force on their key dates (mandate: the opening day; notice: the day it is
 * given), never from constants here. Every reason carries its citation, so the
 * calendar can say why a day is not lawful at a workplace, not only that.
 */
import {
  addDays,
  type IsoDate,
  type Jurisdiction,
  lawSet,
  mandateDates,
  type QuestionKind,
  ruleAt,
} from "../law/index.js";

export type ActionKind = QuestionKind;

export interface NoticeFacts {
  id: number;
  givenOn: IsoDate;
  continuous: boolean;
  startDate: IsoDate | null;
  dates: IsoDate[];
  kinds: string[];
  /** The employers the notice was given to; null for all of the ballot's employers. */
  employerIds: number[] | null;
  shorterNoticeAgreed: boolean;
  suspensions: { from: IsoDate; resumeFrom: IsoDate; resumedOn: IsoDate | null }[];
}

export interface LawfulDayInput {
  day: IsoDate;
  kind: ActionKind;
  /** Types of action short of a strike planned that day (empty for a strike). */
  types: string[];
  jurisdiction: Jurisdiction;
  employerId: number;
  ballot: {
    openingDate: IsoDate;
    closingDate: IsoDate;
    /** Types of action short of a strike the voting paper named. */
    actionShortTypes: string[];
  };
  /** The declared result, or null when none is recorded yet. */
  result: { declaredOn: IsoDate; mandateFor: string[] } | null;
  /** The last day agreed with this employer (an extension by agreement), if any. */
  extendedLastDay: IsoDate | null;
  /** The first day of action called under this mandate (for "action must begin within"). */
  firstActionDay: IsoDate | null;
  notices: NoticeFacts[];
}

export type ReasonCode =
  | "no_result"
  | "no_mandate_for_kind"
  | "type_not_balloted"
  | "mandate_expired"
  | "action_not_begun_in_time"
  | "no_notice"
  | "notice_not_to_employer"
  | "notice_not_naming_day"
  | "notice_too_short"
  | "suspended";

export interface Reason {
  code: ReasonCode;
  message: string;
  citation: string;
}

export interface LawfulDay {
  lawful: boolean;
  reasons: Reason[];
  /** The notice that covers the day, when one does. */
  noticeId: number | null;
  /** The last day of the mandate (or by which action must begin) at this employer. */
  mandateLastDay: IsoDate | null;
}

const KIND_LABEL: Record<string, string> = {
  strike: "strike action",
  action_short_of_strike: "action short of a strike",
};

function noticeNamesDay(n: NoticeFacts, day: IsoDate): boolean {
  return n.continuous ? n.startDate !== null && day >= n.startDate : n.dates.includes(day);
}

function firstDayOf(n: NoticeFacts): IsoDate | null {
  if (n.continuous) return n.startDate;
  return [...n.dates].sort()[0] ?? null;
}

function suspendedOn(n: NoticeFacts, day: IsoDate): boolean {
  return n.suspensions.some((s) => day >= s.from && day < (s.resumedOn ?? s.resumeFrom));
}

export function checkDay(input: LawfulDayInput): LawfulDay {
  const { day, kind, jurisdiction } = input;
  const law = lawSet(jurisdiction);
  const reasons: Reason[] = [];
  const m = mandateDates(input.ballot.openingDate, input.ballot.closingDate, jurisdiction);
  const lastDay = input.extendedLastDay ?? m.lastDay;

  if (!input.result) {
    reasons.push({
      code: "no_result",
      message: "No result is recorded for this ballot: there is no mandate yet.",
      citation: m.citation,
    });
  } else if (!input.result.mandateFor.includes(kind)) {
    reasons.push({
      code: "no_mandate_for_kind",
      message: `The ballot gives no mandate for ${KIND_LABEL[kind] ?? kind}.`,
      citation: m.citation,
    });
  }
  if (kind === "action_short_of_strike") {
    const missing = input.types.filter((t) => !input.ballot.actionShortTypes.includes(t));
    if (missing.length) {
      reasons.push({
        code: "type_not_balloted",
        message: `The voting paper did not name ${missing.join(", ")} among the types of action short of a strike.`,
        citation: m.citation,
      });
    }
  }
  if (lastDay) {
    if (m.period.kind === "expires" && day > lastDay) {
      reasons.push({
        code: "mandate_expired",
        message: `The mandate ended on ${lastDay}. ${m.rule}`,
        citation: m.citation,
      });
    }
    if (m.period.kind === "begin_within") {
      const first = input.firstActionDay ?? day;
      if (first > lastDay) {
        reasons.push({
          code: "action_not_begun_in_time",
          message: `Action had to begin by ${lastDay}; the first day called is ${first}. ${m.rule}`,
          citation: m.citation,
        });
      }
    }
  }

  // The notices: the kind, the employer, the day, then the period in force on the day each was given.
  const ofKind = input.notices.filter((n) => n.kinds.includes(kind));
  const toEmployer = ofKind.filter((n) => n.employerIds === null || n.employerIds.includes(input.employerId));
  const namingDay = toEmployer.filter((n) => noticeNamesDay(n, day));
  const periodCitation = (givenOn: IsoDate) => ruleAt(law.actionNoticePeriod, givenOn)?.citation ?? "";
  let noticeId: number | null = null;
  if (!ofKind.length) {
    const current = ruleAt(law.actionNoticePeriod, day);
    reasons.push({
      code: "no_notice",
      message: `No notice of ${KIND_LABEL[kind] ?? kind} has been given under this mandate.`,
      citation: current?.citation ?? "",
    });
  } else if (!toEmployer.length) {
    reasons.push({
      code: "notice_not_to_employer",
      message: "No notice of industrial action was given to this employer.",
      citation: periodCitation(ofKind[0]!.givenOn),
    });
  } else if (!namingDay.length) {
    reasons.push({
      code: "notice_not_naming_day",
      message: `No notice given to this employer names ${day} as a day of action.`,
      citation: periodCitation(toEmployer[0]!.givenOn),
    });
  } else {
    const valid = namingDay.filter((n) => {
      const period = ruleAt(law.actionNoticePeriod, n.givenOn)!.value;
      const days =
        n.shorterNoticeAgreed && period.byAgreementDays !== null ? period.byAgreementDays : period.days;
      const first = firstDayOf(n);
      return first !== null && first >= addDays(n.givenOn, days) && day >= addDays(n.givenOn, days);
    });
    if (!valid.length) {
      const n = namingDay[0]!;
      const rule = ruleAt(law.actionNoticePeriod, n.givenOn)!;
      reasons.push({
        code: "notice_too_short",
        message: `The notice given on ${n.givenOn} is too short for ${day}. ${rule.summary}`,
        citation: rule.citation,
      });
    } else {
      const running = valid.filter((n) => !suspendedOn(n, day));
      if (!running.length) {
        reasons.push({
          code: "suspended",
          message: `Action under the notice is suspended by agreement on ${day}.`,
          citation: periodCitation(valid[0]!.givenOn),
        });
      } else {
        noticeId = running[0]!.id;
      }
    }
  }
  return { lawful: reasons.length === 0, reasons, noticeId, mandateLastDay: lastDay };
}
