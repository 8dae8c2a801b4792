import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { DATED_VECTORS, REGIME_DATES, TEST_VECTORS } from "../../test/fixtures/law/test-vectors.js";
import { AppError } from "../shared/errors.js";
import { type EvaluateInput, evaluateBallot } from "./evaluate.js";
import { REGIMES, type Regime } from "./rules.js";

function input(over: Partial<EvaluateInput> & { yes?: number; no?: number; spoilt?: number }): EvaluateInput {
  const { yes = 300, no = 100, spoilt, ...rest } = over;
  return {
    openingDate: REGIME_DATES.B,
    entitled: 1_000,
    votesCast: 500,
    importantPublicServices: false,
    walesDevolved: false,
    questions: [{ question: "strike", yes, no, spoilt: spoilt ?? null }],
    ...rest,
  };
}

describe("test vectors (reference brief §13 and the worked example)", () => {
  for (const v of TEST_VECTORS) {
    for (const regime of ["A", "B", "C"] as Regime[]) {
      test(`${regime}: ${v.name}`, () => {
        const e = evaluateBallot({
          openingDate: REGIME_DATES[regime],
          entitled: v.entitled,
          votesCast: v.votesCast,
          questions: [{ question: "strike", yes: v.yes, no: v.no, spoilt: v.spoilt ?? null }],
          importantPublicServices: v.importantPublicServices,
          walesDevolved: v.walesDevolved ?? false,
        });
        assert.equal(e.regime, regime);
        assert.equal(e.mandate, v.expected[regime]);
        assert.deepEqual(
          e.tests.filter((t) => !t.met).map((t) => t.name),
          v.failing?.[regime] ?? [],
        );
      });
    }
  }

  test("NUT 2011 figures under B: turnout 39.43%, Yes 36.24% of entitled, each with what was needed", () => {
    const e = evaluateBallot(
      input({
        entitled: 218_730,
        votesCast: 86_246,
        yes: 79_259,
        no: 6_918,
        spoilt: 69,
        importantPublicServices: true,
      }),
    );
    const turnout = e.tests.find((t) => t.name === "turnout")!;
    assert.equal(turnout.figures.turnoutPercent, 39.43);
    assert.equal(turnout.figures.votesNeeded, 109_365);
    const ips = e.tests.find((t) => t.name === "important_public_services_40")!;
    assert.equal(ips.figures.yesPercentOfEntitled, 36.24);
    assert.equal(ips.figures.yesNeeded, 87_492);
    assert.match(ips.citation, /s\.226\(2B\)/);
  });
});

describe("dated vectors from the legal review (each with its source)", () => {
  for (const v of DATED_VECTORS) {
    test(`${v.name} [${v.source}]`, () => {
      const e = evaluateBallot({
        openingDate: v.openingDate,
        closingDate: v.closingDate ?? null,
        entitled: v.entitled,
        votesCast: v.votesCast,
        questions: [{ question: "strike", yes: v.yes, no: v.no, spoilt: v.spoilt ?? null }],
        importantPublicServices: v.importantPublicServices,
        walesDevolved: v.walesDevolved ?? false,
        jurisdiction: v.jurisdiction ?? "gb",
      });
      assert.equal(e.mandate, v.mandate);
      if (v.lastDay) assert.equal(e.mandatePeriod.lastDay, v.lastDay);
      for (const rule of v.legalReview ?? [])
        assert.ok(
          e.legalReview.some((r) => r.rule === rule),
          rule,
        );
    });
  }
});

describe("regimes by opening day", () => {
  const cases: [string, Regime][] = [
    ["2017-02-28", "A"],
    ["2017-03-01", "B"],
    ["2026-02-17", "B"],
    ["2026-02-18", "C"],
  ];
  for (const [date, regime] of cases) {
    test(`a ballot opening on ${date} is regime ${regime}`, () => {
      assert.equal(evaluateBallot(input({ openingDate: date })).regime, regime);
    });
  }

  test("the turnout test applies from 1 March 2017: 499 of 1,000 fails on the day, not the day before", () => {
    assert.equal(
      evaluateBallot(input({ openingDate: "2017-02-28", votesCast: 499, yes: 300, no: 199 })).mandate,
      true,
    );
    assert.equal(
      evaluateBallot(input({ openingDate: "2017-03-01", votesCast: 499, yes: 300, no: 199 })).mandate,
      false,
    );
  });

  test("the 40% rule stops applying to ballots opening on 18 February 2026 (ERA 2025 s.69)", () => {
    const before = evaluateBallot(
      input({ openingDate: "2026-02-17", yes: 350, no: 150, importantPublicServices: true }),
    );
    const after = evaluateBallot(
      input({ openingDate: "2026-02-18", yes: 350, no: 150, importantPublicServices: true }),
    );
    assert.equal(before.mandate, false);
    assert.equal(after.mandate, true);
    assert.match(
      after.notApplicable.find((n) => n.name === "important_public_services_40")!.citation,
      /ERA 2025 s\.69/,
    );
  });

  test("a date before the ERA 2004 changes took effect (1 October 2005) is refused, not given the 2005 wording", () => {
    // ERA 2004 ss.26-28 (twelve weeks) from 6 April 2005; ss.22 and 25 (notice contents) from 1 October 2005.
    for (const date of ["2003-05-01", "2005-04-06", "2005-09-30"]) {
      assert.throws(
        () => evaluateBallot(input({ openingDate: date })),
        (e: unknown) =>
          e instanceof AppError && e.code === "law.date_out_of_range" && /eight weeks/.test(e.message),
        date,
      );
    }
    assert.equal(evaluateBallot(input({ openingDate: "2005-10-01" })).regime, "A");
  });

  test("a date before regime A is refused", () => {
    assert.throws(
      () => evaluateBallot(input({ openingDate: "1999-01-01" })),
      (e: unknown) => e instanceof AppError && e.code === "law.date_out_of_range",
    );
  });

  test("regimes are in date order and start on their commencement days", () => {
    assert.deepEqual(
      REGIMES.map((r) => [r.id, r.from]),
      [
        ["A", "2005-10-01"],
        ["B", "2017-03-01"],
        ["C", "2026-02-18"],
      ],
    );
  });
});

describe("figures that cannot be right are refused with the reason", () => {
  const refused: [string, Parameters<typeof input>[0], RegExp][] = [
    ["more votes than entitled", { votesCast: 1_001, yes: 900, no: 101 }, /exceed/],
    ["Yes + No + spoilt not the votes cast", { yes: 300, no: 100, spoilt: 5 }, /not the 500 votes cast/],
    ["Yes + No above the votes cast", { yes: 400, no: 101 }, /more than the votes cast/],
    ["nobody entitled", { entitled: 0, votesCast: 0, yes: 0, no: 0 }, /No one is entitled/],
    ["a negative count", { yes: -1, no: 100 }, /whole number/],
  ];
  for (const [name, over, message] of refused) {
    test(name, () => {
      assert.throws(
        () => evaluateBallot(input(over)),
        (e: unknown) => e instanceof AppError && e.code === "law.invalid_figures" && message.test(e.message),
      );
    });
  }

  test("the same question twice", () => {
    assert.throws(
      () =>
        evaluateBallot({
          ...input({}),
          questions: [
            { question: "strike", yes: 300, no: 200 },
            { question: "strike", yes: 300, no: 200 },
          ],
        }),
      (e: unknown) => e instanceof AppError && e.code === "law.invalid_figures",
    );
  });
});

describe("several questions, mandate per question", () => {
  test("strike fails the majority, action short of a strike passes: a mandate for that only", () => {
    const e = evaluateBallot({
      ...input({}),
      questions: [
        { question: "strike", yes: 240, no: 260 },
        { question: "action_short_of_strike", yes: 400, no: 98, spoilt: 2 },
      ],
    });
    assert.equal(e.mandate, true);
    assert.deepEqual(e.mandateFor, ["action_short_of_strike"]);
  });

  test("a failed turnout sinks every question", () => {
    const e = evaluateBallot({
      ...input({ votesCast: 400 }),
      questions: [
        { question: "strike", yes: 390, no: 10 },
        { question: "action_short_of_strike", yes: 390, no: 10 },
      ],
    });
    assert.deepEqual(e.mandateFor, []);
  });
});

describe("mandate period (s.234), counted from the date of the ballot", () => {
  test("A: action must begin within 4 weeks beginning with the closing day (8 by agreement, 12 by court)", () => {
    const e = evaluateBallot(input({ openingDate: "2011-06-01", closingDate: "2011-06-30" }));
    assert.equal(e.mandatePeriod.lastDay, "2011-07-27");
    assert.equal(e.mandatePeriod.lastDayByAgreement, "2011-08-24");
    assert.equal(e.mandatePeriod.courtLimit, "2011-09-21");
  });

  test("B: 6 months (9 by agreement); a 31st runs to the end of the shorter month, flagged (decision 0012)", () => {
    // Dodds v Walker [1981] 1 WLR 1441 HL: no corresponding day, so the period ends with the month's last day.
    const e = evaluateBallot(input({ openingDate: "2018-01-10", closingDate: "2018-08-31" }));
    assert.equal(e.mandatePeriod.lastDay, "2019-02-28");
    assert.equal(e.mandatePeriod.lastDayByAgreement, "2019-05-30");
    assert.match(e.mandatePeriod.unconfirmed ?? "", /Dodds v Walker/);
    assert.ok(e.legalReview.some((r) => r.rule === "mandate_period" && /decision 0012/.test(r.reason)));
  });

  test("B: closing 31 August 2025 gives a mandate to 28 February 2026, not the 27th (Dodds v Walker)", () => {
    const e = evaluateBallot(input({ openingDate: "2025-08-04", closingDate: "2025-08-31" }));
    assert.equal(e.mandatePeriod.lastDay, "2026-02-28");
  });

  test("C: closing 29 February 2028 gives a mandate to 28 February 2029, not the 27th (Dodds v Walker)", () => {
    const e = evaluateBallot(input({ openingDate: "2028-02-01", closingDate: "2028-02-29" }));
    assert.equal(e.mandatePeriod.lastDay, "2029-02-28");
    assert.ok(e.legalReview.some((r) => r.rule === "mandate_period" && /decision 0012/.test(r.reason)));
  });

  test("ordinary dates: the day before the corresponding day, with no month-end flag (Zoan v Rouamba)", () => {
    const b = evaluateBallot(input({ openingDate: "2019-05-01", closingDate: "2019-05-15" }));
    assert.equal(b.mandatePeriod.lastDay, "2019-11-14");
    assert.equal(b.mandatePeriod.lastDayByAgreement, "2020-02-14");
    assert.equal(b.mandatePeriod.unconfirmed, null);
    // 1 March 2027 + 12 months: the corresponding day 1 March 2028 exists, so the mandate ends on 29 February.
    const c = evaluateBallot(input({ openingDate: "2027-02-01", closingDate: "2027-03-01" }));
    assert.equal(c.mandatePeriod.lastDay, "2028-02-29");
    assert.ok(!c.legalReview.some((r) => /decision 0012/.test(r.reason)));
  });

  test("C: 12 months, no extension by agreement", () => {
    const e = evaluateBallot(input({ openingDate: "2026-11-02", closingDate: "2026-11-30" }));
    assert.equal(e.mandatePeriod.lastDay, "2027-11-29");
    assert.equal(e.mandatePeriod.lastDayByAgreement, null);
  });

  test("a B ballot whose mandate runs past 18 February 2026 is flagged for legal review", () => {
    const straddling = evaluateBallot(input({ openingDate: "2026-01-05", closingDate: "2026-01-30" }));
    assert.ok(straddling.legalReview.some((r) => r.rule === "mandate_period"));
    const clear = evaluateBallot(input({ openingDate: "2024-01-05", closingDate: "2024-01-30" }));
    assert.ok(!clear.legalReview.some((r) => r.rule === "mandate_period"));
  });
});

describe("what needs legal review is said, not hidden", () => {
  test("C: the turnout test carries its unconfirmed status (repeal pending)", () => {
    const e = evaluateBallot(input({ openingDate: REGIME_DATES.C }));
    const t = e.tests.find((x) => x.name === "turnout")!;
    assert.match(t.unconfirmed ?? "", /repeal/);
    assert.ok(e.legalReview.some((r) => r.rule === "turnout"));
  });

  test("spoilt papers: a majority of valid answers but not of papers returned is a mandate, flagged (s.226(2A), TUA 2016 s.3; decision 0011)", () => {
    const e = evaluateBallot(input({ entitled: 600, votesCast: 500, yes: 249, no: 241, spoilt: 10 }));
    assert.equal(e.mandate, true);
    const flag = e.legalReview.find((r) => r.rule === "majority");
    assert.ok(flag, "the verdict the spoilt-paper reading decides is flagged");
    assert.match(flag.reason, /decision 0011/);
    assert.match(flag.reason, /249 Yes is not more than half of the 500/);
    // 251 Yes is a majority under either reading: nothing for a lawyer to decide.
    const clear = evaluateBallot(input({ entitled: 600, votesCast: 500, yes: 251, no: 239, spoilt: 10 }));
    assert.ok(!clear.legalReview.some((r) => /decision 0011/.test(r.reason)));
    // No mandate either way (the turnout fails): the reading decides nothing, so no flag.
    const sunk = evaluateBallot(input({ entitled: 1_200, votesCast: 500, yes: 249, no: 241, spoilt: 10 }));
    assert.equal(sunk.mandate, false);
    assert.ok(!sunk.legalReview.some((r) => /decision 0011/.test(r.reason)));
  });

  test("the majority citation is TUA 2016 s.3, which inserted s.226(2A), not s.2", () => {
    const e = evaluateBallot(input({}));
    assert.match(e.tests.find((t) => t.name === "majority")!.citation, /TUA 2016 s\.3/);
  });

  test("turnout met only by counting spoilt papers is flagged", () => {
    const e = evaluateBallot(input({ votesCast: 500, yes: 300, no: 190, spoilt: 10 }));
    assert.equal(e.mandate, true);
    assert.ok(e.legalReview.some((r) => /spoilt/.test(r.reason)));
    const clear = evaluateBallot(input({ votesCast: 520, yes: 300, no: 210, spoilt: 10 }));
    assert.ok(!clear.legalReview.some((r) => /spoilt/.test(r.reason)));
  });

  test("Wales: no disapplication before the Trade Union (Wales) Act 2017 ss.1-2 commenced (Royal Assent 7 September 2017)", () => {
    // 399 of 1,000 is under 40%: before commencement the 40% rule applies to devolved Welsh authorities too.
    const figures = { entitled: 1_000, votesCast: 600, yes: 399, no: 201, importantPublicServices: true };
    const march = evaluateBallot(input({ ...figures, openingDate: "2017-03-15", walesDevolved: true }));
    assert.equal(march.mandate, false);
    assert.deepEqual(
      march.tests.filter((t) => !t.met).map((t) => t.name),
      ["important_public_services_40"],
    );
    assert.equal(
      evaluateBallot(input({ ...figures, openingDate: "2017-09-12", walesDevolved: true })).mandate,
      false,
    );
    const commenced = evaluateBallot(input({ ...figures, openingDate: "2017-09-13", walesDevolved: true }));
    assert.equal(commenced.mandate, true);
    assert.ok(
      commenced.legalReview.some((r) => r.rule === "wales_devolved_40" && /13 September 2017/.test(r.reason)),
    );
  });

  test("Wales under ERA 2025: the 40% rule is repealed, so there is nothing left to disapply", () => {
    const e = evaluateBallot(
      input({
        openingDate: "2026-02-18",
        yes: 350,
        no: 150,
        importantPublicServices: true,
        walesDevolved: true,
      }),
    );
    assert.equal(e.mandate, true);
    assert.match(
      e.notApplicable.find((n) => n.name === "important_public_services_40")!.citation,
      /ERA 2025 s\.69/,
    );
    assert.ok(!e.legalReview.some((r) => r.rule === "wales_devolved_40"));
  });

  test("Wales: the disapplication's commencement date is flagged when it decides the case", () => {
    const e = evaluateBallot(
      input({ yes: 350, no: 150, importantPublicServices: true, walesDevolved: true }),
    );
    assert.ok(e.legalReview.some((r) => r.rule === "wales_devolved_40"));
  });

  test("the turnout repeal switch, once given a commencement date, removes the test from that day", () => {
    const over = { turnout_threshold_repeal: "2027-01-01" };
    const before = evaluateBallot(
      input({ openingDate: "2026-12-31", votesCast: 300, yes: 200, no: 100, commencements: over }),
    );
    const after = evaluateBallot(
      input({ openingDate: "2027-01-01", votesCast: 300, yes: 200, no: 100, commencements: over }),
    );
    assert.equal(before.mandate, false);
    assert.equal(after.mandate, true);
    assert.ok(after.notApplicable.some((n) => n.name === "turnout"));
  });

  test("a commencement the union recorded is listed on the verdict with its source (decision 0013)", () => {
    const over = { turnout_threshold_repeal: "2027-01-01" };
    const sources = { turnout_threshold_repeal: "SI 2027/1 reg. 2 (counsel's advice of 2 January 2027)" };
    const e = evaluateBallot(
      input({
        openingDate: "2027-02-01",
        votesCast: 300,
        yes: 200,
        no: 100,
        commencements: over,
        commencementSources: sources,
      }),
    );
    assert.deepEqual(e.commencements, [
      {
        id: "turnout_threshold_repeal",
        title: "Repeal of the 50% turnout threshold",
        commencedOn: "2027-01-01",
        source: sources.turnout_threshold_repeal,
      },
    ]);
    assert.match(e.notApplicable.find((n) => n.name === "turnout")!.reason, /SI 2027\/1/);
    assert.deepEqual(evaluateBallot(input({ openingDate: "2027-02-01" })).commencements, []);
  });

  test("a scrutineer is required above 50 entitled, not at 50", () => {
    assert.equal(
      evaluateBallot(input({ entitled: 50, votesCast: 40, yes: 30, no: 10 })).scrutineerRequired,
      false,
    );
    assert.equal(
      evaluateBallot(input({ entitled: 51, votesCast: 40, yes: 30, no: 10 })).scrutineerRequired,
      true,
    );
  });
});

describe("properties", () => {
  // A small deterministic generator: the same cases every run.
  let seed = 42;
  const rand = (n: number) => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed % n;
  };

  test("one more Yes vote (instead of a No) never turns a mandate into none", () => {
    for (let i = 0; i < 2_000; i++) {
      const entitled = 1 + rand(2_000);
      const votesCast = rand(entitled + 1);
      const yes = rand(votesCast + 1);
      const no = votesCast - yes;
      if (no === 0) continue;
      for (const regime of ["A", "B", "C"] as Regime[]) {
        const base = {
          openingDate: REGIME_DATES[regime],
          entitled,
          votesCast,
          importantPublicServices: rand(2) === 1,
          walesDevolved: false,
        };
        const a = evaluateBallot({ ...base, questions: [{ question: "strike", yes, no }] });
        const b = evaluateBallot({ ...base, questions: [{ question: "strike", yes: yes + 1, no: no - 1 }] });
        if (a.mandate) assert.equal(b.mandate, true, JSON.stringify({ ...base, yes, no }));
      }
    }
  });

  test("the verdict is exactly: turnout (where it applies), Yes > No, and Yes ≥ 40% of entitled (B, IPS)", () => {
    for (let i = 0; i < 2_000; i++) {
      const entitled = 1 + rand(500);
      const votesCast = rand(entitled + 1);
      const yes = rand(votesCast + 1);
      const no = rand(votesCast - yes + 1);
      const ips = rand(2) === 1;
      const e = evaluateBallot({
        openingDate: REGIME_DATES.B,
        entitled,
        votesCast,
        importantPublicServices: ips,
        walesDevolved: false,
        questions: [{ question: "strike", yes, no }],
      });
      const expected = 2 * votesCast >= entitled && yes > no && (!ips || 10 * yes >= 4 * entitled);
      assert.equal(e.mandate, expected, JSON.stringify({ entitled, votesCast, yes, no, ips }));
    }
  });
});
