import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { pdfText } from "../../test/fixtures/notices/pdf-text.js";
import { as, buildTestApp, type Session, signIn } from "../../test/helpers/app.js";
import { backends, createTestDb } from "../../test/helpers/db.js";
import {
  CLOCK,
  createDisputeBallots,
  type Fixture,
  seedFixture,
  systemActor,
} from "../../test/helpers/fixtures.js";
import type { Actor } from "../auth/index.js";
import type { Ctx } from "../context.js";
import type { OpenDatabase } from "../db/connect.js";
import type { App } from "../http/types.js";
import { AppError } from "../shared/errors.js";
import { planActionDay } from "./calendar.service.js";
import { addExemption, answerRequest, coverDay, recordCover } from "./cover.service.js";
import { dayBoard, forgetDayBoards } from "./dayboard.service.js";
import { addToRota, picketDay, recordLineNumbers, recordPoliceContact } from "./picket.service.js";
import { recordActionReport } from "./reports.service.js";

const refused = (code: string) => (e: unknown) => e instanceof AppError && e.code === code;

/**
 * Picket plans and essential-service cover over HTTP and through the services, on both back ends:
 * the supervisor as the law on the day requires it, the letter, the rota's refusals, cover, and scope.
 */
for (const { backend, skip } of await backends()) {
  describe(`picket plans and cover on ${backend}`, { skip }, () => {
    let open: OpenDatabase;
    let f: Fixture;
    let app: App;
    let disputeId: number;
    const s: Record<string, Session> = {};
    const ctx = (actor: Actor): Ctx => ({ db: open.db, actor, clock: CLOCK });
    const names: Record<number, string> = {};
    // The last day of the statutory supervisor (regime B), the first without (regime C), a day in 2027.
    const B_DAY = "2026-02-17";
    const C_DAY = "2026-02-18";
    let lineB: number;
    let planB: number;

    before(async () => {
      open = await createTestDb(backend);
      f = await seedFixture(open.db);
      const made = await createDisputeBallots(ctx(systemActor(f.unionId)), f, {
        ballots: [
          {
            key: "a",
            name: "St James's",
            employerId: f.employers.leedsTrust,
            workplaceId: f.workplaces.stJames,
          },
          { key: "b", name: "Camden", employerId: f.employers.camden, workplaceId: f.workplaces.camdenHall },
        ],
      });
      disputeId = made.dispute.id;
      // Camden stands in for an employer in Northern Ireland.
      await open.db
        .updateTable("employers")
        .set({ nation: "northern_ireland" })
        .where("id", "=", f.employers.camden)
        .execute();
      for (const day of [B_DAY, C_DAY])
        await planActionDay(ctx(f.actors.national), disputeId, { day, kind: "strike", types: [], note: "" });
      // St James's third member is opposed in principle.
      await open.db
        .insertInto("member_positions")
        .values({
          union_id: f.unionId,
          member_id: f.members.stJames[2]!,
          opposed_in_principle: true,
          recorded_by: null,
          recorded_at: CLOCK.now(),
        })
        .execute();
      for (const m of await open.db.selectFrom("members").select(["id", "forenames", "surname"]).execute())
        names[m.id] = `${m.forenames} ${m.surname}`;
      app = await buildTestApp(open);
      for (const role of ["national", "regional", "rep", "sector", "observer"] as const)
        s[role] = await signIn(app, f.users[role].email);
    });
    after(async () => {
      await app?.close();
      await open?.close();
    });

    const plansUrl = (day: string) => `/api/disputes/${disputeId}/action/pickets/${day}`;
    const planUrl = (day: string, w: number) => `${plansUrl(day)}/workplaces/${w}`;

    test("what the law on the day requires: a supervisor on 17 Feb 2026 in Great Britain, not on 18 Feb, not in Northern Ireland", async () => {
      const b = await as(app, s.national!, { url: plansUrl(B_DAY) });
      assert.equal(b.statusCode, 200, b.body);
      const stJames = b
        .json()
        .workplaces.find((w: { workplaceId: number }) => w.workplaceId === f.workplaces.stJames);
      assert.equal(stJames.supervisorRequired, true);
      assert.match(stJames.supervisorRule.citation, /s\.220A/);
      const ni = b
        .json()
        .workplaces.find((w: { workplaceId: number }) => w.workplaceId === f.workplaces.camdenHall);
      assert.equal(ni.jurisdiction, "ni");
      assert.equal(ni.supervisorRequired, false);
      assert.ok(ni.supervisorRule.unconfirmed);
      const c = await as(app, s.national!, { url: plansUrl(C_DAY) });
      const stJamesC = c
        .json()
        .workplaces.find((w: { workplaceId: number }) => w.workplaceId === f.workplaces.stJames);
      assert.equal(stJamesC.supervisorRequired, false);
      assert.match(stJamesC.supervisorRule.citation, /repeal/);
      assert.equal(c.json().numbersGuidance.perEntrance, 6);
      const noDay = await as(app, s.national!, { url: plansUrl("2026-03-01") });
      assert.equal(noDay.statusCode, 404);
    });

    test("an officer plans a workplace's day: supervisor, a line, police contact; bad input is a 4xx naming the field", async () => {
      const plan = await as(app, s.regional!, {
        method: "PUT",
        url: planUrl(B_DAY, f.workplaces.stJames),
        payload: {
          lead: { name: "Pat Organiser" },
          supervisor: { memberId: f.members.stJames[0] },
          supervisorContact: "07700 900123",
        },
      });
      assert.equal(plan.statusCode, 200, plan.body);
      planB = plan.json().id;
      const line = await as(app, s.regional!, {
        method: "POST",
        url: `${planUrl(B_DAY, f.workplaces.stJames)}/lines`,
        payload: {
          location: "Main gate, Beckett Street",
          entrance: "Staff car park",
          startsAt: "06:30",
          endsAt: "12:00",
          expected: 8,
        },
      });
      assert.equal(line.statusCode, 201, line.body);
      lineB = line.json().id;
      assert.equal(line.json().planId, planB);
      const badTime = await as(app, s.regional!, {
        method: "POST",
        url: `${planUrl(B_DAY, f.workplaces.stJames)}/lines`,
        payload: { location: "Side gate", startsAt: "25:00", endsAt: "12:00" },
      });
      assert.equal(badTime.statusCode, 400);
      assert.match(badTime.body, /startsAt/);
      const backwards = await as(app, s.regional!, {
        method: "POST",
        url: `${planUrl(B_DAY, f.workplaces.stJames)}/lines`,
        payload: { location: "Side gate", startsAt: "12:00", endsAt: "09:00" },
      });
      assert.equal(backwards.statusCode, 400);
      assert.match(backwards.body, /endsAt/);
      const repPlans = await as(app, s.rep!, {
        method: "PUT",
        url: planUrl(B_DAY, f.workplaces.stJames),
        payload: { lead: { name: "Someone" } },
      });
      assert.equal(repPlans.statusCode, 403);
      const police = await as(app, s.regional!, {
        method: "POST",
        url: `/api/picket-plans/${planB}/police-contacts`,
        payload: {
          contactedAt: "2026-02-10T09:30:00Z",
          force: "West Yorkshire Police",
          officer: "PS 1234",
          method: "phone",
          notes: "Told the supervisor's name and the gate",
        },
      });
      assert.equal(police.statusCode, 201, police.body);
      const read = await as(app, s.rep!, { url: plansUrl(B_DAY) });
      assert.equal(read.statusCode, 200);
      assert.deepEqual(
        read.json().workplaces.map((w: { workplaceId: number }) => w.workplaceId),
        [f.workplaces.stJames],
      );
      const w = read.json().workplaces[0];
      assert.equal(w.supervisor.name, names[f.members.stJames[0]!]);
      assert.equal(w.lines[0].overGuidance, true, "8 expected at one entrance is past the Code's six");
      assert.equal(w.policeContacts[0].force, "West Yorkshire Police");
    });

    test("the rota: members of the workplace; the opposed in principle refused by code, no name in the message", async () => {
      const ok = await as(app, s.rep!, {
        method: "POST",
        url: `/api/picket-lines/${lineB}/rota`,
        payload: { memberId: f.members.stJames[1], startsAt: "06:30", endsAt: "09:00" },
      });
      assert.equal(ok.statusCode, 201, ok.body);
      const opposed = await as(app, s.rep!, {
        method: "POST",
        url: `/api/picket-lines/${lineB}/rota`,
        payload: { memberId: f.members.stJames[2], startsAt: "06:30", endsAt: "09:00" },
      });
      assert.equal(opposed.statusCode, 409);
      assert.equal(opposed.json().error.code, "action.rota_opposed_in_principle");
      assert.ok(!opposed.body.includes("O'Connor") && !opposed.body.includes(names[f.members.stJames[2]!]!));
      const elsewhere = await as(app, s.rep!, {
        method: "POST",
        url: `/api/picket-lines/${lineB}/rota`,
        payload: { memberId: f.members.camden[0], startsAt: "06:30", endsAt: "09:00" },
      });
      assert.equal(elsewhere.statusCode, 404);
      const outside = await as(app, s.rep!, {
        method: "POST",
        url: `/api/picket-lines/${lineB}/rota`,
        payload: { memberId: f.members.stJames[0], startsAt: "05:00", endsAt: "09:00" },
      });
      assert.equal(outside.statusCode, 422);
      const actual = await as(app, s.rep!, {
        method: "PUT",
        url: `/api/picket-lines/${lineB}/numbers`,
        payload: { expected: 5, actual: 4 },
      });
      assert.equal(actual.statusCode, 200, actual.body);
      assert.equal(actual.json().overGuidance, false);
      const sector = await as(app, s.sector!, { url: plansUrl(B_DAY) });
      assert.equal(sector.statusCode, 200);
      const line = sector.json().workplaces[0].lines[0];
      assert.equal(line.rota, null, "counts only: no names for a sector officer");
      assert.equal(line.rotaCount, 1);
      assert.equal(sector.json().workplaces[0].supervisor, null);
      assert.ok(!sector.body.includes(names[f.members.stJames[1]!]!));
      const observer = await as(app, s.observer!, { url: plansUrl(B_DAY) });
      assert.equal(observer.statusCode, 403);
    });

    test("the rota as CSV for the lead's clipboard: lines and members with their hours, in scope, audited; counts-only readers refused", async () => {
      const res = await as(app, s.rep!, {
        url: `/api/disputes/${disputeId}/action/pickets/${B_DAY}/rota.csv`,
      });
      assert.equal(res.statusCode, 200, res.body);
      assert.match(String(res.headers["content-type"]), /text\/csv/);
      const lines = res.body
        .replace(/^\uFEFF/, "")
        .trim()
        .split("\r\n");
      assert.match(lines[0]!, /^Workplace,Employer,Line,Entrance,Line times,Lead,Supervisor/);
      const member = lines.filter((l) => l.includes(names[f.members.stJames[1]!]!));
      assert.equal(member.length, 1);
      assert.match(member[0]!, /Main gate, Beckett Street.*,06:30,09:00$/);
      // The rep of St James's sees no Camden line.
      assert.ok(!res.body.includes("Camden"));
      for (const who of ["sector", "observer"] as const) {
        const refused = await as(app, s[who]!, {
          url: `/api/disputes/${disputeId}/action/pickets/${B_DAY}/rota.csv`,
        });
        assert.equal(refused.statusCode, 403, who);
      }
      let rows: unknown[] = [];
      for (let i = 0; i < 50 && rows.length < 2; i++) {
        rows = (
          await open.db
            .selectFrom("audit_log")
            .select(["event", "details"])
            .where("event", "in", ["export.started", "export.finished"])
            .execute()
        ).filter((a) => (a.details as { kind?: string }).kind === "picket_rota_csv");
        if (rows.length < 2) await new Promise((r) => setTimeout(r, 20));
      }
      assert.equal(rows.length, 2);
    });

    test("the supervisor's letter: a PDF naming the supervisor, citing s.220A where required, audited as an export", async () => {
      const res = await as(app, s.national!, { url: `/api/picket-plans/${planB}/supervisor-letter.pdf` });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.headers["content-type"], "application/pdf");
      const text = await pdfText(res.rawPayload);
      assert.ok(text.includes(names[f.members.stJames[0]!]!), "names the supervisor");
      assert.match(text, /section 220A/);
      assert.match(text, /Main gate, Beckett Street/);
      assert.match(text, /17 February 2026/);
      assert.match(text, /St James/);
      assert.match(text, /has given the police/);
      // The trail ends when the response has been handed over, just after inject resolves.
      const letterRows = async () =>
        (
          await open.db
            .selectFrom("audit_log")
            .select(["event", "details"])
            .where("event", "in", ["export.started", "export.finished"])
            .execute()
        ).filter((a) => (a.details as { kind?: string }).kind === "picket_letter");
      let letters = await letterRows();
      for (let i = 0; i < 50 && letters.length < 2; i++) {
        await new Promise((r) => setTimeout(r, 20));
        letters = await letterRows();
      }
      assert.deepEqual(letters.map((a) => a.event).sort(), ["export.finished", "export.started"]);
      const rep = await as(app, s.rep!, { url: `/api/picket-plans/${planB}/supervisor-letter.pdf` });
      assert.equal(rep.statusCode, 403);
    });

    test("after the repeal, and in Northern Ireland, the letter names the supervisor as good practice and prints no unconfirmed rule", async () => {
      const c = await as(app, s.national!, {
        method: "PUT",
        url: planUrl(C_DAY, f.workplaces.stJames),
        payload: { supervisor: { name: "Sam Steward" } },
      });
      const cText = await pdfText(
        (await as(app, s.national!, { url: `/api/picket-plans/${c.json().id}/supervisor-letter.pdf` }))
          .rawPayload,
      );
      assert.match(cText, /Sam Steward/);
      assert.match(cText, /good practice/);
      assert.ok(!cText.includes("under section 220A"));
      const ni = await as(app, s.national!, {
        method: "PUT",
        url: planUrl(B_DAY, f.workplaces.camdenHall),
        payload: { supervisor: { name: "Niamh Steward" } },
      });
      assert.equal(ni.statusCode, 200, ni.body);
      const niText = await pdfText(
        (await as(app, s.national!, { url: `/api/picket-plans/${ni.json().id}/supervisor-letter.pdf` }))
          .rawPayload,
      );
      assert.match(niText, /Niamh Steward/);
      assert.ok(!niText.includes("TUA 2016 s.10"), "Northern Ireland's unconfirmed position is not printed");
      assert.ok(!niText.includes("220A"));
      const none = await as(app, s.national!, {
        method: "PUT",
        url: planUrl(C_DAY, f.workplaces.camdenHall),
        payload: { lead: { name: "A Lead" } },
      });
      const noSupervisor = await as(app, s.national!, {
        url: `/api/picket-plans/${none.json().id}/supervisor-letter.pdf`,
      });
      assert.equal(noSupervisor.statusCode, 409);
      assert.equal(noSupervisor.json().error.code, "action.no_supervisor");
    });

    test("cover: agreed by officers; names only where naming was agreed; an exempted member leaves the rota and cannot rejoin it", async () => {
      const url = `/api/disputes/${disputeId}/action/cover/${B_DAY}`;
      const agreement = {
        employerId: f.employers.leedsTrust,
        items: [{ service: "Emergency department", post: "Band 5 nurse", number: 4 }],
        unionAgreedName: "Regional organiser",
        employerAgreedName: "Director of workforce",
        agreedAt: "2026-02-12T15:00:00Z",
      };
      const repAgrees = await as(app, s.rep!, { method: "POST", url, payload: agreement });
      assert.equal(repAgrees.statusCode, 403);
      const numbersOnly = await as(app, s.regional!, { method: "POST", url, payload: agreement });
      assert.equal(numbersOnly.statusCode, 201, numbersOnly.body);
      const named = await as(app, s.regional!, {
        method: "POST",
        url: `/api/cover-agreements/${numbersOnly.json().id}/exemptions`,
        payload: { memberId: f.members.stJames[1] },
      });
      assert.equal(named.statusCode, 409);
      assert.equal(named.json().error.code, "action.naming_not_agreed");
      const counted = await as(app, s.regional!, {
        method: "POST",
        url: `/api/cover-agreements/${numbersOnly.json().id}/exemptions`,
        payload: { workplaceId: f.workplaces.stJames, number: 3, post: "Band 5 nurse" },
      });
      assert.equal(counted.statusCode, 201, counted.body);
      const naming = await as(app, s.regional!, {
        method: "POST",
        url,
        payload: { ...agreement, items: [{ service: "Renal dialysis", number: 1 }], namingAgreed: true },
      });
      const exempt = await as(app, s.regional!, {
        method: "POST",
        url: `/api/cover-agreements/${naming.json().id}/exemptions`,
        payload: { memberId: f.members.stJames[1] },
      });
      assert.equal(exempt.statusCode, 201, exempt.body);
      assert.equal(exempt.json().removedFromRota, 1);
      const rejoin = await as(app, s.rep!, {
        method: "POST",
        url: `/api/picket-lines/${lineB}/rota`,
        payload: { memberId: f.members.stJames[1], startsAt: "09:00", endsAt: "12:00" },
      });
      assert.equal(rejoin.statusCode, 409);
      assert.equal(rejoin.json().error.code, "action.rota_exempt_for_cover");
      const request = await as(app, s.regional!, {
        method: "POST",
        url: `/api/cover-agreements/${numbersOnly.json().id}/requests`,
        payload: {
          requestedAt: "2026-02-16T18:00:00Z",
          requestedByName: "Site manager",
          details: "Two more nurses for the emergency department",
          postsRequested: 2,
        },
      });
      assert.equal(request.statusCode, 201, request.body);
      const answer = await as(app, s.national!, {
        method: "POST",
        url: `/api/cover-requests/${request.json().id}/answer`,
        payload: { answer: "partly", postsGranted: 1, note: "One more nurse" },
      });
      assert.equal(answer.statusCode, 204, answer.body);
      const again = await as(app, s.national!, {
        method: "POST",
        url: `/api/cover-requests/${request.json().id}/answer`,
        payload: { answer: "refused" },
      });
      assert.equal(again.statusCode, 409);
      const badAnswer = await as(app, s.national!, {
        method: "POST",
        url: `/api/cover-requests/${request.json().id}/answer`,
        payload: { answer: "maybe" },
      });
      assert.equal(badAnswer.statusCode, 400);
      assert.match(badAnswer.body, /answer/);

      const officer = await as(app, s.regional!, { url });
      assert.equal(officer.statusCode, 200);
      const [first, second] = officer.json().agreements;
      assert.equal(first.exemptTotal, 3);
      assert.equal(first.exemptions[0].name, null);
      assert.equal(first.requests[0].answer, "partly");
      assert.equal(second.exemptions[0].name, names[f.members.stJames[1]!]);
      const rep = await as(app, s.rep!, { url });
      assert.equal(rep.statusCode, 200);
      assert.ok(!rep.body.includes(names[f.members.stJames[1]!]!), "a rep sees numbers, not names");
      const events = await open.db
        .selectFrom("audit_log")
        .select("event")
        .where("event", "like", "action.cover%")
        .execute();
      assert.deepEqual(events.map((e) => e.event).sort(), [
        "action.cover_agreed",
        "action.cover_agreed",
        "action.cover_exemption_recorded",
        "action.cover_exemption_recorded",
        "action.cover_request_answered",
        "action.cover_request_recorded",
      ]);
    });

    test("the live board counts cover in place where cover is agreed with the employer for the day", async () => {
      forgetDayBoards();
      await recordActionReport(ctx(f.actors.national), {
        day: B_DAY,
        workplaceId: f.workplaces.stJames,
        outCount: 20,
        atWorkCount: 1,
        exemptCount: 0,
        picketUp: true,
      });
      await recordActionReport(ctx(f.actors.national), {
        day: B_DAY,
        workplaceId: f.workplaces.camdenHall,
        outCount: 8,
        atWorkCount: 0,
        exemptCount: 0,
        picketUp: false,
      });
      const board = await dayBoard(ctx(f.actors.national), B_DAY);
      const cover = (id: number) => board.workplaces.find((w) => w.id === id)?.cover;
      // Leeds's trust agreed cover for the day (above); Camden did not, and no one there is exempt.
      assert.equal(cover(f.workplaces.stJames), true);
      assert.equal(cover(f.workplaces.camdenHall), false);
      assert.equal(board.totals.coverInPlace, 1);
    });

    test("scope: a rep of another workplace, a regional officer of another region and another union are refused", async () => {
      const camdenRep: Actor = { ...f.actors.rep, workplaceIds: [f.workplaces.camdenHall] };
      const londonOfficer: Actor = { ...f.actors.regional, regionIds: [f.regions.london] };
      const partner = f.actors.partnerNational;
      const readRep = await picketDay(ctx(camdenRep), disputeId, B_DAY);
      assert.ok(readRep.workplaces.every((w) => w.workplaceId !== f.workplaces.stJames));
      await assert.rejects(
        addToRota(ctx(camdenRep), lineB, {
          memberId: f.members.stJames[0]!,
          startsAt: "07:00",
          endsAt: "08:00",
        }),
        refused("action.not_found"),
      );
      await assert.rejects(
        recordLineNumbers(ctx(camdenRep), lineB, { actual: 3 }),
        refused("action.not_found"),
      );
      await assert.rejects(
        recordPoliceContact(ctx(londonOfficer), planB, {
          contactedAt: "2026-02-10T09:30:00Z",
          force: "Met",
          officer: "",
          method: "phone",
          notes: "",
        }),
        refused("action.not_found"),
      );
      const cover = await coverDay(ctx(londonOfficer), disputeId, B_DAY);
      assert.ok(cover.agreements.every((a) => a.employerId !== f.employers.leedsTrust));
      await assert.rejects(
        recordCover(ctx(londonOfficer), disputeId, B_DAY, {
          employerId: f.employers.leedsTrust,
          items: [{ service: "x", post: "", number: 1 }],
          unionAgreedName: "x",
          employerAgreedName: "y",
          employerAgreedRole: "",
          agreedAt: "2026-02-12T15:00:00Z",
          namingAgreed: false,
          note: "",
        }),
        refused("action.not_found"),
      );
      const agreementId = (await coverDay(ctx(f.actors.national), disputeId, B_DAY)).agreements[0]!.id;
      await assert.rejects(
        addExemption(ctx(londonOfficer), agreementId, {
          workplaceId: null,
          memberId: null,
          number: 1,
          post: "",
        }),
        refused("action.not_found"),
      );
      await assert.rejects(picketDay(ctx(partner), disputeId, B_DAY), refused("action.not_found"));
      await assert.rejects(
        addToRota(ctx(partner), lineB, {
          memberId: f.members.stJames[0]!,
          startsAt: "07:00",
          endsAt: "08:00",
        }),
        refused("action.not_found"),
      );
      await assert.rejects(
        answerRequest(ctx(partner), 1, { answer: "granted", postsGranted: null, note: "" }),
        refused("action.not_found"),
      );
      const partnerHttp = await signIn(app, f.users.partnerNational.email);
      const letter = await as(app, partnerHttp, { url: `/api/picket-plans/${planB}/supervisor-letter.pdf` });
      assert.equal(letter.statusCode, 404);
    });
  });
}
