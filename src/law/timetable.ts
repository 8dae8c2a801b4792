/**
 * Every statutory deadline of a ballot, per employer, from its dates. A
 * deadline "by" a date means the employer must have received the document by
 * the end of that day (received, not sent: proof of receipt is what a court asks).
 */
import { addDays, type IsoDate } from "./dates.js";
import { mandateDates } from "./evaluate.js";
import { regimeIn, ruleAt } from "./lookup.js";
import { lawSet } from "./ni.js";
import type { Jurisdiction, NoticeForm, RegimeId } from "./rules.js";

export type DeadlineId =
  | "ballot_notice"
  | "sample_paper"
  | "opening"
  | "closing"
  | "result_to_employers"
  | "scrutineer_report"
  | "action_notice"
  | "earliest_action"
  | "mandate_ends";

export interface Deadline {
  id: DeadlineId;
  label: string;
  date: IsoDate;
  rule: string;
  citation: string;
  unconfirmed: string | null;
}

export interface TimetableInput {
  openingDate: IsoDate;
  closingDate: IsoDate;
  /** The day the result is known; by default the closing day (the result is asked for that day). */
  resultDate?: IsoDate | null;
  /** The day the notice of ballot reaches (or is planned to reach) the employer; decides its form. */
  noticeReceivedOn?: IsoDate | null;
  /** The day the notice of industrial action is given; by default the result day. */
  actionNoticeGivenOn?: IsoDate | null;
  /** The employer agreed the shorter action notice period (regime B: 7 days instead of 14). */
  shorterNoticeAgreed?: boolean;
  /** Great Britain unless "ni" (decision 0013). */
  jurisdiction?: Jurisdiction;
}

export interface Timetable {
  regime: RegimeId;
  ballotNoticeForm: NoticeForm;
  actionNoticeForm: NoticeForm;
  actionNoticeDays: number;
  deadlines: Deadline[];
  warnings: string[];
}

export function ballotTimetable(input: TimetableInput): Timetable {
  const { openingDate, closingDate } = input;
  const jurisdiction = input.jurisdiction ?? "gb";
  const law = lawSet(jurisdiction);
  const regime = regimeIn(openingDate, jurisdiction);
  const resultDate = input.resultDate ?? closingDate;
  const noticeDays = ruleAt(law.ballotNoticeDays, openingDate)!;
  const sampleDays = ruleAt(law.samplePaperDays, openingDate)!;
  const noticeBy = addDays(openingDate, -noticeDays.value);
  const form = ruleAt(law.ballotNoticeForm, input.noticeReceivedOn ?? noticeBy)!;
  const givenOn = input.actionNoticeGivenOn ?? resultDate;
  const period = ruleAt(law.actionNoticePeriod, givenOn)!;
  const actionForm = ruleAt(law.actionNoticeForm, givenOn)!;
  const days =
    input.shorterNoticeAgreed && period.value.byAgreementDays !== null
      ? period.value.byAgreementDays
      : period.value.days;
  const scrutineer = ruleAt(law.scrutineer, openingDate)!;
  const mandate = mandateDates(openingDate, closingDate, jurisdiction);
  const warnings: string[] = [];
  if (closingDate < openingDate) warnings.push("The ballot closes before it opens.");
  else if (closingDate < addDays(openingDate, 7)) {
    warnings.push(
      "Fewer than 7 days between opening and closing: the Code of Practice allows at least 7 days for return by first-class post (14 by second class).",
    );
  }
  if (input.noticeReceivedOn && input.noticeReceivedOn > noticeBy) {
    warnings.push(
      `The notice of ballot is received on ${input.noticeReceivedOn}, after the deadline ${noticeBy}.`,
    );
  }

  // The definitions below are Great Britain's; the Order's matching articles are not confirmed (decision 0013).
  const gbOnly = (citation: string) =>
    jurisdiction === "ni"
      ? `${citation}; in Northern Ireland the Order's equivalent article (not confirmed)`
      : citation;
  const deadlines: Deadline[] = [
    {
      id: "ballot_notice",
      label: "Employer has received the notice of ballot",
      date: noticeBy,
      rule: noticeDays.summary,
      citation: noticeDays.citation,
      unconfirmed: noticeDays.unconfirmed,
    },
    {
      id: "sample_paper",
      label: "Employer has received the sample voting paper",
      date: addDays(openingDate, -sampleDays.value),
      rule: sampleDays.summary,
      citation: sampleDays.citation,
      unconfirmed: sampleDays.unconfirmed,
    },
    {
      id: "opening",
      label: "Ballot opens (first voting papers sent)",
      date: openingDate,
      rule: "The opening day is the first day a voting paper is sent to anyone entitled to vote.",
      citation: gbOnly("TUA 2016 s.2(2)"),
      unconfirmed: null,
    },
    {
      id: "closing",
      label: "Ballot closes (the date of the ballot)",
      date: closingDate,
      rule: "The date of the ballot is the last day on which votes may be cast.",
      citation: gbOnly("TULRCA 1992 s.246"),
      unconfirmed: null,
    },
    {
      id: "result_to_employers",
      label: "Result to members and every employer",
      date: resultDate,
      rule: "As soon as reasonably practicable: ask the scrutineer for the result on the closing day and send it to each employer that day.",
      citation: gbOnly("TULRCA 1992 ss.231, 231A; Metrobus v Unite [2009] EWCA Civ 829"),
      unconfirmed: null,
    },
    {
      id: "scrutineer_report",
      label: "Scrutineer's report due",
      date: addDays(closingDate, 27),
      rule: "The scrutineer reports within 4 weeks beginning with the date of the ballot.",
      citation: gbOnly("TULRCA 1992 s.231B"),
      unconfirmed: scrutineer.unconfirmed,
    },
    {
      id: "action_notice",
      label: "Notice of industrial action can be given from",
      date: resultDate,
      rule: "The notice period starts only once the employer has the result.",
      citation: gbOnly("TULRCA 1992 s.234A(4)(a)"),
      unconfirmed: null,
    },
    {
      id: "earliest_action",
      label: `Earliest first day of action (notice received ${days} days before)`,
      date: addDays(givenOn, days),
      rule: period.summary,
      citation: period.citation,
      unconfirmed: period.unconfirmed,
    },
  ];
  if (mandate.lastDay) {
    deadlines.push({
      id: "mandate_ends",
      label: mandate.period.kind === "begin_within" ? "Last day action may begin" : "Mandate ends",
      date: mandate.lastDay,
      rule: mandate.rule,
      citation: mandate.citation,
      unconfirmed: mandate.unconfirmed,
    });
  }
  return {
    regime: regime.id,
    ballotNoticeForm: form.value,
    actionNoticeForm: actionForm.value,
    actionNoticeDays: days,
    deadlines,
    warnings,
  };
}
