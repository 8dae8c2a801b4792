import type { Command } from "commander";
import { listDisputes } from "../../ballots/disputes.service.js";
import { type BallotDocumentsResult, queueBallotDocuments } from "../../ballots/documents.job.js";
import { listDocuments, writeDocumentsToFolder } from "../../ballots/documents.service.js";
import { electorateSummary } from "../../ballots/electorate.service.js";
import { queueFreeze } from "../../ballots/freeze.service.js";
import { preflight } from "../../ballots/preflight.service.js";
import { appointScrutineer } from "../../ballots/scrutineers.service.js";
import { jobHandlers } from "../../job-handlers.js";
import { AppError } from "../../shared/errors.js";
import { positiveInt } from "../args.js";
import { type Cli, uploadDirOf } from "../cli-context.js";
import { runJobWithProgress } from "../jobs.js";
import { table } from "../output.js";

/** `mandate ballots ...`: ballots and their documents. */
export function addBallotsCommands(program: Command, cli: Cli): void {
  const ballots = program.command("ballots").description("disputes, ballots and their documents");
  ballots
    .command("list")
    .description("disputes and their ballots")
    .action(() =>
      cli.withContext(async (ctx, _open, out) => {
        const disputes = await listDisputes(ctx);
        out.result(disputes, () =>
          table(
            disputes.flatMap((d) =>
              d.ballots.map((b) => ({
                dispute: d.title,
                ballot: b.id,
                name: b.name,
                state: b.state,
                opens: b.openingDate,
                closes: b.closingDate,
                entitled: b.entitled ?? "",
              })),
            ),
          ),
        );
      }),
    );
  ballots
    .command("freeze <ballot>")
    .description("freeze the ballot's electorate as at today, as a job, with a progress bar")
    .option("--detach", "queue the freeze and print its job id: `mandate start` or `mandate worker` runs it")
    .action((ballot: string, opts: { detach?: boolean }) =>
      cli.withContext(async (ctx, _open, out) => {
        const id = positiveInt("ballot")(ballot);
        const queued = await queueFreeze(ctx, id);
        if (opts.detach) {
          out.result(
            { job: queued.id, ballot: id, state: queued.state },
            () => `Queued as job ${queued.id}.`,
          );
          return;
        }
        await runJobWithProgress(
          ctx,
          out,
          queued.id,
          "Members",
          jobHandlers({ uploadDir: uploadDirOf(cli.deps.config()) }),
        );
        const summary = await electorateSummary(ctx, id);
        out.result(
          summary,
          () => `Frozen: ${summary.entitled} entitled, ${summary.excluded} not; fingerprint ${summary.hash}`,
        );
      }),
    );
  ballots
    .command("preflight <ballot>")
    .description("the pre-flight checks; exits 1 while they block the notices")
    .action((ballot: string) =>
      cli.withContext(async (ctx, _open, out) => {
        const result = await preflight(ctx, positiveInt("ballot")(ballot));
        out.result(result, () =>
          [
            result.blocking
              ? "BLOCKED: fix these before any notice goes out."
              : "Clear: notices can be generated.",
            ...result.checks
              .filter((c) => c.count > 0)
              .map(
                (c) =>
                  `  ${c.severity === "block" ? "BLOCK" : "warn "} ${c.title}: ${c.count}  [${c.citation}]`,
              ),
          ].join("\n"),
        );
        if (result.blocking) cli.exitCode = 1;
      }),
    );
  ballots
    .command("notices <ballot>")
    .description("generate the notices of ballot and the sample voting paper; write them to a folder")
    .option("--out <dir>", "folder to write the documents to")
    .option(
      "--detach",
      "queue the generation and print its job id: `mandate start` or `mandate worker` runs it",
    )
    .action((ballot: string, opts: { out?: string; detach?: boolean }) =>
      cli.withContext(async (ctx, _open, out) => {
        const ballotId = positiveInt("ballot")(ballot);
        if (!opts.out && !opts.detach) throw new AppError("cli.usage", "Give --out DIR (or --detach).");
        // A job of the queue, one document per step: a run killed half-way renders only the rest.
        const queued = await queueBallotDocuments(ctx, ballotId, "notices");
        if (opts.detach || !opts.out) {
          out.result({ job: queued.id, state: queued.state, documents: queued.total }, () =>
            [
              `Queued as job ${queued.id} (${queued.total} documents).`,
              "`mandate start` or `mandate worker` runs it; the documents are then on the ballot's Documents tab.",
            ].join("\n"),
          );
          return;
        }
        const ended = await runJobWithProgress(
          ctx,
          out,
          queued.id,
          "Documents",
          jobHandlers({ uploadDir: uploadDirOf(cli.deps.config()) }),
        );
        const docs = await listDocuments(ctx, ballotId, (ended.result as BallotDocumentsResult).ids);
        await writeDocumentsToFolder(ctx, docs, opts.out);
        out.result(
          { folder: opts.out, documents: docs },
          () =>
            `Wrote ${docs.length} documents to ${opts.out} (notices for ${docs.filter((d) => d.kind === "ballot_notice").length} employers).`,
        );
      }),
    );

  ballots
    .command("appoint-scrutineer <ballot> <user>")
    .description("appoint a scrutineer user to the ballot: the only ballots they see")
    .action((ballot: string, user: string) =>
      cli.withContext(async (ctx, _open, out) => {
        const list = await appointScrutineer(ctx, positiveInt("ballot")(ballot), positiveInt("user")(user));
        out.result(list, () =>
          table(list.map((u) => ({ user: u.userId, name: u.displayName, since: u.appointedAt }))),
        );
      }),
    );
}
