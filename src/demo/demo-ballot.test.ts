import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createTestDb } from "../../test/helpers/db.js";
import { CLOCK, systemActor } from "../../test/helpers/fixtures.js";
import { getBallot, listDisputes } from "../ballots/index.js";
import { contactList } from "../canvass/index.js";
import type { Ctx } from "../context.js";
import type { OpenDatabase } from "../db/connect.js";
import { type SeedResult, seedDemo } from "./demo.seed.js";

/** The demo's ballot is usable by every demo sign-in that should see it. */
describe("demo ballot", () => {
  let open: OpenDatabase;
  let seeded: SeedResult;
  before(async () => {
    open = await createTestDb("pglite");
    seeded = await seedDemo({ db: open.db, actor: systemActor(1), clock: CLOCK }, { members: 300, seed: 3 });
  });
  after(async () => {
    await open?.close();
  });

  test("the demo scrutineer is appointed to the demo ballot and sees it", async () => {
    const user = await open.db
      .selectFrom("users")
      .select(["id", "union_id", "email"])
      .where("role", "=", "scrutineer")
      .executeTakeFirstOrThrow();
    const ctx: Ctx = {
      db: open.db,
      clock: CLOCK,
      actor: {
        ...systemActor(user.union_id),
        kind: "user",
        userId: user.id,
        role: "scrutineer",
        label: user.email,
      },
    };
    const ballotId = seeded.ballot!.ballotId;
    assert.equal((await getBallot(ctx, ballotId)).id, ballotId);
    assert.deepEqual(
      (await listDisputes(ctx)).flatMap((d) => d.ballots.map((b) => b.id)),
      [ballotId],
    );
  });

  test("the demo rep finds the ballot, with members of their workplaces on their contact list", async () => {
    const user = await open.db
      .selectFrom("users")
      .select(["id", "union_id", "email"])
      .where("role", "=", "rep")
      .executeTakeFirstOrThrow();
    const workplaceIds = (
      await open.db.selectFrom("user_scopes").select("workplace_id").where("user_id", "=", user.id).execute()
    ).map((r) => r.workplace_id!);
    const ctx: Ctx = {
      db: open.db,
      clock: CLOCK,
      actor: {
        ...systemActor(user.union_id),
        kind: "user",
        userId: user.id,
        role: "rep",
        label: user.email,
        workplaceIds,
      },
    };
    const ballotId = seeded.ballot!.ballotId;
    assert.equal((await getBallot(ctx, ballotId)).id, ballotId);
    const list = await contactList(ctx, ballotId, { page: 1, pageSize: 50 });
    assert.ok(list.total > 0, "the rep has members to reach");
  });

  test("the demo coalition: two unions' aggregates, a joint employer view and a conflict on the day", async () => {
    const ctx: Ctx = { db: open.db, clock: CLOCK, actor: systemActor(1) };
    const id = seeded.coalition!.coalitionId;
    const { aggregatesOf, coalitionStatus } = await import("../coalition/index.js");
    const unions = await aggregatesOf(ctx, id);
    assert.deepEqual(unions.map((u) => u.union).sort(), ["demo", "rchw"]);
    const [status] = await coalitionStatus(ctx);
    assert.deepEqual(
      status!.timetable!.conflicts.map((c) => [c.union, c.kind]),
      [["rchw", "closes_too_late"]],
    );
  });
});
