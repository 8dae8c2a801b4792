/**
 * The artwork specification, read back from the PDF next to the sample
 * voting paper rendered from the same input: the question wording and the
 * s.229(4) statement must be the sample's, word for word, so the printed
 * papers match what the employers were sent (s.226A(1)(b)).
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { artworkSpecB, union } from "../../test/fixtures/notices/documents.js";
import { pdfText } from "../../test/fixtures/notices/pdf-text.js";
import { renderArtworkSpec, renderVotingPaper } from "./index.js";

/** The text of the sample paper between two markers, as a reader sees it. */
function between(text: string, from: string, to: string): string {
  const start = from ? text.indexOf(from) : 0;
  const end = text.indexOf(to, start + from.length);
  assert.ok(start >= 0 && end > start, `"${from}" ... "${to}" not found`);
  return text.slice(start + from.length, end).trim();
}

describe("artwork specification", () => {
  test("the questions and the s.229(4) statement are the sample paper's, word for word (s.229(2), (4))", async () => {
    const input = artworkSpecB();
    const spec = await pdfText(await renderArtworkSpec(input));
    const sample = await pdfText(await renderVotingPaper(input.sample));
    // Each question as the sample prints it (read back from the PDF), found verbatim in the spec.
    const strike = between(sample, "Question 1: Strike", "YES NO");
    assert.equal(strike, "Are you prepared to take part in a strike?");
    assert.ok(spec.includes(`Question 1: Strike ${strike}`));
    const asos = between(sample, "Question 2: Action short of a strike", "Types of");
    assert.equal(asos, "Are you prepared to take part in industrial action short of a strike?");
    assert.ok(spec.includes(`Question 2: Action short of a strike ${asos}`));
    // The statement as the sample prints it, after the last YES/NO boxes, found verbatim in the spec.
    const afterBoxes = sample.slice(sample.lastIndexOf("YES NO") + "YES NO".length);
    const statement = between(afterBoxes, "", "When the industrial action");
    assert.equal(statement, input.sample.dismissalStatement.text);
    assert.ok(spec.includes(statement));
    // The action types line and the voting instruction too.
    assert.ok(sample.includes("Types of industrial action short of a strike: overtime ban"));
    assert.ok(spec.includes("Types of industrial action short of a strike: overtime ban"));
    const instruction = "Questions: vote by marking a cross (X) in one box for each question";
    assert.ok(sample.includes(instruction) && spec.includes(instruction));
    assert.ok(spec.includes("unqualified") || spec.includes("no qualification"));
    assert.ok(spec.includes("on the same page as the questions and immediately after them"));
  });

  test("paper, parties, numbering from the frozen electorate, closing date and method (s.229(1A), s.230)", async () => {
    const input = artworkSpecB();
    const spec = await pdfText(await renderArtworkSpec(input));
    assert.ok(spec.includes("Paper size and orientation A4 (210 x 297 mm), portrait"));
    assert.ok(spec.includes(`Union ${union.name}`));
    assert.ok(
      spec.includes("Independent scrutineer Civica Election Services 33 Clarendon Road, London N8 0NW"),
    );
    assert.ok(
      spec.includes("Return address Civica Election Services, Freepost RTLS-ABCD-1234, London N8 0NW"),
    );
    assert.ok(spec.includes('Closing date 16 February 2026, printed as "Return by 16 February 2026"'));
    assert.ok(spec.includes("consecutive series 0000001 to 0009006 (9,006 papers"));
    assert.ok(spec.includes("3f".repeat(32)), "the full electorate fingerprint");
    assert.ok(spec.includes("from 0009007"));
    assert.ok(spec.includes("Method of voting Postal."));
    assert.ok(spec.includes("Re-ballot No"));
    assert.ok(spec.includes("Jane Example, General Secretary"));
    assert.doesNotMatch(spec, /\b\d{4}-\d{2}-\d{2}\b/);
  });

  test("a re-ballot: the sample's 'continue to take part' wording, and a spec that disagrees is refused (s.229(2))", async () => {
    const input = artworkSpecB();
    input.reballot = true;
    await assert.rejects(renderArtworkSpec(input), /continue to take part/);
    for (const q of input.sample.questions) {
      q.text = q.text.replace("to take part in", "to take part or to continue to take part in");
    }
    const spec = await pdfText(await renderArtworkSpec(input));
    assert.ok(spec.includes("Are you prepared to take part or to continue to take part in a strike?"));
    assert.ok(spec.includes("Re-ballot Yes"));
  });

  test("no scrutineer for 50 or fewer entitled (s.226C); inconsistent inputs refused", async () => {
    const small = artworkSpecB();
    small.sample.scrutineer = null;
    small.numbering.last = 42;
    const spec = await pdfText(await renderArtworkSpec(small));
    assert.ok(spec.includes("do not print a scrutineer"));
    assert.ok(spec.includes("0000001 to 0000042"));
    await assert.rejects(
      renderArtworkSpec({ ...artworkSpecB(), numbering: { first: 0, last: 9, digits: 7 } }),
      /numbered from 1/,
    );
    await assert.rejects(
      renderArtworkSpec({ ...artworkSpecB(), numbering: { first: 1, last: 12_345_678, digits: 7 } }),
      /does not fit/,
    );
    await assert.rejects(
      renderArtworkSpec({ ...artworkSpecB(), sample: { ...artworkSpecB().sample, sample: false } }),
      /sample voting paper/,
    );
  });

  test("a draft while the statement needs legal review; the same input gives the same bytes", async () => {
    const input = artworkSpecB();
    input.sample.dismissalStatement = {
      ...input.sample.dismissalStatement,
      unconfirmed: "wording not confirmed",
    };
    const draft = await pdfText(await renderArtworkSpec(input));
    assert.ok(draft.includes("DRAFT - NEEDS LEGAL REVIEW - NOT TO BE SENT"));
    assert.ok(!draft.includes("wording not confirmed"));
    const a = await renderArtworkSpec(artworkSpecB());
    assert.ok(a.equals(await renderArtworkSpec(artworkSpecB())));
  });
});
