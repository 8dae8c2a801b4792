import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { as, buildTestApp, type Session, signIn } from "../../test/helpers/app.js";
import { backends, createTestDb } from "../../test/helpers/db.js";
import { ballotInput, CLOCK, type Fixture, seedFixture, systemActor } from "../../test/helpers/fixtures.js";
import { createBallot, createDispute, freezeElectorate } from "../ballots/index.js";
import type { Ctx } from "../context.js";
import type { OpenDatabase } from "../db/connect.js";
import type { App } from "../http/types.js";
import { createMember } from "../members/index.js";

/**
 * The privacy attack suite through the API, as a coalition observer and as another union's officer.
 * HPSU balloted 40 members at Leeds Teaching Hospitals (two workplaces) and 3 at Camden; over 30 days
 * papers come back a few a day and members leave the electorate. The observer reads every day's release
 * and tries to recover a count of 7 or fewer: small cells, differences between days, enumeration of
 * employers and workplaces by id, and joins of the employer, sector and region breakdowns.
 */
type Cell = { key: string; label: string; entitled: number | null; returned: number | null };
type Release = {
  breakdowns: Record<"employer" | "sector" | "region", Cell[]>;
  totals: Record<string, { entitled: number }>;
};

for (const { backend, skip } of await backends()) {
  describe(`privacy attacks through the coalition API (${backend})`, { skip }, () => {
    let open: OpenDatabase;
    let app: App;
    let f: Fixture;
    let national: Session;
    let observer: Session;
    let outsider: Session;
    let id: number;
    let ballotId: number;
    const releases: Release[] = [];
    const truth: { returned: number; entitled: number }[] = [];

    before(async () => {
      open = await createTestDb(backend);
      f = await seedFixture(open.db);
      const sys: Ctx = { db: open.db, actor: systemActor(f.unionId), clock: CLOCK };
      for (let i = 0; i < 40; i++) {
        await createMember(sys, {
          membershipNumber: `P${i}`,
          forenames: "Kim",
          surname: `Privacy${i}`,
          status: "active",
          inArrears: false,
          checkOff: false,
          consentEmail: false,
          consentSms: false,
          addressLine1: "3 Mill Road",
          town: "Leeds",
          homePostcode: "LS2 3CD",
          joinedOn: "2020-01-01",
          jobCategory: "Nursing",
          employerId: f.employers.leedsTrust,
          workplaceId: i % 2 ? f.workplaces.lgi : f.workplaces.stJames,
          regionId: f.regions.yorkshire,
        });
      }
      const ctx: Ctx = { db: open.db, actor: f.actors.national, clock: CLOCK };
      const d = await createDispute(ctx, {
        title: "Pay",
        mattersInIssue: "Pay.",
        coalition: "",
        employerIds: [f.employers.leedsTrust, f.employers.camden],
      });
      ballotId = (
        await createBallot(
          ctx,
          d.id,
          ballotInput(f, {
            scope: [
              { employerId: f.employers.leedsTrust, workplaceId: null },
              { employerId: f.employers.camden, workplaceId: null },
            ],
          }),
        )
      ).id;
      await freezeElectorate(ctx, ballotId);
      app = await buildTestApp(open);
      national = await signIn(app, f.users.national.email);
      observer = await signIn(app, f.users.observer.email);
      outsider = await signIn(app, f.users.partnerNational.email);
      id = (
        await as(app, national, {
          method: "POST",
          url: "/api/coalitions",
          payload: { name: "C", key: "hpsu" },
        })
      ).json().id;
      await as(app, national, {
        method: "PUT",
        url: `/api/coalitions/${id}/ballots`,
        payload: { ballotIds: [ballotId] },
      });
    });
    after(async () => {
      await app?.close();
      await open?.close();
    });

    test("30 daily releases with papers returned and members leaving: no count of 7 or fewer is recoverable", async () => {
      const electorate = await open.db
        .selectFrom("ballot_electorate")
        .select("member_id")
        .where("ballot_id", "=", ballotId)
        .where("included", "=", true)
        .orderBy("member_id")
        .execute();
      let next = 0;
      for (let day = 0; day < 30; day++) {
        // 0 to 3 papers back today; every fifth day a member leaves the electorate.
        const back = electorate.slice(next, next + (day % 4));
        next += back.length;
        if (back.length) {
          await open.db
            .insertInto("turnout_self_reports")
            .values(
              back.map((m) => ({
                union_id: f.unionId,
                ballot_id: ballotId,
                member_id: m.member_id,
                kind: "voted",
                source: "scrutineer",
                recorded_by: null,
                recorded_at: CLOCK.now(),
              })),
            )
            .execute();
        }
        if (day % 5 === 4) {
          const leaver = electorate[electorate.length - 1 - day]!;
          await open.db
            .updateTable("ballot_electorate")
            .set({ included: false, reason: "left" })
            .where("ballot_id", "=", ballotId)
            .where("member_id", "=", leaver.member_id)
            .execute();
        }
        assert.equal(
          (await as(app, national, { method: "POST", url: `/api/coalitions/${id}/publish` })).statusCode,
          200,
        );
        const [mine] = (await as(app, observer, { url: `/api/coalitions/${id}/aggregates` })).json();
        releases.push(mine.release);
        const t = await open.db
          .selectFrom("ballot_electorate as be")
          .select((eb) => [
            eb.fn.countAll<number>().as("entitled"),
            eb.fn
              .count<number>("be.member_id")
              .filterWhere(
                "be.member_id",
                "in",
                eb.selectFrom("turnout_self_reports").select("member_id").where("ballot_id", "=", ballotId),
              )
              .as("returned"),
          ])
          .where("be.ballot_id", "=", ballotId)
          .where("be.included", "=", true)
          .where("be.employer_id", "=", f.employers.leedsTrust)
          .executeTakeFirstOrThrow();
        truth.push({ entitled: Number(t.entitled), returned: Number(t.returned) });
      }
      let exactSmall = 0;
      let differences = 0;
      for (let day = 0; day < 30; day++) {
        for (const b of ["employer", "sector", "region"] as const) {
          for (const c of releases[day]!.breakdowns[b]) {
            for (const v of [c.entitled, c.returned]) {
              assert.ok(v === null || (v >= 10 && v % 5 === 0), `${b} ${c.label} day ${day}: ${v}`);
            }
          }
        }
        if (day === 0) continue;
        const leeds = (r: Release) => r.breakdowns.employer.find((c) => c.key === "RR8")!;
        const [today, before] = [leeds(releases[day]!), leeds(releases[day - 1]!)];
        for (const k of ["returned", "entitled"] as const) {
          const trueChange = truth[day]![k] - truth[day - 1]![k];
          if (today[k] === null || before[k] === null || trueChange === 0) continue;
          differences++;
          if (today[k]! - before[k]! === trueChange && Math.abs(trueChange) <= 7) exactSmall++;
        }
      }
      console.log(
        `# 30 daily releases: ${differences} day-to-day changes of 1 to 3; exactly recovered from the releases: ${exactSmall}`,
      );
      assert.equal(exactSmall, 0);
      // Camden's 3 members: withheld on every day, and every breakdown's totals are its published cells' sum.
      for (const r of releases) {
        assert.equal(r.breakdowns.employer.find((c) => c.label.includes("Camden"))!.entitled, null);
        for (const b of ["employer", "sector", "region"] as const) {
          assert.equal(
            r.totals[b]!.entitled,
            r.breakdowns[b].reduce((s, c) => s + (c.entitled ?? 0), 0),
          );
        }
      }
    });

    test("joins of breakdowns: region minus the published employers does not give Camden's or Bradford's count", () => {
      for (const r of releases) {
        const yorkshire = r.breakdowns.region.find((c) => c.label.startsWith("Yorkshire"));
        const london = r.breakdowns.region.find((c) => c.label.includes("London"));
        // London holds only Camden (3 members): withheld in every breakdown, so no subtraction reaches it.
        assert.equal(london?.entitled ?? null, null);
        const health = r.breakdowns.sector.find((c) => c.label === "Health")!;
        const localGov = r.breakdowns.sector.find((c) => c.label.startsWith("Local"));
        assert.equal(localGov?.entitled ?? null, null);
        // Every published figure is a multiple of 5: no difference of two is a count of 1 to 4, 6 or 7.
        for (const v of [yorkshire?.entitled, health.entitled]) assert.ok(v == null || v % 5 === 0);
      }
    });

    test("enumeration by id: coalitions, employers and workplaces answer alike whether or not they exist", async () => {
      const bodies = new Set<string>();
      for (let probe = 1; probe <= 30; probe++) {
        if (probe === id) continue;
        const r = await as(app, observer, { url: `/api/coalitions/${probe}/aggregates` });
        assert.equal(r.statusCode, 404);
        bodies.add(r.body);
      }
      assert.equal(bodies.size, 1, "the refusal differs between ids that exist and ids that do not");
      // Another union's officer sees none of it.
      for (const url of [
        `/api/coalitions/${id}`,
        `/api/coalitions/${id}/aggregates`,
        `/api/coalitions/${id}/employers`,
      ]) {
        assert.equal((await as(app, outsider, { url })).statusCode, 404, url);
      }
      // The observer cannot walk employers or workplaces by id, and releases name no workplace.
      for (const url of [`/api/employers/${f.employers.camden}`, `/api/workplaces/${f.workplaces.lgi}`]) {
        const r = await as(app, observer, { url });
        assert.ok([403, 404].includes(r.statusCode), `${url}: ${r.statusCode}`);
        assert.doesNotMatch(r.body, /Camden|Infirmary/);
      }
      const body = JSON.stringify(releases);
      assert.doesNotMatch(body, /Infirmary|St James|workplace|Privacy\d|P\d+"/);
    });
  });
}
