/**
 * The inputs of the ballot documents. Everything here is already decided
 * elsewhere (figures counted from the frozen electorate, dates computed by
 * the timetable, legal texts chosen by the regime engine): the renderers
 * only lay it out, so a document can be re-rendered byte for byte from its
 * stored input and shown to a court as what was sent.
 *
 * Dates are ISO calendar dates (`YYYY-MM-DD`), as everywhere in Mandate;
 * the renderers print them in UK style ("7 December 2026").
 */

/**
 * A statutory statement or rule as the law engine gives it: the words to
 * print, the provision they come from, and why it is not yet confirmed (a
 * rule marked UNCONFIRMED in ballot-law.md), so a document built on an
 * unchecked rule says so on its face instead of going out looking final.
 */
export interface LegalText {
  text: string;
  /** Printed in the document's "Legal basis" section, e.g. "TULRCA 1992 s.226A(2)(a)". */
  citation: string;
  /** Why this needs legal review; null when confirmed. Any non-null value puts a banner on the document. */
  unconfirmed: string | null;
}

/**
 * The law that governs the document. A: as in 2011; B: 1 March 2017 to
 * 17 February 2026 (Trade Union Act 2016); C: from 18 February 2026
 * (Employment Rights Act 2025). Which date decides it differs per document
 * (ballot opening, notice received, notice given) and is decided upstream.
 */
export type Regime = "A" | "B" | "C";

/** Who the document is from. The contact is where the employer or member can raise a query. */
export interface UnionParty {
  name: string;
  /** Postal address; line breaks are kept. */
  address: string;
  contact: string;
  /** The officer who signs the union's letters (union settings); null: the letter is signed for the union. */
  signatory?: { name: string; title: string } | null;
}

/** Who an employer document is addressed to. The register code identifies it (ODS, GIAS...) when known. */
export interface EmployerParty {
  name: string;
  address: string | null;
  registerCode: string | null;
}

/** One category of employee (s.226A(2A)(a)) and how many of the employees concerned are in it. */
export interface CategoryCount {
  category: string;
  count: number;
}

/**
 * One workplace (s.226A(2A)(b)) and how many of the employees concerned work
 * there. Site code, address and postcode identify it beyond doubt: a notice
 * naming a closed or ambiguous workplace has cost unions injunctions.
 */
export interface WorkplaceCount {
  workplace: string;
  siteCode: string | null;
  address: string | null;
  postcode: string | null;
  count: number;
}

/** The two kinds of industrial action a voting paper can ask about (s.229(2)); they need separate questions. */
export type ActionKind = "strike" | "action_short_of_strike";

/**
 * How the notice gives the employees concerned. A and B: the lists, the
 * number in each category and at each workplace, the total and an
 * explanation of the figures (s.226A(2)(c)(i)). C: the lists and the total
 * only (ERA 2025 s.70).
 */
export type ListsForm = "lists_figures_explanation" | "lists_total";

/** The s.228A test that allows one aggregated ballot instead of a ballot per workplace. */
export type AggregationTest = "common_dispute" | "occupation" | "employer";

/**
 * Fields shared by every document. `reviewReasons` carries the reasons of
 * rules used upstream that print no text of their own here (the regime
 * chosen, a threshold): they join the legal-review banner with the reasons
 * of the printed legal texts.
 */
export interface DocumentBase {
  union: UnionParty;
  /** The date the document is issued; also its PDF creation date (00:00 UTC), so output is reproducible. */
  issuedOn: string;
  regime: Regime;
  reviewReasons?: string[];
  /**
   * The recorded legal sign-off covering every review reason (who reviewed,
   * on what date). Without it a document with review reasons is a draft:
   * watermarked, never to be sent.
   */
  legalSignOff?: { reviewer: string; on: string } | null;
  /**
   * The signed checkpoint of the audit chain when the document was generated
   * (JSON), written into the PDF's Keywords so a copy held outside the system
   * can be checked against the log (`mandate audit verify --document`).
   */
  auditCheckpoint?: string;
}

/**
 * The employees a notice is about, in the form the regime requires: the
 * employees concerned for a notice of ballot (s.226A), the affected
 * employees for a notice of industrial action (s.234A(3)(a)). Lists come in
 * the order to print them; the caller sorts.
 */
export interface EmployeeLists {
  form: ListsForm;
  categories: CategoryCount[];
  workplaces: WorkplaceCount[];
  total: number;
  /** How the figures were arrived at (A/B); null or ignored in the lists_total form. */
  explanation: string | null;
}

/** Notice of ballot to an employer (s.226A), with the sample voting paper sent separately. */
export interface BallotNoticeInput extends DocumentBase, EmployeeLists {
  employer: EmployerParty;
  disputeTitle: string;
  /** The constituency balloted, as it will be reported in the result (a mismatch was criticised after N30). */
  constituencyName: string;
  ballotKind: "workplace" | "aggregated";
  /** The s.228A test relied on for an aggregated ballot; null for a workplace ballot. */
  aggregationTest: AggregationTest | null;
  /** The date the union reasonably believes will be the opening day (s.226A(2)(b)). */
  openingDate: string;
  questions: ActionKind[];
  /** A re-ballot of members already taking part: "to take part, or to continue to take part" (s.229(2)). */
  reballot?: boolean;
  /** SHA-256 (hex) of the frozen electorate, so the employer's copy can be matched to the scrutineer's. */
  electorateFingerprint: string;
  /**
   * The provisions the notice relies on, for its "Legal basis" and its draft
   * status. Their `text` is not printed: the notice words its statements as a
   * letter to the employer, per form (the renderer), never as rule summaries.
   */
  legal: LegalText[];
  reference: string;
  /**
   * The check-off route (s.226A(2)(c)(ii), (2C)): the union relies on
   * information from which the employer, who deducts the members'
   * subscriptions from wages, can readily deduce the employees concerned.
   * Only for employees on check-off (Metrobus v Unite [2009] EWCA Civ 829);
   * null when the notice gives the lists (and figures) instead.
   */
  checkOff?: CheckOffInformation | null;
}

/** What lets an employer that deducts subscriptions work out the employees concerned (s.226A(2C)). */
export interface CheckOffInformation {
  /** The date as at which the check-off deductions identify the employees concerned. */
  asAt: string;
  /** The job categories balloted, when the ballot is limited to some; null: every category. */
  categories: string[] | null;
  /** The workplaces balloted, when the ballot is limited to some; null: every workplace. */
  workplaces: string[] | null;
}

/** One question on the voting paper (s.229(2)), with the types of action short of a strike (s.229(2C)). */
export interface VotingQuestion {
  kind: ActionKind;
  text: string;
  /** Required for action short of a strike under B (s.229(2C)); printed under the question when given. */
  actionTypes: string[];
}

/** A voting paper (s.229), or the sample of it sent to employers (s.226A(1)(b)). */
export interface VotingPaperInput extends DocumentBase {
  /** Named on every paper (s.229(1A)(a)); null only for ballots of 50 or fewer entitled (s.226C), then not mentioned. */
  scrutineer: { name: string; address: string } | null;
  returnAddress: string;
  returnBy: string;
  /** The paper's number in the consecutive series (s.229(1A)(c)-(d)), e.g. "0000001", or "SAMPLE". */
  paperNumber: string;
  questions: VotingQuestion[];
  /** Who may call the action after a Yes vote (s.229(3)). */
  authorisedPerson: string;
  /** The s.229(4) statement, printed verbatim, unqualified and without comment. */
  dismissalStatement: LegalText;
  /** B only (s.229(2B)): summary of the matters in issue; null otherwise. */
  summaryOfMatters: string | null;
  /** B only (s.229(2D)): when the action, or each type of it, is expected to take place; null otherwise. */
  expectedPeriods: string[] | null;
  /** Prints a SAMPLE heading and watermark: the copy for employers. */
  sample: boolean;
  /** Further provisions the paper relies on, for its "Legal basis" section. */
  legal?: LegalText[];
}

/**
 * The artwork specification for the scrutineer or printer: everything the
 * printed voting papers must carry so that they match the sample sent to the
 * employers (s.226A(1)(b)), generated in the same step from the same input.
 */
export interface ArtworkSpecInput extends DocumentBase {
  /** The sample voting paper's input, as rendered: the questions and statement are copied from it, never retyped. */
  sample: VotingPaperInput;
  /** How members vote: postal papers only (s.230(2): to the home address, returned by post). */
  votingMethod: "postal";
  /** A re-ballot of members already taking part: the questions say "take part or continue to take part". */
  reballot: boolean;
  /** The consecutive series of paper numbers (s.229(1A)(c)-(d)) of the frozen electorate: 1..last. */
  numbering: { first: number; last: number; digits: number };
  /** SHA-256 (hex) of the frozen electorate the series was numbered from. */
  electorateFingerprint: string;
  reference: string;
}

/** One row of the scrutineer's file: what is needed to post a paper, nothing more (data minimisation). */
export interface VoterFileRow {
  paperNumber: string;
  name: string;
  /** Up to four lines; more is a programming error. */
  addressLines: string[];
  postcode: string;
}

/** The count for one question (s.231(b)-(d)): spoilt counts papers spoiled or otherwise invalid for it. */
export interface QuestionResult {
  kind: ActionKind;
  yes: number;
  no: number;
  spoilt: number;
}

/**
 * The result of a ballot, to members (s.231) or an employer (s.231A), as a
 * letter from the union. The B field list is printed whatever the regime
 * (ballot-law.md §7 C advises the superset while the C list is unconfirmed);
 * the turnout and 40% answers only where those rules apply (never in
 * Northern Ireland, whose Order has neither).
 */
export interface ResultNoticeInput extends DocumentBase {
  audience: "members" | "employer";
  /** Required when the audience is an employer. */
  employer: EmployerParty | null;
  constituencyName: string;
  closingDate: string;
  entitled: number;
  /** Every paper returned, spoilt ones included. */
  votesCast: number;
  questions: QuestionResult[];
  /** The 50% turnout rule (s.226(2)(a)(iia)); `met` is null when it does not apply. */
  turnout: { applies: boolean; met: boolean | null; percent: number };
  /** The 40% support rule (s.226(2B)); `met` has one entry per question, in order, when it applies, else null. */
  support40: { applies: boolean; met: boolean[] | null };
  mandate: boolean;
  /** The kinds of action the ballot supports (a subset of the questions); empty without a mandate. */
  mandateFor: ActionKind[];
  /**
   * How long the ballot is effective (s.234), worded by the renderer with
   * dates in words: action must begin by `lastDay` (A, Northern Ireland) or
   * the mandate ends with it (B, C); `lastDayByAgreement` when the employer
   * may agree a longer period. Null: no dates to give (no mandate).
   */
  mandatePeriod: {
    kind: "begin_within" | "expires";
    lastDay: string;
    lastDayByAgreement: string | null;
  } | null;
  /** The provisions relied on: citations for the "Legal basis" line and the draft status; their text is not printed. */
  legal: LegalText[];
}

/** One kind of action in a notice of industrial action, with its types for action short of a strike. */
export interface ActionSpec {
  kind: ActionKind;
  types: string[];
}

/** Continuous action: the intended start date (s.234A(3)(b)). */
export interface ContinuousAction {
  continuous: true;
  startDate: string;
  actions: ActionSpec[];
}

/** Discontinuous action: the intended dates, each with the action on that day (s.234A(3)(b)). */
export interface DiscontinuousAction {
  continuous: false;
  dates: { date: string; actions: ActionSpec[] }[];
}

/** Notice of industrial action to an employer (s.234A), about the affected employees. */
export type ActionNoticeInput = DocumentBase &
  EmployeeLists &
  (ContinuousAction | DiscontinuousAction) & {
    employer: EmployerParty;
    /** The notice period in days that applies (7 / 14, or 7 by agreement / 10), and its statement. */
    noticePeriodDays: number;
    noticePeriodStatement: LegalText;
    legal: LegalText[];
    reference: string;
  };

/** A CSV file that goes with a notice when a list is too long to print in full. */
export interface Annex {
  filename: string;
  csv: string;
}
