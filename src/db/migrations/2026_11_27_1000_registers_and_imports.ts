import type { Kysely } from "kysely";
import { runSqlScript } from "../sql-script.js";

/**
 * Registers, imports, matching and duplicates: register codes of every kind,
 * aliases (former names, acronyms, reviewers' decisions), the record of
 * register imports, member import jobs with their rejects, the distinct
 * employer/workplace strings members wrote with their match, and duplicate
 * groups of members.
 *
 * Frozen in time: never edit after it has landed; add a new migration.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runSqlScript(
    db,
    `
alter table employers add column organisation_type text;
alter table employers add column dfe_group_id text;
alter table employers add column la_code text;
alter table employers add column local_code text;
alter table employers add column register_source text;
create unique index employers_dfe_group_uq on employers(union_id, dfe_group_id) where dfe_group_id is not null;
create unique index employers_la_code_uq on employers(union_id, la_code) where la_code is not null;
create unique index employers_local_code_uq on employers(union_id, local_code) where local_code is not null;

alter table workplaces add column organisation_type text;
alter table workplaces add column register_source text;

-- Names an employer or workplace is also known by. Reviewers' decisions are
-- aliases too, so a decision applies to every member who wrote that string,
-- now and in later imports.
create table register_aliases (
  id integer generated always as identity primary key,
  union_id integer not null references unions(id),
  employer_id integer not null references employers(id) on delete cascade,
  workplace_id integer references workplaces(id) on delete cascade,
  alias text not null,
  normalised text not null,
  kind text not null check (kind in ('former_name','alternative_name','acronym','reviewer','site_name')),
  source text,
  created_at timestamptz not null default now(),
  constraint register_aliases_uq unique nulls not distinct (union_id, employer_id, workplace_id, normalised)
);
create index register_aliases_employer_idx on register_aliases(employer_id);
create index register_aliases_workplace_idx on register_aliases(workplace_id);

create table register_imports (
  id integer generated always as identity primary key,
  union_id integer not null references unions(id),
  source text not null,
  file_name text not null,
  file_sha256 text not null,
  imported_at timestamptz not null,
  counts jsonb not null default '{}'::jsonb,
  problems jsonb not null default '[]'::jsonb
);

-- Each distinct (employer text, workplace text) members wrote, matched once.
create table org_strings (
  id integer generated always as identity primary key,
  union_id integer not null references unions(id),
  match_key text not null,
  employer_text text not null,
  workplace_text text not null,
  status text not null check (status in ('auto','reviewed','review','unmatched')),
  employer_id integer references employers(id),
  workplace_id integer references workplaces(id),
  confidence real,
  reason text,
  candidates jsonb not null default '[]'::jsonb,
  decided_by integer references users(id),
  decided_at timestamptz,
  updated_at timestamptz not null default now(),
  constraint org_strings_key_uq unique (union_id, match_key)
);
create index org_strings_status_idx on org_strings(union_id, status);

create table import_jobs (
  id integer generated always as identity primary key,
  union_id integer not null references unions(id),
  kind text not null check (kind in ('members')),
  file_name text not null,
  file_path text not null,
  file_sha256 text not null,
  mapping jsonb not null default '{}'::jsonb,
  -- The file's headers, hashed: a later file with the same headers reuses this job's column mapping.
  header_signature text not null default '',
  status text not null check (status in ('running','failed','completed')),
  rows_read integer not null default 0,
  rows_inserted integer not null default 0,
  rows_updated integer not null default 0,
  rows_unchanged integer not null default 0,
  rows_rejected integer not null default 0,
  last_line integer not null default 0,
  -- Every value the import changed, counted by kind (postcode O for 0, phone to E.164, Excel date...).
  fixes jsonb not null default '{}'::jsonb,
  error text,
  created_by integer references users(id),
  created_by_label text not null,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  completed_at timestamptz
);
create index import_jobs_union_idx on import_jobs(union_id, id);

create table import_rejects (
  job_id integer not null references import_jobs(id) on delete cascade,
  line integer not null,
  sheet text,
  field text not null,
  code text not null,
  message text not null,
  severity text not null check (severity in ('reject','warning'))
);
create index import_rejects_job_idx on import_rejects(job_id, line);

-- Groups of member records judged to be one person. Nothing is deleted: the
-- group is the evidence, and a reviewer may split it.
create table duplicate_groups (
  id integer generated always as identity primary key,
  union_id integer not null references unions(id),
  status text not null check (status in ('linked','review','distinct')),
  confidence real not null,
  evidence jsonb not null default '[]'::jsonb,
  created_at timestamptz not null,
  decided_by integer references users(id),
  decided_at timestamptz
);

alter table members add column employer_text text;
alter table members add column workplace_text text;
alter table members add column org_string_id integer references org_strings(id);
alter table members add column email_kind text check (email_kind in ('personal','work'));
alter table members add column duplicate_group_id integer references duplicate_groups(id) on delete set null;
alter table members add column import_job_id integer references import_jobs(id) on delete set null;
alter table members add column import_line integer;
create index members_org_string_idx on members(org_string_id);
create index members_duplicate_group_idx on members(duplicate_group_id);
`,
  );
}
