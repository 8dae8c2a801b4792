import assert from "node:assert/strict";
import { test } from "node:test";
import { pdfPageTexts } from "../../test/fixtures/notices/pdf-text.js";
import { letterAddressCsv, type MemberLetter, renderMemberLetters } from "./member-letters.js";

const union = {
  name: "Health and Public Services Union",
  address: "HPSU House\n130 Euston Road\nLondon NW1 2AY",
  contact: "ballots@hpsu.example",
  signatory: null,
};
const letter = (reference: string, text: string): MemberLetter => ({
  reference,
  name: "Alex Brown",
  addressLines: ["Flat 2", "10 Mill Lane", "Headingley"],
  postcode: "LS6 3AA",
  text,
  footer: "To stop campaign letters: https://mandate.hpsu.example/api/comms/unsubscribe/1.abc",
});

test("each letter is its own page group: a short one a page, a long one over pages, its footer kept", async () => {
  const long = Array.from(
    { length: 40 },
    (_, i) => `Paragraph ${i + 1} of a long letter about the ballot.`,
  ).join("\n\n");
  const input = {
    union,
    issuedOn: "2026-12-07",
    subject: "test",
    letters: [
      letter("1", "Dear Alex,\n\nPlease vote."),
      letter("2", long),
      letter("3", "Dear Alex,\n\nVote."),
    ],
  };
  const out = await renderMemberLetters(input);
  assert.deepEqual(out.pages, [1, 2, 1]);
  const pages = await pdfPageTexts(out.pdf);
  assert.equal(pages.length, 4);
  assert.match(
    pages[0]!,
    /Alex Brown Flat 2 10 Mill Lane Headingley LS6 3AA 7 December 2026 Ref. 1 Dear Alex/,
  );
  assert.match(pages[2]!, /Paragraph 40 .* To stop campaign letters/);
  assert.match(pages[3]!, /Ref. 3/);
  // The same input gives the same bytes.
  assert.ok(out.pdf.equals((await renderMemberLetters(input)).pdf));
  assert.equal(
    letterAddressCsv(input.letters, out.pages).split("\r\n")[2],
    "2,Alex Brown,Flat 2,10 Mill Lane,Headingley,,LS6 3AA,2",
  );
});
