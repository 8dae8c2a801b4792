import type { Writable } from "node:stream";
import { ExportAborted, failureReason, startExport } from "../audit/index.js";
import { authorize, type Grant } from "../auth/index.js";
import type { Ctx } from "../context.js";
import { primaryEmployerCode } from "../org/index.js";
import { csvLine } from "../shared/csv.js";
import { selectExportPage } from "./members-export.store.js";

/**
 * The correlation export: one row per member in the reader's scope with the
 * employer and workplace codes they were matched to, how (auto, reviewed,
 * review, unmatched) and how sure, and their duplicate group (members judged
 * to be one person share it). Written as a stream in pages by id, so a
 * 2-million-member export holds one page in memory. Audited when it starts
 * and when it ends (finished with its count, or failed with the count sent so
 * far), so an export cut off half-way is on record too.
 */
export const EXPORT_COLUMNS = [
  "membership_number",
  "surname",
  "forenames",
  "status",
  "employer_text",
  "workplace_text",
  "employer_code",
  "employer_name",
  "workplace_code",
  "workplace_name",
  "match_status",
  "match_confidence",
  "duplicate_group",
  "import_line",
] as const;

const PAGE = 10_000;

export async function exportMembersCsv(
  ctx: Ctx,
  out: Writable,
  options: {
    onlyImported?: boolean;
    /**
     * When `out` is not the last hop (an HTTP response behind it): settles once
     * the receiving end has everything, or rejects when it closes first.
     */
    delivered?: Promise<void>;
  } = {},
): Promise<{ rows: number }> {
  const grant = authorize(ctx.actor, "members.export");
  const trail = await startExport(ctx, "members_csv", {
    subjectType: "union",
    subjectId: grant.unionId,
    details: { scope: grant.rows.kind, columns: EXPORT_COLUMNS.length, onlyImported: !!options.onlyImported },
  });
  let rows = 0;
  try {
    await writeMembers(ctx, grant, out, options, (n) => {
      rows += n;
    });
    await options.delivered;
  } catch (e) {
    await trail.failed(failureReason(e), { rows });
    throw e;
  }
  await trail.finished({ rows });
  return { rows };
}

async function writeMembers(
  ctx: Ctx,
  grant: Grant,
  out: Writable,
  options: { onlyImported?: boolean },
  onPage: (rows: number) => void,
): Promise<void> {
  // Settles when the destination has taken everything, or rejects as soon as it fails or is
  // closed early (a download cancelled): every wait below races it, so nothing waits for ever.
  const done = new Promise<void>((resolve, reject) => {
    out.once("finish", resolve);
    out.once("error", reject);
    out.once("close", () => (out.writableFinished ? resolve() : reject(new ExportAborted())));
    // Closed before we got here (the browser left at once): no event will come.
    if (out.destroyed && !out.writableFinished) reject(new ExportAborted());
  });
  done.catch(() => undefined);
  const orStop = <T>(p: Promise<T>): Promise<T> => Promise.race([p, done.then(() => p)]);
  // Names and employers' text come from other people's files: the one CSV writer neutralises formulas.
  const write = async (cells: Parameters<typeof csvLine>[0]) => {
    if (!out.write(csvLine(cells))) await orStop(new Promise((r) => out.once("drain", r)));
  };
  await write(EXPORT_COLUMNS);
  let lastId = 0;
  for (;;) {
    const page = await orStop(
      selectExportPage(ctx.db, grant, { afterId: lastId, limit: PAGE, onlyImported: options.onlyImported }),
    );
    if (!page.length) break;
    for (const m of page) {
      const code = primaryEmployerCode(m) ?? "";
      // In the order of EXPORT_COLUMNS.
      await write([
        m.membership_number,
        m.surname,
        m.forenames,
        m.status,
        m.employer_text ?? "",
        m.workplace_text ?? "",
        code,
        m.employer_name ?? "",
        m.site_code ?? "",
        m.workplace_name ?? "",
        m.match_status ?? (m.employer_name ? "manual" : "unmatched"),
        m.match_confidence === null || m.match_confidence === undefined
          ? ""
          : Number(m.match_confidence).toFixed(3),
        // Only groups judged to be one person share a value; groups still in review do not.
        m.group_id !== null && m.group_status === "linked" ? `D${m.group_id}` : "",
        m.import_line ?? "",
      ]);
    }
    onPage(page.length);
    lastId = page[page.length - 1]!.id;
  }
  out.end();
  await done;
}
