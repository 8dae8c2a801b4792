import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createTestCli, type TestCli } from "../../test/helpers/cli.js";
import { ballotInput, CLOCK, type Fixture, seedFixture } from "../../test/helpers/fixtures.js";
import { createBallot, createDispute } from "../ballots/index.js";
import { createCoalition, linkCoalitionBallots } from "../coalition/index.js";
import type { Ctx } from "../context.js";

/** `mandate coalition status [--json]` and `publish`, run in-process. */
describe("mandate coalition", () => {
  let cli: TestCli;
  let f: Fixture;
  let id: number;

  before(async () => {
    cli = await createTestCli();
    f = await seedFixture(cli.open.db);
    const national: Ctx = { db: cli.open.db, actor: f.actors.national, clock: CLOCK };
    const d = await createDispute(national, {
      title: "Pay",
      mattersInIssue: "",
      coalition: "",
      employerIds: [f.employers.leedsTrust],
    });
    const b = await createBallot(
      national,
      d.id,
      ballotInput(f, { scope: [{ employerId: f.employers.leedsTrust, workplaceId: null }] }),
    );
    id = (await createCoalition(national, { name: "NHS pay", key: "hpsu", daysOfAction: ["2027-01-12"] })).id;
    await linkCoalitionBallots(national, id, { ballotIds: [b.id] });
  });
  after(() => cli?.close());

  test("status as a table names the conflict and its citation", async () => {
    const run = await cli.run("coalition", "status");
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /NHS pay \(id \d+, coordinated by/);
    assert.match(run.stdout, /Conflicts \(1\):/);
    assert.match(
      run.stdout,
      /2027-01-12 hpsu \/ Pay 2026: all members: .*earliest day of action is 2027-01-14/,
    );
    assert.match(run.stdout, /s\.234A/);
  });

  test("status --json; publish stores a report", async () => {
    const run = await cli.run("--json", "coalition", "status");
    const status = JSON.parse(run.stdout);
    assert.equal(status[0].coalition.id, id);
    assert.equal(status[0].timetable.conflicts[0].kind, "closes_too_late");
    const pub = await cli.run("--json", "coalition", "publish", String(id));
    assert.equal(pub.code, 0, pub.stderr);
    assert.equal(JSON.parse(pub.stdout).sequence, 1);
    const bad = await cli.run("coalition", "publish", "999");
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /coalition\.not_found/);
  });
});
