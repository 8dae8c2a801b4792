import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parseScrutineerResult } from "./scrutineer-result.js";

describe("the scrutineer's result file", () => {
  test("RMT December 2024 as a scrutineer reports it: both questions, spoilt papers per question", () => {
    const { result, problems } = parseScrutineerResult(
      "Question,Votes cast,Yes,No,Spoiled\nStrike,326,308,16,2\nAction short of a strike,326,308,18,0\n",
      "result.csv",
    );
    assert.deepEqual(problems, []);
    assert.deepEqual(result, {
      votesCast: 326,
      questions: [
        { question: "strike", yes: 308, no: 16, spoilt: 2 },
        { question: "action_short_of_strike", yes: 308, no: 18, spoilt: 0 },
      ],
    });
  });

  test("without a spoilt column the rest of the papers returned are spoilt", () => {
    const { result } = parseScrutineerResult(
      'question,votes_cast,yes,no\nstrike,"86,246","79,259","6,918"\n',
      "r.csv",
    );
    assert.deepEqual(result?.questions, [{ question: "strike", yes: 79_259, no: 6_918, spoilt: 69 }]);
  });

  test("every problem named by file, line and field", () => {
    const { result, problems } = parseScrutineerResult(
      "question,votes_cast,yes,no\nstrike,10,six,3\npicket,11,5,5\n",
      "r.csv",
    );
    assert.equal(result, null);
    assert.deepEqual(
      problems.map((p) => `${p.file}:${p.line}:${p.field}:${p.code}`),
      [
        "r.csv:2:yes:number.invalid",
        "r.csv:3:question:question.unknown",
        "r.csv:2:votes_cast:votes_cast.differs",
      ],
    );
    const missing = parseScrutineerResult("question,yes,no\nstrike,1,2\n", "r.csv");
    assert.equal(missing.problems[0]?.field, "votes_cast");
  });
});
