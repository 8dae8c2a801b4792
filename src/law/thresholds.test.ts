import assert from "node:assert/strict";
import { test } from "node:test";
import { evaluateBallot } from "./evaluate.js";
import type { Jurisdiction } from "./rules.js";
import { thresholdsFor, votesForPercent } from "./thresholds.js";

test("regime A: no threshold; B: 50% and, in important public services, 40% (not for devolved Welsh bodies); C: 50% only; NI: none", () => {
  const gb = (openingDate: string, ips = false, walesDevolved = false) =>
    thresholdsFor({ openingDate, importantPublicServices: ips, walesDevolved });
  assert.equal(gb("2016-06-01").turnout, null);
  assert.equal(gb("2016-06-01", true).support, null);
  assert.equal(gb("2018-06-01").turnout?.percent, 50);
  assert.equal(gb("2018-06-01").support, null);
  assert.equal(gb("2018-06-01", true).support?.percent, 40);
  assert.equal(gb("2018-06-01", true, true).support, null);
  assert.equal(gb("2017-09-01", true, true).support?.percent, 40, "before the Welsh Act's ss.1-2 commenced");
  assert.equal(gb("2026-12-07", true).turnout?.percent, 50);
  assert.equal(gb("2026-12-07", true).support, null);
  const ni = thresholdsFor({
    openingDate: "2026-12-07",
    jurisdiction: "ni",
    importantPublicServices: true,
    walesDevolved: false,
  });
  assert.equal(ni.regime, "NI");
  assert.equal(ni.turnout, null);
  assert.equal(ni.support, null);
  assert.equal(ni.notApplicable.length, 2);
});

test("a repeal of the turnout threshold the union recorded as commenced switches it off", () => {
  const off = thresholdsFor({
    openingDate: "2026-12-07",
    importantPublicServices: false,
    walesDevolved: false,
    commencements: { turnout_threshold_repeal: "2026-10-01" },
  });
  assert.equal(off.turnout, null);
  assert.equal(off.notApplicable[0]?.name, "turnout");
});

test("the same thresholds as evaluateBallot applies, on every regime, jurisdiction and flag", () => {
  const dates = [
    "2006-01-01",
    "2017-03-01",
    "2017-09-12",
    "2017-09-13",
    "2020-05-05",
    "2026-02-17",
    "2026-02-18",
    "2027-06-01",
  ];
  let compared = 0;
  for (const openingDate of dates)
    for (const jurisdiction of ["gb", "ni"] as Jurisdiction[])
      for (const importantPublicServices of [false, true])
        for (const walesDevolved of [false, true])
          for (const commencements of [{}, { turnout_threshold_repeal: "2026-06-01" }]) {
            const input = {
              openingDate,
              jurisdiction,
              importantPublicServices,
              walesDevolved,
              commencements,
            };
            const t = thresholdsFor(input);
            const e = evaluateBallot({
              ...input,
              entitled: 100,
              votesCast: 0,
              questions: [{ question: "strike", yes: 0, no: 0 }],
            });
            const turnout = e.tests.find((x) => x.name === "turnout");
            const support = e.tests.find((x) => x.name === "important_public_services_40");
            assert.equal(
              t.turnout?.percent ?? null,
              turnout?.figures.thresholdPercent ?? null,
              JSON.stringify(input),
            );
            assert.equal(
              t.support?.percent ?? null,
              support?.figures.thresholdPercent ?? null,
              JSON.stringify(input),
            );
            assert.equal(t.regime, e.regime);
            if (t.turnout)
              assert.equal(votesForPercent(100, t.turnout.percent), turnout?.figures.votesNeeded);
            compared++;
          }
  assert.equal(compared, 128);
});

test("votes for a percent: at least, in whole votes", () => {
  assert.equal(votesForPercent(101, 50), 51);
  assert.equal(votesForPercent(100, 50), 50);
  assert.equal(votesForPercent(7, 40), 3);
});
