import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, test } from "node:test";
import { PACKAGE_ROOT } from "../main.js";

/** The `mandate` command as a user runs it, on a fresh embedded database folder. */
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "mandate-cli-"));
const auditDir = `${dataDir}-audit`;

function mandate(...args: string[]) {
  const res = spawnSync(process.execPath, [path.join(PACKAGE_ROOT, "bin/mandate.js"), ...args], {
    env: { ...process.env, MANDATE_DATA_DIR: dataDir, MANDATE_AUDIT_DIR: auditDir, DATABASE_URL: "" },
    encoding: "utf8",
    timeout: 120_000,
  });
  return { code: res.status, stdout: res.stdout, stderr: res.stderr };
}

describe("mandate command line", () => {
  after(() => {
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(auditDir, { recursive: true, force: true });
  });

  test("db migrate on a fresh folder applies the migrations, then has nothing to do", () => {
    const first = mandate("--json", "db", "migrate");
    assert.equal(first.code, 0, first.stderr);
    assert.ok(JSON.parse(first.stdout).applied.length >= 1);
    const second = mandate("--json", "db", "migrate");
    assert.deepEqual(JSON.parse(second.stdout).applied, []);
  });

  test("demo seed loads a small union and reports the demo sign-ins", () => {
    const res = mandate("--json", "demo", "seed", "--members", "400", "--seed", "5");
    assert.equal(res.code, 0, res.stderr);
    const out = JSON.parse(res.stdout);
    assert.equal(out.members, 400);
    assert.ok(out.ballot.entitled > 0, "a demo dispute with a frozen ballot is seeded");
    assert.ok(out.users.some((u: { email: string }) => u.email === "national@demo.mandate.test"));
    const again = mandate("--json", "demo", "seed", "--members", "10");
    assert.notEqual(again.code, 0, "a second seed into a union with data is refused");
    assert.match(JSON.parse(again.stdout).error.message, /already has data/);
  });

  test("ballots: the demo ballot is listed; pre-flight exits 1 exactly when it blocks", () => {
    const list = mandate("--json", "ballots", "list");
    assert.equal(list.code, 0, list.stderr);
    const ballot = JSON.parse(list.stdout)[0].ballots[0];
    assert.equal(ballot.state, "frozen");
    const pre = mandate("--json", "ballots", "preflight", String(ballot.id));
    const result = JSON.parse(pre.stdout);
    assert.equal(pre.code, result.blocking ? 1 : 0);
    assert.ok(result.checks.every((c: { citation: string }) => c.citation.length > 0));
    const outDir = path.join(dataDir, "notices");
    const notices = mandate("--json", "ballots", "notices", String(ballot.id), "--out", outDir);
    if (result.blocking) assert.equal(JSON.parse(notices.stdout).error.code, "ballots.preflight_blocked");
    else assert.ok(fs.readdirSync(outDir).some((f) => f.endsWith(".pdf")));
  });

  test("the demo scrutineer is appointed to the demo ballot; partners lists no agreement yet", () => {
    const ballot = JSON.parse(mandate("--json", "ballots", "list").stdout)[0].ballots[0];
    const again = mandate("--json", "ballots", "appoint-scrutineer", String(ballot.id), "1");
    assert.notEqual(again.code, 0, "user 1 is the national officer, not a scrutineer");
    assert.equal(JSON.parse(again.stdout).error.code, "ballots.invalid");
    const list = mandate("--json", "partners", "list");
    assert.equal(list.code, 0, list.stderr);
    assert.deepEqual(JSON.parse(list.stdout), []);
  });

  test("members import runs as a job and prints the summary; --detach queues it for a worker", () => {
    const file = path.join(dataDir, "members.csv");
    fs.writeFileSync(
      file,
      "Membership No,Surname,Forename(s),Post Code,Employer\nQ1,Quinn,Ada,LS9 7TF,Nowhere Trust\n,Nobody,X,,\nQ2,Quill,Bea,LS1 3EX,Nowhere Trust\n",
    );
    const run = mandate("--json", "members", "import", file);
    assert.equal(run.code, 0, run.stderr);
    const summary = JSON.parse(run.stdout);
    assert.deepEqual([summary.rows, summary.imported, summary.rejected], [3, 2, 1]);
    assert.equal(summary.status, "completed");
    assert.equal(summary.auto_matched + summary.in_review + summary.unmatched, 2);

    const again = path.join(dataDir, "members-2.csv");
    fs.writeFileSync(
      again,
      "Membership No,Surname,Forename(s),Post Code,Employer\nQ3,Quayle,Cy,LS2 9JT,Nowhere Trust\n",
    );
    const detached = mandate("--json", "members", "import", again, "--detach");
    assert.equal(detached.code, 0, detached.stderr);
    assert.equal(JSON.parse(detached.stdout).state, "queued");
    const worker = mandate("--json", "worker", "--once");
    assert.equal(worker.code, 0, worker.stderr);
    assert.equal(JSON.parse(worker.stdout).jobsRun, 1);
  });

  test("users add creates a scoped user; a bad scope fails with a clear message", () => {
    const ok = mandate(
      "--json",
      "users",
      "add",
      "--email",
      "Sue@Example.org",
      "--name",
      "Sue",
      "--role",
      "regional",
      "--region",
      "greater-london",
      "--password",
      "a-long-password",
    );
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    assert.equal(JSON.parse(ok.stdout).email, "sue@example.org");
    const bad = mandate(
      "users",
      "add",
      "--email",
      "x@example.org",
      "--name",
      "X",
      "--role",
      "regional",
      "--region",
      "atlantis",
      "--password",
      "a-long-password",
    );
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /No region with code atlantis/);
    const dup = mandate(
      "--json",
      "users",
      "add",
      "--email",
      "sue@example.org",
      "--name",
      "Sue",
      "--role",
      "national",
      "--password",
      "a-long-password",
    );
    assert.equal(JSON.parse(dup.stdout).error.code, "users.duplicate_email");
  });

  test("a wrong command line exits 2 and says what is wrong", () => {
    const res = mandate("users", "add", "--email", "y@example.org");
    assert.equal(res.code, 2);
    assert.match(res.stderr, /required option/);
    const badNumber = mandate("demo", "seed", "--members", "lots");
    assert.equal(badNumber.code, 2);
    assert.match(badNumber.stderr, /--members must be a whole number/);
  });

  test("audit verify checks the chain written by the commands above", () => {
    const res = mandate("--json", "audit", "verify");
    assert.equal(res.code, 0, res.stderr);
    const out = JSON.parse(res.stdout);
    assert.equal(out.ok, true);
    assert.ok(out.rows >= 2, "the seed and the user creation were audited");
    // The commands above anchored the chain in the audit folder beside the data folder.
    assert.ok(fs.existsSync(path.join(auditDir, "audit.key")));
    assert.equal(fs.statSync(path.join(auditDir, "audit.key")).mode & 0o777, 0o600);
    assert.ok(out.checkpoints.compared >= 1, "checkpoints written by earlier commands are compared");
  });
});
