/**
 * The shared layout's small pure parts: counts as printed, text the
 * standard fonts can draw, and the legal-basis bookkeeping.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ballotNoticeAB } from "../../test/fixtures/notices/documents.js";
import { pdfText } from "../../test/fixtures/notices/pdf-text.js";
import { renderBallotNotice } from "./index.js";
import { clean, formatCount } from "./layout.js";
import { citations, reviewReasons } from "./legal.js";

describe("formatCount", () => {
  for (const [n, s] of [
    [0, "0"],
    [999, "999"],
    [1000, "1,000"],
    [9006, "9,006"],
    [1100000, "1,100,000"],
  ] as const) {
    test(`${n} → ${s}`, () => assert.equal(formatCount(n), s));
  }
});

describe("clean", () => {
  test("keeps ASCII, Latin-1 and WinAnsi punctuation as they are", () => {
    for (const s of ["St James's", "Côte & Søn – “quoted” — £5 €3"]) assert.equal(clean(s), s);
  });

  test("drops accents the fonts cannot draw, and replaces what has no base letter", () => {
    assert.equal(clean("Ysgol Bro Ŵyr"), "Ysgol Bro Wyr");
    assert.equal(clean("Łódź"), "?ódz");
    assert.equal(clean("a\tb\r\nc"), "a b\nc");
  });

  test("a Welsh workplace name prints readably", async () => {
    const input = ballotNoticeAB();
    input.workplaces[0]!.workplace = "Ysbyty Ŵyr";
    const text = await pdfText(await renderBallotNotice(input));
    assert.ok(text.includes("Ysbyty Wyr RR813"));
  });
});

describe("legal bookkeeping", () => {
  const a = { text: "", citation: "s.1", unconfirmed: null };
  const b = { text: "", citation: "s.2", unconfirmed: "unchecked" };
  test("citations once each, in first-use order, unconfirmed ones flagged", () => {
    assert.deepEqual(citations([a, b, a, { ...a, citation: "s.2" }]), [
      { citation: "s.1", unconfirmed: false },
      { citation: "s.2", unconfirmed: true },
    ]);
  });

  test("review reasons: the texts' then upstream, without repeats; a blank reason still counts", () => {
    assert.deepEqual(reviewReasons([a, b, b], ["regime unconfirmed", "unchecked"]), [
      "unchecked",
      "regime unconfirmed",
    ]);
    assert.deepEqual(reviewReasons([{ ...b, unconfirmed: " " }]), ["s.2: reason not given"]);
    assert.deepEqual(reviewReasons([a]), []);
  });
});
