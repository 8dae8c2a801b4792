/**
 * The aggregation advisor: for a dispute, which constituencies would win a mandate if the union balloted
 * each workplace separately (s.228), each employer (s.228A(4)), each occupation (s.228A(3)) or everyone
 * in one ballot (s.228A(2)), on the expected turnout and Yes share of each unit (from readiness or an
 * indicative ballot), and the legal test each way of balloting needs. Pure: the thresholds come from the
 * law module (thresholdsFor), the figures from the caller.
 *
 * Expected values, not a simulation: a unit of 200 members at 55% turnout and 80% Yes gives 110 votes and
 * 88 Yes. A constituency wins when its votes reach the turnout threshold, Yes is a majority of the votes,
 * and Yes reaches the 40% support rule where it applies.
 */
import {
  type AggregationOption,
  aggregationRule,
  type CommencementOverrides,
  type CommencementSources,
  type Jurisdiction,
  thresholdsFor,
  votesForPercent,
} from "../law/index.js";

export interface AdvisorUnit {
  workplaceId: number;
  workplaceName: string;
  employerId: number;
  employerName: string;
  /** The members' occupation (job category) in this unit, or null where not known. */
  occupation: string | null;
  entitled: number;
  /** Expected turnout, percent of entitled. */
  turnout: number;
  /** Expected Yes, percent of votes cast. */
  yesShare: number;
  /** The workplace has at least one member affected by the dispute (s.228A(2), (5)). */
  affected: boolean;
  /** The union believes these members normally work in important public services. */
  importantPublicServices: boolean;
  walesDevolved: boolean;
  jurisdiction: Jurisdiction;
}

export interface AdvisorInput {
  openingDate: string;
  units: readonly AdvisorUnit[];
  commencements?: CommencementOverrides;
  commencementSources?: CommencementSources;
}

export type Failure = "turnout" | "majority" | "support_40";

export interface AdvisedConstituency {
  key: string;
  name: string;
  units: number;
  entitled: number;
  votes: number;
  yes: number;
  /** Percent, one decimal. */
  turnout: number;
  yesShare: number;
  /** Votes the turnout threshold needs (0 where none applies). */
  votesNeeded: number;
  yesNeeded40: number | null;
  wins: boolean;
  /** The tests it fails, empty when it wins. */
  fails: Failure[];
  /** Expected votes over (positive) or under (negative) the turnout threshold. */
  margin: number;
}

export interface LegalTest {
  test: string;
  citation: string;
  unconfirmed: string | null;
}

export interface AdvisedOption {
  option: AggregationOption;
  available: boolean;
  /** Why this way of balloting is not open, when it is not. */
  unavailableReason: string | null;
  constituencies: AdvisedConstituency[];
  won: number;
  /** Members entitled in constituencies that win. */
  membersCovered: number;
  entitled: number;
  legalTests: LegalTest[];
}

export interface Advice {
  options: AdvisedOption[];
  /** The available option covering most members (ties: fewer constituencies), or null. */
  best: AggregationOption | null;
}

const round1 = (x: number) => Math.round(x * 10) / 10;

function constituency(key: string, name: string, units: readonly AdvisorUnit[], input: AdvisorInput) {
  const entitled = units.reduce((s, u) => s + u.entitled, 0);
  const votes = Math.round(units.reduce((s, u) => s + (u.entitled * u.turnout) / 100, 0));
  const yes = Math.round(
    units.reduce((s, u) => s + (((u.entitled * u.turnout) / 100) * u.yesShare) / 100, 0),
  );
  const ipsMembers = units.filter((u) => u.importantPublicServices).reduce((s, u) => s + u.entitled, 0);
  const thresholds = thresholdsFor({
    openingDate: input.openingDate,
    jurisdiction: units[0]?.jurisdiction ?? "gb",
    // s.226(2B): the majority of those entitled normally engaged in important public services.
    importantPublicServices: ipsMembers * 2 > entitled,
    // The Welsh disapplication only where every member works for a devolved Welsh public authority.
    walesDevolved: units.every((u) => u.walesDevolved),
    commencements: input.commencements,
    commencementSources: input.commencementSources,
  });
  const votesNeeded = thresholds.turnout ? votesForPercent(entitled, thresholds.turnout.percent) : 0;
  const yesNeeded40 = thresholds.support ? votesForPercent(entitled, thresholds.support.percent) : null;
  const fails: Failure[] = [];
  if (entitled === 0 || votes < votesNeeded) fails.push("turnout");
  if (yes * 2 <= votes) fails.push("majority");
  if (yesNeeded40 !== null && yes < yesNeeded40) fails.push("support_40");
  return {
    key,
    name,
    units: units.length,
    entitled,
    votes,
    yes,
    turnout: entitled ? round1((votes / entitled) * 100) : 0,
    yesShare: votes ? round1((yes / votes) * 100) : 0,
    votesNeeded,
    yesNeeded40,
    wins: fails.length === 0,
    fails,
    margin: votes - votesNeeded,
  } satisfies AdvisedConstituency;
}

function groupBy(
  units: readonly AdvisorUnit[],
  keyOf: (u: AdvisorUnit) => string,
  nameOf: (u: AdvisorUnit) => string,
) {
  const groups = new Map<string, { name: string; units: AdvisorUnit[] }>();
  for (const u of units) {
    // A ballot is held under one law: Northern Ireland's members are never balloted with Great Britain's.
    const key = `${u.jurisdiction}:${keyOf(u)}`;
    const g = groups.get(key) ?? { name: nameOf(u), units: [] };
    g.units.push(u);
    groups.set(key, g);
  }
  const jurisdictions = new Set(units.map((u) => u.jurisdiction)).size;
  return [...groups.entries()].map(([key, g]) => ({
    key,
    name: jurisdictions > 1 && g.units[0]!.jurisdiction === "ni" ? `${g.name} (Northern Ireland)` : g.name,
    units: g.units,
  }));
}

function option(
  opt: AggregationOption,
  input: AdvisorInput,
  groups: { key: string; name: string; units: AdvisorUnit[] }[],
  unavailableReason: string | null,
): AdvisedOption {
  const jurisdiction = input.units.some((u) => u.jurisdiction === "ni") ? "ni" : "gb";
  const rule = aggregationRule(opt, input.openingDate, jurisdiction);
  const legalTests: LegalTest[] = rule
    ? [{ test: rule.test, citation: rule.citation, unconfirmed: rule.unconfirmed }]
    : [];
  const reason =
    unavailableReason ?? (rule ? null : "Not available before s.228A was in force (18 September 2000).");
  const constituencies =
    reason === null
      ? groups
          .map((g) => constituency(g.key, g.name, g.units, input))
          .sort((a, b) => a.name.localeCompare(b.name) || a.key.localeCompare(b.key))
      : [];
  const entitled = input.units.reduce((s, u) => s + u.entitled, 0);
  return {
    option: opt,
    available: reason === null,
    unavailableReason: reason,
    constituencies,
    won: constituencies.filter((c) => c.wins).length,
    membersCovered: constituencies.filter((c) => c.wins).reduce((s, c) => s + c.entitled, 0),
    entitled,
    legalTests,
  };
}

/** Compares the ways of balloting the dispute's members on the expected figures of each unit. */
export function adviseAggregation(input: AdvisorInput): Advice {
  const units = input.units.filter((u) => u.entitled > 0);
  const data = { ...input, units };
  const unknownOccupation = units.filter((u) => !u.occupation).length;
  const unaffected = [...new Set(units.filter((u) => !u.affected).map((u) => u.workplaceName))];
  const options: AdvisedOption[] = [
    option(
      "separate_workplaces",
      data,
      groupBy(
        units,
        (u) => `w${u.workplaceId}`,
        (u) => u.workplaceName,
      ),
      null,
    ),
    option(
      "employer",
      data,
      groupBy(
        units,
        (u) => `e${u.employerId}`,
        (u) => u.employerName,
      ),
      null,
    ),
    option(
      "occupation",
      data,
      groupBy(
        units,
        (u) => `o${u.occupation}`,
        (u) => u.occupation ?? "",
      ),
      unknownOccupation
        ? `The occupation of the members is not known in ${unknownOccupation} of ${units.length} units: the test needs every member of the kind balloted, and only them.`
        : null,
    ),
    option(
      "common_dispute",
      data,
      groupBy(
        units,
        () => "all",
        () => "All members in dispute",
      ),
      unaffected.length
        ? `No member affected by the dispute is known at ${unaffected.length} workplace${unaffected.length === 1 ? "" : "s"} (${unaffected.slice(0, 3).join(", ")}${unaffected.length > 3 ? ", ..." : ""}).`
        : null,
    ),
  ];
  let best: AdvisedOption | null = null;
  for (const o of options) {
    if (!o.available) continue;
    if (
      !best ||
      o.membersCovered > best.membersCovered ||
      (o.membersCovered === best.membersCovered && o.constituencies.length < best.constituencies.length)
    )
      best = o;
  }
  return { options, best: best && best.membersCovered > 0 ? best.option : null };
}
