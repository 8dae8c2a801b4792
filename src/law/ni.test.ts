import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { AppError } from "../shared/errors.js";
import { evaluateBallot } from "./evaluate.js";
import { lawAt } from "./lookup.js";
import { votingMethodAt } from "./methods.js";
import { ballotTimetable } from "./timetable.js";

const base = {
  openingDate: "2026-06-01",
  closingDate: "2026-06-29",
  entitled: 1_000,
  votesCast: 300,
  questions: [{ question: "strike" as const, yes: 160, no: 140 }],
  importantPublicServices: true,
  walesDevolved: false,
};

describe("Northern Ireland: the Trade Union and Labour Relations (NI) Order 1995 (decision 0013)", () => {
  test("no turnout threshold and no 40% rule (Art.104(3)): 30% turnout, 16% Yes of entitled is a mandate", () => {
    const ni = evaluateBallot({ ...base, jurisdiction: "ni" });
    assert.equal(ni.jurisdiction, "ni");
    assert.equal(ni.regime, "NI");
    assert.equal(ni.mandate, true);
    assert.deepEqual(
      ni.tests.map((t) => t.name),
      ["majority"],
    );
    assert.match(ni.tests[0]!.citation, /TULR\(NI\)O 1995 Art\.104\(3\)\(a\)\(iii\)/);
    // The same figures in Great Britain fail the 50% turnout (TULRCA s.226(2)(a)(iia)).
    assert.equal(evaluateBallot(base).mandate, false);
  });

  test("the majority is still strict: a tie is no mandate", () => {
    const tie = evaluateBallot({
      ...base,
      jurisdiction: "ni",
      questions: [{ question: "strike", yes: 150, no: 150 }],
    });
    assert.equal(tie.mandate, false);
  });

  test("action must begin within 4 weeks of the date of the ballot (Art.117), flagged as unconfirmed", () => {
    const ni = evaluateBallot({ ...base, jurisdiction: "ni" });
    assert.equal(ni.mandatePeriod.lastDay, "2026-07-26");
    assert.equal(ni.mandatePeriod.lastDayByAgreement, "2026-08-23");
    assert.ok(ni.legalReview.some((r) => r.rule === "mandate_period" && /Art\.117/.test(r.reason)));
  });

  test("the Order's rules are listed with their citations, every unconfirmed article flagged; no GB switches", () => {
    const law = lawAt("2026-06-01", {}, {}, "ni");
    assert.equal(law.regime.id, "NI");
    assert.deepEqual(law.switches, []);
    assert.ok(
      law.rules.every((r) => r.version && /TULR\(NI\)O 1995|TUA 2016/.test(r.version.citation)),
      "cited",
    );
    const turnout = law.rules.find((r) => r.id === "turnout")!;
    assert.equal(turnout.version!.value, null);
    assert.ok(law.rules.find((r) => r.id === "dismissal_statement")!.version!.unconfirmed);
  });

  test("dates before the 1999 Order's ballot changes (13 October 2002) are refused", () => {
    assert.throws(
      () => evaluateBallot({ ...base, openingDate: "2002-10-12", closingDate: null, jurisdiction: "ni" }),
      (e: unknown) =>
        e instanceof AppError &&
        e.code === "law.date_out_of_range" &&
        /13 October 2002|2002-10-13/.test(e.message),
    );
    assert.equal(
      evaluateBallot({ ...base, openingDate: "2003-05-01", closingDate: null, jurisdiction: "ni" }).regime,
      "NI",
    );
  });

  test("7 days' notice of action (Art.118(4)); postal voting only", () => {
    const t = ballotTimetable({ openingDate: "2026-06-01", closingDate: "2026-06-29", jurisdiction: "ni" });
    assert.equal(t.regime, "NI");
    assert.equal(t.actionNoticeDays, 7);
    assert.equal(
      votingMethodAt("electronic", "2026-09-01", { electronic_voting: "2026-08-01" }, {}, "ni").inForce,
      false,
    );
    assert.equal(votingMethodAt("postal", "2026-09-01", {}, {}, "ni").inForce, true);
  });
});
