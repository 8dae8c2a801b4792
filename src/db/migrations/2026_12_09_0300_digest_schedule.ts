import type { Kysely } from "kysely";
import { runSqlScript } from "../sql-script.js";

/**
 * Officer digests on a schedule, with an email copy and read receipts (docs/decisions/0037):
 * - digest_schedules: a union's setting (off, daily, weekly; the hour in UK time; the weekday), and
 *   `since`, when the times were last changed: no period ending before it is made;
 * - digest_periods: one row per (union, frequency, period start), the unique key that makes each
 *   period's digests exactly once, whichever worker or job gets there first;
 * - bulletins.period_frequency/period_start: the period a scheduled digest was made for;
 * - bulletin_emails: one email per (bulletin, user), recorded before it leaves ('sending') and after
 *   ('sent'), with the Message-ID a repeat after a crash carries again;
 * - bulletin_reads.via: where the first opening came from (the app, or the email's signed link).
 *
 * Frozen in time: never edit after it has landed; add a new migration.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runSqlScript(
    db,
    `
create table digest_schedules (
  union_id integer primary key references unions(id) on delete cascade,
  frequency text not null check (frequency in ('off', 'daily', 'weekly')),
  hour smallint not null check (hour between 0 and 23),
  -- ISO weekday, 1 Monday to 7 Sunday (weekly digests only).
  weekday smallint not null check (weekday between 1 and 7),
  since timestamptz not null,
  updated_at timestamptz not null,
  updated_by integer references users(id)
);

create table digest_periods (
  union_id integer not null references unions(id) on delete cascade,
  frequency text not null check (frequency in ('daily', 'weekly')),
  period_start timestamptz not null,
  period_end timestamptz not null,
  made_at timestamptz not null,
  job_id integer references jobs(id) on delete set null,
  primary key (union_id, frequency, period_start)
);

alter table bulletins add column period_frequency text;
alter table bulletins add column period_start timestamptz;
create index bulletins_period_idx on bulletins(union_id, period_frequency, period_start)
  where period_start is not null;

create table bulletin_emails (
  bulletin_id integer not null references bulletins(id) on delete cascade,
  user_id integer not null references users(id) on delete cascade,
  state text not null check (state in ('sending', 'sent', 'failed')),
  message_id text not null,
  queued_at timestamptz not null,
  sent_at timestamptz,
  primary key (bulletin_id, user_id)
);

alter table bulletin_reads add column via text not null default 'app' check (via in ('app', 'email'));
`,
  );
}
