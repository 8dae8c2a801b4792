/**
 * A member's day is paid once, whatever arrives at the same moment: every
 * member claims two strike days over many connections in parallel, some claim
 * the same days twice, some a second claim overlapping the first, some a third
 * day separately, and some re-import the same claim with its reference; two
 * exports then run at once. Every member-day ends in exactly one export line.
 * 10,000 members on the PostgreSQL server; 100 on PGlite (one connection).
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { sql } from "kysely";
import { backends, createTestDb } from "../../test/helpers/db.js";
import {
  CLOCK,
  createDisputeBallots,
  type Fixture,
  seedFixture,
  systemActor,
} from "../../test/helpers/fixtures.js";
import type { Ctx } from "../context.js";
import type { OpenDatabase } from "../db/connect.js";
import { AppError } from "../shared/errors.js";
import { planActionDay } from "./calendar.service.js";
import { exportStrikePay, setPayRules, submitClaim } from "./pay.service.js";

const DAYS = ["2027-01-20", "2027-01-21", "2027-01-22"] as const;

async function pool<T>(tasks: (() => Promise<T>)[], width: number): Promise<T[]> {
  const out: T[] = new Array(tasks.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < tasks.length) {
        const i = next++;
        out[i] = await tasks[i]!();
      }
    }),
  );
  return out;
}

for (const { backend, skip } of await backends()) {
  const members = backend === "postgres" ? 10_000 : 100;
  const width = backend === "postgres" ? 32 : 4;
  describe(`strike pay under concurrent claims on ${backend} (${members} members)`, { skip }, () => {
    let open: OpenDatabase;
    let f: Fixture;
    let ctx: Ctx;
    let disputeId: number;
    let ids: number[];

    before(async () => {
      open = await createTestDb(backend, { poolSize: width + 2 });
      f = await seedFixture(open.db);
      ctx = { db: open.db, actor: f.actors.national, clock: CLOCK };
      const made = await createDisputeBallots(
        { db: open.db, actor: systemActor(f.unionId), clock: CLOCK },
        f,
        { ballots: [{ key: "all", name: "All", employerId: f.employers.leedsTrust, workplaceId: null }] },
      );
      disputeId = made.dispute.id;
      for (const day of DAYS)
        await planActionDay(ctx, disputeId, { day, kind: "strike", types: [], note: "" });
      await setPayRules(ctx, disputeId, {
        ratePence: 3000,
        unpaidDays: 0,
        maxPaidDays: null,
        maxPencePerMember: null,
        hardshipMaxPence: 0,
        hardshipCriteria: [],
      });
      await sql`
        insert into members (union_id, membership_number, forenames, surname, employer_id, workplace_id, region_id, status)
        select ${f.unionId}, 'S' || g, 'Striker', 'No' || g, ${f.employers.leedsTrust}, ${f.workplaces.stJames},
               ${f.regions.yorkshire}, 'active'
        from generate_series(1, ${members}) g`.execute(open.db);
      ids = (
        await open.db
          .selectFrom("members")
          .select("id")
          .where("membership_number", "like", "S%")
          .orderBy("id")
          .execute()
      ).map((r) => r.id);
      assert.equal(ids.length, members);
    });
    after(async () => open?.close());

    test("every member-day is paid exactly once", { timeout: 30 * 60_000 }, async () => {
      const claim =
        (memberId: number, days: readonly string[], reference: string | null = null) =>
        () =>
          submitClaim(ctx, disputeId, {
            memberId,
            kind: "strike_pay",
            days: [...days],
            requestedPence: null,
            evidenceNote: "",
            evidence: null,
            reference,
          }).then(
            (c) => (c.created === false ? "reimported" : "held"),
            (e: unknown) => {
              if (e instanceof AppError) return e.code;
              throw e;
            },
          );
      const tasks: (() => Promise<string>)[] = [];
      // The days each member may end up paid for: whichever of two overlapping claims came first wins whole.
      const acceptable = new Map<string, string[]>();
      ids.forEach((id, i) => {
        const n = `S${i + 1}`;
        acceptable.set(n, [`${DAYS[0]},${DAYS[1]}`]);
        const ref = i % 10 === 3 ? `IMPORT-${id}` : null;
        tasks.push(claim(id, [DAYS[0], DAYS[1]], ref));
        if (i % 10 === 0) tasks.push(claim(id, [DAYS[0], DAYS[1]])); // the same claim twice
        if (i % 10 === 1) {
          tasks.push(claim(id, [DAYS[1], DAYS[2]])); // overlapping the first
          acceptable.set(n, [`${DAYS[0]},${DAYS[1]}`, `${DAYS[1]},${DAYS[2]}`]);
        }
        if (i % 10 === 2) {
          tasks.push(claim(id, [DAYS[2]])); // a further day: paid too
          acceptable.set(n, [DAYS.join(",")]);
        }
        if (i % 10 === 3) tasks.push(claim(id, [DAYS[0], DAYS[1]], ref)); // the file imported again
      });
      // Shuffle (deterministically) so a member's claims race each other rather than run in order.
      for (let i = tasks.length - 1; i > 0; i--) {
        const j = (i * 7919) % (i + 1);
        [tasks[i], tasks[j]] = [tasks[j]!, tasks[i]!];
      }
      const started = Date.now();
      const outcomes = await pool(tasks, width);
      const tally: Record<string, number> = {};
      for (const o of outcomes) tally[o] = (tally[o] ?? 0) + 1;
      console.log(`# ${tasks.length} claims in ${Date.now() - started} ms over ${width} connections:`, tally);
      assert.equal(tally["request.busy"] ?? 0, 0);
      assert.equal(tally["action.day_already_claimed"], (members / 10) * 2);
      assert.equal(tally.reimported, members / 10);
      assert.equal(tally.held, members + members / 10);

      // An officer approves everything held (the decision is tested elsewhere); two exports then race.
      await open.db
        .updateTable("strike_pay_claims")
        .set({ state: "approved" })
        .where("state", "=", "submitted")
        .execute();
      await open.db
        .updateTable("strike_pay_claim_days")
        .set({ state: "approved" })
        .where("state", "=", "submitted")
        .execute();
      const range = { from: "2027-01-01", to: "2027-01-31" };
      const exports = await Promise.all([exportStrikePay(ctx, range), exportStrikePay(ctx, range)]);
      const paid = new Map<string, string[]>();
      let lines = 0;
      for (const out of exports) {
        for (const line of out.body.trim().split(/\r?\n/).slice(1)) {
          const cells = line.split(",");
          paid.set(cells[1]!, [...(paid.get(cells[1]!) ?? []), cells[7]!]);
          assert.equal(cells[8], "3000");
          lines++;
        }
      }
      assert.equal(paid.size, members, "every member is paid");
      for (const [n, ok] of acceptable) {
        const days = paid.get(n)!;
        assert.equal(new Set(days).size, days.length, `${n} paid twice for a day`);
        assert.ok(ok.includes([...days].sort().join(",")), `${n}: ${days}`);
      }
      assert.equal(exports[0]!.lines + exports[1]!.lines, lines);
      const again = await exportStrikePay(ctx, range);
      assert.equal(again.lines, 0);
    });
  });
}
