import type { Kysely } from "kysely";
import { runSqlScript } from "../sql-script.js";

/**
 * Foundation schema: tenants (unions) and their organisation, employers and
 * workplaces, members with employment history, users and sessions, the audit
 * log, and maintained member counts for dashboards.
 *
 * Frozen in time: never edit after it has landed; add a new migration.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runSqlScript(
    db,
    `
create table unions (
  id integer generated always as identity primary key,
  slug text not null unique check (slug ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
  name text not null check (length(name) between 1 and 200),
  created_at timestamptz not null default now()
);
insert into unions (slug, name) values ('default', 'Default union');

create table regions (
  id integer generated always as identity primary key,
  union_id integer not null references unions(id),
  code text not null check (length(code) between 1 and 64),
  name text not null check (length(name) between 1 and 200),
  nation text not null default 'england' check (nation in ('england','wales','scotland','northern_ireland')),
  unique (union_id, code)
);

create table sectors (
  id integer generated always as identity primary key,
  union_id integer not null references unions(id),
  code text not null check (length(code) between 1 and 64),
  name text not null check (length(name) between 1 and 200),
  unique (union_id, code)
);

create table branches (
  id integer generated always as identity primary key,
  union_id integer not null references unions(id),
  region_id integer references regions(id),
  code text not null check (length(code) between 1 and 64),
  name text not null check (length(name) between 1 and 200),
  unique (union_id, code)
);
create index branches_region_idx on branches(region_id);

create table employers (
  id integer generated always as identity primary key,
  union_id integer not null references unions(id),
  name text not null check (length(name) between 1 and 300),
  ods_code text,
  dfe_urn text,
  gss_code text,
  companies_house_number text,
  sector_id integer references sectors(id),
  region_id integer references regions(id),
  nation text not null default 'england' check (nation in ('england','wales','scotland','northern_ireland')),
  important_public_service text check (important_public_service in
    ('health','education','fire','transport','border_security','nuclear_decommissioning')),
  devolved_welsh_authority boolean not null default false,
  opened_on date,
  closed_on date,
  parent_id integer references employers(id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index employers_ods_code_uq on employers(union_id, ods_code) where ods_code is not null;
create unique index employers_dfe_urn_uq on employers(union_id, dfe_urn) where dfe_urn is not null;
create unique index employers_gss_code_uq on employers(union_id, gss_code) where gss_code is not null;
create unique index employers_ch_number_uq on employers(union_id, companies_house_number) where companies_house_number is not null;
create index employers_union_name_idx on employers(union_id, lower(name));
create index employers_sector_idx on employers(sector_id);
create index employers_region_idx on employers(region_id);
create index employers_parent_idx on employers(parent_id);

create table workplaces (
  id integer generated always as identity primary key,
  union_id integer not null references unions(id),
  employer_id integer not null references employers(id),
  region_id integer references regions(id),
  site_code text,
  name text not null check (length(name) between 1 and 300),
  address text,
  postcode text,
  opened_on date,
  closed_on date,
  headcount integer check (headcount >= 0),
  headcount_on date,
  headcount_source text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index workplaces_employer_idx on workplaces(employer_id);
create index workplaces_region_idx on workplaces(region_id);
create unique index workplaces_site_code_uq on workplaces(union_id, site_code) where site_code is not null;

create table members (
  id integer generated always as identity primary key,
  union_id integer not null references unions(id),
  membership_number text not null check (length(membership_number) between 1 and 32),
  forenames text not null,
  surname text not null,
  date_of_birth date,
  address_line1 text,
  address_line2 text,
  town text,
  home_postcode text,
  postal_address text,
  postal_postcode text,
  postal_requested_on date,
  postal_request_evidence text,
  email text,
  mobile text,
  employer_id integer references employers(id),
  workplace_id integer references workplaces(id),
  job_title text,
  job_category text,
  branch_id integer references branches(id),
  region_id integer references regions(id),
  status text not null default 'active' check (status in ('active','lapsed','left','deceased')),
  in_arrears boolean not null default false,
  check_off boolean not null default false,
  joined_on date,
  left_on date,
  consent_email boolean not null default false,
  consent_sms boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint members_number_uq unique (union_id, membership_number)
);
create index members_employer_idx on members(employer_id);
create index members_workplace_idx on members(workplace_id);
create index members_region_idx on members(region_id);
create index members_branch_idx on members(branch_id);
create index members_surname_idx on members(union_id, lower(surname) text_pattern_ops);
create index members_postcode_idx on members(union_id, upper(replace(home_postcode, ' ', '')) text_pattern_ops);

-- Employment as at a date: a ballot freezes the electorate as it stood on a day,
-- so changes of employer, workplace and job category keep their effective dates.
create table member_history (
  id integer generated always as identity primary key,
  union_id integer not null references unions(id),
  member_id integer not null references members(id) on delete cascade,
  valid_from date not null,
  valid_to date,
  employer_id integer references employers(id),
  workplace_id integer references workplaces(id),
  job_category text,
  recorded_at timestamptz not null default now(),
  check (valid_to is null or valid_to >= valid_from)
);
create index member_history_member_idx on member_history(member_id, valid_from);

create table users (
  id integer generated always as identity primary key,
  union_id integer not null references unions(id),
  email text not null,
  display_name text not null,
  password_hash text not null,
  role text not null check (role in ('national','regional','sector','rep','scrutineer','observer','dpo')),
  created_at timestamptz not null default now(),
  disabled_at timestamptz
);
create unique index users_email_uq on users(lower(email));

create table user_scopes (
  user_id integer not null references users(id) on delete cascade,
  region_id integer references regions(id),
  sector_id integer references sectors(id),
  workplace_id integer references workplaces(id),
  check (num_nonnulls(region_id, sector_id, workplace_id) = 1)
);
create index user_scopes_user_idx on user_scopes(user_id);

create table sessions (
  token_hash text primary key,
  user_id integer not null references users(id) on delete cascade,
  csrf_token text not null,
  created_at timestamptz not null,
  expires_at timestamptz not null
);
create index sessions_user_idx on sessions(user_id);

-- Append-only, hash-chained. Each row carries the hash of the previous one;
-- audit_head holds the chain's tip and is locked by every append so the chain
-- is a single line even under concurrent writers.
create table audit_log (
  seq integer primary key,
  at timestamptz not null,
  union_id integer,
  actor_user_id integer,
  actor_label text not null,
  event text not null,
  subject_type text,
  subject_id text,
  outcome text not null check (outcome in ('success','failure')),
  details jsonb not null default '{}'::jsonb,
  prev_hash text not null,
  hash text not null
);
create index audit_log_union_at_idx on audit_log(union_id, seq);
create index audit_log_subject_idx on audit_log(subject_type, subject_id);

create table audit_head (
  id integer primary key check (id = 1),
  seq integer not null,
  hash text not null
);
insert into audit_head (id, seq, hash) values (1, 0, repeat('0', 64));

create function audit_log_append_only() returns trigger language plpgsql as $fn$
begin
  raise exception 'audit_log is append-only' using errcode = 'P0001';
end
$fn$;
create trigger audit_log_no_update before update or delete on audit_log
  for each row execute function audit_log_append_only();
create trigger audit_log_no_truncate before truncate on audit_log
  for each statement execute function audit_log_append_only();

-- Member counts maintained by statement-level triggers (transition tables), so
-- dashboards read thousands of count rows instead of scanning every member.
create table member_counts (
  union_id integer not null,
  region_id integer,
  employer_id integer,
  workplace_id integer,
  status text not null,
  in_arrears boolean not null,
  has_home_address boolean not null,
  has_workplace boolean not null,
  n integer not null,
  constraint member_counts_key unique nulls not distinct
    (union_id, region_id, employer_id, workplace_id, status, in_arrears, has_home_address, has_workplace)
);
create index member_counts_union_idx on member_counts(union_id);

-- Bumped in the same statement-level trigger: readers cache summaries per
-- version and recompute only when a union's members have changed.
create table member_counts_version (
  union_id integer primary key references unions(id),
  version bigint not null default 0
);

create function member_counts_apply() returns trigger language plpgsql as $fn$
begin
  if tg_op in ('UPDATE', 'DELETE') then
    insert into member_counts as c (union_id, region_id, employer_id, workplace_id, status, in_arrears, has_home_address, has_workplace, n)
    select union_id, region_id, employer_id, workplace_id, status, in_arrears,
           (address_line1 is not null and home_postcode is not null), workplace_id is not null, -count(*)
      from old_rows
     group by 1, 2, 3, 4, 5, 6, 7, 8
    on conflict on constraint member_counts_key do update set n = c.n + excluded.n;
  end if;
  if tg_op in ('UPDATE', 'DELETE') then
    insert into member_counts_version as v (union_id, version)
    select distinct union_id, 1 from old_rows
    on conflict (union_id) do update set version = v.version + 1;
  end if;
  if tg_op in ('UPDATE', 'INSERT') then
    insert into member_counts_version as v (union_id, version)
    select distinct union_id, 1 from new_rows
    on conflict (union_id) do update set version = v.version + 1;
    insert into member_counts as c (union_id, region_id, employer_id, workplace_id, status, in_arrears, has_home_address, has_workplace, n)
    select union_id, region_id, employer_id, workplace_id, status, in_arrears,
           (address_line1 is not null and home_postcode is not null), workplace_id is not null, count(*)
      from new_rows
     group by 1, 2, 3, 4, 5, 6, 7, 8
    on conflict on constraint member_counts_key do update set n = c.n + excluded.n;
  end if;
  return null;
end
$fn$;
create trigger members_counts_insert after insert on members
  referencing new table as new_rows for each statement execute function member_counts_apply();
create trigger members_counts_update after update on members
  referencing old table as old_rows new table as new_rows for each statement execute function member_counts_apply();
create trigger members_counts_delete after delete on members
  referencing old table as old_rows for each statement execute function member_counts_apply();
`,
  );
}
