import assert from "node:assert/strict";
import { test } from "node:test";
import { BALLOT_STATES, type BallotState } from "./ballots.model.js";
import { actionsIn, BALLOT_ACTIONS, type BallotAction, canDo } from "./lifecycle.js";

/**
 * The whole table, state by action, written out as the officer would expect
 * it: which actions each state allows. Every refusal carries the code and a
 * reason in words, never the state's identifier.
 */
const ALLOWED: Record<BallotState, readonly BallotAction[]> = {
  draft: ["edit_setup", "record_statement", "freeze"],
  frozen: ["edit_setup", "record_statement", "freeze", "list_electorate", "generate_notices"],
  notices_issued: [
    "list_electorate",
    "generate_notices",
    "produce_voter_file",
    "record_replacements",
    "record_result",
    "preview_action_notice",
  ],
  open: [
    "list_electorate",
    "produce_voter_file",
    "record_replacements",
    "record_result",
    "preview_action_notice",
  ],
  closed: [
    "list_electorate",
    "produce_voter_file",
    "record_result",
    "record_scrutineer_report",
    "preview_action_notice",
  ],
  result_declared: [
    "list_electorate",
    "produce_voter_file",
    "record_result",
    "record_scrutineer_report",
    "produce_result_notices",
    "preview_action_notice",
    "give_action_notice",
    "extend_mandate",
  ],
};

for (const state of BALLOT_STATES) {
  for (const action of BALLOT_ACTIONS) {
    const expected = ALLOWED[state].includes(action);
    test(`${state} x ${action}: ${expected ? "allowed" : "refused with the reason"}`, () => {
      const answer = canDo(state, action);
      assert.equal(answer.allowed, expected);
      if (!answer.allowed) {
        assert.equal(answer.code, "ballots.wrong_state");
        assert.ok(answer.reason.length > 20, answer.reason);
        assert.ok(!/_/.test(answer.reason), `in words, not identifiers: ${answer.reason}`);
      }
    });
  }
}

test("a draft asks for the electorate to be frozen first, where a frozen one would do", () => {
  const answer = canDo("draft", "generate_notices");
  assert.ok(!answer.allowed && /Freeze the electorate first/.test(answer.reason));
});

test("once the notices are out, the set-up and the electorate are fixed", () => {
  for (const action of ["edit_setup", "freeze", "record_statement"] as const) {
    const answer = canDo("notices_issued", action);
    assert.ok(!answer.allowed && /notices of ballot have been generated/.test(answer.reason));
  }
});

test("actionsIn lists every action once, in the table's order", () => {
  assert.deepEqual(
    actionsIn("frozen").map((a) => a.action),
    [...BALLOT_ACTIONS],
  );
});
