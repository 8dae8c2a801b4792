/**
 * The result notice (ss.231, 231A) as a letter, read back from the PDF: the
 * whole B field list with the exact figures, the turnout and 40% answers only
 * where those rules apply, and nothing for the union's staff only (rule
 * summaries, ISO dates, review reasons).
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { employer, resultNoticeB, union } from "../../test/fixtures/notices/documents.js";
import { pdfText } from "../../test/fixtures/notices/pdf-text.js";
import type { ResultNoticeInput } from "./documents.model.js";
import { renderResultNotice } from "./index.js";

const signatory = { name: "Jo Bloggs", title: "General Secretary" };

/** A 2011 (A) result: no turnout or 40% rule. */
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
    mandateFor: ["strike"],
    mandatePeriod: { kind: "begin_within", lastDay: "2011-11-30", lastDayByAgreement: "2011-12-28" },
  };
}

/**
 * A Northern Ireland result (TULR(NI)O 1995; decision 0013): the Order has no
 * turnout threshold and no 40% rule (the Trade Union Act 2016 extends to
 * Great Britain only), so the letter must say nothing about either.
 */
function resultNoticeNI(): ResultNoticeInput {
  return {
    ...resultNoticeA(),
    issuedOn: "2026-11-19",
    regime: "A",
    audience: "employer",
    closingDate: "2026-11-18",
    mandatePeriod: { kind: "begin_within", lastDay: "2026-12-15", lastDayByAgreement: "2027-01-12" },
    legal: [
      {
        text: "Votes cast, the number answering Yes and No to each question, and spoiled papers.",
        citation: "TULR(NI)O 1995 Arts.112-113",
        unconfirmed: null,
      },
    ],
  };
}

/** What only the union's staff may read: rule summaries, ISO dates, the words of a review reason. */
function assertNoInternalWording(text: string): void {
  assert.doesNotMatch(text, /\b\d{4}-\d{2}-\d{2}\b/, "no YYYY-MM-DD dates: dates in words");
  assert.doesNotMatch(text, /summary/i);
  assert.doesNotMatch(text, /This notice gives the result of the ballot to every relevant employer/);
  assert.doesNotMatch(text, /Mandate|decision 00/, "no word of the software or its decision records");
}

describe("result notice", () => {
  test("to an employer: a letter with every B field and the exact figures (s.231A; s.231 as substituted by TUA 2016 s.6)", async () => {
    const text = await pdfText(
      await renderResultNotice({ ...resultNoticeB(), union: { ...union, signatory } }),
    );
    assert.ok(text.includes(union.name));
    assert.ok(text.includes("Date: 17 February 2026"));
    assert.ok(text.includes(`To: ${employer.name}`));
    assert.ok(text.includes("Dear Sir or Madam,"));
    assert.ok(text.includes("which closed on 16 February 2026"));
    assert.ok(text.includes("Number of individuals entitled to vote 9,006"));
    assert.ok(text.includes("Number of votes cast 5,231"));
    assert.ok(
      text.includes(
        "Did at least 50% of those entitled to vote cast a vote? Yes: 58.0% of those entitled voted",
      ),
    );
    assert.ok(text.includes("Spoiled or otherwise invalid voting papers"));
    assert.ok(text.includes("Did at least 40% of those entitled to vote answer Yes?"));
    assert.ok(text.includes("Strike 3,874 1,302 55 Yes"));
    assert.ok(text.includes("Action short of a strike 4,429 738 64 Yes"));
    assert.ok(
      text.includes(
        "The result of the ballot supports strike action and industrial action short of a strike.",
      ),
    );
    assert.ok(
      text.includes(
        "until the end of 15 August 2026, or 15 November 2026 if the union and the employer agree a longer period",
      ),
    );
    assert.ok(text.includes("Yours faithfully, Jo Bloggs General Secretary"));
    assert.ok(text.includes(`for and on behalf of ${union.name}`));
    assert.ok(text.includes("Legal basis TULRCA 1992 s.231A"));
    assertNoInternalWording(text);
  });

  test("to members: Dear Member and Yours sincerely; no employer address block", async () => {
    const text = await pdfText(
      await renderResultNotice({ ...resultNoticeB(), audience: "members", employer: null }),
    );
    assert.ok(text.includes("Dear Member,"));
    assert.ok(text.includes("in which you were entitled to vote"));
    assert.ok(text.includes("Yours sincerely,"));
    assert.ok(!text.includes("To: "));
    assertNoInternalWording(text);
  });

  test("an A ballot: the 2011 fields, and nothing about turnout or 40% rules that did not exist (s.231 as in 2011)", async () => {
    const text = await pdfText(await renderResultNotice(resultNoticeA()));
    assert.ok(text.includes("Number of individuals entitled to vote 1,278"));
    assert.ok(text.includes("Number of votes cast 412"));
    assert.ok(text.includes("Strike 311 96 5"));
    assert.ok(text.includes("must begin no later than 30 November 2011, or 28 December 2011 if the union"));
    assert.doesNotMatch(text, /50%|40%|turnout/i);
    assertNoInternalWording(text);
  });

  test("Northern Ireland: no turnout or 40% test, so the letter says nothing about them (TULR(NI)O 1995 Art.104)", async () => {
    const text = await pdfText(await renderResultNotice(resultNoticeNI()));
    assert.ok(text.includes("Number of votes cast 412"));
    assert.ok(text.includes("Strike 311 96 5"));
    assert.ok(text.includes("Legal basis TULR(NI)O 1995 Arts.112-113"));
    assert.doesNotMatch(text, /50%|40%|turnout|threshold/i);
    assert.doesNotMatch(text, /Votes cast, the number answering/, "the rule's words are not pasted in");
    assertNoInternalWording(text);
  });

  test("a failed turnout and 40% test read No, and no mandate", async () => {
    const input: ResultNoticeInput = {
      ...resultNoticeB(),
      votesCast: 4500,
      questions: [{ kind: "strike", yes: 3500, no: 950, spoilt: 50 }],
      turnout: { applies: true, met: false, percent: (4500 / 9006) * 100 }, // 49.966...%
      support40: { applies: true, met: [false] },
      mandate: false,
      mandateFor: [],
      mandatePeriod: null,
    };
    const text = await pdfText(await renderResultNotice(input));
    assert.ok(text.includes("No: 49.9% of those entitled voted"), "rounded down, never up to the threshold");
    assert.ok(text.includes("Strike 3,500 950 50 No"));
    assert.ok(text.includes("The result of the ballot does not support industrial action."));
    assert.doesNotMatch(text, /until the end of/);
  });

  test("a mandate for one question only says which", async () => {
    const input: ResultNoticeInput = { ...resultNoticeB(), mandateFor: ["action_short_of_strike"] };
    const text = await pdfText(await renderResultNotice(input));
    assert.ok(
      text.includes("supports industrial action short of a strike. It does not support strike action."),
    );
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
    await assert.rejects(renderResultNotice({ ...resultNoticeB(), mandateFor: [] }), /disagree/);
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
