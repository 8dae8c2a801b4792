/**
 * The notice of ballot (s.226A), read back from the PDF: the figures of the
 * A/B form exactly as given, none of them in the C form, the legal-review
 * banner only when a rule is unconfirmed, the CSV annex for long lists, and
 * the same bytes every time.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  ballotNoticeAB,
  ballotNoticeC,
  categories,
  employer,
  explanation,
  manyWorkplaces,
  union,
  workplaces,
} from "../../test/fixtures/notices/documents.js";
import { pdfPageTexts, pdfText } from "../../test/fixtures/notices/pdf-text.js";
import type { BallotNoticeInput } from "./documents.model.js";
import { ballotNoticeAnnexes, renderBallotNotice } from "./index.js";

const withCommas = (n: number) => n.toLocaleString("en-GB");

describe("notice of ballot, A/B form (lists, figures and explanation)", () => {
  test("prints the parties, every figure exactly, the totals and the explanation", async () => {
    const text = await pdfText(await renderBallotNotice(ballotNoticeAB()));
    assert.ok(text.includes(union.name));
    assert.ok(text.includes(employer.name));
    assert.ok(text.includes("Notice of industrial action ballot"));
    assert.ok(text.includes("Opening day of the ballot 26 January 2026"), "the opening day, UK style");
    assert.ok(text.includes("Date: 12 January 2026"));
    assert.ok(
      text.includes(
        `${union.name} gives you notice under section 226A of the Trade Union and Labour Relations (Consolidation) Act 1992 that it intends to hold a ballot of its members employed by you`,
      ),
      "the notice is a letter from the union",
    );
    assert.ok(text.includes("Dear Sir or Madam"));
    assert.ok(text.includes("will be 26 January 2026"), "the opening day in words (s.226A(2)(b))");
    assert.ok(!/\d{4}-\d{2}-\d{2}/.test(text), "no ISO dates in the letter");
    assert.ok(text.includes("Yours faithfully"));
    assert.ok(text.includes(`for and on behalf of ${union.name}`));
    assert.ok(!text.includes("The employer must receive"), "no rule summaries pasted as text");
    for (const c of categories) assert.ok(text.includes(`${c.category} ${withCommas(c.count)}`), c.category);
    for (const w of workplaces) {
      assert.ok(
        text.includes(`${w.workplace} ${w.siteCode} ${w.address} ${w.postcode} ${withCommas(w.count)}`),
        w.workplace,
      );
    }
    assert.ok(text.includes("Total 9,006"), "the tables' total rows");
    assert.ok(text.includes("The total number of employees concerned is 9,006."));
    assert.ok(text.includes(explanation));
    assert.ok(text.includes("TULRCA 1992 s.228A(4)"), "the aggregation test's subsection");
    assert.ok(text.includes("Legal basis TULRCA 1992 s.226A(2)(a); TULRCA 1992 s.226A(2)(b)"));
  });

  test("every page has the reference, the fingerprint's first 16 characters and Page n of m", async () => {
    const pages = await pdfPageTexts(await renderBallotNotice(ballotNoticeAB()));
    assert.ok(pages.length >= 2);
    pages.forEach((page, i) => {
      assert.ok(page.includes("Reference HCWU/2026/NB-0042"), `page ${i + 1}`);
      assert.ok(page.includes("Electorate fingerprint abababababababab "), `page ${i + 1}`);
      assert.ok(!page.includes("abababababababababa"), "only 16 characters of the fingerprint");
      assert.ok(page.includes(`Page ${i + 1} of ${pages.length}`), `page ${i + 1}`);
    });
  });

  test("a table that runs onto the next page repeats its header there", async () => {
    const input = {
      ...ballotNoticeAB(),
      workplaces: manyWorkplaces(40),
      categories: [{ category: "All staff", count: 820 }],
      total: 820,
    };
    const pages = await pdfPageTexts(await renderBallotNotice(input));
    const withRows = pages.filter((p) => p.includes("Health centre"));
    assert.ok(withRows.length >= 2, "the 40 workplaces take more than one page");
    for (const page of withRows) assert.ok(page.includes("Workplace Site code Address Postcode Number"));
    assert.ok(!pages.join(" ").includes("annex"), "40 rows still print in full");
  });

  test("throws when the category counts do not add up to the total", async () => {
    const input = ballotNoticeAB();
    input.categories[0]!.count += 1;
    await assert.rejects(renderBallotNotice(input), /category counts add up to 9007, not the total of 9006/);
    assert.throws(() => ballotNoticeAnnexes(input), /category counts add up/);
  });

  test("throws when the workplace counts do not add up to the total", async () => {
    const input = ballotNoticeAB();
    input.workplaces[9]!.count -= 1;
    await assert.rejects(renderBallotNotice(input), /workplace counts add up to 9005, not the total of 9006/);
  });

  test("throws when the explanation is missing or the form drops the figures", async () => {
    await assert.rejects(renderBallotNotice({ ...ballotNoticeAB(), explanation: " " }), /explanation/);
    await assert.rejects(
      renderBallotNotice({ ...ballotNoticeAB(), form: "lists_total" }),
      /regime B requires/,
    );
  });

  test("throws on a count that is not a whole number", async () => {
    const input = ballotNoticeAB();
    input.categories[2]!.count = 357.5;
    await assert.rejects(renderBallotNotice(input), /invalid count/);
  });
});

describe("notice of ballot, C form (lists and total only)", () => {
  test("lists categories and workplaces and gives the total", async () => {
    const text = await pdfText(await renderBallotNotice(ballotNoticeC()));
    for (const c of categories) assert.ok(text.includes(c.category), c.category);
    for (const w of workplaces)
      assert.ok(text.includes(`${w.workplace} ${w.siteCode} ${w.address} ${w.postcode}`));
    assert.ok(text.includes("The total number of employees concerned is 9,006."));
    assert.ok(text.includes("Opening day of the ballot 21 December 2026"));
  });

  test("prints no per-category or per-workplace number and no explanation", async () => {
    const text = await pdfText(await renderBallotNotice(ballotNoticeC()));
    for (const n of [...categories.map((c) => c.count), ...workplaces.map((w) => w.count)]) {
      // Each fixture count is distinctive (no date, code or reference contains it).
      assert.ok(!text.includes(withCommas(n)) && !text.includes(String(n)), `count ${n} must not appear`);
    }
    assert.ok(!text.includes("Number"), "no Number column");
    assert.ok(!text.includes(explanation.slice(0, 40)));
    assert.ok(!text.includes("How these figures were arrived at"));
  });

  test("does not check per-list sums it does not print", async () => {
    const input = ballotNoticeC();
    input.categories[0]!.count = 0;
    await assert.doesNotReject(renderBallotNotice(input));
  });
});

describe("needs legal review: a draft for the union's staff, final only after sign-off", () => {
  test("no draft mark when every legal text is confirmed", async () => {
    const text = await pdfText(await renderBallotNotice(ballotNoticeAB()));
    assert.ok(!/needs legal review|draft/i.test(text));
  });

  const unconfirmed = (): BallotNoticeInput => ({
    ...ballotNoticeC(),
    legal: [
      ...ballotNoticeC().legal,
      {
        text: "The C-regime content of this notice follows ERA 2025 s.70.",
        citation: "ERA 2025 s.70",
        unconfirmed: "C-regime notice content read from secondary sources",
      },
    ],
    reviewReasons: ["Transitional rule for notices received on 18 February 2026 not confirmed"],
  });

  test("an unconfirmed rule makes a draft: watermark and footer mark on every page, no reasons in the letter", async () => {
    const pages = await pdfPageTexts(await renderBallotNotice(unconfirmed()));
    for (const [i, page] of pages.entries()) {
      assert.ok(page.includes("DRAFT") && page.includes("NEEDS LEGAL REVIEW"), `page ${i + 1} watermarked`);
      assert.ok(page.includes("DRAFT - NEEDS LEGAL REVIEW - NOT TO BE SENT"), `page ${i + 1} footer`);
    }
    const all = pages.join(" ");
    assert.ok(!all.includes("secondary sources"), "the reasons are for the app, not the letter");
    assert.ok(!all.includes("Transitional rule"));
    assert.ok(all.includes("ERA 2025 s.70 (needs legal review)"), "the draft flags the provision");
  });

  test("after a recorded legal sign-off the same notice is final: no draft mark, nothing about review", async () => {
    const text = await pdfText(
      await renderBallotNotice({
        ...unconfirmed(),
        legalSignOff: { reviewer: "A. Counsel", on: "2026-12-01" },
      }),
    );
    assert.ok(!/draft|needs legal review|secondary sources/i.test(text));
    assert.ok(text.includes("ERA 2025 s.70"), "the citation stays");
  });
});

describe("long lists go to a CSV annex", () => {
  function longNotice(form: "AB" | "C"): BallotNoticeInput {
    const ws = manyWorkplaces(60);
    const total = ws.reduce((s, w) => s + w.count, 0); // 1830
    const base = form === "AB" ? ballotNoticeAB() : ballotNoticeC();
    return { ...base, workplaces: ws, categories: [{ category: "All staff", count: total }], total };
  }

  test("over 40 workplaces the PDF prints the first 40 and names the annex", async () => {
    const text = await pdfText(await renderBallotNotice(longNotice("AB")));
    assert.ok(text.includes("Health centre 040 X0040"));
    assert.ok(!text.includes("Health centre 041"));
    assert.ok(
      text.includes(
        "The first 40 of 60 workplaces are listed above; the list is continued in annex workplaces.csv.",
      ),
    );
    assert.ok(text.includes("The total number of employees concerned is 1,830."));
  });

  test("the annex has every workplace, in input order, with counts in the A/B form", () => {
    const annexes = ballotNoticeAnnexes(longNotice("AB"));
    assert.deepEqual(
      annexes.map((a) => a.filename),
      ["workplaces.csv"],
    );
    const lines = annexes[0]!.csv.split("\r\n");
    assert.equal(lines[0], "workplace,site_code,address,postcode,count");
    assert.equal(lines[1], 'Health centre 001,X0001,"1 High Street, Leeds",LS1 1AA,1');
    assert.equal(lines[60], 'Health centre 060,X0060,"60 High Street, Leeds",LS1 1AA,60');
    assert.equal(lines.length, 62, "header, 60 rows and the final line ending");
    assert.equal(lines[61], "");
  });

  test("the C-form annex has no count column", () => {
    const [annex] = ballotNoticeAnnexes(longNotice("C"));
    const lines = annex!.csv.split("\r\n");
    assert.equal(lines[0], "workplace,site_code,address,postcode");
    assert.equal(lines[5], 'Health centre 005,X0005,"5 High Street, Leeds",LS1 1AA');
  });

  test("over 40 categories a categories.csv annex is produced too", async () => {
    const cats = Array.from({ length: 45 }, (_, i) => ({ category: `Grade ${i + 1}`, count: 1 }));
    const ws = [{ workplace: "Head office", siteCode: null, address: null, postcode: null, count: 45 }];
    const input = { ...ballotNoticeAB(), categories: cats, workplaces: ws, total: 45 };
    const annexes = ballotNoticeAnnexes(input);
    assert.deepEqual(
      annexes.map((a) => a.filename),
      ["categories.csv"],
    );
    assert.ok(annexes[0]!.csv.startsWith("category,count\r\nGrade 1,1\r\nGrade 2,1\r\n"));
    const text = await pdfText(await renderBallotNotice(input));
    assert.ok(text.includes("continued in annex categories.csv"));
    assert.ok(text.includes("Grade 40 1") && !text.includes("Grade 41"));
  });

  test("no annex when every list fits", () => {
    assert.deepEqual(ballotNoticeAnnexes(ballotNoticeAB()), []);
  });

  test("annex CSV is the same every time", () => {
    assert.equal(
      ballotNoticeAnnexes(longNotice("AB"))[0]!.csv,
      ballotNoticeAnnexes(longNotice("AB"))[0]!.csv,
    );
  });
});

describe("reproducible output", () => {
  test("the same input renders to the same bytes", async () => {
    for (const make of [ballotNoticeAB, ballotNoticeC]) {
      const a = await renderBallotNotice(make());
      const b = await renderBallotNotice(make());
      assert.ok(a.equals(b));
    }
  });

  test("the PDF dates are the issue date, not the clock", async () => {
    const pdf = (await renderBallotNotice(ballotNoticeAB())).toString("latin1");
    const dates = pdf.match(/\(D:\d{14}Z\)/g) ?? [];
    assert.deepEqual(dates, ["(D:20260112000000Z)", "(D:20260112000000Z)"], "CreationDate and ModDate");
  });

  test("a changed figure changes the bytes", async () => {
    const changed = ballotNoticeAB();
    changed.categories[0]!.count -= 1;
    changed.categories[1]!.count += 1;
    const a = await renderBallotNotice(ballotNoticeAB());
    const b = await renderBallotNotice(changed);
    assert.ok(!a.equals(b));
  });
});

describe("the check-off route (s.226A(2)(c)(ii), (2C))", () => {
  const checkOff = (over: Partial<BallotNoticeInput> = {}): BallotNoticeInput => ({
    ...ballotNoticeAB(),
    checkOff: { asAt: "2026-01-05", categories: ["Porters", "Domestic staff"], workplaces: null },
    ...over,
  });

  test("gives the information from which the employer deduces the figures, instead of the lists", async () => {
    const text = await pdfText(await renderBallotNotice(checkOff()));
    assert.ok(text.includes("from whose wages you deduct subscriptions to Health and Care Workers Union"));
    assert.ok(text.includes("in the job categories Porters and Domestic staff"));
    assert.ok(text.includes("as those deductions stood on 5 January 2026"));
    assert.ok(
      text.includes(
        "the total number of the employees concerned, the categories of employee to which they belong and the number in each category, and the workplaces at which they work and the number at each",
      ),
      "A/B: (2C) as enacted lets the employer deduce every figure",
    );
    assert.ok(text.includes("TULRCA 1992 s.226A(2)(c)(ii), (2C)"));
    for (const c of categories) assert.ok(!text.includes(withCommas(c.count)), "no figures printed");
    assert.ok(!text.includes("How these figures were arrived at"));
    assert.deepEqual(ballotNoticeAnnexes(checkOff({ workplaces: manyWorkplaces(60) })), []);
  });

  test("C: the employer deduces the total, the categories and the workplaces (no numbers per list)", async () => {
    const text = await pdfText(
      await renderBallotNotice({ ...ballotNoticeC(), checkOff: checkOff().checkOff! }),
    );
    assert.ok(
      text.includes(
        "the total number of the employees concerned, the categories of employee to which they belong and the workplaces at which they work",
      ),
    );
    assert.ok(!text.includes("the number at each"));
  });
});
