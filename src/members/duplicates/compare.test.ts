import assert from "node:assert/strict";
import { test } from "node:test";
import {
  comparePeople,
  DEFAULT_CERTAIN_AT,
  DEFAULT_REVIEW_AT,
  findDuplicates,
  NICKNAMES,
  type PersonRecord,
} from "./index.js";

let serial = 0;
/** A member record with made-up contact details; override what the case is about. */
function person(fields: Partial<PersonRecord>): PersonRecord {
  serial++;
  return {
    key: `k${serial}`,
    membershipNumber: `M${100_000 + serial}`,
    forenames: "Sarah",
    surname: "Okonkwo",
    dateOfBirth: "1984-06-21",
    postcode: "LS9 7TF",
    email: null,
    mobile: null,
    ...fields,
  };
}

interface Case {
  name: string;
  a: Partial<PersonRecord>;
  b: Partial<PersonRecord>;
  expect: "certain" | "review" | "not certain" | "different";
  evidence?: RegExp;
}

const CASES: Case[] = [
  {
    name: "nickname: Bob and Robert, same date of birth and address",
    a: { forenames: "Robert", surname: "Ashworth", dateOfBirth: "1971-02-14", postcode: "M14 5RD" },
    b: { forenames: "Bob", surname: "Ashworth", dateOfBirth: "1971-02-14", postcode: "M14 5RD" },
    expect: "certain",
    evidence: /^nickname Robert~Bob$/,
  },
  {
    name: "nickname: Liz and Elizabeth with a shared mobile",
    a: { forenames: "Elizabeth Ann", surname: "Hughes", mobile: "+447700900123", postcode: "CF10 1AA" },
    b: { forenames: "Liz", surname: "Hughes", mobile: "+447700900123", postcode: "CF24 3DE" },
    expect: "certain",
    evidence: /^nickname Elizabeth~Liz$/,
  },
  {
    name: "typo: Smyth for Smith, same date of birth and email",
    a: { forenames: "Jonathan", surname: "Smith", email: "jon.smith@example.com" },
    b: { forenames: "Jonathan", surname: "Smyth", email: "jon.smith@example.com", postcode: "LS8 2QQ" },
    expect: "certain",
    evidence: /^surname typo Smith~Smyth$/,
  },
  {
    name: "typo: transposed letters in the forename, same address and mobile",
    a: { forenames: "Michelle", surname: "Kowalski", mobile: "+447700900555" },
    b: { forenames: "Michlele", surname: "Kowalski", mobile: "+447700900555" },
    expect: "certain",
    evidence: /^forename typo Michelle~Michlele$/,
  },
  {
    name: "marriage: new surname, same date of birth, forename and email",
    a: { forenames: "Sarah", surname: "Jones", email: "sarah.j84@example.com", postcode: "B12 9QT" },
    b: { forenames: "Sarah", surname: "Patel", email: "sarah.j84@example.com", postcode: "B29 6BD" },
    expect: "certain",
    evidence: /^surname changed \(marriage\?\) Jones~Patel same dob\+forename\+email$/,
  },
  {
    name: "marriage: hyphenated surname",
    a: { forenames: "Claire", surname: "Walsh", mobile: "+447700900777" },
    b: { forenames: "Claire", surname: "Walsh-Murphy", mobile: "+447700900777" },
    expect: "certain",
    evidence: /^surname part shared Walsh~Walsh-Murphy$/,
  },
  {
    name: "date of birth with day and month swapped counts as partial agreement",
    a: { forenames: "Imran", surname: "Hussain", dateOfBirth: "1979-03-07", email: "imran.h@example.org" },
    b: { forenames: "Imran", surname: "Hussain", dateOfBirth: "1979-07-03", email: "imran.h@example.org" },
    expect: "certain",
    evidence: /^date of birth day\/month swapped 1979-03-07~1979-07-03$/,
  },
  {
    name: "twins: same surname, date of birth and address, different forenames",
    a: { forenames: "Aisha", surname: "Begum", dateOfBirth: "1990-10-02", postcode: "BD3 9LS" },
    b: { forenames: "Fatima", surname: "Begum", dateOfBirth: "1990-10-02", postcode: "BD3 9LS" },
    expect: "different",
    evidence: /household/,
  },
  {
    name: "twins sharing the family email are still not certain",
    a: { forenames: "Aisha", surname: "Begum", dateOfBirth: "1990-10-02", email: "begumfamily@example.com" },
    b: { forenames: "Fatima", surname: "Begum", dateOfBirth: "1990-10-02", email: "begumfamily@example.com" },
    expect: "not certain",
  },
  {
    name: "twins where one is known by the other's first name as a middle name are not certain",
    a: { forenames: "James Michael", surname: "Deneringham", dateOfBirth: "1991-06-15", postcode: "LE8 6UQ" },
    b: { forenames: "Michael Harry", surname: "Deneringham", dateOfBirth: "1991-06-15", postcode: "LE8 6UQ" },
    expect: "not certain",
  },
  {
    name: "father and son: same name and address, dates of birth 28 years apart",
    a: { forenames: "John", surname: "Smith", dateOfBirth: "1960-04-11", postcode: "S6 2LR" },
    b: { forenames: "John", surname: "Smith", dateOfBirth: "1988-09-30", postcode: "S6 2LR" },
    expect: "different",
  },
  {
    name: "father and son sharing the home phone are not certain",
    a: { forenames: "John", surname: "Smith", dateOfBirth: "1960-04-11", mobile: "+447700900999" },
    b: { forenames: "John", surname: "Smith", dateOfBirth: "1988-09-30", mobile: "+447700900999" },
    expect: "not certain",
  },
  {
    name: "common name: two John Smiths with different dates of birth and addresses",
    a: { forenames: "John", surname: "Smith", dateOfBirth: "1970-05-01", postcode: "NE6 5AX" },
    b: { forenames: "John", surname: "Smith", dateOfBirth: "1982-11-23", postcode: "L18 4UZ" },
    expect: "different",
  },
  {
    name: "common name, same date of birth, nothing else: for a person, not automatic",
    a: { forenames: "John", surname: "Smith", dateOfBirth: "1970-05-01", postcode: "NE6 5AX" },
    b: { forenames: "John", surname: "Smith", dateOfBirth: "1970-05-01", postcode: "L18 4UZ" },
    expect: "review",
  },
];

for (const c of CASES) {
  test(`comparePeople: ${c.name}`, () => {
    const a = person(c.a);
    const b = person(c.b);
    const pair = comparePeople(a, b);
    const why = `${pair.probability} (${pair.weight.toFixed(1)} bits): ${pair.evidence.join("; ")}`;
    switch (c.expect) {
      case "certain":
        assert.ok(pair.probability >= DEFAULT_CERTAIN_AT, `expected certain, got ${why}`);
        break;
      case "review":
        assert.ok(
          pair.probability >= DEFAULT_REVIEW_AT && pair.probability < DEFAULT_CERTAIN_AT,
          `expected review, got ${why}`,
        );
        break;
      case "not certain":
        assert.ok(pair.probability < DEFAULT_CERTAIN_AT, `expected not certain, got ${why}`);
        break;
      case "different":
        assert.ok(pair.probability < DEFAULT_REVIEW_AT, `expected below review, got ${why}`);
        break;
    }
    if (c.evidence) {
      const evidence = c.evidence;
      assert.ok(
        pair.evidence.some((e) => evidence.test(e)),
        `evidence ${pair.evidence.join("; ")} lacks ${evidence}`,
      );
    }
    assert.equal(pair.a, a.key);
    assert.equal(pair.b, b.key);
    // The score does not depend on which record comes first.
    const back = comparePeople(b, a);
    assert.ok(Math.abs(back.weight - pair.weight) < 1e-9);
  });
}

test("a swapped day and month is weaker than an exact date and stronger than a different one", () => {
  const base = { forenames: "Imran", surname: "Hussain", postcode: null };
  const exact = comparePeople(
    person({ ...base, dateOfBirth: "1979-03-07" }),
    person({ ...base, dateOfBirth: "1979-03-07" }),
  );
  const swapped = comparePeople(
    person({ ...base, dateOfBirth: "1979-03-07" }),
    person({ ...base, dateOfBirth: "1979-07-03" }),
  );
  const other = comparePeople(
    person({ ...base, dateOfBirth: "1979-03-07" }),
    person({ ...base, dateOfBirth: "1966-11-25" }),
  );
  assert.ok(exact.weight > swapped.weight && swapped.weight > other.weight);
});

test("term frequency: agreeing on a common surname or on 1 January is weaker evidence", () => {
  const pair = (surname: string, dob: string) =>
    comparePeople(
      person({ forenames: "Peter", surname, dateOfBirth: dob, postcode: null }),
      person({ forenames: "Peter", surname, dateOfBirth: dob, postcode: null }),
    ).weight;
  assert.ok(pair("Smith", "1975-08-19") < pair("Okonkwo", "1975-08-19") - 4);
  assert.ok(pair("Okonkwo", "1975-01-01") < pair("Okonkwo", "1975-08-19") - 2);
});

test("findDuplicates: finds the pair, clusters it, and never pairs a membership number with itself", () => {
  const records = [
    person({
      key: "a",
      membershipNumber: "N1",
      forenames: "Robert",
      surname: "Ashworth",
      email: "rob@example.com",
    }),
    person({
      key: "b",
      membershipNumber: "N2",
      forenames: "Bob",
      surname: "Ashworth",
      email: "rob@example.com",
    }),
    // Same membership number as "a": the importer's business, not a duplicate person.
    person({
      key: "c",
      membershipNumber: "n1 ",
      forenames: "Robert",
      surname: "Ashworth",
      email: "rob@example.com",
    }),
    person({
      key: "d",
      membershipNumber: "N4",
      forenames: "Wendy",
      surname: "Ashworth",
      dateOfBirth: "1950-01-30",
    }),
  ];
  const result = findDuplicates(records);
  const pairs = result.pairs.map((p) => `${p.a}-${p.b}`).sort();
  assert.deepEqual(pairs, ["a-b", "b-c"]);
  assert.equal(result.clusters.length, 1);
  assert.deepEqual(result.clusters[0]!.keys, ["a", "b", "c"]);
  assert.equal(result.clusters[0]!.certain, true);
  assert.ok(result.clusters[0]!.confidence >= DEFAULT_CERTAIN_AT);
  assert.ok(result.comparisons >= 2);
  for (const p of result.pairs) assert.ok(p.evidence.includes("same email"));
});

test("findDuplicates: a cluster held together by a review-level link is not certain", () => {
  const records = [
    person({ key: "a", forenames: "John", surname: "Smith", email: "john.smith@example.com" }),
    person({ key: "b", forenames: "Johnny", surname: "Smith", email: "john.smith@example.com" }),
    // Same common name and date of birth, nothing else: a person should look.
    person({ key: "c", forenames: "John", surname: "Smith", postcode: "TR1 1AA" }),
  ];
  const result = findDuplicates(records);
  const byKey = new Map(result.clusters.map((c) => [c.keys.join(","), c]));
  const cluster = byKey.get("a,b,c");
  assert.ok(cluster, JSON.stringify(result.clusters));
  assert.equal(cluster.certain, false);
  assert.ok(cluster.confidence < DEFAULT_CERTAIN_AT);
});

test("findDuplicates: thresholds are options and are checked", () => {
  const records = [
    person({ forenames: "Robert", email: "rob@example.com" }),
    person({ forenames: "Bob", email: "rob@example.com" }),
  ];
  assert.equal(findDuplicates(records, { certainAt: 1 }).clusters[0]!.certain, false);
  assert.equal(findDuplicates(records, { reviewAt: 1, certainAt: 1 }).pairs.length, 0);
  assert.throws(() => findDuplicates(records, { reviewAt: 0.9, certainAt: 0.5 }), RangeError);
  assert.throws(() => findDuplicates(records, { certainAt: 2 }), RangeError);
  assert.deepEqual(findDuplicates([]), { pairs: [], clusters: [], comparisons: 0 });
});

test("records with missing or odd fields are compared without failing", () => {
  const a = person({
    forenames: "",
    surname: "O'Brien",
    dateOfBirth: "not a date",
    postcode: "ls97tf",
    email: null,
  });
  const b = person({
    forenames: "  ",
    surname: "OBrien",
    dateOfBirth: null,
    postcode: "LS9 7TF",
    mobile: "07700 900123",
  });
  const pair = comparePeople(a, b);
  assert.ok(pair.probability >= 0 && pair.probability <= 1);
  assert.ok(pair.evidence.includes("forename missing"));
  assert.ok(pair.evidence.includes("same surname O-Brien") || pair.evidence.includes("same surname Obrien"));
  assert.ok(pair.evidence.includes("same postcode"));
});

test("NICKNAMES: the common UK forms, a few hundred of them", () => {
  const has = (nick: string, formal: string) => NICKNAMES.get(nick)?.includes(formal) ?? false;
  assert.ok(has("bob", "robert"));
  assert.ok(has("bill", "william"));
  assert.ok(has("liz", "elizabeth") && has("beth", "elizabeth"));
  assert.ok(has("jim", "james"));
  assert.ok(has("kate", "katherine") && has("kate", "catherine"));
  assert.ok(has("sue", "susan"));
  assert.ok(has("dave", "david"));
  assert.ok(has("steve", "stephen") && has("steve", "steven"));
  assert.ok(has("mike", "michael"));
  assert.ok(has("tony", "anthony"));
  assert.ok(has("chris", "christopher") && has("chris", "christine"));
  assert.ok(has("sam", "samuel") && has("sam", "samantha"));
  assert.ok(NICKNAMES.size >= 250, `only ${NICKNAMES.size} forms`);
  for (const [nick, formal] of NICKNAMES) {
    assert.equal(nick, nick.toLowerCase());
    assert.ok(formal.length > 0 && !formal.includes(nick));
  }
});
