import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { as, buildTestApp, signIn } from "../../test/helpers/app.js";
import { backends, createTestDb } from "../../test/helpers/db.js";
import { CLOCK, createDisputeBallots, type Fixture, seedFixture } from "../../test/helpers/fixtures.js";
import type { Actor } from "../auth/index.js";
import type { Ctx } from "../context.js";
import type { OpenDatabase } from "../db/connect.js";
import type { App } from "../http/types.js";
import { fixedClock } from "../shared/clock.js";
import { AppError } from "../shared/errors.js";
import { forgetDashboards, keptTurnoutStatus, turnoutStatus } from "../turnout/index.js";
import {
  addMeeting,
  addObjective,
  addResource,
  addTask,
  createPlan,
  getPlan,
  listPlans,
  planConstituencies,
  plansRollup,
  updatePlan,
  updateTask,
} from "./plans.service.js";

const refused = (code: string) => (e: unknown) => e instanceof AppError && e.code === code;

for (const { backend, skip } of await backends()) {
  describe(`campaign plans on ${backend}`, { skip }, () => {
    let open: OpenDatabase;
    let f: Fixture;
    let ballots: Record<string, number>;
    let yorkshirePlan: number;
    // 1 December 2026: the ballots (7 December to 4 January) are still to open, their electorates frozen.
    const clock = fixedClock("2026-12-01T10:00:00Z");
    const ctx = (actor: Actor, c = clock): Ctx => ({ db: open.db, actor, clock: c });

    before(async () => {
      open = await createTestDb(backend);
      f = await seedFixture(open.db);
      const national: Ctx = { db: open.db, actor: f.actors.national, clock: CLOCK };
      const { employers: e, workplaces: w } = f;
      ({ ballots } = await createDisputeBallots(national, f, {
        employers: [e.leedsTrust, e.camden],
        ballots: [
          { key: "stJames", name: "St James's", employerId: e.leedsTrust, workplaceId: w.stJames },
          { key: "camden", name: "Camden", employerId: e.camden, workplaceId: w.camdenHall },
        ],
        freeze: ["stJames", "camden"],
      }));
    });
    after(async () => {
      await open?.close();
    });

    test("the constituencies a regional officer may tie objectives to are their region's, with their status", async () => {
      const mine = await planConstituencies(ctx(f.actors.regional));
      assert.deepEqual(
        mine.map((c) => c.ballotId),
        [ballots.stJames],
      );
      const all = await planConstituencies(ctx(f.actors.national));
      assert.deepEqual(all.map((c) => c.ballotId).sort(), [ballots.stJames, ballots.camden].sort());
      for (const c of all) assert.equal(c.matters, c.status === "at_risk" || c.status === "on_track");
    });

    test("a regional officer writes their region's plan, not another's; one plan per region", async () => {
      const plan = await createPlan(ctx(f.actors.regional), {
        kind: "region",
        regionId: f.regions.yorkshire,
        sectorId: null,
        title: "Yorkshire turnout plan",
        summary: "Every workplace over 50%.",
      });
      yorkshirePlan = plan.id;
      assert.equal(plan.scopeName, "Yorkshire & Humberside");
      assert.equal(plan.canWrite, true);
      await assert.rejects(
        createPlan(ctx(f.actors.regional), {
          kind: "region",
          regionId: f.regions.london,
          sectorId: null,
          title: "Not mine",
          summary: "",
        }),
        refused("plans.not_yours"),
      );
      await assert.rejects(
        createPlan(ctx(f.actors.national), {
          kind: "region",
          regionId: f.regions.yorkshire,
          sectorId: null,
          title: "Second",
          summary: "",
        }),
        refused("plans.exists"),
      );
      await assert.rejects(
        createPlan(ctx(f.actors.rep), {
          kind: "region",
          regionId: f.regions.yorkshire,
          sectorId: null,
          title: "Rep's",
          summary: "",
        }),
        refused("auth.forbidden"),
      );
      const audit = await open.db
        .selectFrom("audit_log")
        .select(["event", "subject_id"])
        .where("event", "=", "plan.created")
        .execute();
      assert.deepEqual(audit, [{ event: "plan.created", subject_id: String(plan.id) }]);
    });

    test("objectives tie to constituencies the writer reaches; tasks, resources and meetings whose actions become tasks", async () => {
      const regional = ctx(f.actors.regional);
      await assert.rejects(
        addObjective(regional, yorkshirePlan, { text: "Camden", ballotIds: [ballots.camden!] }),
        refused("plans.invalid_reference"),
      );
      let plan = await addObjective(regional, yorkshirePlan, {
        text: "St James's over the line",
        ballotIds: [ballots.stJames!],
      });
      const objective = plan.objectiveList[0]!;
      assert.deepEqual(objective.constituencies, [{ ballotId: ballots.stJames, name: "St James's" }]);
      plan = await addTask(regional, yorkshirePlan, {
        title: "Workplace meeting at St James's",
        objectiveId: objective.id,
        ballotId: null,
        ownerUserId: f.users.rep.id,
        dueOn: "2026-11-28",
        status: "todo",
      });
      assert.equal(plan.taskList[0]!.overdue, true, "due before today (1 December) and not done");
      assert.equal(plan.tasks.overdue, 1);
      plan = await addResource(regional, yorkshirePlan, { kind: "officer_days", quantity: 2.5, note: "" });
      plan = await addResource(regional, yorkshirePlan, { kind: "budget", quantity: 400, note: "Leaflets" });
      assert.deepEqual(plan.resourceTotals, { officer_days: 2.5, reps: 0, materials: 0, budget: 400 });
      plan = await addMeeting(regional, yorkshirePlan, {
        heldOn: "2026-11-30",
        title: "Regional committee",
        attendees: ["Regional secretary", "Branch secretary"],
        decisions: "Phone bank every Tuesday.",
        actions: [
          { title: "Book the phone bank room", ownerUserId: f.users.regional.id, dueOn: "2026-12-03" },
        ],
      });
      const meeting = plan.meetings[0]!;
      assert.equal(meeting.taskIds.length, 1);
      assert.equal(plan.taskList.find((t) => t.id === meeting.taskIds[0])?.meetingId, meeting.id);
      await assert.rejects(
        addTask(regional, yorkshirePlan, {
          title: "x",
          objectiveId: null,
          ballotId: null,
          ownerUserId: f.users.partnerNational.id,
          dueOn: null,
          status: "todo",
        }),
        refused("plans.invalid_reference"),
        "an owner of another union",
      );
    });

    test("a rep reads their region's plan and changes only the status of their own tasks", async () => {
      const rep = ctx(f.actors.rep);
      const list = await listPlans(rep);
      assert.deepEqual(
        list.plans.map((p) => p.id),
        [yorkshirePlan],
      );
      assert.equal(list.myTasks.length, 1);
      const task = list.myTasks[0]!;
      const plan = await getPlan(rep, yorkshirePlan);
      assert.equal(plan.canWrite, false);
      const done = await updateTask(rep, task.id, { status: "done" });
      assert.equal(done.status, "done");
      assert.equal(done.overdue, false);
      await assert.rejects(updateTask(rep, task.id, { dueOn: "2027-01-01" }), refused("plans.not_yours"));
      const other = plan.taskList.find((t) => t.owner?.id === f.users.regional.id)!;
      await assert.rejects(updateTask(rep, other.id, { status: "done" }), refused("plans.not_yours"));
      await assert.rejects(
        addResource(rep, yorkshirePlan, { kind: "reps", quantity: 1, note: "" }),
        refused("auth.forbidden"),
      );
      await updateTask(rep, task.id, { status: "todo" });
    });

    test("a London officer, a sector officer and an observer do not see Yorkshire's plan", async () => {
      const london: Actor = { ...f.actors.regional, regionIds: [f.regions.london] };
      assert.deepEqual((await listPlans(ctx(london))).plans, []);
      await assert.rejects(getPlan(ctx(london), yorkshirePlan), refused("plans.not_found"));
      await assert.rejects(
        updatePlan(ctx(london), yorkshirePlan, { title: "x" }),
        refused("plans.not_found"),
      );
      await assert.rejects(getPlan(ctx(f.actors.sector), yorkshirePlan), refused("plans.not_found"));
      await assert.rejects(listPlans(ctx(f.actors.observer)), refused("auth.forbidden"));
      await assert.rejects(getPlan(ctx(f.actors.partnerNational), yorkshirePlan), refused("plans.not_found"));
    });

    test("the disputes unit's roll-up: overdue tasks by the clock, uncovered constituencies, regions with no plan", async () => {
      await assert.rejects(plansRollup(ctx(f.actors.regional)), refused("auth.forbidden"));
      const rollup = await plansRollup(ctx(f.actors.national));
      assert.equal(rollup.asAt, "2026-12-01");
      assert.deepEqual(
        rollup.overdueTasks.map((t) => [t.title, t.daysOverdue, t.scopeName]),
        [["Workplace meeting at St James's", 3, "Yorkshire & Humberside"]],
      );
      assert.deepEqual(
        rollup.regionsWithoutPlan.map((r) => r.name),
        ["Greater London"],
      );
      assert.deepEqual(
        rollup.sectorsWithoutStrategy.map((s) => s.name),
        ["Health", "Local Government"],
      );
      // St James's has an open task through its objective; Camden matters only if the drive says so.
      assert.ok(!rollup.uncovered.some((c) => c.ballotId === ballots.stJames));
      const camden = (await planConstituencies(ctx(f.actors.national))).find(
        (c) => c.ballotId === ballots.camden,
      )!;
      assert.equal(
        rollup.uncovered.some((c) => c.ballotId === ballots.camden),
        camden.matters,
      );
      // A day earlier, nothing is overdue yet: the clock decides, not today's date.
      const earlier = await plansRollup(ctx(f.actors.national, fixedClock("2026-11-27T10:00:00Z")));
      assert.deepEqual(earlier.overdueTasks, []);
      const overdueOnly = await listPlans(ctx(f.actors.national), { overdue: true });
      assert.deepEqual(
        overdueOnly.plans.map((p) => p.id),
        [yorkshirePlan],
      );
    });

    test("the kept turnout status is shared only within one reach: a regional officer's figures are unchanged", async () => {
      forgetDashboards(open.db);
      // The national roll-up first fills the kept figures for the national reach.
      const national = await plansRollup(ctx(f.actors.national));
      assert.ok(national.plans.length >= 1);
      const nationalStatus = await keptTurnoutStatus(ctx(f.actors.national), ballots.stJames!);
      assert.deepEqual(
        nationalStatus.constituencies.map((c) => c.ballotId).sort(),
        [ballots.stJames, ballots.camden].sort(),
      );
      // A regional officer then gets their own reach's figures, exactly as computed afresh for them.
      const mine = await planConstituencies(ctx(f.actors.regional));
      assert.deepEqual(
        mine.map((c) => c.ballotId),
        [ballots.stJames],
      );
      const kept = await keptTurnoutStatus(ctx(f.actors.regional), ballots.stJames!);
      const fresh = await turnoutStatus(ctx(f.actors.regional), ballots.stJames!);
      assert.deepEqual(kept, fresh);
      assert.deepEqual(
        kept.rollups.regions.map((r) => r.name),
        ["Yorkshire & Humberside"],
      );
      // A role without the turnout permission is refused even while figures are kept.
      await assert.rejects(keptTurnoutStatus(ctx(f.actors.dpo), ballots.stJames!), refused("auth.forbidden"));
    });

    test("a sector officer writes their sector's strategy, which regional officers read and cannot change", async () => {
      const strategy = await createPlan(ctx(f.actors.sector), {
        kind: "sector",
        regionId: null,
        sectorId: f.sectors.health,
        title: "Health sector strategy",
        summary: "",
      });
      await assert.rejects(
        createPlan(ctx(f.actors.sector), {
          kind: "sector",
          regionId: null,
          sectorId: f.sectors.localGov,
          title: "x",
          summary: "",
        }),
        refused("plans.not_yours"),
      );
      const read = await getPlan(ctx(f.actors.regional), strategy.id);
      assert.equal(read.canWrite, false);
      await assert.rejects(
        updatePlan(ctx(f.actors.regional), strategy.id, { title: "x" }),
        refused("plans.not_yours"),
      );
    });

    test("over HTTP: bad input is a 400 that changes nothing; a rep cannot reach the roll-up", async () => {
      const app: App = await buildTestApp(open, null, clock);
      try {
        const regional = await signIn(app, f.users.regional.email);
        const bad = await as(app, regional, {
          method: "POST",
          url: `/api/plans/${yorkshirePlan}/tasks`,
          payload: { title: "", dueOn: "2026-02-30" },
        });
        assert.equal(bad.statusCode, 400);
        assert.equal(bad.json().error.code, "request.invalid");
        const rep = await signIn(app, f.users.rep.email);
        assert.equal((await as(app, rep, { url: "/api/plans/rollup" })).statusCode, 403);
        const mine = await as(app, rep, { url: "/api/plans" });
        assert.equal(mine.statusCode, 200);
        assert.equal(mine.json().plans.length, 1);
      } finally {
        await app.close();
      }
    });
  });
}
