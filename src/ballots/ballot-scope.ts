/**
 * Which ballots, employers and snapshot rows a reader reaches: the ballot form
 * of the members' row scope (auth/scope-sql.ts). A rep sees the ballots whose
 * constituency includes one of their workplaces, and counts for those
 * workplaces; a regional officer the ballots and counts of their regions; a
 * sector officer of their sectors; a scrutineer only the ballots they are
 * appointed to; national officers and observers every ballot of the union
 * (observers only totals: the view does that).
 */
import { type RawBuilder, type SqlBool, sql } from "kysely";
import { type Actor, APPOINTED_TO_BALLOTS, type Grant } from "../auth/index.js";

const NOTHING = sql<SqlBool>`false`;
const EVERYTHING = sql<SqlBool>`true`;

export interface BallotReach {
  grant: Grant;
  /** Set for roles that see only the ballots they are appointed to. */
  appointedUserId: number | null;
}

export function ballotReach(actor: Actor, grant: Grant): BallotReach {
  return {
    grant,
    appointedUserId: APPOINTED_TO_BALLOTS.has(actor.role) ? (actor.userId ?? 0) : null,
  };
}

/** True when the reach is the whole union: no filter, and cached counts apply. */
export function reachesAll(reach: BallotReach): boolean {
  return reach.grant.rows.kind === "all";
}

const ids = (list: readonly number[]) =>
  sql.join(
    list.map((i) => sql`${i}`),
    sql`, `,
  );

/**
 * A ballot_scope entry (alias s) inside the row scope. An entry for a whole
 * employer (no workplace) is reached through any of the employer's workplaces
 * in scope, or the employer's own region.
 */
export function scopeEntryInReach(grant: Grant): RawBuilder<SqlBool> {
  const rows = grant.rows;
  switch (rows.kind) {
    case "all":
      return EVERYTHING;
    case "regions":
      if (!rows.ids.length) return NOTHING;
      return sql<SqlBool>`(
        (s.workplace_id is not null and exists (select 1 from workplaces w where w.id = s.workplace_id and w.region_id in (${ids(rows.ids)})))
        or (s.workplace_id is null and (
          exists (select 1 from employers e where e.id = s.employer_id and e.region_id in (${ids(rows.ids)}))
          or exists (select 1 from workplaces w where w.employer_id = s.employer_id and w.region_id in (${ids(rows.ids)})))))`;
    case "sectors":
      if (!rows.ids.length) return NOTHING;
      return sql<SqlBool>`exists (select 1 from employers e where e.id = s.employer_id and e.sector_id in (${ids(rows.ids)}))`;
    case "workplaces":
      if (!rows.ids.length) return NOTHING;
      return sql<SqlBool>`(s.workplace_id in (${ids(rows.ids)})
        or (s.workplace_id is null and exists (select 1 from workplaces w where w.employer_id = s.employer_id and w.id in (${ids(rows.ids)}))))`;
  }
}

/** The ballot whose id is in `column` is one the reader reaches. */
export function ballotInReach(reach: BallotReach, column: string): RawBuilder<SqlBool> {
  const ref = sql.ref(column);
  const union = sql<SqlBool>`exists (select 1 from ballots bb where bb.id = ${ref} and bb.union_id = ${reach.grant.unionId})`;
  const appointed =
    reach.appointedUserId === null
      ? EVERYTHING
      : sql<SqlBool>`exists (select 1 from ballot_scrutineers bs where bs.ballot_id = ${ref} and bs.user_id = ${reach.appointedUserId})`;
  const rows = reachesAll(reach)
    ? EVERYTHING
    : sql<SqlBool>`exists (select 1 from ballot_scope s where s.ballot_id = ${ref} and ${scopeEntryInReach(reach.grant)})`;
  return sql<SqlBool>`(${union} and ${appointed} and ${rows})`;
}

/** The employers of a ballot's scope the reader reaches (all of them for a union-wide reach). */
export function employerInReach(reach: BallotReach, ballotId: number, column: string): RawBuilder<SqlBool> {
  if (reachesAll(reach)) return EVERYTHING;
  return sql<SqlBool>`exists (select 1 from ballot_scope s where s.ballot_id = ${ballotId} and s.employer_id = ${sql.ref(column)} and ${scopeEntryInReach(reach.grant)})`;
}

/**
 * A snapshot row (ballot_electorate, alias given) the reader's counts may
 * include: at a workplace in scope, or, with no workplace, at an employer in
 * scope. Counts only: no role but national reads snapshot rows by name.
 */
export function electorateRowInReach(reach: BallotReach, alias: string): RawBuilder<SqlBool> {
  const rows = reach.grant.rows;
  const employer = sql.ref(`${alias}.employer_id`);
  const workplace = sql.ref(`${alias}.workplace_id`);
  switch (rows.kind) {
    case "all":
      return EVERYTHING;
    case "regions":
      if (!rows.ids.length) return NOTHING;
      return sql<SqlBool>`(
        (${workplace} is not null and exists (select 1 from workplaces w where w.id = ${workplace} and w.region_id in (${ids(rows.ids)})))
        or (${workplace} is null and exists (select 1 from employers e where e.id = ${employer} and e.region_id in (${ids(rows.ids)}))))`;
    case "sectors":
      if (!rows.ids.length) return NOTHING;
      return sql<SqlBool>`exists (select 1 from employers e where e.id = ${employer} and e.sector_id in (${ids(rows.ids)}))`;
    case "workplaces":
      if (!rows.ids.length) return NOTHING;
      return sql<SqlBool>`${workplace} in (${ids(rows.ids)})`;
  }
}
