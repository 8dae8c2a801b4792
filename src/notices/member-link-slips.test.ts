import assert from "node:assert/strict";
import { test } from "node:test";
import { pdfPageTexts } from "../../test/fixtures/notices/pdf-text.js";
import { renderMemberLinkSlips } from "./member-link-slips.js";

const slip = (n: number) => ({
  name: `Sam Voter${n}`,
  membershipNumber: `M${100 + n}`,
  workplace: n === 1 ? null : "St James's University Hospital",
  ballotName: "Pay 2026: St James's",
  opensOn: "2026-12-07",
  closesOn: "2027-01-04",
  url: `https://mandate.example/m#${String(n).repeat(43)}`,
});
const input = {
  unionName: "Health Workers' Union",
  contact: "ballots@hwu.example",
  issuedOn: "2026-12-01",
  slips: [slip(1), slip(2), slip(3)],
};

test("member link slips: one member per page with their own link and its expiry; same input, same bytes", async () => {
  const pdf = await renderMemberLinkSlips(input);
  const pages = await pdfPageTexts(pdf);
  assert.equal(pages.length, 3);
  for (const [i, page] of pages.entries()) {
    const n = i + 1;
    assert.ok(page.includes(`Sam Voter${n}`), page);
    assert.ok(page.replace(/\s+/g, "").includes(`/m#${String(n).repeat(43)}`), "the member's link");
    for (const other of [1, 2, 3].filter((o) => o !== n))
      assert.ok(!page.includes(`Sam Voter${other}`), "another member on the page");
    assert.ok(page.includes("It works until the end of 4 January 2027."), page);
  }
  assert.ok(pages[0]!.includes("Membership number M101") && !pages[0]!.includes("M101 -"));
  assert.deepEqual(await renderMemberLinkSlips(input), pdf);
  const empty = await pdfPageTexts(await renderMemberLinkSlips({ ...input, slips: [] }));
  assert.deepEqual(empty.length, 1);
  assert.match(empty[0]!, /No members/);
});
