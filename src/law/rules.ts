/**
 * The statutory rules for industrial-action ballots in Great Britain, as data.
 *
 * Each rule is keyed by the date the law itself uses for it (the ballot's
 * opening day, the day the employer receives the ballot notice, the day the
 * action notice is given, the day of picketing), and each version carries its
 * citation and, where the reference brief could not confirm it, the reason it
 * needs legal review. Nothing else in the code base decides what the law is:
 * evaluation, timetables and documents read these tables.
 *
 * Sources: shared reference brief "UK industrial action ballots" (TULRCA 1992
 * as amended by ERA 1999, ERA 2004, TUA 2016 and ERA 2025).
 */
import type { IsoDate } from "./dates.js";

export type Regime = "A" | "B" | "C";
/** The regimes of Great Britain, and Northern Ireland's Order (src/law/ni.ts). */
export type RegimeId = Regime | "NI";
export type Jurisdiction = "gb" | "ni";

export interface RegimeInfo {
  id: RegimeId;
  from: IsoDate;
  name: string;
  legislation: string;
}

/**
 * Regime A as Mandate encodes it: TULRCA 1992 with the Employment Relations Act 2004 changes in force.
 * ERA 2004 ss.26-28 (twelve weeks' protection from dismissal, and the twelve-week voting-paper statement)
 * took effect on 6 April 2005 (Commencement No. 3 Order 2005); ss.22 and 25 (the contents of the notice of
 * ballot and of the notice of industrial action) on 1 October 2005, with the 2005 Code of Practice. Before
 * 1 October 2005 the voting paper said "eight weeks" and the notices had their ERA 1999 contents, which are
 * not modelled, so earlier dates are refused rather than answered with later wording.
 */
export const ERA_2004_IN_FORCE: IsoDate = "2005-10-01";
export interface GbRegimeInfo extends RegimeInfo {
  id: Regime;
}

export const REGIMES: readonly GbRegimeInfo[] = [
  {
    id: "A",
    from: ERA_2004_IN_FORCE,
    name: "Law in force in 2011",
    legislation: "TULRCA 1992 as amended by TURERA 1993, ERA 1999 and ERA 2004",
  },
  {
    id: "B",
    from: "2017-03-01",
    name: "Trade Union Act 2016",
    legislation: "Regime A plus the Trade Union Act 2016 (commenced by SI 2017/139)",
  },
  {
    id: "C",
    from: "2026-02-18",
    name: "Employment Rights Act 2025",
    legislation: "Regime B as amended by the Employment Rights Act 2025 (Royal Assent 18 December 2025)",
  },
];

/** The date a rule is keyed on. */
export type KeyDate = "ballot_opening" | "notice_received" | "notice_given" | "picketing";

export const KEY_DATE_LABELS: Record<KeyDate, string> = {
  ballot_opening: "the opening day of the ballot (first day a voting paper is sent)",
  notice_received: "the day the employer receives the notice of ballot",
  notice_given: "the day the notice of industrial action is given",
  picketing: "the day picketing takes place",
};

export interface RuleVersion<V, R extends RegimeId = Regime> {
  from: IsoDate;
  regime: R;
  value: V;
  /** What the rule says, in a sentence a national officer can read. */
  summary: string;
  citation: string;
  /** Null when confirmed; otherwise why it needs legal review. */
  unconfirmed: string | null;
}

export interface Rule<V, R extends RegimeId = Regime> {
  id: string;
  title: string;
  key: KeyDate;
  /** Great Britain unless said. */
  jurisdiction?: Jurisdiction;
  /** Oldest first. */
  versions: readonly RuleVersion<V, R>[];
}

// ---------------------------------------------------------------------------
// Values

export type TurnoutValue = { percent: number } | null;
export type SupportValue = { percent: number } | null;
export type NoticeForm = "lists_figures_explanation" | "lists_total";
export type MandatePeriod =
  | { kind: "begin_within"; weeks: number; byAgreementWeeks: number; courtMaxWeeks: number }
  | { kind: "expires"; months: number; byAgreementMonths: number | null };
export interface ActionNoticePeriod {
  days: number;
  byAgreementDays: number | null;
}
export type VotingPaperItem =
  | "scrutineer"
  | "return_address_and_date"
  | "consecutive_number"
  | "separate_questions"
  | "authorised_person"
  | "dismissal_statement"
  | "summary_of_matters"
  | "action_short_of_strike_types"
  | "expected_periods";
export type ResultItem =
  | "entitled"
  | "votes_cast"
  | "yes"
  | "no"
  | "spoilt"
  | "spoilt_or_invalid"
  | "turnout_met"
  | "support_40_met";

const DISMISSAL_12_WEEKS =
  "If you take part in a strike or other industrial action, you may be in breach of your contract of employment. However, if you are dismissed for taking part in a strike or other industrial action which is called officially and is otherwise lawful, the dismissal will be unfair if it takes place fewer than twelve weeks after you started taking part in the action, and depending on the circumstances may be unfair if it takes place later.";

// ---------------------------------------------------------------------------
// Thresholds

export const TURNOUT: Rule<TurnoutValue> = {
  id: "turnout",
  title: "Turnout threshold",
  key: "ballot_opening",
  versions: [
    {
      from: "2005-10-01",
      regime: "A",
      value: null,
      summary: "No turnout threshold.",
      citation: "TULRCA 1992 s.226(2) (2000 version)",
      unconfirmed: null,
    },
    {
      from: "2017-03-01",
      regime: "B",
      value: { percent: 50 },
      summary: "At least 50% of those entitled to vote must vote.",
      citation: "TULRCA 1992 s.226(2)(a)(iia), inserted by TUA 2016 s.2",
      unconfirmed: null,
    },
    {
      from: "2026-02-18",
      regime: "C",
      value: { percent: 50 },
      summary:
        "At least 50% of those entitled to vote must vote. ERA 2025 repeals this, but the repeal is to be commenced only with electronic balloting.",
      citation: "TULRCA 1992 s.226(2)(a)(iia); repeal by ERA 2025 (Bill clause 65) not commenced",
      unconfirmed:
        "No source confirms whether the repeal of the 50% turnout threshold has been commenced; it is treated as still in force.",
    },
  ],
};

export const MAJORITY: Rule<{ strict: true }> = {
  id: "majority",
  title: "Majority of those voting",
  key: "ballot_opening",
  versions: [
    {
      from: "2005-10-01",
      regime: "A",
      value: { strict: true },
      summary: "More of those voting must answer Yes than No to the question.",
      citation: "TULRCA 1992 s.226(2)(a)(iii)",
      unconfirmed: null,
    },
    {
      from: "2017-03-01",
      regime: "B",
      value: { strict: true },
      summary: "More of those voting must answer Yes than No to the question.",
      citation: "TULRCA 1992 s.226(2A), inserted by TUA 2016 s.3",
      unconfirmed: null,
    },
  ],
};

export const IMPORTANT_PUBLIC_SERVICES: Rule<SupportValue> = {
  id: "important_public_services_40",
  title: "40% support in important public services",
  key: "ballot_opening",
  versions: [
    {
      from: "2005-10-01",
      regime: "A",
      value: null,
      summary: "No support threshold beyond the majority.",
      citation: "TULRCA 1992 s.226(2) (2000 version)",
      unconfirmed: null,
    },
    {
      from: "2017-03-01",
      regime: "B",
      value: { percent: 40 },
      summary:
        "Where the majority of those entitled are normally engaged in important public services, at least 40% of those entitled must vote Yes.",
      citation:
        "TULRCA 1992 s.226(2B)-(2F), inserted by TUA 2016 s.3; SI 2017/132 (health), 2017/133 (education), 2017/135 (transport)",
      unconfirmed: null,
    },
    {
      from: "2026-02-18",
      regime: "C",
      value: null,
      summary: "The 40% rule is repealed for ballots opening on or after 18 February 2026.",
      citation: "ERA 2025 s.69; s.159(2)(f)",
      unconfirmed: null,
    },
  ],
};

export const WALES_DISAPPLICATION: Rule<boolean> = {
  id: "wales_devolved_40",
  title: "40% rule disapplied for devolved Welsh public authorities",
  key: "ballot_opening",
  versions: [
    {
      // Not from 1 March 2017: the Act received Royal Assent on 7 September 2017 and ss.1-2 came into force
      // only on the day set by the Commencement Order. Until then the 40% rule applied in Wales too.
      from: "2017-09-13",
      regime: "B",
      value: true,
      summary:
        "The 40% rule does not apply to ballots of workers of devolved Welsh public authorities (NHS Wales, local authorities, schools, fire services, Welsh Government sponsored bodies).",
      citation:
        "Trade Union (Wales) Act 2017 ss.1-2 (Royal Assent 7 September 2017; ss.3-4 in force 8 September 2017; ss.1-2 from the day set by the Trade Union (Wales) Act 2017 (Commencement) Order 2017)",
      unconfirmed:
        "The commencement day of ss.1-2 is taken as 13 September 2017, the date of the consolidated text's first version after the Commencement Order; one secondary source gives 11 September 2017. The Order itself was not retrieved. The later date is used, so the 40% rule is never wrongly switched off.",
    },
    {
      from: "2026-02-18",
      regime: "C",
      value: false,
      summary:
        "Nothing left to disapply: the 40% rule itself is repealed for ballots opening on or after 18 February 2026, in Wales as elsewhere.",
      citation:
        "Trade Union (Wales) Act 2017 ss.1-2; TULRCA 1992 s.226(2B)-(2F) repealed by ERA 2025 s.69; s.159(2)(f)",
      unconfirmed: null,
    },
  ],
};

/** Which important-public-service categories have regulations in force (s.226(2E)). */
export const IPS_CATEGORIES: Record<
  "health" | "education" | "fire" | "transport" | "border_security" | "nuclear_decommissioning",
  { citation: string; unconfirmed: string | null; made: boolean }
> = {
  health: { citation: "SI 2017/132", unconfirmed: null, made: true },
  education: { citation: "SI 2017/133", unconfirmed: null, made: true },
  transport: { citation: "SI 2017/135", unconfirmed: null, made: true },
  fire: {
    citation: "SI 2017/134 (number believed)",
    unconfirmed: "The SI number and text of the fire services regulations are from a secondary source.",
    made: true,
  },
  border_security: {
    citation: "SI 2017/136 (number believed)",
    unconfirmed: "The SI number and text of the border security regulations are from a secondary source.",
    made: true,
  },
  nuclear_decommissioning: {
    citation: "TULRCA 1992 s.226(2E)(e); no regulations found",
    unconfirmed: "No nuclear decommissioning regulations were found; treated as not made.",
    made: false,
  },
};

// ---------------------------------------------------------------------------
// Notices to employers

export const BALLOT_NOTICE_DAYS: Rule<number> = {
  id: "ballot_notice_days",
  title: "Notice of ballot to the employer",
  key: "ballot_opening",
  versions: [
    {
      from: "2005-10-01",
      regime: "A",
      value: 7,
      summary:
        "The employer must receive the notice of ballot no later than the 7th day before the opening day.",
      citation: "TULRCA 1992 s.226A(1)(a)",
      unconfirmed:
        "The verbatim wording of s.226A(4) (the opening day) was not retrieved; the 7-day period is from secondary sources.",
    },
  ],
};

export const SAMPLE_PAPER_DAYS: Rule<number> = {
  id: "sample_paper_days",
  title: "Sample voting paper to the employer",
  key: "ballot_opening",
  versions: [
    {
      from: "2005-10-01",
      regime: "A",
      value: 3,
      summary:
        "The employer must receive a sample voting paper no later than the 3rd day before the opening day.",
      citation: "TULRCA 1992 s.226A(1)(b); Code of Practice on Industrial Action Ballots para 19",
      unconfirmed: null,
    },
  ],
};

export const BALLOT_NOTICE_FORM: Rule<NoticeForm> = {
  id: "ballot_notice_form",
  title: "Contents of the notice of ballot",
  key: "notice_received",
  versions: [
    {
      from: "2005-10-01",
      regime: "A",
      value: "lists_figures_explanation",
      summary:
        "The lists of categories and workplaces, the number in each category and at each workplace, the total, and an explanation of how the figures were arrived at.",
      citation: "TULRCA 1992 s.226A(2)-(2D), substituted by ERA 2004 s.22",
      unconfirmed: null,
    },
    {
      from: "2026-02-18",
      regime: "C",
      value: "lists_total",
      summary: "The list of categories, the list of workplaces and the total number of employees concerned.",
      citation: "TULRCA 1992 s.226A(2)-(2D) as amended by ERA 2025 s.70",
      unconfirmed: null,
    },
  ],
};

export const ACTION_NOTICE_PERIOD: Rule<ActionNoticePeriod> = {
  id: "action_notice_period",
  title: "Notice of industrial action",
  key: "notice_given",
  versions: [
    {
      from: "2005-10-01",
      regime: "A",
      value: { days: 7, byAgreementDays: null },
      summary:
        "The employer must receive the notice no later than the 7th day before the first day of action.",
      citation: "TULRCA 1992 s.234A(4)",
      unconfirmed: null,
    },
    {
      from: "2017-03-01",
      regime: "B",
      value: { days: 14, byAgreementDays: 7 },
      summary:
        "The employer must receive the notice no later than the 14th day before the first day of action (the 7th if the employer agrees).",
      citation: "TULRCA 1992 s.234A(4), amended by TUA 2016 s.8",
      unconfirmed: null,
    },
    {
      from: "2026-02-18",
      regime: "C",
      value: { days: 10, byAgreementDays: null },
      summary:
        "The employer must receive the notice no later than the 10th day before the first day of action.",
      citation: "TULRCA 1992 s.234A(4), amended by ERA 2025 (believed s.73)",
      unconfirmed: "The ERA 2025 section making the period 10 days is believed to be s.73.",
    },
  ],
};

export const ACTION_NOTICE_FORM: Rule<NoticeForm> = {
  id: "action_notice_form",
  title: "Contents of the notice of industrial action",
  key: "notice_given",
  versions: [
    {
      from: "2005-10-01",
      regime: "A",
      value: "lists_figures_explanation",
      summary:
        "Lists, figures and explanation for the affected employees (as for the notice of ballot), and whether the action is continuous (start date) or discontinuous (dates).",
      citation: "TULRCA 1992 s.234A(3)",
      unconfirmed: null,
    },
    {
      from: "2026-02-18",
      regime: "C",
      value: "lists_total",
      summary:
        "The lists of categories and workplaces and the total number of affected employees, and whether the action is continuous or discontinuous.",
      citation: "TULRCA 1992 s.234A(3) as amended by ERA 2025 s.74",
      unconfirmed:
        "The retained content of the s.234A notice after ERA 2025 is not confirmed in statutory text.",
    },
  ],
};

export const MINIMUM_SERVICE_STATEMENT: Rule<boolean> = {
  id: "minimum_service_statement",
  title: "Strike-day statement for minimum service levels",
  key: "notice_given",
  versions: [
    {
      from: "2005-10-01",
      regime: "A",
      value: false,
      summary: "Not required.",
      citation: "-",
      unconfirmed: null,
    },
    {
      from: "2023-07-20",
      regime: "B",
      value: true,
      summary:
        "Where the action relates to a relevant service, the notice states whether the action on each date is a strike for s.234C purposes.",
      citation: "TULRCA 1992 s.234A(3)(ba), inserted by the Strikes (Minimum Service Levels) Act 2023",
      unconfirmed: null,
    },
    {
      from: "2025-12-18",
      regime: "B",
      value: false,
      summary: "Not required: the Strikes (Minimum Service Levels) Act 2023 is repealed.",
      citation: "ERA 2025 s.78; s.159(1)(c)",
      unconfirmed: null,
    },
  ],
};

// ---------------------------------------------------------------------------
// Voting paper and result

export const VOTING_PAPER: Rule<readonly VotingPaperItem[]> = {
  id: "voting_paper_contents",
  title: "Contents of the voting paper",
  key: "ballot_opening",
  versions: [
    {
      from: "2005-10-01",
      regime: "A",
      value: [
        "scrutineer",
        "return_address_and_date",
        "consecutive_number",
        "separate_questions",
        "authorised_person",
        "dismissal_statement",
      ],
      summary:
        "The scrutineer's name, the return address and date, a unique consecutive number, a separate Yes/No question for strike and for action short of a strike, the person authorised to call action, and the statutory statement.",
      citation: "TULRCA 1992 s.229(1A)-(4)",
      unconfirmed: null,
    },
    {
      from: "2017-03-01",
      regime: "B",
      value: [
        "scrutineer",
        "return_address_and_date",
        "consecutive_number",
        "separate_questions",
        "authorised_person",
        "dismissal_statement",
        "summary_of_matters",
        "action_short_of_strike_types",
        "expected_periods",
      ],
      summary:
        "As before, plus a summary of the matters in issue, the types of action short of a strike, and the period(s) in which action is expected.",
      citation: "TULRCA 1992 s.229(2B)-(2D), inserted by TUA 2016 s.5",
      unconfirmed: null,
    },
    {
      from: "2026-02-18",
      regime: "C",
      value: [
        "scrutineer",
        "return_address_and_date",
        "consecutive_number",
        "separate_questions",
        "authorised_person",
        "dismissal_statement",
      ],
      summary: "The 2016 additions are removed.",
      citation: "TULRCA 1992 s.229 as amended by ERA 2025 s.71",
      unconfirmed: null,
    },
  ],
};

/** Null text: the wording is not known and papers must not be issued until a lawyer supplies it. */
export const DISMISSAL_STATEMENT: Rule<string | null> = {
  id: "dismissal_statement",
  title: "Statement on the voting paper",
  key: "ballot_opening",
  versions: [
    {
      from: "2005-10-01",
      regime: "A",
      value: DISMISSAL_12_WEEKS,
      summary:
        "The statutory statement on dismissal protection (twelve weeks), unqualified and without comment.",
      citation: "TULRCA 1992 s.229(4), as amended by ERA 2004 (twelve weeks from 6 April 2005; eight before)",
      unconfirmed: null,
    },
    {
      from: "2026-02-18",
      regime: "C",
      value: null,
      summary:
        "ERA 2025 ends the twelve-week cap on dismissal protection, so the statement changes; the new wording was not found.",
      citation: "TULRCA 1992 s.229(4) as amended by ERA 2025",
      unconfirmed:
        "The new s.229(4) statement wording is not confirmed: voting papers cannot be issued until the union records the wording verified by its lawyers.",
    },
  ],
};

export const RESULT_CONTENTS: Rule<readonly ResultItem[]> = {
  id: "result_contents",
  title: "Information about the result (members and employers)",
  key: "ballot_opening",
  versions: [
    {
      from: "2005-10-01",
      regime: "A",
      value: ["votes_cast", "yes", "no", "spoilt"],
      summary:
        "Votes cast, the number answering Yes and No to each question, and spoiled papers, to every member entitled to vote and every relevant employer, as soon as reasonably practicable.",
      citation: "TULRCA 1992 ss.231, 231A",
      unconfirmed: null,
    },
    {
      from: "2017-03-01",
      regime: "B",
      value: ["entitled", "votes_cast", "yes", "no", "spoilt_or_invalid", "turnout_met", "support_40_met"],
      summary:
        "Also the number entitled to vote, spoiled or otherwise invalid papers, whether the 50% turnout was met and, where it applies, whether the 40% support was met.",
      citation: "TULRCA 1992 s.231 as substituted by TUA 2016 s.6; s.231A",
      unconfirmed: null,
    },
    {
      from: "2026-02-18",
      regime: "C",
      value: ["entitled", "votes_cast", "yes", "no", "spoilt_or_invalid", "turnout_met", "support_40_met"],
      summary:
        "The TUA 2016 additions are reported repealed; Mandate still reports the full 2016 list, which includes everything the older law asked for.",
      citation: "TULRCA 1992 ss.231, 231A as amended by ERA 2025",
      unconfirmed: "What s.231 and s.231A require after 18 February 2026 is not confirmed.",
    },
  ],
};

// ---------------------------------------------------------------------------
// Mandate, scrutiny, picketing

export const MANDATE_PERIOD: Rule<MandatePeriod> = {
  id: "mandate_period",
  title: "How long the ballot gives a mandate",
  key: "ballot_opening",
  versions: [
    {
      from: "2005-10-01",
      regime: "A",
      value: { kind: "begin_within", weeks: 4, byAgreementWeeks: 8, courtMaxWeeks: 12 },
      summary:
        "Action must begin within 4 weeks beginning with the date of the ballot (8 if the employer agrees); a court may discount time under an injunction, to 12 weeks at most.",
      citation: "TULRCA 1992 s.234, substituted by ERA 1999",
      unconfirmed: null,
    },
    {
      from: "2017-03-01",
      regime: "B",
      value: { kind: "expires", months: 6, byAgreementMonths: 9 },
      summary: "The mandate expires 6 months after the date of the ballot (9 if the employer agrees).",
      citation: "TULRCA 1992 s.234(1), amended by TUA 2016 s.9",
      unconfirmed: null,
    },
    {
      from: "2026-02-18",
      regime: "C",
      value: { kind: "expires", months: 12, byAgreementMonths: null },
      summary: "The mandate expires 12 months after the date of the ballot; no extension by agreement.",
      citation: "TULRCA 1992 s.234(1), amended by ERA 2025 s.72",
      unconfirmed: null,
    },
  ],
};

export const SCRUTINEER: Rule<{ requiredAbove: number }> = {
  id: "scrutineer",
  title: "Independent scrutineer",
  key: "ballot_opening",
  versions: [
    {
      from: "2005-10-01",
      regime: "A",
      value: { requiredAbove: 50 },
      summary:
        "An independent scrutineer must be appointed unless 50 or fewer are entitled to vote; the scrutineer reports within 4 weeks of the date of the ballot.",
      citation: "TULRCA 1992 ss.226B, 226C, 231B",
      unconfirmed: "The wording of ss.226B, 226C and 231B was not retrieved.",
    },
  ],
};

export const PICKET_SUPERVISOR: Rule<boolean> = {
  id: "picket_supervisor",
  title: "Picket supervisor",
  key: "picketing",
  versions: [
    {
      from: "2005-10-01",
      regime: "A",
      value: false,
      summary: "Code of Practice guidance only; no statutory duty.",
      citation: "Code of Practice on Picketing",
      unconfirmed: null,
    },
    {
      from: "2017-03-01",
      regime: "B",
      value: true,
      summary:
        "The union must appoint a picket supervisor, tell the police their name and the picket location, give them an approval letter, and they must be present or readily contactable and identifiable.",
      citation: "TULRCA 1992 s.220A, inserted by TUA 2016 s.10",
      unconfirmed: null,
    },
    {
      from: "2026-02-18",
      regime: "C",
      value: false,
      summary: "The statutory picket supervisor duty is repealed for picketing on or after 18 February 2026.",
      citation: "ERA 2025 (repeal of TULRCA 1992 s.220A)",
      unconfirmed: null,
    },
  ],
};

/** The Code of Practice's guidance on the number of pickets at an entrance (advisory, never blocking). */
export interface PicketNumbers {
  perEntrance: number;
}

export const PICKET_NUMBERS: Rule<PicketNumbers> = {
  id: "picket_numbers",
  title: "Number of pickets at an entrance",
  key: "picketing",
  versions: [
    {
      from: "2005-10-01",
      regime: "A",
      value: { perEntrance: 6 },
      summary:
        "Pickets and their organisers should ensure that in general the number of pickets does not exceed six at any entrance to a workplace; frequently a smaller number will be appropriate. Guidance, not a legal limit.",
      citation: "Code of Practice on Picketing, Section E (Limiting numbers of pickets)",
      unconfirmed: null,
    },
  ],
};

// ---------------------------------------------------------------------------
// Changes whose commencement is not known: off until a commencement date is set

export type SwitchId =
  | "turnout_threshold_repeal"
  | "electronic_voting"
  | "hybrid_voting"
  | "workplace_voting";

export interface Commencement {
  id: SwitchId;
  title: string;
  /** Null: not in force. */
  commencedOn: IsoDate | null;
  citation: string;
  unconfirmed: string;
}

const VOTING_ORDER =
  "Trade Unions (Permissible Means of Voting) and Employment Rights (Unfair Dismissal) (Amendment) Order 2026, laid 22 June 2026";
const VOTING_ORDER_STATUS =
  "The Order was expected in August 2026; no source confirms it in force. Set its commencement date only on legal advice.";

export const COMMENCEMENTS: Record<SwitchId, Commencement> = {
  turnout_threshold_repeal: {
    id: "turnout_threshold_repeal",
    title: "Repeal of the 50% turnout threshold",
    commencedOn: null,
    citation: "ERA 2025 (Bill clause 65), to be commenced alongside electronic balloting",
    unconfirmed: "No source confirms the repeal of the 50% turnout threshold has been commenced.",
  },
  electronic_voting: {
    id: "electronic_voting",
    title: "Electronic voting",
    commencedOn: null,
    citation: VOTING_ORDER,
    unconfirmed: VOTING_ORDER_STATUS,
  },
  hybrid_voting: {
    id: "hybrid_voting",
    title: "Hybrid voting (postal pack, online return)",
    commencedOn: null,
    citation: VOTING_ORDER,
    unconfirmed: VOTING_ORDER_STATUS,
  },
  workplace_voting: {
    id: "workplace_voting",
    title: "Workplace voting",
    commencedOn: null,
    citation: VOTING_ORDER,
    unconfirmed: VOTING_ORDER_STATUS,
  },
};

/** Every versioned rule, for listing "the law as at a date". */
export const RULES = [
  TURNOUT,
  MAJORITY,
  IMPORTANT_PUBLIC_SERVICES,
  WALES_DISAPPLICATION,
  BALLOT_NOTICE_DAYS,
  SAMPLE_PAPER_DAYS,
  BALLOT_NOTICE_FORM,
  VOTING_PAPER,
  DISMISSAL_STATEMENT,
  RESULT_CONTENTS,
  ACTION_NOTICE_PERIOD,
  ACTION_NOTICE_FORM,
  MINIMUM_SERVICE_STATEMENT,
  MANDATE_PERIOD,
  SCRUTINEER,
  PICKET_SUPERVISOR,
  PICKET_NUMBERS,
] as const;

/**
 * A rule's title for people ("Turnout threshold"), by the id that legal-review
 * items and verdicts carry; commencement switches and "voting_method" too.
 */
export function ruleTitle(id: string): string {
  const rule = RULES.find((r) => r.id === id);
  if (rule) return rule.title;
  if (id in COMMENCEMENTS) return COMMENCEMENTS[id as SwitchId].title;
  if (id === "voting_method") return "Permitted means of voting";
  const words = id.replace(/_/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}
