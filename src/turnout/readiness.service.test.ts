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
import { forgetDashboards, turnoutDashboard } from "./dashboard.service.js";
import { adviseDispute, turnoutReadiness } from "./readiness.service.js";
import { importReturns, recordSelfReport } from "./turnout.service.js";

const refused = (code: string) => (e: unknown) => e instanceof AppError && e.code === code;
/** Eight days into the ballot (it opens on 7 December 2026). */
const DURING = fixedClock("2026-12-15T10:00:00Z");

for (const { backend, skip } of await backends()) {
  describe(`readiness, advisor and dashboards on ${backend}`, { skip }, () => {
    let open: OpenDatabase;
    let f: Fixture;
    let app: App;
    let ballots: Record<string, number>;
    let entitledStJames = 0;
    const ctx = (actor: Actor): Ctx => ({ db: open.db, actor, clock: DURING });

    before(async () => {
      open = await createTestDb(backend);
      f = await seedFixture(open.db);
      const national: Ctx = { db: open.db, actor: f.actors.national, clock: CLOCK };
      const { employers: e, workplaces: w } = f;
      const made = await createDisputeBallots(national, f, {
        ballots: [
          { key: "stJames", name: "St James's", employerId: e.leedsTrust, workplaceId: w.stJames },
          { key: "camden", name: "Camden", employerId: e.camden, workplaceId: w.camdenHall },
          { key: "lgi", name: "Leeds General", employerId: e.leedsTrust, workplaceId: w.lgi },
        ],
        freeze: ["stJames"],
      });
      ballots = made.ballots;
      entitledStJames = made.entitled.stJames!;
      // Camden's members: one with an email, the other reachable by post only.
      await open.db
        .updateTable("members")
        .set({ email: "evans@example.org" })
        .where("id", "=", f.members.camden[0]!)
        .execute();
      await recordSelfReport(ctx(f.actors.rep), ballots.stJames!, {
        memberId: f.members.stJames[0]!,
        kind: "will_vote",
        source: "rep_conversation",
      });
      app = await buildTestApp({ ...open });
    });
    after(async () => {
      await app?.close();
      await open?.close();
    });

    test("readiness per constituency: frozen electorate, or the scope before the freeze; the early flag", async () => {
      const r = await turnoutReadiness(ctx(f.actors.national), ballots.camden!);
      const by = Object.fromEntries(r.constituencies.map((c) => [c.name, c]));
      const st = by["St James's"]!;
      assert.equal(st.frozen, true);
      assert.equal(st.members, entitledStJames);
      assert.equal(st.reps, 1, "the rep user of St James's");
      assert.equal(st.repShare, 100);
      assert.equal(st.pledgedShare, Math.round((1 / entitledStJames) * 1000) / 10);
      assert.equal(st.contactedShare, st.pledgedShare, "the pledge was a conversation in the last 30 days");
      assert.equal(st.membersPerRep, entitledStJames);
      const camden = by.Camden!;
      assert.equal(camden.frozen, false);
      assert.equal(camden.members, 2, "active members of Camden Hall, not the one with no workplace");
      assert.equal(camden.postalShare, 100);
      assert.equal(camden.digitalShare, 50);
      assert.equal(camden.reps, 0);
      assert.equal(camden.membersPerRep, null);
      // 0.45 + 0.35 = 0.8 of a vote: 1 of the 1 needed, within five points of 50%.
      assert.equal(camden.impliedVotes, 1);
      assert.equal(camden.flag, "marginal");
      assert.equal(by["Leeds General"]!.members, 0, "its only member has lapsed");
      assert.equal(by["Leeds General"]!.flag, "no_members");
      assert.equal(r.model.base, 0.35);
    });

    test("readiness is scoped: a rep reaches St James's only; the regional officer Yorkshire's constituencies", async () => {
      const rep = await turnoutReadiness(ctx(f.actors.rep), ballots.stJames!);
      assert.deepEqual(
        rep.constituencies.map((c) => c.name),
        ["St James's"],
      );
      await assert.rejects(
        turnoutReadiness(ctx(f.actors.rep), ballots.camden!),
        refused("ballots.not_found"),
      );
      const regional = await turnoutReadiness(ctx(f.actors.regional), ballots.stJames!);
      assert.deepEqual(regional.constituencies.map((c) => c.name).sort(), ["Leeds General", "St James's"]);
      await assert.rejects(turnoutReadiness(ctx(f.actors.dpo), ballots.stJames!), refused("auth.forbidden"));
    });

    test("the advisor on readiness and on an indicative ballot's figures", async () => {
      const onReadiness = await adviseDispute(ctx(f.actors.national), ballots.stJames!, {
        yesShare: 80,
        indicative: [],
        unaffectedWorkplaceIds: [],
      });
      assert.equal(onReadiness.sources.indicative, 0);
      const separate = onReadiness.options.find((o) => o.option === "separate_workplaces")!;
      assert.deepEqual(separate.constituencies.map((c) => c.name).sort(), [
        "Camden Town Hall",
        "St James's University Hospital",
      ]);
      assert.equal(separate.entitled, entitledStJames + 2);
      const indicative = await adviseDispute(ctx(f.actors.national), ballots.stJames!, {
        yesShare: 80,
        indicative: [
          { workplaceId: f.workplaces.stJames, turnout: 100, yesShare: 90 },
          { workplaceId: f.workplaces.camdenHall, turnout: 0, yesShare: 0 },
        ],
        unaffectedWorkplaceIds: [f.workplaces.camdenHall],
      });
      assert.equal(indicative.sources.indicative, 2);
      const sep = indicative.options.find((o) => o.option === "separate_workplaces")!;
      assert.deepEqual(
        sep.constituencies.map((c) => [c.name, c.wins]),
        [
          ["Camden Town Hall", false],
          ["St James's University Hospital", true],
        ],
      );
      assert.equal(sep.membersCovered, entitledStJames);
      const common = indicative.options.find((o) => o.option === "common_dispute")!;
      assert.equal(common.available, false);
      assert.match(common.unavailableReason!, /Camden Town Hall/);
    });

    test("dashboards: national and by region, returns over time, activity; scoped and refused where they should be", async () => {
      await importReturns(ctx(f.actors.national), ballots.stJames!, {
        fileName: "r.csv",
        csv: `constituency,date,papers_returned\nSt James's,2026-12-10,1\nSt James's,2026-12-14,2\n`,
      });
      forgetDashboards(open.db);
      const national = await turnoutDashboard(ctx(f.actors.national), ballots.stJames!, {
        level: "national",
      });
      assert.equal(national.summary.constituencies, 1, "only St James's is frozen");
      assert.equal(national.summary.returned, 2);
      assert.deepEqual(
        national.returnsOverTime.map((r) => [r.date, r.returned]),
        [
          ["2026-12-10", 1],
          ["2026-12-14", 2],
        ],
      );
      assert.equal(national.thresholdVotes, Math.ceil(entitledStJames / 2));
      assert.equal(national.activity.length, 21);
      assert.equal(national.activity.at(-1)!.date, "2026-12-15");
      assert.equal(national.activity.find((a) => a.date === "2026-12-15")!.will_vote, 1);
      const yorkshire = await turnoutDashboard(ctx(f.actors.regional), ballots.stJames!, {
        level: "region",
        groupId: f.regions.yorkshire,
      });
      assert.equal(yorkshire.group!.name, "Yorkshire & Humberside");
      assert.equal(yorkshire.summary.returned, 2);
      await assert.rejects(
        turnoutDashboard(ctx(f.actors.regional), ballots.stJames!, {
          level: "region",
          groupId: f.regions.london,
        }),
        refused("turnout.no_such_group"),
      );
      await assert.rejects(
        turnoutDashboard(ctx(f.actors.observer), ballots.stJames!, {
          level: "employer",
          groupId: f.employers.leedsTrust,
        }),
        refused("auth.forbidden"),
      );
      const observer = await turnoutDashboard(ctx(f.actors.observer), ballots.stJames!, {
        level: "national",
      });
      assert.deepEqual(observer.groups.employers, []);
    });

    test("over HTTP: readiness, advisor and dashboard answer; bad queries are 4xx", async () => {
      const s = await signIn(app, f.users.national.email);
      const r = await as(app, s, { url: `/api/ballots/${ballots.stJames}/turnout/readiness` });
      assert.equal(r.statusCode, 200, r.body);
      const a = await as(app, s, {
        method: "POST",
        url: `/api/ballots/${ballots.stJames}/turnout/advisor`,
        payload: {},
      });
      assert.equal(a.statusCode, 200, a.body);
      assert.equal(a.json().options.length, 4);
      const bad = await as(app, s, {
        method: "POST",
        url: `/api/ballots/${ballots.stJames}/turnout/advisor`,
        payload: { yesShare: 101 },
      });
      assert.equal(bad.statusCode, 400);
      const d = await as(app, s, {
        url: `/api/ballots/${ballots.stJames}/turnout/dashboard?level=sector&groupId=${f.sectors.health}`,
      });
      assert.equal(d.statusCode, 200, d.body);
      assert.equal(d.json().group.name.length > 0, true);
      const missing = await as(app, s, {
        url: `/api/ballots/${ballots.stJames}/turnout/dashboard?level=employer`,
      });
      assert.equal(missing.statusCode, 404);
      const wrong = await as(app, s, {
        url: `/api/ballots/${ballots.stJames}/turnout/dashboard?level=planet`,
      });
      assert.equal(wrong.statusCode, 400);
    });
  });
}
