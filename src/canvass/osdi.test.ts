import assert from "node:assert/strict";
import { test } from "node:test";
import { fromOsdi, toOsdi } from "./osdi.js";

const record = {
  id: 7,
  membershipNumber: "M123",
  repUserId: 4,
  contactType: "conversation" as const,
  outcome: "reached" as const,
  report: "will_vote" as const,
  occurredAt: new Date("2026-12-15T10:01:00Z"),
};

test("a contact becomes an OSDI canvass and back unchanged", () => {
  const out = toOsdi(record);
  assert.equal(out.action_date, "2026-12-15T10:01:00.000Z");
  assert.equal(out.contact_type, "in-person");
  assert.equal(out.success, true);
  assert.equal(out.status_code, "success");
  assert.deepEqual(out.target, { identifiers: ["mandate_member:M123"] });
  assert.deepEqual(out.answers, [{ question: "ballot_return", responses: ["will_vote"] }]);
  const back = fromOsdi(JSON.parse(JSON.stringify(out)));
  assert.deepEqual(back, {
    canvass: {
      membershipNumber: "M123",
      contactType: "conversation",
      outcome: "reached",
      report: "will_vote",
      occurredAt: record.occurredAt,
    },
  });
  const notIn = toOsdi({ ...record, outcome: "not_in", report: null, contactType: "phone" });
  assert.deepEqual([notIn.success, notIn.status_code, notIn.answers], [false, "not-home", undefined]);
});

test("another system's canvass: its spellings are read; what Mandate cannot record is named by field", () => {
  const other = {
    action_date: "2026-12-15T09:00:00+01:00",
    contact_type: "phoneCall",
    success: true,
    status_code: "",
    target: { identifiers: ["foreign:1", "mandate_member:M9"] },
  };
  const ok = fromOsdi(other);
  assert.ok("canvass" in ok);
  assert.equal(ok.canvass.contactType, "phone");
  assert.equal(ok.canvass.outcome, "reached");
  assert.equal(ok.canvass.occurredAt.toISOString(), "2026-12-15T08:00:00.000Z");
  const bad = fromOsdi({
    ...other,
    contact_type: "pigeon",
    status_code: "not-home",
    target: { identifiers: ["foreign:1"] },
    answers: [{ question: "ballot_return", responses: ["voted_yes"] }],
  });
  assert.ok("problems" in bad);
  assert.deepEqual(
    bad.problems.map((p) => p.split(":")[0]),
    ["contact_type", "success", "target.identifiers", "answers", "answers"],
  );
  const shape = fromOsdi({ contact_type: 3 });
  assert.ok("problems" in shape && shape.problems.some((p) => p.startsWith("action_date")));
});
