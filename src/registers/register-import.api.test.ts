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

const REGISTER =
  "code,name,parent code,postcode\nAPI100,Api Test Employer Ltd,,LS1 1AA\nAPI101,Api Test Site,API100,LS1 1AB\n";

/**
 * The register upload queues a job (202) that the server's worker runs; a
 * file that is not that register is refused at once (422), with no job and
 * no file kept.
 */
describe("register imports over HTTP", () => {
  let open: OpenDatabase;
  let app: App;
  let f: Fixture;
  let national: Session;
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "mandate-register-uploads-"));
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
    await app.ready();
    national = await signIn(app, f.users.national.email);
  });
  after(async () => {
    await app?.close();
    await open?.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  test("an upload is queued as a job (202) and loads the register; its upload is removed", async () => {
    const res = await as(app, national, {
      method: "POST",
      url: "/api/registers/imports?format=csv",
      ...multipart("employers.csv", REGISTER),
    });
    assert.equal(res.statusCode, 202, res.body);
    const job = res.json() as { id: number; kind: string; total: number };
    assert.equal(job.kind, "register_import");
    assert.equal(job.total, 2, "its progress counts the records to load: an employer and a site");
    let state = "";
    let result: { employers: { created: number }; workplaces: { created: number } } | null = null;
    for (let i = 0; i < 100 && !["succeeded", "failed"].includes(state); i++) {
      await new Promise((r) => setTimeout(r, 100));
      const polled = (await as(app, national, { method: "GET", url: `/api/jobs/${job.id}` })).json();
      state = polled.state;
      result = polled.result;
    }
    assert.equal(state, "succeeded");
    assert.equal(result?.employers.created, 1);
    assert.equal(result?.workplaces.created, 1);
    assert.deepEqual(fs.readdirSync(uploadDir), [], "the upload is removed once loaded");
  });

  test("a file that is not that register is refused (422): no job, no file kept", async () => {
    const before = (await as(app, national, { method: "GET", url: "/api/jobs" })).json().length;
    const res = await as(app, national, {
      method: "POST",
      url: "/api/registers/imports?format=csv",
      ...multipart("employers.csv", "nothing,useful\n1,2\n"),
    });
    assert.equal(res.statusCode, 422, res.body);
    assert.equal(res.json().error.code, "import.file_invalid");
    assert.match(res.json().error.message, /employers\.csv/);
    assert.equal((await as(app, national, { method: "GET", url: "/api/jobs" })).json().length, before);
    assert.deepEqual(fs.readdirSync(uploadDir), []);
  });

  test("a rep may not load registers (403)", async () => {
    const rep = await signIn(app, f.users.rep.email);
    const res = await as(app, rep, {
      method: "POST",
      url: "/api/registers/imports?format=csv",
      ...multipart("employers.csv", REGISTER),
    });
    assert.equal(res.statusCode, 403);
  });
});
