import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { sql } from "kysely";
import { recordAudit } from "../audit/index.js";
import { authorize } from "../auth/index.js";
import type { Ctx } from "../context.js";
import { bumpCountsVersion } from "../counts/index.js";
import { insertRowsAsJson, updateRowsAsJson } from "../db/bulk.js";
import type { Db } from "../db/database.js";
import { withTx } from "../db/tx.js";
import type { MatchIndex } from "../matching/index.js";
import { ukDate } from "../shared/clock.js";
import { AppError, type ErrorCode, safeErrorMessage } from "../shared/errors.js";
import { sha256Hex } from "../shared/hash.js";
import type { Problem } from "../shared/problems.js";
import { detectDuplicates } from "./duplicates.service.js";
import {
  type ColumnMapping,
  detectMapping,
  type ImportRow,
  MemberFileError,
  readHeaders,
  readMemberFile,
} from "./import/index.js";
import { recordEmploymentChanges } from "./member-history.store.js";
import { loadMatchIndex, matchKey, type OrgStringMatch, resolveOrgStrings } from "./org-strings.service.js";

/**
 * Member import as a job: the file is read as a stream and loaded in batches,
 * each batch committed together with the job's progress (its last line), so
 * a failure loses nothing and `resume` carries on from the last committed
 * batch (counted in rows from the start of the file). Rows are keyed by membership number: running the same file again
 * changes nothing. Every rejected row is kept with its file, line, field and
 * reason; every fix made to a value is counted.
 */
export const IMPORT_BATCH = 2000;

export interface ImportJobDto {
  id: number;
  status: "running" | "failed" | "completed";
  fileName: string;
  mapping: ColumnMapping;
  rowsRead: number;
  rowsInserted: number;
  rowsUpdated: number;
  rowsUnchanged: number;
  rowsRejected: number;
  /** Problems beyond the first MAX_PROBLEMS_KEPT: counted, not kept. */
  problemsNotKept: number;
  lastLine: number;
  /** Values changed on the way in, counted by kind of fix. */
  fixes: Record<string, number>;
  error: string | null;
  createdAt: string;
  completedAt: string | null;
  duplicates?: { linked: number; review: number };
  matching?: { auto: number; reviewed: number; review: number; unmatched: number };
}

/**
 * The summary a script reads first: rows in the file, members imported, rows rejected, members in
 * duplicate groups, and how the imported members' employers were matched (automatically, waiting for a
 * reviewer, not at all). The detailed counts stay beside it.
 */
export function importSummary(job: ImportJobDto) {
  return {
    rows: job.rowsRead,
    imported: job.rowsInserted + job.rowsUpdated + job.rowsUnchanged,
    rejected: job.rowsRejected,
    duplicates: (job.duplicates?.linked ?? 0) + (job.duplicates?.review ?? 0),
    auto_matched: job.matching?.auto ?? 0,
    in_review: job.matching?.review ?? 0,
    unmatched: job.matching?.unmatched ?? 0,
  };
}

export interface ImportProgress {
  rowsRead: number;
  line: number;
}

async function fileSha256(file: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/** Creates the job after checking the file can be read and its columns mapped. */
export async function createMemberImport(
  ctx: Ctx,
  input: { filePath: string; fileName?: string; mapping?: ColumnMapping },
): Promise<ImportJobDto> {
  const grant = authorize(ctx.actor, "members.import");
  const fileName = input.fileName ?? path.basename(input.filePath);
  if (!fs.existsSync(input.filePath)) throw new AppError("import.file_invalid", `${fileName}: no such file.`);
  const { headers } = await readHeaders(input.filePath, { file: fileName }).catch((e: unknown) => {
    throw unreadableFile(fileName, e);
  });
  // Mappings are remembered: a file with the same headers as an earlier one gets that file's mapping.
  const signature = sha256Hex(
    [...headers]
      .map((h) => h.trim().toLowerCase())
      .sort()
      .join("\u0000"),
  );
  let overrides = input.mapping && Object.keys(input.mapping).length ? input.mapping : undefined;
  if (!overrides) {
    const previous = await ctx.db
      .selectFrom("import_jobs")
      .select("mapping")
      .where("union_id", "=", grant.unionId)
      .where("header_signature", "=", signature)
      .orderBy("id", "desc")
      .limit(1)
      .executeTakeFirst();
    if (previous) overrides = previous.mapping as ColumnMapping;
  }
  const mapping = detectMapping(headers, overrides);
  if (mapping.missingRequired.length) {
    throw new AppError(
      "import.file_invalid",
      `${fileName}:1: no column for ${mapping.missingRequired.join(", ")} (headers found: ${headers.join(", ")}). Map a column to it (field=Header).`,
      { missing: mapping.missingRequired, headers },
    );
  }
  const now = ctx.clock.now();
  const row = await ctx.db
    .insertInto("import_jobs")
    .values({
      union_id: grant.unionId,
      kind: "members",
      file_name: fileName,
      file_path: path.resolve(input.filePath),
      file_sha256: await fileSha256(input.filePath),
      mapping: JSON.stringify(mapping.mapping),
      header_signature: signature,
      status: "running",
      created_by: ctx.actor.userId,
      created_by_label: ctx.actor.label,
      created_at: now,
      updated_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return jobDto(row);
}

/** File problems that are a limit reached, by the error code that names the limit. */
const LIMIT_CODES: Record<string, ErrorCode> = {
  "xlsx.part_too_large": "import.xlsx_part_too_large",
  "xlsx.too_large": "import.xlsx_too_large",
  "rows.too_many": "import.too_many_rows",
  "field.too_long": "import.field_too_long",
};

/**
 * Problems kept per job (rejected rows and warnings, by line): a file of a
 * million bad rows must not write a million more. The rest are counted.
 */
export const MAX_PROBLEMS_KEPT = 10_000;

/**
 * The refusal for a file that cannot be read at all: no header, empty, not a
 * spreadsheet, a damaged workbook. Always a 4xx with the file's name, never
 * the reader's internals.
 */
function unreadableFile(fileName: string, e: unknown): AppError {
  if (e instanceof AppError) return e;
  if (e instanceof MemberFileError)
    return new AppError(LIMIT_CODES[e.problem.code] ?? "import.file_invalid", e.message, {
      problem: e.problem,
    });
  return new AppError(
    "import.file_invalid",
    `${fileName}: the file cannot be read as CSV or .xlsx (empty, damaged or another format).`,
  );
}

type JobRow = Awaited<ReturnType<typeof loadJob>>;

async function loadJob(db: Db, unionId: number, id: number) {
  const job = await db
    .selectFrom("import_jobs")
    .selectAll()
    .where("union_id", "=", unionId)
    .where("id", "=", id)
    .executeTakeFirst();
  if (!job) throw new AppError("import.not_found", `No import job ${id}.`);
  return job;
}

function jobDto(j: NonNullable<JobRow>): ImportJobDto {
  return {
    id: j.id,
    status: j.status as ImportJobDto["status"],
    fileName: j.file_name,
    mapping: j.mapping as ColumnMapping,
    rowsRead: j.rows_read,
    rowsInserted: j.rows_inserted,
    rowsUpdated: j.rows_updated,
    rowsUnchanged: j.rows_unchanged,
    rowsRejected: j.rows_rejected,
    problemsNotKept: j.problems_not_kept,
    lastLine: j.last_line,
    fixes: j.fixes as Record<string, number>,
    error: j.error,
    createdAt: j.created_at.toISOString(),
    completedAt: j.completed_at ? j.completed_at.toISOString() : null,
  };
}

export async function getImportJob(ctx: Ctx, id: number): Promise<ImportJobDto> {
  const grant = authorize(ctx.actor, "members.import");
  const job = jobDto(await loadJob(ctx.db, grant.unionId, id));
  if (job.status !== "completed") return job;
  return {
    ...job,
    matching: await matchingCounts(ctx.db, grant.unionId, id),
    duplicates: await duplicateCounts(ctx.db, grant.unionId, id),
  };
}

/**
 * Duplicate groups with at least one member last loaded by this job: what this
 * file added to the duplicates queue, not the whole register's.
 */
async function duplicateCounts(db: Db, unionId: number, jobId: number) {
  const groups = await db
    .selectFrom("duplicate_groups as dg")
    .select(["dg.status", (eb) => eb.fn.countAll<number>().as("n")])
    .where("dg.union_id", "=", unionId)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom("members")
          .select("members.id")
          .whereRef("members.duplicate_group_id", "=", "dg.id")
          .where("members.import_job_id", "=", jobId),
      ),
    )
    .groupBy("dg.status")
    .execute();
  const groupCount = (s: string) => Number(groups.find((g) => g.status === s)?.n ?? 0);
  return { linked: groupCount("linked"), review: groupCount("review") };
}

/** The fields compared to decide whether an imported row changes a member. */
const COMPARED = [
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

/**
 * Runs (or resumes) a job to the end. Lines up to the job's last committed
 * line are skipped, so a resumed job never loads a row twice.
 */
export async function runMemberImport(
  ctx: Ctx,
  jobId: number,
  onProgress?: (p: ImportProgress) => void,
): Promise<ImportJobDto> {
  const grant = authorize(ctx.actor, "members.import");
  const unionId = grant.unionId;
  const job = await loadJob(ctx.db, unionId, jobId);
  if (job.status === "completed") return jobDto(job);
  await ctx.db
    .updateTable("import_jobs")
    .set({ status: "running", error: null, updated_at: ctx.clock.now() })
    .where("id", "=", jobId)
    .execute();
  const today = ukDate(ctx.clock.now());
  const orgCache = new Map<string, OrgStringMatch>();
  // Built before any batch opens its transaction: the embedded database has one connection.
  const matcher = loadMatchIndex(ctx.db, unionId);
  await matcher;
  const index = () => matcher;
  const refs = await loadReferences(ctx.db, unionId);
  const seenNumbers = new Map<string, number>();
  const kept = await ctx.db
    .selectFrom("import_rejects")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("job_id", "=", jobId)
    .executeTakeFirstOrThrow();
  const problems = { kept: Number(kept.n) };
  let rowsRead = job.rows_read;
  let ordinal = 0;
  try {
    let batch: ImportRow[] = [];
    for await (const row of readMemberFile(job.file_path, {
      file: job.file_name,
      mapping: job.mapping as ColumnMapping,
      today,
    })) {
      if (row.member) {
        const first = seenNumbers.get(row.member.membershipNumber);
        if (first !== undefined && first !== row.line) {
          row.problems.push({
            file: row.file,
            line: row.line,
            field: job.mapping.membershipNumber ?? "membershipNumber",
            code: "membership_number.repeated",
            message: `membership number ${row.member.membershipNumber} already appears at line ${first} of this file`,
          });
          row.member = null;
        } else seenNumbers.set(row.member.membershipNumber, row.line);
      }
      // Resume by position in the file, not by line: spreadsheet rows restart at each sheet.
      ordinal++;
      if (ordinal <= job.rows_read) continue;
      batch.push(row);
      if (batch.length >= IMPORT_BATCH) {
        rowsRead += batch.length;
        await loadBatch(ctx, jobId, batch, { unionId, today, refs, orgCache, index, problems });
        onProgress?.({ rowsRead, line: batch[batch.length - 1]!.line });
        batch = [];
      }
    }
    if (batch.length) {
      rowsRead += batch.length;
      await loadBatch(ctx, jobId, batch, { unionId, today, refs, orgCache, index, problems });
      onProgress?.({ rowsRead, line: batch[batch.length - 1]!.line });
    }
  } catch (e) {
    // A PostgreSQL message or detail quotes values (a membership number): never into the job record.
    const message = safeErrorMessage(e);
    await withTx(ctx.db, async (tx) => {
      await tx
        .updateTable("import_jobs")
        .set({ status: "failed", error: message, updated_at: ctx.clock.now() })
        .where("id", "=", jobId)
        .execute();
      await recordAudit({ ...ctx, db: tx }, "import.failed", {
        subjectType: "import_job",
        subjectId: jobId,
        outcome: "failure",
        details: { error: message.slice(0, 300) },
      });
    });
    throw e;
  }
  const duplicates = await detectDuplicates(ctx);
  const done = await withTx(ctx.db, async (tx) => {
    const j = await tx
      .updateTable("import_jobs")
      .set({ status: "completed", completed_at: ctx.clock.now(), updated_at: ctx.clock.now() })
      .where("id", "=", jobId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await bumpCountsVersion(tx, unionId);
    await recordAudit({ ...ctx, db: tx }, "members.imported", {
      subjectType: "import_job",
      subjectId: jobId,
      details: {
        inserted: j.rows_inserted,
        updated: j.rows_updated,
        unchanged: j.rows_unchanged,
        rejected: j.rows_rejected,
        duplicates,
      },
    });
    return j;
  });
  const matching = await matchingCounts(ctx.db, unionId, jobId);
  return { ...jobDto(done), duplicates: await duplicateCounts(ctx.db, unionId, jobId), matching };
}

/** How the members last loaded by this job were matched to employers. */
async function matchingCounts(db: Db, unionId: number, jobId: number) {
  const rows = await db
    .selectFrom("members")
    .innerJoin("org_strings", "org_strings.id", "members.org_string_id")
    .select(["org_strings.status", (eb) => eb.fn.countAll<number>().as("n")])
    .where("members.union_id", "=", unionId)
    .where("members.import_job_id", "=", jobId)
    .groupBy("org_strings.status")
    .execute();
  const count = (s: string) => Number(rows.find((r) => r.status === s)?.n ?? 0);
  return {
    auto: count("auto"),
    reviewed: count("reviewed"),
    review: count("review"),
    unmatched: count("unmatched"),
  };
}

interface References {
  branches: Map<string, { id: number; regionId: number | null }>;
  regions: Map<string, number>;
  workplaceRegion: Map<number, number | null>;
}

async function loadReferences(db: Db, unionId: number): Promise<References> {
  const key = (s: string) => s.trim().toLowerCase();
  const [branches, regions, workplaces] = await Promise.all([
    db
      .selectFrom("branches")
      .select(["id", "code", "name", "region_id"])
      .where("union_id", "=", unionId)
      .execute(),
    db.selectFrom("regions").select(["id", "code", "name"]).where("union_id", "=", unionId).execute(),
    db.selectFrom("workplaces").select(["id", "region_id"]).where("union_id", "=", unionId).execute(),
  ]);
  const b = new Map<string, { id: number; regionId: number | null }>();
  for (const x of branches) {
    b.set(key(x.code), { id: x.id, regionId: x.region_id });
    b.set(key(x.name), { id: x.id, regionId: x.region_id });
  }
  const r = new Map<string, number>();
  for (const x of regions) {
    r.set(key(x.code), x.id);
    r.set(key(x.name), x.id);
  }
  return { branches: b, regions: r, workplaceRegion: new Map(workplaces.map((w) => [w.id, w.region_id])) };
}

interface BatchContext {
  unionId: number;
  today: string;
  refs: References;
  orgCache: Map<string, OrgStringMatch>;
  index: () => Promise<MatchIndex>;
  /** Problems of this job already kept. */
  problems: { kept: number };
}

/** One batch: rejects, matches, inserts and updates, and the job's progress, in one transaction. */
async function loadBatch(ctx: Ctx, jobId: number, rows: ImportRow[], b: BatchContext): Promise<void> {
  await withTx(ctx.db, async (tx) => {
    const rejects: Record<string, unknown>[] = [];
    const toProblemRow = (p: Problem, severity: "reject" | "warning") => ({
      job_id: jobId,
      line: p.line,
      sheet: p.sheet ?? null,
      field: p.field,
      code: p.code,
      message: p.message,
      severity,
    });
    for (const r of rows) {
      for (const p of r.problems) rejects.push(toProblemRow(p, "reject"));
      for (const p of r.warnings) rejects.push(toProblemRow(p, "warning"));
    }
    const usable = rows.filter((r) => r.member && r.problems.length === 0);
    await resolveOrgStrings(
      tx,
      b.unionId,
      b.index,
      b.orgCache,
      usable.map((r) => ({
        key: matchKey(r.member!.employerText, r.member!.workplaceText),
        employerText: r.member!.employerText,
        workplaceText: r.member!.workplaceText,
        postcode: r.member!.homePostcode,
      })),
      // The list says where members work on the day it is loaded: a council abolished by then is matched to its successor.
      b.today,
    );
    const numbers = usable.map((r) => r.member!.membershipNumber);
    const existing = new Map(
      numbers.length
        ? (
            await tx
              .selectFrom("members")
              .selectAll()
              .where("union_id", "=", b.unionId)
              .where("membership_number", "in", numbers)
              .execute()
          ).map((m) => [m.membership_number, m])
        : [],
    );
    const inserts: Record<string, unknown>[] = [];
    const updates: ({ id: number } & Record<string, unknown>)[] = [];
    const moved: number[] = [];
    let unchanged = 0;
    for (const r of usable) {
      const m = r.member!;
      const org = b.orgCache.get(matchKey(m.employerText, m.workplaceText))!;
      const branch = m.branchText ? b.refs.branches.get(m.branchText.trim().toLowerCase()) : undefined;
      const workplaceId = org.workplaceId;
      const regionId =
        (m.regionText ? b.refs.regions.get(m.regionText.trim().toLowerCase()) : undefined) ??
        branch?.regionId ??
        (workplaceId ? (b.refs.workplaceRegion.get(workplaceId) ?? null) : null);
      const values = {
        forenames: m.forenames,
        surname: m.surname,
        date_of_birth: m.dateOfBirth,
        address_line1: m.addressLine1,
        address_line2: m.addressLine2,
        town: m.town,
        home_postcode: m.homePostcode,
        email: m.email,
        email_kind: m.emailKind,
        mobile: m.mobile,
        employer_id: org.employerId,
        workplace_id: workplaceId,
        job_title: m.jobTitle,
        job_category: m.jobCategory,
        branch_id: branch?.id ?? null,
        region_id: regionId ?? null,
        status: m.status,
        in_arrears: m.inArrears,
        check_off: m.checkOff,
        joined_on: m.joinedOn,
        left_on: m.leftOn,
        consent_email: m.consentEmail,
        consent_sms: m.consentSms,
        employer_text: m.employerText,
        workplace_text: m.workplaceText,
        org_string_id: org.id,
      };
      const before = existing.get(m.membershipNumber);
      if (!before) {
        inserts.push({
          union_id: b.unionId,
          membership_number: m.membershipNumber,
          ...values,
          import_job_id: jobId,
          import_line: r.line,
        });
        continue;
      }
      const changed = COMPARED.filter((f) => (before as Record<string, unknown>)[f] !== values[f]);
      if (!changed.length) {
        unchanged++;
        continue;
      }
      updates.push({
        id: before.id,
        ...values,
        import_job_id: jobId,
        import_line: r.line,
        updated_at: ctx.clock.now().toISOString(),
      });
      if (changed.some((f) => f === "employer_id" || f === "workplace_id" || f === "job_category"))
        moved.push(before.id);
    }
    const insertedIds = await insertRowsAsJson(tx, "members", inserts);
    if (insertedIds.length) {
      await tx
        .insertInto("member_history")
        .columns(["union_id", "member_id", "valid_from", "employer_id", "workplace_id", "job_category"])
        .expression((eb) =>
          eb
            .selectFrom("members")
            .select([
              "union_id",
              "id",
              (e) => e.fn.coalesce("joined_on", e.val(b.today)).as("valid_from"),
              "employer_id",
              "workplace_id",
              "job_category",
            ])
            .where("id", "in", insertedIds),
        )
        .execute();
    }
    await updateRowsAsJson(tx, "members", updates);
    await recordEmploymentChanges(tx, moved, b.today);
    const keep = rejects.slice(0, Math.max(0, MAX_PROBLEMS_KEPT - b.problems.kept));
    const notKept = rejects.length - keep.length;
    for (let i = 0; i < keep.length; i += 5000) {
      await tx
        .insertInto("import_rejects")
        .values(keep.slice(i, i + 5000) as never)
        .execute();
    }
    b.problems.kept += keep.length;
    const rejected = rows.length - usable.length;
    const job = await tx
      .selectFrom("import_jobs")
      .select("fixes")
      .where("id", "=", jobId)
      .executeTakeFirstOrThrow();
    const fixes = { ...(job.fixes as Record<string, number>) };
    for (const r of rows) for (const f of r.fixes) fixes[f.kind] = (fixes[f.kind] ?? 0) + 1;
    await tx
      .updateTable("import_jobs")
      .set((eb) => ({
        rows_read: eb("rows_read", "+", rows.length),
        rows_inserted: eb("rows_inserted", "+", inserts.length),
        rows_updated: eb("rows_updated", "+", updates.length),
        rows_unchanged: eb("rows_unchanged", "+", unchanged),
        rows_rejected: eb("rows_rejected", "+", rejected),
        problems_not_kept: eb("problems_not_kept", "+", notKept),
        last_line: rows[rows.length - 1]!.line,
        fixes: JSON.stringify(fixes),
        updated_at: ctx.clock.now(),
      }))
      .where("id", "=", jobId)
      .execute();
  });
}

/**
 * Removes the stored uploads of jobs that failed (or were left "running" with
 * no update) more than `days` ago (a failed job keeps its file so it can be
 * resumed), and files in the upload
 * folder that no job refers to and that are as old. Completed jobs remove
 * their file at once. Returns the files removed.
 */
export async function removeExpiredUploads(
  db: Db,
  clock: { now(): Date },
  uploadDir: string,
  days: number,
): Promise<string[]> {
  const dir = path.resolve(uploadDir);
  if (!fs.existsSync(dir)) return [];
  const cutoff = new Date(clock.now().getTime() - days * 86_400_000);
  const jobs = await db
    .selectFrom("import_jobs")
    .select(["file_path", "status", "updated_at"])
    .where("file_path", "like", `${dir}${path.sep}%`)
    .execute();
  const byPath = new Map(jobs.map((j) => [path.resolve(j.file_path), j]));
  const removed: string[] = [];
  for (const name of await fs.promises.readdir(dir)) {
    const file = path.join(dir, name);
    const job = byPath.get(file);
    // A job still "running" long after its last update was abandoned (its process died and no
    // worker took it over): its upload is no more needed than a failed job's.
    const expired = job
      ? (job.status === "failed" || job.status === "running") && job.updated_at < cutoff
      : (await fs.promises.stat(file)).mtime < cutoff;
    if (!expired) continue;
    await fs.promises.rm(file, { force: true });
    removed.push(file);
  }
  return removed;
}

export async function listImportProblems(
  ctx: Ctx,
  jobId: number,
  limit = 1000,
): Promise<(Problem & { severity: string })[]> {
  const grant = authorize(ctx.actor, "members.import");
  await loadJob(ctx.db, grant.unionId, jobId);
  const rows = await ctx.db
    .selectFrom("import_jobs")
    .innerJoin("import_rejects", "import_rejects.job_id", "import_jobs.id")
    .select([
      "import_jobs.file_name",
      "import_rejects.line",
      "import_rejects.sheet",
      "import_rejects.field",
      "import_rejects.code",
      "import_rejects.message",
      "import_rejects.severity",
    ])
    .where("import_jobs.id", "=", jobId)
    // Rejected rows first: they are what was not loaded.
    .orderBy(sql`import_rejects.severity = 'warning'`)
    .orderBy("import_rejects.line")
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    file: r.file_name,
    line: r.line,
    field: r.field,
    code: r.code,
    message: r.message,
    severity: r.severity,
    ...(r.sheet ? { sheet: r.sheet } : {}),
  }));
}
