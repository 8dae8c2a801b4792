import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  ACTION_NOTICE_PERIOD,
  MANDATE_PERIOD,
  NI_ACTION_NOTICE_PERIOD,
  NI_MANDATE_PERIOD,
} from "../law/index.js";
import { checkDay, type LawfulDayInput, type NoticeFacts } from "./lawful-day.js";

// A regime C ballot (opened after 18 February 2026): a 12-month mandate and 10 days' notice.
const notice = (over: Partial<NoticeFacts> = {}): NoticeFacts => ({
  id: 7,
  givenOn: "2026-11-10",
  continuous: false,
  startDate: null,
  dates: ["2026-11-30"],
  kinds: ["strike"],
  employerIds: [1],
  shorterNoticeAgreed: false,
  suspensions: [],
  ...over,
});
const base = (over: Partial<LawfulDayInput> = {}): LawfulDayInput => ({
  day: "2026-11-30",
  kind: "strike",
  types: [],
  jurisdiction: "gb",
  employerId: 1,
  ballot: { openingDate: "2026-03-02", closingDate: "2026-03-30", actionShortTypes: ["overtime ban"] },
  result: { declaredOn: "2026-03-31", mandateFor: ["strike", "action_short_of_strike"] },
  extendedLastDay: null,
  firstActionDay: "2026-11-30",
  notices: [notice()],
  ...over,
});
const codes = (input: LawfulDayInput) => checkDay(input).reasons.map((r) => r.code);

describe("a day of action checked against the mandate and the notices", () => {
  test("lawful: mandate in force, notice to the employer naming the day, 20 days before", () => {
    const r = checkDay(base());
    assert.deepEqual(r.reasons, []);
    assert.equal(r.lawful, true);
    assert.equal(r.noticeId, 7);
    assert.equal(r.mandateLastDay, "2027-03-29");
  });

  test("the mandate expired: a regime B ballot's six months are over", () => {
    const r = checkDay(
      base({
        day: "2025-09-01",
        firstActionDay: "2025-09-01",
        ballot: { openingDate: "2025-01-06", closingDate: "2025-02-03", actionShortTypes: [] },
        result: { declaredOn: "2025-02-04", mandateFor: ["strike"] },
        notices: [notice({ givenOn: "2025-08-01", dates: ["2025-09-01"] })],
      }),
    );
    assert.equal(r.lawful, false);
    assert.deepEqual(
      r.reasons.map((x) => x.code),
      ["mandate_expired"],
    );
    assert.equal(r.mandateLastDay, "2025-08-02");
    assert.equal(r.reasons[0]!.citation, MANDATE_PERIOD.versions[1]!.citation);
  });

  test("an extension agreed with the employer keeps a regime B mandate in force", () => {
    const r = checkDay(
      base({
        day: "2025-09-01",
        ballot: { openingDate: "2025-01-06", closingDate: "2025-02-03", actionShortTypes: [] },
        result: { declaredOn: "2025-02-04", mandateFor: ["strike"] },
        extendedLastDay: "2025-11-02",
        notices: [notice({ givenOn: "2025-08-01", dates: ["2025-09-01"] })],
      }),
    );
    assert.equal(r.lawful, true);
  });

  test("too short a notice: five days where regime C needs ten (taken from the law data)", () => {
    const r = checkDay(base({ notices: [notice({ givenOn: "2026-11-25" })] }));
    assert.deepEqual(
      r.reasons.map((x) => x.code),
      ["notice_too_short"],
    );
    assert.equal(r.reasons[0]!.citation, ACTION_NOTICE_PERIOD.versions[2]!.citation);
    // Ten days exactly is enough.
    assert.deepEqual(codes(base({ notices: [notice({ givenOn: "2026-11-20" })] })), []);
    assert.deepEqual(codes(base({ notices: [notice({ givenOn: "2026-11-21" })] })), ["notice_too_short"]);
  });

  test("regime B: seven days' notice is enough only when the employer agreed", () => {
    const b = {
      day: "2025-03-20",
      firstActionDay: "2025-03-20",
      ballot: { openingDate: "2025-01-06", closingDate: "2025-02-03", actionShortTypes: [] },
      result: { declaredOn: "2025-02-04", mandateFor: ["strike"] },
    };
    assert.deepEqual(
      codes(base({ ...b, notices: [notice({ givenOn: "2025-03-13", dates: ["2025-03-20"] })] })),
      ["notice_too_short"],
    );
    assert.deepEqual(
      codes(
        base({
          ...b,
          notices: [notice({ givenOn: "2025-03-13", dates: ["2025-03-20"], shorterNoticeAgreed: true })],
        }),
      ),
      [],
    );
  });

  test("the notice does not name the day", () => {
    const r = checkDay(base({ day: "2026-12-01" }));
    assert.deepEqual(
      r.reasons.map((x) => x.code),
      ["notice_not_naming_day"],
    );
    assert.match(r.reasons[0]!.message, /2026-12-01/);
  });

  test("a continuous notice covers every day from its start", () => {
    assert.deepEqual(
      codes(
        base({
          day: "2026-12-14",
          notices: [notice({ continuous: true, startDate: "2026-11-30", dates: [] })],
        }),
      ),
      [],
    );
  });

  test("no notice to this employer, and no notice at all", () => {
    assert.deepEqual(codes(base({ employerId: 2 })), ["notice_not_to_employer"]);
    assert.deepEqual(codes(base({ notices: [] })), ["no_notice"]);
    // A notice of action short of a strike is no notice of a strike.
    assert.deepEqual(codes(base({ notices: [notice({ kinds: ["action_short_of_strike"] })] })), [
      "no_notice",
    ]);
  });

  test("no mandate for the kind, a type not on the voting paper, no result yet", () => {
    assert.deepEqual(
      codes(base({ result: { declaredOn: "2026-03-31", mandateFor: ["action_short_of_strike"] } })),
      ["no_mandate_for_kind"],
    );
    assert.deepEqual(
      codes(
        base({
          kind: "action_short_of_strike",
          types: ["work to rule"],
          notices: [notice({ kinds: ["action_short_of_strike"] })],
        }),
      ),
      ["type_not_balloted"],
    );
    assert.deepEqual(codes(base({ result: null })), ["no_result"]);
  });

  test("a day inside a suspension agreed with the employer", () => {
    const suspended = notice({
      dates: ["2026-11-30", "2026-12-07"],
      suspensions: [{ from: "2026-11-28", resumeFrom: "2026-12-05", resumedOn: null }],
    });
    assert.deepEqual(codes(base({ notices: [suspended] })), ["suspended"]);
    assert.deepEqual(codes(base({ day: "2026-12-07", notices: [suspended] })), []);
  });

  test("Northern Ireland: action must begin within four weeks; seven days' notice", () => {
    const ni = {
      jurisdiction: "ni" as const,
      day: "2026-04-20",
      firstActionDay: "2026-04-20",
      notices: [notice({ givenOn: "2026-04-13", dates: ["2026-04-20", "2026-05-11"] })],
    };
    const r = checkDay(base(ni));
    assert.deepEqual(r.reasons, []);
    assert.equal(r.mandateLastDay, "2026-04-26");
    // A later day of action is lawful once action began in time.
    assert.deepEqual(codes(base({ ...ni, day: "2026-05-11" })), []);
    // Six days' notice is too short there.
    const short = checkDay(
      base({ ...ni, notices: [notice({ givenOn: "2026-04-14", dates: ["2026-04-20"] })] }),
    );
    assert.deepEqual(
      short.reasons.map((x) => x.code),
      ["notice_too_short"],
    );
    assert.equal(short.reasons[0]!.citation, NI_ACTION_NOTICE_PERIOD.versions[0]!.citation);
    // Action first called after the four weeks: not begun in time.
    const late = checkDay(
      base({
        ...ni,
        day: "2026-05-11",
        firstActionDay: "2026-05-11",
        notices: [notice({ givenOn: "2026-04-13", dates: ["2026-05-11"] })],
      }),
    );
    assert.deepEqual(
      late.reasons.map((x) => x.code),
      ["action_not_begun_in_time"],
    );
    assert.equal(late.reasons[0]!.citation, NI_MANDATE_PERIOD.versions[0]!.citation);
  });
});
