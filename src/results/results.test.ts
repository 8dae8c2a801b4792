import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import ExcelJS from "exceljs";
import { AppError } from "../shared/errors.js";
import { classify, headingJurisdiction, questionKind } from "./layout.js";
import { evaluateReport } from "./report.js";
import { matchConstituencies } from "./results.service.js";
import type { ConstituencyVerdict, ResultsReport } from "./verdicts.js";

const FIXTURES = path.resolve(import.meta.dirname, "../../test/fixtures/results");
const OPENING = "2026-10-01"; // regime C: 50% turnout; 40% Yes in important public services
const options = { openingDate: OPENING, importantPublicServices: false };

async function evaluateFixture(name: string, over: Partial<typeof options> = {}) {
  return evaluateReport(fs.readFileSync(path.join(FIXTURES, name)), name, { ...options, ...over });
}

function find(report: ResultsReport, question: RegExp, name: string): ConstituencyVerdict {
  const q = report.questions.find((x) => question.test(x.question));
  assert.ok(q, `no question matching ${question}: ${report.questions.map((x) => x.question).join(" | ")}`);
  const c = q.constituencies.find((x) => x.name === name);
  assert.ok(c, `no constituency ${name} in ${q.question}: ${q.constituencies.map((x) => x.name).join(", ")}`);
  return c;
}

const refused = (code: string, message?: RegExp) => (e: unknown) =>
  e instanceof AppError && e.code === code && (!message || message.test(e.message));

async function xlsx(build: (wb: ExcelJS.Workbook) => void): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  build(wb);
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

describe("scrutineers' reports as published", () => {
  test("one wide table with a column group per question: title rows, percentages, totals, repeated header, notes", async () => {
    const { report } = await evaluateFixture("wide-groups.csv");
    assert.deepEqual(
      report.questions.map((q) => [q.question, q.constituencies.map((c) => c.name)]),
      [
        [
          "Strike",
          [
            "University of Northtown",
            "Southtown College",
            "Easttown University",
            "Queen's University Belfast (NI)",
          ],
        ],
        [
          "ASOS",
          [
            "University of Northtown",
            "Southtown College",
            "Easttown University",
            "Queen's University Belfast (NI)",
          ],
        ],
      ],
    );
    // Exactly half of 1,200 turn out: met (at least 50%).
    assert.deepEqual(find(report, /Strike/, "University of Northtown"), {
      name: "University of Northtown",
      jurisdiction: "gb",
      entitled: 1200,
      votes_cast: 600,
      yes: 400,
      no: 195,
      mandate: true,
      votes_short: { turnout: 0, majority: 0 },
    });
    // One vote short of the turnout: 600 of 1,201 (needs 601); the 49.96% column is not used.
    const south = find(report, /Strike/, "Southtown College");
    assert.equal(south.mandate, false);
    assert.deepEqual(south.votes_short, { turnout: 1, majority: 0 });
    // Numbers with spaces; a majority two Yes votes short on strike, met on ASOS.
    assert.deepEqual(find(report, /Strike/, "Easttown University").votes_short, { turnout: 0, majority: 2 });
    assert.equal(find(report, /ASOS/, "Easttown University").mandate, true);
    // Named as Northern Irish: no turnout test under the Order, 25% turnout gives a mandate.
    const belfast = find(report, /Strike/, "Queen's University Belfast (NI)");
    assert.equal(belfast.jurisdiction, "ni");
    assert.equal(belfast.mandate, true);
    assert.deepEqual(belfast.votes_short, { majority: 0 });
  });

  test("the JSON shape: questions, each with its constituencies and exactly the specified fields", async () => {
    const { report } = await evaluateFixture("wide-groups.csv");
    assert.deepEqual(Object.keys(report), ["questions"]);
    for (const q of report.questions) {
      assert.deepEqual(Object.keys(q), ["question", "constituencies"]);
      for (const c of q.constituencies)
        assert.deepEqual(Object.keys(c), [
          "name",
          "jurisdiction",
          "entitled",
          "votes_cast",
          "yes",
          "no",
          "mandate",
          "votes_short",
        ]);
    }
    assert.doesNotThrow(() => JSON.parse(JSON.stringify(report)));
  });

  test("sections by law: 'not requiring a 50% turnout' is Northern Ireland, one vote short of a majority there", async () => {
    const { report } = await evaluateFixture("sections-by-law.csv");
    assert.equal(report.questions.length, 1);
    const names = report.questions[0]!.constituencies.map((c) => [c.name, c.jurisdiction]);
    assert.deepEqual(names, [
      ["Northtown Trust", "gb"],
      ["Southtown Trust", "gb"],
      ["Belfast Health and Social Care Trust", "ni"],
      ["Western HSC Trust", "ni"],
    ]);
    // 50 of 101: one vote short of the turnout.
    assert.deepEqual(find(report, /strike/, "Northtown Trust").votes_short, { turnout: 1, majority: 0 });
    // 10% turnout in Northern Ireland is a mandate; 20 Yes to 20 No is one vote short.
    assert.equal(find(report, /strike/, "Belfast Health and Social Care Trust").mandate, true);
    const western = find(report, /strike/, "Western HSC Trust");
    assert.equal(western.mandate, false);
    assert.deepEqual(western.votes_short, { majority: 1 });
  });

  test("the 40% test where the union says the constituencies are important public services", async () => {
    // Regime B (the Trade Union Act 2016): the 40% rule was repealed for ballots opening from 18 February 2026.
    const { report } = await evaluateFixture("sections-by-law.csv", {
      importantPublicServices: true,
      openingDate: "2025-06-02",
    });
    // 40 Yes of 101 entitled: 41 needed (40%); Southtown 30 of 100: 10 short. Not in Northern Ireland.
    assert.deepEqual(find(report, /strike/, "Northtown Trust").votes_short, {
      turnout: 1,
      majority: 0,
      important_public_services_40: 1,
    });
    assert.equal(find(report, /strike/, "Southtown Trust").mandate, false);
    assert.equal(find(report, /strike/, "Southtown Trust").votes_short.important_public_services_40, 10);
    assert.deepEqual(find(report, /strike/, "Western HSC Trust").votes_short, { majority: 1 });
  });

  test("the scrutineer's statutory wording, one figure a row, a question per section", async () => {
    const { report } = await evaluateFixture("scrutineer-statutory.csv");
    assert.deepEqual(
      report.questions.map((q) => q.question),
      [
        "Question 1: Are you prepared to take part in strike action?",
        "Question 2: Are you prepared to take part in action short of a strike?",
      ],
    );
    const strike = find(report, /strike action/, "Northtown NHS Foundation Trust");
    assert.deepEqual(
      [strike.entitled, strike.votes_cast, strike.yes, strike.no, strike.mandate],
      [2000, 1000, 799, 196, true],
    );
    assert.equal(find(report, /short of/, "Northtown NHS Foundation Trust").yes, 790);
  });

  test("the statutory wording with a column per constituency", async () => {
    const { report } = await evaluateFixture("columns-per-constituency.csv");
    assert.deepEqual(find(report, /strike/, "Northtown Trust").votes_short, { turnout: 0, majority: 0 });
    const south = find(report, /strike/, "Southtown Trust");
    assert.deepEqual([south.entitled, south.votes_cast, south.mandate], [200, 99, false]);
    assert.deepEqual(south.votes_short, { turnout: 1, majority: 0 });
  });

  test("a group row above the header names each question; an 'All schools' row is a total", async () => {
    const { report } = await evaluateFixture("group-row-header.csv");
    assert.deepEqual(
      report.questions.map((q) => [q.question, q.constituencies.map((c) => c.name)]),
      [
        ["Strike action", ["St Mary's Primary", "Hill Academy"]],
        ["Action short of strike", ["St Mary's Primary", "Hill Academy"]],
      ],
    );
    assert.deepEqual(find(report, /short/, "Hill Academy").votes_short, { turnout: 1, majority: 1 });
  });

  test("semicolons, '1 000', percentage columns headed '%' beside the counts", async () => {
    const { report } = await evaluateFixture("percent-pairs.csv");
    const north = find(report, /./, "North Branch");
    assert.deepEqual([north.entitled, north.yes, north.no, north.mandate], [1000, 251, 249, true]);
    assert.deepEqual(find(report, /./, "South Branch").votes_short, { turnout: 0, majority: 2 });
  });

  test("a question per row, the constituency named by a heading", async () => {
    const { report } = await evaluateFixture("question-rows.csv");
    assert.deepEqual(
      report.questions.map((q) => [q.question, q.constituencies.map((c) => c.name)]),
      [
        ["Strike", ["Northtown Council"]],
        ["Action short of strike", ["Northtown Council"]],
      ],
    );
  });

  test("a turnout table and a Yes/No table joined by constituency", async () => {
    const { report } = await evaluateFixture("turnout-then-answers.csv");
    const south = find(report, /strike/, "Southtown");
    assert.deepEqual([south.entitled, south.votes_cast, south.yes, south.no], [300, 149, 100, 49]);
    assert.deepEqual(south.votes_short, { turnout: 1, majority: 0 });
  });

  test(".xlsx: a sheet per question, a merged title, numbers stored as text, percentage cells, a Northern Ireland sheet", async () => {
    const bytes = await xlsx((wb) => {
      const cover = wb.addWorksheet("Summary");
      cover.addRow(["Royal College of Nursing"]);
      cover.addRow(["Statutory ballot 2026: results by employer"]);
      const strike = wb.addWorksheet("Q1 Strike");
      strike.addRow(["Question 1: Are you prepared to take part in strike action?"]);
      strike.mergeCells("A1:F1");
      strike.addRow([]);
      const header = ["Employer", "Number entitled to vote", "Number of votes cast", "Turnout", "Yes", "No"];
      strike.addRow(header);
      strike.addRow(["Northtown Trust", "1,234", 617, 0.5, "400", "217"]);
      strike.addRow(header);
      strike.addRow(["Southtown Trust", 1000, "499", 0.499, 300, 199]);
      strike.addRow(["Grand total", 2234, 1116, 0.4996, 700, 416]);
      strike.addRow(["Source: the scrutineer's report of 30 October 2026."]);
      strike.getColumn(4).numFmt = "0.0%";
      const ni = wb.addWorksheet("Northern Ireland");
      ni.addRow(["Constituencies in Northern Ireland (no turnout threshold)"]);
      ni.addRow(header);
      ni.addRow(["Belfast Trust", 1000, 100, 0.1, 50, 50]);
      ni.addRow(["Western Trust", 1000, 10, 0.01, 6, 4]);
      ni.getColumn(4).numFmt = "0%";
    });
    const { report } = await evaluateReport(bytes, "results.xlsx", options);
    assert.equal(report.questions.length, 1, JSON.stringify(report.questions.map((q) => q.question)));
    const q = report.questions[0]!;
    assert.equal(q.question, "Question 1: Are you prepared to take part in strike action?");
    assert.deepEqual(
      q.constituencies.map((c) => [c.name, c.jurisdiction, c.entitled, c.votes_cast, c.mandate]),
      [
        ["Northtown Trust", "gb", 1234, 617, true],
        ["Southtown Trust", "gb", 1000, 499, false],
        ["Belfast Trust", "ni", 1000, 100, false],
        ["Western Trust", "ni", 1000, 10, true],
      ],
    );
    assert.deepEqual(q.constituencies[1]!.votes_short, { turnout: 1, majority: 0 });
    assert.deepEqual(q.constituencies[2]!.votes_short, { majority: 1 });
  });

  test("a group row 'Q1 Strike action' over Yes/No/Spoilt, a Result column, an 'Aggregated total'", async () => {
    const csv = [
      "UCU ballot results,,,,,,,,,,",
      ",,,Q1 Strike action,,,,Q2 Action short of strike,,,",
      "Institution,Eligible to vote,Votes cast,Turnout,Yes,No,Spoilt,Yes,No,Spoilt,Result",
      'Aberdeen,"1,050",525,50.0%,420,100,5,480,40,5,Mandate',
      "Northern Ireland - Ulster University,800,300,37.5%,200,100,0,250,50,0,Mandate",
      'Aggregated total,"1,850",825,,620,200,5,730,90,5,',
    ].join("\n");
    const { report } = await evaluateReport(Buffer.from(csv), "ucu.csv", options);
    assert.deepEqual(
      report.questions.map((q) => [
        q.question,
        q.constituencies.map((c) => [c.name, c.jurisdiction, c.yes, c.no, c.mandate]),
      ]),
      [
        [
          "Q1 Strike action",
          [
            ["Aberdeen", "gb", 420, 100, true],
            ["Northern Ireland - Ulster University", "ni", 200, 100, true],
          ],
        ],
        [
          "Q2 Action short of strike",
          [
            ["Aberdeen", "gb", 480, 40, true],
            ["Northern Ireland - Ulster University", "ni", 250, 50, true],
          ],
        ],
      ],
    );
  });

  test("constituency after constituency in the statutory wording, 'label: value' in one cell", async () => {
    const csv = [
      "REPORT OF THE INDEPENDENT SCRUTINEER",
      "Ballot: Leeds Trust",
      "Question: Are you prepared to take part in strike action?",
      "Number of individuals who were entitled to vote in the ballot: 100",
      "Number of votes cast in the ballot: 50",
      "Number of individuals answering YES: 30",
      "Number of individuals answering NO: 19",
      "Ballot: Camden",
      "Number of individuals who were entitled to vote in the ballot: 100",
      "Number of votes cast in the ballot: 49",
      "Number of individuals answering YES: 30",
      "Number of individuals answering NO: 19",
    ].join("\n");
    const { report } = await evaluateReport(Buffer.from(csv), "blocks.csv", options);
    const q = report.questions[0]!;
    assert.deepEqual(
      q.constituencies.map((c) => [c.name, c.votes_cast, c.mandate, c.votes_short.turnout]),
      [
        ["Leeds Trust", 50, true, 0],
        ["Camden", 49, false, 1],
      ],
    );
  });

  test("a 'Turnout' column is a count only where it cannot be a percentage", async () => {
    const csv = "Employer,Eligible,Turnout,Yes,No\nB,300,56,30,26\nC,300,156,100,56\n";
    const { report } = await evaluateReport(Buffer.from(csv), "t.csv", options);
    const [b, c] = report.questions[0]!.constituencies;
    assert.deepEqual([b!.votes_cast, b!.mandate, b!.votes_short.turnout], [null, null, null]);
    assert.deepEqual([c!.votes_cast, c!.mandate], [156, true]);
  });

  test(".xlsx: a sheet per constituency in the statutory wording, one of them in Northern Ireland", async () => {
    const bytes = await xlsx((wb) => {
      for (const [sheet, entitled, cast, yes, no] of [
        ["Leeds Trust", 100, 49, 40, 9],
        ["Belfast Trust (NI)", 100, 20, 11, 9],
      ] as const) {
        const ws = wb.addWorksheet(sheet);
        ws.addRow(["Report of the scrutineer"]);
        ws.addRow(["Question 1: Are you prepared to take part in strike action?"]);
        ws.addRow(["Number of individuals who were entitled to vote in the ballot", entitled]);
        ws.addRow(["Number of votes cast in the ballot", String(cast)]);
        ws.addRow(["Number of individuals answering Yes to the question", yes]);
        ws.addRow(["Number of individuals answering No to the question", no]);
        ws.addRow(["Percentage turnout", cast / entitled]);
      }
    });
    const { report } = await evaluateReport(bytes, "report.xlsx", options);
    assert.deepEqual(
      report.questions[0]!.constituencies.map((c) => [c.name, c.jurisdiction, c.mandate, c.votes_short]),
      [
        ["Leeds Trust", "gb", false, { turnout: 1, majority: 0 }],
        ["Belfast Trust (NI)", "ni", true, { majority: 0 }],
      ],
    );
  });

  test("an unlabelled name column, a 'Northern Ireland' section row inside the table", async () => {
    const csv =
      ",,,,,\n,Results,,,,\n,,Entitled,Votes cast,Yes,No\n,Leeds,100,60,40,20\n,Northern Ireland,,,,\n,Belfast,100,20,11,9\n";
    const { report } = await evaluateReport(Buffer.from(csv), "t.csv", options);
    assert.deepEqual(
      report.questions[0]!.constituencies.map((c) => [c.name, c.jurisdiction, c.mandate]),
      [
        ["Leeds", "gb", true],
        ["Belfast", "ni", true],
      ],
    );
  });

  test("a row per constituency and question, the name merged down over its questions", async () => {
    const csv = [
      "Employer,Question,Entitled,Votes cast,Yes,No",
      "Leeds Trust,Strike,100,60,40,20",
      ",ASOS,100,60,50,10",
      "Camden,Strike,100,40,30,10",
      ",ASOS,100,40,35,5",
    ].join("\n");
    const { report } = await evaluateReport(Buffer.from(csv), "t.csv", options);
    assert.deepEqual(
      report.questions.map((q) => [
        q.question,
        q.constituencies.map((c) => [c.name, c.yes, c.votes_short.turnout]),
      ]),
      [
        [
          "Strike",
          [
            ["Leeds Trust", 40, 0],
            ["Camden", 30, 10],
          ],
        ],
        [
          "ASOS",
          [
            ["Leeds Trust", 50, 0],
            ["Camden", 35, 10],
          ],
        ],
      ],
    );
  });

  test(".xlsx: a merged group row over each question's columns, percentage cells, a repeated header", async () => {
    const bytes = await xlsx((wb) => {
      const ws = wb.addWorksheet("Sheet1");
      ws.addRow(["EIS ballot of teachers", null, null, null, null, null, null, null]);
      ws.addRow([]);
      ws.addRow([null, null, null, "Strike action", null, null, "Action short of strike", null]);
      ws.mergeCells("D3:F3");
      ws.mergeCells("G3:H3");
      const header = ["Local authority", "Members balloted", "Votes cast", "Yes", "No", "Yes %", "Yes", "No"];
      ws.addRow(header);
      ws.addRow(["Aberdeen City", 1000, 500, 300, 200, 0.6, 400, 100]);
      ws.addRow(header);
      ws.addRow(["Angus", 501, 250, 125, 125, 0.5, 200, 50]);
      ws.addRow(["Total", 1501, 750, 425, 325, 0.567, 600, 150]);
      ws.getColumn(6).numFmt = "0.0%";
    });
    const { report } = await evaluateReport(bytes, "eis.xlsx", options);
    assert.deepEqual(
      report.questions.map((q) => [
        q.question,
        q.constituencies.map((c) => [c.name, c.yes, c.no, c.mandate, c.votes_short]),
      ]),
      [
        [
          "Strike action",
          [
            ["Aberdeen City", 300, 200, true, { turnout: 0, majority: 0 }],
            ["Angus", 125, 125, false, { turnout: 1, majority: 1 }],
          ],
        ],
        [
          "Action short of strike",
          [
            ["Aberdeen City", 400, 100, true, { turnout: 0, majority: 0 }],
            ["Angus", 200, 50, false, { turnout: 1, majority: 0 }],
          ],
        ],
      ],
    );
  });

  test("counts given only as percentages are not invented; a verdict only where no rounding could change it", async () => {
    const csv = [
      "Employer,Eligible,Turnout %,Yes %,No %",
      "Northtown Trust,500,51%,80%,20%",
      "Southtown Trust,500,50%,80%,20%",
      "Westtown Trust,,43.4%,80.1%,19.9%",
      "Easttown Trust,500,0.62,0.5,0.5",
    ].join("\n");
    const { report, warnings } = await evaluateReport(Buffer.from(csv), "pct.csv", options);
    assert.deepEqual(
      report.questions[0]!.constituencies.map((c) => [
        c.name,
        c.entitled,
        c.votes_cast,
        c.yes,
        c.no,
        c.mandate,
        c.votes_short,
      ]),
      [
        // 51% of 500 is at least 50.5%: met, whatever the rounding.
        ["Northtown Trust", 500, null, null, null, true, { turnout: 0, majority: 0 }],
        // 50% may be 49.5%: unknown.
        ["Southtown Trust", 500, null, null, null, null, { turnout: null, majority: 0 }],
        // 43.4% is short, though by how many votes the report does not say.
        ["Westtown Trust", null, null, null, null, false, { turnout: null, majority: 0 }],
        // Fractions in percentage columns; Yes and No level at 50%: no majority is certain either way.
        ["Easttown Trust", 500, null, null, null, null, { turnout: 0, majority: null }],
      ],
    );
    assert.deepEqual(
      warnings.map((w) => [w.line, w.field]),
      [
        [3, "yes"],
        [5, "yes"],
      ],
    );
    assert.match(
      warnings[0]!.message,
      /Southtown Trust: the report leaves out a count the turnout test needs/,
    );
  });

  test("'Strike Yes as % of votes cast' is the strike question's percentage, not another question", async () => {
    const csv = [
      "Institution,Eligible members,Turnout (votes cast),Turnout %,Strike Yes,Strike Yes as % of votes cast,Strike No,ASOS Yes,ASOS No,Threshold met?",
      "Aberdeen,1000,500,50.0%,300,60%,190,400,90,Yes",
      "Belfast (NI),100,30,30%,20,67%,10,25,5,n/a",
    ].join("\n");
    const { report } = await evaluateReport(Buffer.from(csv), "ucu.csv", options);
    assert.deepEqual(
      report.questions.map((q) => [
        q.question,
        q.constituencies.map((c) => [c.name, c.votes_cast, c.yes, c.no, c.mandate]),
      ]),
      [
        [
          "Strike",
          [
            ["Aberdeen", 500, 300, 190, true],
            ["Belfast (NI)", 30, 20, 10, true],
          ],
        ],
        [
          "ASOS",
          [
            ["Aberdeen", 500, 400, 90, true],
            ["Belfast (NI)", 30, 25, 5, true],
          ],
        ],
      ],
    );
  });

  test("the question written in the header's corner, a table per question", async () => {
    const csv = [
      "Question 1: strike action,Entitled,Votes cast,Yes,No",
      "Leeds,100,60,40,20",
      "",
      "Question 2: action short of strike,Entitled,Votes cast,Yes,No",
      "Leeds,100,60,30,30",
    ].join("\n");
    const { report } = await evaluateReport(Buffer.from(csv), "corner.csv", options);
    assert.deepEqual(
      report.questions.map((q) => [
        q.question,
        q.constituencies.map((c) => [c.name, c.mandate, c.votes_short.majority]),
      ]),
      [
        ["Question 1: strike action", [["Leeds", true, 0]]],
        ["Question 2: action short of strike", [["Leeds", false, 1]]],
      ],
    );
  });

  test("Excel's Unicode text (UTF-16, tabs) and Windows-1252 (a £ in a title)", async () => {
    const text = "Ballot result\tfee £5\nEmployer\tEntitled\tVotes cast\tYes\tNo\nLeeds\t100\t60\t40\t20\n";
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]);
    const latin = Buffer.from(text.replaceAll("\t", ","), "latin1");
    for (const bytes of [utf16, latin]) {
      const { report } = await evaluateReport(bytes, "r.txt", options);
      assert.deepEqual(
        report.questions[0]!.constituencies.map((c) => [c.name, c.mandate]),
        [["Leeds", true]],
      );
    }
  });

  test("a report of turnouts alone: a turnout short of the threshold decides, nothing else does", async () => {
    const csv =
      "Royal College of Nursing: statutory ballot results by employer\nEmployer,Turnout\nNorthtown Trust,43.4%\nSouthtown Trust,61.2%\n";
    const { report } = await evaluateReport(Buffer.from(csv), "rcn.csv", options);
    assert.deepEqual(
      report.questions[0]!.constituencies.map((c) => [c.name, c.mandate, c.votes_short]),
      [
        ["Northtown Trust", false, { turnout: null, majority: null }],
        ["Southtown Trust", null, { turnout: 0, majority: null }],
      ],
    );
  });

  test("papers neither Yes, No nor spoilt (a question left blank) are said, not refused; more than returned is refused", async () => {
    const csv = "Employer,Entitled,Votes cast,Yes,No,Spoilt\nNorthtown,100,60,40,15,2\n";
    const { report, warnings } = await evaluateReport(Buffer.from(csv), "blank.csv", options);
    assert.equal(report.questions[0]!.constituencies[0]!.mandate, true);
    assert.match(warnings[0]!.message, /the other 3 papers are counted as neither Yes nor No/);
    await assert.rejects(
      evaluateReport(Buffer.from(csv.replace("40,15,2", "40,15,6")), "blank.csv", options),
      refused("results.file_invalid", /blank\.csv:2: spoilt: .*not the 60 votes cast/),
    );
  });

  test("a row repeated at a page break is dropped; the same name with other figures is listed twice, and said", async () => {
    const csv =
      "Employer,Entitled,Votes cast,Yes,No\nSt Mary's,100,60,40,20\nSt Mary's,100,60,40,20\nSt Mary's,100,61,40,21\n";
    const { report, warnings } = await evaluateReport(Buffer.from(csv), "dup.csv", options);
    assert.deepEqual(
      report.questions[0]!.constituencies.map((c) => c.votes_cast),
      [60, 61],
    );
    assert.deepEqual(
      warnings.map((w) => [w.line, w.code]),
      [[4, "constituency.repeated"]],
    );
  });

  test("No left out: a verdict only where it cannot change it", async () => {
    const csv = "Employer,Entitled,Votes cast,Yes\nSure,100,60,31\nUnsure,100,60,30\n";
    const { report } = await evaluateReport(Buffer.from(csv), "no-no.csv", options);
    const [sure, unsure] = report.questions[0]!.constituencies;
    assert.deepEqual([sure!.no, sure!.mandate, sure!.votes_short.majority], [null, true, 0]);
    assert.deepEqual([unsure!.mandate, unsure!.votes_short.majority], [null, null]);
  });

  test("bad files: refused with the file, sheet, line and field, never thrown raw", async () => {
    const bad = (text: string | Uint8Array, code: string, message: RegExp) =>
      assert.rejects(
        evaluateReport(typeof text === "string" ? Buffer.from(text) : text, "r.csv", options),
        refused(code, message),
      );
    await bad("", "results.file_invalid", /r\.csv:1: file: The file is empty/);
    await bad("Just a letter,\nDear colleague,\n", "results.file_invalid", /No results found/);
    await bad(
      "Employer,Entitled,Votes cast,Yes,No\nNorthtown,100,sixty,40,20\n",
      "results.file_invalid",
      /r\.csv:2: Votes cast: "sixty" is not a number/,
    );
    await bad(
      "Employer,Entitled,Votes cast,Yes,No\nNorthtown,100,120,40,20\n",
      "results.file_invalid",
      /r\.csv:2: votes_cast: Northtown: Votes cast \(120\) exceed/,
    );

    await bad(
      new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]),
      "results.file_invalid",
      /not a readable \.xlsx/,
    );
    await bad(new Uint8Array(6 * 1024 * 1024), "results.file_too_large", /larger than 5 MB/);
    await bad("%PDF-1.7\n...", "results.file_invalid", /A PDF: export/);
    await bad(new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1]), "results.file_invalid", /\.xls workbook/);
    await bad(new Uint8Array([0, 1, 2, 3, 0, 0]), "results.file_invalid", /neither a CSV file nor an \.xlsx/);
    const sheetProblem = await xlsx((wb) => {
      const ws = wb.addWorksheet("Strike");
      ws.addRow(["Employer", "Entitled", "Votes cast", "Yes", "No"]);
      ws.addRow(["Northtown", 100, 60, "forty", 20]);
    });
    await assert.rejects(
      evaluateReport(sheetProblem, "r.xlsx", options),
      refused("results.file_invalid", /r\.xlsx \[Strike\]:2: Yes: "forty" is not a number/),
    );
  });

  test("header words, headings and question words", () => {
    assert.equal(classify("Number of individuals who were entitled to vote")?.role, "entitled");
    assert.equal(classify("No. of votes cast")?.role, "votes_cast");
    assert.equal(classify("Number of spoilt or otherwise invalid voting papers returned")?.role, "spoilt");
    assert.deepEqual(classify("Strike No"), { role: "no", group: "Strike" });
    assert.deepEqual(classify("ASOS Yes %"), { role: "pct", group: "ASOS" });
    assert.equal(classify("Turnout %")?.role, "pct");
    assert.equal(headingJurisdiction("Constituencies not requiring a 50% turnout"), "ni");
    assert.equal(headingJurisdiction("Constituencies requiring a 50% turnout"), "gb");
    assert.equal(headingJurisdiction("NI"), "ni");
    assert.equal(headingJurisdiction("Constituencies not subject to the 50% turnout threshold"), "ni");
    assert.equal(headingJurisdiction("Constituencies subject to the 50% turnout threshold"), "gb");
    assert.equal(headingJurisdiction("Ballots in Northern Ireland (no turnout threshold applies)"), "ni");
    assert.equal(
      headingJurisdiction("Results for members in England, Wales, Scotland and Northern Ireland"),
      null,
    );
    assert.equal(
      questionKind("Are you prepared to take part in industrial action short of a strike?"),
      "action_short_of_strike",
    );
    assert.equal(questionKind("Question 1: Are you prepared to take part in strike action?"), "strike");
    assert.equal(questionKind("Strike action and action short of a strike"), null);
  });

  test("constituencies matched to ballots by name, never guessed", () => {
    const ballots = [
      { id: 1, name: "Leeds Teaching Hospitals NHS Trust" },
      { id: 2, name: "Camden Council" },
      { id: 3, name: "St Mary's School" },
      { id: 4, name: "St Marys School" },
    ];
    const m = matchConstituencies(
      [
        "LEEDS TEACHING HOSPITALS NHS TRUST",
        "The Camden Council",
        "Leeds Teaching Hospitals",
        "St Mary's School",
      ],
      ballots,
    );
    assert.deepEqual(m.matched, [
      {
        ballotId: 1,
        ballotName: "Leeds Teaching Hospitals NHS Trust",
        reportName: "LEEDS TEACHING HOSPITALS NHS TRUST",
      },
      { ballotId: 2, ballotName: "Camden Council", reportName: "The Camden Council" },
    ]);
    assert.deepEqual(m.unmatched, ["Leeds Teaching Hospitals"]);
    assert.deepEqual(m.ambiguous, [
      { reportName: "St Mary's School", ballots: ["St Mary's School", "St Marys School"] },
    ]);
  });
});
