/**
 * The permission gate: one table says which role may do what, and over which
 * rows. Pure: no database, so the whole matrix is tested directly.
 *
 * Membership is special-category data (UK GDPR art. 9): a role sees personal
 * data only where its work needs it, and only inside its scope. Out-of-scope
 * rows are reported as "not found" by the stores, so existence does not leak.
 */
import { AppError } from "../shared/errors.js";

export const ROLES = ["national", "regional", "sector", "rep", "scrutineer", "observer", "dpo"] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  national: "National officer",
  regional: "Regional secretary / officer",
  sector: "National sector officer",
  rep: "Workplace rep",
  scrutineer: "Independent scrutineer",
  observer: "Coalition observer",
  dpo: "Data protection officer",
};

export const ACTIONS = [
  "members.read",
  "members.write",
  "members.delete",
  "members.export",
  "members.summary",
  "members.import",
  "org.read",
  "org.write",
  "users.manage",
  "audit.read",
  "ballots.read",
  "ballots.manage",
  "ballots.results",
  "ballots.voter_file",
  "law.commencements",
  "turnout.read",
  "turnout.returns",
  "turnout.reports",
  "indicative.read",
  "indicative.manage",
  "canvass.contact",
  "canvass.assign",
  "canvass.positions",
  "canvass.export",
  "comms.read",
  "comms.write",
  "comms.approve",
  "comms.preview",
  "comms.send",
  "plans.read",
  "plans.write",
  "plans.tasks",
  "plans.rollup",
  "requests.read",
  "requests.raise",
  "requests.answer",
  "requests.configure",
  "requests.reports",
  "coalition.read",
  "board.read",
  "coalition.manage",
  "coalition.publish",
  "materials.read",
  "materials.write",
  "materials.approve",
  "bulletins.read",
  "bulletins.publish",
  "action.read",
  "action.plan",
  "action.claims",
  "action.approve",
  "action.pay_export",
  "action.report",
  "action.picket_plan",
  "action.picket_rota",
  "action.cover",
  "action.incidents",
] as const;
export type Action = (typeof ACTIONS)[number];

/** Each action in the users' words, to finish "... may not ": refusals never show the codes. */
export const ACTION_LABELS: Record<Action, string> = {
  "members.read": "read members' records",
  "members.write": "change members' records",
  "members.delete": "erase members' records",
  "members.export": "export members' records",
  "members.summary": "see membership figures",
  "members.import": "import membership files",
  "org.read": "see employers and workplaces",
  "org.write": "change employers, workplaces or the union's structure",
  "users.manage": "manage users",
  "audit.read": "read the audit log",
  "ballots.read": "see ballots",
  "ballots.manage": "set up or run ballots",
  "ballots.results": "enter ballot results",
  "ballots.voter_file": "export the scrutineer's voter file",
  "law.commencements": "record when a change in the law commences",
  "turnout.read": "see turnout",
  "turnout.returns": "import the scrutineer's turnout returns",
  "turnout.reports": "record members' reports of whether they have voted",
  "indicative.read": "see indicative ballots' turnout and results",
  "indicative.manage": "run indicative ballots or issue member links",
  "canvass.contact": "see contact lists and log contacts with members",
  "canvass.assign": "assign contact lists to reps and see their progress",
  "canvass.positions": "record members' positions on industrial action",
  "canvass.export": "export contact records",
  "comms.read": "see templates, audiences and sends",
  "comms.write": "write message templates and audiences",
  "comms.approve": "approve message templates",
  "comms.preview": "preview messages as a member would get them",
  "comms.send": "send messages to members",
  "plans.read": "see campaign plans",
  "plans.write": "write campaign plans",
  "plans.tasks": "update the tasks given to them in a campaign plan",
  "plans.rollup": "see every campaign plan rolled up",
  "requests.read": "see requests for assistance",
  "requests.raise": "raise requests for assistance",
  "requests.answer": "triage and answer requests for assistance",
  "requests.configure": "configure departments and service levels",
  "requests.reports": "see reports on requests for assistance",
  "coalition.read": "see coalitions' joint timetables and shared aggregates",
  "board.read": "see the disputes unit board and its daily briefing",
  "coalition.manage": "set up coalitions, or agree to share aggregates with one",
  "coalition.publish": "publish the union's aggregates to a coalition",
  "materials.read": "see and download campaign materials",
  "materials.write": "upload campaign materials",
  "materials.approve": "approve or withdraw campaign materials",
  "bulletins.read": "read officer bulletins",
  "bulletins.publish": "publish bulletins to officers and reps",
  "action.read": "see the calendar of days of action",
  "action.plan": "plan days of action or set the strike pay rules",
  "action.claims": "see or enter members' strike pay and hardship claims",
  "action.approve": "approve or reject strike pay and hardship claims",
  "action.pay_export": "export strike pay for finance",
  "action.report": "report numbers out on a day of action",
  "action.picket_plan": "plan picket lines, name picket supervisors or record contact with the police",
  "action.picket_rota": "manage the picket rota or record numbers on a picket line",
  "action.cover": "agree essential-service cover or answer an employer's requests for more",
  "action.incidents": "manage the incident log of a day of action",
};

/** "A workplace rep", "An independent scrutineer": the article follows the sound of the first letter. */
export function roleWithArticle(role: Role): string {
  const label = ROLE_LABELS[role].toLowerCase();
  return `${/^[aeiou]/.test(label) ? "An" : "A"} ${label}`;
}

/**
 * What a grant lets the actor see:
 * - personal: member records with names and contact details;
 * - counts: numbers at any level (region, sector, employer, workplace), no names;
 * - aggregate: numbers by region, sector and status only.
 */
export type View = "personal" | "counts" | "aggregate";

/** The matrix. An action missing from a role's row is refused. */
export const ROLE_ACTIONS: Record<Role, Partial<Record<Action, View>>> = {
  national: {
    "members.read": "personal",
    "members.write": "personal",
    "members.delete": "personal",
    "members.export": "personal",
    "members.summary": "counts",
    "members.import": "personal",
    "org.read": "counts",
    "org.write": "counts",
    "users.manage": "counts",
    "ballots.read": "personal",
    "ballots.manage": "personal",
    "ballots.results": "counts",
    "ballots.voter_file": "personal",
    "law.commencements": "counts",
    "turnout.read": "counts",
    "turnout.returns": "counts",
    "turnout.reports": "personal",
    "indicative.read": "counts",
    "indicative.manage": "personal",
    "canvass.contact": "personal",
    "canvass.assign": "counts",
    "canvass.positions": "personal",
    "canvass.export": "personal",
    "comms.read": "counts",
    "comms.write": "counts",
    "comms.approve": "counts",
    "comms.preview": "personal",
    "comms.send": "personal",
    "plans.read": "counts",
    "plans.write": "counts",
    "plans.tasks": "counts",
    "plans.rollup": "counts",
    "requests.read": "counts",
    "requests.raise": "counts",
    "requests.answer": "counts",
    "requests.configure": "counts",
    "requests.reports": "counts",
    "coalition.read": "aggregate",
    "coalition.manage": "aggregate",
    "coalition.publish": "aggregate",
    "board.read": "counts",
    "materials.read": "counts",
    "materials.write": "counts",
    "materials.approve": "counts",
    "bulletins.read": "counts",
    "bulletins.publish": "counts",
    "action.read": "counts",
    "action.plan": "counts",
    "action.claims": "personal",
    "action.approve": "personal",
    "action.pay_export": "personal",
    "action.report": "counts",
    "action.picket_plan": "personal",
    "action.picket_rota": "personal",
    "action.cover": "personal",
    "action.incidents": "counts",
  },
  regional: {
    "members.read": "personal",
    "members.write": "personal",
    "members.export": "personal",
    "members.summary": "counts",
    "org.read": "counts",
    "ballots.read": "counts",
    "turnout.read": "counts",
    "turnout.reports": "personal",
    "indicative.read": "counts",
    "canvass.contact": "personal",
    "canvass.assign": "counts",
    "canvass.positions": "personal",
    "canvass.export": "personal",
    "comms.read": "counts",
    "comms.write": "counts",
    "comms.preview": "personal",
    "comms.send": "personal",
    "plans.read": "counts",
    "plans.write": "counts",
    "plans.tasks": "counts",
    "requests.read": "counts",
    "requests.raise": "counts",
    "requests.answer": "counts",
    "materials.read": "counts",
    "materials.write": "counts",
    "bulletins.read": "counts",
    "action.read": "counts",
    "action.claims": "personal",
    "action.approve": "personal",
    "action.report": "counts",
    "action.picket_plan": "personal",
    "action.picket_rota": "personal",
    "action.cover": "personal",
    "action.incidents": "counts",
  },
  sector: {
    "members.read": "personal",
    "members.summary": "counts",
    "org.read": "counts",
    "ballots.read": "counts",
    "turnout.read": "counts",
    "indicative.read": "counts",
    "comms.read": "counts",
    "comms.write": "counts",
    "comms.preview": "personal",
    "comms.send": "personal",
    "plans.read": "counts",
    "plans.write": "counts",
    "plans.tasks": "counts",
    "requests.read": "counts",
    "requests.raise": "counts",
    "requests.answer": "counts",
    "materials.read": "counts",
    "materials.write": "counts",
    "bulletins.read": "counts",
    "action.read": "counts",
  },
  rep: {
    "members.read": "personal",
    "members.summary": "counts",
    "org.read": "counts",
    "ballots.read": "counts",
    "turnout.read": "counts",
    "turnout.reports": "personal",
    "indicative.read": "counts",
    "canvass.contact": "personal",
    "canvass.positions": "personal",
    "comms.read": "counts",
    "plans.read": "counts",
    "plans.tasks": "counts",
    "requests.read": "counts",
    "requests.raise": "counts",
    "materials.read": "counts",
    "bulletins.read": "counts",
    "action.read": "counts",
    "action.claims": "personal",
    "action.report": "counts",
    "action.picket_rota": "personal",
  },
  scrutineer: {
    "members.summary": "counts",
    "org.read": "counts",
    "ballots.read": "counts",
    "ballots.results": "counts",
    "turnout.read": "counts",
  },
  observer: {
    "members.summary": "aggregate",
    "ballots.read": "aggregate",
    "turnout.read": "aggregate",
    "coalition.read": "aggregate",
    "board.read": "aggregate",
  },
  dpo: {
    "audit.read": "counts",
    "members.summary": "aggregate",
  },
};

/** Which rows a role reaches, by its kind of scope. */
export const ROLE_ROWS: Record<Role, RowScope["kind"]> = {
  national: "all",
  regional: "regions",
  sector: "sectors",
  rep: "workplaces",
  scrutineer: "all",
  observer: "all",
  dpo: "all",
};

/**
 * Roles that see a ballot only when appointed to it (ballot_scrutineers),
 * whatever their row scope: an independent scrutineer works on the ballots
 * the union engaged them for, not on every ballot of the union.
 */
export const APPOINTED_TO_BALLOTS: ReadonlySet<Role> = new Set<Role>(["scrutineer"]);

export type RowScope =
  | { kind: "all" }
  | { kind: "regions"; ids: readonly number[] }
  | { kind: "sectors"; ids: readonly number[] }
  | { kind: "workplaces"; ids: readonly number[] };

export interface Actor {
  /** A signed-in person, or the command line acting for the operator of the machine. */
  kind: "user" | "system";
  userId: number | null;
  unionId: number;
  role: Role;
  /** For the audit log: an email or "cli:<name>". */
  label: string;
  regionIds: readonly number[];
  sectorIds: readonly number[];
  workplaceIds: readonly number[];
}

export interface Grant {
  unionId: number;
  rows: RowScope;
  view: View;
}

export function can(actor: Actor, action: Action): boolean {
  return ROLE_ACTIONS[actor.role][action] !== undefined;
}

/** Returns what the actor may reach for this action, or throws `auth.forbidden`. */
export function authorize(actor: Actor, action: Action): Grant {
  const view = ROLE_ACTIONS[actor.role][action];
  if (!view) {
    throw new AppError("auth.forbidden", `${roleWithArticle(actor.role)} may not ${ACTION_LABELS[action]}.`, {
      action,
      role: actor.role,
    });
  }
  return { unionId: actor.unionId, rows: rowScopeOf(actor), view };
}

export function rowScopeOf(actor: Actor): RowScope {
  const kind = ROLE_ROWS[actor.role];
  switch (kind) {
    case "all":
      return { kind };
    case "regions":
      return { kind, ids: actor.regionIds };
    case "sectors":
      return { kind, ids: actor.sectorIds };
    case "workplaces":
      return { kind, ids: actor.workplaceIds };
    default:
      return assertNever(kind);
  }
}

/** The position of a member (or a count row) that scopes are checked against. */
export interface RowPosition {
  unionId: number;
  regionId: number | null;
  sectorId: number | null;
  workplaceId: number | null;
}

/** The same rule the SQL scope applies, for checks on a single row already in hand. */
export function rowInScope(grant: Grant, row: RowPosition): boolean {
  if (row.unionId !== grant.unionId) return false;
  const rows = grant.rows;
  switch (rows.kind) {
    case "all":
      return true;
    case "regions":
      return row.regionId !== null && rows.ids.includes(row.regionId);
    case "sectors":
      return row.sectorId !== null && rows.ids.includes(row.sectorId);
    case "workplaces":
      return row.workplaceId !== null && rows.ids.includes(row.workplaceId);
    default:
      return assertNever(rows);
  }
}

/** What scope a role needs when a user is created. */
export function scopeKindNeeded(role: Role): "regions" | "sectors" | "workplaces" | null {
  const kind = ROLE_ROWS[role];
  return kind === "all" ? null : kind;
}

export function assertNever(x: never): never {
  throw new Error(`Unexpected value: ${JSON.stringify(x)}`);
}
