/**
 * All SQL of employers and workplaces outside the register file import. Every query is bound to the
 * union of the grant it is given; member counts beside them are limited to the grant's row scope.
 */
import { type Insertable, sql, type Updateable } from "kysely";
import { countsInScope, type Grant } from "../auth/index.js";
import type { Db, EmployersTable, WorkplacesTable } from "../db/database.js";
import { likePrefix } from "../shared/paging.js";
import type { EmployerListQuery, WorkplaceListQuery } from "./registers.model.js";

interface UnionScope {
  unionId: number;
}

/** Member counts per employer (or workplace) in the grant's scope, from the maintained counts. */
export function countsBy(db: Db, grant: Grant, column: "employer_id" | "workplace_id") {
  return db
    .selectFrom("member_counts")
    .where(countsInScope(grant))
    .select([
      `member_counts.${column} as key`,
      sql<number>`sum(member_counts.n)::int`.as("n"),
      sql<number>`coalesce(sum(member_counts.n) filter (where member_counts.status = 'active'), 0)::int`.as(
        "active",
      ),
    ])
    .groupBy(`member_counts.${column}`);
}

/** Workplaces of the union with their employer's name and member counts in the reader's scope. */
export function workplacesWithCounts(db: Db, grant: Grant) {
  return db
    .selectFrom("workplaces")
    .innerJoin("employers", "employers.id", "workplaces.employer_id")
    .leftJoin(countsBy(db, grant, "workplace_id").as("mc"), "mc.key", "workplaces.id")
    .where("workplaces.union_id", "=", grant.unionId);
}

export function selectWorkplaceItem<Q extends ReturnType<typeof workplacesWithCounts>>(q: Q) {
  return q
    .selectAll("workplaces")
    .select([
      "employers.name as employer_name",
      sql<number>`coalesce(mc.n, 0)`.as("member_count"),
      sql<number>`coalesce(mc.active, 0)`.as("active_member_count"),
    ]);
}

/** A page of the union's employers with their member counts in the grant's scope. */
export async function selectEmployerPage(db: Db, grant: Grant, query: EmployerListQuery) {
  let q = db
    .selectFrom("employers")
    .leftJoin("sectors", "sectors.id", "employers.sector_id")
    .leftJoin("regions", "regions.id", "employers.region_id")
    .leftJoin(countsBy(db, grant, "employer_id").as("mc"), "mc.key", "employers.id")
    .where("employers.union_id", "=", grant.unionId);
  if (query.search) {
    const term = query.search;
    q = q.where((eb) =>
      eb.or([
        eb(eb.fn("lower", ["employers.name"]), "like", `%${likePrefix(term.toLowerCase())}`),
        eb("employers.ods_code", "=", term.toUpperCase()),
        eb("employers.gss_code", "=", term.toUpperCase()),
        eb("employers.dfe_urn", "=", term),
        eb("employers.companies_house_number", "=", term.toUpperCase()),
      ]),
    );
  }
  if (query.sectorId) q = q.where("employers.sector_id", "=", query.sectorId);
  if (query.regionId) q = q.where("employers.region_id", "=", query.regionId);
  // A scoped role (region, sector, workplaces) can act only where it has members: the other
  // employers on the register are noise to it (a rep would page through hundreds at 0).
  if (query.withMembers || grant.rows.kind !== "all") q = q.where("mc.n", ">", 0);
  const [rows, total] = await Promise.all([
    q
      .selectAll("employers")
      .select([
        "sectors.name as sector_name",
        "regions.name as region_name",
        sql<number>`coalesce(mc.n, 0)`.as("member_count"),
        sql<number>`coalesce(mc.active, 0)`.as("active_member_count"),
        (eb) =>
          eb
            .selectFrom("workplaces")
            .select((e) => e.fn.countAll<number>().as("c"))
            .whereRef("workplaces.employer_id", "=", "employers.id")
            .as("workplace_count"),
      ])
      .orderBy("employers.name")
      .orderBy("employers.id")
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize)
      .execute(),
    q.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(total.n) };
}

export function selectEmployerWithNames(db: Db, scope: UnionScope, id: number) {
  return db
    .selectFrom("employers")
    .leftJoin("sectors", "sectors.id", "employers.sector_id")
    .leftJoin("regions", "regions.id", "employers.region_id")
    .selectAll("employers")
    .select(["sectors.name as sector_name", "regions.name as region_name"])
    .where("employers.union_id", "=", scope.unionId)
    .where("employers.id", "=", id)
    .executeTakeFirst();
}

/** Member counts by workplace of one employer, in the grant's scope. */
export function selectEmployerCountsByWorkplace(db: Db, grant: Grant, employerId: number) {
  return countsBy(db, grant, "workplace_id").where("member_counts.employer_id", "=", employerId).execute();
}

/** Whether a row of a union's table exists (a reference given in an input). */
export async function rowExists(
  db: Db,
  scope: UnionScope,
  table: "sectors" | "regions" | "employers",
  id: number,
): Promise<boolean> {
  const found = await db
    .selectFrom(table)
    .select("id")
    .where("id", "=", id)
    .where("union_id", "=", scope.unionId)
    .executeTakeFirst();
  return found !== undefined;
}

export function insertEmployer(
  db: Db,
  scope: UnionScope,
  values: Omit<Insertable<EmployersTable>, "union_id">,
) {
  return db
    .insertInto("employers")
    .values({ ...values, union_id: scope.unionId })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function selectEmployer(db: Db, scope: UnionScope, id: number) {
  return db
    .selectFrom("employers")
    .selectAll()
    .where("union_id", "=", scope.unionId)
    .where("id", "=", id)
    .executeTakeFirst();
}

export function updateEmployerRow(db: Db, scope: UnionScope, id: number, values: Updateable<EmployersTable>) {
  return db
    .updateTable("employers")
    .set(values)
    .where("union_id", "=", scope.unionId)
    .where("id", "=", id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** A page of the union's workplaces with their employer's name and member counts in the grant's scope. */
export async function selectWorkplacePage(db: Db, grant: Grant, query: WorkplaceListQuery) {
  let q = workplacesWithCounts(db, grant);
  if (query.employerId) q = q.where("workplaces.employer_id", "=", query.employerId);
  if (query.regionId) q = q.where("workplaces.region_id", "=", query.regionId);
  if (query.search) {
    const term = query.search;
    q = q.where((eb) =>
      eb.or([
        eb(eb.fn("lower", ["workplaces.name"]), "like", `%${likePrefix(term.toLowerCase())}`),
        eb("workplaces.site_code", "=", term.toUpperCase()),
      ]),
    );
  }
  const [rows, total] = await Promise.all([
    selectWorkplaceItem(q)
      .orderBy("workplaces.name")
      .orderBy("workplaces.id")
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize)
      .execute(),
    q.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(total.n) };
}

export function selectWorkplaceWithCounts(db: Db, grant: Grant, id: number) {
  return selectWorkplaceItem(
    workplacesWithCounts(db, grant).where("workplaces.id", "=", id),
  ).executeTakeFirst();
}

export function insertWorkplace(
  db: Db,
  scope: UnionScope,
  values: Omit<Insertable<WorkplacesTable>, "union_id">,
) {
  return db
    .insertInto("workplaces")
    .values({ ...values, union_id: scope.unionId })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function selectWorkplace(db: Db, scope: UnionScope, id: number) {
  return db
    .selectFrom("workplaces")
    .selectAll()
    .where("union_id", "=", scope.unionId)
    .where("id", "=", id)
    .executeTakeFirst();
}

export function updateWorkplaceRow(
  db: Db,
  scope: UnionScope,
  id: number,
  values: Updateable<WorkplacesTable>,
) {
  return db
    .updateTable("workplaces")
    .set(values)
    .where("union_id", "=", scope.unionId)
    .where("id", "=", id)
    .returningAll()
    .executeTakeFirstOrThrow();
}
