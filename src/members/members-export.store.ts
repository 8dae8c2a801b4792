/** SQL of the member export: members in the grant's row scope with their register codes, match and group. */
import { type Grant, memberInScope } from "../auth/index.js";
import type { Db } from "../db/database.js";

/** The next page of members after `afterId`, in id order (keyset paging: stable while members are added). */
export function selectExportPage(
  db: Db,
  grant: Grant,
  page: { afterId: number; limit: number; onlyImported?: boolean },
) {
  let q = db
    .selectFrom("members")
    .leftJoin("employers", "employers.id", "members.employer_id")
    .leftJoin("workplaces", "workplaces.id", "members.workplace_id")
    .leftJoin("org_strings", "org_strings.id", "members.org_string_id")
    .leftJoin("duplicate_groups", "duplicate_groups.id", "members.duplicate_group_id")
    .where(memberInScope(grant))
    .where("members.id", ">", page.afterId);
  if (page.onlyImported) q = q.where("members.import_job_id", "is not", null);
  return q
    .select([
      "members.id",
      "members.membership_number",
      "members.surname",
      "members.forenames",
      "members.status",
      "members.employer_text",
      "members.workplace_text",
      "employers.name as employer_name",
      "employers.ods_code",
      "employers.gss_code",
      "employers.dfe_group_id",
      "employers.dfe_urn",
      "employers.la_code",
      "employers.local_code",
      "employers.companies_house_number",
      "workplaces.site_code",
      "workplaces.name as workplace_name",
      "org_strings.status as match_status",
      "org_strings.confidence as match_confidence",
      "duplicate_groups.id as group_id",
      "duplicate_groups.status as group_status",
      "members.import_line",
    ])
    .orderBy("members.id")
    .limit(page.limit)
    .execute();
}
