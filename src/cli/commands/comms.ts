import type { Command } from "commander";
import { commsOptionsOf, findByNames, getSend, queueSend, type SendResult } from "../../comms/index.js";
import { jobHandlers } from "../../job-handlers.js";
import { AppError } from "../../shared/errors.js";
import { type Cli, uploadDirOf } from "../cli-context.js";
import { runJobWithProgress } from "../jobs.js";

/** `mandate comms ...`: sends to members (decisions/0027). */
export function addCommsCommands(program: Command, cli: Cli): void {
  const comms = program.command("comms").description("messages to members: sends over the send ledger");
  comms
    .command("send")
    .description(
      "send an approved template to a segment, as a job with a progress bar (MANDATE_SMTP_URL for email, MANDATE_SMS_URL for SMS)",
    )
    .requiredOption("--segment <name>", "the segment (audience) by name")
    .requiredOption("--template <name>", "the template by name")
    .option("--channel <channel>", "email, sms or print (the template's own channel; given to check it)")
    .option("--detach", "queue the send and print its job id: `mandate start` or `mandate worker` runs it")
    .option(
      "--fallback <template...>",
      "templates (by name) for members a message cannot reach: SMS, then letter (decisions/0028)",
    )
    .action(
      (opts: {
        segment: string;
        template: string;
        channel?: string;
        detach?: boolean;
        fallback?: string[];
      }) =>
        cli.withContext(async (ctx, _open, out) => {
          const config = cli.deps.config();
          const found = await findByNames(ctx, { template: opts.template, segment: opts.segment });
          const wanted = opts.channel === "print" ? "letter" : opts.channel;
          if (wanted !== undefined && wanted !== found.template.channel) {
            throw new AppError(
              "cli.usage",
              `The template "${opts.template}" is for ${found.template.channel}, not ${opts.channel}.`,
            );
          }
          if (!opts.detach && found.template.channel === "email" && !config.smtpUrl) {
            throw new AppError(
              "comms.channel_unavailable",
              "No SMTP server is configured: set MANDATE_SMTP_URL (or queue with --detach for a worker that has one).",
            );
          }
          if (!opts.detach && found.template.channel === "sms" && !(config.smsUrl && config.smsFrom)) {
            throw new AppError(
              "comms.channel_unavailable",
              "No SMS provider is configured: set MANDATE_SMS_URL and MANDATE_SMS_FROM (or queue with --detach for a worker that has them).",
            );
          }
          const fallbackTemplateIds: number[] = [];
          for (const name of opts.fallback ?? []) {
            fallbackTemplateIds.push(
              (await findByNames(ctx, { template: name, segment: opts.segment })).template.id,
            );
          }
          const queued = await queueSend(ctx, {
            templateId: found.template.id,
            segmentId: found.segment.id,
            ...(fallbackTemplateIds.length ? { fallbackTemplateIds } : {}),
          });
          if (opts.detach) {
            out.result(
              { send: queued.id, job: queued.jobId },
              () => `Queued as send ${queued.id}, job ${queued.jobId}.`,
            );
            return;
          }
          const ended = await runJobWithProgress(
            ctx,
            out,
            queued.jobId!,
            "Messages",
            jobHandlers({ uploadDir: uploadDirOf(config), comms: commsOptionsOf(config) }),
          );
          const result = ended.result as SendResult;
          const send = await getSend(ctx, queued.id);
          out.result(
            {
              send: send.id,
              job: send.jobId,
              channel: send.channel,
              sent: send.messages.sent,
              failed: send.messages.failed,
              suppressed: send.messages.suppressed,
              pending: send.messages.pending,
              suppressedBy: Object.fromEntries(send.suppressed.map((s) => [s.reason, s.members])),
              inFlightResent: result.inFlightResent,
            },
            () =>
              [
                `Send ${send.id}: ${send.messages.sent} sent, ${send.messages.failed} failed, ${send.messages.suppressed} not sent (suppressed).`,
                ...send.suppressed.map((s) => `  ${s.reason}: ${s.members}`),
              ].join("\n"),
          );
        }),
    );
}
