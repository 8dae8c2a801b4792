/**
 * One batch of a member import, set-based: the batch's usable rows are
 * copied into member_import_staging with COPY, then a few statements merge
 * them into members (changed members updated, new ones inserted), their
 * employment history and, through the members triggers, the maintained
 * counts; the staged rows are deleted and the job's progress written in the
 * same transaction, so a batch is loaded whole or not at all.
 */
import { sql } from "kysely";
import { copyRows } from "../db/bulk.js";
import type { Db } from "../db/database.js";
import { withTx } from "../db/tx.js";
import type { Problem } from "../shared/problems.js";
import type { ImportRow } from "./import/index.js";
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
  rows: ImportRow[];
  usable: number;
  /** The problem rows to keep (the job's cap already applied) and how many were not kept. */
  keep: Record<string, unknown>[];
  notKept: number;
  fixes: Map<string, number>;
}

const cols = (prefix: string) => sql.join(COMPARED.map((c) => sql.ref(`${prefix}.${c}`)));

/** Merges one staged batch and records the job's progress, in one transaction. */
export async function mergeBatch(db: Db, b: MergeInput, profile: ImportProfile): Promise<void> {
  await withTx(db, async (tx) => {
    const staged = sql`s.job_id = ${b.jobId} and s.batch = ${b.batch}`;
    // Members whose row in the file differs from what is stored: updated, and those whose
    // employer, workplace or job category changed get a new period of history.
    const assignments = sql.join(COMPARED.map((c) => sql`${sql.ref(c)} = cur.${sql.ref(c)}`));
    const updated = await timed(profile, "merge", () =>
      sql<{ updated: number; moved: number[] | null }>`
      with cur as (
        select m.id, s.line, ${cols("s")},
               (m.employer_id is distinct from s.employer_id or m.workplace_id is distinct from s.workplace_id
                 or m.job_category is distinct from s.job_category) as moved
          from member_import_staging s
          join members m on m.union_id = ${b.unionId} and m.membership_number = s.membership_number
         where ${staged} and (${cols("m")}) is distinct from (${cols("s")})
      ), upd as (
        update members set ${assignments}, import_job_id = ${b.jobId}, import_line = cur.line, updated_at = ${b.now}
          from cur where members.id = cur.id
        returning members.id
      )
      select (select count(*) from upd)::int as updated, array(select id from cur where moved order by id) as moved`.execute(
        tx,
      ),
    );
    const inserted = await timed(profile, "merge", () =>
      sql<{ id: number }>`
      insert into members (union_id, membership_number, ${sql.join(COMPARED.map((c) => sql.ref(c)))}, import_job_id, import_line)
      select ${b.unionId}, s.membership_number, ${cols("s")}, ${b.jobId}, s.line
        from member_import_staging s
       where ${staged}
         and not exists (select 1 from members m where m.union_id = ${b.unionId} and m.membership_number = s.membership_number)
       order by s.ordinal
      returning id`.execute(tx),
    );
    const insertedIds = inserted.rows.map((r) => r.id);
    const moved = updated.rows[0]?.moved ?? [];
    await timed(profile, "history", async () => {
      if (insertedIds.length)
        await sql`insert into member_history (union_id, member_id, valid_from, employer_id, workplace_id, job_category)
          select union_id, id, coalesce(joined_on, ${b.today}::date), employer_id, workplace_id, job_category
            from members where id = any(${insertedIds}::int[]) order by id`.execute(tx);
      await recordEmploymentChanges(tx, moved, b.today);
    });
    await timed(profile, "stage", () => sql`delete from member_import_staging s where ${staged}`.execute(tx));
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
      const updatedCount = updated.rows[0]?.updated ?? 0;
      await tx
        .updateTable("import_jobs")
        .set((eb) => ({
          rows_read: eb("rows_read", "+", b.rows.length),
          rows_inserted: eb("rows_inserted", "+", insertedIds.length),
          rows_updated: eb("rows_updated", "+", updatedCount),
          rows_unchanged: eb("rows_unchanged", "+", b.usable - insertedIds.length - updatedCount),
          rows_rejected: eb("rows_rejected", "+", b.rows.length - b.usable),
          problems_not_kept: eb("problems_not_kept", "+", b.notKept),
          last_line: b.rows[b.rows.length - 1]!.line,
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
