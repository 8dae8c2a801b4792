/**
 * Who a notice of industrial action covers (TULRCA 1992 s.234A(3)(a)): the
 * employees the union reasonably believes it will induce to take part, as at
 * the day the notice is given, which is not the ballot's electorate. Members
 * who were balloted and have since left, lapsed, died or moved out of the
 * constituency are not called out (British Airways v Unite [2009] EWHC 3541
 * (QB): an electorate full of known leavers made the notices inaccurate);
 * members who were not balloted are never called out under the ballot's
 * mandate (s.226(2)(bb), s.232A): they are listed apart so the union sees
 * them, but never counted. Pure: facts in, decisions out.
 */
import type { IsoDate } from "../law/index.js";
import type { ScopeRule } from "./electorate.js";

/** A member who was entitled to vote in the ballot (or added to it as a late joiner). */
export interface BallotedMember {
  memberId: number;
  employerId: number;
  workplaceId: number | null;
  jobCategory: string | null;
  checkOff: boolean;
}

/** A member's record as at the day of the notice. */
export interface RegisterFacts {
  memberId: number;
  status: "active" | "lapsed" | "left" | "deceased";
  joinedOn: IsoDate | null;
  leftOn: IsoDate | null;
  employerId: number | null;
  workplaceId: number | null;
  jobCategory: string | null;
  checkOff: boolean;
}

export const OUTCOMES = {
  affected: "Affected: balloted, still employed in the constituency, called on to take part",
  left: "Not called on: left the union or the employer since the ballot",
  lapsed: "Not called on: membership lapsed since the ballot",
  deceased: "Not called on: deceased",
  moved_out: "Not called on: moved out of the balloted employers, workplaces or categories since the ballot",
  leaving_before_action: "Not called on: recorded as leaving before the first day of action",
  joined_since: "Joined since the ballot: not called on under this mandate",
  not_balloted: "Not entitled in the ballot: not called on under this mandate",
} as const;
export type Outcome = keyof typeof OUTCOMES;

export interface AffectedRules {
  givenOn: IsoDate;
  /** The first day of action the notice names. */
  firstDay: IsoDate;
  /** The day the ballot's electorate was fixed. */
  electorateAsAt: IsoDate;
  scope: readonly ScopeRule[];
  jobCategories: readonly string[] | null;
}

export interface AffectedEntry {
  memberId: number;
  outcome: Outcome;
  /** The employer and workplace the member is counted at: as at the notice for the affected, else the ballot's. */
  employerId: number;
  workplaceId: number | null;
  jobCategory: string | null;
  checkOff: boolean;
}

export interface EmployerDifference {
  employerId: number;
  /** Entitled in the ballot at this employer. */
  balloted: number;
  /** Called on by this notice at this employer. */
  affected: number;
  /** Of the affected, balloted at another employer of the ballot and moved here. */
  movedIn: number;
  /** Balloted here, now affected at another employer of the ballot (counted there). */
  movedAway: number;
  left: number;
  lapsed: number;
  deceased: number;
  movedOut: number;
  leavingBeforeAction: number;
  /** Active in the constituency on the day but not balloted: never counted. */
  joinedSince: number;
  notBalloted: number;
}

function inConstituency(f: RegisterFacts, rules: AffectedRules, categories: Set<string> | null): boolean {
  if (f.employerId === null) return false;
  const inScope = rules.scope.some(
    (s) => s.employerId === f.employerId && (s.workplaceId === null || s.workplaceId === f.workplaceId),
  );
  if (!inScope) return false;
  return !categories || categories.has((f.jobCategory ?? "").trim().toLowerCase());
}

function gone(f: RegisterFacts, givenOn: IsoDate): Outcome | null {
  if (f.status === "deceased") return "deceased";
  if ((f.leftOn !== null && f.leftOn <= givenOn) || f.status === "left") return "left";
  if (f.status === "lapsed") return "lapsed";
  return null;
}

/**
 * Decides each member's outcome for a notice. `balloted` are the ballot's
 * entitled; `register` holds, by member id, their records as at the notice
 * day and those of every member in the constituency that day (a balloted
 * member with no record is taken to have left: erased or removed);
 * `snapshotReason` the ballot's reason for members it left out.
 */
export function decideAffected(
  balloted: readonly BallotedMember[],
  register: ReadonlyMap<number, RegisterFacts>,
  rules: AffectedRules,
  snapshotReason: ReadonlyMap<number, string> = new Map(),
): AffectedEntry[] {
  const categories = rules.jobCategories
    ? new Set(rules.jobCategories.map((c) => c.trim().toLowerCase()))
    : null;
  const out: AffectedEntry[] = [];
  const seen = new Set<number>();
  for (const b of balloted) {
    seen.add(b.memberId);
    const f = register.get(b.memberId);
    const asBalloted = { ...b };
    if (!f) {
      out.push({ ...asBalloted, outcome: "left" });
      continue;
    }
    const why = gone(f, rules.givenOn);
    if (why) out.push({ ...asBalloted, outcome: why });
    else if (!inConstituency(f, rules, categories)) out.push({ ...asBalloted, outcome: "moved_out" });
    else if (f.leftOn !== null && f.leftOn <= rules.firstDay)
      out.push({ ...asBalloted, outcome: "leaving_before_action" });
    else
      out.push({
        memberId: b.memberId,
        outcome: "affected",
        employerId: f.employerId!,
        workplaceId: f.workplaceId,
        jobCategory: f.jobCategory,
        checkOff: f.checkOff,
      });
  }
  for (const f of register.values()) {
    if (seen.has(f.memberId) || gone(f, rules.givenOn) || !inConstituency(f, rules, categories)) continue;
    const reason = snapshotReason.get(f.memberId);
    const joinedSince =
      reason === "joined_after_ballot" ||
      (reason === undefined && f.joinedOn !== null && f.joinedOn > rules.electorateAsAt);
    out.push({
      memberId: f.memberId,
      outcome: joinedSince ? "joined_since" : "not_balloted",
      employerId: f.employerId!,
      workplaceId: f.workplaceId,
      jobCategory: f.jobCategory,
      checkOff: f.checkOff,
    });
  }
  return out.sort((a, b) => a.memberId - b.memberId);
}

/** The difference between the ballot and the notice, per employer (by employer id). */
export function differenceByEmployer(
  balloted: readonly BallotedMember[],
  entries: readonly AffectedEntry[],
): EmployerDifference[] {
  const byEmployer = new Map<number, EmployerDifference>();
  const of = (employerId: number) => {
    let d = byEmployer.get(employerId);
    if (!d) {
      d = {
        employerId,
        balloted: 0,
        affected: 0,
        movedIn: 0,
        movedAway: 0,
        left: 0,
        lapsed: 0,
        deceased: 0,
        movedOut: 0,
        leavingBeforeAction: 0,
        joinedSince: 0,
        notBalloted: 0,
      };
      byEmployer.set(employerId, d);
    }
    return d;
  };
  const ballotedAt = new Map<number, number>();
  for (const b of balloted) {
    of(b.employerId).balloted++;
    ballotedAt.set(b.memberId, b.employerId);
  }
  const field = {
    left: "left",
    lapsed: "lapsed",
    deceased: "deceased",
    moved_out: "movedOut",
    leaving_before_action: "leavingBeforeAction",
    joined_since: "joinedSince",
    not_balloted: "notBalloted",
  } as const;
  for (const e of entries) {
    const d = of(e.employerId);
    if (e.outcome === "affected") {
      d.affected++;
      const from = ballotedAt.get(e.memberId);
      if (from !== undefined && from !== e.employerId) {
        d.movedIn++;
        of(from).movedAway++;
      }
    } else d[field[e.outcome]]++;
  }
  return [...byEmployer.values()].sort((a, b) => a.employerId - b.employerId);
}
