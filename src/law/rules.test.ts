import assert from "node:assert/strict";
import { test } from "node:test";
import { COMMENCEMENTS, RULES, ruleTitle } from "./rules.js";

test("every rule id that legal review can name has a title for people, never the id itself", () => {
  assert.equal(ruleTitle("dismissal_statement"), "Statement on the voting paper");
  assert.equal(ruleTitle("turnout"), "Turnout threshold");
  assert.equal(ruleTitle("turnout_threshold_repeal"), COMMENCEMENTS.turnout_threshold_repeal.title);
  for (const id of [...RULES.map((r) => r.id), ...Object.keys(COMMENCEMENTS), "voting_method"])
    assert.doesNotMatch(ruleTitle(id), /_/, id);
});
