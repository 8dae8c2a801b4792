import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, test } from "node:test";
import { PACKAGE_ROOT } from "../main.js";
import { generateMessyExport, KINDS_NAMING_A_SITE } from "./messy-export.js";

/** The real NHS trusts register, read where it is kept (../shared/data, see its README). */
const ETR = path.resolve(import.meta.dirname, "../../../shared/data/ods/etr.csv");
const noRegister = fs.existsSync(ETR) ? false : `the trusts register is not at ${ETR}`;
if (noRegister) console.log(`# skipping: ${noRegister}`);

describe("messy export over a register of employers alone", () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "mandate-messy-"));
  after(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  test("`mandate demo members` works when only the trusts register (no sites) is loaded", {
    skip: noRegister,
  }, () => {
    const mandate = (...args: string[]) =>
      spawnSync(process.execPath, [path.join(PACKAGE_ROOT, "bin/mandate.js"), ...args], {
        env: { ...process.env, MANDATE_DATA_DIR: dataDir, DATABASE_URL: "" },
        encoding: "utf8",
        timeout: 120_000,
      });
    const load = mandate("register", "import", "--format", "ods", ETR);
    assert.equal(load.status, 0, load.stderr);
    const out = path.join(dataDir, "export");
    const res = mandate("--json", "demo", "members", "--rows", "200", "--seed", "1", "--out", out);
    assert.equal(res.status, 0, res.stderr || res.stdout);
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
