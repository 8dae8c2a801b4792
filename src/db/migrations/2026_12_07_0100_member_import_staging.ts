import type { Kysely } from "kysely";
import { runSqlScript } from "../sql-script.js";

/**
 * The member import's staging table (docs/decisions/0017): each batch of
 * parsed rows is copied here with COPY, then merged into members, their
 * history and the maintained counts by a few set-based statements, and
 * deleted in the same transaction as the merge. Unlogged: what is here is
 * always re-made from the file after a crash (a resumed import first clears
 * its job's rows), so it needs no write-ahead log.
 *
 * Frozen in time: never edit after it has landed; add a new migration.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runSqlScript(
    db,
    `
create unlogged table member_import_staging (
  job_id integer not null,
  batch integer not null,
  ordinal integer not null,
  line integer not null,
  membership_number text not null,
  forenames text not null,
  surname text not null,
  date_of_birth date,
  address_line1 text,
  address_line2 text,
  town text,
  home_postcode text,
  email text,
  email_kind text,
  mobile text,
  employer_id integer,
  workplace_id integer,
  job_title text,
  job_category text,
  branch_id integer,
  region_id integer,
  status text not null,
  in_arrears boolean not null,
  check_off boolean not null,
  joined_on date,
  left_on date,
  consent_email boolean not null,
  consent_sms boolean not null,
  employer_text text,
  workplace_text text,
  org_string_id integer
);
create index member_import_staging_job_idx on member_import_staging (job_id, batch);
`,
  );
}
