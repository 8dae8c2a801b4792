/**
 * The result notice (ss.231, 231A), read back from the PDF: the whole B
 * field list with the exact figures, whatever the regime.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { ResultNoticeInput } from "./documents.model.js";
import { employer, resultNoticeB, union } from "./fixtures.test-helper.js";
import { renderResultNotice } from "./index.js";
import { pdfText } from "./pdf-text.test-helper.js";

/** A 2011 (A) result: no turnout or 40% rule, yet the same fields are printed. */
function resultNoticeA(): ResultNoticeInput {
  return {
    ...resultNoticeB(),
    issuedOn: "2011-11-04",
    regime: "A",
    audience: "members",
    closingDate: "2011-11-03",
    entitled: 1278,
    votesCast: 412,
    questions: [{ kind: "strike", yes: 311, no: 96, spoilt: 5 }],
    turnout: { applies: false, met: null, percent: (412 / 1278) * 100 },
    support40: { applies: false, met: null },
    mandateNote: "Action must begin by 1 December 2011.",
  };
}

describe("result notice", () => {
  test("to an employer: every B field with the exact figures", async () => {
    const text = await pdfText(await renderResultNotice(resultNoticeB()));
    assert.ok(text.includes(union.name));
    assert.ok(text.includes(`To: ${employer.name}`));
    assert.ok(text.includes("Number of individuals entitled to vote 9,006"));
    assert.ok(text.includes("Number of votes cast 5,231"));
    assert.ok(text.includes("Turnout 58.0%"));
    assert.ok(text.includes("Were the votes cast at least 50% of the number entitled to vote? Yes"));
    assert.ok(text.includes("Spoiled or otherwise invalid voting papers returned"));
    assert.ok(text.includes("Did at least 40% of those entitled to vote answer Yes?"));
    assert.ok(text.includes("Strike 3,874 1,302 55 Yes"));
    assert.ok(text.includes("Action short of a strike 4,429 738 64 Yes"));
    assert.ok(text.includes("Ballot closed 16 February 2026"));
    assert.ok(text.includes("The ballot supports industrial action"));
    assert.ok(text.includes("The mandate expires at the end of 16 August 2026."));
    assert.ok(text.includes("Legal basis TULRCA 1992 s.231A"));
  });

  test("an A ballot still gets the whole list, saying which thresholds do not apply", async () => {
    const text = await pdfText(await renderResultNotice(resultNoticeA()));
    assert.ok(text.includes("To every member entitled to vote"));
    assert.ok(text.includes(`Employer ${employer.name}`));
    assert.ok(!text.includes("To: "), "no employer address block for members");
    assert.ok(text.includes("Number of individuals entitled to vote 1,278"));
    assert.ok(text.includes("Number of votes cast 412"));
    assert.ok(text.includes("Turnout 32.2%"));
    assert.ok(
      text.includes(
        "Were the votes cast at least 50% of the number entitled to vote? The 50% turnout requirement does not apply to this ballot",
      ),
    );
    assert.ok(text.includes("Spoiled or otherwise invalid voting papers returned"));
    assert.ok(text.includes("Strike 311 96 5"));
    assert.ok(text.includes("The 40% support requirement does not apply to this ballot."));
    assert.ok(text.includes("Action must begin by 1 December 2011."));
  });

  test("a failed turnout and 40% test read No, and no mandate", async () => {
    const input: ResultNoticeInput = {
      ...resultNoticeB(),
      votesCast: 4500,
      questions: [{ kind: "strike", yes: 3500, no: 950, spoilt: 50 }],
      turnout: { applies: true, met: false, percent: (4500 / 9006) * 100 }, // 49.966...%
      support40: { applies: true, met: [false] },
      mandate: false,
      mandateNote: "A new ballot is needed before any industrial action.",
    };
    const text = await pdfText(await renderResultNotice(input));
    assert.ok(text.includes("Turnout 49.9%"), "rounded down, never up to the threshold");
    assert.ok(text.includes("Were the votes cast at least 50% of the number entitled to vote? No"));
    assert.ok(text.includes("Strike 3,500 950 50 No"));
    assert.ok(text.includes("The ballot does not support industrial action"));
  });

  test("inconsistent inputs are refused", async () => {
    await assert.rejects(renderResultNotice({ ...resultNoticeB(), employer: null }), /needs the employer/);
    await assert.rejects(
      renderResultNotice({ ...resultNoticeB(), votesCast: 9007 }),
      /more than the 9006 entitled/,
    );
    await assert.rejects(
      renderResultNotice({ ...resultNoticeB(), support40: { applies: true, met: [true] } }),
      /one entry per question/,
    );
    const tooMany = resultNoticeB();
    tooMany.questions[0]!.yes = 5000;
    await assert.rejects(renderResultNotice(tooMany), /add up to more than/);
  });

  test("an unconfirmed legal text makes a draft (reason not printed); none otherwise", async () => {
    const input = resultNoticeB();
    input.legal.push({ text: "", citation: "ERA 2025 s.231", unconfirmed: "C result fields unconfirmed" });
    const draft = await pdfText(await renderResultNotice(input));
    assert.ok(draft.includes("DRAFT - NEEDS LEGAL REVIEW - NOT TO BE SENT"));
    assert.ok(!draft.includes("C result fields unconfirmed"));
    assert.ok(!/needs legal review/i.test(await pdfText(await renderResultNotice(resultNoticeB()))));
  });

  test("the same input renders to the same bytes; a changed count to different bytes", async () => {
    const a = await renderResultNotice(resultNoticeB());
    assert.ok(a.equals(await renderResultNotice(resultNoticeB())));
    const changed = resultNoticeB();
    changed.questions[0]!.no -= 1;
    changed.questions[0]!.spoilt += 1;
    assert.ok(!a.equals(await renderResultNotice(changed)));
  });
});
