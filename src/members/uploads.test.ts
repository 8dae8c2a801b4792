import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { as, multipart, type Session, signIn } from "../../test/helpers/app.js";
import { createTestDb } from "../../test/helpers/db.js";
import { CLOCK, type Fixture, seedFixture } from "../../test/helpers/fixtures.js";
import type { OpenDatabase } from "../db/connect.js";
import { buildApp } from "../http/app.js";
import type { App } from "../http/types.js";
import { removeExpiredUploads } from "./member-import.service.js";

const CSV = "Membership No,Surname,Forename,Employer\nU1,Ahmed,Sam,Leeds Teaching Hospitals\n";

/** Uploads are refused before they are stored, and a failed job's upload does not stay for ever. */
describe("member file uploads", () => {
  let open: OpenDatabase;
  let app: App;
  let f: Fixture;
  let rep: Session;
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "mandate-uploads-"));
  const uploadDir = path.join(root, "uploads");

  before(async () => {
    open = await createTestDb("pglite");
    f = await seedFixture(open.db);
    app = await buildApp({
      db: open.db,
      clock: CLOCK,
      secureCookies: false,
      webDir: null,
      logLevel: "silent",
      uploadDir,
    });
    rep = await signIn(app, f.users.rep.email);
  });
  after(async () => {
    await app?.close();
    await open?.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  test("a rep's upload is refused with 403 and nothing is written to the upload folder", async () => {
    const big = `${CSV}${"U2,Brown,Jo,Leeds Teaching Hospitals\n".repeat(50_000)}`;
    const res = await as(app, rep, {
      method: "POST",
      url: "/api/imports/members",
      ...multipart("members.csv", big),
    });
    assert.equal(res.statusCode, 403);
    assert.equal(res.json().error.code, "auth.forbidden");
    // The folder is made for the first stored upload: a file stored, then removed after the
    // refusal, would leave it behind.
    assert.ok(!fs.existsSync(uploadDir), "nothing was written");
  });

  test("an upload without a session or without the CSRF token is refused and not stored", async () => {
    const body = multipart("members.csv", CSV);
    const anonymous = await app.inject({ method: "POST", url: "/api/imports/members", ...body });
    assert.equal(anonymous.statusCode, 401);
    const national = await signIn(app, f.users.national.email);
    const noCsrf = await app.inject({
      method: "POST",
      url: "/api/imports/members",
      payload: body.payload,
      headers: { ...body.headers, cookie: national.cookie },
    });
    assert.equal(noCsrf.statusCode, 403);
    assert.equal(noCsrf.json().error.code, "auth.csrf");
    assert.ok(!fs.existsSync(uploadDir), "nothing was written");
  });

  test("a file over the size limit is refused and removed at once, not kept for the sweep", async () => {
    const small = await buildApp({
      db: open.db,
      clock: CLOCK,
      secureCookies: false,
      webDir: null,
      logLevel: "silent",
      uploadDir,
      uploadLimitBytes: 1024,
      worker: false,
    });
    try {
      const national = await signIn(small, f.users.national.email);
      const res = await as(small, national, {
        method: "POST",
        url: "/api/imports/members",
        ...multipart("members.csv", `${CSV}${"U2,Brown,Jo,Leeds Teaching Hospitals\n".repeat(100)}`),
      });
      assert.equal(res.statusCode, 413);
      assert.equal(res.json().error.code, "request.too_large");
      assert.match(res.json().error.message, /larger than 1,024 bytes/);
      assert.deepEqual(fs.existsSync(uploadDir) ? fs.readdirSync(uploadDir) : [], []);
    } finally {
      await small.close();
    }
  });

  test("a failed job's upload is removed once older than the retention, as is one left running; newer ones stay", async () => {
    const day = 86_400_000;
    const now = CLOCK.now().getTime();
    const job = async (name: string, status: string, updatedDaysAgo: number) => {
      const file = path.join(uploadDir, name);
      fs.writeFileSync(file, CSV);
      await open.db
        .insertInto("import_jobs")
        .values({
          union_id: f.unionId,
          kind: "members",
          file_name: name,
          file_path: file,
          file_sha256: "0".repeat(64),
          mapping: "{}",
          header_signature: "x",
          created_by_label: "test",
          status,
          created_at: new Date(now - updatedDaysAgo * day),
          updated_at: new Date(now - updatedDaysAgo * day),
        } as never)
        .execute();
      return file;
    };
    fs.mkdirSync(uploadDir, { recursive: true });
    const oldFailed = await job("old-failed.csv", "failed", 8);
    const newFailed = await job("new-failed.csv", "failed", 6);
    const oldRunning = await job("old-running.csv", "running", 30);
    const running = await job("running.csv", "running", 0);
    const removed = await removeExpiredUploads(open.db, CLOCK, uploadDir, 7);
    assert.deepEqual(removed.sort(), [oldFailed, oldRunning].sort());
    assert.ok(!fs.existsSync(oldFailed));
    assert.ok(!fs.existsSync(oldRunning), "abandoned in running state for 30 days");
    assert.ok(fs.existsSync(newFailed));
    assert.ok(fs.existsSync(running));
    // The same sweep runs when the server starts.
    const later = { now: () => new Date(now + 2 * day) };
    const restarted = await buildApp({
      db: open.db,
      clock: later,
      secureCookies: false,
      webDir: null,
      logLevel: "silent",
      uploadDir,
    });
    await restarted.ready();
    await restarted.close();
    assert.ok(!fs.existsSync(newFailed), "removed on start once past the retention");
    assert.ok(fs.existsSync(running));
  });
});
