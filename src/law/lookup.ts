import { AppError } from "../shared/errors.js";
import type { IsoDate } from "./dates.js";
import { NI_FROM, NI_REGIME, NI_RULES } from "./ni.js";
import {
  COMMENCEMENTS,
  type Commencement,
  type GbRegimeInfo,
  type Jurisdiction,
  REGIMES,
  type Regime,
  type RegimeId,
  type RegimeInfo,
  RULES,
  type Rule,
  type RuleVersion,
  type SwitchId,
} from "./rules.js";

/** Commencement dates set by the union on legal advice, over the law data's defaults (all off). */
export type CommencementOverrides = Partial<Record<SwitchId, IsoDate | null>>;
/** The legal source the union recorded with each of its commencement dates (decision 0013). */
export type CommencementSources = Partial<Record<SwitchId, string>>;

const EARLIEST = REGIMES[0]!.from;

function checkInRange(date: IsoDate, jurisdiction: Jurisdiction = "gb"): void {
  if (jurisdiction === "ni") {
    if (date < NI_FROM) {
      throw new AppError(
        "law.date_out_of_range",
        `${date} is before ${NI_FROM}: Mandate encodes Northern Ireland's Order only as amended by the Employment Relations (Northern Ireland) Order 1999, whose ballot and notice changes took effect on 13 October 2002.`,
        { date, jurisdiction },
      );
    }
    return;
  }
  if (date < EARLIEST) {
    throw new AppError(
      "law.date_out_of_range",
      `${date} is before ${EARLIEST}: Mandate encodes the law only from the day the Employment Relations Act 2004 changes had all taken effect (twelve weeks' dismissal protection and the voting-paper statement from 6 April 2005; the contents of the notice of ballot and of the notice of industrial action from 1 October 2005). Before then the voting paper said "eight weeks" and the notices had their 1999 contents, which Mandate does not model.`,
      { date },
    );
  }
}

/** The regime in force on a date in Great Britain. */
export function regimeAt(date: IsoDate): GbRegimeInfo {
  checkInRange(date);
  let found = REGIMES[0]!;
  for (const r of REGIMES) if (r.from <= date) found = r;
  return found;
}

/** The regime on a date in either jurisdiction (Northern Ireland has one: its Order). */
export function regimeIn(date: IsoDate, jurisdiction: Jurisdiction): RegimeInfo {
  if (jurisdiction === "ni") {
    checkInRange(date, "ni");
    return NI_REGIME;
  }
  return regimeAt(date);
}

export function regimeInfo(id: Regime): RegimeInfo {
  return REGIMES.find((r) => r.id === id)!;
}

/** The version of a rule in force on its key date. */
export function ruleAt<V, R extends RegimeId = Regime>(
  rule: Rule<V, R>,
  date: IsoDate,
): RuleVersion<V, R> | null {
  checkInRange(date, rule.jurisdiction ?? "gb");
  let found: RuleVersion<V, R> | null = null;
  for (const v of rule.versions) if (v.from <= date) found = v;
  return found;
}

export interface SwitchState extends Commencement {
  inForce: boolean;
  /** The source the union recorded with its own commencement date; null when the law data's default applies. */
  recordedSource: string | null;
}

export function switchAt(
  id: SwitchId,
  date: IsoDate,
  overrides: CommencementOverrides = {},
  sources: CommencementSources = {},
): SwitchState {
  const base = COMMENCEMENTS[id];
  const recorded = id in overrides;
  const commencedOn = recorded ? (overrides[id] ?? null) : base.commencedOn;
  return {
    ...base,
    commencedOn,
    inForce: commencedOn !== null && commencedOn <= date,
    recordedSource: recorded ? (sources[id] ?? "recorded by the union") : null,
  };
}

export interface RuleInForce {
  id: string;
  title: string;
  key: string;
  version: RuleVersion<unknown, RegimeId> | null;
}

/** Every rule as it stands on a date, read as if every key date were that date. */
export function lawAt(
  date: IsoDate,
  overrides: CommencementOverrides = {},
  sources: CommencementSources = {},
  jurisdiction: Jurisdiction = "gb",
) {
  const rules: readonly Rule<unknown, RegimeId>[] = jurisdiction === "ni" ? NI_RULES : RULES;
  return {
    date,
    jurisdiction,
    regime: regimeIn(date, jurisdiction),
    rules: rules.map(
      (r): RuleInForce => ({
        id: r.id,
        title: r.title,
        key: r.key,
        version: ruleAt(r, date),
      }),
    ),
    // The commencement switches are Great Britain's (ERA 2025 and the voting-methods Order).
    switches:
      jurisdiction === "ni"
        ? []
        : (Object.keys(COMMENCEMENTS) as SwitchId[]).map((id) => switchAt(id, date, overrides, sources)),
  };
}
