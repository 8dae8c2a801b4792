import assert from "node:assert/strict";
import { test } from "node:test";
import { checkRunningTotals, parseReturns, type ReturnsTarget } from "./returns-csv.js";

const targets: ReturnsTarget[] = [
  {
    ballotId: 7,
    name: "Leeds Teaching Hospitals",
    aliases: [],
    openingDate: "2026-12-07",
    closingDate: "2027-01-04",
    entitled: 500,
  },
  {
    ballotId: 8,
    name: "Camden",
    aliases: ["Camden Town Hall"],
    openingDate: "2026-12-07",
    closingDate: "2027-01-04",
    entitled: 40,
  },
  {
    ballotId: 9,
    name: "Bradford",
    aliases: [],
    openingDate: "2026-12-07",
    closingDate: "2027-01-04",
    entitled: null,
  },
];
const TODAY = "2026-12-20";

test("constituencies by name (any case and punctuation), workplace or ballot id; UK dates; thousands separators", () => {
  const { rows, problems } = parseReturns(
    'Constituency,Date,Papers returned\nleeds teaching hospitals,2026-12-14,"1,0"\nCAMDEN TOWN HALL,14/12/2026,12\n',
    "returns.csv",
    targets,
    TODAY,
  );
  assert.deepEqual(problems, []);
  assert.deepEqual(rows, [
    { line: 2, ballotId: 7, date: "2026-12-14", papersReturned: 10 },
    { line: 3, ballotId: 8, date: "2026-12-14", papersReturned: 12 },
  ]);
  const byId = parseReturns("ballot_id,date,returned\n8,2026-12-15,13\n", "r.csv", targets, TODAY);
  assert.deepEqual(
    byId.rows.map((r) => r.ballotId),
    [8],
  );
});

test("every problem with its line and field: unmatched, bad date, future, outside the ballot, above entitled, repeated, not frozen", () => {
  const { problems } = parseReturns(
    [
      "constituency,date,papers_returned",
      "Nowhere,2026-12-14,1",
      "Camden,2026-13-01,1",
      "Camden,2026-12-25,1",
      "Camden,2026-11-01,1",
      "Camden,2026-12-14,41",
      "Leeds Teaching Hospitals,2026-12-14,x",
      "Leeds Teaching Hospitals,2026-12-15,5",
      "Leeds Teaching Hospitals,2026-12-15,6",
      "Bradford,2026-12-15,6",
    ].join("\n"),
    "returns.csv",
    targets,
    TODAY,
  );
  assert.deepEqual(
    problems.map((p) => [p.line, p.field, p.code]),
    [
      [2, "constituency", "constituency.unmatched"],
      [3, "date", "date.invalid"],
      [4, "date", "date.future"],
      [5, "date", "date.outside_ballot"],
      [6, "papers_returned", "number.above_entitled"],
      [7, "papers_returned", "number.invalid"],
      [9, "date", "return.repeated"],
      [10, "constituency", "ballot.not_frozen"],
    ],
  );
  assert.ok(problems.every((p) => p.file === "returns.csv"));
});

test("a header without the columns, an empty file and broken CSV are problems, not exceptions", () => {
  assert.equal(parseReturns("name,when\nA,B\n", "r.csv", targets, TODAY).problems[0]?.field, "date");
  assert.equal(
    parseReturns("constituency,date,papers\n", "r.csv", targets, TODAY).problems[0]?.code,
    "rows.missing",
  );
  assert.equal(
    parseReturns('constituency,date,papers\n"Camden,2026', "r.csv", targets, TODAY).problems[0]?.code,
    "csv.invalid",
  );
});

test("running totals never fall, across the file and what is already recorded", () => {
  const problems = checkRunningTotals(
    "r.csv",
    [{ line: 2, ballotId: 7, date: "2026-12-14", papersReturned: 90 }],
    [{ ballotId: 7, date: "2026-12-10", papersReturned: 100 }],
  );
  assert.equal(problems[0]?.line, 2);
  assert.equal(problems[0]?.code, "return.decreasing");
  assert.deepEqual(
    checkRunningTotals(
      "r.csv",
      [{ line: 2, ballotId: 7, date: "2026-12-14", papersReturned: 100 }],
      [{ ballotId: 7, date: "2026-12-10", papersReturned: 100 }],
    ),
    [],
  );
});
