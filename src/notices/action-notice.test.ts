/**
 * The notice of industrial action (s.234A), read back from the PDF: the
 * affected employees in the regime's form, continuous or discontinuous
 * action with its dates, the notice period, and the same annex rule as the
 * notice of ballot.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  actionNoticeB,
  actionNoticeC,
  categories,
  employer,
  explanation,
  manyWorkplaces,
  workplaces,
} from "../../test/fixtures/notices/documents.js";
import { pdfText } from "../../test/fixtures/notices/pdf-text.js";
import type { ActionNoticeInput } from "./documents.model.js";
import { actionNoticeAnnexes, renderActionNotice } from "./index.js";

describe("notice of industrial action", () => {
  test("B, continuous: start date, action types, notice period and every figure", async () => {
    const text = await pdfText(await renderActionNotice(actionNoticeB()));
    assert.ok(text.includes(`To: ${employer.name}`));
    assert.ok(text.includes("Kind of action Continuous"));
    assert.ok(text.includes("Intended start date 23 June 2025"));
    assert.ok(text.includes("Action short of a strike: overtime ban; call-out ban"));
    assert.ok(text.includes("Notice period 14 days."));
    for (const c of categories) assert.ok(text.includes(`${c.category} ${c.count.toLocaleString("en-GB")}`));
    for (const w of workplaces) assert.ok(text.includes(`${w.postcode} ${w.count.toLocaleString("en-GB")}`));
    assert.ok(text.includes("The total number of affected employees is 9,006."));
    assert.ok(text.includes(explanation));
    assert.ok(!/needs legal review/i.test(text));
  });

  test("a letter from the union: salutation, contact and the union's signatory (decision 0014)", async () => {
    const signatory = { name: "Jo Bloggs", title: "General Secretary" };
    const input = actionNoticeB();
    const text = await pdfText(await renderActionNotice({ ...input, union: { ...input.union, signatory } }));
    assert.ok(text.includes("Dear Sir or Madam,"));
    assert.ok(text.includes(`please contact the union at ${input.union.contact}`));
    assert.ok(
      text.includes(`Yours faithfully, Jo Bloggs General Secretary for and on behalf of ${input.union.name}`),
    );
  });

  test("C, discontinuous: each date with its action, lists without numbers", async () => {
    const text = await pdfText(await renderActionNotice(actionNoticeC()));
    assert.ok(text.includes("Discontinuous"));
    assert.ok(
      text.includes("4 March 2026 Strike 5 March 2026 Strike Action short of a strike: overtime ban"),
    );
    assert.ok(text.includes("Notice period 10 days."));
    assert.ok(text.includes("The total number of affected employees is 9,006."));
    for (const n of [...categories.map((c) => c.count), ...workplaces.map((w) => w.count)]) {
      assert.ok(
        !text.includes(n.toLocaleString("en-GB")) && !text.includes(String(n)),
        `count ${n} must not appear`,
      );
    }
    assert.ok(!text.includes("How these figures were arrived at"));
  });

  test("an unconfirmed notice-period rule makes it a draft, without printing the reason", async () => {
    const text = await pdfText(await renderActionNotice(actionNoticeC()));
    assert.ok(text.includes("DRAFT - NEEDS LEGAL REVIEW - NOT TO BE SENT"));
    assert.ok(!text.includes("believed s.73"));
    const signed = await pdfText(
      await renderActionNotice({
        ...actionNoticeC(),
        legalSignOff: { reviewer: "A. Counsel", on: "2027-01-04" },
      }),
    );
    assert.ok(!/draft|needs legal review/i.test(signed));
  });

  test("inconsistent figures and dates are refused", async () => {
    const sums = actionNoticeB();
    sums.workplaces[0]!.count += 5;
    await assert.rejects(renderActionNotice(sums), /workplace counts add up to 9011, not the total of 9006/);
    const unordered = actionNoticeC();
    if (!unordered.continuous) unordered.dates.reverse();
    await assert.rejects(renderActionNotice(unordered), /in order/);
    await assert.rejects(
      renderActionNotice({ ...actionNoticeB(), startDate: "2025-06-02" } as ActionNoticeInput),
      /after the date/,
    );
  });

  test("over 40 workplaces: the first 40 printed, the rest in workplaces.csv", async () => {
    const ws = manyWorkplaces(45);
    const total = ws.reduce((s, w) => s + w.count, 0);
    const input: ActionNoticeInput = {
      ...actionNoticeB(),
      workplaces: ws,
      categories: [{ category: "All", count: total }],
      total,
    };
    const text = await pdfText(await renderActionNotice(input));
    assert.ok(text.includes("continued in annex workplaces.csv"));
    assert.ok(!text.includes("Health centre 041"));
    const annexes = actionNoticeAnnexes(input);
    assert.deepEqual(
      annexes.map((a) => a.filename),
      ["workplaces.csv"],
    );
    assert.ok(annexes[0]!.csv.includes('\r\nHealth centre 045,X0045,"45 High Street, Leeds",LS1 1AA,45\r\n'));
  });

  test("the same input renders to the same bytes; a changed date to different bytes", async () => {
    const a = await renderActionNotice(actionNoticeC());
    assert.ok(a.equals(await renderActionNotice(actionNoticeC())));
    const changed = actionNoticeC();
    if (!changed.continuous) changed.dates[1]!.date = "2026-03-06";
    assert.ok(!a.equals(await renderActionNotice(changed)));
  });
});
