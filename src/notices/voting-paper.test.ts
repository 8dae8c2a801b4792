/**
 * The voting paper (s.229), read back from the PDF: every item s.229
 * requires, the s.229(4) statement word for word, one question per kind of
 * action, and the 2016 extras (s.229(2B)-(2D)) under B and nowhere else.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  dismissalStatement12Weeks,
  votingPaperA,
  votingPaperB,
} from "../../test/fixtures/notices/documents.js";
import { pdfPageTexts, pdfText } from "../../test/fixtures/notices/pdf-text.js";
import type { VotingPaperInput } from "./documents.model.js";
import { renderVotingPaper } from "./index.js";

const count = (text: string, word: RegExp) => text.match(word)?.length ?? 0;

describe("voting paper", () => {
  test("carries the scrutineer, return address and date, number and authorised person", async () => {
    const text = await pdfText(await renderVotingPaper(votingPaperB()));
    assert.ok(text.includes("Health and Care Workers Union"));
    assert.ok(
      text.includes("Independent scrutineer Civica Election Services 33 Clarendon Road, London N8 0NW"),
    );
    assert.ok(
      text.includes("Return this paper to Civica Election Services, Freepost RTLS-ABCD-1234, London N8 0NW"),
    );
    assert.ok(text.includes("Return by 16 February 2026"));
    assert.ok(text.includes("Voting paper number 0004711"));
    assert.ok(text.includes("in the event of a vote in favour is: Jane Example, General Secretary"));
  });

  test("keeps the s.229(4) statement, unqualified, on the same page as the questions, even when a long summary pushes them over", async () => {
    const long: VotingPaperInput = {
      ...votingPaperB(),
      summaryOfMatters: Array.from(
        { length: 14 },
        (_, i) =>
          `Point ${i + 1}: the pay offer falls short of inflation for every band of staff covered by the agreement.`,
      ).join(" "),
    };
    for (const input of [votingPaperB(), long]) {
      const pages = await pdfPageTexts(await renderVotingPaper(input));
      const withQuestions = pages.filter((p) => p.includes("Question 1: Strike"));
      assert.equal(withQuestions.length, 1);
      assert.ok(withQuestions[0]!.includes(dismissalStatement12Weeks), "statement on the questions' page");
      // Unqualified and uncommented: the statement's paragraph is followed by nothing of its own.
      const after = withQuestions[0]!.split(dismissalStatement12Weeks)[1]!;
      assert.ok(!/^\s*\(/.test(after), "no comment in brackets after the statement");
    }
  });

  test("prints the s.229(4) statement verbatim", async () => {
    const text = await pdfText(await renderVotingPaper(votingPaperB()));
    assert.ok(text.includes(dismissalStatement12Weeks));
  });

  test("asks separate strike and action-short-of-strike questions, each with YES and NO", async () => {
    const text = await pdfText(await renderVotingPaper(votingPaperB()));
    assert.ok(text.includes("Question 1: Strike Are you prepared to take part in a strike? YES NO"));
    assert.ok(
      text.includes(
        "Question 2: Action short of a strike Are you prepared to take part in industrial action short of a strike? Types of industrial action short of a strike: overtime ban; refusal to work beyond contracted hours YES NO",
      ),
    );
    assert.equal(count(text, /\bYES\b/g), 2);
    assert.equal(count(text, /\bNO\b/g), 2);
  });

  test("a strike-only paper has one question", async () => {
    const input = votingPaperA();
    input.questions = input.questions.filter((q) => q.kind === "strike");
    const text = await pdfText(await renderVotingPaper(input));
    assert.ok(text.includes("Question 1: Strike"));
    assert.ok(!text.includes("Question 2"));
    assert.equal(count(text, /\bYES\b/g), 1);
  });

  test("B papers carry the summary of matters and the expected periods", async () => {
    const text = await pdfText(await renderVotingPaper(votingPaperB()));
    assert.ok(
      text.includes("Summary of the matters in issue in the trade dispute The Trust's refusal to pay"),
    );
    assert.ok(text.includes("When the industrial action is expected to take place"));
    assert.ok(text.includes("Strike: between 1 March 2026 and 31 July 2026"));
    assert.ok(text.includes("Overtime ban: from 1 March 2026 to 31 August 2026"));
  });

  test("A papers carry no B extras", async () => {
    const text = await pdfText(await renderVotingPaper(votingPaperA()));
    assert.ok(!text.includes("Summary of the matters"));
    assert.ok(!text.includes("expected to take place"));
    assert.ok(text.includes("Return by 3 November 2011"));
  });

  test("B extras are required under B and refused elsewhere", async () => {
    await assert.rejects(renderVotingPaper({ ...votingPaperB(), summaryOfMatters: null }), /s\.229\(2B\)/);
    await assert.rejects(renderVotingPaper({ ...votingPaperB(), expectedPeriods: [] }), /s\.229\(2D\)/);
    const noTypes = votingPaperB();
    noTypes.questions[1]!.actionTypes = [];
    await assert.rejects(renderVotingPaper(noTypes), /s\.229\(2C\)/);
    await assert.rejects(renderVotingPaper({ ...votingPaperA(), summaryOfMatters: "x" }), /regime B only/);
    await assert.rejects(
      renderVotingPaper({ ...votingPaperB(), regime: "C", summaryOfMatters: null, expectedPeriods: ["x"] }),
      /regime B only/,
    );
  });

  test("two questions of the same kind are refused", async () => {
    const input = votingPaperA();
    input.questions = [input.questions[0]!, { ...input.questions[0]! }];
    await assert.rejects(renderVotingPaper(input), /exactly one question/);
  });

  test("with no scrutineer (50 or fewer entitled) nothing about a scrutineer is printed", async () => {
    const text = await pdfText(await renderVotingPaper({ ...votingPaperA(), scrutineer: null }));
    assert.ok(!/scrutineer/i.test(text));
    assert.ok(!text.includes("Civica Election Services 33"));
  });

  test("a sample says SAMPLE; a real paper does not", async () => {
    const sample = await pdfText(
      await renderVotingPaper({ ...votingPaperB(), sample: true, paperNumber: "SAMPLE" }),
    );
    assert.ok(sample.includes("SAMPLE voting paper"));
    assert.ok(sample.includes("It cannot be used to vote"));
    const real = await pdfText(await renderVotingPaper(votingPaperB()));
    assert.ok(!real.includes("SAMPLE"));
  });

  test("an unconfirmed dismissal statement (C) makes the paper a draft, the reason not printed", async () => {
    const input: VotingPaperInput = {
      ...votingPaperA(),
      regime: "C",
      dismissalStatement: {
        text: "If you take part in a strike or other industrial action, you may be in breach of your contract of employment.",
        citation: "TULRCA 1992 s.229(4) as amended by ERA 2025",
        unconfirmed: "ERA 2025 wording of the s.229(4) statement not verified",
      },
    };
    const text = await pdfText(await renderVotingPaper(input));
    assert.ok(text.includes("DRAFT - NEEDS LEGAL REVIEW - NOT TO BE SENT"));
    assert.ok(!text.includes("not verified"));
    const confirmed = await pdfText(await renderVotingPaper(votingPaperA()));
    assert.ok(!/needs legal review/i.test(confirmed));
  });

  test("the same input renders to the same bytes; another paper number to different bytes", async () => {
    const a = await renderVotingPaper(votingPaperB());
    const b = await renderVotingPaper(votingPaperB());
    assert.ok(a.equals(b));
    const c = await renderVotingPaper({ ...votingPaperB(), paperNumber: "0004712" });
    assert.ok(!a.equals(c));
  });
});
