import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { after, before, describe, test } from "node:test";
import ExcelJS from "exceljs";
import { sql } from "kysely";
import { as, multipart, type Session, signIn } from "../../test/helpers/app.js";
import { backends, createTestDb } from "../../test/helpers/db.js";
import { CLOCK, type Fixture, seedFixture } from "../../test/helpers/fixtures.js";
import { zip } from "../../test/helpers/zip.js";
import type { OpenDatabase } from "../db/connect.js";
import {
  createMemberImport,
  listImportProblems,
  MAX_PROBLEMS_KEPT,
  runMemberImport,
} from "../members/member-import.service.js";
import { importRegister } from "../registers/register-import.service.js";
import { AppError } from "../shared/errors.js";
import { buildApp } from "./app.js";
import type { App } from "./types.js";

/** A workbook whose only sheet has no header row: numbers where column names belong. */
async function headerlessXlsx(): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet("Members");
  for (let i = 0; i < 30; i++) sheet.addRow([i, i * 2, i * 3]);
  return Buffer.from(await book.xlsx.writeBuffer());
}

/**
 * Bad requests of every kind answer 4xx with a stable code and change
 * nothing; a database refusal never shows PostgreSQL's words; and the log
 * never holds a member's number, name or email.
 */
for (const { backend, skip } of await backends()) {
  describe(`bad input on ${backend}`, { skip }, () => {
    let open: OpenDatabase;
    let app: App;
    let f: Fixture;
    let national: Session;
    let rep: Session;
    let log = "";
    const uploadDir = fs.mkdtempSync(path.join(os.tmpdir(), "mandate-bad-input-"));

    before(async () => {
      open = await createTestDb(backend);
      f = await seedFixture(open.db);
      app = await buildApp({
        db: open.db,
        clock: CLOCK,
        secureCookies: false,
        webDir: null,
        logLevel: "info",
        uploadDir,
        logStream: new Writable({
          write(chunk, _encoding, done) {
            log += String(chunk);
            done();
          },
        }),
      });
      // A route that meets a raw PostgreSQL error quoting a membership number in its detail, as a
      // bug in a service would: the answer and the log must not repeat it.
      app.post("/api/test/raw-unique-violation", async () => {
        await sql`insert into members (union_id, membership_number, forenames, surname, status)
                  select union_id, membership_number, forenames, surname, status from members where id = ${f.members.stJames[0]!}`.execute(
          open.db,
        );
        return { ok: true };
      });
      app.get("/api/test/raw-unknown-pg-error", async () => {
        await sql`select * from no_such_table_for_m100`.execute(open.db);
        return { ok: true };
      });
      national = await signIn(app, f.users.national.email);
      rep = await signIn(app, f.users.rep.email);
    });
    after(async () => {
      await app?.close();
      await open?.close();
      fs.rmSync(uploadDir, { recursive: true, force: true });
    });

    const counts = async () =>
      (
        await sql<{ m: number; j: number; e: number }>`select (select count(*)::int from members) as m,
            (select count(*)::int from import_jobs) as j, (select count(*)::int from employers) as e`.execute(
          open.db,
        )
      ).rows[0]!;

    test("a table of bad requests: each a 4xx with its stable code, and nothing changes", async () => {
      const xlsxNoHeader = await headerlessXlsx();
      // 300 MB of shared strings in about 300 KB.
      const bomb = zip([
        { name: "xl/workbook.xml", data: Buffer.from("<workbook/>") },
        { name: "xl/_rels/workbook.xml.rels", data: Buffer.from("<Relationships/>") },
        { name: "xl/sharedStrings.xml", data: Buffer.alloc(300 * 1024 * 1024, "<si><t>x</t></si>") },
      ]);
      const upload = (name: string, content: Buffer | string) => ({
        method: "POST" as const,
        url: "/api/imports/members",
        ...multipart(name, content),
      });
      const cases: [string, Session, Parameters<typeof as>[2], number, string][] = [
        ["NUL in a search", national, { url: "/api/members?search=Ah%00med" }, 400, "request.invalid"],
        [
          "NUL in a query of another list",
          national,
          { url: "/api/employers?search=%00" },
          400,
          "request.invalid",
        ],
        [
          "NUL in a JSON body",
          national,
          {
            method: "POST",
            url: "/api/employers",
            payload: { name: "Leeds\u0000Trust", sectorId: f.sectors.health },
          },
          400,
          "request.invalid",
        ],
        ["NUL in a path parameter", national, { url: "/api/members/1%00" }, 400, "request.invalid"],
        ["export by a rep", rep, { url: "/api/members/export.csv" }, 403, "auth.forbidden"],
        ["empty CSV", national, upload("empty.csv", ""), 422, "import.file_invalid"],
        [
          "CSV with no header row",
          national,
          upload("noheader.csv", "1,2,3\n4,5,6\n"),
          422,
          "import.file_invalid",
        ],
        [
          "binary bytes named .csv",
          national,
          upload("binary.csv", Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256))),
          422,
          "import.file_invalid",
        ],
        ["empty .xlsx", national, upload("empty.xlsx", ""), 422, "import.file_invalid"],
        [
          "damaged .xlsx (zip signature, then rubbish)",
          national,
          upload("damaged.xlsx", Buffer.concat([Buffer.from("PK\u0003\u0004"), Buffer.alloc(2000, 0x41)])),
          422,
          "import.file_invalid",
        ],
        [
          "xlsx with no header row",
          national,
          upload("noheader.xlsx", xlsxNoHeader),
          422,
          "import.file_invalid",
        ],
        ["a .pdf", national, upload("members.pdf", "%PDF-1.4"), 422, "import.file_invalid"],
        ["an .xlsx zip bomb", national, upload("bomb.xlsx", bomb), 413, "import.xlsx_part_too_large"],
        [
          "a CSV with a runaway quoted field",
          national,
          upload("runaway.csv", `Membership No,Surname,Forename\nA1,"${"x".repeat(20_000)}",Jo\n`),
          422,
          "import.field_too_long",
        ],
        [
          "malformed JSON",
          national,
          {
            method: "POST",
            url: "/api/employers",
            payload: "{",
            headers: { "content-type": "application/json" },
          },
          400,
          "request.malformed_json",
        ],
      ];
      const start = await counts();
      for (const [name, session, options, status, code] of cases) {
        const res = await as(app, session, options);
        assert.equal(res.statusCode, status, `${name}: ${res.body}`);
        assert.equal(res.json().error.code, code, name);
      }
      assert.deepEqual(await counts(), start);
      assert.deepEqual(fs.readdirSync(uploadDir), [], "refused uploads are not kept");
    });

    test("an import keeps its first problems and counts the rest", async () => {
      const ctx = { db: open.db, actor: f.actors.national, clock: CLOCK };
      const file = path.join(uploadDir, "..", `${path.basename(uploadDir)}-rejects.csv`);
      const bad = MAX_PROBLEMS_KEPT + 500;
      fs.writeFileSync(
        file,
        ["Membership No,Surname,Forename", ...Array.from({ length: bad }, (_, i) => `R${i},,Jo`)].join("\n"),
      );
      try {
        const job = await createMemberImport(ctx, { filePath: file, fileName: "rejects.csv" });
        const done = await runMemberImport(ctx, job.id);
        assert.equal(done.rowsRejected, bad);
        assert.equal(done.problemsNotKept, 500);
        const kept = await sql<{
          n: number;
        }>`select count(*)::int as n from import_rejects where job_id = ${job.id}`.execute(open.db);
        assert.equal(kept.rows[0]!.n, MAX_PROBLEMS_KEPT);
        assert.equal((await listImportProblems(ctx, job.id)).length, 1000);
      } finally {
        fs.rmSync(file, { force: true });
      }
    });

    test("a raw unique violation answers 409 without PostgreSQL's words or the value", async () => {
      const res = await as(app, national, { method: "POST", url: "/api/test/raw-unique-violation" });
      assert.equal(res.statusCode, 409);
      assert.equal(res.json().error.code, "request.conflict");
      assert.doesNotMatch(res.body, /M100|duplicate key|Key \(/);
    });

    test("an unknown database error is a 500 with a reference, not the server's message", async () => {
      const res = await as(app, national, { url: "/api/test/raw-unknown-pg-error" });
      assert.equal(res.statusCode, 500);
      const error = res.json().error;
      assert.equal(error.code, "internal.error");
      assert.ok(error.details.reference);
      assert.doesNotMatch(res.body, /no_such_table|relation/);
    });

    test("the log holds no membership number, name or email of a member", async () => {
      // A search by name, an update with personal values, a refused export and the database errors above.
      await as(app, national, { url: "/api/members?search=Ahmed" });
      await as(app, national, {
        method: "PATCH",
        url: `/api/members/${f.members.stJames[1]!}`,
        payload: { email: "brown.private@example.org" },
      });
      await as(app, rep, { url: "/api/members/export.csv" });
      await as(app, national, { method: "POST", url: "/api/test/raw-unique-violation" });
      await as(app, national, { url: "/api/test/raw-unknown-pg-error" });
      assert.ok(log.length > 0, "the log was captured");
      assert.match(log, /23505/, "the database error is logged, by its code");
      const members = await open.db
        .selectFrom("members")
        .select(["membership_number", "surname", "email"])
        .execute();
      for (const m of members) {
        assert.ok(
          !log.includes(`"${m.membership_number}"`) && !log.includes(`(${m.membership_number})`),
          m.membership_number,
        );
        assert.ok(!log.includes(m.surname), m.surname);
        if (m.email) assert.ok(!log.includes(m.email), m.email);
      }
      assert.ok(!log.includes("brown.private@example.org"));
      assert.ok(!log.includes("Ahmed"));
    });

    test("register files that are empty, binary or not of their format are refused with import.file_invalid", async () => {
      const ctx = { db: open.db, actor: f.actors.national, clock: CLOCK };
      const binary = new Uint8Array(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256));
      const start = await counts();
      for (const format of ["ods", "gias", "csv", "la"] as const) {
        for (const [name, bytes] of [
          ["empty", new Uint8Array()],
          ["binary", binary],
          ["no header", new TextEncoder().encode("1,2,3\n4,5,6\n")],
          ["one NUL", new Uint8Array([0])],
        ] as const) {
          await assert.rejects(
            importRegister(ctx, { format, file: `${name}.${format}`, bytes }),
            (e: unknown) =>
              e instanceof AppError &&
              e.code === "import.file_invalid" &&
              e.message.includes(`${name}.${format}`),
            `${format} ${name}`,
          );
        }
      }
      assert.deepEqual(await counts(), start);
    });
  });
}
