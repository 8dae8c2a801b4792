import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { sql } from "kysely";
import { recordAudit } from "../audit/index.js";
import { authorize } from "../auth/index.js";
import type { Ctx } from "../context.js";
import { bumpCountsVersion } from "../counts/index.js";
import type { Db } from "../db/database.js";
import { withTx } from "../db/tx.js";
import { buildMatchIndex, type MatchIndex } from "../matching/index.js";
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
import {
  clearStaging,
  emptyProfile,
  type ImportProfile,
  type MergeInput,
  mergeBatch,
  problemRow,
  setBasedChecksAllowed,
  stageBatch,
  timed,
} from "./member-import-batch.js";
import {
  loadRegisterEntries,
  matchKey,
  type OrgStringMatch,
  resolveOrgStrings,
} from "./org-strings.service.js";

/**
 * Member import as a job: the file is read as a stream and loaded in batches,
 * each batch committed together with the job's progress (its last line), so
 * a failure loses nothing and `resume` carries on from the last committed
 * batch (counted in rows from the start of the file). Rows are keyed by membership number: running the same file again
 * changes nothing. Every rejected row is kept with its file, line, field and
 * reason; every fix made to a value is counted.
 */
export const IMPORT_BATCH = 50_000;

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

/**
 * Rows per batch: each batch is staged, merged and committed with the job's
 * progress as one step. Large, so that the set-based statements and the
 * matching pool have enough to work on; MANDATE_IMPORT_BATCH_ROWS changes it
 * (a smaller batch commits progress more often).
 */
export function importBatchRows(): number {
  const set = Number(process.env.MANDATE_IMPORT_BATCH_ROWS);
  return Number.isInteger(set) && set > 0 ? set : IMPORT_BATCH;
}

/**
 * Runs (or resumes) a job to the end. Lines up to the job's last committed
 * line are skipped, so a resumed job never loads a row twice. While a batch
 * is merged by the database the next one is read and normalised.
 */
export async function runMemberImport(
  ctx: Ctx,
  jobId: number,
  onProgress?: (p: ImportProgress) => void,
  options: {
    profile?: ImportProfile;
    batchRows?: number;
    /** False keeps the members triggers on (per-row foreign keys, counts per statement); by default they
     * are replaced by set-based checks wherever the database allows it (decision 0025). */
    setBasedChecks?: boolean;
  } = {},
): Promise<ImportJobDto> {
  const profile = options.profile ?? emptyProfile();
  const grant = authorize(ctx.actor, "members.import");
  const unionId = grant.unionId;
  const job = await loadJob(ctx.db, unionId, jobId);
  if (job.status === "completed") return jobDto(job);
  await ctx.db
    .updateTable("import_jobs")
    .set({ status: "running", error: null, updated_at: ctx.clock.now() })
    .where("id", "=", jobId)
    .execute();
  await clearStaging(ctx.db, jobId);
  const today = ukDate(ctx.clock.now());
  const orgCache = new Map<string, OrgStringMatch>();
  const entries = await loadRegisterEntries(ctx.db, unionId);
  const index = buildMatchIndex(entries);
  const matcher = { index: async () => index };
  const refs = await loadReferences(ctx.db, unionId);
  const seenNumbers = new Map<string, number>();
  const kept = await ctx.db
    .selectFrom("import_rejects")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("job_id", "=", jobId)
    .executeTakeFirstOrThrow();
  const b: BatchContext = {
    unionId,
    jobId,
    today,
    refs,
    orgCache,
    matcher,
    problems: { kept: Number(kept.n) },
    profile,
    setBased: options.setBasedChecks ?? (await setBasedChecksAllowed(ctx.db)),
  };
  const batchRows = options.batchRows ?? importBatchRows();
  let rowsRead = job.rows_read;
  let ordinal = 0;
  // The merge of the batch before, running while the next batch is read.
  let merging: Promise<void> | null = null;
  const load = async (batch: ImportRow[], first: number) => {
    const merge = await prepareBatch(ctx, batch, first, b);
    // Batches commit in file order: the job's progress is the last line of a loaded prefix of the file.
    if (merging) await merging;
    rowsRead += batch.length;
    const read = rowsRead;
    const line = batch[batch.length - 1]!.line;
    merging = merge().then(() => onProgress?.({ rowsRead: read, line }));
    // Awaited before the next batch or at the end; this only keeps an early failure from being unhandled.
    merging.catch(() => undefined);
  };
  try {
    let batch: ImportRow[] = [];
    let first = 0;
    const rows = readMemberFile(job.file_path, {
      file: job.file_name,
      mapping: job.mapping as ColumnMapping,
      today,
    })[Symbol.asyncIterator]();
    for (;;) {
      const t0 = performance.now();
      const next = await rows.next();
      profile.parse += (performance.now() - t0) / 1000;
      if (next.done) break;
      const row = next.value;
      if (row.member) {
        const earlier = seenNumbers.get(row.member.membershipNumber);
        if (earlier !== undefined && earlier !== row.line) {
          row.problems.push({
            file: row.file,
            line: row.line,
            field: job.mapping.membershipNumber ?? "membershipNumber",
            code: "membership_number.repeated",
            message: `membership number ${row.member.membershipNumber} already appears at line ${earlier} of this file`,
          });
          row.member = null;
        } else seenNumbers.set(row.member.membershipNumber, row.line);
      }
      // Resume by position in the file, not by line: spreadsheet rows restart at each sheet.
      ordinal++;
      if (ordinal <= job.rows_read) continue;
      if (!batch.length) first = ordinal;
      batch.push(row);
      if (batch.length >= batchRows) {
        await load(batch, first);
        batch = [];
      }
    }
    if (batch.length) await load(batch, first);
    if (merging) await merging;
  } catch (e) {
    // A merge still running must end before the job is marked failed (the embedded database has one connection).
    if (merging) await (merging as Promise<void>).catch(() => undefined);
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
  const duplicates = await timed(profile, "duplicates", () => detectDuplicates(ctx));
  const done = await timed(profile, "finish", () =>
    withTx(ctx.db, async (tx) => {
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
    }),
  );
  const t0 = performance.now();
  const matching = await matchingCounts(ctx.db, unionId, jobId);
  const result = { ...jobDto(done), duplicates: await duplicateCounts(ctx.db, unionId, jobId), matching };
  profile.finish += (performance.now() - t0) / 1000;
  return result;
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
  jobId: number;
  today: string;
  refs: References;
  orgCache: Map<string, OrgStringMatch>;
  matcher: { index: () => Promise<MatchIndex> };
  /** Problems of this job already kept. */
  problems: { kept: number };
  profile: ImportProfile;
  setBased: boolean;
}

/**
 * Readies one batch: its employer strings matched and its usable rows
 * staged. Returns the merge to run.
 */
async function prepareBatch(
  ctx: Ctx,
  rows: ImportRow[],
  first: number,
  b: BatchContext,
): Promise<() => Promise<void>> {
  const rejects: Record<string, unknown>[] = [];
  const fixes = new Map<string, number>();
  for (const r of rows) {
    for (const p of r.problems) rejects.push(problemRow(b.jobId, p, "reject"));
    for (const p of r.warnings) rejects.push(problemRow(b.jobId, p, "warning"));
    for (const f of r.fixes) fixes.set(f.kind, (fixes.get(f.kind) ?? 0) + 1);
  }
  const usableAt: number[] = [];
  for (let i = 0; i < rows.length; i++)
    if (rows[i]!.member && rows[i]!.problems.length === 0) usableAt.push(i);
  const usable = usableAt.map((i) => rows[i]!);
  const keys = usable.map((r) => matchKey(r.member!.employerText, r.member!.workplaceText));
  const wanted = usable.map((r, i) => ({
    key: keys[i]!,
    employerText: r.member!.employerText,
    workplaceText: r.member!.workplaceText,
    postcode: r.member!.homePostcode,
  }));
  // Matched and staged while the database merges the batch before (staged rows are keyed by batch).
  const t0 = performance.now();
  const known = b.orgCache.size;
  // As at the day the list is loaded: a council abolished by then is matched to its successor.
  await resolveOrgStrings(ctx.db, b.unionId, b.matcher.index, b.orgCache, wanted, b.today);
  b.profile.stringsMatched += b.orgCache.size - known;
  b.profile.match += (performance.now() - t0) / 1000;
  const staged: unknown[][] = [];
  for (let i = 0; i < usable.length; i++) {
    const r = usable[i]!;
    const m = r.member!;
    const org = b.orgCache.get(keys[i]!)!;
    const branch = m.branchText ? b.refs.branches.get(m.branchText.trim().toLowerCase()) : undefined;
    const workplaceId = org.workplaceId;
    const regionId =
      (m.regionText ? b.refs.regions.get(m.regionText.trim().toLowerCase()) : undefined) ??
      branch?.regionId ??
      (workplaceId ? (b.refs.workplaceRegion.get(workplaceId) ?? null) : null);
    // In the order of STAGED_COLUMNS.
    staged.push([
      b.jobId,
      first,
      first + usableAt[i]!,
      r.line,
      m.membershipNumber,
      m.forenames,
      m.surname,
      m.dateOfBirth,
      m.addressLine1,
      m.addressLine2,
      m.town,
      m.homePostcode,
      m.email,
      m.emailKind,
      m.mobile,
      org.employerId,
      workplaceId,
      m.jobTitle,
      m.jobCategory,
      branch?.id ?? null,
      regionId ?? null,
      m.status,
      m.inArrears,
      m.checkOff,
      m.joinedOn,
      m.leftOn,
      m.consentEmail,
      m.consentSms,
      m.employerText,
      m.workplaceText,
      org.id,
    ]);
  }
  await timed(b.profile, "stage", () => stageBatch(ctx.db, staged));
  const keep = rejects.slice(0, Math.max(0, MAX_PROBLEMS_KEPT - b.problems.kept));
  b.problems.kept += keep.length;
  // Only counts and the problems to keep are held while the batch merges: not its rows.
  const input: MergeInput = {
    unionId: b.unionId,
    jobId: b.jobId,
    batch: first,
    today: b.today,
    now: ctx.clock.now(),
    rowCount: rows.length,
    lastLine: rows[rows.length - 1]!.line,
    usable: usable.length,
    keep,
    notKept: rejects.length - keep.length,
    fixes,
    setBased: b.setBased,
  };
  return () => mergeBatch(ctx.db, input, b.profile);
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
