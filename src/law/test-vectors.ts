/**
 * Real ballot figures from the reference brief (§13) and the worked example of
 * the Trade Union Bill Explanatory Notes (para 12), with the verdict under
 * each regime. Shared by the law tests, the command-line test and the API test,
 * which must all agree.
 */
import type { Regime } from "./rules.js";

export interface TestVector {
  name: string;
  entitled: number;
  votesCast: number;
  yes: number;
  no: number;
  spoilt?: number;
  importantPublicServices: boolean;
  walesDevolved?: boolean;
  /** Expected mandate per regime (opening dates below). */
  expected: Record<Regime, boolean>;
  /** Tests expected to fail per regime, by name. */
  failing?: Partial<Record<Regime, string[]>>;
}

/** An opening day well inside each regime. */
export const REGIME_DATES: Record<Regime, string> = { A: "2011-06-01", B: "2019-06-03", C: "2026-06-01" };

export const TEST_VECTORS: TestVector[] = [
  {
    name: "NUT June 2011 (education, IPS): 39.43% turnout, 36.24% of entitled voted Yes",
    entitled: 218_730,
    votesCast: 86_246,
    yes: 79_259,
    no: 6_918,
    spoilt: 69,
    importantPublicServices: true,
    expected: { A: true, B: false, C: false },
    failing: { B: ["turnout", "important_public_services_40"], C: ["turnout"] },
  },
  {
    name: "Unison N30 2011 overall (electorate about 1.1 million): 28.69% turnout",
    entitled: 1_100_000,
    votesCast: 315_611,
    yes: 245_358,
    no: 70_253,
    importantPublicServices: false,
    expected: { A: true, B: false, C: false },
    failing: { B: ["turnout"], C: ["turnout"] },
  },
  {
    name: "Network Rail signallers 2010 (IPS if passenger rail): 37.42% of entitled voted Yes",
    entitled: 4_556,
    votesCast: 3_199,
    yes: 1_705,
    no: 1_494,
    importantPublicServices: true,
    expected: { A: true, B: false, C: true },
    failing: { B: ["important_public_services_40"] },
  },
  {
    name: "ASLEF / London Midland 2010: passes every regime",
    entitled: 605,
    votesCast: 472,
    yes: 410,
    no: 62,
    importantPublicServices: true,
    expected: { A: true, B: true, C: true },
  },
  {
    name: "RMT / Midland Mainline 2001: 46.15% turnout",
    entitled: 91,
    votesCast: 42,
    yes: 25,
    no: 17,
    importantPublicServices: false,
    expected: { A: true, B: false, C: false },
    failing: { B: ["turnout"], C: ["turnout"] },
  },
  {
    name: "RMT December 2024 strike question: 46.31% turnout",
    entitled: 704,
    votesCast: 326,
    yes: 308,
    no: 18,
    spoilt: 0,
    importantPublicServices: true,
    expected: { A: true, B: false, C: false },
    failing: { B: ["turnout"], C: ["turnout"] },
  },
  {
    name: "DLR / Serco strike question (reported): 48.29% turnout",
    entitled: 410,
    votesCast: 198,
    yes: 162,
    no: 36,
    importantPublicServices: false,
    expected: { A: true, B: false, C: false },
    failing: { B: ["turnout"], C: ["turnout"] },
  },
  {
    name: "Worked example: 1,000 entitled, 500 vote, 251 Yes (s.226(2)(a)(iia), s.226(2A))",
    entitled: 1_000,
    votesCast: 500,
    yes: 251,
    no: 249,
    importantPublicServices: false,
    expected: { A: true, B: true, C: true },
  },
  {
    name: "Worked example boundary: 499 of 1,000 vote (turnout just short)",
    entitled: 1_000,
    votesCast: 499,
    yes: 400,
    no: 99,
    importantPublicServices: false,
    expected: { A: true, B: false, C: false },
    failing: { B: ["turnout"], C: ["turnout"] },
  },
  {
    name: "Tie: 250 Yes, 250 No is not a majority",
    entitled: 1_000,
    votesCast: 500,
    yes: 250,
    no: 250,
    importantPublicServices: false,
    expected: { A: false, B: false, C: false },
    failing: { A: ["majority"], B: ["majority"], C: ["majority"] },
  },
  {
    name: "Worked example with the 40% rule: exactly 400 of 1,000 vote Yes",
    entitled: 1_000,
    votesCast: 500,
    yes: 400,
    no: 100,
    importantPublicServices: true,
    expected: { A: true, B: true, C: true },
  },
  {
    name: "40% rule: 399 of 1,000 vote Yes",
    entitled: 1_000,
    votesCast: 500,
    yes: 399,
    no: 101,
    importantPublicServices: true,
    expected: { A: true, B: false, C: true },
    failing: { B: ["important_public_services_40"] },
  },
  {
    name: "Wales: a devolved Welsh authority in an important public service is not held to 40%",
    entitled: 1_000,
    votesCast: 500,
    yes: 350,
    no: 150,
    importantPublicServices: true,
    walesDevolved: true,
    expected: { A: true, B: true, C: true },
  },
  {
    name: "Spoilt papers count as votes cast: 500 returned of 1,000, 3 spoilt",
    entitled: 1_000,
    votesCast: 500,
    yes: 300,
    no: 197,
    spoilt: 3,
    importantPublicServices: false,
    expected: { A: true, B: true, C: true },
  },
];

/** Cases on a given day, each from the legal review of the ballot engine, with its source. */
export interface DatedVector {
  name: string;
  source: string;
  openingDate: string;
  closingDate?: string;
  entitled: number;
  votesCast: number;
  yes: number;
  no: number;
  spoilt?: number;
  importantPublicServices: boolean;
  walesDevolved?: boolean;
  jurisdiction?: "gb" | "ni";
  mandate: boolean;
  /** The mandate's last day, where a closing date is given. */
  lastDay?: string;
  /** Rules whose legal-review items the verdict must carry. */
  legalReview?: string[];
}

export const DATED_VECTORS: DatedVector[] = [
  {
    name: "Wales, March 2017: 399 of 1,000 Yes in an important public service, before the Wales Act commenced",
    source: "Trade Union (Wales) Act 2017: Royal Assent 7 September 2017; ss.1-2 from the Commencement Order",
    openingDate: "2017-03-15",
    entitled: 1_000,
    votesCast: 600,
    yes: 399,
    no: 201,
    importantPublicServices: true,
    walesDevolved: true,
    mandate: false,
  },
  {
    name: "Wales, 13 September 2017: the same figures once ss.1-2 are in force (commencement day unconfirmed)",
    source: "Trade Union (Wales) Act 2017 ss.1-2; consolidated text's version of 13 September 2017",
    openingDate: "2017-09-13",
    entitled: 1_000,
    votesCast: 600,
    yes: 399,
    no: 201,
    importantPublicServices: true,
    walesDevolved: true,
    mandate: true,
    legalReview: ["wales_devolved_40"],
  },
  {
    name: "Spoilt papers: 249 Yes, 241 No, 10 spoilt of 500 returned (a mandate the spoilt-paper reading decides)",
    source:
      "TULRCA 1992 s.226(2)(a)(iii), (2A) inserted by TUA 2016 s.3: 'the majority voting in the ballot'",
    openingDate: "2019-06-03",
    entitled: 600,
    votesCast: 500,
    yes: 249,
    no: 241,
    spoilt: 10,
    importantPublicServices: false,
    mandate: true,
    legalReview: ["majority"],
  },
  {
    name: "Month end, B: closing 31 August 2025, 6 months end on 28 February 2026",
    source: "TULRCA 1992 s.234(1) as amended by TUA 2016 s.9; Dodds v Walker [1981] 1 WLR 1441 HL",
    openingDate: "2025-08-04",
    closingDate: "2025-08-31",
    entitled: 1_000,
    votesCast: 600,
    yes: 400,
    no: 200,
    importantPublicServices: false,
    mandate: true,
    lastDay: "2026-02-28",
    legalReview: ["mandate_period"],
  },
  {
    name: "Month end, C: closing 29 February 2028, 12 months end on 28 February 2029",
    source: "TULRCA 1992 s.234(1) as amended by ERA 2025 s.72; Dodds v Walker [1981] 1 WLR 1441 HL",
    openingDate: "2028-02-01",
    closingDate: "2028-02-29",
    entitled: 1_000,
    votesCast: 600,
    yes: 400,
    no: 200,
    importantPublicServices: false,
    mandate: true,
    lastDay: "2029-02-28",
    legalReview: ["mandate_period"],
  },
  {
    name: "Ordinary dates, C: closing 30 November 2026, 12 months end on 29 November 2027",
    source:
      "TULRCA 1992 s.234(1); Zoan v Rouamba [2000] 1 WLR 1509 CA ('beginning with' counts the first day)",
    openingDate: "2026-11-02",
    closingDate: "2026-11-30",
    entitled: 1_000,
    votesCast: 600,
    yes: 400,
    no: 200,
    importantPublicServices: false,
    mandate: true,
    lastDay: "2027-11-29",
  },
  {
    name: "Northern Ireland: 30% turnout, 16% of entitled Yes in an important public service is a mandate",
    source: "TULR(NI)O 1995 Art.104(3)(a)(iii): majority voting in the ballot; no turnout or 40% rule",
    openingDate: "2026-06-01",
    entitled: 1_000,
    votesCast: 300,
    yes: 160,
    no: 140,
    importantPublicServices: true,
    jurisdiction: "ni",
    mandate: true,
  },
];
