#!/usr/bin/env node
// Runs the TypeScript sources directly through tsx, so a clone works after `npm install`.
import { register } from "tsx/esm/api";

register();
// `mandate law ...` needs no database: load only the law (fast enough to script over many ballots);
// `law commencements` reads and records the union's settings, so it goes through the full command line.
const words = process.argv.slice(2).filter((a, i, all) => !a.startsWith("--") && all[i - 1] !== "--union");
// `mandate results evaluate` reads a report file and needs no database either.
const { runCli } =
  words[0] === "law" && words[1] !== "commencements"
    ? { runCli: (await import("../src/cli/commands/law.ts")).runLawCli }
    : words[0] === "results" && words[1] === "evaluate"
      ? { runCli: (await import("../src/cli/commands/results-evaluate.ts")).runResultsCli }
      : await import("../src/cli/main.ts");
const code = await runCli(process.argv);
if (code !== 0) process.exitCode = code;
