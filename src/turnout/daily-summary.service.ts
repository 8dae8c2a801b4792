/**
 * The day's turnout summary as a PDF: the dashboard the reader may see (turnoutDashboard authorises and
 * scopes it), on the union's letterhead. Counts only, so it is not an export of personal data.
 */
import type { Ctx } from "../context.js";
import { unionLetterhead } from "../org/index.js";
import { dailySummaryFilename, renderDailySummary } from "./daily-summary.js";
import { turnoutDashboard } from "./dashboard.service.js";
import type { DashboardQuery } from "./readiness.model.js";

export async function turnoutSummaryPdf(
  ctx: Ctx,
  ballotId: number,
  query: DashboardQuery,
): Promise<{ filename: string; pdf: Buffer }> {
  const dashboard = await turnoutDashboard(ctx, ballotId, query);
  const union = await unionLetterhead(ctx.db, ctx.actor.unionId);
  const pdf = await renderDailySummary({
    union: { name: union.name, address: union.address, contact: union.contact },
    dashboard,
  });
  return { filename: dailySummaryFilename(dashboard), pdf };
}
