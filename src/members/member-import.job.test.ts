import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, test } from "node:test";
import { sql } from "kysely";
import { backends } from "../../test/helpers/db.js";
import { assertKilledRunMatches, type KillCase } from "../../test/helpers/killed-worker.js";
import type { Db } from "../db/database.js";
import { enqueueJob } from "../jobs/index.js";
import { sha256Hex } from "../shared/hash.js";
import { MEMBER_IMPORT_JOB } from "./member-import.job.js";
import { createMemberImport } from "./member-import.service.js";

/**
 * A member import run as a job by a real `mandate worker` process, killed
 * with SIGKILL half-way and taken over by another worker once its lease has
 * expired, ends exactly as an import run straight through: the same members,
 * history, rejects and duplicate groups, nothing twice. On the embedded
 * database and on the server; the workers load in small batches, the straight
 * run in one, so the result does not depend on where the batches fall either.
 */
const ROWS = 8_000;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mandate-killed-import-"));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

function writeExport(file: string): void {
  const employers = [
    "Leeds Teaching Hospitals NHS Trust",
    "London Borough of Camden",
    "Bradford Council",
    "",
  ];
  const lines = ["Membership No,Surname,Forename(s),Post Code,Employer"];
  for (let i = 0; i < ROWS; i++) {
    // Every 97th row has no number (a reject); every 1000th repeats an earlier person (a possible duplicate).
    const number = i % 97 === 5 ? "" : `K${100000 + i}`;
    const surname = i % 1000 === 999 ? `Person${i - 500}` : `Person${i}`;
    lines.push(
      `${number},${surname},Alex,LS${(i % 9) + 1} ${(i % 9) + 1}AA,${employers[i % employers.length]}`,
    );
  }
  fs.writeFileSync(file, `${lines.join("\n")}\n`);
}

/** What the import left, in a form two databases can be compared by. */
async function outcome(db: Db) {
  const members = await sql<{ line: string }>`
    select concat_ws('|', membership_number, surname, forenames, home_postcode, employer_id, status, import_line) as line
    from members where import_job_id is not null order by membership_number`.execute(db);
  const count = async (table: string) =>
    Number(
      (await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(db)).rows[0]?.n,
    );
  return {
    members: members.rows.length,
    fingerprint: sha256Hex(members.rows.map((r) => r.line).join("\n")),
    history: await count("member_history"),
    rejects: await count("import_rejects"),
    duplicateGroups: await count("duplicate_groups"),
    orgStrings: await count("org_strings"),
  };
}

const file = path.join(dir, "members.csv");
writeExport(file);

const memberImport: KillCase<Awaited<ReturnType<typeof outcome>>> = {
  async queue(ctx) {
    const importJob = await createMemberImport(ctx, { filePath: file });
    const job = await enqueueJob(ctx, MEMBER_IMPORT_JOB, { importJobId: importJob.id, upload: null });
    return job.id;
  },
  outcome,
  // The import commits its own batches (not job steps): the delay only makes the worker log each report.
  stepDelayMs: 1,
  // Small batches in the worker processes: many commits to be killed between (the straight run
  // loads in one batch, so the result must not depend on where the batches fall either).
  workerEnv: { MANDATE_IMPORT_BATCH_ROWS: "2000" },
};

for (const { backend, skip } of await backends()) {
  describe(`a member import killed half-way resumes to the same result on ${backend}`, { skip }, () => {
    test("SIGKILL of the worker process mid-import, taken over by a second worker", async () => {
      const { straight, killed } = await assertKilledRunMatches(
        backend,
        memberImport,
        path.join(dir, backend),
      );
      const expected = straight.outcome;
      assert.ok(expected.members > ROWS * 0.9 && expected.rejects > 0, JSON.stringify(expected));
      assert.ok(killed.half.members > 0 && killed.half.members < expected.members, "killed half-way");
    });
  });
}
