import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import pg from "pg";
import { createTestCli, type TestCli } from "../../test/helpers/cli.js";
import { SERVER_URL, serverUnavailableReason } from "../../test/helpers/db.js";
import { connect } from "../db/connect.js";

/**
 * The `mandate` command line as a user types it, run in this process on one test database the
 * commands below share in order (bin/mandate.js only adds tsx and the process's exit code).
 */
/** Why the fresh-server test cannot run here (printed as its skip reason), or null. */
const serverReason = await serverUnavailableReason();
if (serverReason && process.env.MANDATE_REQUIRE_SERVER === "1") throw new Error(serverReason);

describe("mandate command line", () => {
  let cli: TestCli;
  const mandate = (...args: string[]) => cli.run(...args);
  before(async () => {
    cli = await createTestCli();
  });
  after(() => cli.close());

  test("db migrate on an up-to-date database has nothing to do and names the database", async () => {
    const res = await mandate("--json", "db", "migrate");
    assert.equal(res.code, 0, res.stderr);
    assert.deepEqual(JSON.parse(res.stdout).applied, []);
    const human = await mandate("db", "migrate");
    assert.match(human.stdout, /The schema is up to date/);
  });

  test("db migrate on a fresh server database applies the migrations", {
    skip: serverReason ?? false,
  }, async () => {
    const name = `mandate_cli_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
    const admin = new pg.Client({ connectionString: SERVER_URL });
    await admin.connect();
    await admin.query(`create database ${name}`);
    const url = new URL(SERVER_URL);
    url.pathname = `/${name}`;
    try {
      const fresh = await connect({ databaseUrl: url.toString(), poolSize: 2 });
      try {
        const res = await cli.runWith(
          { connect: async () => ({ ...fresh, close: async () => {} }) },
          "--json",
          "db",
          "migrate",
        );
        assert.equal(res.code, 0, res.stderr);
        assert.ok(JSON.parse(res.stdout).applied.length >= 1);
      } finally {
        await fresh.close();
      }
    } finally {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  });

  test("demo seed loads a small union and reports the demo sign-ins", async () => {
    const res = await mandate("--json", "demo", "seed", "--members", "100", "--seed", "5");
    assert.equal(res.code, 0, res.stderr);
    const out = JSON.parse(res.stdout);
    assert.equal(out.members, 100);
    assert.ok(out.ballot.entitled > 0, "a demo dispute with a frozen ballot is seeded");
    assert.ok(out.users.some((u: { email: string }) => u.email === "national@demo.mandate.test"));
    const again = await mandate("--json", "demo", "seed", "--members", "10");
    assert.notEqual(again.code, 0, "a second seed into a union with data is refused");
    assert.match(JSON.parse(again.stdout).error.message, /already has data/);
  });

  test("ballots: the demo ballot is listed; pre-flight exits 1 exactly when it blocks", async () => {
    const list = await mandate("--json", "ballots", "list");
    assert.equal(list.code, 0, list.stderr);
    const ballot = JSON.parse(list.stdout)[0].ballots[0];
    assert.equal(ballot.state, "frozen");
    const pre = await mandate("--json", "ballots", "preflight", String(ballot.id));
    const result = JSON.parse(pre.stdout);
    assert.equal(pre.code, result.blocking ? 1 : 0);
    assert.ok(result.checks.every((c: { citation: string }) => c.citation.length > 0));
    const outDir = path.join(cli.dir, "notices");
    const notices = await mandate("--json", "ballots", "notices", String(ballot.id), "--out", outDir);
    if (result.blocking) assert.equal(JSON.parse(notices.stdout).error.code, "ballots.preflight_blocked");
    else assert.ok(fs.readdirSync(outDir).some((f) => f.endsWith(".pdf")));
  });

  test("the demo scrutineer is appointed to the demo ballot; partners lists no agreement yet", async () => {
    const ballot = JSON.parse((await mandate("--json", "ballots", "list")).stdout)[0].ballots[0];
    const again = await mandate("--json", "ballots", "appoint-scrutineer", String(ballot.id), "1");
    assert.notEqual(again.code, 0, "user 1 is the national officer, not a scrutineer");
    assert.equal(JSON.parse(again.stdout).error.code, "ballots.invalid");
    const list = await mandate("--json", "partners", "list");
    assert.equal(list.code, 0, list.stderr);
    assert.deepEqual(JSON.parse(list.stdout), []);
  });

  test("members import runs as a job and prints the summary; --detach queues it for a worker", async () => {
    const file = path.join(cli.dir, "members.csv");
    fs.writeFileSync(
      file,
      "Membership No,Surname,Forename(s),Post Code,Employer\nQ1,Quinn,Ada,LS9 7TF,Nowhere Trust\n,Nobody,X,,\nQ2,Quill,Bea,LS1 3EX,Nowhere Trust\n",
    );
    const run = await mandate("--json", "members", "import", file);
    assert.equal(run.code, 0, run.stderr + run.stdout);
    const summary = JSON.parse(run.stdout);
    // The keys a script reads first (the register issue's), with the detailed counts beside them.
    for (const key of [
      "rows",
      "imported",
      "rejected",
      "duplicates",
      "auto_matched",
      "in_review",
      "unmatched",
    ])
      assert.equal(typeof summary[key], "number", key);
    assert.equal(typeof summary.rowsInserted, "number");
    assert.deepEqual([summary.rows, summary.imported, summary.rejected, summary.duplicates], [3, 2, 1, 0]);
    assert.equal(summary.status, "completed");
    assert.equal(summary.auto_matched + summary.in_review + summary.unmatched, 2);

    const again = path.join(cli.dir, "members-2.csv");
    fs.writeFileSync(
      again,
      "Membership No,Surname,Forename(s),Post Code,Employer\nQ3,Quayle,Cy,LS2 9JT,Nowhere Trust\n",
    );
    const detached = await mandate("--json", "members", "import", again, "--detach");
    assert.equal(detached.code, 0, detached.stderr);
    assert.equal(JSON.parse(detached.stdout).state, "queued");
    const worker = await mandate("--json", "worker", "--once");
    assert.equal(worker.code, 0, worker.stderr);
    assert.equal(JSON.parse(worker.stdout).jobsRun, 1);
  });

  test("users add creates a scoped user; a bad scope fails with a clear message", async () => {
    const ok = await mandate(
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
    const bad = await mandate(
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
    const dup = await mandate(
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

  test("a wrong command line exits 2 and says what is wrong", async () => {
    const res = await mandate("users", "add", "--email", "y@example.org");
    assert.equal(res.code, 2);
    assert.match(res.stderr, /required option/);
    const badNumber = await mandate("demo", "seed", "--members", "lots");
    assert.equal(badNumber.code, 2);
    assert.match(badNumber.stderr, /--members must be a whole number/);
  });

  test("audit verify checks the chain written by the commands above", async () => {
    const res = await mandate("--json", "audit", "verify");
    assert.equal(res.code, 0, res.stderr);
    const out = JSON.parse(res.stdout);
    assert.equal(out.ok, true);
    assert.ok(out.rows >= 2, "the seed and the user creation were audited");
    // The commands above anchored the chain in the audit folder beside the data folder.
    const auditDir = cli.config.auditDir;
    assert.ok(fs.existsSync(path.join(auditDir, "audit.key")));
    assert.equal(fs.statSync(path.join(auditDir, "audit.key")).mode & 0o777, 0o600);
    assert.ok(out.checkpoints.compared >= 1, "checkpoints written by earlier commands are compared");
  });
});
