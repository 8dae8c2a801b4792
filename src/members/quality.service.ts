import { z } from "zod";
import { type ExportTrail, startExport } from "../audit/index.js";
import { authorize } from "../auth/index.js";
import type { Ctx } from "../context.js";
import { ukDate } from "../shared/clock.js";
import { csvText } from "../shared/csv.js";
import { AppError } from "../shared/errors.js";
import { RECENT_DAYS } from "./members.model.js";
import { qualityCounts } from "./quality.store.js";

/**
 * Completeness and quality of the register, per employer, region or sector:
 * the figures a disputes officer checks before any notice of ballot goes out,
 * because each one is a way a notice has been successfully challenged
 * (members at closed workplaces, more members than staff, stale grades,
 * leavers left in, unknown workplaces).
 */
export const QualityDimension = z.enum(["employer", "region", "sector"]);
export type QualityDimension = z.infer<typeof QualityDimension>;

export const QualityRowDto = z.object({
  id: z.number().int().nullable(),
  name: z.string(),
  members: z.number().int(),
  active: z.number().int(),
  matched: z.number().int(),
  inReview: z.number().int(),
  unmatched: z.number().int(),
  noHomeAddress: z.number().int(),
  atClosedWorkplaces: z.number().int(),
  workplacesOverHeadcount: z.number().int(),
  changedRecently: z.number().int(),
  lapsed: z.number().int(),
  inArrears: z.number().int(),
  duplicatesPending: z.number().int(),
  /** Active members whose email bounced for good, or whose mobile is not a number (decisions/0028). */
  emailUndeliverable: z.number().int(),
  mobileUndeliverable: z.number().int(),
});
export type QualityRowDto = z.infer<typeof QualityRowDto>;

export const QualityReportDto = z.object({
  by: QualityDimension,
  asAt: z.string(),
  recentDays: z.number().int(),
  /** This page of rows, largest first (every row when no page was asked for). */
  rows: z.array(QualityRowDto),
  /** Over every row, not only this page. */
  totals: QualityRowDto,
  page: z.number().int(),
  pageSize: z.number().int(),
  /** How many rows (employers, regions or sectors) in all. */
  total: z.number().int(),
});
export type QualityReportDto = z.infer<typeof QualityReportDto>;

export const QualityQuery = z.object({
  by: QualityDimension.default("employer"),
  /** Without a page, every row (the CSV and the command line want them all). */
  page: z.coerce.number().int().min(1).max(100_000).optional(),
  pageSize: z.coerce.number().int().min(1).max(200).default(25),
});
export type QualityQuery = z.infer<typeof QualityQuery>;

export async function qualityReport(
  ctx: Ctx,
  by: QualityDimension,
  paging: { page?: number | undefined; pageSize: number } = { pageSize: 25 },
): Promise<QualityReportDto> {
  const grant = authorize(ctx.actor, "members.summary");
  if (grant.view === "aggregate" && by === "employer") {
    throw new AppError("auth.forbidden", "Your role sees figures by region and sector only.");
  }
  const today = ukDate(ctx.clock.now());
  const { rows, over } = await qualityCounts(ctx.db, grant, by, today);
  const overBy = new Map<number | null, number>();
  for (const o of over) overBy.set(o.id, (overBy.get(o.id) ?? 0) + 1);

  const out: QualityRowDto[] = rows.map((r) => ({
    id: r.id,
    name: r.name ?? "Not recorded",
    members: Number(r.members),
    active: Number(r.active),
    matched: Number(r.matched),
    inReview: Number(r.in_review),
    unmatched: Number(r.unmatched),
    noHomeAddress: Number(r.no_address),
    atClosedWorkplaces: Number(r.at_closed),
    workplacesOverHeadcount: overBy.get(r.id) ?? 0,
    changedRecently: Number(r.changed_recently),
    lapsed: Number(r.lapsed),
    inArrears: Number(r.in_arrears),
    duplicatesPending: Number(r.duplicates_pending),
    emailUndeliverable: Number(r.email_undeliverable),
    mobileUndeliverable: Number(r.mobile_undeliverable),
  }));
  const totals = out.reduce<QualityRowDto>(
    (t, r) => {
      for (const k of Object.keys(t) as (keyof QualityRowDto)[])
        if (typeof t[k] === "number" && k !== "id") (t[k] as number) += r[k] as number;
      return t;
    },
    {
      id: null,
      name: "All",
      members: 0,
      active: 0,
      matched: 0,
      inReview: 0,
      unmatched: 0,
      noHomeAddress: 0,
      atClosedWorkplaces: 0,
      workplacesOverHeadcount: 0,
      changedRecently: 0,
      lapsed: 0,
      inArrears: 0,
      duplicatesPending: 0,
      emailUndeliverable: 0,
      mobileUndeliverable: 0,
    },
  );
  const page = paging.page ?? 1;
  const pageSize = paging.page === undefined ? Math.max(out.length, 1) : paging.pageSize;
  return {
    by,
    asAt: today,
    recentDays: RECENT_DAYS,
    rows: out.slice((page - 1) * pageSize, page * pageSize),
    totals,
    page,
    pageSize,
    total: out.length,
  };
}

/** The columns of the quality CSV, in the words of the quality screen. */
const QUALITY_CSV_COLUMNS: readonly { key: Exclude<keyof QualityRowDto, "id" | "name">; label: string }[] = [
  { key: "members", label: "Members" },
  { key: "active", label: "Active" },
  { key: "matched", label: "Matched" },
  { key: "inReview", label: "In review" },
  { key: "unmatched", label: "Unmatched" },
  { key: "noHomeAddress", label: "No home address" },
  { key: "atClosedWorkplaces", label: "At closed workplaces" },
  { key: "workplacesOverHeadcount", label: "Workplaces over headcount" },
  { key: "changedRecently", label: "Changed recently" },
  { key: "lapsed", label: "Lapsed" },
  { key: "inArrears", label: "In arrears" },
  { key: "duplicatesPending", label: "Duplicates pending" },
  { key: "emailUndeliverable", label: "Email undeliverable" },
  { key: "mobileUndeliverable", label: "Mobile not a number" },
];

const DIMENSION_LABEL: Record<QualityDimension, string> = {
  employer: "Employer",
  region: "Region",
  sector: "Sector",
};

/**
 * The quality report as a CSV file (names of employers, regions or sectors
 * and counts), with a total line. Cells that look like formulas are
 * neutralised. The export is audited as it starts; the caller ends the trail
 * once the file has been handed over.
 */
export async function qualityReportCsv(
  ctx: Ctx,
  by: QualityDimension,
): Promise<{ filename: string; csv: string; trail: ExportTrail }> {
  const report = await qualityReport(ctx, by);
  const line = (r: QualityRowDto) => [r.name, ...QUALITY_CSV_COLUMNS.map((c) => r[c.key])];
  const csv = csvText([
    [DIMENSION_LABEL[by], ...QUALITY_CSV_COLUMNS.map((c) => c.label)],
    ...report.rows.map(line),
    line({ ...report.totals, name: "Total" }),
  ]);
  const trail = await startExport(ctx, "register_quality_csv", {
    subjectType: "union",
    subjectId: ctx.actor.unionId,
    details: { by, rows: report.rows.length, asAt: report.asAt },
  });
  return { filename: `register-quality-by-${by}-${report.asAt}.csv`, csv, trail };
}
