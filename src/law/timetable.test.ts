import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { addDays, addMonths, daysBetween, isIsoDate, lastDayOfMonthsBeginningWith } from "./dates.js";
import { lawAt } from "./lookup.js";
import { votingMethodAt } from "./methods.js";
import { ballotTimetable } from "./timetable.js";

const dateOf = (t: ReturnType<typeof ballotTimetable>, id: string) =>
  t.deadlines.find((d) => d.id === id)?.date;

describe("calendar arithmetic", () => {
  test("days and months across month ends, leap years and the clock change", () => {
    assert.equal(addDays("2026-03-28", 2), "2026-03-30");
    assert.equal(addDays("2024-03-01", -1), "2024-02-29");
    assert.equal(addMonths("2025-08-31", 6), "2026-02-28");
    assert.equal(addMonths("2023-08-31", 6), "2024-02-29");
    assert.equal(daysBetween("2026-10-24", "2026-10-26"), 2);
    assert.equal(isIsoDate("2026-02-30"), false);
    assert.equal(isIsoDate("2026-02-28"), true);
  });

  test("months beginning with a day: the day before the corresponding day, or the month's last day (decision 0012)", () => {
    // Dodds v Walker [1981] 1 WLR 1441 HL (corresponding date); Zoan v Rouamba [2000] 1 WLR 1509 CA ("beginning with").
    const cases: [string, number, string, boolean][] = [
      ["2025-08-31", 6, "2026-02-28", true],
      ["2028-02-29", 12, "2029-02-28", true],
      ["2023-08-31", 6, "2024-02-29", true],
      ["2025-08-30", 6, "2026-02-28", true],
      ["2025-08-28", 6, "2026-02-27", false],
      ["2025-09-01", 6, "2026-02-28", false],
      ["2027-03-01", 12, "2028-02-29", false],
      ["2026-11-30", 12, "2027-11-29", false],
      ["2025-05-31", 9, "2026-02-28", true],
      ["2019-01-15", 6, "2019-07-14", false],
    ];
    for (const [start, months, lastDay, noCorrespondingDay] of cases) {
      assert.deepEqual(lastDayOfMonthsBeginningWith(start, months), { lastDay, noCorrespondingDay }, start);
    }
  });
});

describe("ballot timetable (s.226A, s.234A, s.234)", () => {
  test("C ballot: notice by opening − 7, sample by opening − 3, action 10 days after the result, 12-month mandate", () => {
    const t = ballotTimetable({ openingDate: "2026-12-07", closingDate: "2027-01-11" });
    assert.equal(t.regime, "C");
    assert.equal(dateOf(t, "ballot_notice"), "2026-11-30");
    assert.equal(dateOf(t, "sample_paper"), "2026-12-04");
    assert.equal(dateOf(t, "result_to_employers"), "2027-01-11");
    assert.equal(dateOf(t, "earliest_action"), "2027-01-21");
    assert.equal(dateOf(t, "mandate_ends"), "2028-01-10");
    assert.equal(t.ballotNoticeForm, "lists_total");
    assert.equal(t.actionNoticeDays, 10);
  });

  test("B ballot: 14 days' action notice, 7 if the employer agrees", () => {
    const t = ballotTimetable({ openingDate: "2019-06-03", closingDate: "2019-06-24" });
    assert.equal(dateOf(t, "earliest_action"), "2019-07-08");
    assert.equal(t.ballotNoticeForm, "lists_figures_explanation");
    const agreed = ballotTimetable({
      openingDate: "2019-06-03",
      closingDate: "2019-06-24",
      shorterNoticeAgreed: true,
    });
    assert.equal(dateOf(agreed, "earliest_action"), "2019-07-01");
  });

  test("A ballot (N30 2011): 7 days' notice, action to begin within 4 weeks", () => {
    const t = ballotTimetable({
      openingDate: "2011-10-06",
      closingDate: "2011-11-02",
      resultDate: "2011-11-03",
    });
    assert.equal(dateOf(t, "earliest_action"), "2011-11-10");
    assert.equal(dateOf(t, "mandate_ends"), "2011-11-29");
  });

  test("transition (government guidance): the notice form follows the day the employer receives it", () => {
    // Ballot opens 2 March 2026: a notice received before 18 February uses the old form, on or after it the new.
    const old = ballotTimetable({
      openingDate: "2026-03-02",
      closingDate: "2026-03-23",
      noticeReceivedOn: "2026-02-16",
    });
    const fresh = ballotTimetable({
      openingDate: "2026-03-02",
      closingDate: "2026-03-23",
      noticeReceivedOn: "2026-02-18",
    });
    assert.equal(old.ballotNoticeForm, "lists_figures_explanation");
    assert.equal(fresh.ballotNoticeForm, "lists_total");
    // Ballot opens 20 February 2026: the notice was due by 13 February, so the old form.
    assert.equal(
      ballotTimetable({ openingDate: "2026-02-20", closingDate: "2026-03-10" }).ballotNoticeForm,
      "lists_figures_explanation",
    );
  });

  test("the action notice period follows the day notice is given: 14 days before 18 February 2026, 10 from it", () => {
    const before = ballotTimetable({
      openingDate: "2026-01-05",
      closingDate: "2026-02-02",
      actionNoticeGivenOn: "2026-02-17",
    });
    const on = ballotTimetable({
      openingDate: "2026-01-05",
      closingDate: "2026-02-02",
      actionNoticeGivenOn: "2026-02-18",
    });
    assert.equal(before.actionNoticeDays, 14);
    assert.equal(on.actionNoticeDays, 10);
  });

  test("warns about a short voting period and a late notice", () => {
    const t = ballotTimetable({
      openingDate: "2026-12-07",
      closingDate: "2026-12-10",
      noticeReceivedOn: "2026-12-02",
    });
    assert.equal(t.warnings.length, 2);
  });
});

describe("voting methods and the law on a date", () => {
  test("postal always; electronic refused until a commencement date is set and reached", () => {
    assert.equal(votingMethodAt("postal", "2026-11-27").inForce, true);
    const e = votingMethodAt("electronic", "2026-11-27");
    assert.equal(e.inForce, false);
    assert.match(e.reason, /not in force/);
    assert.ok(e.unconfirmed);
    assert.equal(
      votingMethodAt("electronic", "2026-11-27", { electronic_voting: "2026-09-01" }).inForce,
      true,
    );
    assert.equal(
      votingMethodAt("workplace", "2026-08-31", { workplace_voting: "2026-09-01" }).inForce,
      false,
    );
  });

  test("every rule in force on a date has a citation; C lists the unconfirmed ones", () => {
    const law = lawAt("2026-11-27");
    assert.equal(law.regime.id, "C");
    assert.ok(law.rules.every((r) => r.version === null || r.version.citation.length > 0));
    const unconfirmed = law.rules.filter((r) => r.version?.unconfirmed).map((r) => r.id);
    assert.ok(unconfirmed.includes("dismissal_statement"));
    assert.ok(unconfirmed.includes("turnout"));
    assert.ok(law.switches.every((s) => !s.inForce));
  });
});
