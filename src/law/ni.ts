/**
 * Northern Ireland: the Trade Union and Labour Relations (Northern Ireland) Order 1995 (decision 0013).
 * The Trade Union Act 2016 and the Employment Rights Act 2025 ballot changes extend to Great Britain only,
 * so the Order has no turnout threshold and no 40% rule; its ballot articles mirror TULRCA ss.226-234 as
 * they stood before 2016. Every article whose text Mandate's sources did not give is flagged.
 *
 * Sources read: Art.104 as made and as at 8 January 2006 (legislation.gov.uk nisi/1995/1980, cross-heading
 * "Requirement of ballot before action by trade union"); Art.118 as made (reference brief §8); the
 * Employment Relations (1999 Order) (Commencement No. 6 and Transitional Provisions) Order (NI) 2002
 * (SR 2002/317): Art.6 and Sch.3 of the 1999 Order (ballots and notices) in operation 13 October 2002, the
 * amendments to Arts.104, 108, 117 and 118 for ballots whose date falls after 12 October 2002.
 */
import {
  ACTION_NOTICE_FORM,
  ACTION_NOTICE_PERIOD,
  type ActionNoticePeriod,
  BALLOT_NOTICE_DAYS,
  BALLOT_NOTICE_FORM,
  IMPORTANT_PUBLIC_SERVICES,
  type Jurisdiction,
  MAJORITY,
  MANDATE_PERIOD,
  type MandatePeriod,
  type NoticeForm,
  PICKET_NUMBERS,
  PICKET_SUPERVISOR,
  type PicketNumbers,
  type RegimeId,
  type RegimeInfo,
  type ResultItem,
  type Rule,
  SAMPLE_PAPER_DAYS,
  SCRUTINEER,
  type SupportValue,
  TURNOUT,
  type TurnoutValue,
  type VotingPaperItem,
  WALES_DISAPPLICATION,
} from "./rules.js";

export const NI_FROM = "2002-10-13";

export const NI_REGIME: RegimeInfo = {
  id: "NI",
  from: NI_FROM,
  name: "Northern Ireland",
  legislation:
    "Trade Union and Labour Relations (Northern Ireland) Order 1995 as amended by the Employment Relations (Northern Ireland) Order 1999 (Art.6 and Sch.3 from 13 October 2002, SR 2002/317)",
};

const ART_104_READ =
  "Art.104 was read as made and as at 8 January 2006; later amendments to it were not checked.";
const NOT_RETRIEVED = (article: string, mirror: string) =>
  `The text of ${article} was not retrieved; Mandate assumes it mirrors ${mirror} as it stood before 2016.`;

const ni = <V>(
  id: string,
  title: string,
  key: Rule<V>["key"],
  value: V,
  summary: string,
  citation: string,
  unconfirmed: string | null,
): Rule<V, "NI"> => ({
  id,
  title,
  key,
  jurisdiction: "ni",
  versions: [{ from: NI_FROM, regime: "NI", value, summary, citation, unconfirmed }],
});

export const NI_TURNOUT = ni<null>(
  "turnout",
  "Turnout threshold",
  "ballot_opening",
  null,
  "No turnout threshold: the Order has none (the Trade Union Act 2016 extends to Great Britain only).",
  "TULR(NI)O 1995 Art.104(3)",
  ART_104_READ,
);

export const NI_MAJORITY = ni<{ strict: true }>(
  "majority",
  "Majority of those voting",
  "ballot_opening",
  { strict: true },
  "More of those voting must answer Yes than No to the question.",
  "TULR(NI)O 1995 Art.104(3)(a)(iii)",
  ART_104_READ,
);

export const NI_IMPORTANT_PUBLIC_SERVICES = ni<null>(
  "important_public_services_40",
  "40% support in important public services",
  "ballot_opening",
  null,
  "No 40% rule: the Order has none.",
  "TULR(NI)O 1995 Art.104(3)",
  ART_104_READ,
);

export const NI_BALLOT_NOTICE_DAYS = ni<number>(
  "ballot_notice_days",
  "Notice of ballot to the employer",
  "ballot_opening",
  7,
  "The employer must receive the notice of ballot no later than the 7th day before the opening day.",
  "TULR(NI)O 1995 Art.105, as amended by ER(NI)O 1999 Sch.3 para 3",
  NOT_RETRIEVED("Art.105", "TULRCA 1992 s.226A(1)"),
);

export const NI_SAMPLE_PAPER_DAYS = ni<number>(
  "sample_paper_days",
  "Sample voting paper to the employer",
  "ballot_opening",
  3,
  "The employer must receive a sample voting paper no later than the 3rd day before the opening day.",
  "TULR(NI)O 1995 Art.105",
  NOT_RETRIEVED("Art.105", "TULRCA 1992 s.226A(1)(b)"),
);

export const NI_BALLOT_NOTICE_FORM = ni<NoticeForm>(
  "ballot_notice_form",
  "Contents of the notice of ballot",
  "notice_received",
  "lists_figures_explanation",
  "Lists of categories and workplaces with the numbers in each and the total, and how the figures were arrived at.",
  "TULR(NI)O 1995 Art.105, as amended by ER(NI)O 1999 Sch.3 para 3",
  "Whether Northern Ireland adopted the Employment Relations Act 2004 form of the notice (lists, figures and explanation), and from when, was not confirmed.",
);

export const NI_VOTING_PAPER = ni<readonly VotingPaperItem[]>(
  "voting_paper_contents",
  "Contents of the voting paper",
  "ballot_opening",
  [
    "scrutineer",
    "return_address_and_date",
    "consecutive_number",
    "separate_questions",
    "authorised_person",
    "dismissal_statement",
  ],
  "The scrutineer's name, the return address and date, a unique consecutive number, a separate Yes/No question for strike and for action short of a strike, the person authorised to call action, and the statutory statement.",
  "TULR(NI)O 1995 Art.110 (the question: Art.110(3))",
  NOT_RETRIEVED("Art.110", "TULRCA 1992 s.229"),
);

export const NI_DISMISSAL_STATEMENT = ni<string | null>(
  "dismissal_statement",
  "Statement on the voting paper",
  "ballot_opening",
  null,
  "The Order's statement on dismissal protection; its wording in Northern Ireland (eight or twelve weeks) was not found.",
  "TULR(NI)O 1995 Art.110",
  "The Art.110 statement wording is not confirmed: voting papers cannot be issued until the union records the wording verified by its lawyers.",
);

export const NI_RESULT_CONTENTS = ni<readonly ResultItem[]>(
  "result_contents",
  "Information about the result (members and employers)",
  "ballot_opening",
  ["votes_cast", "yes", "no", "spoilt"],
  "Votes cast, the number answering Yes and No to each question, and spoiled papers, to every member entitled to vote and every relevant employer.",
  "TULR(NI)O 1995 Arts.112-113",
  NOT_RETRIEVED("Arts.112-113", "TULRCA 1992 ss.231, 231A"),
);

export const NI_ACTION_NOTICE_PERIOD = ni<ActionNoticePeriod>(
  "action_notice_period",
  "Notice of industrial action",
  "notice_given",
  { days: 7, byAgreementDays: null },
  "The employer must receive the notice no later than the 7th day before the first day of action.",
  "TULR(NI)O 1995 Art.118(4)",
  "Art.118(4) was read as made (1995); the text as amended by ER(NI)O 1999 Sch.3 para 11 was not retrieved.",
);

export const NI_ACTION_NOTICE_FORM = ni<NoticeForm>(
  "action_notice_form",
  "Contents of the notice of industrial action",
  "notice_given",
  "lists_figures_explanation",
  "Lists, figures and explanation for the affected employees, and whether the action is continuous (start date) or discontinuous (dates).",
  "TULR(NI)O 1995 Art.118(3)",
  NOT_RETRIEVED("Art.118(3) as amended", "TULRCA 1992 s.234A(3)"),
);

export const NI_MANDATE_PERIOD = ni<MandatePeriod>(
  "mandate_period",
  "How long the ballot gives a mandate",
  "ballot_opening",
  { kind: "begin_within", weeks: 4, byAgreementWeeks: 8, courtMaxWeeks: 12 },
  "Action must begin within 4 weeks beginning with the date of the ballot (8 if the employer agrees); a court may discount time under an injunction, to 12 weeks at most.",
  "TULR(NI)O 1995 Art.117, as amended by ER(NI)O 1999 Sch.3 para 10 (ballots dated after 12 October 2002)",
  "The text of Art.117 was not retrieved: the 4 weeks are those of the predecessor (Industrial Relations (NI) Order 1992 Art.44(2)(c)); the 8-week agreement and 12-week court limit are assumed to mirror TULRCA s.234 as substituted by ERA 1999.",
);

export const NI_SCRUTINEER = ni<{ requiredAbove: number }>(
  "scrutineer",
  "Independent scrutineer",
  "ballot_opening",
  { requiredAbove: 50 },
  "An independent scrutineer must be appointed unless 50 or fewer are entitled to vote.",
  "TULR(NI)O 1995 Arts.106-107 (Art.104(3)(a)(i))",
  NOT_RETRIEVED("Arts.106-107", "TULRCA 1992 ss.226B-226C"),
);

export const NI_PICKET_SUPERVISOR = ni<boolean>(
  "picket_supervisor",
  "Picket supervisor",
  "picketing",
  false,
  "No statutory picket supervisor: TUA 2016 s.10 (TULRCA s.220A) extends to Great Britain only.",
  "TUA 2016 s.10; TULR(NI)O 1995",
  "The extent of TUA 2016 s.10 to Great Britain only was not confirmed in statutory text.",
);

export const NI_PICKET_NUMBERS = ni<PicketNumbers>(
  "picket_numbers",
  "Number of pickets at an entrance",
  "picketing",
  { perEntrance: 6 },
  "In general not more than six pickets at any entrance to a workplace (guidance, not a legal limit).",
  "Code of Practice on Picketing (Northern Ireland), under TULR(NI)O 1995",
  "Northern Ireland's own Code of Practice on picketing was not among the sources; Mandate assumes its guidance on numbers matches Great Britain's.",
);

export const NI_RULES = [
  NI_TURNOUT,
  NI_MAJORITY,
  NI_IMPORTANT_PUBLIC_SERVICES,
  NI_BALLOT_NOTICE_DAYS,
  NI_SAMPLE_PAPER_DAYS,
  NI_BALLOT_NOTICE_FORM,
  NI_VOTING_PAPER,
  NI_DISMISSAL_STATEMENT,
  NI_RESULT_CONTENTS,
  NI_ACTION_NOTICE_PERIOD,
  NI_ACTION_NOTICE_FORM,
  NI_MANDATE_PERIOD,
  NI_SCRUTINEER,
  NI_PICKET_SUPERVISOR,
  NI_PICKET_NUMBERS,
] as const;

/** The rules each computation reads, by jurisdiction (Great Britain's are in rules.ts). */
export function lawSet(jurisdiction: Jurisdiction) {
  if (jurisdiction === "ni") {
    return {
      turnout: NI_TURNOUT as Rule<TurnoutValue, RegimeId>,
      majority: NI_MAJORITY as Rule<{ strict: true }, RegimeId>,
      support: NI_IMPORTANT_PUBLIC_SERVICES as Rule<SupportValue, RegimeId>,
      wales: null,
      mandatePeriod: NI_MANDATE_PERIOD as Rule<MandatePeriod, RegimeId>,
      scrutineer: NI_SCRUTINEER as Rule<{ requiredAbove: number }, RegimeId>,
      ballotNoticeDays: NI_BALLOT_NOTICE_DAYS as Rule<number, RegimeId>,
      samplePaperDays: NI_SAMPLE_PAPER_DAYS as Rule<number, RegimeId>,
      ballotNoticeForm: NI_BALLOT_NOTICE_FORM as Rule<NoticeForm, RegimeId>,
      actionNoticePeriod: NI_ACTION_NOTICE_PERIOD as Rule<ActionNoticePeriod, RegimeId>,
      actionNoticeForm: NI_ACTION_NOTICE_FORM as Rule<NoticeForm, RegimeId>,
      picketSupervisor: NI_PICKET_SUPERVISOR as Rule<boolean, RegimeId>,
      picketNumbers: NI_PICKET_NUMBERS as Rule<PicketNumbers, RegimeId>,
    };
  }
  return {
    turnout: TURNOUT as Rule<TurnoutValue, RegimeId>,
    majority: MAJORITY as Rule<{ strict: true }, RegimeId>,
    support: IMPORTANT_PUBLIC_SERVICES as Rule<SupportValue, RegimeId>,
    wales: WALES_DISAPPLICATION as Rule<boolean, RegimeId> | null,
    mandatePeriod: MANDATE_PERIOD as Rule<MandatePeriod, RegimeId>,
    scrutineer: SCRUTINEER as Rule<{ requiredAbove: number }, RegimeId>,
    ballotNoticeDays: BALLOT_NOTICE_DAYS as Rule<number, RegimeId>,
    samplePaperDays: SAMPLE_PAPER_DAYS as Rule<number, RegimeId>,
    ballotNoticeForm: BALLOT_NOTICE_FORM as Rule<NoticeForm, RegimeId>,
    actionNoticePeriod: ACTION_NOTICE_PERIOD as Rule<ActionNoticePeriod, RegimeId>,
    actionNoticeForm: ACTION_NOTICE_FORM as Rule<NoticeForm, RegimeId>,
    picketSupervisor: PICKET_SUPERVISOR as Rule<boolean, RegimeId>,
    picketNumbers: PICKET_NUMBERS as Rule<PicketNumbers, RegimeId>,
  };
}
