/**
 * One batch of a member import, set-based: the batch's usable rows are
 * copied into member_import_staging with COPY, then a few statements merge
 * them into members (changed members updated, new ones inserted), their
 * employment history and the maintained counts (written by the merge with the
 * triggers off where the database allows it, decision 0025; else by the
 * members triggers); the staged rows are deleted and the job's progress
 * written in the same transaction, so a batch is loaded whole or not at all.
 */
import { sql } from "kysely";
import { copyRows } from "../db/bulk.js";
import type { Db } from "../db/database.js";
import { withTx } from "../db/tx.js";
import type { Problem } from "../shared/problems.js";
import { recordEmploymentChanges } from "./member-history.store.js";

/** The member fields an import writes, compared to decide whether a row changes a member. */
export const COMPARED = [
  "forenames",
  "surname",
  "date_of_birth",
  "address_line1",
  "address_line2",
  "town",
  "home_postcode",
  "email",
  "email_kind",
  "mobile",
  "employer_id",
  "workplace_id",
  "job_title",
  "job_category",
  "branch_id",
  "region_id",
  "status",
  "in_arrears",
  "check_off",
  "joined_on",
  "left_on",
  "consent_email",
  "consent_sms",
  "employer_text",
  "workplace_text",
  "org_string_id",
] as const;

export const STAGED_COLUMNS = [
  "job_id",
  "batch",
  "ordinal",
  "line",
  "membership_number",
  ...COMPARED,
] as const;

/** Where an import's time goes, in seconds, summed over its batches. */
export interface ImportProfile {
  parse: number;
  match: number;
  stage: number;
  merge: number;
  history: number;
  rejects: number;
  duplicates: number;
  finish: number;
  /** Distinct employer/workplace strings matched (not found already known). */
  stringsMatched: number;
}

export function emptyProfile(): ImportProfile {
  return {
    parse: 0,
    match: 0,
    stage: 0,
    merge: 0,
    history: 0,
    rejects: 0,
    duplicates: 0,
    finish: 0,
    stringsMatched: 0,
  };
}

export async function timed<T>(
  profile: ImportProfile,
  phase: keyof ImportProfile,
  fn: () => Promise<T>,
): Promise<T> {
  const t0 = performance.now();
  try {
    return await fn();
  } finally {
    profile[phase] += (performance.now() - t0) / 1000;
  }
}

/** Clears what a run that died left staged: its batches are loaded again from the file. */
export async function clearStaging(db: Db, jobId: number): Promise<void> {
  await sql`delete from member_import_staging where job_id = ${jobId}`.execute(db);
}

export async function stageBatch(db: Db, rows: readonly (readonly unknown[])[]): Promise<void> {
  await copyRows(db, "member_import_staging", STAGED_COLUMNS, rows);
}

export interface MergeInput {
  unionId: number;
  jobId: number;
  batch: number;
  today: string;
  now: Date;
  /** Rows of the batch (usable or not) and the last one's line: the batch's rows themselves are not
   * kept while it merges, so that their memory is free for the next batch read meanwhile. */
  rowCount: number;
  lastLine: number;
  usable: number;
  /** The problem rows to keep (the job's cap already applied) and how many were not kept. */
  keep: Record<string, unknown>[];
  notKept: number;
  fixes: Map<string, number>;
  /**
   * Foreign keys checked and counts maintained once for the batch instead of by the per-row and
   * per-statement triggers (docs/decisions/0025); only where the database lets the import set
   * session_replication_role (setBasedChecksAllowed).
   */
  setBased: boolean;
}

/**
 * Whether this connection may turn the members triggers off for its own transaction
 * (session_replication_role): a superuser, or on PostgreSQL 15 and later a role granted
 * `SET ON PARAMETER session_replication_role`. Otherwise the import keeps the triggers.
 */
export async function setBasedChecksAllowed(db: Db): Promise<boolean> {
  const r = await sql<{ superuser: string; version: number }>`
    select current_setting('is_superuser') as superuser, current_setting('server_version_num')::int as version`.execute(
    db,
  );
  const { superuser, version } = r.rows[0]!;
  if (superuser === "on") return true;
  if (version < 150000) return false;
  const granted = await sql<{ ok: boolean }>`
    select has_parameter_privilege('session_replication_role', 'SET') as ok`.execute(db);
  return granted.rows[0]?.ok === true;
}

/**
 * What the foreign keys of members check, once for the batch: every row the staged rows refer to
 * exists, and is locked FOR KEY SHARE as the per-row check would lock it (so it cannot be deleted
 * before this transaction ends). False when one is missing: the batch is then merged with the
 * triggers on, and the foreign key reports it as before.
 */
async function lockReferences(tx: Db, b: MergeInput): Promise<boolean> {
  const refs = (table: string, column: string) =>
    sql`(select count(*) from (select id from ${sql.table(table)} where id in (select ${sql.ref(column)} from s) for key share) k)
        = (select count(distinct ${sql.ref(column)}) from s)`;
  const r = await sql<{ complete: boolean }>`
    with s as materialized (
      select employer_id, workplace_id, branch_id, region_id, org_string_id
        from member_import_staging where job_id = ${b.jobId} and batch = ${b.batch}
    )
    select ${refs("employers", "employer_id")}
       and ${refs("workplaces", "workplace_id")}
       and ${refs("branches", "branch_id")}
       and ${refs("regions", "region_id")}
       and ${refs("org_strings", "org_string_id")}
       and exists (select 1 from (select id from unions where id = ${b.unionId} for key share) u)
       and exists (select 1 from (select id from import_jobs where id = ${b.jobId} for key share) j) as complete`.execute(
    tx,
  );
  return r.rows[0]?.complete === true;
}

const cols = (prefix: string) => sql.join(COMPARED.map((c) => sql.ref(`${prefix}.${c}`)));
const names = sql.join(COMPARED.map((c) => sql.ref(c)));

/** The key of a member_counts row, from a row's columns (prefixed), as the members trigger computes it. */
const countsKey = (p: string) =>
  sql.join([
    sql.ref(`${p}region_id`),
    sql.ref(`${p}employer_id`),
    sql.ref(`${p}workplace_id`),
    sql.ref(`${p}status`),
    sql.ref(`${p}in_arrears`),
    sql`(${sql.ref(`${p}address_line1`)} is not null and ${sql.ref(`${p}home_postcode`)} is not null)`,
    sql`${sql.ref(`${p}workplace_id`)} is not null`,
  ]);

/** Merges one staged batch and records the job's progress, in one transaction. */
export async function mergeBatch(db: Db, b: MergeInput, profile: ImportProfile): Promise<void> {
  await withTx(db, async (tx) => {
    const setBased = b.setBased && (await timed(profile, "merge", () => lockReferences(tx, b)));
    // Only this transaction's statements on members and member_history run without their triggers:
    // the foreign keys were checked above and the counts are written by the merge itself.
    if (setBased) await sql`select set_config('session_replication_role', 'replica', true)`.execute(tx);
    // One statement: each staged row is looked up once; members whose row in the file differs from
    // what is stored are updated (and those whose employer, workplace or job category changed get a
    // new period of history below); new ones are inserted in file order with their opening period.
    const assignments = sql.join(COMPARED.map((c) => sql`${sql.ref(c)} = cur.${sql.ref(c)}`));
    const counts = setBased
      ? sql`, counted as (
          insert into member_counts as c (union_id, region_id, employer_id, workplace_id, status, in_arrears, has_home_address, has_workplace, n)
          select ${b.unionId}, d.*
            from (select k.region_id, k.employer_id, k.workplace_id, k.status, k.in_arrears, k.has_home_address, k.has_workplace, sum(k.n)::int as n
                    from (select ${countsKey("old_")}, -1 from cur where changed
                          union all select ${countsKey("")}, 1 from cur where changed
                          union all select ${countsKey("")}, 1 from ins)
                         as k (region_id, employer_id, workplace_id, status, in_arrears, has_home_address, has_workplace, n)
                   group by 1, 2, 3, 4, 5, 6, 7) d
           where d.n <> 0
          on conflict on constraint member_counts_key do update set n = c.n + excluded.n
        ), versioned as (
          insert into member_counts_version as v (union_id, version)
          select ${b.unionId}, 1 where exists (select 1 from upd) or exists (select 1 from ins)
          on conflict (union_id) do update set version = v.version + 1
        )`
      : sql``;
    const merged = await timed(profile, "merge", () =>
      sql<{ updated: number; inserted: number; moved: number[] | null }>`
      with cur as (
        select s.ordinal, s.line, s.membership_number, ${cols("s")}, m.id,
               m.id is not null and (${cols("m")}) is distinct from (${cols("s")}) as changed,
               (m.employer_id is distinct from s.employer_id or m.workplace_id is distinct from s.workplace_id
                 or m.job_category is distinct from s.job_category) as moved,
               m.region_id as old_region_id, m.employer_id as old_employer_id, m.workplace_id as old_workplace_id,
               m.status as old_status, m.in_arrears as old_in_arrears,
               m.address_line1 as old_address_line1, m.home_postcode as old_home_postcode
          from member_import_staging s
          left join members m on m.union_id = ${b.unionId} and m.membership_number = s.membership_number
         where s.job_id = ${b.jobId} and s.batch = ${b.batch}
      ), upd as (
        update members set ${assignments}, import_job_id = ${b.jobId}, import_line = cur.line, updated_at = ${b.now},
               -- A new address clears its undeliverable flag, as members_clear_undeliverable does for
               -- other writes: the set-based merge runs with that trigger off (the right side reads the old row).
               email_undeliverable_at = case when members.email is distinct from cur.email then null
                                             else members.email_undeliverable_at end,
               mobile_undeliverable_at = case when members.mobile is distinct from cur.mobile then null
                                              else members.mobile_undeliverable_at end
          from cur where cur.changed and members.id = cur.id
        returning members.id
      ), ins as (
        insert into members (union_id, membership_number, ${names}, import_job_id, import_line)
        select ${b.unionId}, cur.membership_number, ${cols("cur")}, ${b.jobId}, cur.line
          from cur where cur.id is null
         order by cur.ordinal
        returning id, union_id, ${names}
      ), opened as (
        insert into member_history (union_id, member_id, valid_from, employer_id, workplace_id, job_category)
        select union_id, id, coalesce(joined_on, ${b.today}::date), employer_id, workplace_id, job_category
          from ins order by id
      )${counts}
      select (select count(*) from upd)::int as updated, (select count(*) from ins)::int as inserted,
             array(select id from cur where changed and moved order by id) as moved`.execute(tx),
    );
    const updatedCount = merged.rows[0]?.updated ?? 0;
    const insertedCount = merged.rows[0]?.inserted ?? 0;
    const moved = merged.rows[0]?.moved ?? [];
    await timed(profile, "history", () => recordEmploymentChanges(tx, moved, b.today));
    if (setBased) await sql`select set_config('session_replication_role', 'origin', true)`.execute(tx);
    await timed(profile, "stage", () =>
      sql`delete from member_import_staging s where s.job_id = ${b.jobId} and s.batch = ${b.batch}`.execute(
        tx,
      ),
    );
    await timed(profile, "rejects", async () => {
      for (let i = 0; i < b.keep.length; i += 5000) {
        await tx
          .insertInto("import_rejects")
          .values(b.keep.slice(i, i + 5000) as never)
          .execute();
      }
      const job = await tx
        .selectFrom("import_jobs")
        .select("fixes")
        .where("id", "=", b.jobId)
        .executeTakeFirstOrThrow();
      const fixes = { ...(job.fixes as Record<string, number>) };
      for (const [kind, n] of b.fixes) fixes[kind] = (fixes[kind] ?? 0) + n;
      await tx
        .updateTable("import_jobs")
        .set((eb) => ({
          rows_read: eb("rows_read", "+", b.rowCount),
          rows_inserted: eb("rows_inserted", "+", insertedCount),
          rows_updated: eb("rows_updated", "+", updatedCount),
          rows_unchanged: eb("rows_unchanged", "+", b.usable - insertedCount - updatedCount),
          rows_rejected: eb("rows_rejected", "+", b.rowCount - b.usable),
          problems_not_kept: eb("problems_not_kept", "+", b.notKept),
          last_line: b.lastLine,
          fixes: JSON.stringify(fixes),
          updated_at: b.now,
        }))
        .where("id", "=", b.jobId)
        .execute();
    });
  });
}

export function problemRow(jobId: number, p: Problem, severity: "reject" | "warning") {
  return {
    job_id: jobId,
    line: p.line,
    sheet: p.sheet ?? null,
    field: p.field,
    code: p.code,
    message: p.message,
    severity,
  };
}
