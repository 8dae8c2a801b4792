import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createTestDb } from "../../test/helpers/db.js";
import { CLOCK, systemActor } from "../../test/helpers/fixtures.js";
import type { Ctx } from "../context.js";
import type { OpenDatabase } from "../db/connect.js";
import { listPlans, plansRollup } from "../plans/index.js";
import { listRequests } from "../requests/index.js";
import { type SeedResult, seedDemo } from "./demo.seed.js";

/** The demo union shows campaign coordination: plans with an overdue task, requests answered and escalated. */
describe("demo plans and requests", () => {
  let open: OpenDatabase;
  let seeded: SeedResult;
  const ctx = (): Ctx => ({ db: open.db, actor: systemActor(1), clock: CLOCK });
  before(async () => {
    open = await createTestDb("pglite");
    seeded = await seedDemo(ctx(), { members: 300, seed: 3 });
  });
  after(async () => {
    await open?.close();
  });

  test("a regional plan tied to the demo ballot and a sector strategy; the roll-up shows an overdue task", async () => {
    assert.deepEqual(seeded.plans, { plans: 2, requests: 3, departments: 5 });
    const list = await listPlans(ctx());
    assert.deepEqual(list.plans.map((p) => p.kind).sort(), ["region", "sector"]);
    const rollup = await plansRollup(ctx());
    assert.ok(rollup.overdueTasks.length >= 1);
    assert.ok(rollup.regionsWithoutPlan.length >= 1);
  });

  test("requests: one answered in time, one escalated after missing its service level, one waiting", async () => {
    const { requests } = await listRequests(ctx());
    assert.deepEqual(requests.map((r) => r.serviceLevel).sort(), ["met", "missed", "waiting"]);
    assert.equal(requests.find((r) => r.serviceLevel === "missed")?.escalatedAt !== null, true);
    assert.ok(seeded.users.some((u) => u.email === "legal@demo.mandate.test"));
  });
});
