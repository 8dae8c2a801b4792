import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { after, before, describe, test } from "node:test";
import { backends, createTestDb } from "../../test/helpers/db.js";
import { CLOCK, type Fixture, seedFixture } from "../../test/helpers/fixtures.js";
import type { Ctx } from "../context.js";
import type { OpenDatabase } from "../db/connect.js";
import { importRegister } from "../registers/index.js";
import {
  createMemberImport,
  getImportJob,
  importSummary,
  listImportProblems,
  runMemberImport,
} from "./member-import.service.js";
import { exportMembersCsv } from "./members-export.service.js";
import { decideOrgString, listOrgStrings } from "./org-strings.service.js";
import { qualityReport } from "./quality.service.js";

/**
 * Registers in, a messy membership export in, matched, de-duplicated,
 * reviewed and exported: the register correlated by employer, on both back ends.
 */
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mandate-import-"));

const ODS_TRUSTS = [
  '"RR8","LEEDS TEACHING HOSPITALS NHS TRUST","Y63","QWO","ST JAMES\'S UNIVERSITY HOSPITAL","BECKETT STREET","LEEDS","WEST YORKSHIRE","","LS9 7TF","19980401","","","","","","","","","","","","","","","",""',
  '"RY6","LEEDS COMMUNITY HEALTHCARE NHS TRUST","Y63","QWO","STOCKDALE HOUSE","","LEEDS","","","LS6 1PF","20110401","","","","","","","","","","","","","","","",""',
  '"RAE","BRADFORD TEACHING HOSPITALS NHS FOUNDATION TRUST","Y63","QWO","BRADFORD ROYAL INFIRMARY","DUCKWORTH LANE","BRADFORD","","","BD9 6RJ","19980401","","","","","","","","","","","","","","","",""',
].join("\r\n");
const ODS_SITES = [
  '"RR813","ST JAMES\'S UNIVERSITY HOSPITAL","Y63","QWO","BECKETT STREET","","LEEDS","","","LS9 7TF","19980401","","","","RR8","","","","","","","","","","","",""',
  '"RR801","LEEDS GENERAL INFIRMARY","Y63","QWO","GREAT GEORGE STREET","","LEEDS","","","LS1 3EX","19980401","","","","RR8","","","","","","","","","","","",""',
  '"RAE01","BRADFORD ROYAL INFIRMARY","Y63","QWO","DUCKWORTH LANE","","BRADFORD","","","BD9 6RJ","19980401","","","","RAE","","","","","","","","","","","",""',
].join("\r\n");

function memberCsv(rows: string[][]): string {
  const header = [
    "Membership No",
    "Surname",
    "Forename(s)",
    "Date of Birth",
    "Address 1",
    "Town",
    "Post Code",
    "Email",
    "Mobile",
    "Employer",
    "Workplace",
    "Job Title",
    "Status",
    "Payment Method",
  ];
  const esc = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return [header, ...rows].map((r) => r.map(esc).join(",")).join("\r\n");
}

const ROWS: string[][] = [
  [
    "A001",
    "Okafor",
    "Grace",
    "12/03/1984",
    "1 Elm Road",
    "Leeds",
    "ls9 7tf",
    "grace.okafor@example.org",
    "07700 900101",
    "Leeds Teaching Hospitals NHS Trust",
    "St James's University Hospital",
    "Staff Nurse",
    "Active",
    "Check-off",
  ],
  [
    "A002",
    "Patel",
    "Ravi",
    "1979-11-02",
    "2 Oak Road",
    "Leeds",
    "LS1 3EX",
    "ravi@gmial.com",
    "+44 7700 900102",
    "LTHT",
    "LGI",
    "Porter",
    "Active",
    "Direct Debit",
  ],
  [
    "A003",
    "Smith",
    "Jo",
    "03/07/1990",
    "3 Ash Grove",
    "Bradford",
    "BD9 6RJ",
    "jo.smith@nhs.net",
    "07700900103",
    "Bradford Teaching Hospitals",
    "Bradford Royal Infirmary",
    "HCA",
    "Active",
    "DD",
  ],
  [
    "A004",
    "Brown",
    "Sam",
    "30/02/1980",
    "",
    "",
    "not a postcode",
    "",
    "",
    "Agency",
    "",
    "Cleaner",
    "Lapsed",
    "DD",
  ],
  ["", "Nobody", "Missing", "", "", "", "", "", "", "NHS", "", "", "Active", ""],
  [
    "A006",
    "Okafor",
    "Grace",
    "12/03/1984",
    "1 Elm Road",
    "Leeds",
    "LS9 7TF",
    "grace.okafor@example.org",
    "07700 900101",
    "St James Hospital Leeds",
    "",
    "Staff Nurse",
    "Active",
    "Check-off",
  ],
  [
    "A007",
    "Jones",
    "Alex",
    "01/01/1970",
    "7 Birch St",
    "Leeds",
    "LS6 1PF",
    "alex.jones@example.org",
    "",
    "Leeds Community Healthcare",
    "",
    "District Nurse",
    "Active",
    "DD",
  ],
  [
    "A008",
    "Evans",
    "Chris",
    "",
    "8 Beech Ave",
    "Leeds",
    "LS9 7TF",
    "",
    "",
    "Leeds Hospitals",
    "",
    "Admin",
    "Active",
    "DD",
  ],
  [
    "A001",
    "Okafor",
    "Grace",
    "12/03/1984",
    "1 Elm Road",
    "Leeds",
    "LS9 7TF",
    "",
    "",
    "LTHT",
    "",
    "",
    "Active",
    "",
  ],
];

for (const { backend, skip } of await backends()) {
  describe(`register and member import on ${backend}`, { skip }, () => {
    let open: OpenDatabase;
    let f: Fixture;
    let ctx: Ctx;
    const file = path.join(dir, `members-${backend}.csv`);

    before(async () => {
      open = await createTestDb(backend);
      f = await seedFixture(open.db);
      ctx = { db: open.db, actor: f.actors.national, clock: CLOCK };
      fs.writeFileSync(file, `\ufeff${memberCsv(ROWS)}\r\n`);
    });
    after(() => open?.close());

    test("register files load trusts and sites, and a second load changes nothing", async () => {
      const trusts = await importRegister(ctx, {
        format: "ods",
        file: "etr.csv",
        bytes: Buffer.from(ODS_TRUSTS),
      });
      assert.equal(trusts.problemsTotal, 0, JSON.stringify(trusts.problems));
      // The fixture already has RR8 (Leeds Teaching Hospitals): it is updated, not duplicated.
      assert.equal(trusts.employers.created, 2);
      const sites = await importRegister(ctx, {
        format: "ods",
        file: "ets.csv",
        bytes: Buffer.from(ODS_SITES),
      });
      assert.equal(sites.problemsTotal, 0, JSON.stringify(sites.problems));
      assert.equal(sites.workplaces.created, 1, "RR813 and RR801 exist in the fixture already; RAE01 is new");
      const again = await importRegister(ctx, {
        format: "ods",
        file: "ets.csv",
        bytes: Buffer.from(ODS_SITES),
      });
      assert.deepEqual([again.workplaces.created, again.workplaces.updated], [0, 0]);
      const rr8 = await open.db.selectFrom("employers").selectAll().where("ods_code", "=", "RR8").execute();
      assert.equal(rr8.length, 1);
    });

    test("a renamed trust keeps its old name as a former name", async () => {
      const renamed = ODS_TRUSTS.replace(
        "BRADFORD TEACHING HOSPITALS NHS FOUNDATION TRUST",
        "BRADFORD AND CRAVEN HOSPITALS NHS FOUNDATION TRUST",
      );
      const r = await importRegister(ctx, {
        format: "ods",
        file: "etr-new.csv",
        bytes: Buffer.from(renamed),
      });
      assert.equal(r.employers.renamed, 1);
      const aliases = await open.db
        .selectFrom("register_aliases")
        .select(["alias", "kind"])
        .where("kind", "=", "former_name")
        .execute();
      assert.ok(
        aliases.some((a) => /Bradford Teaching Hospitals/i.test(a.alias)),
        JSON.stringify(aliases),
      );
    });

    test("a bad register file names file, line and field and loads nothing", async () => {
      await assert.rejects(
        importRegister(ctx, {
          format: "csv",
          file: "bad.csv",
          bytes: Buffer.from("nom,postcode\nX,LS1 1AA\n"),
        }),
        (e: Error & { code?: string }) => e.code === "import.file_invalid" && /bad\.csv:1/.test(e.message),
      );
    });

    test("a messy export imports: rejects named by line and field, fixes applied, employers matched", async () => {
      const job = await createMemberImport(ctx, { filePath: file });
      const done = await runMemberImport(ctx, job.id);
      assert.equal(done.status, "completed");
      assert.equal(done.rowsRead, 9);
      assert.equal(done.rowsInserted, 7, "every row but the one without a number and the repeated A001");
      // The summary a script reads: every member imported is matched one way or another.
      const summary = importSummary(done);
      assert.deepEqual([summary.rows, summary.imported, summary.rejected], [9, 7, 2]);
      assert.equal(summary.auto_matched + summary.in_review + summary.unmatched <= summary.imported, true);
      assert.equal(summary.auto_matched, done.matching?.auto);
      const problems = await listImportProblems(ctx, job.id);
      const rejected = problems.filter((p) => p.severity === "reject");
      assert.ok(
        rejected.some((p) => p.line === 6 && /membership/i.test(p.field + p.message)),
        JSON.stringify(rejected),
      );
      assert.ok(
        rejected.some((p) => p.line === 10 && p.code === "membership_number.repeated"),
        "A001 repeated on line 10",
      );
      assert.ok(
        problems.some((p) => p.line === 5 && p.code.startsWith("postcode")),
        "bad postcode is a warning on line 5",
      );
      const grace = await open.db
        .selectFrom("members")
        .selectAll()
        .where("membership_number", "=", "A001")
        .executeTakeFirstOrThrow();
      assert.equal(grace.home_postcode, "LS9 7TF");
      assert.ok(
        Object.values(done.fixes).reduce((a, b) => a + b, 0) >= 3,
        `fixes are counted by kind: ${JSON.stringify(done.fixes)}`,
      );
      assert.equal(grace.mobile, "+447700900101");
      assert.equal(grace.check_off, true);
      assert.equal(grace.employer_id, f.employers.leedsTrust);
      assert.equal(grace.workplace_id, f.workplaces.stJames);
      const ravi = await open.db
        .selectFrom("members")
        .selectAll()
        .where("membership_number", "=", "A002")
        .executeTakeFirstOrThrow();
      assert.equal(ravi.employer_id, f.employers.leedsTrust, "LTHT is the acronym of the trust");
      const agency = await open.db
        .selectFrom("members")
        .selectAll()
        .where("membership_number", "=", "A004")
        .executeTakeFirstOrThrow();
      assert.equal(agency.employer_id, null, "'Agency' is never matched automatically");
    });

    test("running the same file again changes nothing", async () => {
      const before = await open.db
        .selectFrom("members")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .executeTakeFirstOrThrow();
      const job = await createMemberImport(ctx, { filePath: file });
      const again = await runMemberImport(ctx, job.id);
      assert.equal(again.rowsInserted, 0);
      assert.equal(again.rowsUpdated, 0);
      assert.equal(again.rowsUnchanged, 7);
      const afterCount = await open.db
        .selectFrom("members")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .executeTakeFirstOrThrow();
      assert.equal(Number(afterCount.n), Number(before.n));
    });

    test("the same person under two numbers is grouped, not deleted", async () => {
      const rows = await open.db
        .selectFrom("members")
        .select(["membership_number", "duplicate_group_id"])
        .where("membership_number", "in", ["A001", "A006"])
        .execute();
      assert.equal(rows.length, 2);
      assert.ok(
        rows[0]!.duplicate_group_id !== null && rows[0]!.duplicate_group_id === rows[1]!.duplicate_group_id,
      );
    });

    test("a reviewer's decision applies to every member with that string and is remembered", async () => {
      // "Agency" names no employer, so it is never matched automatically: a person decides.
      const queue = await listOrgStrings(ctx, { status: "unmatched", page: 1, pageSize: 50 });
      const unsure = queue.items.find((s) => s.employerText === "Agency");
      assert.ok(
        unsure,
        `Agency should need a person: ${JSON.stringify(queue.items.map((i) => [i.employerText, i.status]))}`,
      );
      const r = await decideOrgString(ctx, unsure.id, {
        action: "choose",
        employerId: f.employers.leedsTrust,
        workplaceId: null,
      });
      assert.equal(r.membersUpdated, 1);
      const brown = await open.db
        .selectFrom("members")
        .selectAll()
        .where("membership_number", "=", "A004")
        .executeTakeFirstOrThrow();
      assert.equal(brown.employer_id, f.employers.leedsTrust);
      assert.equal(brown.region_id, f.regions.yorkshire, "the region follows the decided employer");
      const alias = await open.db
        .selectFrom("register_aliases")
        .selectAll()
        .where("kind", "=", "reviewer")
        .execute();
      assert.ok(alias.some((a) => a.alias === "Agency"));
    });

    test("the export has one row per member with codes, match status and duplicate group", async () => {
      let text = "";
      const sink = new Writable({
        write(chunk, _enc, cb) {
          text += chunk.toString();
          cb();
        },
      });
      const r = await exportMembersCsv(ctx, sink, { onlyImported: true });
      assert.equal(r.rows, 7);
      const [header, ...lines] = text.trim().split("\n");
      assert.match(
        header!,
        /^membership_number,.*employer_code,.*workplace_code,.*match_status,match_confidence,duplicate_group/,
      );
      const grace = lines.find((l) => l.startsWith("A001,"))!;
      assert.match(grace, /,RR8,/);
      assert.match(grace, /,RR813,/);
      const brown = lines.find((l) => l.startsWith("A004,"))!;
      assert.match(brown, /,reviewed,/);
      const audit = await open.db
        .selectFrom("audit_log")
        .selectAll()
        .where("event", "in", ["export.started", "export.finished"])
        .orderBy("seq")
        .execute();
      assert.deepEqual(
        audit.map((a) => [a.event, a.details.kind, a.details.rows]),
        [
          ["export.started", "members_csv", undefined],
          ["export.finished", "members_csv", 7],
        ],
      );
      assert.equal(audit[0]!.details.exportId, audit[1]!.details.exportId);
    });

    test("the quality report counts per employer", async () => {
      const q = await qualityReport(ctx, "employer");
      const leeds = q.rows.find((r) => r.id === f.employers.leedsTrust)!;
      assert.ok(leeds.members >= 4);
      assert.ok(q.totals.members >= 7);
      assert.ok(q.totals.noHomeAddress >= 1);
    });

    test("a column mapping given once is reused for a later file with the same headers", async () => {
      const first = path.join(dir, `mapped-1-${backend}.csv`);
      const second = path.join(dir, `mapped-2-${backend}.csv`);
      fs.writeFileSync(first, "Ref Code,Surname,Forename,Post Code\nR1,Ward,Kim,LS1 1AA\n");
      fs.writeFileSync(second, "Ref Code,Surname,Forename,Post Code\nR2,Lee,Ann,LS2 2BB\n");
      await assert.rejects(createMemberImport(ctx, { filePath: first }), /no column for membershipNumber/);
      const job = await createMemberImport(ctx, {
        filePath: first,
        mapping: { membershipNumber: "Ref Code" },
      });
      assert.equal((await runMemberImport(ctx, job.id)).rowsInserted, 1);
      const again = await createMemberImport(ctx, { filePath: second });
      assert.equal(again.mapping.membershipNumber, "Ref Code");
      assert.equal((await runMemberImport(ctx, again.id)).rowsInserted, 1);
    });

    test("an import's duplicate counts are the file's own, not the whole register's", async () => {
      const unionWide = await open.db
        .selectFrom("duplicate_groups")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .executeTakeFirstOrThrow();
      assert.ok(Number(unionWide.n) > 0, "the register holds duplicate groups from the messy export");
      const clean = path.join(dir, `clean-${backend}.csv`);
      fs.writeFileSync(
        clean,
        memberCsv([
          [
            "C001",
            "Quist",
            "Anneke",
            "01/02/1990",
            "3 Ash Road",
            "Leeds",
            "LS2 9JT",
            "",
            "",
            "",
            "",
            "Porter",
            "Active",
            "",
          ],
        ]),
      );
      const job = await createMemberImport(ctx, { filePath: clean });
      const done = await runMemberImport(ctx, job.id);
      assert.deepEqual(done.duplicates, { linked: 0, review: 0 });
      assert.deepEqual((await getImportJob(ctx, job.id)).duplicates, { linked: 0, review: 0 });
      const messy = await open.db
        .selectFrom("members")
        .select("import_job_id")
        .where("membership_number", "=", "A001")
        .executeTakeFirstOrThrow();
      const first = await getImportJob(ctx, messy.import_job_id!);
      assert.ok(first.duplicates!.linked + first.duplicates!.review > 0, "the messy file's own groups");
    });

    test("an import stopped part-way resumes from its last committed batch and ends with the same result", async () => {
      const big = path.join(dir, `big-${backend}.csv`);
      const rows: string[][] = [];
      for (let i = 0; i < 4500; i++) {
        rows.push([
          `B${i}`,
          `Surname${i}`,
          `Forename${i % 97}`,
          "01/02/1985",
          `${i} Road`,
          "Leeds",
          "LS9 7TF",
          "",
          "",
          "Leeds Teaching Hospitals NHS Trust",
          "",
          "Porter",
          "Active",
          "DD",
        ]);
      }
      fs.writeFileSync(big, memberCsv(rows));
      const job = await createMemberImport(ctx, { filePath: big });
      await assert.rejects(
        runMemberImport(
          ctx,
          job.id,
          () => {
            throw new Error("power cut");
          },
          { batchRows: 2000 },
        ),
        /power cut/,
      );
      const failed = await open.db
        .selectFrom("import_jobs")
        .selectAll()
        .where("id", "=", job.id)
        .executeTakeFirstOrThrow();
      assert.equal(failed.status, "failed");
      assert.equal(failed.rows_inserted, 2000, "the first batch committed before the failure");
      const resumed = await runMemberImport(ctx, job.id);
      assert.equal(resumed.status, "completed");
      assert.equal(resumed.rowsInserted, 4500);
      const n = await open.db
        .selectFrom("members")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("membership_number", "like", "B%")
        .executeTakeFirstOrThrow();
      assert.equal(Number(n.n), 4500);
    });
  });
}
