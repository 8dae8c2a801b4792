import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { backends, createTestDb } from "../../test/helpers/db.js";
import { ballotInput, CLOCK, type Fixture, seedFixture } from "../../test/helpers/fixtures.js";
import { createBallot, createDispute, freezeElectorate } from "../ballots/index.js";
import type { Ctx } from "../context.js";
import type { OpenDatabase } from "../db/connect.js";
import { fixedClock } from "../shared/clock.js";
import {
  castIndicativeVote,
  closeIndicative,
  createIndicative,
  indicativeResults,
  openIndicative,
} from "./indicative.service.js";

const QUESTIONS = [{ text: "Strike?", choices: ["Yes", "No"] }];

/** Indicative ballots by constituency of the dispute's frozen ballots, and the voting rules. */
for (const { backend, skip } of await backends()) {
  describe(`indicative ballots by ballot on ${backend}`, { skip }, () => {
    let open: OpenDatabase;
    let f: Fixture;
    let national: Ctx;
    let disputeId: number;
    let ballotId: number;

    before(async () => {
      open = await createTestDb(backend);
      f = await seedFixture(open.db);
      national = { db: open.db, actor: f.actors.national, clock: CLOCK };
      disputeId = (
        await createDispute(national, {
          title: "Pay 2026",
          mattersInIssue: "",
          coalition: "",
          employerIds: [f.employers.leedsTrust, f.employers.camden, f.employers.bradfordCouncil],
        })
      ).id;
      ballotId = (await createBallot(national, disputeId, ballotInput(f))).id;
    });
    after(async () => {
      await open?.close();
    });

    const create = (over: Record<string, unknown> = {}) =>
      createIndicative(national, {
        disputeId,
        title: "Mood",
        questions: QUESTIONS,
        constituencyKind: "ballot",
        opensOn: "2026-11-18",
        closesOn: "2026-11-30",
        minimumCell: 5,
        ...over,
      });

    test("by ballot: refused to open before an electorate is frozen; then the roll is the included members", async () => {
      const early = await create();
      await assert.rejects(openIndicative(national, early.id), { code: "indicative.wrong_state" });
      await freezeElectorate(national, ballotId);
      const opened = await openIndicative(national, early.id);
      const included = await open.db
        .selectFrom("ballot_electorate")
        .innerJoin("members", "members.id", "ballot_electorate.member_id")
        .select("member_id")
        .where("ballot_id", "=", ballotId)
        .where("included", "=", true)
        .where("members.status", "=", "active")
        .execute();
      assert.ok(included.length > 0);
      assert.equal(opened.roll, included.length);
      const constituencies = await open.db
        .selectFrom("indicative_roll")
        .select("constituency")
        .distinct()
        .where("indicative_ballot_id", "=", early.id)
        .execute();
      assert.deepEqual(
        constituencies.map((c) => c.constituency),
        [`ballot:${ballotId}`],
      );
      const results = await indicativeResults(national, early.id);
      assert.equal(results.constituencies[0]!.label, "Pay 2026: all members");
      await assert.rejects(openIndicative(national, early.id), { code: "indicative.wrong_state" });
    });

    test("votes only while open and within the dates, from members on the roll", async () => {
      const b = await create({ constituencyKind: "workplace" });
      const voter = f.members.stJames[0]!;
      await assert.rejects(castIndicativeVote(national, b.id, voter, [0]), {
        code: "indicative.wrong_state",
      });
      await openIndicative(national, b.id);
      const early = { ...national, clock: fixedClock("2026-11-17T12:00:00Z") };
      await assert.rejects(castIndicativeVote(early, b.id, voter, [0]), { code: "indicative.wrong_state" });
      const late = { ...national, clock: fixedClock("2026-12-01T12:00:00Z") };
      await assert.rejects(castIndicativeVote(late, b.id, voter, [0]), { code: "indicative.wrong_state" });
      // Davies is lapsed: not on the roll.
      await assert.rejects(castIndicativeVote(national, b.id, f.members.lgi[0]!, [0]), {
        code: "indicative.not_on_roll",
      });
      await castIndicativeVote(national, b.id, voter, [1]);
      // Two at once for one member: exactly one counts.
      const other = f.members.stJames[1]!;
      const both = await Promise.allSettled([
        castIndicativeVote(national, b.id, other, [0]),
        castIndicativeVote(national, b.id, other, [0]),
      ]);
      assert.equal(both.filter((r) => r.status === "fulfilled").length, 1);
      const tally = await open.db
        .selectFrom("indicative_tally")
        .select((eb) => eb.fn.sum<number>("votes").as("n"))
        .where("indicative_ballot_id", "=", b.id)
        .executeTakeFirstOrThrow();
      assert.equal(Number(tally.n), 2);
      await closeIndicative(national, b.id);
      await assert.rejects(castIndicativeVote(national, b.id, f.members.stJames[2]!, [0]), {
        code: "indicative.wrong_state",
      });
    });

    test("only national officers set up and run them; a dispute of another union is not found", async () => {
      const rep: Ctx = { ...national, actor: f.actors.rep };
      const input = {
        disputeId,
        title: "x",
        questions: QUESTIONS,
        constituencyKind: "workplace" as const,
        opensOn: "2026-11-18",
        closesOn: "2026-11-30",
        minimumCell: 5,
      };
      await assert.rejects(createIndicative(rep, input), { code: "auth.forbidden" });
      await assert.rejects(openIndicative(rep, 1), { code: "auth.forbidden" });
      const partner: Ctx = { ...national, actor: f.actors.partnerNational };
      await assert.rejects(createIndicative(partner, input), { code: "disputes.not_found" });
    });
  });
}
