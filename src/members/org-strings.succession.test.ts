import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { backends, createTestDb } from "../../test/helpers/db.js";
import { CLOCK, type Fixture, seedFixture } from "../../test/helpers/fixtures.js";
import type { Ctx } from "../context.js";
import type { OpenDatabase } from "../db/connect.js";
import { importRegister } from "../registers/index.js";
import { createMemberImport, runMemberImport } from "./member-import.service.js";
import {
  listOrgStrings,
  loadMatchIndex,
  matchKey,
  type OrgStringMatch,
  resolveOrgStrings,
} from "./org-strings.service.js";

/**
 * Through the real register import and member import: members who name a
 * council abolished in a reorganisation are matched to the council that
 * employs them on the list's date, and a council split in two goes to a
 * reviewer with both successors.
 */
const REGISTER = path.resolve(import.meta.dirname, "../../test/fixtures/registers/la-successors.csv");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mandate-succession-"));

const HEADER =
  "Membership No,Surname,Forename(s),Date of Birth,Address 1,Town,Post Code,Employer,Workplace,Job Title";
const ROWS = [
  "S001,Ashby,Jo,01/02/1980,1 High St,Taunton,TA1 1AA,Somerset County Council,,Social Worker",
  "S002,Brook,Sam,03/04/1975,2 High St,Taunton,TA1 1AB,Taunton Deane Borough Council,,Planner",
  "S003,Carr,Lee,05/06/1990,3 High St,Carlisle,CA1 1AA,Cumbria County Council,,Librarian",
  "S004,Dale,Kim,07/08/1985,4 High St,Leeds,LS1 1AA,Leeds City Council,,Clerk",
];

for (const { backend, skip } of await backends()) {
  describe(`members naming abolished councils, through the register and member imports, on ${backend}`, {
    skip,
  }, () => {
    let open: OpenDatabase;
    let f: Fixture;
    let ctx: Ctx;
    const file = path.join(dir, `members-${backend}.csv`);
    const idOf = async (name: string) =>
      (await open.db.selectFrom("employers").select("id").where("name", "=", name).executeTakeFirstOrThrow())
        .id;

    before(async () => {
      open = await createTestDb(backend);
      f = await seedFixture(open.db);
      ctx = { db: open.db, actor: f.actors.national, clock: CLOCK };
      fs.writeFileSync(file, `${[HEADER, ...ROWS].join("\r\n")}\r\n`);
    });
    after(() => open?.close());

    test("the register import records each abolished council's successors", async () => {
      const r = await importRegister(ctx, { format: "la", file: "la.csv", bytes: fs.readFileSync(REGISTER) });
      assert.equal(r.problemsTotal, 0, JSON.stringify(r.problems));
      const rows = await open.db
        .selectFrom("employer_successors")
        .innerJoin("employers as e", "e.id", "employer_successors.employer_id")
        .innerJoin("employers as s", "s.id", "employer_successors.successor_id")
        .select(["e.name as former", "s.name as successor", "employer_successors.from_date"])
        .where("employer_successors.union_id", "=", f.unionId)
        .orderBy("e.name")
        .orderBy("s.name")
        .execute();
      assert.deepEqual(
        rows.map((x) => [x.former, x.successor, x.from_date]),
        [
          ["Cumbria County Council", "Cumberland Council", "2023-04-01"],
          ["Cumbria County Council", "Westmorland and Furness Council", "2023-04-01"],
          ["Somerset County Council", "Somerset Council", "2023-04-01"],
          ["Somerset West and Taunton Council", "Somerset Council", "2023-04-01"],
          ["Taunton Deane Borough Council", "Somerset West and Taunton Council", "2019-03-31"],
        ],
      );
      // A second load of the same file says the same, once.
      await importRegister(ctx, { format: "la", file: "la.csv", bytes: fs.readFileSync(REGISTER) });
      const again = await open.db
        .selectFrom("employer_successors")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("union_id", "=", f.unionId)
        .executeTakeFirstOrThrow();
      assert.equal(Number(again.n), 5);
    });

    test("the member import matches an abolished council to its successor and sends a split one to review", async () => {
      const job = await createMemberImport(ctx, { filePath: file });
      const done = await runMemberImport(ctx, job.id);
      assert.equal(done.status, "completed");
      assert.equal(done.rowsInserted, 4);
      const somerset = await idOf("Somerset Council");
      const members = await open.db
        .selectFrom("members")
        .select(["membership_number", "employer_id"])
        .where("union_id", "=", f.unionId)
        .where("membership_number", "in", ["S001", "S002", "S003", "S004"])
        .orderBy("membership_number")
        .execute();
      assert.deepEqual(
        members.map((m) => [m.membership_number, m.employer_id]),
        [
          ["S001", somerset],
          ["S002", somerset],
          ["S003", null],
          ["S004", await idOf("Leeds City Council")],
        ],
      );

      const list = await listOrgStrings(ctx, { page: 1, pageSize: 50 });
      const row = (text: string) => list.items.find((i) => i.employerText === text)!;
      const som = row("Somerset County Council");
      assert.equal(som.status, "auto");
      assert.equal(som.employerName, "Somerset Council");
      assert.match(
        som.reason ?? "",
        /Somerset County Council abolished 2023-04-01, succeeded by Somerset Council/,
      );
      const cumbria = row("Cumbria County Council");
      assert.equal(cumbria.status, "review");
      assert.match(cumbria.reason ?? "", /split between/);
      const names = cumbria.candidates.map((c) => c.employerName);
      assert.ok(names.includes("Cumberland Council"), JSON.stringify(names));
      assert.ok(names.includes("Westmorland and Furness Council"), JSON.stringify(names));
      // Leeds City Council has no closed candidate: kept once, as without a date.
      const leeds = await open.db
        .selectFrom("org_strings")
        .select("match_key")
        .where("union_id", "=", f.unionId)
        .where("employer_text", "=", "Leeds City Council")
        .execute();
      assert.deepEqual(
        leeds.map((l) => l.match_key),
        [matchKey("Leeds City Council", null)],
      );
    });

    test("a string is matched once per period: before the abolition it is the old council, after it the stored match", async () => {
      const key = matchKey("Somerset County Council", null);
      const wanted = [{ key, employerText: "Somerset County Council", workplaceText: null, postcode: null }];
      const index = loadMatchIndex(open.db, f.unionId);
      const at = async (asOf: string) => {
        const cache = new Map<string, OrgStringMatch>();
        await resolveOrgStrings(open.db, f.unionId, () => index, cache, wanted, asOf);
        return cache.get(key)!;
      };
      const now = await at("2026-11-20");
      const later = await at("2031-01-31");
      assert.equal(later.id, now.id, "no closure since: the same string, not matched again");
      const earlier = await at("2022-06-30");
      assert.notEqual(earlier.id, now.id);
      assert.equal(earlier.employerId, await idOf("Somerset County Council"));
      assert.equal(earlier.status, "auto");
      assert.equal((await at("2022-01-01")).id, earlier.id);
      const rows = await open.db
        .selectFrom("org_strings")
        .select("match_key")
        .where("union_id", "=", f.unionId)
        .where("text_key", "=", key)
        .orderBy("match_key")
        .execute();
      assert.deepEqual(
        rows.map((r) => r.match_key),
        [`${key}@`, `${key}@2023-04-01`],
      );
    });
  });
}
