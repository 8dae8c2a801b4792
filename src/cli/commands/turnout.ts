import fs from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import { AppError } from "../../shared/errors.js";
import {
  type AdviceDto,
  AdviseInput,
  adviseDisputeById,
  importReturns,
  importVotedFeed,
  MAX_VOTED_BYTES,
  type ReadinessDto,
  type TurnoutStatusDto,
  turnoutReadiness,
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

/** The JSON of `mandate turnout readiness`: snake_case keys, one entry per constituency, flagged first. */
export function readinessJson(r: ReadinessDto) {
  return {
    ballot: r.ballot.id,
    dispute: r.dispute,
    as_at: r.asAt,
    model: {
      base: r.model.base,
      digital: r.model.digital,
      rep: r.model.rep,
      contacted: r.model.contacted,
      pledged: r.model.pledged,
      marginal_points: r.model.marginalPoints,
    },
    constituencies: r.constituencies.map((c) => ({
      name: c.name,
      ballot_id: c.ballotId,
      opening_date: c.openingDate,
      frozen: c.frozen,
      members: c.members,
      postal_share: c.postalShare,
      digital_share: c.digitalShare,
      rep_share: c.repShare,
      contacted_share: c.contactedShare,
      pledged_share: c.pledgedShare,
      reps: c.reps,
      members_per_rep: c.membersPerRep,
      implied_turnout: c.impliedTurnout,
      implied_votes: c.impliedVotes,
      turnout_threshold: c.turnoutThreshold,
      margin: c.margin,
      flag: c.flag,
    })),
  };
}

/** The JSON of `mandate turnout advisor`: each option with its constituencies and legal tests. */
export function adviceJson(a: AdviceDto) {
  return {
    dispute: a.dispute,
    opening_date: a.openingDate,
    sources: a.sources,
    best: a.best,
    options: a.options.map((o) => ({
      option: o.option,
      available: o.available,
      unavailable_reason: o.unavailableReason,
      won: o.won,
      constituencies_count: o.constituencies.length,
      members_covered: o.membersCovered,
      entitled: o.entitled,
      legal_tests: o.legalTests,
      constituencies: o.constituencies.map((c) => ({
        name: c.name,
        units: c.units,
        entitled: c.entitled,
        votes: c.votes,
        yes: c.yes,
        turnout: c.turnout,
        yes_share: c.yesShare,
        votes_needed: c.votesNeeded,
        yes_needed_40: c.yesNeeded40,
        wins: c.wins,
        fails: c.fails,
        margin: c.margin,
      })),
    })),
  };
}

const FLAG_WORDS = {
  cannot_reach: "CANNOT REACH",
  marginal: "marginal",
  on_course: "on course",
  no_threshold: "no threshold",
  no_members: "no members",
} as const;
const OPTION_WORDS = {
  separate_workplaces: "a ballot per workplace",
  employer: "aggregated by employer",
  occupation: "aggregated by occupation",
  common_dispute: "all in one",
} as const;

/** A comma-separated list of ids, as a usage error when it is not one. */
function idList(name: string) {
  return (v: string) => {
    const ids = v.split(",").map((x) => x.trim());
    if (!ids.every((x) => /^\d{1,9}$/.test(x) && Number(x) > 0))
      throw new AppError("cli.usage", `--${name} must be ids separated by commas, got "${v}".`);
    return ids.map(Number);
  };
}

function percent(name: string) {
  return (v: string) => {
    const n = Number(v);
    if (v.trim() === "" || !Number.isFinite(n) || n < 0 || n > 100)
      throw new AppError("cli.usage", `--${name} must be a percentage from 0 to 100, got "${v}".`);
    return n;
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
    .command("readiness")
    .description(
      "before (and while) a ballot runs, each constituency of its dispute: members with a postal address, an email or mobile, an active rep, a contact in the last 30 days and a pledge; the turnout this implies, flagged where it cannot reach the threshold or is marginal",
    )
    .requiredOption("--ballot <id>", BALLOT_HELP, positiveInt("ballot"))
    .action((opts: { ballot: number }) =>
      cli.withContext(async (ctx, _open, out) => {
        const r = await turnoutReadiness(ctx, opts.ballot);
        out.result(readinessJson(r), () => {
          const rows = r.constituencies.map((c) => ({
            constituency: c.name,
            members: c.members,
            postal: `${c.postalShare}%`,
            "email/mobile": `${c.digitalShare}%`,
            rep: `${c.repShare}%`,
            "per rep": c.membersPerRep ?? "no rep",
            contacted: `${c.contactedShare}%`,
            pledged: `${c.pledgedShare}%`,
            implied: `${c.impliedTurnout}%`,
            threshold: c.turnoutThreshold === null ? "none" : `${c.turnoutThreshold}%`,
            margin: c.margin ?? "",
            flag: FLAG_WORDS[c.flag],
          }));
          return `${r.dispute.title}: readiness as at ${r.asAt}\n${table(rows)}`;
        });
      }),
    );
  turnout
    .command("advisor")
    .description(
      "for a dispute, separate workplace ballots (s.228) against ballots aggregated by employer, by occupation or all together (s.228A) on readiness's implied turnouts: which constituencies win a mandate, the members covered and the legal test each needs",
    )
    .requiredOption("--dispute <id>", "the dispute", positiveInt("dispute"))
    .option(
      "--yes-share <percent>",
      "the Yes share of votes cast expected (default 80)",
      percent("yes-share"),
    )
    .option(
      "--unaffected <ids>",
      "workplaces (ids, comma-separated) where no member is affected by the dispute: all in one ballot (s.228A(2)) is then not available",
      idList("unaffected"),
    )
    .action((opts: { dispute: number; yesShare?: number; unaffected?: number[] }) =>
      cli.withContext(async (ctx, _open, out) => {
        const input = AdviseInput.parse({
          ...(opts.yesShare === undefined ? {} : { yesShare: opts.yesShare }),
          unaffectedWorkplaceIds: opts.unaffected ?? [],
        });
        const a = await adviseDisputeById(ctx, opts.dispute, input);
        out.result(adviceJson(a), () => {
          const rows = a.options.map((o) => ({
            option: OPTION_WORDS[o.option],
            available: o.available ? "yes" : "no (below)",
            ballots: o.constituencies.length,
            "win a mandate": o.available ? o.won : "",
            "members covered": o.available ? o.membersCovered : "",
            entitled: o.entitled,
          }));
          const tests = a.options.flatMap((o) =>
            o.legalTests.map(
              (t) =>
                `  ${OPTION_WORDS[o.option]}: ${t.citation}${t.unconfirmed ? " (needs legal review)" : ""}: ${t.test}`,
            ),
          );
          const best = a.best
            ? `Covers most members with a mandate: ${OPTION_WORDS[a.best]}.`
            : "No option wins a mandate on these figures.";
          const unavailable = a.options
            .filter((o) => !o.available)
            .map((o) => `Not available, ${OPTION_WORDS[o.option]}: ${o.unavailableReason ?? ""}\n`)
            .join("");
          return `${a.dispute.title}: ballots opening ${a.openingDate}; units from readiness ${a.sources.readiness}, from indicative ballots ${a.sources.indicative}\n${table(rows)}\n${unavailable}${best}\nLegal tests:\n${tests.join("\n")}`;
        });
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
