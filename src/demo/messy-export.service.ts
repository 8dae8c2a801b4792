import fs from "node:fs";
import path from "node:path";
import { stringify } from "csv-stringify/sync";
import { authorize } from "../auth/index.js";
import type { Ctx } from "../context.js";
import { loadRegisterEntries } from "../members/index.js";
import { primaryEmployerCode } from "../org/index.js";
import { AppError } from "../shared/errors.js";
import { generateMessyExport, MESSY_HEADERS, TRUTH_HEADERS } from "./messy-export.js";

/**
 * Writes a generated messy export (members.csv) and its ground truth
 * (truth.csv) over the registers loaded in this union: the employers and
 * workplaces in the database are the truth of employers.
 */
export async function writeMessyExport(
  ctx: Ctx,
  options: { rows: number; seed: number; outDir: string },
): Promise<{ members: string; truth: string; rows: number }> {
  const grant = authorize(ctx.actor, "org.read");
  const entries = await loadRegisterEntries(ctx.db, grant.unionId);
  if (!entries.length)
    throw new AppError(
      "cli.usage",
      "No employers in this union: load a register first (mandate register import) or seed the demo.",
    );
  const [employers, workplaces] = await Promise.all([
    ctx.db
      .selectFrom("employers")
      .select([
        "id",
        "ods_code",
        "gss_code",
        "dfe_group_id",
        "dfe_urn",
        "la_code",
        "local_code",
        "companies_house_number",
      ])
      .where("union_id", "=", grant.unionId)
      .execute(),
    ctx.db
      .selectFrom("workplaces")
      .select(["id", "site_code"])
      .where("union_id", "=", grant.unionId)
      .execute(),
  ]);
  const employerCode = new Map(employers.map((e) => [e.id, primaryEmployerCode(e) ?? `E${e.id}`]));
  const workplaceCode = new Map(workplaces.map((w) => [w.id, w.site_code ?? `W${w.id}`]));
  const out = generateMessyExport({
    rows: options.rows,
    seed: options.seed,
    entries,
    employerCode,
    workplaceCode,
  });
  fs.mkdirSync(options.outDir, { recursive: true });
  const members = path.join(options.outDir, "members.csv");
  const truth = path.join(options.outDir, "truth.csv");
  fs.writeFileSync(members, stringify([[...MESSY_HEADERS], ...out.rows], { record_delimiter: "windows" }));
  fs.writeFileSync(truth, stringify([[...TRUTH_HEADERS], ...out.truth]));
  return { members, truth, rows: out.rows.length };
}
