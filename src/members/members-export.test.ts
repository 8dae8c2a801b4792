import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { after, before, describe, test } from "node:test";
import { as, buildTestApp, signIn } from "../../test/helpers/app.js";
import { backends, createTestDb } from "../../test/helpers/db.js";
import { CLOCK, type Fixture, seedFixture } from "../../test/helpers/fixtures.js";
import { ExportAborted } from "../audit/index.js";
import type { Ctx } from "../context.js";
import type { OpenDatabase } from "../db/connect.js";
import { createMember } from "./members.service.js";
import { exportMembersCsv } from "./members-export.service.js";

/** Exports are audited when they start and when they end, however they end. */
for (const { backend, skip } of await backends()) {
  describe(`member export audit on ${backend}`, { skip }, () => {
    let open: OpenDatabase;
    let f: Fixture;
    const ctx = (): Ctx => ({ db: open.db, actor: f.actors.national, clock: CLOCK });

    before(async () => {
      open = await createTestDb(backend);
      f = await seedFixture(open.db);
    });
    after(() => open?.close());

    const exportRowsAfter = async (seq: number) =>
      open.db
        .selectFrom("audit_log")
        .select(["seq", "event", "outcome", "details"])
        .where("seq", ">", seq)
        .where("event", "like", "export.%")
        .orderBy("seq")
        .execute();
    const headSeq = async () =>
      (await open.db.selectFrom("audit_head").select("seq").executeTakeFirstOrThrow()).seq;

    test("an export whose destination is closed half-way leaves a started and a failed row", async () => {
      const from = await headSeq();
      let received = "";
      let writes = 0;
      const sink: Writable = new Writable({
        write(chunk, _enc, cb) {
          writes += 1;
          if (writes === 2) {
            // The reader goes away after the first record, as a cancelled download does.
            sink.destroy();
            return cb();
          }
          received += chunk.toString();
          cb();
        },
      });
      await assert.rejects(exportMembersCsv(ctx(), sink), ExportAborted);
      assert.ok(received.length > 0, "part of the file was sent");
      const rows = await exportRowsAfter(from);
      assert.deepEqual(
        rows.map((r) => [r.event, r.outcome, r.details.kind]),
        [
          ["export.started", "success", "members_csv"],
          ["export.failed", "failure", "members_csv"],
        ],
      );
      assert.equal(rows[0]!.details.exportId, rows[1]!.details.exportId);
      assert.match(String(rows[1]!.details.why), /closed before the export completed/);
    });

    test("an export whose destination fails records why in fixed words, not the error's message", async () => {
      const from = await headSeq();
      const sink = new Writable({
        write(_chunk, _enc, cb) {
          cb(new Error("EIO writing /home/someone/Evans.csv"));
        },
      });
      await assert.rejects(exportMembersCsv(ctx(), sink), /EIO/);
      const rows = await exportRowsAfter(from);
      assert.deepEqual(
        rows.map((r) => r.event),
        ["export.started", "export.failed"],
      );
      assert.equal(rows[1]!.details.why, "the export stopped with an error");
      assert.doesNotMatch(JSON.stringify(rows), /Evans/);
    });

    test("an export written whole but not delivered (the connection closed at the end) is failed, not finished", async () => {
      const from = await headSeq();
      const sink = new Writable({ write: (_c, _e, cb) => cb() });
      const delivered = Promise.reject(new ExportAborted());
      delivered.catch(() => undefined);
      await assert.rejects(exportMembersCsv(ctx(), sink, { delivered }), ExportAborted);
      const rows = await exportRowsAfter(from);
      assert.deepEqual(
        rows.map((r) => r.event),
        ["export.started", "export.failed"],
      );
      assert.ok(Number(rows[1]!.details.rows) > 0, "the rows written before the failure are counted");
    });

    test("over HTTP: a download is audited at start and end with one export id; a refused one is a 403", async () => {
      const app = await buildTestApp(open);
      try {
        const national = await signIn(app, f.users.national.email);
        const from = await headSeq();
        const res = await as(app, national, { url: "/api/members/export.csv" });
        assert.equal(res.statusCode, 200);
        const lines = res.body.trim().split("\n");
        // The ending row is written once the response has finished, just after the client has it.
        let rows = await exportRowsAfter(from);
        for (let i = 0; i < 100 && rows.length < 2; i++) {
          await new Promise((r) => setTimeout(r, 20));
          rows = await exportRowsAfter(from);
        }
        assert.deepEqual(
          rows.map((r) => [r.event, r.details.kind]),
          [
            ["export.started", "members_csv"],
            ["export.finished", "members_csv"],
          ],
        );
        assert.equal(rows[1]!.details.rows, lines.length - 1);
        assert.equal(rows[0]!.details.exportId, rows[1]!.details.exportId);

        const rep = await signIn(app, f.users.rep.email);
        const before = await headSeq();
        const refused = await as(app, rep, { url: "/api/members/export.csv" });
        assert.equal(refused.statusCode, 403);
        assert.equal(refused.json().error.code, "auth.forbidden");
        assert.deepEqual(await exportRowsAfter(before), [], "nothing was exported, so no export is recorded");
      } finally {
        await app.close();
      }
    });

    test("over HTTP: a HEAD request exports nothing and records no export", async () => {
      const app = await buildTestApp(open);
      try {
        const national = await signIn(app, f.users.national.email);
        const from = await headSeq();
        for (const url of ["/api/members/export.csv", "/api/quality.csv?by=employer"]) {
          const res = await as(app, national, { method: "HEAD", url });
          // No HEAD route here (export.csv may reach HEAD /api/members/:id and be refused as an id).
          assert.ok(res.statusCode >= 400, `${url}: ${res.statusCode}`);
        }
        const docs = await open.db.selectFrom("ballot_documents").select("id").limit(1).execute();
        const res = await as(app, national, {
          method: "HEAD",
          url: `/api/documents/${docs[0]?.id ?? 1}/download`,
        });
        assert.equal(res.statusCode, 404);
        await new Promise((r) => setTimeout(r, 50));
        assert.deepEqual(await exportRowsAfter(from), []);
      } finally {
        await app.close();
      }
    });

    test("over HTTP: the register quality CSV is built by the server, neutralised, and audited at start and end", async () => {
      const app = await buildTestApp(open);
      try {
        const regional = await signIn(app, f.users.regional.email);
        const from = await headSeq();
        const res = await as(app, regional, { url: "/api/quality.csv?by=employer" });
        assert.equal(res.statusCode, 200);
        assert.match(
          String(res.headers["content-disposition"]),
          /register-quality-by-employer-\d{4}-\d{2}-\d{2}\.csv/,
        );
        const lines = res.body
          .replace(/^\uFEFF/, "")
          .trim()
          .split("\r\n");
        assert.match(lines[0]!, /^Employer,Members,Active,Matched,In review,Unmatched,No home address/);
        assert.match(lines.at(-1)!, /^Total,/);
        let rows = await exportRowsAfter(from);
        for (let i = 0; i < 100 && rows.length < 2; i++) {
          await new Promise((r) => setTimeout(r, 20));
          rows = await exportRowsAfter(from);
        }
        assert.deepEqual(
          rows.map((r) => [r.event, r.details.kind, r.details.by]),
          [
            ["export.started", "register_quality_csv", "employer"],
            ["export.finished", "register_quality_csv", "employer"],
          ],
        );
      } finally {
        await app.close();
      }
    });

    test("cells that look like formulas are neutralised in the member export", async () => {
      await createMember(ctx(), {
        membershipNumber: "F1",
        forenames: "@SUM(A1:A9)",
        surname: '=HYPERLINK("http://example.org")',
        regionId: f.regions.london,
        status: "active",
        inArrears: false,
        checkOff: false,
        consentEmail: false,
        consentSms: false,
      });
      let text = "";
      const sink = new Writable({
        write(chunk, _enc, cb) {
          text += chunk.toString();
          cb();
        },
      });
      await exportMembersCsv(ctx(), sink);
      const line = text.split("\n").find((l) => l.startsWith("F1,"))!;
      assert.match(line, /^F1,"'=HYPERLINK\(""http:\/\/example\.org""\)",'@SUM\(A1:A9\),/);
    });

    test("over HTTP: downloads whose connection dies before the file is sent leave a started and a failed row", async () => {
      const app = await buildTestApp(open);
      // The browser goes away just as the server starts answering (a cancelled download).
      app.addHook("onSend", async (request, reply, payload) => {
        if (request.url.includes(".csv")) reply.raw.destroy();
        return payload;
      });
      try {
        const national = await signIn(app, f.users.national.email);
        for (const [url, kind] of [
          ["/api/members/export.csv", "members_csv"],
          ["/api/quality.csv?by=region", "register_quality_csv"],
        ] as const) {
          const from = await headSeq();
          await as(app, national, { url }).catch(() => undefined);
          let rows = await exportRowsAfter(from);
          for (let i = 0; i < 100 && rows.length < 2; i++) {
            await new Promise((r) => setTimeout(r, 20));
            rows = await exportRowsAfter(from);
          }
          assert.deepEqual(
            rows.map((r) => [r.event, r.details.kind]),
            [
              ["export.started", kind],
              ["export.failed", kind],
            ],
            url,
          );
          assert.match(String(rows[1]!.details.why), /closed before the export completed/);
        }
      } finally {
        await app.close();
      }
    });
  });
}
