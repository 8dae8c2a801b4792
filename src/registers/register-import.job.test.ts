import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, test } from "node:test";
import { sql } from "kysely";
import { backends } from "../../test/helpers/db.js";
import { assertKilledRunMatches, type KillCase } from "../../test/helpers/killed-worker.js";
import type { Db } from "../db/database.js";
import { sha256Hex } from "../shared/hash.js";
import { queueRegisterImport } from "./register-import.job.js";
import { importRegister } from "./register-import.service.js";

/**
 * A register import run as a job by a real `mandate worker`, killed with
 * SIGKILL half-way and taken over by another worker, ends exactly as one run
 * straight through: the same employers, workplaces, former names and aliases,
 * the same counts and lines not used, nothing twice.
 */
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mandate-killed-register-"));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

const HEADER = "code,name,parent code,postcode,aliases,closed on";

/** An earlier register the new one renames, closes and adds to. */
function writeBase(file: string): void {
  const lines = [HEADER];
  for (let i = 0; i < 200; i++) lines.push(`KX${1000 + i},Kill Test Employer ${i} Ltd,,LS1 1AA,,`);
  fs.writeFileSync(file, `${lines.join("\n")}\n`);
}

/** 300 employers (renamed, closed, new) and 600 workplaces, some with an unknown parent. */
function writeNext(file: string): void {
  const lines = [HEADER];
  for (let i = 0; i < 300; i++) {
    const name = i < 100 ? `Renamed Employer ${i} Ltd` : `Kill Test Employer ${i} Ltd`;
    const aliases = i % 7 === 0 ? `KTE ${i};Employer Number ${i}` : "";
    const closed = i >= 100 && i < 150 ? "2026-03-31" : "";
    lines.push(`KX${1000 + i},${name},,LS1 1AA,${aliases},${closed}`);
  }
  for (let i = 0; i < 600; i++) {
    const parent = i % 50 === 49 ? "KX9999" : `KX${1000 + (i % 300)}`;
    const aliases = i % 11 === 0 ? `Site ${i} annexe` : "";
    lines.push(`KS${5000 + i},Kill Test Site ${i},${parent},LS2 ${i % 9}BB,${aliases},`);
  }
  fs.writeFileSync(file, `${lines.join("\n")}\n`);
}

async function lines(db: Db, query: ReturnType<typeof sql<{ line: string }>>) {
  const rows = (await query.execute(db)).rows.map((r) => r.line);
  return { rows: rows.length, fingerprint: sha256Hex(rows.join("\n")) };
}

/** What the import left, by codes rather than ids (a rolled back step uses up sequence numbers). */
async function outcome(db: Db) {
  const imports = await sql<{ line: string }>`
    select concat_ws('|', file_name, file_sha256, counts::text, problems::text) as line
    from register_imports order by id`.execute(db);
  const audited = await sql<{ n: number }>`
    select count(*)::int as n from audit_log where event = 'register.imported'`.execute(db);
  return {
    employers: await lines(
      db,
      sql`select concat_ws('|', local_code, name, opened_on, closed_on, organisation_type, register_source, sector_id, nation) as line
        from employers order by 1`,
    ),
    workplaces: await lines(
      db,
      sql`select concat_ws('|', w.site_code, w.name, e.local_code, e.name, w.postcode, w.address, w.opened_on, w.closed_on) as line
        from workplaces w join employers e on e.id = w.employer_id order by 1`,
    ),
    aliases: await lines(
      db,
      sql`select concat_ws('|', e.local_code, e.name, w.site_code, a.alias, a.normalised, a.kind, a.source) as line
        from register_aliases a join employers e on e.id = a.employer_id
        left join workplaces w on w.id = a.workplace_id order by 1`,
    ),
    imports: imports.rows.map((r) => r.line),
    audited: Number(audited.rows[0]?.n),
  };
}

const base = path.join(dir, "base.csv");
const next = path.join(dir, "next.csv");
writeBase(base);
writeNext(next);

const registerImport: KillCase<Awaited<ReturnType<typeof outcome>>> = {
  async queue(ctx) {
    await importRegister(ctx, { format: "csv", file: "base.csv", bytes: fs.readFileSync(base) });
    // 60 records a step: 15 steps of 900 records.
    const job = await queueRegisterImport(ctx, {
      format: "csv",
      file: "next.csv",
      path: next,
      upload: false,
      stepSize: 60,
    });
    return job.id;
  },
  outcome,
  stepDelayMs: 150,
};

for (const { backend, skip } of await backends()) {
  describe(`a register import killed half-way resumes to the same result on ${backend}`, { skip }, () => {
    test("SIGKILL of the worker process mid-import, taken over by a second worker", async () => {
      const { straight, killed } = await assertKilledRunMatches(
        backend,
        registerImport,
        path.join(dir, backend),
      );
      const result = straight.job.result as {
        employers: { created: number; renamed: number; closed: number };
        workplaces: { created: number };
        problemsTotal: number;
        aliasesAdded: number;
      };
      assert.deepEqual(
        [result.employers.created, result.employers.renamed, result.employers.closed],
        [100, 100, 50],
      );
      assert.equal(result.workplaces.created, 588);
      assert.equal(result.problemsTotal, 12, "the workplaces of an unknown employer");
      assert.ok(result.aliasesAdded > 100);
      const { importId: _a, ...killedResult } = killed.job.result as { importId: number };
      const { importId: _b, ...straightResult } = straight.job.result as { importId: number };
      assert.deepEqual(killedResult, straightResult);
      assert.equal(killed.outcome.audited, 2, "one register.imported per import");
    });
  });
}
