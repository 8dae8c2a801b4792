import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { sql } from "kysely";
import { pdfText } from "../../test/fixtures/notices/pdf-text.js";
import { backends, createTestDb } from "../../test/helpers/db.js";
import { ballotInput, CLOCK, type Fixture, seedFixture, systemActor } from "../../test/helpers/fixtures.js";
import type { Ctx } from "../context.js";
import type { OpenDatabase } from "../db/connect.js";
import { createMember } from "../members/index.js";
import { fixedClock } from "../shared/clock.js";
import { AppError } from "../shared/errors.js";
import {
  createActionNotices,
  listActionNotices,
  previewActionNotice,
  resumeAction,
  suspendAction,
} from "./action-notices.service.js";
import type { CreateBallotInput } from "./ballots.model.js";
import { createDispute } from "./disputes.service.js";
import { downloadDocument, generateBallotNotices } from "./documents.service.js";
import { freezeElectorate } from "./freeze.service.js";
import {
  getScrutineerReport,
  listCorrespondence,
  listExtensions,
  listPaperChanges,
  recordCopyRequest,
  recordCopySupplied,
  recordCorrespondence,
  recordExtension,
  recordPaperChange,
  recordScrutineerReport,
  reviewScrutineerReport,
} from "./records.service.js";
import { recordResult } from "./results.service.js";
import { createBallot, reviewStatement } from "./setup.service.js";
import { ballotTimetableFor } from "./timetable.service.js";

const STATEMENT =
  "If you take part in a strike or other industrial action, you may be in breach of your contract of employment. (Wording as advised by the union's solicitors.)";

const code = (c: string, message?: RegExp) => (e: unknown) =>
  e instanceof AppError && e.code === c && (!message || message.test(e.message));

for (const { backend, skip } of await backends()) {
  describe(`ballot records on ${backend}`, { skip }, () => {
    let open: OpenDatabase;
    let f: Fixture;
    let national: Ctx;
    let disputeId: number;
    let ballotId: number;

    const at = (day: string, ctx: Ctx = national): Ctx => ({ ...ctx, clock: fixedClock(`${day}T09:00:00Z`) });
    const as = (who: keyof Fixture["actors"], day = "2027-01-20"): Ctx =>
      at(day, { ...national, actor: f.actors[who] });

    const input = (over: Partial<CreateBallotInput> = {}): CreateBallotInput => ballotInput(f, over);

    const newMember = (
      surname: string,
      employerId: number,
      workplaceId: number,
      regionId: number,
      joinedOn: string,
    ) =>
      createMember(
        { db: open.db, actor: systemActor(f.unionId), clock: CLOCK },
        {
          membershipNumber: `J-${surname}`,
          forenames: "Sam",
          surname,
          status: "active",
          inArrears: false,
          checkOff: false,
          consentEmail: false,
          consentSms: false,
          addressLine1: "3 New Street",
          town: "Leeds",
          homePostcode: "LS1 2AB",
          joinedOn,
          jobCategory: "Nursing",
          employerId,
          workplaceId,
          regionId,
        },
      );

    before(async () => {
      open = await createTestDb(backend);
      f = await seedFixture(open.db);
      national = { db: open.db, actor: f.actors.national, clock: CLOCK };
      // The fixture's data defects fixed, so notices of ballot can be given.
      await sql`update members set workplace_id = ${f.workplaces.camdenHall} where id = ${f.members.noWorkplace}`.execute(
        open.db,
      );
      await sql`update members set address_line1 = '2 Beckett Street', home_postcode = 'LS9 7TF' where id = ${f.members.stJames[2]!}`.execute(
        open.db,
      );
      await sql`update workplaces set headcount = 40 where id = ${f.workplaces.stJames}`.execute(open.db);
      await sql`update workplaces set closed_on = null where id = ${f.workplaces.bradfordDepot}`.execute(
        open.db,
      );
      disputeId = (
        await createDispute(national, {
          title: "Pay 2026",
          mattersInIssue: "The 2026 pay offer.",
          coalition: "",
          employerIds: [f.employers.leedsTrust, f.employers.camden, f.employers.bradfordCouncil],
        })
      ).id;
      ballotId = (await createBallot(national, disputeId, input())).id;
      await reviewStatement(national, ballotId, STATEMENT);
      await freezeElectorate(national, ballotId);
      await generateBallotNotices(national, ballotId);
    });
    after(async () => {
      await open?.close();
    });

    test("late joiners and replacement papers, and what they do to the notice of ballot's figures (ss.227, 230, 226A)", async () => {
      const joiner = await newMember(
        "Kaur",
        f.employers.camden,
        f.workplaces.camdenHall,
        f.regions.london,
        "2026-11-25",
      );
      const day = at("2026-11-26");
      const after = await recordPaperChange(day, ballotId, {
        kind: "late_joiner",
        recordedOn: "2026-11-26",
        memberId: joiner.id,
        entitled: true,
        reason: "Joined after the freeze; employed at Camden Town Hall in the balloted grades.",
      });
      const added = after.changes.find((c) => c.kind === "late_joiner")!;
      assert.equal(added.paperNumber, 7, "the next number in the series (s.229(1A)(c))");
      const camden = after.noticeFigures.find((n) => n.employerId === f.employers.camden)!;
      assert.deepEqual(
        [camden.noticeSaid, camden.electorateNow, camden.correctedNoticeMayBeNeeded],
        [2, 3, true],
      );
      assert.equal(camden.noticeGivenOn, "2026-11-20");
      assert.ok(after.warnings.some((w) => /said 2; the electorate is now 3/.test(w)));
      const leeds = after.noticeFigures.find((n) => n.employerId === f.employers.leedsTrust)!;
      assert.equal(leeds.correctedNoticeMayBeNeeded, false);
      await assert.rejects(
        recordPaperChange(day, ballotId, {
          kind: "late_joiner",
          recordedOn: "2026-11-26",
          memberId: joiner.id,
          entitled: true,
          reason: "again",
        }),
        code("ballots.invalid", /already recorded/),
      );
      // A member already entitled cannot be added; a member outside the ballot cannot be given entitlement.
      await assert.rejects(
        recordPaperChange(day, ballotId, {
          kind: "late_joiner",
          recordedOn: "2026-11-26",
          memberId: f.members.stJames[0]!,
          entitled: true,
          reason: "x",
        }),
        code("ballots.invalid", /already entitled/),
      );
      const notEntitled = await recordPaperChange(day, ballotId, {
        kind: "late_joiner",
        recordedOn: "2026-11-26",
        memberId: f.members.lgi[0]!,
        entitled: false,
        reason: "Membership lapsed: not entitled (union rule book).",
      });
      assert.equal(notEntitled.changes.find((c) => c.kind === "late_joiner_not_entitled")!.paperNumber, null);

      const replaced = await recordPaperChange(day, ballotId, {
        kind: "replacement",
        recordedOn: "2026-11-26",
        replacesPaper: 1,
        reason: "Member reported the paper lost in the post.",
      });
      const r = replaced.changes.find((c) => c.kind === "replacement")!;
      assert.deepEqual([r.replacesPaper, r.paperNumber], [1, 8]);
      await assert.rejects(
        recordPaperChange(day, ballotId, {
          kind: "replacement",
          recordedOn: "2026-11-26",
          replacesPaper: 1,
          reason: "again",
        }),
        code("ballots.invalid", /already been replaced/),
      );
      await assert.rejects(
        recordPaperChange(day, ballotId, {
          kind: "replacement",
          recordedOn: "2026-11-26",
          replacesPaper: 999,
          reason: "x",
        }),
        code("ballots.invalid", /not issued/),
      );
      // A rep (St James's) sees the Leeds figures only, and may not record.
      const rep = await listPaperChanges(as("rep", "2026-11-26"), ballotId);
      assert.deepEqual(
        rep.noticeFigures.map((n) => n.employerId),
        [f.employers.leedsTrust],
      );
      assert.ok(rep.changes.every((c) => c.employerId === f.employers.leedsTrust));
      await assert.rejects(
        recordPaperChange(as("rep", "2026-11-26"), ballotId, {
          kind: "replacement",
          recordedOn: "2026-11-26",
          replacesPaper: 2,
          reason: "x",
        }),
        code("auth.forbidden"),
      );
    });

    test("the scrutineer's report: a qualified report blocks notice of action until reviewed; copy requests within six months (s.231B)", async () => {
      await recordResult(at("2027-01-04"), ballotId, {
        votesCast: 6,
        declaredOn: "2027-01-04",
        questions: [{ question: "strike", yes: 5, no: 1 }],
      });
      await recordScrutineerReport(at("2027-01-05"), ballotId, {
        receivedOn: "2027-01-05",
        noContravention: true,
        securityArrangements: false,
        noInterference: true,
        particulars: "Returned envelopes were stored overnight in an unlocked room.",
      });
      const report = await getScrutineerReport(as("regional", "2027-01-05"), ballotId);
      assert.equal(report.report?.qualified, true);
      assert.equal(report.report?.blocksAction, true);
      assert.equal(report.copiesDueUntil, "2027-07-03");
      const notice = {
        continuous: false,
        startDate: null,
        dates: ["2027-01-20"],
        kinds: ["strike" as const],
        givenOn: "2027-01-05",
        shorterNoticeAgreed: false,
        agreementEvidence: "",
      };
      await assert.rejects(
        createActionNotices(at("2027-01-05"), ballotId, notice),
        code("ballots.scrutineer_report_qualified"),
      );
      await assert.rejects(
        recordScrutineerReport(at("2027-01-05"), ballotId, {
          receivedOn: "2027-01-05",
          noContravention: false,
          securityArrangements: true,
          noInterference: true,
          particulars: "",
        }),
        code("ballots.invalid", /particulars/),
      );
      await reviewScrutineerReport(at("2027-01-05"), ballotId, {
        reviewedOn: "2027-01-05",
        note: "Counsel advised the defect could not have affected the result; action may be called.",
      });
      assert.equal((await getScrutineerReport(at("2027-01-05"), ballotId)).report?.blocksAction, false);

      const requested = await recordCopyRequest(at("2027-01-10"), ballotId, {
        requestedOn: "2027-01-10",
        requesterType: "member",
        reference: "M101",
        employerId: null,
      });
      assert.equal(requested.requests[0]!.outstanding, true);
      assert.ok(requested.warnings.some((w) => /not yet supplied/.test(w)));
      assert.equal(
        (await getScrutineerReport(as("regional", "2027-01-10"), ballotId)).requests[0]!.reference,
        "",
      );
      await assert.rejects(
        recordCopyRequest(at("2027-01-10"), ballotId, {
          requestedOn: "2027-01-10",
          requesterType: "employer",
          reference: "",
          employerId: null,
        }),
        code("ballots.invalid"),
      );
      const supplied = await recordCopySupplied(
        at("2027-01-12"),
        ballotId,
        requested.requests[0]!.id,
        "2027-01-12",
      );
      assert.equal(supplied.requests[0]!.outstanding, false);
      assert.ok(!supplied.warnings.some((w) => /not yet supplied/.test(w)));
    });

    test("notices of action count the affected employees on the day, not the ballot's electorate (s.234A(3)(a); BA v Unite [2009] EWHC 3541 (QB))", async () => {
      // After the ballot: Brown leaves Leeds; a new member joins at St James's.
      await sql`update members set status = 'left', left_on = '2027-01-02' where id = ${f.members.stJames[1]!}`.execute(
        open.db,
      );
      await newMember(
        "Novak",
        f.employers.leedsTrust,
        f.workplaces.stJames,
        f.regions.yorkshire,
        "2027-01-03",
      );
      const preview = await previewActionNotice(at("2027-01-05"), ballotId, "2027-01-05", "2027-01-20");
      const leeds = preview.employers.find((e) => e.employerId === f.employers.leedsTrust)!;
      assert.deepEqual([leeds.balloted, leeds.affected, leeds.left, leeds.joinedSince], [3, 2, 1, 1]);
      const first = await createActionNotices(at("2027-01-05"), ballotId, {
        continuous: false,
        startDate: null,
        dates: ["2027-01-20", "2027-01-21"],
        kinds: ["strike"],
        givenOn: "2027-01-05",
        shorterNoticeAgreed: false,
        agreementEvidence: "",
      });
      const leedsNotice = first.find(
        (d) => d.kind === "action_notice" && d.employerId === f.employers.leedsTrust,
      )!;
      const text = await pdfText((await downloadDocument(national, leedsNotice.id)).content);
      assert.match(text, /total number of affected employees is 2\./);
      assert.doesNotMatch(text, /total number of affected employees is 3\./);
      // Camden's notice counts Camden's members only: Evans, Hughes and the late joiner.
      const camdenNotice = first.find(
        (d) => d.kind === "action_notice" && d.employerId === f.employers.camden,
      )!;
      assert.match(
        await pdfText((await downloadDocument(national, camdenNotice.id)).content),
        /total number of affected employees is 3\./,
      );

      // Then Evans lapses; a second notice in the same mandate has its own figures.
      await sql`update members set status = 'lapsed' where id = ${f.members.camden[0]!}`.execute(open.db);
      await createActionNotices(at("2027-01-12"), ballotId, {
        continuous: true,
        startDate: "2027-02-01",
        dates: [],
        kinds: ["strike"],
        givenOn: "2027-01-12",
        shorterNoticeAgreed: false,
        agreementEvidence: "",
      });
      const notices = await listActionNotices(at("2027-01-12"), ballotId);
      assert.equal(notices.length, 2);
      const camdenOf = (n: (typeof notices)[number]) =>
        n.figures.employers.find((e) => e.employerId === f.employers.camden)!;
      assert.deepEqual([camdenOf(notices[0]!).affected, camdenOf(notices[0]!).lapsed], [3, 0]);
      assert.deepEqual([camdenOf(notices[1]!).affected, camdenOf(notices[1]!).lapsed], [2, 1]);
      assert.equal(notices[0]!.figures.totals.affected, 6);
      assert.equal(notices[1]!.figures.totals.affected, 5);
      // The record of who each notice covered, member by member (s.232A).
      const covered = await open.db
        .selectFrom("action_notice_members")
        .select(["member_id", "outcome"])
        .where("action_notice_id", "=", notices[0]!.id)
        .execute();
      const outcomeOf = new Map(covered.map((c) => [c.member_id, c.outcome]));
      assert.equal(outcomeOf.get(f.members.stJames[1]!), "left");
      // Readers in scope see their employers' figures; observers the totals only.
      const rep = await listActionNotices(as("rep", "2027-01-12"), ballotId);
      assert.deepEqual(
        rep[0]!.figures.employers.map((e) => e.employerId),
        [f.employers.leedsTrust],
      );
      const observer = await listActionNotices(as("observer", "2027-01-12"), ballotId);
      assert.deepEqual(observer[0]!.figures.employers, []);
      assert.equal(observer[0]!.figures.totals.affected, 6);

      // Outside the 12-month mandate (s.234(1) as amended by ERA 2025): refused.
      await assert.rejects(
        createActionNotices(at("2027-12-01"), ballotId, {
          continuous: true,
          startDate: "2028-01-10",
          dates: [],
          kinds: ["strike"],
          givenOn: "2027-12-01",
          shorterNoticeAgreed: false,
          agreementEvidence: "",
        }),
        code("ballots.invalid", /does not reach/),
      );
    });

    test("action suspended by agreement and resumed on the agreed date without a new notice (s.234A(7A)-(7B))", async () => {
      const [first] = await listActionNotices(at("2027-01-18"), ballotId);
      await assert.rejects(
        suspendAction(at("2027-01-21"), ballotId, first!.id, {
          agreedOn: "2027-01-21",
          suspendedFrom: "2027-01-20",
          resumeFrom: "2027-01-26",
          evidence: "Letter",
        }),
        code("ballots.invalid", /before the action stops/),
      );
      const suspended = await suspendAction(at("2027-01-18"), ballotId, first!.id, {
        agreedOn: "2027-01-18",
        suspendedFrom: "2027-01-19",
        resumeFrom: "2027-01-26",
        evidence: "Joint statement signed by the employer's HR director, ref. ACAS/2027/14.",
      });
      assert.equal(suspended[0]!.suspensions.length, 1);
      assert.equal((await listActionNotices(at("2027-01-20"), ballotId))[0]!.status, "suspended");
      const s = suspended[0]!.suspensions[0]!;
      await assert.rejects(
        resumeAction(at("2027-01-22"), ballotId, s.id, { resumedOn: "2027-01-22", evidence: "" }),
        code("ballots.invalid", /needs a new notice/),
      );
      const resumed = await resumeAction(at("2027-01-24"), ballotId, s.id, {
        resumedOn: "2027-01-26",
        evidence: "",
      });
      assert.equal(resumed[0]!.suspensions[0]!.resumedOn, "2027-01-26");
      assert.equal((await listActionNotices(at("2027-01-27"), ballotId))[0]!.status, "resumed");
      assert.ok(resumed[0]!.legalReview.length > 0, "the unconfirmed statutory text is flagged");
      await assert.rejects(
        suspendAction(as("regional", "2027-01-18"), ballotId, first!.id, {
          agreedOn: "2027-01-18",
          suspendedFrom: "2027-01-19",
          resumeFrom: "2027-01-26",
          evidence: "x",
        }),
        code("auth.forbidden"),
      );
      const audit = await open.db
        .selectFrom("audit_log")
        .select("event")
        .where("event", "in", ["ballot.action_suspended", "ballot.action_resumed"])
        .execute();
      assert.equal(audit.length, 2);
    });

    test("employer objections and correspondence: national officers write, readers see their employers' entries", async () => {
      const day = at("2027-01-06");
      await recordCorrespondence(day, ballotId, {
        employerId: f.employers.leedsTrust,
        dated: "2027-01-06",
        direction: "received",
        kind: "objection",
        summary: "The Trust says the St James's figures are wrong.",
        documentReference: "LTH/HR/2027/3",
      });
      await recordCorrespondence(day, ballotId, {
        employerId: f.employers.camden,
        dated: "2027-01-06",
        direction: "received",
        kind: "legal_threat",
        summary: "Letter before action from the council's solicitors.",
        documentReference: "",
      });
      assert.equal((await listCorrespondence(day, ballotId)).length, 2);
      assert.deepEqual(
        (await listCorrespondence(day, ballotId, f.employers.camden)).map((c) => c.kind),
        ["legal_threat"],
      );
      assert.deepEqual(
        (await listCorrespondence(as("rep", "2027-01-06"), ballotId)).map((c) => c.employerId),
        [f.employers.leedsTrust],
      );
      assert.deepEqual(await listCorrespondence(as("observer", "2027-01-06"), ballotId), []);
      await assert.rejects(
        recordCorrespondence(as("regional", "2027-01-06"), ballotId, {
          employerId: f.employers.leedsTrust,
          dated: "2027-01-06",
          direction: "sent",
          kind: "reply",
          summary: "x",
          documentReference: "",
        }),
        code("auth.forbidden"),
      );
      await assert.rejects(
        recordCorrespondence(day, ballotId, {
          employerId: f.employers.leedsTrust,
          dated: "2027-02-06",
          direction: "sent",
          kind: "reply",
          summary: "Dated in the future",
          documentReference: "",
        }),
        code("ballots.invalid"),
      );
    });

    test("a regime B mandate extended to up to 9 months by agreement with one employer (s.234(1) as amended by TUA 2016 s.9)", async () => {
      const b = (
        await createBallot(
          national,
          disputeId,
          input({ name: "2025 ballot", openingDate: "2025-06-02", closingDate: "2025-06-30" }),
        )
      ).id;
      await reviewStatement(national, b, STATEMENT);
      await freezeElectorate(national, b);
      await sql`update ballots set state = 'notices_issued' where id = ${b}`.execute(open.db);
      await recordResult(national, b, {
        votesCast: 4,
        declaredOn: "2025-06-30",
        questions: [{ question: "strike", yes: 4, no: 0 }],
      });
      const list = await listExtensions(national, b);
      assert.deepEqual([list.mandateLastDay, list.latestByAgreement], ["2025-12-29", "2026-03-29"]);
      const notice = (employerIds?: number[]) =>
        createActionNotices(at("2026-01-05"), b, {
          continuous: false,
          startDate: null,
          dates: ["2026-01-26"],
          kinds: ["strike"],
          givenOn: "2026-01-05",
          shorterNoticeAgreed: false,
          agreementEvidence: "",
          employerIds,
        });
      await assert.rejects(notice(), code("ballots.invalid", /does not reach/));
      await assert.rejects(
        recordExtension(national, b, {
          employerId: f.employers.leedsTrust,
          agreedOn: "2025-12-01",
          lastDay: "2026-04-01",
          evidence: "x",
        }),
        code("ballots.invalid", /2026-03-29/),
      );
      const ext = await recordExtension(national, b, {
        employerId: f.employers.leedsTrust,
        agreedOn: "2025-12-01",
        lastDay: "2026-03-29",
        evidence: "Collective agreement variation signed 1 December 2025, ref. LTH/ER/88.",
      });
      assert.equal(ext.extensions[0]!.lastDay, "2026-03-29");
      const timetable = await ballotTimetableFor(national, b);
      assert.ok(
        timetable.deadlines.some((d) => d.date === "2026-03-29" && /extended by agreement/.test(d.label)),
      );
      // Other employers' mandate still ended on 29 December: notice to all is refused, to the Trust alone given.
      await assert.rejects(notice(), code("ballots.invalid", /does not reach/));
      const given = await notice([f.employers.leedsTrust]);
      assert.deepEqual(
        [...new Set(given.filter((d) => d.kind === "action_notice").map((d) => d.employerId))],
        [f.employers.leedsTrust],
      );
      // Regime C has no extension by agreement.
      await assert.rejects(
        recordExtension(at("2027-01-20"), ballotId, {
          employerId: f.employers.leedsTrust,
          agreedOn: "2027-01-20",
          lastDay: "2028-03-01",
          evidence: "x",
        }),
        code("ballots.invalid", /cannot be extended/),
      );
    });
  });
}
