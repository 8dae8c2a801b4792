/**
 * Pre-flight checks: the data defects that have cost unions injunctions,
 * looked for before any notice is produced. Each check cites the case it comes
 * from. Every data defect blocks notices until it is fixed: each of them has cost
 * a union an injunction. "warn" is kept for advice that needs judgement.
 */
import type { IsoDate } from "../law/index.js";

export interface WorkplaceFacts {
  id: number;
  employerId: number;
  name: string;
  closedOn: IsoDate | null;
  headcount: number | null;
}

export interface BallotFacts {
  openingDate: IsoDate;
  closingDate: IsoDate;
  /** The first day action is planned; leavers before it should not be balloted (BA v Unite 2009). */
  firstActionDate: IsoDate;
  checkOffRoute: boolean;
  scrutineerRequired: boolean;
  scrutineerName: string;
  returnAddress: string;
  authorisedPerson: string;
  votingMethodInForce: { inForce: boolean; reason: string };
  /** Null when the regime's statement is known; otherwise why papers cannot be issued. */
  statementBlocked: string | null;
}

/** What the checks need of each entitled member of the snapshot (no names or addresses). */
export interface SnapshotMember {
  memberId: number;
  membershipNumber: string;
  employerId: number;
  workplaceId: number | null;
  jobCategory: string | null;
  leftOn: IsoDate | null;
  checkOff: boolean;
  /** A home or requested postal address with a postcode. */
  hasAddress: boolean;
}

export interface PreflightInput {
  ballot: BallotFacts;
  /** Null before the electorate is frozen. */
  entitled: readonly SnapshotMember[] | null;
  workplaces: ReadonlyMap<number, WorkplaceFacts>;
  /** Members of the electorate in a duplicate group still waiting for review. */
  duplicatesPending: ReadonlySet<number>;
  /** Members whose employer, workplace or category changed after the snapshot date, with the change. */
  changedSince: ReadonlyMap<number, string>;
  /** The employers the ballot covers. */
  scopeEmployers: readonly { id: number; name: string }[];
}

export interface PreflightItem {
  memberId: number | null;
  membershipNumber: string | null;
  employerId: number | null;
  workplaceId: number | null;
  detail: string;
}

export interface PreflightCheck {
  code: string;
  severity: "block" | "warn";
  title: string;
  citation: string;
  count: number;
  items: PreflightItem[];
}

/** Enough to find and fix them; the count says how many there are in all. */
const ITEMS_SHOWN = 200;

const VAGUE_CATEGORIES = new Set([
  "",
  "other",
  "others",
  "staff",
  "all staff",
  "various",
  "misc",
  "miscellaneous",
  "general",
  "unknown",
  "n/a",
  "na",
  "none",
  "tbc",
  "employee",
  "employees",
  "worker",
  "workers",
  "engineers/technicians",
]);

export function isVagueCategory(category: string | null): boolean {
  return VAGUE_CATEGORIES.has((category ?? "").trim().toLowerCase());
}

function memberItem(e: SnapshotMember, detail: string): PreflightItem {
  return {
    memberId: e.memberId,
    membershipNumber: e.membershipNumber,
    employerId: e.employerId,
    workplaceId: e.workplaceId,
    detail,
  };
}

function check(
  code: string,
  severity: "block" | "warn",
  title: string,
  citation: string,
  items: PreflightItem[],
): PreflightCheck {
  return { code, severity, title, citation, count: items.length, items: items.slice(0, ITEMS_SHOWN) };
}

export function runPreflight(input: PreflightInput): PreflightCheck[] {
  const { ballot } = input;
  const setup: PreflightItem[] = [];
  const setupItem = (detail: string) =>
    setup.push({ memberId: null, membershipNumber: null, employerId: null, workplaceId: null, detail });
  if (!ballot.votingMethodInForce.inForce) setupItem(ballot.votingMethodInForce.reason);
  if (ballot.scrutineerRequired && !ballot.scrutineerName.trim())
    setupItem("More than 50 are entitled: name the independent scrutineer (s.226B).");
  if (!ballot.returnAddress.trim()) setupItem("Give the return address for voting papers (s.229(1A)(b)).");
  if (!ballot.authorisedPerson.trim()) setupItem("Name the person authorised to call the action (s.229(3)).");
  if (ballot.statementBlocked) setupItem(ballot.statementBlocked);

  const checks: PreflightCheck[] = [
    check(
      "setup.incomplete",
      "block",
      "The ballot set-up is incomplete",
      "TULRCA 1992 ss.226B, 229, 230",
      setup,
    ),
  ];
  if (input.entitled === null) {
    checks.push(
      check("electorate.not_frozen", "block", "Freeze the electorate first", "TULRCA 1992 s.227(1)", [
        {
          memberId: null,
          membershipNumber: null,
          employerId: null,
          workplaceId: null,
          detail: "No snapshot yet.",
        },
      ]),
    );
    return checks;
  }
  const entitled = input.entitled;

  const unknownWorkplace: PreflightItem[] = [];
  const unknownCategory: PreflightItem[] = [];
  const vague: PreflightItem[] = [];
  const closed: PreflightItem[] = [];
  const leaving: PreflightItem[] = [];
  const noAddress: PreflightItem[] = [];
  const duplicates: PreflightItem[] = [];
  const changed: PreflightItem[] = [];
  const checkOff: PreflightItem[] = [];
  const perWorkplace = new Map<number, number>();

  for (const e of entitled) {
    if (e.workplaceId === null) unknownWorkplace.push(memberItem(e, "No workplace recorded."));
    else {
      perWorkplace.set(e.workplaceId, (perWorkplace.get(e.workplaceId) ?? 0) + 1);
      const w = input.workplaces.get(e.workplaceId);
      if (w?.closedOn && w.closedOn <= ballot.openingDate) {
        closed.push(memberItem(e, `${w.name} closed on ${w.closedOn}.`));
      }
    }
    if (!e.jobCategory?.trim()) unknownCategory.push(memberItem(e, "No job category recorded."));
    else if (isVagueCategory(e.jobCategory))
      vague.push(memberItem(e, `Category "${e.jobCategory}" is too vague.`));
    if (e.leftOn !== null && e.leftOn < ballot.firstActionDate) {
      leaving.push(
        memberItem(e, `Leaves on ${e.leftOn}, before the first day of action ${ballot.firstActionDate}.`),
      );
    }
    if (!e.hasAddress) noAddress.push(memberItem(e, "No home or postal address."));
    if (input.duplicatesPending.has(e.memberId))
      duplicates.push(memberItem(e, "Possible duplicate awaiting review."));
    const change = input.changedSince.get(e.memberId);
    if (change) changed.push(memberItem(e, change));
    if (ballot.checkOffRoute && !e.checkOff) {
      checkOff.push(
        memberItem(e, "Not on check-off, so the check-off information route cannot be used for them."),
      );
    }
  }

  const employersWithMembers = new Set(entitled.map((e) => e.employerId));
  const overHeadcount: PreflightItem[] = [];
  for (const [workplaceId, members] of [...perWorkplace].sort((a, b) => a[0] - b[0])) {
    const w = input.workplaces.get(workplaceId);
    if (w?.headcount != null && members > w.headcount) {
      overHeadcount.push({
        memberId: null,
        membershipNumber: null,
        employerId: w.employerId,
        workplaceId,
        detail: `${w.name}: ${members} members balloted but the employer's headcount is ${w.headcount}.`,
      });
    }
  }

  checks.push(
    check(
      "workplace.unknown",
      "block",
      "Members with no known workplace",
      'Network Rail v RMT [2010] EWHC 1084 (QB): workplaces recorded as "unknown"',
      unknownWorkplace,
    ),
    check(
      "workplace.closed",
      "block",
      "Members at workplaces that have closed",
      "Network Rail v RMT [2010] EWHC 1084 (QB): signal boxes closed for years were balloted",
      closed,
    ),
    check(
      "workplace.over_headcount",
      "block",
      "More members balloted than the workplace employs",
      "Network Rail v RMT [2010] EWHC 1084 (QB): 67 locations with more members than employees",
      overHeadcount,
    ),
    check(
      "category.unknown",
      "block",
      "Members with no job category",
      "TULRCA 1992 s.226A(2A)(a); RMT v Midland Mainline [2001] EWCA Civ 1206: grades not kept up to date",
      unknownCategory,
    ),
    check(
      "member.leaving",
      "block",
      "Members leaving before the first day of action",
      "British Airways v Unite [2009] EWHC 3541 (QB): volunteers for redundancy kept on the electorate",
      leaving,
    ),
    check(
      "member.no_address",
      "block",
      "Members with no address to post a voting paper to",
      "TULRCA 1992 s.230(2); RMT v Midland Mainline [2001] EWCA Civ 1206: papers sent to wrong addresses",
      noAddress,
    ),
    check(
      "checkoff.misused",
      "block",
      "Check-off information used for members not on check-off",
      "Metrobus v Unite [2009] EWCA Civ 829; TULRCA 1992 s.226A(2)(c)(ii)",
      checkOff,
    ),
    check(
      "category.vague",
      "block",
      "Job categories too vague for the employer to recognise",
      'EDF Energy Powerlink v RMT [2009] EWHC 2852 (QB): "engineers/technicians"',
      vague,
    ),
    check(
      "member.duplicate_pending",
      "block",
      "Possible duplicates awaiting review",
      "TULRCA 1992 s.226A(2D): figures as accurate as reasonably practicable",
      duplicates,
    ),
    check(
      "employer.no_members",
      "warn",
      "Employers in the ballot with no member entitled to vote (no notice goes to them)",
      "TULRCA 1992 s.226A(1): notice to every employer of those entitled to vote",
      input.scopeEmployers
        .filter((e) => !employersWithMembers.has(e.id))
        .map((e) => ({
          memberId: null,
          membershipNumber: null,
          employerId: e.id,
          workplaceId: null,
          detail: e.name,
        })),
    ),
    check(
      "member.changed_since_snapshot",
      "block",
      "Members whose employer, workplace or category changed after the snapshot",
      "RMT v Midland Mainline [2001] EWCA Civ 1206: moves into the balloted grades not recorded",
      changed,
    ),
  );
  return checks;
}

export function isBlocking(checks: readonly PreflightCheck[]): boolean {
  return checks.some((c) => c.severity === "block" && c.count > 0);
}
