import assert from "node:assert/strict";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import { seedTwoUnions } from "../../test/fixtures/coalition.js";
import { as, buildTestApp, type Session, signIn } from "../../test/helpers/app.js";
import { backends, createTestDb } from "../../test/helpers/db.js";
import { CLOCK, type Fixture, seedFixture } from "../../test/helpers/fixtures.js";
import type { Ctx } from "../context.js";
import type { OpenDatabase } from "../db/connect.js";
import type { App } from "../http/types.js";
import { coalitionPublishJob } from "./coalition.job.js";
import type { CoalitionReport } from "./coalition.model.js";
import { generateSigningKeys, signReport } from "./signing.js";

/** A union's figures on the day board for a day, straight into the board's aggregate (the reports' own path is the action tests'). */
async function boardFigures(
  open: OpenDatabase,
  unionId: number,
  day: string,
  rows: { out: number; picket?: boolean; exempt?: number; incidents?: number }[],
): Promise<void> {
  const employer = await open.db
    .selectFrom("employers")
    .select("id")
    .where("union_id", "=", unionId)
    .orderBy("id")
    .executeTakeFirstOrThrow();
  for (const [i, r] of rows.entries()) {
    const w = await open.db
      .insertInto("workplaces")
      .values({
        union_id: unionId,
        employer_id: employer.id,
        name: `Board site ${day} ${i}`,
        postcode: "LS1 3EX",
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await open.db
      .insertInto("action_board_workplaces")
      .values({
        union_id: unionId,
        day,
        workplace_id: w.id,
        out_count: r.out,
        exempt_count: r.exempt ?? null,
        picket_up: r.picket ?? false,
        reports: 1,
        incidents: r.incidents ?? 0,
        open_incidents: r.incidents ?? 0,
      })
      .execute();
  }
}

for (const { backend, skip } of await backends()) {
  describe(`coalition of two unions on one installation (${backend})`, { skip }, () => {
    let open: OpenDatabase;
    let app: App;
    let f: Fixture;
    let ballots: Awaited<ReturnType<typeof seedTwoUnions>>;
    const s = {} as Record<"national" | "partner" | "regional" | "observer" | "rep", Session>;
    let id: number;

    before(async () => {
      open = await createTestDb(backend);
      f = await seedFixture(open.db);
      ballots = await seedTwoUnions(open, f);
      app = await buildTestApp(open);
      s.national = await signIn(app, f.users.national.email);
      s.partner = await signIn(app, f.users.partnerNational.email);
      s.regional = await signIn(app, f.users.regional.email);
      s.observer = await signIn(app, f.users.observer.email);
      s.rep = await signIn(app, f.users.rep.email);
    });
    after(async () => {
      await app?.close();
      await open?.close();
    });

    test("the coordinator sets up the coalition; the partner union agrees from its own account", async () => {
      const created = await as(app, s.national, {
        method: "POST",
        url: "/api/coalitions",
        payload: { name: "NHS pay coalition", key: "hpsu", daysOfAction: ["2027-01-12"] },
      });
      assert.equal(created.statusCode, 201, created.body);
      id = created.json().id;
      const added = await as(app, s.national, {
        method: "POST",
        url: `/api/coalitions/${id}/members`,
        payload: { key: "partner", name: "Partner Union", unionSlug: "partner", brandColour: "#aa3300" },
      });
      assert.equal(added.statusCode, 200, added.body);
      assert.equal(added.json().members[1].state, "invited");
      // Before it agrees, the partner sees the invitation, not the shared data.
      const early = await as(app, s.partner, { url: `/api/coalitions/${id}/aggregates` });
      assert.equal(early.statusCode, 404);
      assert.equal(early.json().error.code, "coalition.not_found");
      const agreed = await as(app, s.partner, { method: "POST", url: `/api/coalitions/${id}/agree` });
      assert.equal(agreed.statusCode, 200, agreed.body);
      const member = agreed.json().members.find((m: { key: string }) => m.key === "partner");
      assert.equal(member.state, "agreed");
      assert.equal(member.agreedBy, f.users.partnerNational.email);
      // The agreement is in both unions' audit logs.
      const rows = await open.db
        .selectFrom("audit_log")
        .select(["union_id"])
        .where("event", "=", "coalition.member_agreed")
        .execute();
      assert.deepEqual(rows.map((r) => r.union_id).sort(), [f.unionId, f.partnerUnionId].sort());
      const twice = await as(app, s.partner, { method: "POST", url: `/api/coalitions/${id}/agree` });
      assert.equal(twice.json().error.code, "coalition.wrong_state");
    });

    test("each union links only its own ballots", async () => {
      const stolen = await as(app, s.partner, {
        method: "PUT",
        url: `/api/coalitions/${id}/ballots`,
        payload: { ballotIds: [ballots.hpsuBallot] },
      });
      assert.equal(stolen.statusCode, 404);
      for (const [who, ballotId] of [
        ["national", ballots.hpsuBallot],
        ["partner", ballots.partnerBallot],
      ] as const) {
        const r = await as(app, s[who], {
          method: "PUT",
          url: `/api/coalitions/${id}/ballots`,
          payload: { ballotIds: [ballotId] },
        });
        assert.equal(r.statusCode, 200, r.body);
        assert.deepEqual(r.json().ballotIds, [ballotId]);
      }
    });

    test("both publish; the coordinator sees two unions' aggregates, the joint employer view and a conflict", async () => {
      for (const who of ["national", "partner"] as const) {
        const r = await as(app, s[who], { method: "POST", url: `/api/coalitions/${id}/publish` });
        assert.equal(r.statusCode, 200, r.body);
        assert.equal(r.json().delivered, "here");
      }
      const agg = (await as(app, s.national, { url: `/api/coalitions/${id}/aggregates` })).json();
      assert.deepEqual(agg.map((u: { union: string }) => u.union).sort(), ["hpsu", "partner"]);
      for (const u of agg) {
        for (const b of ["employer", "sector", "region"]) {
          for (const c of u.release.breakdowns[b]) {
            if (c.entitled !== null) assert.ok(c.entitled >= 10 && c.entitled % 5 === 0, JSON.stringify(c));
            if (c.returned !== null) assert.ok(c.returned >= 10 && c.returned % 5 === 0, JSON.stringify(c));
          }
        }
      }
      // HPSU's 5 returned papers are suppressed; its entitled (17) is published, rounded.
      const hpsu = agg.find((u: { union: string }) => u.union === "hpsu");
      const leeds = hpsu.release.breakdowns.employer.find((c: { key: string }) => c.key === "RR8");
      assert.equal(leeds.returned, null);
      assert.ok([15, 20].includes(leeds.entitled), `${leeds.entitled}`);
      // No member's name, number or id anywhere in what the coalition gets.
      const body = JSON.stringify(agg);
      assert.doesNotMatch(body, /Member\d|C\d{1,3}"|Ahmed|memberId|member_id/);

      const employers = (await as(app, s.national, { url: `/api/coalitions/${id}/employers` })).json();
      assert.equal(employers.length, 1);
      assert.equal(employers[0].key, "RR8");
      assert.deepEqual(
        employers[0].unions.map((u: { union: string; brandColour: string | null }) => [
          u.union,
          u.brandColour,
        ]),
        [
          ["hpsu", null],
          ["partner", "#aa3300"],
        ],
      );

      const tt = (await as(app, s.national, { url: `/api/coalitions/${id}/timetable` })).json();
      assert.equal(tt.ballots.length, 2);
      assert.deepEqual(
        tt.conflicts.map((c: { union: string; kind: string }) => [c.union, c.kind]),
        [["hpsu", "closes_too_late"]],
      );
      assert.match(tt.conflicts[0].citation, /s\.234A/);
    });

    test("roles: an observer reads; a regional officer, a rep and a union outside the coalition are refused", async () => {
      assert.equal((await as(app, s.observer, { url: `/api/coalitions/${id}/aggregates` })).statusCode, 200);
      const regional = await as(app, s.regional, { url: `/api/coalitions/${id}/aggregates` });
      assert.equal(regional.statusCode, 403);
      assert.equal((await as(app, s.rep, { url: "/api/coalitions" })).statusCode, 403);
      const observerWrite = await as(app, s.observer, {
        method: "POST",
        url: `/api/coalitions/${id}/publish`,
      });
      assert.equal(observerWrite.statusCode, 403);
      // A coalition the partner is not in does not exist for it, whatever its id.
      const other = await as(app, s.national, {
        method: "POST",
        url: "/api/coalitions",
        payload: { name: "Other", key: "hpsu" },
      });
      for (const url of [
        `/api/coalitions/${other.json().id}`,
        `/api/coalitions/${other.json().id}/aggregates`,
        "/api/coalitions/999999/timetable",
      ]) {
        const r = await as(app, s.partner, { url });
        assert.equal(r.statusCode, 404, url);
        assert.equal(r.json().error.code, "coalition.not_found");
      }
      const list = (await as(app, s.partner, { url: "/api/coalitions" })).json();
      assert.deepEqual(
        list.map((c: { id: number }) => c.id),
        [id],
      );
    });

    test("a partner organisation balloted inside another union's ballot sees its own aggregates only, with its branding", async () => {
      // The partner's members enter HPSU's ballot only with an accepted agreement; here we check the view rule.
      await open.db
        .updateTable("coalition_members")
        .set({ partner_of: "hpsu" })
        .where("coalition_id", "=", id)
        .where("key", "=", "partner")
        .execute();
      const agg = (await as(app, s.partner, { url: `/api/coalitions/${id}/aggregates` })).json();
      assert.deepEqual(
        agg.map((u: { union: string; brandColour: string }) => [u.union, u.brandColour]),
        [["partner", "#aa3300"]],
      );
      assert.equal((await as(app, s.partner, { url: `/api/coalitions/${id}/employers` })).json().length, 0);
      await open.db
        .updateTable("coalition_members")
        .set({ partner_of: null })
        .where("coalition_id", "=", id)
        .where("key", "=", "partner")
        .execute();
    });

    test("on a day of action each union's board shows the other unions' totals, counts only, to national readers", async () => {
      await boardFigures(open, f.partnerUnionId, "2027-01-12", [
        { out: 30, picket: true, exempt: 2 },
        { out: 12, incidents: 1 },
      ]);
      await boardFigures(open, f.unionId, "2027-01-12", [{ out: 7, picket: true }]);
      // A day that is not one of the coalition's: nothing is shared for it.
      await boardFigures(open, f.partnerUnionId, "2027-01-13", [{ out: 99 }]);

      const seen = await as(app, s.national, { url: "/api/coalitions/day/2027-01-12" });
      assert.equal(seen.statusCode, 200, seen.body);
      assert.deepEqual(seen.json(), [
        {
          coalitionId: id,
          coalition: "NHS pay coalition",
          union: "partner",
          name: "Partner Union",
          brandColour: "#aa3300",
          source: "here",
          at: CLOCK.now().toISOString(),
          totals: {
            workplaces: 2,
            picketUp: 1,
            out: 42,
            atWork: 0,
            exempt: 2,
            coverInPlace: 1,
            openIncidents: 1,
          },
        },
      ]);
      assert.doesNotMatch(seen.body, /Board site|LS1|"id"|member/i);
      const other = (await as(app, s.partner, { url: "/api/coalitions/day/2027-01-12" })).json();
      assert.deepEqual(
        other.map((u: { union: string; totals: { out: number } }) => [u.union, u.totals.out]),
        [["hpsu", 7]],
      );
      assert.deepEqual((await as(app, s.national, { url: "/api/coalitions/day/2027-01-13" })).json(), []);
      assert.equal((await as(app, s.observer, { url: "/api/coalitions/day/2027-01-12" })).statusCode, 200);
      for (const who of ["regional", "rep"] as const) {
        const r = await as(app, s[who], { url: "/api/coalitions/day/2027-01-12" });
        assert.equal(r.statusCode, 403, who);
      }
      assert.equal((await as(app, s.national, { url: "/api/coalitions/day/12-01-2027" })).statusCode, 400);
      // A partner organisation balloted inside another union's ballot sees no other union's figures.
      await open.db
        .updateTable("coalition_members")
        .set({ partner_of: "hpsu" })
        .where("coalition_id", "=", id)
        .where("key", "=", "partner")
        .execute();
      assert.deepEqual((await as(app, s.partner, { url: "/api/coalitions/day/2027-01-12" })).json(), []);
      await open.db
        .updateTable("coalition_members")
        .set({ partner_of: null })
        .where("coalition_id", "=", id)
        .where("key", "=", "partner")
        .execute();
    });

    test("the daily publication is a job: it publishes and queues the next day's run", async () => {
      const on = await as(app, s.national, {
        method: "PATCH",
        url: `/api/coalitions/${id}`,
        payload: { publishDaily: true },
      });
      assert.equal(on.statusCode, 200, on.body);
      assert.equal(on.json().publishDaily, true);
      const queued = await open.db
        .selectFrom("jobs")
        .select(["id", "run_after", "dedupe_key"])
        .where("kind", "=", "coalition_publish")
        .execute();
      assert.equal(queued.length, 1);
      assert.equal(queued[0]!.run_after.toISOString(), "2026-11-21T06:00:00.000Z");
      const ctx: Ctx = { db: open.db, actor: f.actors.national, clock: CLOCK };
      const before = (await as(app, s.national, { url: `/api/coalitions/${id}` })).json().members[0]
        .lastSequence;
      const result = (await coalitionPublishJob().run({ payload: { coalitionId: id }, ctx } as never)) as {
        sequence: number;
      };
      assert.equal(result.sequence, before + 1);
      const trigger = await open.db
        .selectFrom("coalition_reports")
        .select("trigger")
        .where("sequence", "=", result.sequence)
        .where("coalition_id", "=", id)
        .executeTakeFirstOrThrow();
      assert.equal(trigger.trigger, "schedule");
    });
  });

  describe(`coalition across two installations (${backend})`, { skip }, () => {
    let coordinatorDb: OpenDatabase;
    let memberDb: OpenDatabase;
    let coordinator: App;
    let member: App;
    let url: string;
    let fa: Fixture;
    let fb: Fixture;
    let sa: Session;
    let sb: Session;
    let coalitionId: number;
    let remoteId: number;

    before(async () => {
      coordinatorDb = await createTestDb(backend);
      memberDb = await createTestDb(backend);
      fa = await seedFixture(coordinatorDb.db);
      fb = await seedFixture(memberDb.db);
      await seedTwoUnions(memberDb, fb);
      coordinator = await buildTestApp(coordinatorDb);
      member = await buildTestApp(memberDb);
      await coordinator.listen({ port: 0, host: "127.0.0.1" });
      url = `http://127.0.0.1:${(coordinator.server.address() as AddressInfo).port}`;
      sa = await signIn(coordinator, fa.users.national.email);
      sb = await signIn(member, fb.users.national.email);
    });
    after(async () => {
      await member?.close();
      await coordinator?.close();
      await memberDb?.close();
      await coordinatorDb?.close();
    });

    test("the member agrees on its installation; the coordinator registers its key; a signed report is accepted", async () => {
      coalitionId = (
        await as(coordinator, sa, {
          method: "POST",
          url: "/api/coalitions",
          payload: { name: "Joint day", key: "hpsu", daysOfAction: ["2027-01-20"] },
        })
      ).json().id;
      const joined = await as(member, sb, {
        method: "POST",
        url: "/api/coalitions/join",
        payload: {
          name: "Joint day",
          coordinatorName: "HPSU",
          coordinatorUrl: url,
          remoteCoalitionId: coalitionId,
          key: "nurses",
        },
      });
      assert.equal(joined.statusCode, 201, joined.body);
      remoteId = joined.json().id;
      const publicKey = joined.json().publicKey;
      // Not yet registered: the coordinator refuses the report.
      const early = await as(member, sb, {
        method: "PUT",
        url: `/api/coalitions/${remoteId}/ballots`,
        payload: { ballotIds: [] },
      });
      assert.equal(early.statusCode, 200);
      const refused = await as(member, sb, { method: "POST", url: `/api/coalitions/${remoteId}/publish` });
      assert.equal(refused.statusCode, 502);
      assert.match(refused.json().error.message, /coalition\.not_member/);
      const registered = await as(coordinator, sa, {
        method: "POST",
        url: `/api/coalitions/${coalitionId}/members`,
        payload: {
          key: "nurses",
          name: "Nurses' Union",
          publicKey,
          agreedBy: "R. Singh, General Secretary, letter of 18 Nov 2026",
        },
      });
      assert.equal(registered.statusCode, 200, registered.body);
      const ballotIds = (
        await memberDb.db.selectFrom("ballots").select("id").where("union_id", "=", fb.unionId).execute()
      ).map((b) => b.id);
      await as(member, sb, {
        method: "PUT",
        url: `/api/coalitions/${remoteId}/ballots`,
        payload: { ballotIds },
      });
      const sent = await as(member, sb, { method: "POST", url: `/api/coalitions/${remoteId}/publish` });
      assert.equal(sent.statusCode, 200, sent.body);
      assert.equal(sent.json().delivered, "sent");
      const agg = (await as(coordinator, sa, { url: `/api/coalitions/${coalitionId}/aggregates` })).json();
      assert.deepEqual(
        agg.map((u: { union: string }) => u.union),
        ["nurses"],
      );
      assert.equal(agg[0].sequence, sent.json().sequence);
      const tt = (await as(coordinator, sa, { url: `/api/coalitions/${coalitionId}/timetable` })).json();
      const nurses = tt.unions.find((u: { key: string }) => u.key === "nurses");
      assert.equal(nurses.source, "report");
      assert.equal(tt.ballots.filter((b: { union: string }) => b.union === "nurses").length, 1);
      // What crossed is counts and dates: the stored payload has no member.
      const stored = await coordinatorDb.db
        .selectFrom("coalition_reports")
        .select("payload")
        .executeTakeFirstOrThrow();
      assert.doesNotMatch(JSON.stringify(stored.payload), /Member\d|Ahmed|membership|member_id/);
    });

    test("a member elsewhere sends its day-of-action totals in its report; the coordinator's board shows them", async () => {
      const days = await as(coordinator, sa, {
        method: "PATCH",
        url: `/api/coalitions/${coalitionId}`,
        payload: { daysOfAction: ["2026-11-18", "2027-01-20"] },
      });
      assert.equal(days.statusCode, 200, days.body);
      // Nothing shared yet for the day: the member is listed with no figures.
      const before = (await as(coordinator, sa, { url: "/api/coalitions/day/2026-11-18" })).json();
      assert.deepEqual(
        before.map((u: { union: string; source: string; totals: unknown }) => [u.union, u.source, u.totals]),
        [["nurses", "none", null]],
      );
      await boardFigures(memberDb, fb.unionId, "2026-11-18", [{ out: 25, picket: true }, { out: 5 }]);
      // Older than a month before the report: not sent.
      await boardFigures(memberDb, fb.unionId, "2026-10-01", [{ out: 3 }]);
      const sent = await as(member, sb, { method: "POST", url: `/api/coalitions/${remoteId}/publish` });
      assert.equal(sent.statusCode, 200, sent.body);
      const stored = await coordinatorDb.db
        .selectFrom("coalition_reports")
        .select("payload")
        .where("sequence", "=", sent.json().sequence)
        .executeTakeFirstOrThrow();
      assert.deepEqual(
        (stored.payload as CoalitionReport).action?.map((d) => [d.day, d.out]),
        [["2026-11-18", 30]],
      );
      const after = (await as(coordinator, sa, { url: "/api/coalitions/day/2026-11-18" })).json();
      assert.equal(after.length, 1, JSON.stringify(after));
      assert.equal(after[0].source, "report");
      assert.deepEqual(after[0].totals, {
        workplaces: 2,
        picketUp: 1,
        out: 30,
        atWork: 0,
        exempt: 0,
        coverInPlace: 0,
        openIncidents: 0,
      });
    });

    test("replayed, tampered, stale and unknown senders' reports are refused and audited", async () => {
      const storedReports = async () =>
        (await coordinatorDb.db.selectFrom("coalition_reports").select("id").execute()).length;
      const accepted = await storedReports();
      const keys = generateSigningKeys();
      const report: CoalitionReport = {
        version: 1,
        coalitionId,
        union: "nurses",
        sequence: 1,
        asOf: "2026-11-20",
        issuedAt: CLOCK.now().toISOString(),
        timetable: [],
        release: {
          breakdowns: { employer: [], sector: [], region: [] },
          totals: {
            employer: { entitled: 0, returned: 0, turnout: null, suppressedCells: 0 },
            sector: { entitled: 0, returned: 0, turnout: null, suppressedCells: 0 },
            region: { entitled: 0, returned: 0, turnout: null, suppressedCells: 0 },
          },
        },
      };
      const post = (payload: unknown) =>
        coordinator.inject({ method: "POST", url: "/api/coalition-reports", payload: payload as object });
      // Signed with a key that is not the one registered.
      const forged = await post(signReport({ ...report, sequence: 99 }, keys.privateKey));
      assert.equal(forged.statusCode, 401);
      assert.equal(forged.json().error.code, "coalition.bad_signature");
      // A genuine report replayed: take the one the member sent, post it again.
      const stored = await coordinatorDb.db
        .selectFrom("coalition_reports")
        .select(["payload", "signature"])
        .executeTakeFirstOrThrow();
      const replay = await post({ report: stored.payload, signature: stored.signature });
      assert.equal(replay.statusCode, 409);
      assert.equal(replay.json().error.code, "coalition.replayed");
      // Tampered: a figure changed after signing.
      const tampered = structuredClone(stored.payload) as CoalitionReport;
      tampered.sequence += 10;
      const bad = await post({ report: tampered, signature: stored.signature });
      assert.equal(bad.json().error.code, "coalition.bad_signature");
      // Unknown union and unknown coalition.
      const stranger = await post(signReport({ ...report, union: "stranger" }, keys.privateKey));
      assert.equal(stranger.statusCode, 403);
      const nowhere = await post(signReport({ ...report, coalitionId: 999_999 }, keys.privateKey));
      assert.equal(nowhere.json().error.code, "coalition.not_member");
      // Stale: the member's own key, but issued three days ago.
      const priv = (
        await memberDb.db
          .selectFrom("coalitions")
          .select("signing_private_key")
          .where("id", "=", remoteId)
          .executeTakeFirstOrThrow()
      ).signing_private_key!;
      const old = await post(
        signReport(
          {
            ...report,
            sequence: 50,
            issuedAt: new Date(CLOCK.now().getTime() - 3 * 86_400_000).toISOString(),
          },
          priv,
        ),
      );
      assert.equal(old.json().error.code, "coalition.stale");
      // Not JSON of the report's shape: 400, nothing stored.
      assert.equal((await post({ report: { coalitionId }, signature: "x" })).statusCode, 400);
      const refusals = await coordinatorDb.db
        .selectFrom("audit_log")
        .select("outcome")
        .where("event", "=", "coalition.report_refused")
        .execute();
      assert.ok(refusals.length >= 4);
      assert.equal(await storedReports(), accepted);
    });
  });
}
