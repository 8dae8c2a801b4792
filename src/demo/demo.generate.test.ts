import assert from "node:assert/strict";
import { test } from "node:test";
import {
  DEMO_PASSWORD,
  type DemoMember,
  type DemoUnion,
  generateDemoUnion,
  generateMembers,
} from "./demo.generate.js";

const UK_POSTCODE = /^[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][ABD-HJLNP-UW-Z]{2}$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

const union = generateDemoUnion({ seed: 20261101 });
const members: DemoMember[] = [...generateMembers(union, 50_000, 99)];
const workplaces = new Map(union.workplaces.map((w) => [w.key, w]));
const employers = new Map(union.employers.map((e) => [e.key, e]));

function take(u: DemoUnion, count: number, seed: number): DemoMember[] {
  return [...generateMembers(u, count, seed)];
}

function area(postcode: string): string {
  return /^[A-Z]+/.exec(postcode)![0];
}

function share(predicate: (m: DemoMember) => boolean): number {
  return members.filter(predicate).length / members.length;
}

test("the same seed gives identical output, another seed does not", () => {
  const again = generateDemoUnion({ seed: 20261101 });
  assert.deepEqual(again, union);
  assert.equal(JSON.stringify(again), JSON.stringify(union));
  assert.deepEqual(take(again, 3_000, 99), members.slice(0, 3_000));

  const other = generateDemoUnion({ seed: 20261102 });
  assert.notDeepEqual(other.employers, union.employers);
  assert.notDeepEqual(take(union, 500, 100), members.slice(0, 500));
});

test("members are a stable prefix whatever the count, and survive a JSON round trip of the union", () => {
  const copy = JSON.parse(JSON.stringify(union)) as DemoUnion;
  assert.deepEqual(take(copy, 1_000, 99), members.slice(0, 1_000));
});

test("shape of the union: 12 regions, 8 sectors, 2-4 branches per region", () => {
  assert.deepEqual(union.regions.map((r) => r.code).sort(), [
    "cymru-wales",
    "east-midlands",
    "eastern",
    "greater-london",
    "north-west",
    "northern",
    "northern-ireland",
    "scotland",
    "south-east",
    "south-west",
    "west-midlands",
    "yorkshire-humberside",
  ]);
  const nation = new Map(union.regions.map((r) => [r.code, r.nation]));
  assert.equal(nation.get("cymru-wales"), "wales");
  assert.equal(nation.get("scotland"), "scotland");
  assert.equal(nation.get("northern-ireland"), "northern_ireland");
  assert.equal(nation.get("greater-london"), "england");
  assert.deepEqual(
    union.sectors.map((s) => s.code),
    [
      "health",
      "local-government",
      "education",
      "higher-education",
      "police-justice",
      "community",
      "energy",
      "wet",
    ],
  );
  assert.equal(new Set(union.branches.map((b) => b.code)).size, union.branches.length);
  for (const r of union.regions) {
    const n = union.branches.filter((b) => b.regionCode === r.code).length;
    assert.ok(n >= 2 && n <= 4, `${r.code} has ${n} branches`);
  }
  for (const b of union.branches) assert.match(b.name, / (Health|Local Government) Branch$/);
});

test("employers: 300 by default, unique names and keys, sector mix, consistent nation and parents", () => {
  assert.equal(union.employers.length, 300);
  assert.equal(new Set(union.employers.map((e) => e.key)).size, 300);
  assert.equal(new Set(union.employers.map((e) => e.name)).size, 300);
  const bySector = (code: string): number =>
    union.employers.filter((e) => e.sectorCode === code).length / 300;
  assert.ok(Math.abs(bySector("health") - 0.35) < 0.02);
  assert.ok(Math.abs(bySector("local-government") - 0.3) < 0.02);
  assert.ok(Math.abs(bySector("education") - 0.2) < 0.02);
  const nation = new Map(union.regions.map((r) => [r.code, r.nation]));
  for (const e of union.employers) {
    assert.equal(e.nation, nation.get(e.regionCode));
    assert.match(e.openedOn, ISO_DATE);
    if (e.closedOn !== null) assert.ok(e.closedOn > e.openedOn);
    if (e.parentKey !== null) {
      const parent = employers.get(e.parentKey);
      assert.ok(parent, `${e.key} parent ${e.parentKey}`);
      assert.ok(e.openedOn >= parent.openedOn && parent.closedOn === null);
    }
    if (e.odsCode !== null) assert.equal(e.importantPublicService, "health");
    if (e.gssCode !== null) assert.equal(e.importantPublicService, null);
    if (e.devolvedWelshAuthority) assert.equal(e.nation, "wales");
  }
  const closed = union.employers.filter((e) => e.closedOn !== null).length;
  assert.ok(closed >= 1 && closed <= 15, `${closed} closed employers`);
  assert.ok(union.employers.some((e) => e.parentKey !== null));
  assert.ok(
    union.employers.some(
      (e) => e.nation === "wales" && e.gssCode?.startsWith("W06") && e.devolvedWelshAuthority,
    ),
  );
  assert.ok(union.employers.some((e) => e.nation === "scotland" && e.gssCode?.startsWith("S12")));
});

test("register codes have the right format and are unique", () => {
  const check = (
    field: "odsCode" | "dfeUrn" | "gssCode" | "companiesHouseNumber",
    re: RegExp,
    min: number,
  ): void => {
    const codes = union.employers.map((e) => e[field]).filter((c): c is string => c !== null);
    assert.ok(codes.length >= min, `${field}: only ${codes.length}`);
    assert.equal(new Set(codes).size, codes.length, `${field} not unique`);
    for (const c of codes) assert.match(c, re);
  };
  check("odsCode", /^R[0-9A-Z]{2}$/, 60);
  check("dfeUrn", /^\d{6}$/, 20);
  check("gssCode", /^(E0[4-9]|E10|W0[46]|S12|N09)\d{6}$/, 60);
  check("companiesHouseNumber", /^(\d{8}|SC\d{6}|NI\d{6})$/, 10);
  const siteCodes = union.workplaces.map((w) => w.siteCode).filter((c): c is string => c !== null);
  assert.equal(new Set(siteCodes).size, siteCodes.length, "siteCode not unique");
  for (const w of union.workplaces) {
    const ods = employers.get(w.employerKey)!.odsCode;
    if (ods !== null) assert.match(w.siteCode ?? "", new RegExp(`^${ods}[0-9A-Z]{2}$`));
  }
});

test("workplaces: valid postcodes from the region, 1-12 per employer, some closed and some without headcount", () => {
  assert.equal(new Set(union.workplaces.map((w) => w.key)).size, union.workplaces.length);
  const perEmployer = new Map<string, number>();
  for (const w of union.workplaces) {
    const e = employers.get(w.employerKey);
    assert.ok(e, `workplace ${w.key} has unknown employer`);
    assert.equal(w.regionCode, e.regionCode);
    assert.match(w.postcode, UK_POSTCODE);
    assert.ok(w.openedOn >= e.openedOn);
    if (w.closedOn !== null) assert.ok(w.closedOn > w.openedOn, `${w.key} closes before it opens`);
    assert.equal(w.headcount === null, w.headcountOn === null);
    assert.equal(w.headcount === null, w.headcountSource === null);
    perEmployer.set(w.employerKey, (perEmployer.get(w.employerKey) ?? 0) + 1);
  }
  for (const e of union.employers) {
    const n = perEmployer.get(e.key) ?? 0;
    assert.ok(n >= 1 && n <= 12, `${e.key} has ${n} workplaces`);
  }
  const areas = (region: string): Set<string> =>
    new Set(union.workplaces.filter((w) => w.regionCode === region).map((w) => area(w.postcode)));
  assert.ok([...areas("cymru-wales")].every((a) => ["CF", "SA", "NP", "LL", "LD", "SY", "CH"].includes(a)));
  assert.ok([...areas("northern-ireland")].every((a) => a === "BT"));
  assert.ok(areas("yorkshire-humberside").has("LS"));
  const closed = union.workplaces.filter((w) => w.closedOn !== null).length / union.workplaces.length;
  assert.ok(closed > 0.01 && closed < 0.08, `closed share ${closed}`);
  const noHeadcount = union.workplaces.filter((w) => w.headcount === null).length / union.workplaces.length;
  assert.ok(noHeadcount > 0.2 && noHeadcount < 0.4, `no headcount share ${noHeadcount}`);
});

test("the eight demo users exist with the right roles and scopes", () => {
  assert.equal(DEMO_PASSWORD, "mandate-demo");
  const roles = Object.fromEntries(union.users.map((u) => [u.email, u.role]));
  assert.deepEqual(roles, {
    "national@demo.mandate.test": "national",
    "london.officer@demo.mandate.test": "regional",
    "yorkshire.officer@demo.mandate.test": "regional",
    "health.officer@demo.mandate.test": "sector",
    "rep@demo.mandate.test": "rep",
    "scrutineer@demo.mandate.test": "scrutineer",
    "observer@demo.mandate.test": "observer",
    "dpo@demo.mandate.test": "dpo",
  });
  const byEmail = new Map(union.users.map((u) => [u.email, u]));
  assert.deepEqual(byEmail.get("london.officer@demo.mandate.test")!.regionCodes, ["greater-london"]);
  assert.deepEqual(byEmail.get("yorkshire.officer@demo.mandate.test")!.regionCodes, ["yorkshire-humberside"]);
  assert.deepEqual(byEmail.get("health.officer@demo.mandate.test")!.sectorCodes, ["health"]);

  const rep = byEmail.get("rep@demo.mandate.test")!;
  assert.equal(rep.workplaceKeys.length, 2);
  const sites = rep.workplaceKeys.map((k) => workplaces.get(k)!);
  assert.equal(sites[0]!.employerKey, sites[1]!.employerKey);
  const employer = employers.get(sites[0]!.employerKey)!;
  assert.equal(employer.sectorCode, "health");
  assert.equal(employer.regionCode, "yorkshire-humberside");
  for (const site of sites) {
    assert.equal(site.closedOn, null);
    const n = members.filter((m) => m.workplaceKey === site.key).length;
    assert.ok(n >= 20, `rep workplace ${site.key} has ${n} members of 50,000`);
  }
});

test("the rep gets workplaces with members even in a tiny demo", () => {
  const tiny = generateDemoUnion({ seed: 3, employers: 1 });
  assert.equal(tiny.employers.length, 1);
  const rep = tiny.users.find((u) => u.role === "rep")!;
  assert.equal(rep.workplaceKeys.length, 2);
  const keys = new Set(take(tiny, 2_000, 3).map((m) => m.workplaceKey));
  for (const k of rep.workplaceKeys) assert.ok(keys.has(k));
});

test("membership numbers are 8 digits and unique over 20,000 members", () => {
  const numbers = members.slice(0, 20_000).map((m) => m.membershipNumber);
  for (const n of numbers) assert.match(n, /^\d{8}$/);
  assert.equal(new Set(numbers).size, numbers.length);
});

test("members belong to real workplaces, employers, branches and regions, consistently", () => {
  const branches = new Map(union.branches.map((b) => [b.code, b]));
  for (const m of members) {
    if (m.workplaceKey !== null) {
      const w = workplaces.get(m.workplaceKey);
      assert.ok(w, `unknown workplace ${m.workplaceKey}`);
      assert.equal(w.employerKey, m.employerKey);
      assert.equal(w.regionCode, m.regionCode);
      if (m.homePostcode !== null) assert.equal(area(m.homePostcode), area(w.postcode));
    }
    if (m.employerKey !== null) assert.ok(employers.has(m.employerKey));
    if (m.branchCode !== null) assert.equal(branches.get(m.branchCode)?.regionCode, m.regionCode);
  }
  assert.ok(Math.abs(share((m) => m.employerKey === null) - 0.01) < 0.004);
  assert.ok(Math.abs(share((m) => m.workplaceKey === null) - 0.03) < 0.006);
});

test("status, arrears, check-off, contact and address proportions are roughly right", () => {
  const near = (actual: number, expected: number, tolerance: number, what: string): void =>
    assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: ${actual.toFixed(4)} vs ${expected}`);
  near(
    share((m) => m.status === "active"),
    0.92,
    0.006,
    "active",
  );
  near(
    share((m) => m.status === "lapsed"),
    0.04,
    0.004,
    "lapsed",
  );
  near(
    share((m) => m.status === "left"),
    0.035,
    0.004,
    "left",
  );
  near(
    share((m) => m.status === "deceased"),
    0.005,
    0.002,
    "deceased",
  );
  near(
    share((m) => m.inArrears),
    0.03,
    0.006,
    "arrears",
  );
  near(
    share((m) => m.checkOff),
    0.2,
    0.01,
    "check-off",
  );
  near(
    share((m) => m.email !== null),
    0.75,
    0.01,
    "email",
  );
  near(
    share((m) => m.mobile !== null),
    0.65,
    0.01,
    "mobile",
  );
  near(
    share((m) => m.homePostcode === null),
    0.02,
    0.004,
    "no home address",
  );
  near(
    share((m) => m.postalAddress !== null),
    0.005,
    0.002,
    "postal address",
  );
  near(
    share((m) => m.dateOfBirth === null),
    0.01,
    0.003,
    "no date of birth",
  );
  near(
    share((m) => m.jobCategory === null),
    0.02,
    0.004,
    "no job category",
  );

  const missing = members.filter((m) => m.homePostcode === null);
  for (const m of missing) {
    assert.equal(m.addressLine1, null);
    assert.equal(m.town, null);
  }
  for (const m of members) {
    if (m.homePostcode !== null) {
      assert.match(m.homePostcode, UK_POSTCODE);
      assert.ok(m.addressLine1 && m.town);
    }
    if (m.postalAddress !== null) {
      assert.match(m.postalPostcode ?? "", UK_POSTCODE);
      assert.match(m.postalRequestedOn ?? "", ISO_DATE);
      assert.ok(m.postalRequestEvidence?.includes(m.postalRequestedOn!));
    }
    if (m.email !== null) assert.match(m.email, /^[a-z0-9._]+@[a-z0-9.-]+\.[a-z]+$/);
    if (m.mobile !== null) assert.match(m.mobile, /^\+447700900\d{3}$/);
    if (!m.email) assert.equal(m.consentEmail, false);
    if (!m.mobile) assert.equal(m.consentSms, false);
  }
  const workEmails = members.filter(
    (m) =>
      m.email &&
      /@(nhs\.net|nhs\.scot|wales\.nhs\.uk|.*\.gov\.uk|.*\.sch\.uk|.*\.ac\.uk|.*\.police\.uk|.*\.hscni\.net)$/.test(
        m.email,
      ),
  );
  const workShare = workEmails.length / members.filter((m) => m.email).length;
  assert.ok(workShare > 0.1 && workShare < 0.22, `work email share ${workShare}`);
});

test("dates: ages 18-68 at the reference date, joined 1985 on, left only when left or deceased", () => {
  const ref = "2026-11-01";
  for (const m of members) {
    if (m.dateOfBirth !== null) {
      const [y, mo, d] = m.dateOfBirth.split("-").map(Number) as [number, number, number];
      let age = 2026 - y;
      if (mo > 11 || (mo === 11 && d > 1)) age--;
      assert.ok(age >= 18 && age <= 68, `${m.dateOfBirth} is aged ${age}`);
      const sixteenth = `${y + 16}${m.dateOfBirth.slice(4)}`;
      assert.ok(
        m.joinedOn >= sixteenth || m.joinedOn >= "1985-01-01",
        `joined ${m.joinedOn} before 16 (${m.dateOfBirth})`,
      );
    }
    assert.match(m.joinedOn, ISO_DATE);
    assert.ok(m.joinedOn >= "1985-01-01" && m.joinedOn <= ref, m.joinedOn);
    if (m.status === "left" || m.status === "deceased") {
      assert.ok(m.leftOn !== null && m.leftOn >= m.joinedOn && m.leftOn <= ref);
    } else {
      assert.equal(m.leftOn, null);
    }
  }
  const shifted = generateDemoUnion({ seed: 20261101, referenceDate: "2030-06-30" });
  for (const m of take(shifted, 2_000, 1)) assert.ok(m.joinedOn <= "2030-06-30" && m.joinedOn > "1984-12-31");
  assert.ok(take(shifted, 2_000, 1).some((m) => m.joinedOn > "2026-11-01"));
});

test("members are skewed towards big workplaces: a large hospital has far more members than a school", () => {
  const counts = new Map<string, number>();
  for (const m of members)
    if (m.workplaceKey) counts.set(m.workplaceKey, (counts.get(m.workplaceKey) ?? 0) + 1);
  const sorted = [...counts.values()].sort((a, b) => b - a);
  assert.ok(sorted[0]! > 100 * (sorted[Math.floor(sorted.length * 0.75)] ?? 1));
  const top = union.workplaces.find((w) => counts.get(w.key) === sorted[0])!;
  assert.match(top.name, /Hospital|Infirmary|Civic Centre|County Hall|Campus|Site|Headquarters/);
});

test("bad options are rejected", () => {
  assert.throws(() => generateDemoUnion({ seed: 1, employers: 0 }), RangeError);
  assert.throws(() => generateDemoUnion({ seed: 1, referenceDate: "2026-02-30" }), RangeError);
  assert.throws(() => generateDemoUnion({ seed: Number.NaN }), RangeError);
  assert.throws(() => take(union, -1, 1), RangeError);
});
