import fs from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import { AppError } from "../../shared/errors.js";
import {
  importReturns,
  importVotedFeed,
  MAX_VOTED_BYTES,
  type TurnoutStatusDto,
  turnoutStatus,
} from "../../turnout/index.js";
import { positiveInt } from "../args.js";
import type { Cli } from "../cli-context.js";
import { table } from "../output.js";

/** The largest returns file read: the same as the API's body limit. */
const MAX_RETURNS_BYTES = 1024 * 1024;

const BALLOT_HELP =
  "a ballot of the dispute: the command covers every constituency of that ballot's dispute (the coordinated ballot)";

/** The JSON of `mandate turnout status`: snake_case keys, one entry per constituency, ranked. */
export function statusJson(s: TurnoutStatusDto) {
  return {
    ballot: s.ballot.id,
    dispute: s.dispute,
    as_at: s.asAt,
    constituencies: s.constituencies.map((c) => ({
      name: c.name,
      ballot_id: c.ballotId,
      entitled: c.entitled,
      returned: c.returned,
      turnout: c.turnout,
      votes_needed_50: c.votesNeeded50,
      yes_needed_40: c.yesNeeded40,
      days_left: c.daysLeft,
      required_daily_rate: c.requiredDailyRate,
      current_daily_rate: c.currentDailyRate,
      forecast: c.forecast,
      prior_source: c.priorSource,
      status: c.status,
      rank: c.rank,
    })),
    not_frozen: s.notFrozen.map((c) => ({ name: c.name, ballot_id: c.ballotId })),
  };
}

/** `mandate turnout`: the scrutineer's returns in, and each constituency's turnout and status out. */
export function addTurnoutCommands(program: Command, cli: Cli): void {
  const turnout = program
    .command("turnout")
    .description(
      "turnout while a ballot runs: --ballot ID covers every constituency of that ballot's dispute (the coordinated ballot)",
    );
  turnout
    .command("import-returns <file>")
    .description(
      "record the scrutineer's turnout returns (CSV: constituency, workplace or ballot_id; date; papers_returned); any problem refuses the whole file",
    )
    .requiredOption("--ballot <id>", BALLOT_HELP, positiveInt("ballot"))
    .action((file: string, opts: { ballot: number }) =>
      cli.withContext(async (ctx, _open, out) => {
        if (!fs.existsSync(file) || !fs.statSync(file).isFile())
          throw new AppError("cli.usage", `No such file: ${file}`);
        if (fs.statSync(file).size > MAX_RETURNS_BYTES)
          throw new AppError("cli.usage", `${file} is larger than ${MAX_RETURNS_BYTES} bytes.`);
        const result = await importReturns(ctx, opts.ballot, {
          fileName: path.basename(file),
          csv: fs.readFileSync(file, "utf8"),
        });
        out.result(
          result,
          () =>
            `Recorded ${result.rows} return${result.rows === 1 ? "" : "s"} for ${result.constituencies} constituenc${result.constituencies === 1 ? "y" : "ies"} of dispute ${result.disputeId}.`,
        );
      }),
    );
  turnout
    .command("import-voted <file>")
    .description(
      "record the scrutineer's per-member feed of papers returned (CSV: membership_number or paper_number; ballot_id or constituency where the dispute has several) as reports of having voted, never how; any problem refuses the whole file",
    )
    .requiredOption("--ballot <id>", BALLOT_HELP, positiveInt("ballot"))
    .action((file: string, opts: { ballot: number }) =>
      cli.withContext(async (ctx, _open, out) => {
        if (!fs.existsSync(file) || !fs.statSync(file).isFile())
          throw new AppError("cli.usage", `No such file: ${file}`);
        if (fs.statSync(file).size > MAX_VOTED_BYTES)
          throw new AppError("cli.usage", `${file} is larger than ${MAX_VOTED_BYTES} bytes.`);
        const result = await importVotedFeed(ctx, opts.ballot, {
          fileName: path.basename(file),
          csv: fs.readFileSync(file, "utf8"),
        });
        out.result(
          result,
          () =>
            `Recorded ${result.recorded} member${result.recorded === 1 ? "" : "s"} as having voted in ${result.constituencies} constituenc${result.constituencies === 1 ? "y" : "ies"} of dispute ${result.disputeId} (${result.members} named, ${result.alreadyReported} already reported).`,
        );
      }),
    );
  turnout
    .command("status")
    .description(
      "each constituency: entitled, returned, turnout, votes still needed for the turnout threshold, Yes votes needed for 40% (regime B, important public services), forecast and status (safe, on_track, at_risk, lost), ranked by how winnable",
    )
    .requiredOption("--ballot <id>", BALLOT_HELP, positiveInt("ballot"))
    .action((opts: { ballot: number }) =>
      cli.withContext(async (ctx, _open, out) => {
        const status = await turnoutStatus(ctx, opts.ballot);
        out.result(statusJson(status), () => {
          const rows = status.constituencies.map((c) => ({
            rank: c.rank,
            constituency: c.name,
            entitled: c.entitled,
            returned: c.returned,
            turnout: `${c.turnout}%`,
            "votes needed": c.votesNeeded50 ?? "no threshold",
            "yes needed (40%)": c.yesNeeded40 ?? "",
            "days left": c.daysLeft,
            "needed/day": c.requiredDailyRate ?? "",
            "now/day": c.currentDailyRate ?? "",
            forecast: c.forecast
              ? `${c.forecast.turnout}% (${c.forecast.low}-${c.forecast.high})`
              : "none yet",
            prior: c.priorSource ?? "",
            status: c.status,
          }));
          const head = `${status.dispute.title}: turnout as at ${status.asAt}`;
          const unfrozen = status.notFrozen.length
            ? `\nNot frozen yet (no turnout): ${status.notFrozen.map((c) => c.name).join(", ")}`
            : "";
          return `${head}\n${table(rows)}${unfrozen}`;
        });
      }),
    );
}
