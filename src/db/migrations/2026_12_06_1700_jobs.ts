import type { Kysely } from "kysely";
import { runSqlScript } from "../sql-script.js";

/**
 * The durable job queue (docs/decisions/0016-job-queue.md): one table of jobs
 * claimed with FOR UPDATE SKIP LOCKED under a lease that the running worker
 * renews; a job whose worker died is taken over once its lease has expired
 * and resumes from its last committed step. The problems a job meets are
 * kept beside it.
 *
 * Frozen in time: never edit after it has landed; add a new migration.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runSqlScript(
    db,
    `
create table jobs (
  id integer generated always as identity primary key,
  union_id integer not null references unions(id),
  kind text not null,
  state text not null default 'queued'
    check (state in ('queued','running','succeeded','failed','cancelled')),
  payload jsonb not null default '{}',
  -- At most one active job per key (an import job's id, a ballot's freeze): a second enqueue is refused.
  dedupe_key text,
  -- Who asked for it: the job runs with their role and scope.
  actor jsonb not null,
  created_by integer references users(id),
  done bigint not null default 0,
  total bigint,
  -- The last step committed with its work: a resumed run starts after it.
  step jsonb,
  result jsonb,
  attempts integer not null default 0,
  max_attempts integer not null default 5,
  cancel_requested boolean not null default false,
  lease_owner text,
  lease_until timestamptz,
  heartbeat_at timestamptz,
  run_after timestamptz not null default now(),
  error_code text,
  error_message text,
  created_at timestamptz not null default now(),
  started_at timestamptz,
  finished_at timestamptz
);
create index jobs_ready_idx on jobs (id) where state in ('queued','running');
create index jobs_union_idx on jobs (union_id, id desc);
create unique index jobs_active_key_idx on jobs (kind, dedupe_key) where state in ('queued', 'running');

create table job_problems (
  job_id integer not null references jobs(id) on delete cascade,
  seq integer not null,
  at timestamptz not null default now(),
  message text not null,
  primary key (job_id, seq)
);
`,
  );
}
