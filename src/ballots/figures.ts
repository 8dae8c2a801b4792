import { formatCount, formatUkDate } from "../notices/index.js";

/**
 * The figures a notice gives an employer (s.226A(2B), s.234A(3)): the number
 * of employees concerned in each category and at each workplace, and the
 * total, counted from the frozen electorate so every document agrees with it.
 */
export interface EntitledMember {
  employerId: number;
  workplaceId: number | null;
  jobCategory: string | null;
}

export interface EmployerFigures {
  employerId: number;
  total: number;
  /** Sorted by category name. */
  categories: { category: string; count: number }[];
  /** Sorted by workplace id; the caller names and orders them for print. */
  workplaces: { workplaceId: number | null; count: number }[];
}

export function figuresByEmployer(members: Iterable<EntitledMember>): Map<number, EmployerFigures> {
  const byEmployer = new Map<
    number,
    { total: number; cats: Map<string, number>; wps: Map<number | null, number> }
  >();
  for (const m of members) {
    let f = byEmployer.get(m.employerId);
    if (!f) {
      f = { total: 0, cats: new Map(), wps: new Map() };
      byEmployer.set(m.employerId, f);
    }
    f.total++;
    const cat = m.jobCategory?.trim() || "Not recorded";
    f.cats.set(cat, (f.cats.get(cat) ?? 0) + 1);
    f.wps.set(m.workplaceId, (f.wps.get(m.workplaceId) ?? 0) + 1);
  }
  const out = new Map<number, EmployerFigures>();
  for (const [employerId, f] of [...byEmployer].sort((a, b) => a[0] - b[0])) {
    out.set(employerId, {
      employerId,
      total: f.total,
      categories: [...f.cats]
        .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
        .map(([category, count]) => ({ category, count })),
      workplaces: [...f.wps]
        .sort((a, b) => (a[0] ?? 0) - (b[0] ?? 0))
        .map(([workplaceId, count]) => ({ workplaceId, count })),
    });
  }
  return out;
}

export interface ExplanationFacts {
  unionName: string;
  asAt: string;
  employerName: string;
  total: number;
  /** This employer's members in the snapshot who were not counted, by reason code (ballots/electorate.ts). */
  excludedByReason: { reason: string; count: number }[];
  registerSource: string | null;
  electorateHash: string;
}

/** Why a member was not counted, in words for the employer: [one, more than one]. */
const NOT_COUNTED: Record<string, [string, string]> = {
  left: ["member whose membership had ended", "members whose membership had ended"],
  lapsed: ["member whose membership has lapsed", "members whose membership has lapsed"],
  deceased: ["member who has died", "members who have died"],
  left_before_ballot: [
    "member who left the union or your employment on or before that date",
    "members who left the union or your employment on or before that date",
  ],
  joined_after_ballot: ["member who joined after that date", "members who joined after that date"],
  in_arrears: [
    "member in arrears, who under the union's rules may not vote",
    "members in arrears, who under the union's rules may not vote",
  ],
  category_not_balloted: [
    "member in a job category not included in this ballot",
    "members in job categories not included in this ballot",
  ],
  workplace_not_balloted: [
    "member at a workplace not included in this ballot",
    "members at workplaces not included in this ballot",
  ],
};

function notCounted(reason: string, count: number): string {
  const words = NOT_COUNTED[reason] ?? ["member not entitled to vote", "members not entitled to vote"];
  return `${formatCount(count)} ${count === 1 ? words[0] : words[1]}`;
}

/**
 * How the figures were arrived at (s.226A(2)(c)(i)), for one employer and
 * from that employer's members only. The Court of Appeal held the
 * explanation need go no further than the Code of Practice (RMT v Serco;
 * ASLEF v London Midland [2011] EWCA Civ 226), so it says what was done, from
 * what records, as at when, and what was left out and why, without claiming
 * an "audit" the union did not carry out.
 */
export function explainFigures(f: ExplanationFacts): string {
  const excluded = f.excludedByReason.filter((r) => r.count > 0);
  const asAt = formatUkDate(f.asAt);
  const parts = [
    `The figures are taken from ${f.unionName}'s register of members as it stood on ${asAt}, the date on which the list of members entitled to vote in this ballot was fixed.`,
    `They count every member the union reasonably believes will be entitled to vote who is recorded as employed by ${f.employerName}, at the workplaces and in the categories listed, and whose membership is current.`,
    `Each member's employer and workplace are recorded in the register and matched to ${f.registerSource ? `the ${f.registerSource} register of organisations and sites` : "the union's list of employers and workplaces"}; the categories are the general job categories the union records for its members.`,
  ];
  if (excluded.length) {
    parts.push(
      `Of the members recorded as employed by ${f.employerName}, the following were not counted: ${excluded.map((r) => notCounted(r.reason, r.count)).join("; ")}.`,
    );
  }
  parts.push(
    `The total of ${formatCount(f.total)} is the number of members counted. The list they are drawn from is kept unchanged and identified by the reference ${f.electorateHash.slice(0, 16)}, so the figures can be traced to it.`,
  );
  return parts.join(" ");
}

export interface AffectedExplanationFacts {
  unionName: string;
  givenOn: string;
  electorateAsAt: string;
  employerName: string;
  total: number;
  balloted: number;
  notCounted: { label: string; count: number }[];
  movedIn: number;
  electorateHash: string;
}

/**
 * How the figures of a notice of industrial action were arrived at
 * (s.234A(3)(a), (5C)): the balloted members still employed in the
 * constituency on the day of the notice, not the ballot's electorate (British
 * Airways v Unite [2009] EWHC 3541 (QB)); members who joined since the ballot
 * are not called on under its mandate and are not counted.
 */
export function explainAffected(f: AffectedExplanationFacts): string {
  const dropped = f.notCounted.filter((r) => r.count > 0);
  const parts = [
    `The figures are taken from ${f.unionName}'s membership register as it stood on ${f.givenOn}, the date of this notice.`,
    `They count the members the union reasonably believes it will induce to take part in the action: members who were entitled to vote in the ballot (electorate fixed on ${f.electorateAsAt}, fingerprint ${f.electorateHash.slice(0, 16)}) and who are recorded on that date as employed by ${f.employerName}, at the workplaces and in the categories listed, with current membership.`,
    `Of the ${f.balloted} members balloted at ${f.employerName}, ${f.total - f.movedIn} are counted${f.movedIn ? `, with ${f.movedIn} balloted at another employer in the ballot who now work here` : ""}.`,
  ];
  if (dropped.length) {
    parts.push(
      `Not counted: ${dropped.map((r) => `${r.count} ${r.label.replace(/^Not called on: /, "").toLowerCase()}`).join("; ")}.`,
    );
  }
  parts.push(
    "Members who joined the union or the constituency since the ballot are not called on under this ballot's mandate and are not counted.",
  );
  return parts.join(" ");
}
