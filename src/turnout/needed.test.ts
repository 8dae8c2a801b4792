import assert from "node:assert/strict";
import { test } from "node:test";
import { thresholdsFor } from "../law/index.js";
import {
  type ConstituencyInput,
  constituencyTurnout,
  currentDailyRate,
  daysLeft,
  rankConstituencies,
  rollUp,
} from "./needed.js";

const gbC = thresholdsFor({
  openingDate: "2026-12-07",
  importantPublicServices: false,
  walesDevolved: false,
});
const none = { employers: [], workplaces: [], regions: [], sectors: [] };
const input = (over: Partial<ConstituencyInput> = {}): ConstituencyInput => ({
  ballotId: 1,
  name: "St James's",
  entitled: 201,
  openingDate: "2026-12-07",
  closingDate: "2027-01-04",
  thresholds: gbC,
  returns: [],
  wontVote: 0,
  groups: none,
  ...over,
});

test("one vote short: 100 of 201 returned needs 1 more (50% of 201 is 100.5, so 101)", () => {
  const c = constituencyTurnout(
    input({ returns: [{ date: "2026-12-20", papersReturned: 100 }] }),
    "2026-12-21",
  );
  assert.equal(c.votesNeeded50, 1);
  assert.equal(c.turnoutThreshold, 50);
  assert.equal(c.yesNeeded40, null, "regime C: no 40% rule");
  assert.equal(c.daysLeft, 15);
  assert.equal(c.requiredDailyRate, 0.07);
  assert.notEqual(c.status, "safe");
  const met = constituencyTurnout(
    input({ returns: [{ date: "2026-12-20", papersReturned: 101 }] }),
    "2026-12-21",
  );
  assert.equal(met.votesNeeded50, 0);
  assert.equal(met.status, "safe");
  assert.equal(met.winnability, 1);
});

test("Northern Ireland: no turnout threshold and no 40% rule, whatever the figures", () => {
  const ni = thresholdsFor({
    openingDate: "2026-12-07",
    jurisdiction: "ni",
    importantPublicServices: true,
    walesDevolved: false,
  });
  const c = constituencyTurnout(
    input({ thresholds: ni, returns: [{ date: "2026-12-10", papersReturned: 3 }] }),
    "2026-12-11",
  );
  assert.equal(c.regime, "NI");
  assert.equal(c.votesNeeded50, null);
  assert.equal(c.yesNeeded40, null);
  assert.equal(c.status, "safe");
});

test("regime B in important public services: 50% turnout and 40% of the entitled voting Yes", () => {
  const b = thresholdsFor({ openingDate: "2024-03-04", importantPublicServices: true, walesDevolved: false });
  const c = constituencyTurnout(
    input({
      entitled: 1000,
      openingDate: "2024-03-04",
      closingDate: "2024-03-31",
      thresholds: b,
      returns: [{ date: "2024-03-10", papersReturned: 290 }],
    }),
    "2024-03-11",
  );
  assert.equal(c.votesNeeded50, 210);
  assert.equal(c.yesNeeded40, 400);
  // 78% yes on 29% turnout is no mandate: the example.
  assert.equal(c.turnout, 29);
});

test("closed short of the threshold is lost; more needed than members left to vote is lost", () => {
  const closed = constituencyTurnout(
    input({ returns: [{ date: "2027-01-04", papersReturned: 90 }] }),
    "2027-01-05",
  );
  assert.equal(closed.daysLeft, 0);
  assert.equal(closed.status, "lost");
  assert.equal(closed.forecast?.basis, "final");
  const unreachable = constituencyTurnout(
    input({ entitled: 10, returns: [{ date: "2026-12-10", papersReturned: 2 }], wontVote: 5 }),
    "2026-12-11",
  );
  assert.equal(unreachable.reachable, 3);
  assert.equal(unreachable.votesNeeded50, 3);
  const worse = constituencyTurnout(
    input({ entitled: 10, returns: [{ date: "2026-12-10", papersReturned: 2 }], wontVote: 6 }),
    "2026-12-11",
  );
  assert.equal(worse.status, "lost");
  assert.equal(worse.winnability, 0);
});

test("days left and the pace: counted from today, or from the opening day before it opens", () => {
  assert.equal(daysLeft("2026-12-01", "2026-12-07", "2026-12-20"), 14);
  assert.equal(daysLeft("2026-12-20", "2026-12-07", "2026-12-20"), 1);
  assert.equal(daysLeft("2026-12-21", "2026-12-07", "2026-12-20"), 0);
  assert.equal(currentDailyRate("2026-12-07", []), null);
  assert.equal(currentDailyRate("2026-12-07", [{ date: "2026-12-10", papersReturned: 40 }]), 10);
  assert.equal(
    currentDailyRate("2026-12-07", [
      { date: "2026-12-08", papersReturned: 10 },
      { date: "2026-12-10", papersReturned: 40 },
      { date: "2026-12-17", papersReturned: 110 },
    ]),
    10,
  );
});

test("ranked: the most winnable of those still short first, then the rest; rolled up by group", () => {
  const a = constituencyTurnout(
    input({ ballotId: 1, name: "A", entitled: 100, returns: [{ date: "2026-12-14", papersReturned: 45 }] }),
    "2026-12-15",
  );
  const b = constituencyTurnout(
    input({ ballotId: 2, name: "B", entitled: 100, returns: [{ date: "2026-12-14", papersReturned: 15 }] }),
    "2026-12-15",
  );
  const c = constituencyTurnout(
    input({ ballotId: 3, name: "C", entitled: 100, returns: [{ date: "2026-12-14", papersReturned: 60 }] }),
    "2026-12-15",
  );
  const ranked = rankConstituencies([c, b, a]);
  assert.deepEqual(
    ranked.map((x) => x.name),
    ["A", "B", "C"],
  );
  assert.ok(ranked[0]!.winnability > ranked[1]!.winnability);
  const groups: Record<number, { id: number; name: string }[]> = {
    1: [{ id: 10, name: "Leeds" }],
    2: [
      { id: 10, name: "Leeds" },
      { id: 11, name: "Camden" },
    ],
    3: [{ id: 11, name: "Camden" }],
  };
  const rows = rollUp(ranked, (x) => groups[x.ballotId]!);
  const leeds = rows.find((r) => r.name === "Leeds")!;
  assert.equal(leeds.constituencies, 2);
  assert.equal(leeds.entitled, 200);
  assert.equal(leeds.returned, 60);
  assert.equal(leeds.turnout, 30);
  assert.equal(leeds.votesNeeded50, 5 + 35);
  assert.equal(rows.find((r) => r.name === "Camden")!.byStatus.safe, 1);
});
