import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { as, buildTestApp, type Session, signIn, waitForJob } from "../../test/helpers/app.js";
import { backends, createTestDb } from "../../test/helpers/db.js";
import { type Fixture, seedFixture } from "../../test/helpers/fixtures.js";
import type { OpenDatabase } from "../db/connect.js";
import type { App } from "../http/types.js";

/** The ballot routes over HTTP: status codes, error codes and who may call them. */
for (const { backend, skip } of await backends()) {
  describe(`ballot routes on ${backend}`, { skip }, () => {
    let open: OpenDatabase;
    let app: App;
    let f: Fixture;
    const s: Record<string, Session> = {};
    let ballotId: number;

    before(async () => {
      open = await createTestDb(backend);
      f = await seedFixture(open.db);
      app = await buildTestApp(open);
      for (const [role, user] of Object.entries(f.users)) s[role] = await signIn(app, user.email);
    });
    after(async () => {
      await app?.close();
      await open?.close();
    });

    test("the OpenAPI document lists the ballot and law routes", async () => {
      const doc = (await app.inject({ url: "/api/openapi.json" })).json();
      for (const path of [
        "/api/disputes",
        "/api/ballots/{id}/preflight",
        "/api/ballots/{id}/documents/jobs",
        "/api/law/evaluate",
      ]) {
        assert.ok(doc.paths[path], path);
      }
    });

    test("a national officer sets up a dispute and a ballot; a rep is refused", async () => {
      const payload = {
        title: "Pay 2026",
        employerIds: [f.employers.leedsTrust, f.employers.camden],
      };
      assert.equal(
        (await as(app, s.rep!, { method: "POST", url: "/api/disputes", payload })).statusCode,
        403,
      );
      const d = await as(app, s.national!, { method: "POST", url: "/api/disputes", payload });
      assert.equal(d.statusCode, 201, d.body);
      const b = await as(app, s.national!, {
        method: "POST",
        url: `/api/disputes/${d.json().id}/ballots`,
        payload: {
          name: "Leeds and Camden",
          kind: "aggregated",
          aggregationTest: "employer",
          questions: ["strike"],
          openingDate: "2026-12-07",
          closingDate: "2027-01-04",
          returnAddress: "Freepost",
          authorisedPerson: "The General Secretary",
          scope: [{ employerId: f.employers.leedsTrust }, { employerId: f.employers.camden }],
        },
      });
      assert.equal(b.statusCode, 201, b.body);
      ballotId = b.json().id;
      assert.equal(b.json().regime, "C");
      assert.ok(b.json().legalReview.some((r: { rule: string }) => r.rule === "dismissal_statement"));
    });

    test("reminders: the deadlines of the next fortnight and notices not yet received", async () => {
      const res = await as(app, s.regional!, { url: "/api/ballots/reminders" });
      assert.equal(res.statusCode, 200);
      // Fixture day 20 November 2026; the notice of ballot is due by 30 November.
      assert.ok(
        res
          .json()
          .some(
            (r: { ballotId: number; date: string; status: string }) =>
              r.ballotId === ballotId && r.date === "2026-11-30" && r.status === "upcoming",
          ),
      );
    });

    test("a partial update changes only what it names", async () => {
      const res = await as(app, s.national!, {
        method: "PATCH",
        url: `/api/ballots/${ballotId}`,
        payload: { closingDate: "2027-01-05" },
      });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.json().closingDate, "2027-01-05");
      assert.equal(res.json().aggregationTest, "employer");
      assert.equal(res.json().authorisedPerson, "The General Secretary");
      const audit = await open.db
        .selectFrom("audit_log")
        .select("details")
        .where("event", "=", "ballot.updated")
        .orderBy("seq", "desc")
        .executeTakeFirstOrThrow();
      assert.deepEqual((audit.details as { fields: string[] }).fields, ["closingDate"]);
    });

    test("a ballot that cannot be valid is refused with its code", async () => {
      const d = (await as(app, s.national!, { url: "/api/disputes" })).json()[0];
      const res = await as(app, s.national!, {
        method: "POST",
        url: `/api/disputes/${d.id}/ballots`,
        payload: {
          name: "Online",
          kind: "aggregated",
          aggregationTest: "employer",
          questions: ["strike"],
          votingMethod: "electronic",
          openingDate: "2026-12-07",
          closingDate: "2027-01-04",
          scope: [{ employerId: f.employers.camden }],
        },
      });
      assert.equal(res.statusCode, 422);
      assert.equal(res.json().error.code, "law.method_not_in_force");
    });

    test("notices are refused while pre-flight blocks, with the blocking checks", async () => {
      const queued = await as(app, s.national!, {
        method: "POST",
        url: `/api/ballots/${ballotId}/electorate/freeze`,
      });
      assert.equal(queued.statusCode, 202, queued.body);
      assert.equal(queued.json().kind, "electorate_freeze");
      const job = await waitForJob(app, s.national!, queued.json().id);
      assert.equal(job.state, "succeeded");
      assert.ok((job.result as { entitled: number }).entitled > 0);
      const pre = await as(app, s.national!, { url: `/api/ballots/${ballotId}/preflight` });
      assert.equal(pre.json().blocking, true);
      const res = await as(app, s.national!, {
        method: "POST",
        url: `/api/ballots/${ballotId}/documents/jobs`,
        payload: { set: "notices" },
      });
      assert.equal(res.statusCode, 422);
      assert.equal(res.json().error.code, "ballots.preflight_blocked");
      assert.ok(
        res.json().error.details.checks.some((c: { code: string }) => c.code === "workplace.unknown"),
      );
    });

    test("reading: the observer sees totals, the scrutineer no names, the rep no pre-flight", async () => {
      const summary = await as(app, s.observer!, { url: `/api/ballots/${ballotId}/electorate/summary` });
      assert.equal(summary.statusCode, 200);
      assert.deepEqual(summary.json().byEmployer, []);
      assert.equal(
        (await as(app, s.scrutineer!, { url: `/api/ballots/${ballotId}/electorate` })).statusCode,
        403,
      );
      assert.equal((await as(app, s.rep!, { url: `/api/ballots/${ballotId}/preflight` })).statusCode, 403);
      assert.equal((await as(app, s.dpo!, { url: `/api/ballots/${ballotId}` })).statusCode, 403);
      assert.equal((await as(app, s.partnerNational!, { url: `/api/ballots/${ballotId}` })).statusCode, 404);
    });

    test("ballots follow the reader's row scope; scrutineers see only the ballots they are appointed to", async () => {
      const disputeId = (await as(app, s.national!, { url: `/api/ballots/${ballotId}` })).json().disputeId;
      const camdenOnly = await as(app, s.national!, {
        method: "POST",
        url: `/api/disputes/${disputeId}/ballots`,
        payload: {
          name: "Camden only",
          kind: "aggregated",
          aggregationTest: "employer",
          questions: ["strike"],
          openingDate: "2026-12-07",
          closingDate: "2027-01-04",
          scope: [{ employerId: f.employers.camden }],
        },
      });
      assert.equal(camdenOnly.statusCode, 201, camdenOnly.body);
      const camdenId = camdenOnly.json().id;
      const get = async (role: string, url: string) => as(app, s[role]!, { url });

      for (const role of ["rep", "regional", "sector"]) {
        // Leeds (Yorkshire, health, the rep's St James's) is theirs; Camden is not.
        assert.equal((await get(role, `/api/ballots/${ballotId}`)).statusCode, 200, role);
        assert.equal((await get(role, `/api/ballots/${camdenId}`)).statusCode, 404, role);
        assert.equal((await get(role, `/api/ballots/${camdenId}/timetable`)).statusCode, 404, role);
        assert.equal((await get(role, `/api/ballots/${camdenId}/documents`)).statusCode, 404, role);
        const listed = (await get(role, "/api/disputes"))
          .json()
          .flatMap((d: { ballots: { id: number }[] }) => d.ballots);
        assert.deepEqual(
          listed.map((b: { id: number }) => b.id),
          [ballotId],
          `${role} lists only the ballot they reach`,
        );
        const timetable = (await get(role, `/api/ballots/${ballotId}/timetable`)).json();
        assert.deepEqual(
          timetable.employers.map((e: { employerId: number }) => e.employerId),
          [f.employers.leedsTrust],
          `${role}: counts only for their employers`,
        );
        const summary = (await get(role, `/api/ballots/${ballotId}/electorate/summary`)).json();
        assert.deepEqual(
          summary.byEmployer.map((e: { employerId: number }) => e.employerId),
          [f.employers.leedsTrust],
        );
        const reminders = (await get(role, "/api/ballots/reminders")).json();
        assert.ok(!reminders.some((r: { ballotId: number }) => r.ballotId === camdenId), role);
      }
      // The rep's count is their workplace's, not the whole trust's: Davies at the LGI is lapsed,
      // so compare with the national officer's St James's count from the snapshot.
      const national = (await get("national", `/api/ballots/${ballotId}/timetable`)).json();
      assert.equal(national.employers.length, 2);
      const atStJames = await open.db
        .selectFrom("ballot_electorate")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("ballot_id", "=", ballotId)
        .where("included", "=", true)
        .where("workplace_id", "=", f.workplaces.stJames)
        .executeTakeFirstOrThrow();
      const rep = (await get("rep", `/api/ballots/${ballotId}/timetable`)).json();
      assert.equal(rep.employers[0].entitled, Number(atStJames.n));

      // The observer: totals only, no employer breakdown on the timetable either.
      const observer = (await get("observer", `/api/ballots/${ballotId}/timetable`)).json();
      assert.deepEqual(observer.employers, []);
      assert.ok(observer.deadlines.length > 0);

      // A scrutineer sees nothing until appointed, then that ballot only.
      assert.equal((await get("scrutineer", `/api/ballots/${ballotId}`)).statusCode, 404);
      assert.deepEqual((await get("scrutineer", "/api/disputes")).json(), []);
      const appoint = (session: Session, userId: number) =>
        as(app, session, {
          method: "POST",
          url: `/api/ballots/${ballotId}/scrutineers`,
          payload: { userId },
        });
      assert.equal((await appoint(s.rep!, f.users.scrutineer.id)).statusCode, 403);
      const notScrutineer = await appoint(s.national!, f.users.rep.id);
      assert.equal(notScrutineer.statusCode, 422);
      assert.equal(notScrutineer.json().error.code, "ballots.invalid");
      const appointed = await appoint(s.national!, f.users.scrutineer.id);
      assert.equal(appointed.statusCode, 200, appointed.body);
      assert.deepEqual(
        appointed.json().map((u: { userId: number }) => u.userId),
        [f.users.scrutineer.id],
      );
      assert.equal((await get("scrutineer", `/api/ballots/${ballotId}`)).statusCode, 200);
      assert.equal((await get("scrutineer", `/api/ballots/${camdenId}`)).statusCode, 404);
      assert.equal(
        (await get("scrutineer", `/api/ballots/${ballotId}/timetable`)).json().employers.length,
        2,
      );
    });

    test("partner agreements over HTTP: proposed by one union, decided by the other", async () => {
      const asked = await as(app, s.national!, {
        method: "POST",
        url: "/api/partner-agreements",
        payload: { partnerUnionId: f.partnerUnionId, ballotId, purpose: "Joint ballot" },
      });
      assert.equal(asked.statusCode, 201, asked.body);
      const id = asked.json().id;
      const both = await as(app, s.national!, {
        method: "POST",
        url: "/api/partner-agreements",
        payload: { partnerUnionId: f.partnerUnionId, ballotId, disputeId: 1 },
      });
      assert.equal(both.statusCode, 400, "a ballot or a dispute, not both");
      const partnerList = (await as(app, s.partnerNational!, { url: "/api/partner-agreements" })).json();
      assert.deepEqual(
        partnerList.map((a: { id: number; side: string }) => [a.id, a.side]),
        [[id, "partner"]],
      );
      assert.equal((await as(app, s.regional!, { url: "/api/partner-agreements" })).statusCode, 403);
      const decide = (session: Session, action: string) =>
        as(app, session, {
          method: "POST",
          url: `/api/partner-agreements/${id}/decision`,
          payload: { action },
        });
      const own = await decide(s.national!, "accept");
      assert.equal(own.statusCode, 409);
      assert.equal(own.json().error.code, "partner_agreements.wrong_state");
      const declined = await decide(s.partnerNational!, "decline");
      assert.equal(declined.statusCode, 200, declined.body);
      assert.equal(declined.json().state, "declined");
      assert.equal((await decide(s.partnerNational!, "accept")).statusCode, 409);
      assert.equal((await as(app, s.national!, { url: "/api/partner-agreements/999999" })).statusCode, 404);
    });

    test("a scrutineer's result file with problems is refused whole, naming line and field", async () => {
      // The scrutineer was appointed to this ballot above.
      const res = await as(app, s.scrutineer!, {
        method: "POST",
        url: `/api/ballots/${ballotId}/result/csv`,
        payload: {
          filename: "result.csv",
          csv: "question,votes_cast,yes,no\nstrike,10,many,3\n",
          declaredOn: "2027-01-04",
        },
      });
      assert.equal(res.statusCode, 422);
      assert.equal(res.json().error.code, "import.file_invalid");
      assert.match(res.json().error.message, /result\.csv:2: yes:/);
    });
  });
}
