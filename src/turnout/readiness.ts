/**
 * Readiness of a constituency before its ballot opens, and the turnout it implies. Pure: the counts come
 * from the store (turnout.store.ts, selectReadinessProfiles), the threshold from the law (thresholdsFor).
 *
 * The model (a weighted reach estimate, docs/architecture.md "Turnout"): a statutory ballot is postal, so
 * a member without a valid postal address does not vote. A member who has pledged to vote votes with
 * probability 0.85. Any other member with an address votes with probability 0.35, plus 0.10 for each of:
 * an email or mobile (reminders reach them), an active rep at their workplace, a conversation in the last
 * 30 days. The weights are calibrated on the reference turnouts (shared reference, peer-systems.md, "Real
 * turnout figures"): a thin campaign (most members with an address, half reachable by email or text, few
 * reps, hardly any contact: PCS 2018, 41%; RCN 2023 aggregated, 43.4%) implies 40 to 44%; an organised one
 * after an indicative ballot (NEU 2023, 53.3% and 58.1%) 53 to 60%; a campaign that reached nearly
 * everyone and won pledges from most (BMA junior doctors 2023, 77.5%) 75 to 80%. The test file holds
 * those points.
 */

export const READINESS_WEIGHTS = {
  /** A member with a postal address and nothing else. */
  base: 0.35,
  /** Added for an email or mobile. */
  digital: 0.1,
  /** Added for an active rep at the member's workplace. */
  rep: 0.1,
  /** Added for a conversation (or own report) in the last 30 days. */
  contacted: 0.1,
  /** A member who pledged to vote. */
  pledged: 0.85,
} as const;

/** How far below the threshold the implied turnout may fall before a constituency is flagged. */
export const MARGINAL_POINTS = 5;

/** Members sharing the same five facts. */
export interface ReadinessProfile {
  postal: boolean;
  digital: boolean;
  rep: boolean;
  contacted: boolean;
  pledged: boolean;
  members: number;
}

export const READINESS_FLAGS = [
  "cannot_reach",
  "marginal",
  "on_course",
  "no_threshold",
  "no_members",
] as const;
export type ReadinessFlag = (typeof READINESS_FLAGS)[number];

export interface Readiness {
  members: number;
  /** Percent of members, one decimal. */
  postalShare: number;
  digitalShare: number;
  repShare: number;
  contactedShare: number;
  pledgedShare: number;
  /** Active reps whose workplaces are in the constituency. */
  reps: number;
  /** Members per active rep; null where there is none. */
  membersPerRep: number | null;
  /** Percent, one decimal. */
  impliedTurnout: number;
  /** Votes the model expects. */
  impliedVotes: number;
  turnoutThreshold: number | null;
  /** Implied votes over (positive) or under the threshold's votes; null where no threshold applies. */
  margin: number | null;
  /** cannot_reach: implied turnout below the threshold; marginal: within MARGINAL_POINTS above it. */
  flag: ReadinessFlag;
}

const share = (n: number, of: number) => (of ? Math.round((n / of) * 1000) / 10 : 0);

/** The probability the model gives a member with these facts of voting. */
export function voteProbability(p: Omit<ReadinessProfile, "members">): number {
  const w = READINESS_WEIGHTS;
  if (!p.postal) return 0;
  if (p.pledged) return w.pledged;
  return w.base + (p.digital ? w.digital : 0) + (p.rep ? w.rep : 0) + (p.contacted ? w.contacted : 0);
}

export function readiness(
  profiles: readonly ReadinessProfile[],
  reps: number,
  thresholdPercent: number | null,
): Readiness {
  let members = 0;
  let expected = 0;
  const count = { postal: 0, digital: 0, rep: 0, contacted: 0, pledged: 0 };
  for (const p of profiles) {
    members += p.members;
    expected += p.members * voteProbability(p);
    for (const k of ["postal", "digital", "rep", "contacted", "pledged"] as const)
      if (p[k]) count[k] += p.members;
  }
  const impliedVotes = Math.round(expected);
  const impliedTurnout = share(impliedVotes, members);
  const needed = thresholdPercent === null ? null : Math.ceil((members * thresholdPercent) / 100);
  let flag: ReadinessFlag;
  if (members === 0) flag = "no_members";
  else if (thresholdPercent === null) flag = "no_threshold";
  else if (impliedVotes < needed!) flag = "cannot_reach";
  else if (impliedTurnout < thresholdPercent + MARGINAL_POINTS) flag = "marginal";
  else flag = "on_course";
  return {
    members,
    postalShare: share(count.postal, members),
    digitalShare: share(count.digital, members),
    repShare: share(count.rep, members),
    contactedShare: share(count.contacted, members),
    pledgedShare: share(count.pledged, members),
    reps,
    membersPerRep: reps ? Math.round(members / reps) : null,
    impliedTurnout,
    impliedVotes,
    turnoutThreshold: thresholdPercent,
    margin: needed === null ? null : impliedVotes - needed,
    flag,
  };
}
