/**
 * The employer-string grammar (record-linkage.md §4.2 point 4), case by
 * case, on a small hand-written register (fixture.ts): each string with the
 * status it must get and the employer (and workplace) it must name.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { leedsFixture } from "../../test/fixtures/matching/leeds-register.js";
import {
  AUTO_ACCEPT_CONFIDENCE,
  buildMatchIndex,
  type MatchQuery,
  type MatchStatus,
  matchOrganisation,
  type RegisterEntry,
} from "./index.js";

const fx = leedsFixture();
const index = buildMatchIndex(fx.entries);

interface Case {
  kind: string;
  employer?: string;
  workplace?: string;
  postcode?: string;
  status: MatchStatus;
  /** Trust code the best candidate must belong to (also checked for review); absent: no check. */
  trust?: string;
  /** Site code the best candidate must be. */
  site?: string;
  /** For review and auto: the best candidate must not belong to this trust. */
  notTrust?: string;
}

const CASES: Case[] = [
  // official name and case variants
  { kind: "official", employer: "Leeds Teaching Hospitals NHS Trust", status: "auto", trust: "RR8" },
  { kind: "case", employer: "LEEDS TEACHING HOSPITALS NHS TRUST", status: "auto", trust: "RR8" },
  { kind: "case", employer: "  leeds teaching hospitals nhs trust. ", status: "auto", trust: "RR8" },
  { kind: "case", employer: "LeEdS tEaChInG hOsPiTaLs", status: "auto", trust: "RR8" },
  // abbreviations
  { kind: "abbreviation", employer: "Leeds Teaching Hosps NHS Tr", status: "auto", trust: "RR8" },
  { kind: "abbreviation", employer: "Bradford Teaching Hosps NHS Fdn Trust", status: "auto", trust: "RAE" },
  { kind: "abbreviation", employer: "Harrogate & District NHS FT", status: "auto", trust: "RCD" },
  // legal suffix dropped, and shorter names still
  { kind: "suffix dropped", employer: "Leeds Teaching Hospitals", status: "auto", trust: "RR8" },
  { kind: "suffix dropped", employer: "Guy's and St Thomas'", status: "auto", trust: "RJ1" },
  { kind: "suffix dropped", employer: "Leeds and York Partnership", status: "auto", trust: "RGD" },
  { kind: "short name", employer: "Alder Hey", status: "auto", trust: "RBS" },
  // acronyms
  { kind: "acronym", employer: "LTHT", status: "auto", trust: "RR8" },
  { kind: "acronym", employer: "gstt", status: "auto", trust: "RJ1" },
  { kind: "acronym", employer: "BTHFT", status: "auto", trust: "RAE" },
  { kind: "acronym", employer: "YAS", status: "auto", trust: "RX8" },
  // a site alone names its trust, and the workplace
  {
    kind: "site only",
    workplace: "St James's University Hospital",
    status: "auto",
    trust: "RR8",
    site: "RR813",
  },
  { kind: "site only", employer: "Leeds General Infirmary", status: "auto", trust: "RR8", site: "RR801" },
  { kind: "site only", employer: "Pinderfields Hospital", status: "auto", trust: "RXF", site: "RXF05" },
  { kind: "site + town", employer: "St James's Hospital Leeds", status: "auto", trust: "RR8", site: "RR813" },
  { kind: "site + town", workplace: "Royal Victoria Infirmary, Newcastle", status: "auto", trust: "RTD" },
  { kind: "apostrophe dropped", employer: "St James University Hospital", status: "auto", trust: "RR8" },
  { kind: "apostrophe dropped", workplace: "Guys Hospital", status: "auto", trust: "RJ1", site: "RJ121" },
  { kind: "apostrophe dropped", employer: "Addenbrookes Hospital", status: "auto", trust: "RGT" },
  // ward and department prefixes
  { kind: "ward prefix", workplace: "Ward 12 LGI", status: "auto", trust: "RR8", site: "RR801" },
  { kind: "ward prefix", employer: "A&E, Pinderfields Hospital", status: "auto", trust: "RXF" },
  {
    kind: "ward prefix",
    workplace: "Ward 31 - Chapel Allerton Hospital",
    status: "auto",
    trust: "RR8",
    site: "RR819",
  },
  // former names (members keep writing them)
  { kind: "former name", employer: "Mid Yorkshire Hospitals NHS Trust", status: "auto", trust: "RXF" },
  {
    kind: "former name",
    employer: "Southend University Hospital NHS Foundation Trust",
    status: "auto",
    trust: "RAJ",
  },
  {
    kind: "former name",
    employer: "Hull and East Yorkshire Hospitals NHS Trust",
    status: "auto",
    trust: "RWA",
  },
  { kind: "former name", employer: "Portsmouth Hospitals NHS Trust", status: "auto", trust: "RHU" },
  // typos
  { kind: "typo", employer: "Leeds Teaching Hopsitals", status: "auto", trust: "RR8" },
  { kind: "typo", employer: "Pinderfeilds Hospital", status: "auto", trust: "RXF" },
  { kind: "typo", employer: "Bradfrod Royal Infirmary", status: "auto", trust: "RAE" },
  { kind: "typo", employer: "Harrogate and Distrcit NHS Foundation Trust", status: "auto", trust: "RCD" },
  // register codes
  { kind: "code", employer: "RR8", status: "auto", trust: "RR8" },
  { kind: "code", workplace: "rr813", status: "auto", trust: "RR8", site: "RR813" },
  // hard negatives: neighbouring employers whose names share words
  { kind: "hard negative", employer: "Leeds Community Healthcare NHS Trust", status: "auto", trust: "RY6" },
  { kind: "hard negative", employer: "Leeds Community Healthcare", status: "auto", trust: "RY6" },
  { kind: "hard negative", employer: "Leeds Teaching Hospitals", status: "auto", notTrust: "RY6" },
  { kind: "hard negative", employer: "Bradford Teaching Hospitals", status: "auto", trust: "RAE" },
  // not in the register, or the wrong level: must not be auto-accepted
  { kind: "not in register", employer: "Leeds Beckett University", status: "review" },
  { kind: "wrong level", employer: "Leeds City Council", status: "review" },
  { kind: "wrong level", employer: "NHS West Yorkshire ICB", status: "review" },
  { kind: "not in register", employer: "Wakefield Teaching Hospitals", status: "review" },
  { kind: "not in register", employer: "Spire Leeds Hospital", status: "review" },
  // fits two employers about equally
  { kind: "ambiguous", employer: "Leeds NHS", status: "review" },
  { kind: "ambiguous", employer: "Queen Elizabeth Hospital", status: "review" },
  { kind: "ambiguous", employer: "St George's", status: "review" },
  // generic and empty strings
  ...["NHS", "Agency", "Council", "bank staff", "N/A", "unknown", "various", "supply", "", "  "].map(
    (s): Case => ({ kind: "generic", employer: s, status: "unmatched" }),
  ),
  { kind: "generic", status: "unmatched" },
  // employer and workplace together
  { kind: "both", employer: "LTHT", workplace: "Ward 12 LGI", status: "auto", trust: "RR8", site: "RR801" },
  {
    kind: "both",
    employer: "Leeds Teaching Hospitals",
    workplace: "St James's",
    status: "auto",
    trust: "RR8",
    site: "RR813",
  },
  {
    kind: "both",
    employer: "Leeds",
    workplace: "Chapel Allerton Hospital",
    status: "auto",
    trust: "RR8",
    site: "RR819",
  },
  {
    kind: "both, generic employer",
    employer: "NHS",
    workplace: "St James's University Hospital",
    status: "auto",
    trust: "RR8",
  },
  {
    kind: "both, generic workplace",
    employer: "Bradford Teaching Hospitals",
    workplace: "Ward 7",
    status: "auto",
    trust: "RAE",
  },
  {
    kind: "conflict",
    employer: "Leeds Teaching Hospitals",
    workplace: "Pinderfields Hospital",
    status: "review",
  },
  {
    kind: "conflict",
    employer: "Leeds Community Healthcare NHS Trust",
    workplace: "Leeds General Infirmary",
    status: "review",
  },
];

function codeOf(employerId: number): string | undefined {
  return Object.entries(fx.employer).find(([, id]) => id === employerId)?.[0];
}

describe("employer-string grammar", () => {
  for (const c of CASES) {
    const q: MatchQuery = {
      employer: c.employer ?? null,
      workplace: c.workplace ?? null,
      postcode: c.postcode ?? null,
    };
    test(`${c.kind}: ${JSON.stringify(c.employer ?? null)} / ${JSON.stringify(c.workplace ?? null)} -> ${c.status}`, () => {
      const r = matchOrganisation(index, q);
      const got = r.best ? codeOf(r.best.employerId) : undefined;
      const detail = `${r.status} ${r.confidence} ${got ?? "-"} ${r.best?.name ?? ""}: ${r.reason}`;
      assert.equal(r.status, c.status, detail);
      if (c.trust) assert.equal(got, c.trust, detail);
      if (c.site) assert.equal(r.best?.workplaceId, fx.workplace[c.site], detail);
      if (c.notTrust) assert.notEqual(got, c.notTrust, detail);
      if (r.status === "auto") assert.ok(r.confidence >= AUTO_ACCEPT_CONFIDENCE, detail);
      else
        assert.ok(
          r.confidence < AUTO_ACCEPT_CONFIDENCE ||
            r.status === "unmatched" ||
            /conflict|is .* but|not in the register|, not of /.test(r.reason),
          detail,
        );
      if (r.status === "unmatched") {
        assert.equal(r.best, null);
        assert.ok(r.reason.length > 0);
      }
    });
  }
});

describe("results", () => {
  test("say why, with the evidence a reviewer needs", () => {
    const r = matchOrganisation(index, { employer: null, workplace: "Ward 12 LGI", postcode: "LS1 3EX" });
    assert.equal(r.status, "auto");
    const ev = r.best!.evidence.join("; ");
    assert.match(ev, /acronym LGI/);
    assert.match(ev, /site LEEDS GENERAL INFIRMARY of LEEDS TEACHING HOSPITALS NHS TRUST/);
    assert.match(ev, /postcode district LS1/);
    assert.match(ev, /ignored "ward"/);
    const typo = matchOrganisation(index, {
      employer: "Leeds Teaching Hopsitals",
      workplace: null,
      postcode: null,
    });
    assert.match(typo.best!.evidence.join("; "), /typo: hopsitals~hospitals/);
    const former = matchOrganisation(index, {
      employer: "Mid Yorkshire Hospitals NHS Trust",
      workplace: null,
      postcode: null,
    });
    assert.match(former.best!.evidence.join("; "), /former name MID YORKSHIRE HOSPITALS NHS TRUST/);
  });

  test("closed employers still match, and say so", () => {
    const r = matchOrganisation(index, { employer: "Solent NHS Trust", workplace: null, postcode: null });
    assert.equal(codeOf(r.best!.employerId), "R1C");
    assert.equal(r.best!.closed, true);
    assert.match(r.reason, /closed 2024-09-30/);
    assert.ok(r.best!.evidence.includes("closed 2024-09-30"));
  });

  test("an ambiguous string lists both employers for the reviewer, best first", () => {
    const r = matchOrganisation(index, {
      employer: "Queen Elizabeth Hospital",
      workplace: null,
      postcode: null,
    });
    assert.equal(r.status, "review");
    const trusts = new Set(r.candidates.map((c) => codeOf(c.employerId)));
    assert.ok(trusts.has("RRK") && trusts.has("RCX"), [...trusts].join());
    assert.match(r.reason, /about equally/);
    for (const c of r.candidates) assert.ok(c.confidence >= 0 && c.confidence <= 1);
  });

  test("the member's postcode orders otherwise equal candidates", () => {
    const near = matchOrganisation(index, {
      employer: "Queen Elizabeth Hospital",
      workplace: null,
      postcode: "PE30 4ET",
    });
    assert.equal(codeOf(near.best!.employerId), "RCX");
    const far = matchOrganisation(index, {
      employer: "Queen Elizabeth Hospital",
      workplace: null,
      postcode: "B15 2TH",
    });
    assert.equal(codeOf(far.best!.employerId), "RRK");
  });

  test("candidate confidences are each candidate's own, so they never add up past one", () => {
    for (const text of ["LTHT", "Leeds NHS", "St George's", "Pinderfields Hospital"]) {
      const r = matchOrganisation(index, { employer: text, workplace: null, postcode: null });
      const sum = r.candidates.reduce((a, c) => a + c.confidence, 0);
      assert.ok(sum <= 1.05, `${text}: ${sum}`);
    }
  });

  test("an employer's own name is never generic, even made of generic words", () => {
    const entries: RegisterEntry[] = [
      ...fx.entries,
      {
        employerId: 999,
        workplaceId: null,
        name: "PUBLIC HEALTH WALES NHS TRUST",
        employerName: "PUBLIC HEALTH WALES NHS TRUST",
        aliases: [],
        postcode: "CF10 4BZ",
        closedOn: null,
        codes: ["RQF"],
      },
    ];
    const r = matchOrganisation(buildMatchIndex(entries), {
      employer: "Public Health Wales NHS Trust",
      workplace: null,
      postcode: null,
    });
    assert.equal(r.best?.employerId, 999);
  });

  test("explicit acronym and reviewer aliases match", () => {
    const entries = fx.entries.map((e) =>
      e.codes[0] === "RR8"
        ? {
            ...e,
            aliases: [
              { text: "LTH", kind: "acronym" as const },
              { text: "The Leeds Trust", kind: "reviewer" as const },
            ],
          }
        : e,
    );
    const idx = buildMatchIndex(entries);
    const r = matchOrganisation(idx, { employer: "The Leeds Trust", workplace: null, postcode: null });
    assert.equal(codeOf(r.best!.employerId), "RR8");
    assert.match(r.best!.evidence.join("; "), /reviewer The Leeds Trust/);
  });
});
