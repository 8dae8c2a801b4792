import fs from "node:fs";
import { type Command, Option } from "commander";
import { jobHandlers } from "../../job-handlers.js";
import { enqueueJob } from "../../jobs/index.js";
import type { ColumnMapping } from "../../members/import/index.js";
import { MEMBER_IMPORT_JOB, type MemberImportPayload } from "../../members/member-import.job.js";
import {
  createMemberImport,
  getImportJob,
  importSummary,
  listImportProblems,
} from "../../members/member-import.service.js";
import { exportMembersCsv } from "../../members/members-export.service.js";
import { AppError } from "../../shared/errors.js";
import { formatProblem } from "../../shared/problems.js";
import { positiveInt } from "../args.js";
import { type Cli, uploadDirOf } from "../cli-context.js";
import { runJobWithProgress } from "../jobs.js";

/** `mandate members ...`: membership records. */
export function addMembersCommands(program: Command, cli: Cli): void {
  const members = program.command("members").description("membership records");
  members
    .command("import")
    .description("import a membership export (CSV or Excel) as a resumable job")
    .argument("[file]", "the CSV or .xlsx file")
    .option("--map <field=Header...>", 'map a field to a column header, e.g. --map membershipNumber="Mem No"')
    .addOption(new Option("--resume <job>", "resume a failed job").argParser(positiveInt("resume")))
    .option("--detach", "queue the import and print its job id: `mandate start` or `mandate worker` runs it")
    .action((file: string | undefined, opts: { map?: string[]; resume?: number; detach?: boolean }) =>
      cli.withContext(async (ctx, _open, out) => {
        let jobId = opts.resume;
        if (jobId === undefined) {
          if (!file) throw new AppError("cli.usage", "Give the file to import, or --resume JOB.");
          const mapping: Record<string, string> = {};
          for (const m of opts.map ?? []) {
            const eq = m.indexOf("=");
            if (eq < 1) throw new AppError("cli.usage", `--map takes field=Header, got "${m}".`);
            mapping[m.slice(0, eq)] = m.slice(eq + 1);
          }
          const job = await createMemberImport(ctx, { filePath: file, mapping: mapping as ColumnMapping });
          out.info(`Import job ${job.id}: ${job.fileName}`);
          jobId = job.id;
        }
        // The import runs as a job of the queue, as from the web app: this process runs it (or a
        // worker elsewhere takes it), and a run killed half-way resumes from its last batch.
        let queued: Awaited<ReturnType<typeof enqueueJob>>;
        try {
          queued = await enqueueJob(
            ctx,
            MEMBER_IMPORT_JOB,
            { importJobId: jobId, upload: null } satisfies MemberImportPayload,
            { dedupeKey: `import:${jobId}` },
          );
        } catch (e) {
          if (e instanceof AppError && e.code === "jobs.already_queued")
            throw new AppError("import.already_running", `Import job ${jobId} is queued or running already.`);
          throw e;
        }
        if (opts.detach) {
          out.result({ job: queued.id, importJob: jobId, state: queued.state }, () =>
            [
              `Queued as job ${queued.id} (import job ${jobId}).`,
              "`mandate start` or `mandate worker` runs it; follow it in the web app or with --resume.",
            ].join("\n"),
          );
          return;
        }
        await runJobWithProgress(
          ctx,
          out,
          queued.id,
          "Rows",
          jobHandlers({ uploadDir: uploadDirOf(cli.deps.config()) }),
        );
        const result = await getImportJob(ctx, jobId);
        const problems = await listImportProblems(ctx, jobId, 50);
        out.result(
          { ...result, duplicateGroups: result.duplicates, ...importSummary(result), problems },
          () =>
            [
              `Job ${result.id} ${result.status}: ${result.rowsRead} rows read; ${result.rowsInserted} new, ${result.rowsUpdated} updated, ${result.rowsUnchanged} unchanged, ${result.rowsRejected} rejected.`,
              result.matching
                ? `Employer matching: ${result.matching.auto} auto, ${result.matching.reviewed} reviewed, ${result.matching.review} to review, ${result.matching.unmatched} unmatched.`
                : "",
              Object.keys(result.fixes).length
                ? `Values fixed: ${Object.entries(result.fixes)
                    .map(([kind, n]) => `${kind} ${n}`)
                    .join(", ")}.`
                : "",
              result.duplicates
                ? `Duplicates: ${result.duplicates.linked} groups linked, ${result.duplicates.review} to review.`
                : "",
              problems.length
                ? `Problems (first ${problems.length}):\n${problems.map((p) => `${p.severity === "reject" ? "rejected" : "warning"} ${formatProblem(p)}`).join("\n")}`
                : "",
            ]
              .filter(Boolean)
              .join("\n"),
        );
      }),
    );
  members
    .command("export")
    .description("write members with their employer and workplace codes, match status and duplicate group")
    .addOption(new Option("--format <format>", "file format").choices(["csv"]).default("csv"))
    .requiredOption("--out <file>", "where to write")
    .action((opts: { out: string }) =>
      cli.withContext(async (ctx, _open, out) => {
        const stream = fs.createWriteStream(opts.out);
        const result = await exportMembersCsv(ctx, stream);
        out.result(
          { file: opts.out, rows: result.rows },
          () => `Wrote ${result.rows.toLocaleString("en-GB")} members to ${opts.out} (audited).`,
        );
      }),
    );
}
