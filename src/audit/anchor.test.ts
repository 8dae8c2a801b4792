import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, test } from "node:test";
import { createTestDb } from "../../test/helpers/db.js";
import { CLOCK, seedFixture } from "../../test/helpers/fixtures.js";
import { loadConfig } from "../config.js";
import { openDatabase } from "../main.js";
import { AppError } from "../shared/errors.js";
import {
  anchorCheckpoints,
  attachAuditAnchor,
  auditKeyOf,
  checkpointIsSigned,
  readCheckpointsFile,
  resolveAuditKey,
  signCheckpoint,
  writeCheckpoint,
} from "./anchor.js";
import { verifyAuditChain } from "./audit.service.js";
import { recordAudit } from "./record.js";

describe("audit key and checkpoints", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mandate-anchor-"));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  test("the key file is created once, readable by its owner only, and reused", () => {
    const auditDir = path.join(dir, "db-audit");
    const first = resolveAuditKey({ envKey: null, auditDir });
    assert.equal(first.length, 32);
    assert.equal(fs.statSync(path.join(auditDir, "audit.key")).mode & 0o777, 0o600);
    assert.deepEqual(resolveAuditKey({ envKey: null, auditDir }), first);
  });

  test("MANDATE_AUDIT_KEY is taken as hex or base64, and a short key is refused without echoing it", () => {
    const hex = "ab".repeat(32);
    assert.deepEqual(resolveAuditKey({ envKey: hex, auditDir: dir }), Buffer.from(hex, "hex"));
    const b64 = Buffer.alloc(48, 9).toString("base64");
    assert.equal(resolveAuditKey({ envKey: b64, auditDir: dir }).length, 48);
    assert.throws(
      () => resolveAuditKey({ envKey: "abcd", auditDir: dir }),
      (e: Error) => /32 bytes/.test(e.message) && !e.message.includes("abcd"),
    );
  });

  test("the audit folder sits beside the data folder unless MANDATE_AUDIT_DIR names one", () => {
    assert.equal(loadConfig({}, "/srv/app").auditDir, "/srv/app/.mandate/db-audit");
    assert.equal(
      loadConfig({ MANDATE_DATA_DIR: "/var/lib/mandate" }, "/").auditDir,
      "/var/lib/mandate-audit",
    );
    assert.equal(loadConfig({ MANDATE_AUDIT_DIR: "/etc/mandate" }, "/").auditDir, "/etc/mandate");
  });

  test("a checkpoint changed after signing, or signed with another key, is refused", () => {
    const key = Buffer.alloc(32, 3);
    const c = signCheckpoint(key, { seq: 10, hash: "a".repeat(64), at: "2026-11-27T09:00:00.000Z" });
    assert.equal(checkpointIsSigned(key, c), true);
    assert.equal(checkpointIsSigned(key, { ...c, seq: 9 }), false);
    assert.equal(checkpointIsSigned(Buffer.alloc(32, 4), c), false);
    const file = path.join(dir, "checkpoints.jsonl");
    fs.writeFileSync(file, `${JSON.stringify(c)}\n${JSON.stringify({ ...c, seq: 11 })}\n`);
    const read = readCheckpointsFile(file, key);
    assert.equal(read.checkpoints.length, 1);
    assert.match(read.problem ?? "", /line 2 is not signed/);
  });

  test("a last checkpoint line cut short by a crash is a warning, not tampering, and the next one follows cleanly", async () => {
    const open = await createTestDb("pglite");
    try {
      const f = await seedFixture(open.db);
      const first = await writeCheckpoint(open.db, CLOCK.now());
      const { file } = anchorCheckpoints(open.db);
      fs.appendFileSync(file!, JSON.stringify(first).slice(0, 30));
      const read = readCheckpointsFile(file!, auditKeyOf(open.db));
      assert.equal(read.problem, null);
      assert.equal(read.checkpoints.length, 1);
      assert.match(read.warning ?? "", /cut short/);
      const verified = await verifyAuditChain(open.db);
      assert.equal(verified.ok, true, verified.reason ?? "");
      assert.match(verified.checkpoints.warning ?? "", /cut short/);
      // The next checkpoint is written on a line of its own: the file reads whole again.
      await recordAudit({ db: open.db, clock: CLOCK, actor: f.actors.national }, "audit.verified", {});
      await writeCheckpoint(open.db, CLOCK.now());
      const after = readCheckpointsFile(file!, auditKeyOf(open.db));
      assert.equal(after.problem, null);
      assert.equal(after.warning ?? null, null);
      assert.equal(after.checkpoints.length, 2);
      // A line spoilt before the last is still tampering.
      fs.appendFileSync(file!, "not a checkpoint\n{}\n");
      assert.match(readCheckpointsFile(file!, auditKeyOf(open.db)).problem ?? "", /is not a checkpoint/);
    } finally {
      await open.close();
    }
  });

  test("a process with another audit key is refused before it appends, and at start", async () => {
    const open = await createTestDb("pglite");
    try {
      const f = await seedFixture(open.db);
      const ctx = { db: open.db, clock: CLOCK, actor: f.actors.national };
      const head = async () =>
        open.db.selectFrom("audit_head").select(["seq", "key_id"]).executeTakeFirstOrThrow();
      const before = await head();
      assert.ok(before.key_id, "the first keyed append records which key");
      assert.doesNotMatch(before.key_id!, new RegExp(auditKeyOf(open.db).toString("hex")));
      // Another process (same database, a key file made afresh elsewhere) is refused, and appends nothing.
      attachAuditAnchor(open.db, { key: Buffer.alloc(32, 9), checkpointsFile: null });
      await assert.rejects(
        recordAudit(ctx, "audit.verified", {}),
        (e: unknown) =>
          e instanceof AppError && e.code === "audit.key_mismatch" && /MANDATE_AUDIT_KEY/.test(e.message),
      );
      assert.deepEqual(await head(), before);
    } finally {
      await open.close();
    }
  });

  test("with DATABASE_URL and neither MANDATE_AUDIT_KEY nor MANDATE_AUDIT_DIR, nothing starts and no key is made", async () => {
    const cwd = path.join(dir, "server-cwd");
    const config = loadConfig({ DATABASE_URL: "postgres://postgres@127.0.0.1:5432/postgres" }, cwd);
    await assert.rejects(
      openDatabase(config, "mandate start"),
      (e: unknown) =>
        e instanceof AppError && e.code === "audit.key_not_configured" && /MANDATE_AUDIT_DIR/.test(e.message),
    );
    assert.equal(fs.existsSync(config.auditDir), false);
  });
});
