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
import type { Problem } from "../shared/problems.js";
import { parseRegister } from "./import/index.js";
import type { CodeKind, RegisterRecord, RegisterSource } from "./import/register-records.js";

/**
 * Loads an official register file into employers and workplaces, in one
 * transaction. A newer file updates names (keeping the old name as a former
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

export async function importRegister(
  ctx: Ctx,
  input: { format: RegisterSource; file: string; bytes: Uint8Array },
): Promise<RegisterImportResult> {
  const grant = authorize(ctx.actor, "org.write");
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
  const unionId = grant.unionId;
  return withTx(ctx.db, async (tx) => {
    const sectors = await ensureSectors(tx, unionId, parsed.records);
    const now = ctx.clock.now();
    const employers = await loadEmployers(tx, unionId);
    const result: RegisterImportResult = {
      importId: 0,
      source: parsed.source,
      file: input.file,
      linesRead: parsed.linesRead,
      employers: { created: 0, updated: 0, renamed: 0, closed: 0 },
      workplaces: { created: 0, updated: 0, renamed: 0, closed: 0 },
      aliasesAdded: 0,
      problemsTotal: parsed.problems.length,
      problems: parsed.problems.slice(0, 100),
    };
    const aliases: {
      employer: string;
      workplace: string | null;
      alias: string;
      kind: string;
      source: string;
    }[] = [];
    const problems = [...parsed.problems];

    // Employers first: workplaces refer to them by code.
    const employerRecords = parsed.records.filter((r) => r.role === "employer");
    const employerKey = (kind: CodeKind, code: string) => `${kind}:${code.toUpperCase()}`;
    const byCode = new Map<string, ExistingEmployer>();
    for (const e of employers)
      for (const [kind, code] of Object.entries(e.codes)) byCode.set(employerKey(kind as CodeKind, code), e);
    // GIAS names a school's local authority by its DfE code; join it to the authority already loaded from the LA register by name.
    const laByName = new Map<string, ExistingEmployer>();
    for (const e of employers)
      if (e.codes.gss || e.codes.la_code) laByName.set(normaliseOrganisationName(e.name), e);

    const inserts: Record<string, unknown>[] = [];
    const insertKeys: string[] = [];
    const updates: {
      id: number;
      name: string;
      closed_on: string | null;
      opened_on: string | null;
      updated_at: string;
    }[] = [];
    for (const r of employerRecords) {
      const key = employerKey(r.codeKind, r.code);
      let existing = byCode.get(key);
      if (!existing && r.organisationType === "local_authority" && r.codeKind === "local") {
        existing = laByName.get(normaliseOrganisationName(r.name.replace(/\s*\(local authority\)\s*$/i, "")));
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
          existing.name = name;
          result.employers.updated++;
        }
      } else {
        inserts.push({
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
        });
        insertKeys.push(key);
        result.employers.created++;
        if (r.closedOn) result.employers.closed++;
      }
      for (const a of r.aliases)
        aliases.push({ employer: key, workplace: null, alias: a.name, kind: a.kind, source: a.source });
    }
    // Rows inserted together share their column list, so insert per column shape.
    for (const group of groupByShape(inserts.map((row, i) => ({ row, key: insertKeys[i]! })))) {
      const ids = await insertRowsAsJson(
        tx,
        "employers",
        group.map((g) => g.row),
      );
      group.forEach((g, i) => {
        const e: ExistingEmployer = {
          id: ids[i]!,
          name: String(g.row.name),
          closed_on: null,
          opened_on: null,
          codes: {},
        };
        byCode.set(g.key, e);
      });
    }
    await updateInChunks(tx, "employers", updates);

    // Workplaces: sites, schools, and employers that are their own workplace.
    const workplaceRecords = parsed.records.filter((r) => r.role === "workplace" || r.alsoWorkplace);
    const existingWorkplaces = new Map(
      (
        await tx
          .selectFrom("workplaces")
          .select(["id", "site_code", "name", "closed_on", "opened_on", "employer_id", "postcode"])
          .where("union_id", "=", unionId)
          .where("site_code", "is not", null)
          .execute()
      ).map((w) => [w.site_code!.toUpperCase(), w]),
    );
    const wInserts: Record<string, unknown>[] = [];
    const wUpdates: {
      id: number;
      name: string;
      employer_id: number;
      closed_on: string | null;
      opened_on: string | null;
      postcode: string | null;
      address: string | null;
      updated_at: string;
    }[] = [];
    for (const r of workplaceRecords) {
      const employer =
        r.role === "employer"
          ? byCode.get(employerKey(r.codeKind, r.code))
          : r.parentCode && r.parentCodeKind
            ? byCode.get(employerKey(r.parentCodeKind, r.parentCode))
            : undefined;
      if (!employer) {
        problems.push({
          file: input.file,
          line: r.line,
          field: "parent code",
          code: "parent.unknown",
          message: `No employer with ${r.parentCodeKind ?? "code"} ${r.parentCode ?? "(none)"} for workplace ${r.code}: load the employer register first.`,
        });
        continue;
      }
      const name = displayName(r.name);
      const existing = existingWorkplaces.get(r.code.toUpperCase());
      if (existing) {
        const renamed = normaliseOrganisationName(existing.name) !== normaliseOrganisationName(name);
        const changed =
          renamed ||
          (r.closedOn ?? null) !== existing.closed_on ||
          existing.employer_id !== employer.id ||
          (r.postcode ?? null) !== existing.postcode;
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
            updated_at: now.toISOString(),
          });
          result.workplaces.updated++;
        }
      } else {
        wInserts.push({
          union_id: unionId,
          employer_id: employer.id,
          site_code: r.code.toUpperCase(),
          name,
          address: r.address,
          postcode: r.postcode,
          opened_on: r.openedOn,
          closed_on: r.closedOn,
          organisation_type: r.organisationType,
          register_source: parsed.source,
        });
        existingWorkplaces.set(r.code.toUpperCase(), {
          id: -1,
          site_code: r.code,
          name,
          closed_on: r.closedOn,
          opened_on: r.openedOn,
          employer_id: employer.id,
          postcode: r.postcode,
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
    for (let i = 0; i < wInserts.length; i += 5000)
      await insertRowsAsJson(tx, "workplaces", wInserts.slice(i, i + 5000), null);
    await updateInChunks(tx, "workplaces", wUpdates);

    result.aliasesAdded = await insertAliases(tx, unionId, aliases, byCode);
    result.problemsTotal = problems.length;
    result.problems = problems.slice(0, 100);
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
        problems: problems.length,
      },
    });
    return result;
  });
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
  aliases: { employer: string; workplace: string | null; alias: string; kind: string; source: string }[],
  byCode: Map<string, ExistingEmployer>,
): Promise<number> {
  if (!aliases.length) return 0;
  const sites = new Map(
    (
      await db
        .selectFrom("workplaces")
        .select(["id", "site_code", "employer_id"])
        .where("union_id", "=", unionId)
        .where("site_code", "is not", null)
        .execute()
    ).map((w) => [w.site_code!.toUpperCase(), w]),
  );
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
