import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { createTestCli, type TestCli } from "../../test/helpers/cli.js";
import { runResultsCli } from "./commands/results-evaluate.js";

const FIXTURES = path.resolve(import.meta.dirname, "../../test/fixtures/results");

describe("mandate results evaluate", () => {
  let cli: TestCli;
  before(async () => {
    cli = await createTestCli();
  });
  after(async () => {
    await cli.close();
  });

  test("--json: per question and constituency, the verdict and the votes short", async () => {
    const run = await cli.run(
      "results",
      "evaluate",
      path.join(FIXTURES, "sections-by-law.csv"),
      "--opening-date",
      "2026-10-01",
      "--json",
    );
    assert.equal(run.code, 0, run.stderr);
    const out = JSON.parse(run.stdout);
    assert.deepEqual(out, {
      questions: [
        {
          question: "Question 1: Are you prepared to take part in strike action?",
          constituencies: [
            {
              name: "Northtown Trust",
              jurisdiction: "gb",
              entitled: 101,
              votes_cast: 50,
              yes: 40,
              no: 10,
              mandate: false,
              votes_short: { turnout: 1, majority: 0 },
            },
            {
              name: "Southtown Trust",
              jurisdiction: "gb",
              entitled: 100,
              votes_cast: 50,
              yes: 30,
              no: 20,
              mandate: true,
              votes_short: { turnout: 0, majority: 0 },
            },
            {
              name: "Belfast Health and Social Care Trust",
              jurisdiction: "ni",
              entitled: 1000,
              votes_cast: 100,
              yes: 51,
              no: 49,
              mandate: true,
              votes_short: { majority: 0 },
            },
            {
              name: "Western HSC Trust",
              jurisdiction: "ni",
              entitled: 500,
              votes_cast: 40,
              yes: 20,
              no: 20,
              mandate: false,
              votes_short: { majority: 1 },
            },
          ],
        },
      ],
    });
  });

  test("as a table for people, with --important-public-services under the 2016 Act", async () => {
    const run = await cli.run(
      "results",
      "evaluate",
      path.join(FIXTURES, "sections-by-law.csv"),
      "--opening-date",
      "2025-06-02",
      "--important-public-services",
    );
    assert.equal(run.code, 0, run.stderr);
    assert.match(
      run.stdout,
      /Northtown Trust\s+GB\s+101\s+50\s+40\s+10\s+NO MANDATE\s+turnout 1, important_public_services_40 1/,
    );
    assert.match(run.stdout, /Western HSC Trust\s+NI Order\s+500\s+40\s+20\s+20\s+NO MANDATE\s+majority 1/);
  });

  test("bad files and command lines: a clear error and exit code, never a stack trace", async () => {
    const dir = fs.mkdtempSync(path.join(cli.dir, "bad-"));
    const letter = path.join(dir, "letter.csv");
    fs.writeFileSync(letter, "Dear colleague,\nthe ballot closes on Friday.\n");
    const opening = ["--opening-date", "2026-10-01"];
    const cases: [string[], number, RegExp][] = [
      [[letter, ...opening], 1, /letter\.csv:1: file: No results found.*\(results\.file_invalid\)/],
      [[path.join(dir, "missing.csv"), ...opening], 1, /missing\.csv: no such file/],
      [
        [path.join(FIXTURES, "wide-groups.csv"), "--opening-date", "2026-13-01"],
        2,
        /--opening-date must be a date/,
      ],
      [[path.join(FIXTURES, "wide-groups.csv")], 2, /required option '--opening-date/],
    ];
    for (const [args, code, message] of cases) {
      const run = await cli.run("results", "evaluate", ...args);
      assert.equal(run.code, code, `${args.join(" ")}: ${run.stderr}`);
      assert.match(run.stderr, message);
      assert.doesNotMatch(run.stderr, /\n\s+at /);
    }
    const json = await cli.run("results", "evaluate", letter, "--opening-date", "2026-10-01", "--json");
    assert.equal(json.code, 1);
    const error = JSON.parse(json.stdout).error;
    assert.equal(error.code, "results.file_invalid");
    assert.deepEqual(
      error.details.problems.map((p: { file: string; line: number; field: string }) => [
        p.file,
        p.line,
        p.field,
      ]),
      [["letter.csv", 1, "file"]],
    );
  });

  test("without the database (bin/mandate.js runs it alone): the same answer and exit codes", async () => {
    let stdout = "";
    let stderr = "";
    const io = {
      stdout: { write: (t: string) => (stdout += t) },
      stderr: { write: (t: string) => (stderr += t) },
    };
    const file = path.join(FIXTURES, "columns-per-constituency.csv");
    const code = await runResultsCli(
      ["node", "mandate", "results", "evaluate", file, "--opening-date", "2026-10-01", "--json"],
      io,
    );
    assert.equal(code, 0, stderr);
    const full = await cli.run("results", "evaluate", file, "--opening-date", "2026-10-01", "--json");
    assert.deepEqual(JSON.parse(stdout), JSON.parse(full.stdout));
    const usage = await runResultsCli(["node", "mandate", "results", "evaluate", file], io);
    assert.equal(usage, 2);
  });

  test("--help explains votes_short and Northern Ireland", async () => {
    const run = await cli.run("results", "evaluate", "--help");
    assert.equal(run.code, 0);
    assert.match(run.stdout, /votes_short/);
    assert.match(run.stdout, /not requiring a\s+50% turnout/);
  });
});
