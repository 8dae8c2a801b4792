import type { Kysely } from "kysely";
import { runSqlScript } from "../sql-script.js";

/**
 * Communications (decisions/0027): templates with versions per language, saved audiences (segments),
 * sends, the send ledger (one row per message, written before it leaves and marked after), the
 * suppression list, and the rate windows every worker shares. Members gain their language.
 *
 * Frozen in time: never edit after it has landed; add a new migration.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runSqlScript(
    db,
    `
alter table members add column language text not null default 'en' check (language in ('en','cy'));

create table comms_templates (
  id integer generated always as identity primary key,
  union_id integer not null references unions(id),
  name text not null check (length(name) between 1 and 120),
  channel text not null check (channel in ('email','sms','letter')),
  -- campaign and persuasion need consent; reminder also skips those who reported voting;
  -- statutory (the result) and service (a replacement paper) go to every entitled member.
  purpose text not null check (purpose in ('campaign','persuasion','reminder','statutory','service')),
  created_by integer references users(id),
  created_at timestamptz not null,
  constraint comms_templates_name_uq unique (union_id, name)
);

-- Immutable once approved: the id is the ledger's content version.
create table comms_template_versions (
  id integer generated always as identity primary key,
  template_id integer not null references comms_templates(id) on delete cascade,
  language text not null check (language in ('en','cy')),
  version integer not null,
  subject text,
  body text not null,
  compiled_html text,
  state text not null default 'draft' check (state in ('draft','approved','withdrawn')),
  created_by integer references users(id),
  created_at timestamptz not null,
  approved_by integer references users(id),
  approved_at timestamptz,
  withdrawn_at timestamptz,
  constraint comms_template_versions_uq unique (template_id, language, version)
);

create table comms_segments (
  id integer generated always as identity primary key,
  union_id integer not null references unions(id),
  name text not null check (length(name) between 1 and 120),
  definition jsonb not null,
  created_by integer references users(id),
  created_at timestamptz not null,
  updated_at timestamptz not null,
  constraint comms_segments_name_uq unique (union_id, name)
);

create table comms_sends (
  id integer generated always as identity primary key,
  union_id integer not null references unions(id),
  template_id integer not null references comms_templates(id),
  segment_id integer references comms_segments(id) on delete set null,
  channel text not null check (channel in ('email','sms','letter')),
  purpose text not null,
  ballot_id integer references ballots(id) on delete set null,
  -- What the send was queued with, kept as it was: the audience, the sender's reach, the versions.
  definition jsonb not null,
  reach jsonb not null,
  versions jsonb not null,
  job_id integer references jobs(id),
  created_by integer references users(id),
  created_at timestamptz not null
);
create index comms_sends_union_idx on comms_sends(union_id, created_at desc);

-- The ledger. A message's row is written before it leaves (pending), claimed with the address it goes
-- to (sending), and marked once the server accepted it (sent) or refused it (failed).
create table comms_messages (
  id bigint generated always as identity primary key,
  send_id integer not null references comms_sends(id) on delete cascade,
  member_id integer not null references members(id) on delete cascade,
  channel text not null,
  content_version integer not null,
  state text not null default 'pending' check (state in ('pending','sending','sent','failed','suppressed')),
  reason text,
  address text,
  attempts smallint not null default 0,
  not_before timestamptz,
  claimed_at timestamptz,
  sent_at timestamptz,
  response text,
  constraint comms_messages_uq unique (send_id, member_id, channel, content_version)
);
-- What is left to send, in order: small, since sent rows leave it.
create index comms_messages_todo_idx on comms_messages(send_id, id) where state in ('pending','sending');
create index comms_messages_member_idx on comms_messages(member_id);

-- Opt-outs and bounces. Left and deceased members, consent, reports of having voted and positions
-- are read where they live; this table holds what only communications know.
create table comms_suppressions (
  id integer generated always as identity primary key,
  union_id integer not null references unions(id),
  member_id integer not null references members(id) on delete cascade,
  channel text not null check (channel in ('email','sms','letter','all')),
  reason text not null check (reason in ('unsubscribed','stop','hard_bounce','invalid_number','officer')),
  -- The address it applies to (a bounce), or every address of the member on that channel (null).
  address text,
  message_id bigint,
  created_by integer references users(id),
  created_at timestamptz not null,
  lifted_at timestamptz,
  lifted_by integer references users(id)
);
create index comms_suppressions_member_idx on comms_suppressions(member_id) where lifted_at is null;

-- Messages per second per channel and provider, shared by every worker.
create table comms_rate_windows (
  key text not null,
  second timestamptz not null,
  used integer not null,
  primary key (key, second)
);
`,
  );
}
