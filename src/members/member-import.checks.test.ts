import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { sql } from "kysely";
import { backends, createTestDb } from "../../test/helpers/db.js";
import { CLOCK, seedFixture } from "../../test/helpers/fixtures.js";
import type { Ctx } from "../context.js";
import type { OpenDatabase } from "../db/connect.js";
import type { Db } from "../db/database.js";
import { createMemberImport, runMemberImport } from "./member-import.service.js";
import { emptyProfile, mergeBatch, setBasedChecksAllowed, stageBatch } from "./member-import-batch.js";

/**
 * The import's set-based checks (decision 0025): with the members triggers off in the merge's
 * transaction, the foreign keys checked once per batch and the counts written by the merge, an
 * import and a second file over it (new members, movers, changed addresses and standings,
 * unchanged rows) leave exactly what the triggers leave: members, history, counts, job counters.
 */
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mandate-import-checks-"));

const HEADER =
  "Membership No,Surname,Forename(s),Date of Birth,Address 1,Town,Post Code,Employer,Workplace,Job Title,Status,Payment Method,Region,Branch,Date Joined";
const PLACES = [
  ["Leeds Teaching Hospitals NHS Trust", "St James's University Hospital"],
  ["Leeds Teaching Hospitals NHS Trust", "Leeds General Infirmary"],
  ["Leeds Teaching Hosps", ""],
  ["London Borough of Camden", "Camden Town Hall"],
  ["Nowhere Trust", ""],
  ["", ""],
];
const STATUSES = ["Active", "Active", "Lapsed", "Left", "Arrears"];

function row(i: number, version: 1 | 2): string {
  // The second file changes some members (every 7th moves, every 5th loses its address line, every
  // 3rd changes standing), keeps the rest as they were, and adds members from 1,500 on.
  const place = PLACES[(i + (version === 2 && i % 7 === 0 ? 1 : 0)) % PLACES.length]!;
  const status = STATUSES[(i + (version === 2 && i % 3 === 0 ? 1 : 0)) % STATUSES.length]!;
  const address = version === 2 && i % 5 === 0 ? "" : `${i} Road`;
  const joined = status === "Left" ? "" : `0${(i % 9) + 1}/02/2015`;
  return [
    `K${i}`,
    `Surname${i % 301}`,
    `Forename${i % 97}`,
    `0${(i % 9) + 1}/03/1980`,
    address,
    "Leeds",
    i % 11 === 0 ? "" : "LS9 7TF",
    place[0],
    place[1],
    i % 4 === 0 ? "Porter" : "Nurse",
    status,
    i % 2 ? "DD" : "Check-off",
    i % 13 === 0 ? "london" : "",
    "",
    joined,
  ].join(",");
}

function file(name: string, from: number, to: number, version: 1 | 2): string {
  const rows = [HEADER];
  for (let i = from; i < to; i++) rows.push(row(i, version));
  const p = path.join(dir, name);
  fs.writeFileSync(p, `${rows.join("\n")}\n`);
  return p;
}

/** What an import leaves that must not depend on how it checks and counts (times and ids of jobs aside). */
async function state(db: Db) {
  const members =
    await sql`select id, union_id, membership_number, forenames, surname, date_of_birth, address_line1,
      address_line2, town, home_postcode, email, email_kind, mobile, employer_id, workplace_id, job_title, job_category,
      branch_id, region_id, status, in_arrears, check_off, joined_on, left_on, consent_email, consent_sms,
      employer_text, workplace_text, org_string_id, duplicate_group_id, import_line
      from members order by id`.execute(db);
  const history =
    await sql`select id, member_id, valid_from, valid_to, employer_id, workplace_id, job_category
      from member_history order by id`.execute(db);
  const counts =
    await sql`select union_id, region_id, employer_id, workplace_id, status, in_arrears, has_home_address,
      has_workplace, n from member_counts where n <> 0
      order by union_id, region_id, employer_id, workplace_id, status, in_arrears, has_home_address, has_workplace`.execute(
      db,
    );
  const jobs = await sql`select rows_read, rows_inserted, rows_updated, rows_unchanged, rows_rejected, status
      from import_jobs order by id`.execute(db);
  return { members: members.rows, history: history.rows, counts: counts.rows, jobs: jobs.rows };
}

/** The counts recomputed from scratch, as the members trigger keys them. */
async function recomputedCounts(db: Db) {
  const r = await sql`select union_id, region_id, employer_id, workplace_id, status, in_arrears,
      (address_line1 is not null and home_postcode is not null) as has_home_address,
      workplace_id is not null as has_workplace, count(*)::int as n
      from members group by 1, 2, 3, 4, 5, 6, 7, 8
      order by union_id, region_id, employer_id, workplace_id, status, in_arrears, has_home_address, has_workplace`.execute(
    db,
  );
  return r.rows;
}

for (const { backend, skip } of await backends()) {
  describe(`the import's set-based checks leave what the triggers leave on ${backend}`, { skip }, () => {
    const dbs: Record<"setBased" | "triggers", { open: OpenDatabase; ctx: Ctx }> = {} as never;
    const first = file(`first-${backend}.csv`, 0, 2000, 1);
    const second = file(`second-${backend}.csv`, 0, 3100, 2);

    before(async () => {
      for (const kind of ["setBased", "triggers"] as const) {
        const open = await createTestDb(backend);
        const f = await seedFixture(open.db);
        dbs[kind] = { open, ctx: { db: open.db, actor: f.actors.national, clock: CLOCK } };
      }
    });
    after(async () => {
      for (const d of Object.values(dbs)) await d.open.close();
    });

    test("the test database lets the import turn the triggers off", async () => {
      assert.equal(await setBasedChecksAllowed(dbs.setBased.open.db), true);
    });

    test("a first import and a changed second file give the same members, history and counts", async () => {
      for (const [kind, { ctx }] of Object.entries(dbs)) {
        for (const f of [first, second]) {
          const job = await createMemberImport(ctx, { filePath: f });
          const done = await runMemberImport(ctx, job.id, undefined, {
            batchRows: 700,
            setBasedChecks: kind === "setBased",
          });
          assert.equal(done.status, "completed");
        }
      }
      const setBased = await state(dbs.setBased.open.db);
      const triggers = await state(dbs.triggers.open.db);
      assert.ok(setBased.members.length > 3000, `${setBased.members.length} members`);
      const periods = new Map<number, number>();
      for (const h of setBased.history as { member_id: number }[])
        periods.set(h.member_id, (periods.get(h.member_id) ?? 0) + 1);
      const movers = [...periods.values()].filter((n) => n > 1).length;
      assert.ok(movers > 100, `the second file moved members to new periods (${movers})`);
      const last = setBased.jobs.at(-1) as { rows_updated: number; rows_unchanged: number };
      assert.ok(last.rows_updated > 0 && last.rows_unchanged > 0, JSON.stringify(last));
      assert.deepEqual(setBased.jobs, triggers.jobs);
      assert.deepEqual(setBased.members, triggers.members);
      assert.deepEqual(setBased.history, triggers.history);
      assert.deepEqual(setBased.counts, triggers.counts);
    });

    test("the counts after the imports equal the counts recomputed from the members", async () => {
      for (const { open } of Object.values(dbs)) {
        const counts = (await state(open.db)).counts;
        assert.deepEqual(counts, await recomputedCounts(open.db));
      }
    });

    test("a staged row that refers to a missing employer is refused by the foreign key, as with the triggers", async () => {
      const { open, ctx } = dbs.setBased;
      const job = await createMemberImport(ctx, { filePath: first });
      const before = await state(open.db);
      // In the order of STAGED_COLUMNS: the job's keys, then the compared fields, employer_id 987654 among them.
      const staged: unknown[] = [job.id, 1, 1, 2, "GHOST1", "Ann", "Lee"];
      staged.push(null, null, null, null, null, null, null, null);
      staged.push(987654, null, null, null, null, null, "active", false, false, null, null, false, false);
      staged.push(null, null, null);
      await stageBatch(open.db, [staged]);
      await assert.rejects(
        mergeBatch(
          open.db,
          {
            unionId: 1,
            jobId: job.id,
            batch: 1,
            today: "2026-11-20",
            now: CLOCK.now(),
            rowCount: 1,
            lastLine: 2,
            usable: 1,
            keep: [],
            notKept: 0,
            fixes: new Map(),
            setBased: true,
          },
          emptyProfile(),
        ),
        /foreign key/,
      );
      await sql`delete from member_import_staging`.execute(open.db);
      const after = await state(open.db);
      assert.deepEqual(after.members, before.members);
      assert.deepEqual(after.counts, before.counts);
    });

    test("members and member_history have no triggers but the foreign keys' and the counts'", async () => {
      // The set-based merge turns every trigger of these tables off for its transaction: a new one
      // (an audit, another count) would be skipped by imports unless the merge does its work too.
      const r = await sql<{ table: string; name: string }>`
        select c.relname as table, t.tgname as name from pg_trigger t join pg_class c on c.oid = t.tgrelid
         where c.relname in ('members', 'member_history') and not t.tgisinternal
         order by 1, 2`.execute(dbs.setBased.open.db);
      assert.deepEqual(
        r.rows.map((x) => `${x.table}.${x.name}`),
        // members_clear_undeliverable's work (a new address clears its flag) is done by the merge itself.
        [
          "members.members_clear_undeliverable",
          "members.members_counts_delete",
          "members.members_counts_insert",
          "members.members_counts_update",
        ],
      );
    });
  });
}
