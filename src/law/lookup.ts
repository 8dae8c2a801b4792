import { AppError } from "../shared/errors.js";
import type { IsoDate } from "./dates.js";
import {
  COMMENCEMENTS,
  type Commencement,
  REGIMES,
  type Regime,
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

function checkInRange(date: IsoDate): void {
  if (date < EARLIEST) {
    throw new AppError(
      "law.date_out_of_range",
      `${date} is before ${EARLIEST}: Mandate encodes the law only from the day the Employment Relations Act 2004 changes had all taken effect (twelve weeks' dismissal protection and the voting-paper statement from 6 April 2005; the contents of the notice of ballot and of the notice of industrial action from 1 October 2005). Before then the voting paper said "eight weeks" and the notices had their 1999 contents, which Mandate does not model.`,
      { date },
    );
  }
}

export function regimeAt(date: IsoDate): RegimeInfo {
  checkInRange(date);
  let found = REGIMES[0]!;
  for (const r of REGIMES) if (r.from <= date) found = r;
  return found;
}

export function regimeInfo(id: Regime): RegimeInfo {
  return REGIMES.find((r) => r.id === id)!;
}

/** The version of a rule in force on its key date. */
export function ruleAt<V>(rule: Rule<V>, date: IsoDate): RuleVersion<V> | null {
  checkInRange(date);
  let found: RuleVersion<V> | null = null;
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
  version: RuleVersion<unknown> | null;
}

/** Every rule as it stands on a date, read as if every key date were that date. */
export function lawAt(
  date: IsoDate,
  overrides: CommencementOverrides = {},
  sources: CommencementSources = {},
) {
  return {
    date,
    regime: regimeAt(date),
    rules: RULES.map(
      (r): RuleInForce => ({
        id: r.id,
        title: r.title,
        key: r.key,
        version: ruleAt(r as Rule<unknown>, date),
      }),
    ),
    switches: (Object.keys(COMMENCEMENTS) as SwitchId[]).map((id) => switchAt(id, date, overrides, sources)),
  };
}
