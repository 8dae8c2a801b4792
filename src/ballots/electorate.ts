/**
 * Who is entitled to vote, and why. s.227(1): entitlement goes equally to every
 * member the union reasonably believes will be induced to take part, and to no
 * others; s.232A makes a member wrongly left out a risk to the whole action.
 * So every member the ballot's scope reaches is listed, in or out, with the
 * reason, and the list is frozen and fingerprinted at the ballot's date.
 */
import { createHash } from "node:crypto";
import type { IsoDate } from "../law/dates.js";

export interface CandidateMember {
  memberId: number;
  unionId: number;
  membershipNumber: string;
  name: string;
  status: "active" | "lapsed" | "left" | "deceased";
  inArrears: boolean;
  checkOff: boolean;
  joinedOn: IsoDate | null;
  leftOn: IsoDate | null;
  /** Employer, workplace and category as at the ballot's date. */
  employerId: number;
  workplaceId: number | null;
  jobCategory: string | null;
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

export interface ElectorateEntry extends CandidateMember {
  included: boolean;
  reason: Reason;
  /** s.229(1A)(c): one of a series of consecutive whole numbers; null when not entitled. */
  paperNumber: number | null;
}

export interface Electorate {
  entries: ElectorateEntry[];
  entitled: number;
  /** SHA-256 of the canonical snapshot: printed on every notice and shown to the scrutineer. */
  hash: string;
}

function reasonFor(m: CandidateMember, rules: ElectorateRules, categories: Set<string> | null): Reason {
  if (m.status === "deceased") return "deceased";
  if (m.leftOn !== null && m.leftOn <= rules.asAt) return "left_before_ballot";
  if (m.status === "left") return "left";
  if (m.status === "lapsed") return "lapsed";
  if (m.joinedOn !== null && m.joinedOn > rules.asAt) return "joined_after_ballot";
  const wholeEmployer = rules.scope.some((s) => s.employerId === m.employerId && s.workplaceId === null);
  if (
    !wholeEmployer &&
    !rules.scope.some((s) => s.employerId === m.employerId && s.workplaceId === m.workplaceId)
  ) {
    return "workplace_not_balloted";
  }
  if (categories && !categories.has((m.jobCategory ?? "").trim().toLowerCase()))
    return "category_not_balloted";
  if (m.inArrears && !rules.includeArrears) return "in_arrears";
  return "in_scope";
}

/** Paper numbers follow employer, workplace and membership number, so a re-freeze of the same data numbers the same. */
function paperOrder(a: ElectorateEntry, b: ElectorateEntry): number {
  return (
    a.employerId - b.employerId ||
    (a.workplaceId ?? 0) - (b.workplaceId ?? 0) ||
    (a.membershipNumber < b.membershipNumber ? -1 : a.membershipNumber > b.membershipNumber ? 1 : 0) ||
    a.memberId - b.memberId
  );
}

export function electorateHash(entries: readonly ElectorateEntry[], asAt: IsoDate): string {
  const hash = createHash("sha256");
  hash.update(`mandate-electorate-v1|${asAt}\n`);
  const sorted = [...entries].sort((a, b) => a.memberId - b.memberId);
  for (const e of sorted) {
    hash.update(
      [
        e.memberId,
        e.unionId,
        e.membershipNumber,
        e.included ? 1 : 0,
        e.reason,
        e.employerId,
        e.workplaceId ?? "",
        e.jobCategory ?? "",
        e.checkOff ? 1 : 0,
        e.leftOn ?? "",
        e.paperNumber ?? "",
        e.name,
        e.addressLines.join("\u001f"),
        e.postcode ?? "",
      ].join("|"),
    );
    hash.update("\n");
  }
  return hash.digest("hex");
}

export function buildElectorate(members: readonly CandidateMember[], rules: ElectorateRules): Electorate {
  const categories = rules.jobCategories
    ? new Set(rules.jobCategories.map((c) => c.trim().toLowerCase()))
    : null;
  const entries: ElectorateEntry[] = members.map((m) => {
    const reason = reasonFor(m, rules, categories);
    return { ...m, reason, included: REASONS[reason].included, paperNumber: null };
  });
  const included = entries.filter((e) => e.included).sort(paperOrder);
  included.forEach((e, i) => {
    e.paperNumber = i + 1;
  });
  return { entries, entitled: included.length, hash: electorateHash(entries, rules.asAt) };
}
