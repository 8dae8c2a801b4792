/**
 * Who is entitled to vote, and why. s.227(1): entitlement goes equally to every
 * member the union reasonably believes will be induced to take part, and to no
 * others; s.232A makes a member wrongly left out a risk to the whole action.
 * So every member the ballot's scope reaches is listed, in or out, with the
 * reason, and the list is frozen and fingerprinted at the ballot's date.
 */
import { createHash } from "node:crypto";
import type { IsoDate } from "../law/index.js";

/** What entitlement is decided on: no names or addresses. */
export interface MemberFacts {
  memberId: number;
  unionId: number;
  membershipNumber: string;
  status: "active" | "lapsed" | "left" | "deceased";
  inArrears: boolean;
  joinedOn: IsoDate | null;
  leftOn: IsoDate | null;
  /** Employer, workplace and category as at the ballot's date. */
  employerId: number;
  workplaceId: number | null;
  jobCategory: string | null;
}

export interface CandidateMember extends MemberFacts {
  checkOff: boolean;
  name: string;
  /** The requested postal address where there is one (s.230(2)), else the home address. */
  addressLines: string[];
  postcode: string | null;
}

export interface ScopeRule {
  employerId: number;
  /** Null: the whole employer. */
  workplaceId: number | null;
}

export interface ElectorateRules {
  asAt: IsoDate;
  scope: ScopeRule[];
  /** Occupation test: only these categories (compared case-insensitively); null = all. */
  jobCategories: string[] | null;
  /** The union's rule book: may members in arrears vote? */
  includeArrears: boolean;
}

export const REASONS = {
  in_scope: {
    included: true,
    label: "Entitled: member of the balloted employer and workplace at the ballot date",
  },
  left: { included: false, label: "Not entitled: membership status is left" },
  lapsed: { included: false, label: "Not entitled: membership has lapsed" },
  deceased: { included: false, label: "Not entitled: deceased" },
  left_before_ballot: {
    included: false,
    label: "Not entitled: left the union or the employer before the ballot date",
  },
  joined_after_ballot: { included: false, label: "Not entitled: joined after the ballot date" },
  in_arrears: { included: false, label: "Not entitled: in arrears (union rule book)" },
  category_not_balloted: { included: false, label: "Not entitled: job category outside this ballot" },
  workplace_not_balloted: { included: false, label: "Not entitled: workplace outside this ballot" },
} as const;
export type Reason = keyof typeof REASONS;

export interface ElectorateEntry extends CandidateMember, Decision {}

/** What a snapshot row holds and the fingerprint covers: an entry without the facts only the decision needed. */
export type SnapshotRow = Omit<ElectorateEntry, "status" | "inArrears" | "joinedOn">;

export interface Electorate {
  entries: ElectorateEntry[];
  entitled: number;
  /** SHA-256 of the canonical snapshot: printed on every notice and shown to the scrutineer. */
  hash: string;
}

/** The scope as lookups: a national ballot lists thousands of employers, tested once per member. */
interface ScopeIndex {
  wholeEmployers: Set<number>;
  /** Per employer, the workplaces balloted when not the whole employer. */
  workplaces: Map<number, Set<number | null>>;
}

function indexScope(scope: readonly ScopeRule[]): ScopeIndex {
  const wholeEmployers = new Set<number>();
  const workplaces = new Map<number, Set<number | null>>();
  for (const s of scope) {
    if (s.workplaceId === null) wholeEmployers.add(s.employerId);
    else {
      const set = workplaces.get(s.employerId) ?? new Set<number | null>();
      set.add(s.workplaceId);
      workplaces.set(s.employerId, set);
    }
  }
  return { wholeEmployers, workplaces };
}

function reasonFor(
  m: MemberFacts,
  rules: ElectorateRules,
  categories: Set<string> | null,
  scope: ScopeIndex,
): Reason {
  if (m.status === "deceased") return "deceased";
  if (m.leftOn !== null && m.leftOn <= rules.asAt) return "left_before_ballot";
  if (m.status === "left") return "left";
  if (m.status === "lapsed") return "lapsed";
  if (m.joinedOn !== null && m.joinedOn > rules.asAt) return "joined_after_ballot";
  if (!scope.wholeEmployers.has(m.employerId) && !scope.workplaces.get(m.employerId)?.has(m.workplaceId)) {
    return "workplace_not_balloted";
  }
  if (categories && !categories.has((m.jobCategory ?? "").trim().toLowerCase()))
    return "category_not_balloted";
  if (m.inArrears && !rules.includeArrears) return "in_arrears";
  return "in_scope";
}

export interface Decision {
  reason: Reason;
  included: boolean;
  /** s.229(1A)(c): one of a series of consecutive whole numbers; null when not entitled. */
  paperNumber: number | null;
}

/** What a paper number is ordered by. */
export type PaperKey = Pick<MemberFacts, "employerId" | "workplaceId" | "membershipNumber" | "memberId">;

/** Paper numbers follow employer, workplace and membership number, so a re-freeze of the same data numbers the same. */
export function paperOrder(a: PaperKey, b: PaperKey): number {
  return (
    a.employerId - b.employerId ||
    (a.workplaceId ?? 0) - (b.workplaceId ?? 0) ||
    (a.membershipNumber < b.membershipNumber ? -1 : a.membershipNumber > b.membershipNumber ? 1 : 0) ||
    a.memberId - b.memberId
  );
}

/**
 * The paper number of each of these entitled members (1..n in paperOrder), by
 * position. Sorted group by group (employer, then workplace), so a national
 * ballot of a million members sorts thousands of small lists, not one large one.
 */
export function paperNumbers(keys: readonly PaperKey[]): Int32Array {
  const byEmployer = new Map<number, Map<number, number[]>>();
  keys.forEach((k, i) => {
    let byWorkplace = byEmployer.get(k.employerId);
    if (!byWorkplace) {
      byWorkplace = new Map();
      byEmployer.set(k.employerId, byWorkplace);
    }
    const w = k.workplaceId ?? 0;
    const group = byWorkplace.get(w);
    if (group) group.push(i);
    else byWorkplace.set(w, [i]);
  });
  const numbers = new Int32Array(keys.length);
  let n = 0;
  const ascending = (a: number, b: number) => a - b;
  for (const employerId of [...byEmployer.keys()].sort(ascending)) {
    const byWorkplace = byEmployer.get(employerId)!;
    for (const w of [...byWorkplace.keys()].sort(ascending)) {
      const group = byWorkplace.get(w)!.sort((a, b) => paperOrder(keys[a]!, keys[b]!));
      for (const i of group) numbers[i] = ++n;
    }
  }
  return numbers;
}

/**
 * The entitlement rule prepared once for a ballot: each member's reason, one
 * member at a time (a national ballot decides a million members as they stream).
 */
export function electorateDecider(rules: ElectorateRules): (m: MemberFacts) => Reason {
  const categories = rules.jobCategories
    ? new Set(rules.jobCategories.map((c) => c.trim().toLowerCase()))
    : null;
  const scope = indexScope(rules.scope);
  return (m) => reasonFor(m, rules, categories, scope);
}

/** Each member's entitlement and paper number, in the members' order. */
export function decideElectorate(members: readonly MemberFacts[], rules: ElectorateRules): Decision[] {
  const decide = electorateDecider(rules);
  const decisions: Decision[] = members.map((m) => {
    const reason = decide(m);
    return { reason, included: REASONS[reason].included, paperNumber: null };
  });
  const entitled = members.map((_, i) => i).filter((i) => decisions[i]!.included);
  const numbers = paperNumbers(entitled.map((i) => members[i]!));
  entitled.forEach((index, k) => {
    decisions[index]!.paperNumber = numbers[k]!;
  });
  return decisions;
}

/**
 * The snapshot's fingerprint, fed one entry at a time in member-id order, so a
 * national electorate can be hashed while it streams to the database.
 */
export function electorateHasher(asAt: IsoDate) {
  const hash = createHash("sha256");
  hash.update(`mandate-electorate-v1|${asAt}\n`);
  let last = 0;
  // Lines are handed to the hash a few hundred at a time: the same bytes in the same order (the same
  // digest), without a call into the hash for each row.
  let pending = "";
  let count = 0;
  return {
    add(e: SnapshotRow): void {
      if (e.memberId <= last) throw new Error("electorate entries must come in increasing member id order");
      last = e.memberId;
      pending += `${e.memberId}|${e.unionId}|${e.membershipNumber}|${e.included ? 1 : 0}|${e.reason}|${e.employerId}|${e.workplaceId ?? ""}|${e.jobCategory ?? ""}|${e.checkOff ? 1 : 0}|${e.leftOn ?? ""}|${e.paperNumber ?? ""}|${e.name}|${e.addressLines.join("\u001f")}|${e.postcode ?? ""}\n`;
      if (++count === 512) {
        hash.update(pending);
        pending = "";
        count = 0;
      }
    },
    digest: (): string => {
      hash.update(pending);
      pending = "";
      return hash.digest("hex");
    },
  };
}

/** A member's name and addresses as the register holds them: what a snapshot row's name and postal address come from. */
export interface MemberContact {
  forenames: string;
  surname: string;
  postalAddress: string | null;
  postalPostcode: string | null;
  addressLine1: string | null;
  addressLine2: string | null;
  town: string | null;
  homePostcode: string | null;
}

/** Lines of a written postal address: split at line breaks and commas. */
const ADDRESS_SEPARATOR = /\r?\n|,/;

/** The name on the paper: forenames and surname, trimmed. */
export function snapshotName(c: Pick<MemberContact, "forenames" | "surname">): string {
  return `${c.forenames} ${c.surname}`.trim();
}

/**
 * Where the paper goes (s.230(2)): the address the member asked in writing to
 * be used when it is not blank, its lines trimmed, blank ones dropped, at most
 * four, with its postcode; else the home address's non-blank lines as written
 * and its postcode.
 */
export function snapshotAddress(c: MemberContact): { addressLines: string[]; postcode: string | null } {
  if ((c.postalAddress ?? "").trim() !== "") {
    const addressLines: string[] = [];
    for (const part of c.postalAddress!.split(ADDRESS_SEPARATOR)) {
      const line = part.trim();
      if (line !== "") addressLines.push(line);
      if (addressLines.length === 4) break;
    }
    return { addressLines, postcode: c.postalPostcode };
  }
  const addressLines: string[] = [];
  for (const line of [c.addressLine1, c.addressLine2, c.town])
    if (line !== null && line.trim() !== "") addressLines.push(line);
  return { addressLines, postcode: c.homePostcode };
}

/** The whole electorate at once, for sets small enough to hold (and to test the streamed build against). */
export function buildElectorate(members: readonly CandidateMember[], rules: ElectorateRules): Electorate {
  const sorted = [...members].sort((a, b) => a.memberId - b.memberId);
  const decisions = decideElectorate(sorted, rules);
  const entries: ElectorateEntry[] = sorted.map((m, i) => ({ ...m, ...decisions[i]! }));
  const hasher = electorateHasher(rules.asAt);
  for (const e of entries) hasher.add(e);
  return { entries, entitled: entries.filter((e) => e.included).length, hash: hasher.digest() };
}
