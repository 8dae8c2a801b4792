import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { osaDistance } from "./email.js";
import {
  excelSerialToIso,
  normaliseEmail,
  normaliseMobile,
  normalisePersonName,
  normalisePostcode,
  parseMemberDate,
  splitFullName,
} from "./index.js";
import { splitFullNameWithTitle } from "./names.js";
import { checkOffFromText, flagFromText, statusFromText } from "./values.js";

describe("normalisePostcode", () => {
  const cases: [string, string | null, string[]][] = [
    ["LS9 7TF", "LS9 7TF", []],
    ["ls97tf", "LS9 7TF", ["postcode.format"]],
    ["  ls9  7tf ", "LS9 7TF", ["postcode.format"]],
    ["SW1A 1AA", "SW1A 1AA", []],
    ["sw1a1aa", "SW1A 1AA", ["postcode.format"]],
    ["EC1A 1BB", "EC1A 1BB", []],
    ["M1 1AE", "M1 1AE", []],
    ["LS9-7TF", "LS9 7TF", ["postcode.format"]],
    // The inward code always starts with a digit: O there is a zero.
    ["LS9 OTF", "LS9 0TF", ["postcode.o_to_0"]],
    ["ls9 otf", "LS9 0TF", ["postcode.o_to_0", "postcode.format"]],
    ["LS1 I AA", "LS1 1AA", ["postcode.i_to_1", "postcode.format"]],
    // The area is letters: 0 there is an O (Oldham, Southampton).
    ["0L1 1AA", "OL1 1AA", ["postcode.0_to_o"]],
    ["S014 3AB", "SO14 3AB", ["postcode.0_to_o"]],
    // The district is a digit: I there is a one.
    ["BI 1BB", "B1 1BB", ["postcode.i_to_1"]],
    ["LSO 7TF", "LS0 7TF", ["postcode.o_to_0"]],
    ["GIR 0AA", "GIR 0AA", []],
  ];
  for (const [input, value, fixes] of cases) {
    test(`${JSON.stringify(input)} -> ${value}`, () => {
      const r = normalisePostcode(input);
      assert.equal(r.value, value);
      assert.deepEqual(r.fixes, fixes);
      assert.equal(r.problem, null);
      assert.equal(r.outcodeOnly, false);
    });
  }

  test("an outward code alone is flagged, not stored", () => {
    const r = normalisePostcode("LS9");
    assert.equal(r.value, null);
    assert.equal(r.outcodeOnly, true);
    assert.match(r.problem!, /first half/);
    assert.equal(normalisePostcode("sw1a").outcodeOnly, true);
  });

  test("junk, unknown areas and impossible units are rejected", () => {
    for (const junk of [
      "hello",
      "N/A",
      "NOT KNOWN",
      "12345",
      "XX1 1AA",
      "LS9 7T0",
      "SW1A 2AO",
      "LS99 9ZZZ",
      "L",
    ]) {
      const r = normalisePostcode(junk);
      assert.equal(r.value, null, junk);
      assert.equal(r.outcodeOnly, false, junk);
      assert.ok(r.problem, junk);
    }
    assert.match(normalisePostcode("XX1 1AA").problem!, /no postcode area "XX"/);
  });

  test("blank is no postcode, not a problem", () => {
    assert.deepEqual(normalisePostcode("   "), { value: null, fixes: [], problem: null, outcodeOnly: false });
  });
});

describe("normaliseMobile", () => {
  const cases: [string, string | null, string | null][] = [
    ["07700 900123", "+447700900123", "phone.e164"],
    ["07700900123", "+447700900123", "phone.e164"],
    ["+447700900123", "+447700900123", null],
    ["+44 (0)7700 900123", "+447700900123", "phone.e164"],
    ["+44(0)7700-900-123", "+447700900123", "phone.e164"],
    ["0044 7700 900123", "+447700900123", "phone.e164"],
    ["447700900123", "+447700900123", "phone.e164"],
    // Stored as a number in a spreadsheet, so the leading zero was lost.
    ["7700900123", "+447700900123", "phone.leading_zero"],
    ["07624 123456", "+447624123456", "phone.e164"],
    ["+33 6 12 34 56 78", "+33612345678", "phone.e164"],
    ["07700 900123 / 0113 496 0000", "+447700900123", "phone.one_of_several"],
    ["0113 496 0000 or 07700 900124", "+447700900124", "phone.one_of_several"],
    ["", null, null],
  ];
  for (const [input, value, fix] of cases) {
    test(`${JSON.stringify(input)} -> ${value}`, () => {
      const r = normaliseMobile(input);
      assert.equal(r.value, value);
      assert.equal(r.fix, fix);
      assert.equal(r.problem, null);
    });
  }

  test("drama numbers are accepted although libphonenumber calls them invalid", () => {
    for (let n = 900000; n <= 900999; n += 111)
      assert.equal(normaliseMobile(`07700 ${n}`).value, `+447700${n}`);
  });

  test("landlines, personal numbers and pagers are not mobiles", () => {
    for (const t of [
      "0113 243 3144",
      "020 7946 0000",
      "1132433144",
      "07000 123456",
      "07623 123456",
      "0800 123 4567",
    ]) {
      const r = normaliseMobile(t);
      assert.equal(r.value, null, t);
      assert.match(r.problem!, /not a (UK )?mobile/, t);
    }
    assert.match(normaliseMobile("0113 243 3144").problem!, /landline/);
  });

  test("not numbers at all", () => {
    for (const t of ["abc", "n/a", "12"]) {
      const r = normaliseMobile(t);
      assert.equal(r.value, null, t);
      assert.ok(r.problem, t);
    }
  });
});

describe("normaliseEmail", () => {
  test("lower-cased, trimmed, personal", () => {
    assert.deepEqual(normaliseEmail("  Jane.Smith@GMAIL.com "), {
      value: "jane.smith@gmail.com",
      kind: "personal",
      suggestion: null,
      problem: null,
    });
  });

  test("domain typos are suggested, never silently changed", () => {
    const cases: [string, string][] = [
      ["sean@gmial.com", "sean@gmail.com"],
      ["sean@gmai.com", "sean@gmail.com"],
      ["sean@gmail.con", "sean@gmail.com"],
      ["sean@hotmial.co.uk", "sean@hotmail.co.uk"],
      ["sean@hotmail.co", "sean@hotmail.com"],
      ["sean@yahoo.con", "sean@yahoo.com"],
      ["sean@btinternet.co", "sean@btinternet.com"],
      ["sean@outlok.com", "sean@outlook.com"],
      ["sean@nhs.ney", "sean@nhs.net"],
    ];
    for (const [input, suggestion] of cases) {
      const r = normaliseEmail(input);
      assert.equal(r.value, input, input);
      assert.equal(r.suggestion, suggestion, input);
    }
    for (const fine of [
      "a@gmail.com",
      "a@me.com",
      "a@mac.com",
      "a@mail.com",
      "a@example.org",
      "a@leeds.gov.uk",
    ]) {
      assert.equal(normaliseEmail(fine).suggestion, null, fine);
    }
  });

  test("work addresses are recognised", () => {
    for (const w of [
      "a@nhs.net",
      "a@lthtr.nhs.uk",
      "a@leeds.gov.uk",
      "a@ed.ac.uk",
      "a@stmarys.leeds.sch.uk",
      "a@westyorkshire.police.uk",
      "a@bradfordcouncil.org",
      "a@oakhillschool.org.uk",
      "a@gov.scot",
    ]) {
      assert.equal(normaliseEmail(w).kind, "work", w);
    }
    assert.equal(normaliseEmail("a@btinternet.com").kind, "personal");
  });

  test("slips that are safe to repair", () => {
    assert.equal(normaliseEmail("jo@nhs,net").value, "jo@nhs.net");
    assert.equal(normaliseEmail("mailto:jo@example.org").value, "jo@example.org");
    assert.equal(normaliseEmail("Jo Bloggs <jo@example.org>").value, "jo@example.org");
    assert.equal(normaliseEmail("jo @ example.org").value, "jo@example.org");
    assert.equal(normaliseEmail("jo@example.org.").value, "jo@example.org");
    assert.equal(normaliseEmail("jo@example.org; jo2@example.org").value, "jo@example.org");
  });

  test("not addresses", () => {
    for (const bad of [
      "jo",
      "jo@",
      "@example.org",
      "jo smith@example.org",
      "jo@@example.org",
      "jo@example",
    ]) {
      const r = normaliseEmail(bad);
      assert.equal(r.value, null, bad);
      assert.ok(r.problem, bad);
    }
    assert.deepEqual(normaliseEmail(""), { value: null, kind: null, suggestion: null, problem: null });
  });

  test("transposition is one edit", () => {
    assert.equal(osaDistance("gmial.com", "gmail.com"), 1);
    assert.equal(osaDistance("gmail.com", "gmail.com"), 0);
    assert.equal(osaDistance("me.com", "mac.com"), 2);
  });
});

describe("parseMemberDate", () => {
  const birth = { twoDigitYears: "birth" as const, today: "2026-11-20" };
  const cases: [string | number, string, string][] = [
    ["14/03/1985", "1985-03-14", "dmy"],
    ["4/3/1985", "1985-03-04", "dmy"],
    ["14-03-1985", "1985-03-14", "dmy"],
    ["14.03.1985", "1985-03-14", "dmy"],
    ["1985-03-14", "1985-03-14", "iso"],
    ["1985/03/14", "1985-03-14", "ymd"],
    ["19850314", "1985-03-14", "compact_ymd"],
    ["12 Mar 1985", "1985-03-12", "text_month"],
    ["12 March 1985", "1985-03-12", "text_month"],
    ["12th March 1985", "1985-03-12", "text_month"],
    ["12-Mar-1985", "1985-03-12", "text_month"],
    ["Mar 12, 1985", "1985-03-12", "text_month"],
    ["14/03/1985 00:00:00", "1985-03-14", "dmy"],
    ["1985-03-14T00:00:00Z", "1985-03-14", "iso"],
    ["29/02/1984", "1984-02-29", "dmy"],
    // Two-digit years for a birth date: never so recent the member would be under 15.
    ["14/03/85", "1985-03-14", "two_digit_year"],
    ["12-Mar-85", "1985-03-12", "two_digit_year"],
    ["01/01/05", "2005-01-01", "two_digit_year"],
    ["01/01/15", "1915-01-01", "two_digit_year"],
    // Excel day numbers, counting Excel's phantom 29 February 1900.
    ["31048", "1985-01-01", "excel_serial"],
    [31048, "1985-01-01", "excel_serial"],
    [31048.75, "1985-01-01", "excel_serial"],
    [1, "1900-01-01", "excel_serial"],
    [59, "1900-02-28", "excel_serial"],
    [61, "1900-03-01", "excel_serial"],
    [25569, "1970-01-01", "excel_serial"],
    [45658, "2025-01-01", "excel_serial"],
  ];
  for (const [input, value, kind] of cases) {
    test(`${JSON.stringify(input)} -> ${value}`, () => {
      assert.deepEqual(parseMemberDate(input, birth), { value, kind, problem: null });
    });
  }

  test("two-digit years for joined and left dates are the latest not after this year", () => {
    const event = { twoDigitYears: "event" as const, today: "2026-11-20" };
    assert.equal(parseMemberDate("01/09/15", event).value, "2015-09-01");
    assert.equal(parseMemberDate("01/09/26", event).value, "2026-09-01");
    assert.equal(parseMemberDate("01/09/27", event).value, "1927-09-01");
  });

  test("Date objects: exceljs's UTC midnight, and local midnight built by hand", () => {
    assert.deepEqual(parseMemberDate(new Date(Date.UTC(1985, 0, 1))), {
      value: "1985-01-01",
      kind: "date_object",
      problem: null,
    });
    assert.equal(parseMemberDate(new Date(1985, 0, 1)).value, "1985-01-01");
    assert.ok(parseMemberDate(new Date(Number.NaN)).problem);
  });

  test("impossible dates are rejected, with a reason", () => {
    const bad: [string | number, RegExp][] = [
      ["31/02/1980", /not a real date/],
      ["29/02/1985", /not a real date/],
      ["31/04/1985", /not a real date/],
      ["12/31/1985", /month first/],
      ["00/01/1985", /not a real date/],
      ["1985", /only a year/],
      ["32 Foo 1985", /no month called/],
      ["yesterday", /not a date/],
      [60, /not a date/],
      [-5, /not a date/],
    ];
    for (const [input, why] of bad) {
      const r = parseMemberDate(input);
      assert.equal(r.value, null, String(input));
      assert.match(r.problem!, why, String(input));
    }
  });

  test("blank is no date, not a problem", () => {
    assert.deepEqual(parseMemberDate("  "), { value: null, kind: null, problem: null });
  });

  test("excelSerialToIso agrees with JavaScript's own calendar after 1 March 1900", () => {
    for (let serial = 61; serial < 80_000; serial += 997) {
      const expected = new Date(Date.UTC(1899, 11, 30) + serial * 86_400_000).toISOString().slice(0, 10);
      assert.equal(excelSerialToIso(serial), expected);
    }
  });
});

describe("normalisePersonName", () => {
  const cases: [string, string, string | null][] = [
    ["SMITH", "Smith", "name.case"],
    ["smith", "Smith", "name.case"],
    ["o'brien", "O'Brien", "name.case"],
    ["O'BRIEN", "O'Brien", "name.case"],
    ["d'arcy", "D'Arcy", "name.case"],
    ["mcdonald", "McDonald", "name.case"],
    ["MCDONALD", "McDonald", "name.case"],
    ["smith-jones", "Smith-Jones", "name.case"],
    ["SMITH - JONES", "Smith-Jones", "name.case"],
    ["JOSÉ", "José", "name.case"],
    ["ma'lik", "Ma'lik", "name.case"],
    ["MACDONALD", "Macdonald", "name.case"],
    ["  jane   ann ", "Jane Ann", "name.case"],
    ["Jane  Ann", "Jane Ann", "name.spaces"],
    // Already mixed case: how its owner spells it.
    ["McDonald", "McDonald", null],
    ["MacDonald", "MacDonald", null],
    ["van der Berg", "van der Berg", null],
    ["DeVito", "DeVito", null],
    ["Smith", "Smith", null],
    ["O'Brien", "O'Brien", null],
    ["Smith-Jones", "Smith-Jones", null],
    ["J", "J", null],
  ];
  for (const [input, value, fix] of cases) {
    test(`${JSON.stringify(input)} -> ${value}`, () => {
      assert.deepEqual(normalisePersonName(input), { value, fix });
    });
  }
});

describe("splitFullName", () => {
  const cases: [string, { forenames: string; surname: string } | null][] = [
    ["Smith, Jane", { forenames: "Jane", surname: "Smith" }],
    ["SMITH, JANE ANN", { forenames: "JANE ANN", surname: "SMITH" }],
    ["Smith,Jane", { forenames: "Jane", surname: "Smith" }],
    ["Brown, Mrs Alice", { forenames: "Alice", surname: "Brown" }],
    ["Jane Smith", { forenames: "Jane", surname: "Smith" }],
    ["Mrs Jane Smith", { forenames: "Jane", surname: "Smith" }],
    ["Jane Ann Smith", { forenames: "Jane Ann", surname: "Smith" }],
    ["Jan van der Berg", { forenames: "Jan", surname: "van der Berg" }],
    ["Maria De Souza", { forenames: "Maria", surname: "De Souza" }],
    ["SMITH Jane Ann", { forenames: "Jane Ann", surname: "SMITH" }],
    ["Cher", null],
    ["Mrs Smith", null],
    ["Smith, Mrs", null],
    ["", null],
  ];
  for (const [input, expected] of cases) {
    test(`${JSON.stringify(input)}`, () => {
      assert.deepEqual(splitFullName(input), expected);
    });
  }

  test("the title comes out separately", () => {
    assert.equal(splitFullNameWithTitle("Dr Kwame Mensah")?.title, "Dr");
    assert.equal(splitFullNameWithTitle("Brown, MRS. Alice")?.title, "Mrs");
  });
});

describe("status, payment method, flags", () => {
  test("status words", () => {
    const cases: [string, string][] = [
      ["Active", "active"],
      ["CURRENT", "active"],
      ["Member", "active"],
      ["Paying", "active"],
      ["Lapsed", "lapsed"],
      ["Arrears", "lapsed"],
      ["In arrears", "lapsed"],
      ["Suspended", "lapsed"],
      ["Left", "left"],
      ["Left - moved away", "left"],
      ["Resigned", "left"],
      ["Ceased", "left"],
      ["Retired", "left"],
      ["Deceased", "deceased"],
      ["Died", "deceased"],
    ];
    for (const [word, status] of cases) assert.equal(statusFromText(word)?.status, status, word);
    assert.equal(statusFromText("Arrears")?.arrears, true);
    assert.equal(statusFromText("Gone fishing"), undefined);
  });

  test("check-off from payment method", () => {
    for (const t of [
      "Check-off",
      "CHECKOFF",
      "check off",
      "DOCAS",
      "Payroll",
      "Salary deduction",
      "Deduction from pay",
    ]) {
      assert.deepEqual(checkOffFromText(t), { checkOff: true, known: true }, t);
    }
    for (const t of ["Direct Debit", "DD", "Standing Order", "Cash", "Cheque", "Card", ""]) {
      assert.deepEqual(checkOffFromText(t), { checkOff: false, known: true }, t);
    }
    assert.deepEqual(checkOffFromText("Bitcoin"), { checkOff: false, known: false });
  });

  test("yes/no flags", () => {
    for (const t of ["Y", "yes", "TRUE", "1", "x", "✓", "Opted in", "£12.50", "3"])
      assert.equal(flagFromText(t), true, t);
    for (const t of ["N", "no", "FALSE", "0", "", "Opted out", "£0.00"])
      assert.equal(flagFromText(t), false, t);
    assert.equal(flagFromText("maybe"), undefined);
  });
});
