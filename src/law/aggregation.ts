/**
 * Separate workplace ballots and the tests that allow one ballot to replace several (TULRCA 1992 ss.228,
 * 228A, inserted by the Employment Relations Act 1999 Sch. 3 and in force from 18 September 2000; no
 * change by the Trade Union Act 2016 or the Employment Rights Act 2025 was found). Data with citations,
 * keyed by the ballot's opening day, read by the turnout domain's aggregation advisor.
 */
import type { IsoDate } from "./dates.js";
import type { Jurisdiction } from "./rules.js";

export const AGGREGATION_OPTIONS = [
  "separate_workplaces",
  "employer",
  "occupation",
  "common_dispute",
] as const;
export type AggregationOption = (typeof AGGREGATION_OPTIONS)[number];

export interface AggregationRule {
  option: AggregationOption;
  from: IsoDate;
  /** What the union must be able to show for this way of balloting. */
  test: string;
  citation: string;
  /** Why the rule needs legal review, or null. */
  unconfirmed: string | null;
}

const S228A_FROM: IsoDate = "2000-09-18";
const NI_SOURCE =
  "the Northern Ireland equivalents (Employment Relations (NI) Order 1999 Sch. 3 para. 5) are taken to match; the article numbers were not confirmed";

const GB: readonly AggregationRule[] = [
  {
    option: "separate_workplaces",
    from: S228A_FROM,
    test: "A separate ballot for each workplace, entitlement in each limited to the entitled members who have that workplace; support and the thresholds are judged per workplace ballot.",
    citation: "TULRCA 1992 s.228(3), s.226(3)",
    unconfirmed: null,
  },
  {
    option: "employer",
    from: S228A_FROM,
    test: "Employer test: entitlement accorded to, and limited to, all the members employed by the employer (or any of the employers) with whom the union is in dispute.",
    citation: "TULRCA 1992 s.228A(4)",
    unconfirmed: null,
  },
  {
    option: "occupation",
    from: S228A_FROM,
    test: "Occupation test: entitlement accorded to, and limited to, all the members the union reasonably believes have an occupation of the kind (or kinds) and are employed by an employer (or employers) in dispute.",
    citation: "TULRCA 1992 s.228A(3)",
    unconfirmed: null,
  },
  {
    option: "common_dispute",
    from: S228A_FROM,
    test: "Common dispute test: the workplace of each member entitled to vote is the workplace of at least one member affected by the dispute.",
    citation: "TULRCA 1992 s.228A(2), (5)",
    unconfirmed:
      "The text of s.228A(5) (who is affected by the dispute, by reference to the heads of s.244(1)) was not retrieved.",
  },
];

/** The rule for each way of balloting on the opening day, or null before s.228A was in force. */
export function aggregationRule(
  option: AggregationOption,
  openingDate: IsoDate,
  jurisdiction: Jurisdiction = "gb",
): AggregationRule | null {
  const rule = GB.filter((r) => r.option === option && r.from <= openingDate).at(-1);
  if (!rule) return null;
  if (jurisdiction === "gb") return rule;
  return {
    ...rule,
    unconfirmed: rule.unconfirmed ? `${rule.unconfirmed} Also: ${NI_SOURCE}.` : `${NI_SOURCE}.`,
  };
}
