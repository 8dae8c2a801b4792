/** The incident log's SQL: incidents per union and day, in the grant's scope, and their follow-ups. */
import type { Grant } from "../auth/index.js";
import type { Db } from "../db/database.js";

export async function insertIncident(
  db: Db,
  row: {
    union_id: number;
    day: string;
    workplace_id: number;
    region_id: number;
    sector_id: number;
    kind: string;
    severity: string;
    occurred_at: Date;
    description: string;
    recorded_by: number | null;
    recorded_at: Date;
  },
): Promise<number> {
  return (await db.insertInto("action_incidents").values(row).returning("id").executeTakeFirstOrThrow()).id;
}

export async function insertFollowup(
  db: Db,
  row: {
    incident_id: number;
    who: string;
    what: string;
    due_on: string | null;
    created_by: number | null;
    created_at: Date;
  },
): Promise<number> {
  return (
    await db.insertInto("action_incident_followups").values(row).returning("id").executeTakeFirstOrThrow()
  ).id;
}

const incidentColumns = [
  "i.id",
  "i.day",
  "i.workplace_id",
  "w.name as workplace_name",
  "i.region_id",
  "i.sector_id",
  "i.kind",
  "i.severity",
  "i.occurred_at",
  "i.description",
  "i.state",
  "i.recorded_at",
  "i.closed_at",
  "i.closed_by",
] as const;

/** One incident of the union (locked for update when asked); the caller checks the scope. */
export async function selectIncident(db: Db, unionId: number, id: number, lock: boolean) {
  let q = db
    .selectFrom("action_incidents as i")
    .innerJoin("workplaces as w", "w.id", "i.workplace_id")
    .select(incidentColumns)
    .where("i.union_id", "=", unionId)
    .where("i.id", "=", id);
  if (lock) q = q.forUpdate("i");
  return q.executeTakeFirst();
}

export async function incidentsOfDay(db: Db, grant: Grant, day: string) {
  let q = db
    .selectFrom("action_incidents as i")
    .innerJoin("workplaces as w", "w.id", "i.workplace_id")
    .select(incidentColumns)
    .where("i.union_id", "=", grant.unionId)
    .where("i.day", "=", day);
  const rows = grant.rows;
  if (rows.kind !== "all") {
    const ids = rows.ids.length ? [...rows.ids] : [-1];
    const column =
      rows.kind === "regions" ? "i.region_id" : rows.kind === "sectors" ? "i.sector_id" : "i.workplace_id";
    q = q.where(column, "in", ids);
  }
  return q.orderBy("i.occurred_at", "desc").orderBy("i.id", "desc").limit(500).execute();
}

export async function followupsOf(db: Db, incidentIds: number[]) {
  const out = new Map<
    number,
    { id: number; who: string; what: string; due_on: string | null; done_at: Date | null }[]
  >();
  if (!incidentIds.length) return out;
  const rows = await db
    .selectFrom("action_incident_followups")
    .select(["id", "incident_id", "who", "what", "due_on", "done_at"])
    .where("incident_id", "in", incidentIds)
    .orderBy("id")
    .execute();
  for (const r of rows) {
    const list = out.get(r.incident_id) ?? [];
    list.push({ id: r.id, who: r.who, what: r.what, due_on: r.due_on, done_at: r.done_at });
    out.set(r.incident_id, list);
  }
  return out;
}
