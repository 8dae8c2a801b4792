import { sql } from "kysely";
import type { Db } from "../db/database.js";

/**
 * Records that the members' current employer, workplace and job category
 * took effect on a date: the open period closes the day before, periods that
 * started on or after the date are superseded, and a new period opens. Run
 * after the members rows have been changed, in the same transaction. The new
 * periods are numbered in member order, whatever plan reads the members.
 */
export async function recordEmploymentChanges(
  db: Db,
  memberIds: readonly number[],
  effectiveFrom: string,
): Promise<void> {
  if (!memberIds.length) return;
  const ids = [...memberIds];
  await sql`delete from member_history where member_id = any(${ids}::int[]) and valid_from >= ${effectiveFrom}::date`.execute(
    db,
  );
  await sql`update member_history set valid_to = ${effectiveFrom}::date - 1
    where member_id = any(${ids}::int[]) and (valid_to is null or valid_to >= ${effectiveFrom}::date)`.execute(
    db,
  );
  await sql`insert into member_history (union_id, member_id, valid_from, employer_id, workplace_id, job_category)
    select union_id, id, ${effectiveFrom}::date, employer_id, workplace_id, job_category from members where id = any(${ids}::int[])
     order by id`.execute(db);
}
