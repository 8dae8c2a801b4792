import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { createTestCli, type TestCli } from "../../test/helpers/cli.js";
import { generateMessyExport, KINDS_NAMING_A_SITE } from "./messy-export.js";

/** The real NHS trusts register, read where it is kept (../shared/data, see its README). */
const ETR = path.resolve(import.meta.dirname, "../../../shared/data/ods/etr.csv");
const noRegister = fs.existsSync(ETR) ? false : `the trusts register is not at ${ETR}`;
if (noRegister) console.log(`# skipping: ${noRegister}`);

describe("messy export over a register of employers alone", () => {
  let cli: TestCli;
  before(async () => {
    cli = await createTestCli();
  });
  after(() => cli.close());

  test("`mandate demo members` works when only the trusts register (no sites) is loaded", {
    skip: noRegister,
  }, async () => {
    const load = await cli.run("register", "import", "--format", "ods", ETR);
    assert.equal(load.code, 0, load.stderr);
    const out = path.join(cli.dir, "export");
    const res = await cli.run("--json", "demo", "members", "--rows", "200", "--seed", "1", "--out", out);
    assert.equal(res.code, 0, res.stderr || res.stdout);
    const rows = JSON.parse(res.stdout).rows;
    assert.ok(rows > 150, `${rows} rows`);
    const truth = fs.readFileSync(path.join(out, "truth.csv"), "utf8").trim().split("\n");
    assert.equal(truth.length, rows + 1);
    assert.ok(
      truth.slice(1).every((line) => line.split(",")[4] === ""),
      "no row names a workplace",
    );
  });

  test("the generator writes no workplace strings when the register has no open site", () => {
    const entries = [
      "ALPHA NHS TRUST",
      "BETA HEALTHCARE NHS FOUNDATION TRUST",
      "GAMMA'S HOSPITAL NHS TRUST",
    ].map((name, i) => ({
      employerId: i + 1,
      workplaceId: null,
      name,
      employerName: name,
      aliases: [],
      postcode: "LS1 4AP",
      closedOn: null,
      codes: [`R${i}X`],
    }));
    const out = generateMessyExport({
      rows: 300,
      seed: 7,
      entries,
      employerCode: new Map(entries.map((e) => [e.employerId, e.codes[0]!])),
      workplaceCode: new Map(),
    });
    assert.ok(out.rows.length > 250);
    assert.ok(out.truth.every((t) => !KINDS_NAMING_A_SITE.includes(t[5] as never)));
    assert.ok(!out.kinds.includes("site_only"));
  });
});
