import { sql } from "kysely";
import { recordAudit } from "../audit/index.js";
import { authorize } from "../auth/index.js";
import type { Ctx } from "../context.js";
import { bumpCountsVersion } from "../counts/index.js";
import { insertRowsAsJson, updateRowsAsJson } from "../db/bulk.js";
import type { Db } from "../db/database.js";
import { withTx } from "../db/tx.js";
import { normaliseOrganisationName } from "../matching/index.js";
import { AppError } from "../shared/errors.js";
import { sha256OfBytes } from "../shared/hash.js";
import { formatProblem, type Problem } from "../shared/problems.js";
import { parseRegister } from "./import/index.js";
import { localAuthoritySuccessors } from "./import/la.parse.js";
import type { CodeKind, RegisterRecord, RegisterSource } from "./import/register-records.js";
import { successorsFromSiteHistory } from "./site-history.js";

/**
 * Loads an official register file into employers and workplaces: straight
 * through in one transaction, or as a job of the queue in steps of records,
 * each committed with its step (register-import.job.ts). A newer file updates names (keeping the old name as a former
 * name, because members go on writing it), records closures, adds what is
 * new, and never deletes: a closed trust or school stays, with its close
 * date, so history and old ballots still make sense.
 */
export interface RegisterImportResult {
  importId: number;
  source: RegisterSource;
  file: string;
  linesRead: number;
  employers: { created: number; updated: number; renamed: number; closed: number };
  workplaces: { created: number; updated: number; renamed: number; closed: number };
  aliasesAdded: number;
  problemsTotal: number;
  problems: Problem[];
}

const EMPLOYER_CODE_COLUMN: Record<
  CodeKind,
  "ods_code" | "dfe_urn" | "dfe_group_id" | "gss_code" | "la_code" | "companies_house_number" | "local_code"
> = {
  ods: "ods_code",
  dfe_urn: "dfe_urn",
  dfe_group: "dfe_group_id",
  gss: "gss_code",
  la_code: "la_code",
  companies_house: "companies_house_number",
  local: "local_code",
};

const SECTOR_NAMES: Record<string, string> = {
  health: "Health",
  education: "Education",
  "local-government": "Local Government",
};

/** ODS publishes names in capitals; people read "Leeds Teaching Hospitals NHS Trust". */
export function displayName(name: string): string {
  if (name !== name.toUpperCase()) return name;
  const keepUpper = new Set([
    "NHS",
    "GP",
    "ICB",
    "CCG",
    "UK",
    "HM",
    "PCT",
    "CIC",
    "LLP",
    "PLC",
    "CE",
    "RC",
    "VA",
    "VC",
    "II",
    "III",
    "IV",
  ]);
  const lowerWords = new Set(["and", "of", "the", "for", "in", "on", "at", "to", "with"]);
  return name
    .toLowerCase()
    .split(/(\s+|-|\/|\()/)
    .map((word, i) => {
      const bare = word.replace(/[^a-z']/g, "");
      if (keepUpper.has(bare.toUpperCase()) && bare.length > 0) return word.toUpperCase();
      if (i > 0 && lowerWords.has(word)) return word;
      return word
        .replace(/^([a-z])/, (c) => c.toUpperCase())
        .replace(/(['’])([a-z])(?=[a-z]{2})/, (_m, q, c) => q + c.toUpperCase());
    })
    .join("")
    .replace(/'S\b/g, "'s");
}

interface ExistingEmployer {
  id: number;
  name: string;
  closed_on: string | null;
  opened_on: string | null;
  codes: Partial<Record<CodeKind, string>>;
}

/** A register file read and checked: what a run (straight or as a job) loads. */
export interface ParsedRegisterFile {
  input: { format: RegisterSource; file: string; bytes: Uint8Array };
  parsed: ReturnType<typeof parseRegister>;
}

/** Reads the file; a file that is not that register at all, or has no usable line, is refused. */
export function readRegisterFile(
  ctx: Ctx,
  input: { format: RegisterSource; file: string; bytes: Uint8Array },
): ParsedRegisterFile {
  authorize(ctx.actor, "org.write");
  let parsed: ReturnType<typeof parseRegister>;
  try {
    parsed = parseRegister(input.format, input.bytes, input.file);
  } catch {
    // The parsers report bad lines as problems; a throw means the file is not that format at all.
    throw new AppError(
      "import.file_invalid",
      `${input.file}: the file cannot be read as a ${input.format.toUpperCase()} register (empty, damaged or another format).`,
    );
  }
  if (parsed.records.length === 0) {
    const first = parsed.problems[0];
    throw new AppError(
      "import.file_invalid",
      first
        ? `${input.file}:${first.line}: ${first.field}: ${first.message}`
        : `${input.file}: no usable lines.`,
      { problems: parsed.problems.slice(0, 100), problemsTotal: parsed.problems.length },
    );
  }
  return { input, parsed };
}

/** How many records a run loads: its progress total. */
export function registerRecordCount(file: ParsedRegisterFile): number {
  return file.parsed.records.reduce(
    (n, r) => n + (r.role === "employer" ? 1 : 0) + (r.role === "workplace" || r.alsoWorkplace ? 1 : 0),
    0,
  );
}

/**
 * Where a register import stopped: the phase (employers, then workplaces,
 * then the import's record) and the next record of it, with the counts so
 * far. Committed with each step's work, so a run taken over carries on here.
 */
export interface RegisterImportStep {
  phase: "employers" | "workplaces" | "record" | "done";
  next: number;
  result: RegisterImportResult;
  /** Workplaces not loaded for want of their employer: the first 1000, and how many in all. */
  unplaced: Problem[];
  unplacedTotal: number;
}

/** How a run is driven: straight through in one transaction, or as a job, step by step. */
export interface RegisterImportRun {
  step: RegisterImportStep | null;
  /** Records per step (5000). */
  stepSize?: number;
  /** Records the step with the work done in `tx`. */
  commitStep?(tx: Db, step: RegisterImportStep, progress: { done: number; total: number }): Promise<void>;
  /** Throws when the run must stop (cancelled, lease lost): called between steps. */
  throwIfStopped?(): void;
  /** A line not used, for the job's log (register files name organisations, never people). */
  problem?(message: string, tx: Db): Promise<void>;
}

/** Lines not used that go in a job's log; the import's record keeps the first 1000. */
const LOGGED_PROBLEMS = 100;

/** Loads a register file straight through, in one transaction. */
export async function importRegister(
  ctx: Ctx,
  input: { format: RegisterSource; file: string; bytes: Uint8Array },
): Promise<RegisterImportResult> {
  const file = readRegisterFile(ctx, input);
  return withTx(ctx.db, (tx) => runRegisterImport({ ...ctx, db: tx }, file, { step: null }));
}

/**
 * Loads the file in steps of `stepSize` records, each in its own transaction
 * with its step (inside the caller's transaction when there is one). The
 * maps of what exists are kept exactly as the database has them after each
 * step, so a run resumed from the database goes on as a straight run would.
 */
export async function runRegisterImport(
  ctx: Ctx,
  file: ParsedRegisterFile,
  run: RegisterImportRun,
): Promise<RegisterImportResult> {
  const { input, parsed } = file;
  const unionId = authorize(ctx.actor, "org.write").unionId;
  const stepSize = run.stepSize ?? 5000;
  const employerRecords = parsed.records.filter((r) => r.role === "employer");
  const workplaceRecords = parsed.records.filter((r) => r.role === "workplace" || r.alsoWorkplace);
  const total = employerRecords.length + workplaceRecords.length;
  let step: RegisterImportStep = run.step ?? {
    phase: "employers",
    next: 0,
    result: {
      importId: 0,
      source: parsed.source,
      file: input.file,
      linesRead: parsed.linesRead,
      employers: { created: 0, updated: 0, renamed: 0, closed: 0 },
      workplaces: { created: 0, updated: 0, renamed: 0, closed: 0 },
      aliasesAdded: 0,
      problemsTotal: parsed.problems.length,
      problems: parsed.problems.slice(0, 100),
    },
    unplaced: [],
    unplacedTotal: 0,
  };
  if (step.phase === "done") return step.result;
  const doneOf = (s: RegisterImportStep) =>
    s.phase === "employers" ? s.next : s.phase === "workplaces" ? employerRecords.length + s.next : total;
  const commit = (tx: Db, s: RegisterImportStep) => run.commitStep?.(tx, s, { done: doneOf(s), total });
  const now = ctx.clock.now();
  const sectors = await withTx(ctx.db, (tx) => ensureSectors(tx, unionId, parsed.records));

  // Employers first: workplaces refer to them by code.
  const employerKey = (kind: CodeKind, code: string) => `${kind}:${code.toUpperCase()}`;
  const employers = await loadEmployers(ctx.db, unionId);
  const byCode = new Map<string, ExistingEmployer>();
  for (const e of employers)
    for (const [kind, code] of Object.entries(e.codes)) byCode.set(employerKey(kind as CodeKind, code), e);
  // GIAS names a school's local authority by its DfE code; join it to the authority already loaded from the LA register by name.
  const laByName = new Map<string, ExistingEmployer>();
  for (const e of employers)
    if (e.codes.gss || e.codes.la_code) laByName.set(normaliseOrganisationName(e.name), e);

  while (step.phase === "employers") {
    run.throwIfStopped?.();
    const from = step.next;
    const records = employerRecords.slice(from, from + stepSize);
    step = await withTx(ctx.db, async (tx) => {
      // The counts of a step that rolls back must not count: work on a copy.
      const next = structuredClone(step);
      const result = next.result;
      if (from === 0 && run.problem) {
        for (const p of parsed.problems.slice(0, LOGGED_PROBLEMS)) await run.problem(formatProblem(p), tx);
      }
      const aliases: AliasToAdd[] = [];
      const inserts: { row: Record<string, unknown>; key: string; r: RegisterRecord }[] = [];
      const updates: {
        id: number;
        name: string;
        closed_on: string | null;
        opened_on: string | null;
        updated_at: string;
      }[] = [];
      for (const r of records) {
        const key = employerKey(r.codeKind, r.code);
        let existing = byCode.get(key);
        if (!existing && r.organisationType === "local_authority" && r.codeKind === "local") {
          existing = laByName.get(
            normaliseOrganisationName(r.name.replace(/\s*\(local authority\)\s*$/i, "")),
          );
          if (existing) {
            existing.codes.local = r.code;
            await tx
              .updateTable("employers")
              .set({ local_code: r.code })
              .where("id", "=", existing.id)
              .execute();
            byCode.set(key, existing);
            continue;
          }
        }
        const name = displayName(r.name);
        if (existing) {
          const renamed = normaliseOrganisationName(existing.name) !== normaliseOrganisationName(name);
          const closedChanged = (r.closedOn ?? null) !== existing.closed_on;
          if (renamed) {
            aliases.push({
              employer: key,
              workplace: null,
              alias: existing.name,
              kind: "former_name",
              source: `${input.file} line ${r.line} (renamed)`,
            });
            result.employers.renamed++;
          }
          if (closedChanged && r.closedOn) result.employers.closed++;
          if (renamed || closedChanged || (r.openedOn ?? null) !== existing.opened_on) {
            updates.push({
              id: existing.id,
              name,
              closed_on: r.closedOn,
              opened_on: r.openedOn,
              updated_at: now.toISOString(),
            });
            // As the database now has it: a later line for the same code compares with this.
            existing.name = name;
            existing.closed_on = r.closedOn ?? null;
            existing.opened_on = r.openedOn ?? null;
            result.employers.updated++;
          }
        } else {
          inserts.push({
            key,
            r,
            row: {
              union_id: unionId,
              name,
              [EMPLOYER_CODE_COLUMN[r.codeKind]]: r.code,
              sector_id: r.sectorHint ? (sectors.get(r.sectorHint) ?? null) : null,
              nation: r.nation ?? "england",
              important_public_service: r.sectorHint === "health" ? "health" : null,
              devolved_welsh_authority: r.nation === "wales",
              opened_on: r.openedOn,
              closed_on: r.closedOn,
              organisation_type: r.organisationType,
              register_source: parsed.source,
            },
          });
          result.employers.created++;
          if (r.closedOn) result.employers.closed++;
        }
        for (const a of r.aliases)
          aliases.push({ employer: key, workplace: null, alias: a.name, kind: a.kind, source: a.source });
      }
      // Rows inserted together share their column list, so insert per column shape.
      for (const group of groupByShape(inserts)) {
        const ids = await insertRowsAsJson(
          tx,
          "employers",
          group.map((g) => g.row),
        );
        group.forEach((g, i) => {
          const e: ExistingEmployer = {
            id: ids[i]!,
            name: String(g.row.name),
            closed_on: g.r.closedOn ?? null,
            opened_on: g.r.openedOn ?? null,
            codes: { [g.r.codeKind]: g.r.code },
          };
          byCode.set(g.key, e);
          if (e.codes.gss || e.codes.la_code) laByName.set(normaliseOrganisationName(e.name), e);
        });
      }
      await updateInChunks(tx, "employers", updates);
      result.aliasesAdded += await insertAliases(tx, unionId, aliases, byCode);
      next.next = from + records.length;
      if (next.next >= employerRecords.length) {
        next.phase = "workplaces";
        next.next = 0;
      }
      await commit(tx, next);
      return next;
    });
  }

  // Workplaces: sites, schools, and employers that are their own workplace.
  const existingWorkplaces = new Map(
    (
      await ctx.db
        .selectFrom("workplaces")
        .select(["id", "site_code", "name", "closed_on", "opened_on", "employer_id", "postcode", "town"])
        .where("union_id", "=", unionId)
        .where("site_code", "is not", null)
        .execute()
    ).map((w) => [w.site_code!.toUpperCase(), w]),
  );
  while (step.phase === "workplaces") {
    run.throwIfStopped?.();
    const from = step.next;
    const records = workplaceRecords.slice(from, from + stepSize);
    step = await withTx(ctx.db, async (tx) => {
      const next = structuredClone(step);
      const result = next.result;
      const aliases: AliasToAdd[] = [];
      const wInserts: Record<string, unknown>[] = [];
      const wUpdates: {
        id: number;
        name: string;
        employer_id: number;
        closed_on: string | null;
        opened_on: string | null;
        postcode: string | null;
        address: string | null;
        town: string | null;
        updated_at: string;
      }[] = [];
      for (const r of records) {
        const employer =
          r.role === "employer"
            ? byCode.get(employerKey(r.codeKind, r.code))
            : r.parentCode && r.parentCodeKind
              ? byCode.get(employerKey(r.parentCodeKind, r.parentCode))
              : undefined;
        if (!employer) {
          const problem: Problem = {
            file: input.file,
            line: r.line,
            field: "parent code",
            code: "parent.unknown",
            message: `No employer with ${r.parentCodeKind ?? "code"} ${r.parentCode ?? "(none)"} for workplace ${r.code}: load the employer register first.`,
          };
          if (parsed.problems.length + next.unplacedTotal < LOGGED_PROBLEMS)
            await run.problem?.(formatProblem(problem), tx);
          if (next.unplaced.length < 1000) next.unplaced.push(problem);
          next.unplacedTotal++;
          continue;
        }
        const name = displayName(r.name);
        const site = r.code.toUpperCase();
        const existing = existingWorkplaces.get(site);
        if (existing) {
          const renamed = normaliseOrganisationName(existing.name) !== normaliseOrganisationName(name);
          const changed =
            renamed ||
            (r.closedOn ?? null) !== existing.closed_on ||
            existing.employer_id !== employer.id ||
            (r.postcode ?? null) !== existing.postcode ||
            (r.town ?? null) !== existing.town;
          if (renamed) {
            aliases.push({
              employer: `id:${employer.id}`,
              workplace: r.code,
              alias: existing.name,
              kind: "former_name",
              source: `${input.file} line ${r.line} (renamed)`,
            });
            result.workplaces.renamed++;
          }
          if (r.closedOn && r.closedOn !== existing.closed_on) result.workplaces.closed++;
          if (changed) {
            wUpdates.push({
              id: existing.id,
              name,
              employer_id: employer.id,
              closed_on: r.closedOn,
              opened_on: r.openedOn,
              postcode: r.postcode,
              address: r.address,
              town: r.town ?? null,
              updated_at: now.toISOString(),
            });
            Object.assign(existing, {
              name,
              employer_id: employer.id,
              closed_on: r.closedOn ?? null,
              opened_on: r.openedOn ?? null,
              postcode: r.postcode ?? null,
              town: r.town ?? null,
            });
            result.workplaces.updated++;
          }
        } else {
          wInserts.push({
            union_id: unionId,
            employer_id: employer.id,
            site_code: site,
            name,
            address: r.address,
            postcode: r.postcode,
            town: r.town ?? null,
            opened_on: r.openedOn,
            closed_on: r.closedOn,
            organisation_type: r.organisationType,
            register_source: parsed.source,
          });
          existingWorkplaces.set(site, {
            id: -1,
            site_code: site,
            name,
            closed_on: r.closedOn ?? null,
            opened_on: r.openedOn ?? null,
            employer_id: employer.id,
            postcode: r.postcode ?? null,
            town: r.town ?? null,
          });
          result.workplaces.created++;
          if (r.closedOn) result.workplaces.closed++;
        }
        if (r.role === "workplace")
          for (const a of r.aliases)
            aliases.push({
              employer: `id:${employer.id}`,
              workplace: r.code,
              alias: a.name,
              kind: a.kind,
              source: a.source,
            });
      }
      for (let i = 0; i < wInserts.length; i += 5000) {
        const rows = wInserts.slice(i, i + 5000);
        const ids = await insertRowsAsJson(tx, "workplaces", rows);
        // The real ids, as a run resumed from the database would read them.
        rows.forEach((row, j) => {
          const w = existingWorkplaces.get(String(row.site_code));
          if (w && w.id === -1) w.id = ids[j]!;
        });
      }
      await updateInChunks(tx, "workplaces", wUpdates);
      result.aliasesAdded += await insertAliases(tx, unionId, aliases, byCode);
      next.next = from + records.length;
      if (next.next >= workplaceRecords.length) {
        next.phase = "record";
        next.next = 0;
      }
      await commit(tx, next);
      return next;
    });
  }

  run.throwIfStopped?.();
  return withTx(ctx.db, async (tx) => {
    const next = structuredClone(step);
    const result = next.result;
    const problems = [...parsed.problems, ...next.unplaced];
    const problemsTotal = parsed.problems.length + next.unplacedTotal;
    result.problemsTotal = problemsTotal;
    result.problems = problems.slice(0, 100);
    if (parsed.source === "la")
      await recordSuccessors(tx, unionId, successorsOfCouncils(file, byCode), input.file);
    if (parsed.source === "ods") await recordTrustSuccessors(tx, unionId);
    const row = await tx
      .insertInto("register_imports")
      .values({
        union_id: unionId,
        source: parsed.source,
        file_name: input.file,
        file_sha256: sha256OfBytes(input.bytes),
        imported_at: now,
        counts: JSON.stringify({
          employers: result.employers,
          workplaces: result.workplaces,
          aliasesAdded: result.aliasesAdded,
          linesRead: parsed.linesRead,
        }),
        problems: JSON.stringify(problems.slice(0, 1000)),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    result.importId = row.id;
    await bumpCountsVersion(tx, unionId);
    await recordAudit({ ...ctx, db: tx }, "register.imported", {
      subjectType: "register_import",
      subjectId: row.id,
      details: {
        source: parsed.source,
        file: input.file,
        employers: result.employers,
        workplaces: result.workplaces,
        problems: problemsTotal,
      },
    });
    if (problemsTotal > LOGGED_PROBLEMS)
      await run.problem?.(
        `${problemsTotal - LOGGED_PROBLEMS} more line(s) not used; the import's record keeps the first 1000.`,
        tx,
      );
    next.phase = "done";
    await commit(tx, next);
    return result;
  });
}

interface Succession {
  employerId: number;
  successorIds: number[];
  fromDate: string | null;
}

/**
 * mySociety's replaced-by, as employer ids: the council abolished (on its
 * end date) and the council or councils that took over its work. Codes the
 * loaded register lacks are left out.
 */
function successorsOfCouncils(file: ParsedRegisterFile, byCode: Map<string, ExistingEmployer>): Succession[] {
  const codes = localAuthoritySuccessors(file.input.bytes, file.input.file);
  const find = (code: string) => byCode.get(`gss:${code}`) ?? byCode.get(`la_code:${code}`);
  const out: Succession[] = [];
  for (const [code, next] of codes) {
    const former = find(code);
    if (!former) continue;
    const successorIds = [
      ...new Set(next.flatMap((c) => (find(c)?.id !== undefined ? [find(c)!.id] : []))),
    ].filter((id) => id !== former.id);
    if (successorIds.length) out.push({ employerId: former.id, successorIds, fromDate: former.closed_on });
  }
  return out;
}

/**
 * Replaces what an earlier file of the same register said about these
 * employers' successors: a newer file is the register's latest word.
 */
async function recordSuccessors(db: Db, unionId: number, successions: Succession[], file: string) {
  if (!successions.length) return;
  const ids = successions.map((s) => s.employerId);
  for (let i = 0; i < ids.length; i += 5000)
    await db
      .deleteFrom("employer_successors")
      .where("union_id", "=", unionId)
      .where("employer_id", "in", ids.slice(i, i + 5000))
      .execute();
  const rows = successions.flatMap((s) =>
    s.successorIds.map((successorId) => ({
      union_id: unionId,
      employer_id: s.employerId,
      successor_id: successorId,
      from_date: s.fromDate,
      source: file,
    })),
  );
  for (let i = 0; i < rows.length; i += 5000)
    await db
      .insertInto("employer_successors")
      .values(rows.slice(i, i + 5000))
      .execute();
}

/** The source of successors found from where trusts' sites went. */
const SITE_HISTORY = "ODS site history";

/**
 * Closed NHS trusts' successors from where their sites went (site-history.ts),
 * recomputed after each ODS file: the older trusts-and-sites file and the
 * current trusts and sites files can come in any order.
 */
async function recordTrustSuccessors(db: Db, unionId: number): Promise<void> {
  const sites = await db
    .selectFrom("workplaces")
    .innerJoin("employers", "employers.id", "workplaces.employer_id")
    .select(["workplaces.employer_id", "workplaces.name", "employers.closed_on"])
    .where("workplaces.union_id", "=", unionId)
    .where("employers.organisation_type", "=", "nhs_trust")
    .execute();
  const former = sites.flatMap((s) => (s.closed_on ? [{ trustId: s.employer_id, name: s.name }] : []));
  const current = sites.flatMap((s) => (s.closed_on ? [] : [{ employerId: s.employer_id, name: s.name }]));
  const found = successorsFromSiteHistory(former, current);
  const closedOn = new Map(sites.map((s) => [s.employer_id, s.closed_on]));
  await db
    .deleteFrom("employer_successors")
    .where("union_id", "=", unionId)
    .where("source", "=", SITE_HISTORY)
    .execute();
  const rows = [...found].map(([employerId, successorId]) => ({
    union_id: unionId,
    employer_id: employerId,
    successor_id: successorId,
    from_date: closedOn.get(employerId) ?? null,
    source: SITE_HISTORY,
  }));
  for (let i = 0; i < rows.length; i += 5000)
    await db
      .insertInto("employer_successors")
      .values(rows.slice(i, i + 5000))
      .onConflict((oc) => oc.columns(["employer_id", "successor_id"]).doNothing())
      .execute();
}

interface AliasToAdd {
  employer: string;
  workplace: string | null;
  alias: string;
  kind: string;
  source: string;
}

function groupByShape<T extends { row: Record<string, unknown> }>(items: T[]): T[][] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const shape = Object.keys(item.row).sort().join(",");
    const list = groups.get(shape) ?? [];
    list.push(item);
    groups.set(shape, list);
  }
  const out: T[][] = [];
  for (const list of groups.values())
    for (let i = 0; i < list.length; i += 5000) out.push(list.slice(i, i + 5000));
  return out;
}

async function updateInChunks<R extends { id: number } & Record<string, unknown>>(
  db: Db,
  table: "employers" | "workplaces",
  rows: R[],
): Promise<void> {
  for (let i = 0; i < rows.length; i += 5000) await updateRowsAsJson(db, table, rows.slice(i, i + 5000));
}

async function loadEmployers(db: Db, unionId: number): Promise<ExistingEmployer[]> {
  const rows = await db.selectFrom("employers").selectAll().where("union_id", "=", unionId).execute();
  return rows.map((e) => {
    const codes: Partial<Record<CodeKind, string>> = {};
    for (const [kind, column] of Object.entries(EMPLOYER_CODE_COLUMN)) {
      const v = e[column];
      if (v) codes[kind as CodeKind] = v;
    }
    return { id: e.id, name: e.name, closed_on: e.closed_on, opened_on: e.opened_on, codes };
  });
}

async function ensureSectors(
  db: Db,
  unionId: number,
  records: RegisterRecord[],
): Promise<Map<string, number>> {
  const hints = [...new Set(records.flatMap((r) => (r.sectorHint ? [r.sectorHint] : [])))];
  const map = new Map<string, number>();
  for (const code of hints) {
    const found = await db
      .selectFrom("sectors")
      .select("id")
      .where("union_id", "=", unionId)
      .where("code", "=", code)
      .executeTakeFirst();
    const id =
      found?.id ??
      (
        await db
          .insertInto("sectors")
          .values({ union_id: unionId, code, name: SECTOR_NAMES[code] ?? code })
          .returning("id")
          .executeTakeFirstOrThrow()
      ).id;
    map.set(code, id);
  }
  return map;
}

async function insertAliases(
  db: Db,
  unionId: number,
  aliases: AliasToAdd[],
  byCode: Map<string, ExistingEmployer>,
): Promise<number> {
  if (!aliases.length) return 0;
  // Only the sites these aliases name: a step's aliases, not the whole register.
  const codes = [...new Set(aliases.flatMap((a) => (a.workplace ? [a.workplace.toUpperCase()] : [])))];
  const sites = new Map<string, { id: number }>();
  for (let i = 0; i < codes.length; i += 5000) {
    const found = await db
      .selectFrom("workplaces")
      .select(["id", "site_code"])
      .where("union_id", "=", unionId)
      .where("site_code", "in", codes.slice(i, i + 5000))
      .execute();
    for (const w of found) sites.set(w.site_code!.toUpperCase(), w);
  }
  const rows: Record<string, unknown>[] = [];
  for (const a of aliases) {
    const employerId = a.employer.startsWith("id:")
      ? Number(a.employer.slice(3))
      : byCode.get(a.employer)?.id;
    if (!employerId) continue;
    const workplaceId = a.workplace ? (sites.get(a.workplace.toUpperCase())?.id ?? null) : null;
    const alias = displayName(a.alias);
    rows.push({
      union_id: unionId,
      employer_id: employerId,
      workplace_id: workplaceId,
      alias,
      normalised: normaliseOrganisationName(alias),
      kind: a.kind,
      source: a.source,
    });
  }
  let added = 0;
  for (let i = 0; i < rows.length; i += 5000) {
    const chunk = rows.slice(i, i + 5000);
    const res = await sql<{ n: number }>`with ins as (
        insert into register_aliases (union_id, employer_id, workplace_id, alias, normalised, kind, source)
        select union_id, employer_id, workplace_id, alias, normalised, kind, source
          from json_populate_recordset(null::register_aliases, ${JSON.stringify(chunk)}::json)
        on conflict on constraint register_aliases_uq do nothing
        returning 1)
      select count(*)::int as n from ins`.execute(db);
    added += Number(res.rows[0]?.n ?? 0);
  }
  return added;
}
