import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  acronymsOf,
  coreName,
  isGenericString,
  normaliseOrganisationName,
  postcodeParts,
  tokenKey,
} from "./normalise.js";
import { seededRandom } from "./variants.js";

describe("normaliseOrganisationName", () => {
  const cases: [string, string][] = [
    ["LEEDS TEACHING HOSPITALS NHS TRUST", "leeds teaching hospitals nhs trust"],
    ["Leeds Teaching Hosps NHS Tr", "leeds teaching hospitals nhs trust"],
    ["Bradford Teaching Hosp. NHS Fdn Trust", "bradford teaching hospital nhs foundation trust"],
    ["Harrogate & District NHS FT", "harrogate and district nhs foundation trust"],
    ["St. James's University Hospital", "st jamess university hospital"],
    ["ST JAMES’S UNIVERSITY HOSPITAL", "st jamess university hospital"],
    ["Guy's & St Thomas' NHS Foundation Trust", "guys and st thomas nhs foundation trust"],
    ["N.H.S. Trust", "nhs trust"],
    ["A&E, Pinderfields Hosp", "accident and emergency pinderfields hospital"],
    ["Ward 12 (LGI)", "ward 12 lgi"],
    ["St.James", "st james"],
    ["  Saint   Mary's  ", "st marys"],
    ["Zürich Ärztehaus", "zurich arztehaus"],
    ["Comm Mental Hlth Team", "community mental health team"],
    ["Shrewsbury + Telford Hsp", "shrewsbury and telford hospital"],
    ["North East Ambulance Service Found. Trust", "north east ambulance service foundation trust"],
    ["Berkshire Health Care NHS FT", "berkshire healthcare nhs foundation trust"],
    ["Hinchingbrooke Health Care NHS Trust", "hinchingbrooke healthcare nhs trust"],
    ["Worcestershire Health and Care", "worcestershire health and care"],
    ["", ""],
    ["---", ""],
    ["constructor", "constructor"],
  ];
  for (const [input, expected] of cases) {
    test(JSON.stringify(input), () => {
      assert.equal(normaliseOrganisationName(input), expected);
    });
  }

  test("is idempotent on register names, member strings and noise", () => {
    const rand = seededRandom(42);
    const alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,'’&+-/()éü";
    const inputs = [...cases.map(([i]) => i), "ft ft hosps fdn tr", "a and e", "AE dept", "nhsft", "the the"];
    for (let i = 0; i < 2000; i++) {
      let s = "";
      for (let j = 0; j < 1 + Math.floor(rand() * 40); j++)
        s += alphabet[Math.floor(rand() * alphabet.length)];
      inputs.push(s);
    }
    for (const s of inputs) {
      const once = normaliseOrganisationName(s);
      assert.equal(normaliseOrganisationName(once), once, `not idempotent: ${JSON.stringify(s)} -> ${once}`);
    }
  });
});

describe("isGenericString", () => {
  const generic = [
    "NHS",
    "Agency",
    "Council",
    "bank staff",
    "N/A",
    "n/a",
    "unknown",
    "Various",
    "supply",
    "",
    "   ",
    "-",
    "NHS Trust",
    "Locum",
    "Self employed",
    "Not known",
    "Ward 7",
    "Various sites",
    "The Hospital",
    "TBC",
  ];
  const specific = ["Leeds", "LTHT", "Leeds Teaching Hospitals", "Pinderfields", "St James's", "RR8"];
  for (const s of generic)
    test(`generic: ${JSON.stringify(s)}`, () => assert.equal(isGenericString(s), true));
  for (const s of specific)
    test(`specific: ${JSON.stringify(s)}`, () => assert.equal(isGenericString(s), false));
});

describe("matching keys", () => {
  test("plurals and dropped possessives meet", () => {
    assert.equal(tokenKey("hospitals"), tokenKey("hospital"));
    assert.equal(tokenKey("jamess"), tokenKey("james"));
    assert.equal(tokenKey("marys"), tokenKey("mary"));
    assert.equal(tokenKey("nhs"), "nhs");
  });

  test("legal suffix and leading 'the' are not the name", () => {
    assert.equal(coreName("leeds teaching hospitals nhs trust"), "leeds teaching hospitals");
    assert.equal(
      coreName("the newcastle upon tyne hospitals nhs foundation trust"),
      "newcastle upon tyne hospitals",
    );
    // A name that is nothing but suffix keeps a word of it.
    assert.equal(coreName("nhs trust"), "nhs");
  });

  test("acronyms members write", () => {
    assert.ok(acronymsOf("leeds teaching hospitals nhs trust", "employer").includes("ltht"));
    assert.ok(acronymsOf("guys and st thomas nhs foundation trust", "employer").includes("gstt"));
    assert.ok(acronymsOf("nhs blood and transplant", "employer").includes("nhsbt"));
    assert.ok(acronymsOf("leeds general infirmary", "site").includes("lgi"));
    assert.ok(acronymsOf("st jamess university hospital", "site").includes("sjuh"));
    assert.deepEqual(acronymsOf("community mental health team north", "site"), []);
  });

  test("postcode district and area", () => {
    assert.deepEqual(postcodeParts("ls9 7tf"), { district: "LS9", area: "LS" });
    assert.deepEqual(postcodeParts("SW1A 1AA"), { district: "SW1A", area: "SW" });
    assert.deepEqual(postcodeParts("LS9"), { district: "LS9", area: "LS" });
    assert.equal(postcodeParts("not a postcode"), null);
    assert.equal(postcodeParts(null), null);
  });
});
