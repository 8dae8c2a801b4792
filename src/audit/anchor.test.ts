import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, test } from "node:test";
import { loadConfig } from "../config.js";
import { checkpointIsSigned, readCheckpointsFile, resolveAuditKey, signCheckpoint } from "./anchor.js";

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
});
