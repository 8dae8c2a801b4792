import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createTestCli, type TestCli } from "../../test/helpers/cli.js";
import { type Fixture, seedFixture } from "../../test/helpers/fixtures.js";
import type { Ctx } from "../context.js";
import { addTask, createPlan } from "../plans/plans.service.js";
import { createDepartment, raiseRequest } from "../requests/index.js";
import { fixedClock } from "../shared/clock.js";

/** `mandate plans list` and `mandate requests list`, run in-process, as tables and as JSON. */
describe("mandate plans and requests", () => {
  let cli: TestCli;
  let f: Fixture;
  const clock = fixedClock("2026-12-01T10:00:00Z");

  before(async () => {
    cli = await createTestCli({ clock });
    f = await seedFixture(cli.open.db);
    const regional: Ctx = { db: cli.open.db, actor: f.actors.regional, clock };
    const plan = await createPlan(regional, {
      kind: "region",
      regionId: f.regions.yorkshire,
      sectorId: null,
      title: "Yorkshire turnout plan",
      summary: "",
    });
    for (const [title, dueOn] of [
      ["Book the phone bank", "2026-11-25"],
      ["Leaflet the depot", "2026-12-10"],
    ] as const)
      await addTask(regional, plan.id, {
        title,
        objectiveId: null,
        ballotId: null,
        ownerUserId: f.users.rep.id,
        dueOn,
        status: "todo",
      });
    const national: Ctx = { db: cli.open.db, actor: f.actors.national, clock };
    const legal = await createDepartment(national, { code: "legal", name: "Legal" });
    await raiseRequest(regional, {
      departmentId: legal.id,
      title: "=cmd|' /C calc'!A0",
      body: "Check the notice.",
      urgency: "critical",
      regionId: null,
      sectorId: null,
    });
  });
  after(() => cli?.close());

  test("plans list: every plan with its counts; --overdue lists the overdue tasks by the clock", async () => {
    const all = await cli.run("plans", "list");
    assert.equal(all.code, 0, all.stderr);
    assert.match(all.stdout, /Yorkshire & Humberside\s+Yorkshire turnout plan\s+0\s+2\s+1\s+0/);
    const overdue = await cli.run("--json", "plans", "list", "--overdue");
    assert.equal(overdue.code, 0, overdue.stderr);
    const json = JSON.parse(overdue.stdout);
    assert.equal(json.as_at, "2026-12-01");
    assert.equal(json.plans.length, 1);
    assert.deepEqual(
      json.overdue_tasks.map((t: { title: string; days_overdue: number }) => [t.title, t.days_overdue]),
      [["Book the phone bank", 6]],
    );
    const table = await cli.run("plans", "list", "--overdue");
    assert.match(table.stdout, /Overdue tasks:/);
    assert.match(table.stdout, /Book the phone bank/);
  });

  test("requests list: --open, the service-level state, escalation once it is missed", async () => {
    const now = await cli.run("--json", "requests", "list", "--open");
    assert.equal(now.code, 0, now.stderr);
    const [r] = JSON.parse(now.stdout).requests;
    assert.equal(r.department, "Legal");
    assert.equal(r.region, "Yorkshire & Humberside");
    assert.equal(r.service_level, "waiting");
    assert.equal(r.escalated_at, null);
    const later = await cli.runWith({ clock: fixedClock("2026-12-01T15:00:00Z") }, "requests", "list");
    assert.equal(later.code, 0, later.stderr);
    assert.match(later.stdout, /Legal\s+Yorkshire & Humberside\s+critical\s+new\s+.*MISSED\s+yes/);
  });
});
