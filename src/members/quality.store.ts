/**
 * The SQL of the data-quality report: per employer, region or sector, the
 * members in the grant's scope counted by each problem, and the workplaces
 * over their headcount.
 */
import { sql } from "kysely";
import { type Grant, memberInScope } from "../auth/index.js";
import type { Db } from "../db/database.js";
import { RECENT_DAYS } from "./members.model.js";
import type { QualityDimension } from "./quality.service.js";

/** The members in scope counted by problem, and the workplaces over their headcount, by the dimension. */
export async function qualityCounts(db: Db, grant: Grant, by: QualityDimension, today: string) {
  const cut = sql`(${today}::date - ${RECENT_DAYS}::int)`;
  const dim = {
    employer: { id: sql<number | null>`members.employer_id`, name: sql<string | null>`e.name` },
    region: { id: sql<number | null>`members.region_id`, name: sql<string | null>`r.name` },
    sector: { id: sql<number | null>`e.sector_id`, name: sql<string | null>`s.name` },
  }[by];
  const active = sql`members.status = 'active'`;
  const rows = await db
    .selectFrom("members")
    .leftJoin("employers as e", "e.id", "members.employer_id")
    .leftJoin("regions as r", "r.id", "members.region_id")
    .leftJoin("sectors as s", "s.id", "e.sector_id")
    .leftJoin("workplaces as w", "w.id", "members.workplace_id")
    .leftJoin("org_strings as os", "os.id", "members.org_string_id")
    .leftJoin("duplicate_groups as dg", "dg.id", "members.duplicate_group_id")
    // Moved employer, workplace or job category within the recent window (a first period is not a change).
    .leftJoin(
      (eb) =>
        eb
          .selectFrom("member_history as h")
          .select("h.member_id")
          .where(sql<boolean>`h.valid_from >= ${cut}`)
          .where(
            sql<boolean>`exists (select 1 from member_history p where p.member_id = h.member_id and p.valid_to is not null)`,
          )
          .groupBy("h.member_id")
          .as("recent"),
      (join) => join.onRef("recent.member_id", "=", "members.id"),
    )
    .where(memberInScope(grant))
    .select([
      dim.id.as("id"),
      dim.name.as("name"),
      sql<number>`count(*)::int`.as("members"),
      sql<number>`(count(*) filter (where ${active}))::int`.as("active"),
      sql<number>`(count(*) filter (where os.status in ('auto','reviewed') or (members.org_string_id is null and members.employer_id is not null)))::int`.as(
        "matched",
      ),
      sql<number>`(count(*) filter (where os.status = 'review'))::int`.as("in_review"),
      sql<number>`(count(*) filter (where members.employer_id is null and (os.status is null or os.status = 'unmatched')))::int`.as(
        "unmatched",
      ),
      sql<number>`(count(*) filter (where ${active} and (members.address_line1 is null or members.home_postcode is null)))::int`.as(
        "no_address",
      ),
      sql<number>`(count(*) filter (where ${active} and w.closed_on <= ${today}::date))::int`.as("at_closed"),
      sql<number>`(count(*) filter (where recent.member_id is not null))::int`.as("changed_recently"),
      sql<number>`(count(*) filter (where members.status = 'lapsed'))::int`.as("lapsed"),
      sql<number>`(count(*) filter (where ${active} and members.in_arrears))::int`.as("in_arrears"),
      sql<number>`(count(*) filter (where dg.status = 'review'))::int`.as("duplicates_pending"),
      // Flagged by communications when an email bounced for good or a text found no such number.
      sql<number>`(count(*) filter (where ${active} and members.email_undeliverable_at is not null))::int`.as(
        "email_undeliverable",
      ),
      sql<number>`(count(*) filter (where ${active} and members.mobile_undeliverable_at is not null))::int`.as(
        "mobile_undeliverable",
      ),
    ])
    .groupBy([dim.id, dim.name])
    .orderBy(sql`count(*)`, "desc")
    .execute();

  // Workplaces where active members exceed the recorded headcount, attributed to the same dimension.
  const over = await db
    .selectFrom("members")
    .innerJoin("workplaces as w", "w.id", "members.workplace_id")
    .leftJoin("employers as e", "e.id", "w.employer_id")
    .where(memberInScope(grant))
    .where("members.status", "=", "active")
    .where("w.headcount", "is not", null)
    .select([dim.id.as("id"), "w.id as workplace_id"])
    .groupBy([dim.id, "w.id", "w.headcount"])
    .having(sql<boolean>`count(*) > w.headcount`)
    .execute();
  return { rows, over };
}
