/**
 * Which threshold tests a ballot must pass, before any vote is counted: the turnout threshold and the 40%
 * support rule as they apply on the opening day, in the ballot's jurisdiction, with the union's
 * commencement dates, its important-public-services belief and the Welsh disapplication. The same
 * decisions as evaluateBallot (a test holds them together), for planning a ballot still running.
 */
import type { IsoDate } from "./dates.js";
import {
  type CommencementOverrides,
  type CommencementSources,
  regimeIn,
  ruleAt,
  switchAt,
} from "./lookup.js";
import { lawSet } from "./ni.js";
import type { Jurisdiction, RegimeId } from "./rules.js";

export interface ThresholdsInput {
  openingDate: IsoDate;
  jurisdiction?: Jurisdiction;
  importantPublicServices: boolean;
  walesDevolved: boolean;
  commencements?: CommencementOverrides;
  commencementSources?: CommencementSources;
}

export interface ThresholdInForce {
  percent: number;
  rule: string;
  citation: string;
  /** Why the rule needs legal review, or null. */
  unconfirmed: string | null;
}

export interface Thresholds {
  jurisdiction: Jurisdiction;
  regime: RegimeId;
  /** At least this percent of those entitled must vote; null where no turnout threshold applies. */
  turnout: ThresholdInForce | null;
  /** At least this percent of those entitled must vote Yes; null where the 40% rule does not apply. */
  support: ThresholdInForce | null;
  /** Why each absent threshold does not apply, with its citation. */
  notApplicable: { name: "turnout" | "important_public_services_40"; reason: string; citation: string }[];
}

/** The votes (or Yes votes) that make `percent` of `entitled`: "at least", in whole votes. */
export function votesForPercent(entitled: number, percent: number): number {
  return Math.ceil((entitled * percent) / 100);
}

export function thresholdsFor(input: ThresholdsInput): Thresholds {
  const jurisdiction = input.jurisdiction ?? "gb";
  const law = lawSet(jurisdiction);
  const { openingDate } = input;
  const regime = regimeIn(openingDate, jurisdiction);
  const notApplicable: Thresholds["notApplicable"] = [];

  let turnout: ThresholdInForce | null = null;
  const t = ruleAt(law.turnout, openingDate)!;
  const repeal = switchAt(
    "turnout_threshold_repeal",
    openingDate,
    input.commencements,
    input.commencementSources,
  );
  if (t.value === null) {
    notApplicable.push({ name: "turnout", reason: t.summary, citation: t.citation });
  } else if (repeal.inForce) {
    notApplicable.push({
      name: "turnout",
      reason: `${repeal.title} in force from ${repeal.commencedOn}.`,
      citation: repeal.citation,
    });
  } else {
    turnout = { percent: t.value.percent, rule: t.summary, citation: t.citation, unconfirmed: t.unconfirmed };
  }

  let support: ThresholdInForce | null = null;
  const s = ruleAt(law.support, openingDate)!;
  const wales = law.wales ? ruleAt(law.wales, openingDate) : null;
  if (s.value === null) {
    notApplicable.push({ name: "important_public_services_40", reason: s.summary, citation: s.citation });
  } else if (!input.importantPublicServices) {
    notApplicable.push({
      name: "important_public_services_40",
      reason: "The union does not believe most of those entitled normally work in important public services.",
      citation: s.citation,
    });
  } else if (input.walesDevolved && wales?.value) {
    notApplicable.push({
      name: "important_public_services_40",
      reason: wales.summary,
      citation: wales.citation,
    });
  } else {
    support = { percent: s.value.percent, rule: s.summary, citation: s.citation, unconfirmed: s.unconfirmed };
  }
  return { jurisdiction, regime: regime.id, turnout, support, notApplicable };
}
