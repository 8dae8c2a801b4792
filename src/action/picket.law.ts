/**
 * What the law in force on a picketing day says about a picket: whether a picket supervisor is
 * required (TULRCA 1992 s.220A in Great Britain from 1 March 2017, repealed for picketing on or after
 * 18 February 2026; none in Northern Ireland) and the Code of Practice's guidance on numbers. Read from
 * the law data (src/law), keyed by the picketing day and the workplace's jurisdiction: nothing here
 * names a date or a number.
 */
import { type IsoDate, type Jurisdiction, lawSet, ruleAt } from "../law/index.js";

export interface PicketLaw {
  supervisorRequired: boolean;
  supervisor: { summary: string; citation: string; unconfirmed: string | null };
  numbers: { perEntrance: number; summary: string; citation: string; unconfirmed: string | null };
}

export function picketLaw(day: IsoDate, jurisdiction: Jurisdiction): PicketLaw {
  const law = lawSet(jurisdiction);
  const s = ruleAt(law.picketSupervisor, day);
  const n = ruleAt(law.picketNumbers, day);
  if (!s || !n) throw new Error(`no picketing rule in force on ${day}`);
  return {
    supervisorRequired: s.value,
    supervisor: { summary: s.summary, citation: s.citation, unconfirmed: s.unconfirmed },
    numbers: {
      perEntrance: n.value.perEntrance,
      summary: n.summary,
      citation: n.citation,
      unconfirmed: n.unconfirmed,
    },
  };
}

/** A line whose expected or actual numbers pass the Code's guidance (advisory: flagged, never refused). */
export function overGuidance(
  line: { expected: number | null; actual: number | null },
  perEntrance: number,
): boolean {
  return (line.expected ?? 0) > perEntrance || (line.actual ?? 0) > perEntrance;
}
