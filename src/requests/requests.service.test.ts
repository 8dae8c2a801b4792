import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { as, buildTestApp, signIn } from "../../test/helpers/app.js";
import { backends, createTestDb } from "../../test/helpers/db.js";
import { type Fixture, seedFixture } from "../../test/helpers/fixtures.js";
import type { Actor } from "../auth/index.js";
import type { Ctx } from "../context.js";
import type { OpenDatabase } from "../db/connect.js";
import type { App } from "../http/types.js";
import type { Clock } from "../shared/clock.js";
import { AppError } from "../shared/errors.js";
import {
  answerRequest,
  createDepartment,
  getRequest,
  listRequests,
  raiseRequest,
  requestsReport,
  setDepartmentMembers,
  setServiceLevels,
  triageRequest,
} from "./requests.service.js";

const refused = (code: string) => (e: unknown) => e instanceof AppError && e.code === code;
const HOUR = 3_600_000;

for (const { backend, skip } of await backends()) {
  describe(`requests for assistance on ${backend}`, { skip }, () => {
    let open: OpenDatabase;
    let f: Fixture;
    let legal: number;
    let comms: number;
    // Tuesday 1 December 2026, 09:00; tests move it on.
    let now = new Date("2026-12-01T09:00:00Z").getTime();
    const clock: Clock = { now: () => new Date(now) };
    const ctx = (actor: Actor): Ctx => ({ db: open.db, actor, clock });
    /** A legal officer: a national sector officer who is a member of the legal department. */
    let lawyer: Actor;

    before(async () => {
      open = await createTestDb(backend);
      f = await seedFixture(open.db);
      const national = ctx(f.actors.national);
      legal = (await createDepartment(national, { code: "legal", name: "Legal" })).id;
      comms = (await createDepartment(national, { code: "communications", name: "Communications" })).id;
      await setDepartmentMembers(national, legal, { userIds: [f.users.sector.id] });
      lawyer = f.actors.sector;
    });
    after(async () => {
      await open?.close();
    });

    test("only national officers configure departments; members must be users of the union", async () => {
      await assert.rejects(
        createDepartment(ctx(f.actors.regional), { code: "finance", name: "Finance" }),
        refused("auth.forbidden"),
      );
      await assert.rejects(
        createDepartment(ctx(f.actors.national), { code: "legal", name: "Legal again" }),
        refused("request.conflict"),
      );
      await assert.rejects(
        setDepartmentMembers(ctx(f.actors.national), legal, { userIds: [f.users.partnerNational.id] }),
        refused("request.invalid_reference"),
      );
    });

    test("a regional officer raises a request for their region; legal triages and answers; the requester sees it", async () => {
      const regional = ctx(f.actors.regional);
      const raised = await raiseRequest(regional, {
        departmentId: legal,
        title: "Is the notice of ballot right?",
        body: "The employer disputes the workplace list.",
        urgency: "high",
        regionId: null,
        sectorId: null,
      });
      assert.equal(raised.region?.id, f.regions.yorkshire);
      assert.equal(raised.status, "new");
      assert.equal(raised.dueAt, "2026-12-02T09:00:00.000Z", "one working day");
      assert.equal(raised.serviceLevel, "waiting");
      assert.equal(raised.canAnswer, false);
      await assert.rejects(
        raiseRequest(regional, {
          departmentId: legal,
          title: "x",
          body: "x",
          urgency: "low",
          regionId: f.regions.london,
          sectorId: null,
        }),
        refused("requests.no_origin"),
      );

      now += 2 * HOUR;
      // The communications department's members (none) and a regional officer cannot answer it.
      await assert.rejects(
        answerRequest(regional, raised.id, { body: "x", resolve: false }),
        refused("requests.not_department_member"),
      );
      const triaged = await triageRequest(ctx(lawyer), raised.id, {
        ownerUserId: f.users.sector.id,
        urgency: "critical",
      });
      assert.equal(triaged.status, "triaged");
      assert.equal(triaged.owner?.id, f.users.sector.id);
      assert.equal(triaged.dueAt, "2026-12-01T13:00:00.000Z", "critical: four hours from when it was raised");
      now += HOUR;
      const answered = await answerRequest(ctx(lawyer), raised.id, {
        body: "Yes, it is right.",
        resolve: false,
      });
      assert.equal(answered.status, "answered");
      assert.equal(answered.serviceLevel, "met");
      now += 24 * HOUR;
      await answerRequest(ctx(lawyer), raised.id, { body: "Settled.", resolve: true });
      const seen = await getRequest(regional, raised.id);
      assert.equal(seen.status, "resolved");
      assert.equal(seen.firstAnsweredAt, "2026-12-01T12:00:00.000Z");
      assert.deepEqual(
        seen.answers.map((a) => a.body),
        ["Yes, it is right.", "Settled."],
      );
      await assert.rejects(
        answerRequest(ctx(lawyer), raised.id, { body: "x", resolve: false }),
        refused("requests.resolved"),
      );
      const events = await open.db
        .selectFrom("audit_log")
        .select("event")
        .where("subject_type", "=", "assistance_request")
        .where("subject_id", "=", String(raised.id))
        .orderBy("seq")
        .execute();
      assert.deepEqual(
        events.map((e) => e.event),
        ["request.raised", "request.triaged", "request.answered", "request.answered"],
      );
    });

    test("another region's officer, a rep elsewhere and an observer do not see it; a rep sees their own", async () => {
      const london: Actor = {
        ...f.actors.regional,
        userId: f.users.national.id + 1000,
        regionIds: [f.regions.london],
      };
      assert.deepEqual((await listRequests(ctx(london))).requests, []);
      const [theirs] = (await listRequests(ctx(f.actors.regional))).requests;
      await assert.rejects(getRequest(ctx(london), theirs!.id), refused("requests.not_found"));
      await assert.rejects(getRequest(ctx(f.actors.rep), theirs!.id), refused("requests.not_found"));
      await assert.rejects(listRequests(ctx(f.actors.observer)), refused("auth.forbidden"));
      await assert.rejects(
        getRequest(ctx(f.actors.partnerNational), theirs!.id),
        refused("requests.not_found"),
      );
      const mine = await raiseRequest(ctx(f.actors.rep), {
        departmentId: comms,
        title: "Leaflets for St James's",
        body: "200 please.",
        urgency: "normal",
        regionId: null,
        sectorId: null,
      });
      assert.equal(mine.region?.id, f.regions.yorkshire, "the region of the rep's workplace");
      assert.deepEqual(
        (await listRequests(ctx(f.actors.rep))).requests.map((r) => r.id),
        [mine.id],
      );
      // The Yorkshire officer sees their region's requests, the rep's too.
      assert.equal((await listRequests(ctx(f.actors.regional))).requests.length, 2);
    });

    test("a missed service level is escalated once, by the system, when anyone next reads", async () => {
      await setServiceLevels(ctx(f.actors.national), {
        levels: [{ urgency: "critical", amount: 2, unit: "hours" }],
      });
      const raised = await raiseRequest(ctx(f.actors.regional), {
        departmentId: comms,
        title: "Press release tonight",
        body: "The employer has briefed the press.",
        urgency: "critical",
        regionId: null,
        sectorId: null,
      });
      assert.equal(new Date(raised.dueAt).getTime() - new Date(raised.raisedAt).getTime(), 2 * HOUR);
      now += 3 * HOUR;
      const [a, b] = await Promise.all([
        listRequests(ctx(f.actors.rep)),
        listRequests(ctx(f.actors.national)),
      ]);
      assert.ok(a && b);
      const escalated = await listRequests(ctx(f.actors.national), { escalated: true });
      assert.ok(escalated.requests.some((r) => r.id === raised.id && r.serviceLevel === "missed"));
      await listRequests(ctx(f.actors.national));
      const rows = await open.db
        .selectFrom("audit_log")
        .select(["event", "actor_user_id", "actor_label"])
        .where("event", "=", "request.escalated")
        .where("subject_id", "=", String(raised.id))
        .execute();
      assert.deepEqual(rows, [
        { event: "request.escalated", actor_user_id: null, actor_label: "system:service-level" },
      ]);
      // The national officer (the disputes unit) may answer any department's request.
      const answered = await answerRequest(ctx(f.actors.national), raised.id, {
        body: "Drafted.",
        resolve: true,
      });
      assert.equal(answered.serviceLevel, "missed");
    });

    test("reports: time to first answer and to resolution by department, median and 90th percentile", async () => {
      await assert.rejects(requestsReport(ctx(f.actors.regional)), refused("auth.forbidden"));
      const report = await requestsReport(ctx(f.actors.national));
      const legalRow = report.departments.find((d) => d.id === legal)!;
      assert.equal(legalRow.raised, 1);
      assert.deepEqual(legalRow.firstAnswerHours, { median: 3, p90: 3, count: 1 });
      assert.deepEqual(legalRow.resolutionHours, { median: 27, p90: 27, count: 1 });
      const commsRow = report.departments.find((d) => d.id === comms)!;
      assert.equal(commsRow.raised, 2);
      assert.equal(commsRow.open, 1);
      assert.equal(commsRow.serviceLevelMissed, 1);
    });

    test("over HTTP: bad input is a 400 and changes nothing; an unknown department is a 404", async () => {
      const app: App = await buildTestApp(open, null, clock);
      try {
        const regional = await signIn(app, f.users.regional.email);
        const before = await open.db
          .selectFrom("assistance_requests")
          .select(({ fn }) => fn.countAll().as("n"))
          .executeTakeFirstOrThrow();
        const bad = await as(app, regional, {
          method: "POST",
          url: "/api/requests",
          payload: { departmentId: legal, title: "x", body: "", urgency: "urgent" },
        });
        assert.equal(bad.statusCode, 400);
        assert.equal(bad.json().error.code, "request.invalid");
        const unknown = await as(app, regional, {
          method: "POST",
          url: "/api/requests",
          payload: { departmentId: 999_999, title: "x", body: "y", urgency: "low" },
        });
        assert.equal(unknown.statusCode, 404);
        assert.equal(unknown.json().error.code, "requests.no_department");
        const afterCount = await open.db
          .selectFrom("assistance_requests")
          .select(({ fn }) => fn.countAll().as("n"))
          .executeTakeFirstOrThrow();
        assert.equal(Number(afterCount.n), Number(before.n));
        const national = await signIn(app, f.users.national.email);
        const badDate = await as(app, national, { url: "/api/requests/report?from=2026-13-45" });
        assert.equal(badDate.statusCode, 400);
        const observer = await signIn(app, f.users.observer.email);
        assert.equal((await as(app, observer, { url: "/api/requests" })).statusCode, 403);
      } finally {
        await app.close();
      }
    });
  });
}
