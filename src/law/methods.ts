import type { IsoDate } from "./dates.js";
import { type CommencementOverrides, type CommencementSources, switchAt } from "./lookup.js";
import type { Jurisdiction } from "./rules.js";

export const VOTING_METHODS = ["postal", "electronic", "hybrid", "workplace"] as const;
export type VotingMethod = (typeof VOTING_METHODS)[number];

export interface MethodStatus {
  method: VotingMethod;
  inForce: boolean;
  reason: string;
  citation: string;
  unconfirmed: string | null;
  /** The source the union recorded with the commencement date, when it recorded one. */
  recordedSource: string | null;
}

/** Postal voting is always allowed; the others only once their commencement date is set and reached. */
export function votingMethodAt(
  method: VotingMethod,
  openingDate: IsoDate,
  overrides: CommencementOverrides = {},
  sources: CommencementSources = {},
  jurisdiction: Jurisdiction = "gb",
): MethodStatus {
  if (method === "postal") {
    return {
      method,
      inForce: true,
      reason: "Postal voting is the statutory method.",
      citation: "TULRCA 1992 s.230(2)",
      unconfirmed: null,
      recordedSource: null,
    };
  }
  if (jurisdiction === "ni") {
    return {
      method,
      inForce: false,
      reason:
        "Northern Ireland's Order allows postal voting only: the voting-methods Order made under ERA 2004 and ERA 2025 is for Great Britain.",
      citation: "TULR(NI)O 1995 Art.111",
      unconfirmed: "The text of Art.111 (conduct of the ballot) was not retrieved.",
      recordedSource: null,
    };
  }
  const state = switchAt(`${method}_voting`, openingDate, overrides, sources);
  return {
    method,
    inForce: state.inForce,
    reason: state.inForce
      ? `${state.title} is in force from ${state.commencedOn}${state.recordedSource ? ` (recorded by the union: ${state.recordedSource})` : ""}.`
      : state.commencedOn
        ? `${state.title} is in force only from ${state.commencedOn}, after the opening day ${openingDate}.`
        : `${state.title} is not in force: no commencement date is set.`,
    citation: state.citation,
    unconfirmed: state.unconfirmed,
    recordedSource: state.recordedSource,
  };
}
