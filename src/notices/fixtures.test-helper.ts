/**
 * Inputs for the document tests and for trying the renderers by hand: a
 * small NHS trust dispute with figures chosen so each appears nowhere else
 * on the page (a test that finds "4817" has found that count, not a date).
 */
import type {
  ActionNoticeInput,
  ArtworkSpecInput,
  BallotNoticeInput,
  CategoryCount,
  EmployerParty,
  LegalText,
  ResultNoticeInput,
  UnionParty,
  VotingPaperInput,
  WorkplaceCount,
} from "./documents.model.js";

export const union: UnionParty = {
  name: "Health and Care Workers Union",
  address: "1 Example Street\nLondon\nN1 9XX",
  contact: "ballots@hcwu.example, 020 7946 0000",
};

export const employer: EmployerParty = {
  name: "Leeds Teaching Hospitals NHS Trust",
  address: "St James's University Hospital\nBeckett Street\nLeeds\nLS9 7TF",
  registerCode: "RR8",
};

export const confirmed = (text: string, citation: string): LegalText => ({
  text,
  citation,
  unconfirmed: null,
});

export const categories: CategoryCount[] = [
  { category: "Registered nurses (Band 5-6)", count: 4817 },
  { category: "Healthcare assistants (Band 2-3)", count: 2391 },
  { category: "Porters", count: 358 },
  { category: "Domestic staff", count: 277 },
  { category: "Administrative and clerical staff", count: 1163 },
];

/** 10 workplaces whose counts add up to the categories' total (9,006). */
export const workplaces: WorkplaceCount[] = [
  {
    workplace: "St James's University Hospital",
    siteCode: "RR813",
    address: "Beckett Street, Leeds",
    postcode: "LS9 7TF",
    count: 2713,
  },
  {
    workplace: "Leeds General Infirmary",
    siteCode: "RR801",
    address: "Great George Street, Leeds",
    postcode: "LS1 3EX",
    count: 2468,
  },
  {
    workplace: "Chapel Allerton Hospital",
    siteCode: "RR807",
    address: "Chapeltown Road, Leeds",
    postcode: "LS7 4SA",
    count: 941,
  },
  {
    workplace: "Seacroft Hospital",
    siteCode: "RR814",
    address: "York Road, Leeds",
    postcode: "LS14 6UH",
    count: 533,
  },
  {
    workplace: "Wharfedale Hospital",
    siteCode: "RR815",
    address: "Newall Carr Road, Otley",
    postcode: "LS21 2LY",
    count: 419,
  },
  {
    workplace: "Leeds Dental Institute",
    siteCode: "RR816",
    address: "Clarendon Way, Leeds",
    postcode: "LS2 9LU",
    count: 382,
  },
  {
    workplace: "Leeds Children's Hospital",
    siteCode: "RR817",
    address: "Calverley Street, Leeds",
    postcode: "LS1 3EX",
    count: 1094,
  },
  {
    workplace: "Bexley Wing",
    siteCode: "RR818",
    address: "Beckett Street, Leeds",
    postcode: "LS9 7TF",
    count: 287,
  },
  {
    workplace: "Clarendon Wing",
    siteCode: "RR819",
    address: "Belmont Grove, Leeds",
    postcode: "LS2 9NS",
    count: 102,
  },
  {
    workplace: "Gledhow Wing",
    siteCode: "RR820",
    address: "Beckett Street, Leeds",
    postcode: "LS9 7TF",
    count: 67,
  },
];

export const total = 9006;

export const explanation =
  "The figures are the union's members employed by the Trust on 20 November 2026, taken from the union's membership register, corrected from returns made by workplace representatives. Categories are the members' job titles grouped by pay band.";

export const fingerprint = "ab".repeat(32);

export function ballotNoticeAB(): BallotNoticeInput {
  return {
    union,
    employer,
    issuedOn: "2026-01-12",
    regime: "B",
    disputeTitle: "Pay award 2026/27",
    constituencyName: "Leeds Teaching Hospitals NHS Trust (aggregated)",
    ballotKind: "aggregated",
    aggregationTest: "employer",
    form: "lists_figures_explanation",
    openingDate: "2026-01-26",
    questions: ["strike", "action_short_of_strike"],
    categories: structuredClone(categories),
    workplaces: structuredClone(workplaces),
    total,
    explanation,
    electorateFingerprint: fingerprint,
    legal: [
      confirmed(
        "The union gives notice that it intends to hold a ballot of its members employed by you about industrial action.",
        "TULRCA 1992 s.226A(2)(a)",
      ),
      confirmed(
        "The union reasonably believes the opening day of the ballot will be the date given below.",
        "TULRCA 1992 s.226A(2)(b)",
      ),
      confirmed(
        "The lists and figures below are as accurate as is reasonably practicable in the light of the information in the union's possession.",
        "TULRCA 1992 s.226A(2D)",
      ),
    ],
    reference: "HCWU/2026/NB-0042",
  };
}

export function ballotNoticeC(): BallotNoticeInput {
  return {
    ...ballotNoticeAB(),
    issuedOn: "2026-12-07",
    regime: "C",
    form: "lists_total",
    openingDate: "2026-12-21",
    explanation: null,
    legal: [
      confirmed(
        "The union gives notice that it intends to hold a ballot of its members employed by you about industrial action.",
        "TULRCA 1992 s.226A(2)(a)",
      ),
      confirmed(
        "The union reasonably believes the opening day of the ballot will be the date given below.",
        "TULRCA 1992 s.226A(2)(b)",
      ),
      confirmed(
        "The lists and number below are as accurate as is reasonably practicable in the light of the information in the union's possession.",
        "TULRCA 1992 s.226A(2D) as amended by ERA 2025 s.70",
      ),
    ],
    reference: "HCWU/2026/NB-0107",
  };
}

/** `n` workplaces with counts 1..n (a total of n(n+1)/2), for the annex tests. */
export function manyWorkplaces(n: number): WorkplaceCount[] {
  return Array.from({ length: n }, (_, i) => ({
    workplace: `Health centre ${String(i + 1).padStart(3, "0")}`,
    siteCode: `X${String(i + 1).padStart(4, "0")}`,
    address: `${i + 1} High Street, Leeds`,
    postcode: "LS1 1AA",
    count: i + 1,
  }));
}

export const dismissalStatement12Weeks =
  "If you take part in a strike or other industrial action, you may be in breach of your contract of employment. However, if you are dismissed for taking part in a strike or other industrial action which is called officially and is otherwise lawful, the dismissal will be unfair if it takes place fewer than twelve weeks after you started taking part in the action, and depending on the circumstances may be unfair if it takes place later.";

export function votingPaperB(): VotingPaperInput {
  return {
    union,
    issuedOn: "2026-01-20",
    regime: "B",
    scrutineer: { name: "Civica Election Services", address: "33 Clarendon Road, London N8 0NW" },
    returnAddress: "Civica Election Services, Freepost RTLS-ABCD-1234, London N8 0NW",
    returnBy: "2026-02-16",
    paperNumber: "0004711",
    questions: [
      {
        kind: "strike",
        text: "Are you prepared to take part in a strike?",
        actionTypes: [],
      },
      {
        kind: "action_short_of_strike",
        text: "Are you prepared to take part in industrial action short of a strike?",
        actionTypes: ["overtime ban", "refusal to work beyond contracted hours"],
      },
    ],
    authorisedPerson: "Jane Example, General Secretary",
    dismissalStatement: confirmed(dismissalStatement12Weeks, "TULRCA 1992 s.229(4)"),
    summaryOfMatters:
      "The Trust's refusal to pay the 2026/27 pay award in full and its plan to cut unsocial-hours payments.",
    expectedPeriods: [
      "Strike: between 1 March 2026 and 31 July 2026",
      "Overtime ban: from 1 March 2026 to 31 August 2026",
    ],
    sample: false,
    legal: [confirmed("", "TULRCA 1992 s.229(1A)"), confirmed("", "TULRCA 1992 s.229(2B)-(2D)")],
  };
}

export function votingPaperA(): VotingPaperInput {
  return {
    ...votingPaperB(),
    issuedOn: "2011-10-03",
    regime: "A",
    returnBy: "2011-11-03",
    summaryOfMatters: null,
    expectedPeriods: null,
    legal: [confirmed("", "TULRCA 1992 s.229(1A)")],
  };
}

/** The artwork specification that goes with votingPaperB's sample. */
export function artworkSpecB(): ArtworkSpecInput {
  return {
    union,
    issuedOn: "2026-01-20",
    regime: "B",
    sample: { ...votingPaperB(), paperNumber: "SAMPLE", sample: true },
    votingMethod: "postal",
    reballot: false,
    numbering: { first: 1, last: 9006, digits: 7 },
    electorateFingerprint: "3f".repeat(32),
    reference: "MANDATE-12-ARTWORK-3F3F3F3F",
  };
}

export function resultNoticeB(): ResultNoticeInput {
  return {
    union,
    issuedOn: "2026-02-17",
    regime: "B",
    audience: "employer",
    employer,
    constituencyName: "Leeds Teaching Hospitals NHS Trust (aggregated)",
    closingDate: "2026-02-16",
    entitled: 9006,
    votesCast: 5231,
    questions: [
      { kind: "strike", yes: 3874, no: 1302, spoilt: 55 },
      { kind: "action_short_of_strike", yes: 4429, no: 738, spoilt: 64 },
    ],
    turnout: { applies: true, met: true, percent: (5231 / 9006) * 100 },
    support40: { applies: true, met: [true, true] },
    mandate: true,
    mandateFor: ["strike", "action_short_of_strike"],
    mandatePeriod: { kind: "expires", lastDay: "2026-08-15", lastDayByAgreement: "2026-11-15" },
    legal: [
      confirmed(
        "This notice gives the result of the ballot to every relevant employer.",
        "TULRCA 1992 s.231A; s.231 as amended by TUA 2016 s.6",
      ),
    ],
  };
}

export function actionNoticeC(): ActionNoticeInput {
  return {
    union,
    employer,
    issuedOn: "2026-02-18",
    regime: "C",
    form: "lists_total",
    categories: structuredClone(categories),
    workplaces: structuredClone(workplaces),
    total,
    explanation: null,
    continuous: false,
    dates: [
      { date: "2026-03-04", actions: [{ kind: "strike", types: [] }] },
      {
        date: "2026-03-05",
        actions: [
          { kind: "strike", types: [] },
          { kind: "action_short_of_strike", types: ["overtime ban"] },
        ],
      },
    ],
    noticePeriodDays: 10,
    noticePeriodStatement: {
      text: "This notice is given at least 10 days before the first day of the action.",
      citation: "TULRCA 1992 s.234A(4) as amended by ERA 2025",
      unconfirmed: "ERA 2025 section number for the 10-day notice period not confirmed (believed s.73)",
    },
    legal: [
      confirmed(
        "The union gives notice that it intends to call the affected employees to take part in industrial action.",
        "TULRCA 1992 s.234A(3)",
      ),
    ],
    reference: "HCWU/2026/IA-0042",
  };
}

export function actionNoticeB(): ActionNoticeInput {
  return {
    union,
    employer,
    issuedOn: "2025-06-02",
    regime: "B",
    form: "lists_figures_explanation",
    categories: structuredClone(categories),
    workplaces: structuredClone(workplaces),
    total,
    explanation,
    continuous: true,
    startDate: "2025-06-23",
    actions: [{ kind: "action_short_of_strike", types: ["overtime ban", "call-out ban"] }],
    noticePeriodDays: 14,
    noticePeriodStatement: confirmed(
      "This notice is given so that you receive it at least 14 days before the day the action starts.",
      "TULRCA 1992 s.234A(4) as amended by TUA 2016 s.8",
    ),
    legal: [
      confirmed(
        "The union gives notice that it intends to call the affected employees to take part in industrial action.",
        "TULRCA 1992 s.234A(3)",
      ),
    ],
    reference: "HCWU/2025/IA-0007",
  };
}
