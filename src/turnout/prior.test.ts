import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { backends, createTestDb } from "../../test/helpers/db.js";
import { CLOCK, createDisputeBallots, type Fixture, seedFixture } from "../../test/helpers/fixtures.js";
import type { Ctx } from "../context.js";
import type { OpenDatabase } from "../db/connect.js";
import {
  castIndicativeVote,
  closeIndicative,
  createIndicative,
  openIndicative,
} from "../indicative/index.js";
import { createMember } from "../members/index.js";
import { fixedClock } from "../shared/clock.js";
import { BAND_Z, MIN_INDICATIVE_ROLL, MIN_READINESS_MEMBERS, READINESS_PRIOR_SD } from "./forecast.js";
import { turnoutReadiness } from "./readiness.service.js";
import { turnoutStatus } from "./turnout.service.js";

/** Eight days into the statutory ballot (it opens on 7 December 2026); no returns yet. */
const DURING = fixedClock("2026-12-15T10:00:00Z");

/** The forecast's prior from an indicative ballot held by constituency of the dispute's ballots. */
for (const { backend, skip } of await backends()) {
  describe(`turnout forecast from an indicative ballot on ${backend}`, { skip }, () => {
    let open: OpenDatabase;
    let f: Fixture;
    let national: Ctx;
    let ballots: Record<string, number>;
    let disputeId: number;
    let indicativeId: number;

    before(async () => {
      open = await createTestDb(backend);
      f = await seedFixture(open.db);
      national = { db: open.db, actor: f.actors.national, clock: CLOCK };
      // St James's gets a roll of at least ten; Camden keeps its two members.
      for (let i = 0; i < 12; i++)
        await createMember(national, {
          membershipNumber: `P${i}`,
          forenames: "Sam",
          surname: `Nurse${i}`,
          employerId: f.employers.leedsTrust,
          workplaceId: f.workplaces.stJames,
          regionId: f.regions.yorkshire,
          status: "active",
          inArrears: false,
          checkOff: false,
          consentEmail: false,
          consentSms: false,
          addressLine1: "2 Beckett Street",
          town: "Leeds",
          homePostcode: "LS9 7TF",
          joinedOn: "2020-01-01",
          jobCategory: "Nursing",
        });
      const made = await createDisputeBallots(national, f, {
        ballots: [
          {
            key: "stJames",
            name: "St James's",
            employerId: f.employers.leedsTrust,
            workplaceId: f.workplaces.stJames,
          },
          {
            key: "camden",
            name: "Camden",
            employerId: f.employers.camden,
            workplaceId: f.workplaces.camdenHall,
          },
        ],
        freeze: ["stJames", "camden"],
      });
      ballots = made.ballots;
      disputeId = made.dispute.id;
      indicativeId = (
        await createIndicative(national, {
          disputeId,
          title: "Mood",
          questions: [{ text: "Strike?", choices: ["Yes", "No"] }],
          constituencyKind: "ballot",
          opensOn: "2026-11-18",
          closesOn: "2026-11-30",
          minimumCell: 5,
        })
      ).id;
      await openIndicative(national, indicativeId);
    });
    after(async () => {
      await open?.close();
    });

    const rollOf = async (ballotId: number) =>
      (
        await open.db
          .selectFrom("indicative_roll")
          .select("member_id")
          .where("indicative_ballot_id", "=", indicativeId)
          .where("constituency", "=", `ballot:${ballotId}`)
          .orderBy("member_id")
          .execute()
      ).map((r) => r.member_id);

    test("an open indicative ballot gives no prior: readiness does, from ten members, before the first return", async () => {
      const stJames = await rollOf(ballots.stJames!);
      assert.ok(stJames.length >= MIN_INDICATIVE_ROLL, `roll ${stJames.length}`);
      // Everyone but three votes while it is open.
      for (const m of stJames.slice(3)) await castIndicativeVote(national, indicativeId, m, [0]);
      const status = await turnoutStatus({ ...national, clock: DURING }, ballots.stJames!);
      const ready = await turnoutReadiness({ ...national, clock: DURING }, ballots.stJames!);
      for (const c of status.constituencies) assert.equal(c.returned, 0);
      const sj = status.constituencies.find((c) => c.ballotId === ballots.stJames)!;
      const implied = ready.constituencies.find((c) => c.ballotId === ballots.stJames)!;
      assert.ok(implied.members >= MIN_READINESS_MEMBERS);
      assert.equal(sj.priorSource, "readiness");
      assert.deepEqual(sj.forecast, {
        turnout: implied.impliedTurnout,
        low: Math.round((implied.impliedTurnout - BAND_Z * READINESS_PRIOR_SD) * 10) / 10,
        high: Math.round((implied.impliedTurnout + BAND_Z * READINESS_PRIOR_SD) * 10) / 10,
        basis: "prior",
      });
      // Camden's two members are too few for readiness to mean much.
      const cam = status.constituencies.find((c) => c.ballotId === ballots.camden)!;
      assert.equal(cam.priorSource, null);
      assert.equal(cam.forecast, null);
    });

    test("closed: the forecast is the indicative turnout less the usual fall; a roll under ten gives none", async () => {
      const camden = await rollOf(ballots.camden!);
      assert.ok(camden.length > 0 && camden.length < MIN_INDICATIVE_ROLL, `roll ${camden.length}`);
      for (const m of camden) await castIndicativeVote(national, indicativeId, m, [0]);
      await closeIndicative(national, indicativeId);
      const stJames = await rollOf(ballots.stJames!);
      const indicativeTurnout = (100 * (stJames.length - 3)) / stJames.length;

      const status = await turnoutStatus({ ...national, clock: DURING }, ballots.camden!);
      const sj = status.constituencies.find((c) => c.ballotId === ballots.stJames)!;
      assert.equal(sj.priorSource, "indicative");
      assert.equal(sj.forecast?.basis, "prior");
      const expected = Math.round((indicativeTurnout - 14.5) * 10) / 10;
      assert.equal(sj.forecast?.turnout, expected);
      assert.ok(sj.forecast!.low < expected && sj.forecast!.high > expected);
      // All of Camden voted, but on a roll of two: no prior (and two members give no readiness prior).
      const cam = status.constituencies.find((c) => c.ballotId === ballots.camden)!;
      assert.equal(cam.priorSource, null);
      assert.equal(cam.forecast, null);
    });
  });
}
