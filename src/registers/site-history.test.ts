import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { backends, createTestDb } from "../../test/helpers/db.js";
import { CLOCK, type Fixture, seedFixture } from "../../test/helpers/fixtures.js";
import type { Ctx } from "../context.js";
import type { OpenDatabase } from "../db/connect.js";
import { matchOrganisation } from "../matching/index.js";
import { loadMatchIndex } from "../members/index.js";
import { importRegister } from "./register-import.service.js";
import { successorsFromSiteHistory } from "./site-history.js";

test("a closed trust's successor is the trust most of its sites reappear under, given enough of them", () => {
  const sites = (id: number, ...names: string[]) => names.map((name) => ({ employerId: id, name }));
  const current = [...sites(2, "Alpha", "Beta", "Gamma"), ...sites(3, "Delta", "Alpha")];
  const former = (...names: string[]) => names.map((name) => ({ trustId: 1, name }));
  assert.deepEqual(
    [...successorsFromSiteHistory(former("Alpha", "Beta", "Gamma", "Delta"), current)],
    [[1, 2]],
  );
  // Two sites are too few to say; three of seven is less than half.
  assert.equal(successorsFromSiteHistory(former("Alpha", "Beta"), current).size, 0);
  assert.equal(
    successorsFromSiteHistory(former("Alpha", "Beta", "Gamma", "P", "Q", "R", "S"), current).size,
    0,
  );
});

/** An ODS line: code, name, address with the town as line 4, postcode, dates, parent. */
function ods(code: string, name: string, town: string, opened: string, closed = "", parent = ""): string {
  const f = Array.from({ length: 27 }, () => "");
  Object.assign(f, { 0: code, 1: name, 2: "Y63", 3: "QWO", 4: "1 HOSPITAL ROAD", 7: town, 9: "LS1 1AA" });
  Object.assign(f, { 10: opened, 11: closed, 14: parent });
  return f.map((v) => `"${v}"`).join(",");
}

const OLDER = [
  ods("RXA", "OLDTOWN HOSPITALS NHS TRUST", "OLDTOWN", "19980401"),
  ods("RXA01", "ALPHA GENERAL HOSPITAL", "OLDTOWN", "19980401"),
  ods("RXA02", "BETA COMMUNITY HOSPITAL", "OLDTOWN", "19980401"),
  ods("RXA03", "GAMMA ROYAL INFIRMARY", "NEWBY", "19980401"),
  ods("RXA04", "DELTA CLINIC", "NEWBY", "19980401"),
].join("\r\n");
const TRUSTS = [
  ods("RXA", "OLDTOWN HOSPITALS NHS TRUST", "OLDTOWN", "19980401", "20200331"),
  ods("RXB", "NORTHERN COUNTIES HOSPITALS NHS FOUNDATION TRUST", "NEWBY", "20200401"),
  ods("RXC", "EASTERN HEALTH NHS TRUST", "EASTHAM", "19980401"),
].join("\r\n");
const SITES = [
  ods("RXB01", "ALPHA GENERAL HOSPITAL", "OLDTOWN", "20200401", "", "RXB"),
  ods("RXB02", "BETA COMMUNITY HOSPITAL", "OLDTOWN", "20200401", "", "RXB"),
  ods("RXB03", "GAMMA ROYAL INFIRMARY", "NEWBY", "20200401", "", "RXB"),
  ods("RXC01", "DELTA CLINIC", "EASTHAM", "20200401", "", "RXC"),
].join("\r\n");

for (const { backend, skip } of await backends()) {
  describe(`trust successors from the site history, through the register import, on ${backend}`, {
    skip,
  }, () => {
    let open: OpenDatabase;
    let f: Fixture;
    let ctx: Ctx;
    before(async () => {
      open = await createTestDb(backend);
      f = await seedFixture(open.db);
      ctx = { db: open.db, actor: f.actors.national, clock: CLOCK };
    });
    after(() => open?.close());

    test("older trusts-and-sites file, then trusts and sites: the merged trust's successor and the sites' towns", async () => {
      for (const [file, text] of [
        ["etrust.csv", OLDER],
        ["etr.csv", TRUSTS],
        ["ets.csv", SITES],
      ] as const) {
        const r = await importRegister(ctx, { format: "ods", file, bytes: Buffer.from(text) });
        assert.equal(r.problemsTotal, 0, `${file}: ${JSON.stringify(r.problems)}`);
      }
      const id = async (code: string) =>
        (
          await open.db
            .selectFrom("employers")
            .select("id")
            .where("ods_code", "=", code)
            .executeTakeFirstOrThrow()
        ).id;
      const successors = await open.db
        .selectFrom("employer_successors")
        .select(["employer_id", "successor_id", "from_date"])
        .where("union_id", "=", f.unionId)
        .execute();
      assert.deepEqual(
        successors.map((s) => [s.employer_id, s.successor_id, s.from_date]),
        [[await id("RXA"), await id("RXB"), "2020-03-31"]],
      );
      const delta = await open.db
        .selectFrom("workplaces")
        .select("town")
        .where("site_code", "=", "RXC01")
        .executeTakeFirstOrThrow();
      assert.equal(delta.town, "EASTHAM");

      const index = await loadMatchIndex(open.db, f.unionId);
      const query = { employer: "Oldtown Hospitals NHS Trust", workplace: null, postcode: null };
      const now = matchOrganisation(index, { ...query, asOf: "2024-05-01" });
      assert.equal(now.best?.employerId, await id("RXB"), now.reason);
      assert.match(now.reason, /succeeded by Northern Counties Hospitals NHS Foundation Trust/);
      const then = matchOrganisation(index, { ...query, asOf: "2019-05-01" });
      assert.equal(then.best?.employerId, await id("RXA"), then.reason);
    });
  });
}
