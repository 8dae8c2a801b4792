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
import type { Actor } from "../auth/index.js";
import type { Ctx } from "../context.js";
import type { OpenDatabase } from "../db/connect.js";
import { createMember } from "../members/index.js";
import { AppError } from "../shared/errors.js";
import { actionCalendar, planActionDay, removeActionDay } from "./calendar.service.js";
import {
  claimEvidence,
  decideStrikePayClaim,
  exportStrikePay,
  listClaims,
  setPayRules,
  submitClaim,
} from "./pay.service.js";
import { membersOnTheDay, recordActionReport, workplacesOnTheDay } from "./reports.service.js";

const refused = (code: string) => (e: unknown) => e instanceof AppError && e.code === code;

for (const { backend, skip } of await backends()) {
  describe(`day of action on ${backend}`, { skip }, () => {
    let open: OpenDatabase;
    let f: Fixture;
    let disputeId: number;
    let ballots: Record<string, number>;
    const as = (actor: Actor): Ctx => ({ db: open.db, actor, clock: CLOCK });
    let national: Ctx;

    before(async () => {
      open = await createTestDb(backend);
      f = await seedFixture(open.db);
      national = as(f.actors.national);
      const made = await createDisputeBallots(as(systemActor(f.unionId)), f, {
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
      });
      disputeId = made.dispute.id;
      ballots = made.ballots;
      // Declared results (the closing day is 4 January 2027): a mandate for strikes at St James's only.
      for (const [key, mandateFor] of [
        ["stJames", ["strike"]],
        ["camden", []],
      ] as const) {
        await open.db
          .insertInto("ballot_results")
          .values({
            ballot_id: ballots[key]!,
            entitled: 10,
            votes_cast: 6,
            questions: JSON.stringify([]),
            source: "entered",
            evaluation: JSON.stringify({ mandateFor }),
            declared_on: "2027-01-05",
            recorded_by: null,
            recorded_at: CLOCK.now(),
          })
          .execute();
      }
      await open.db
        .insertInto("action_notices")
        .values({
          ballot_id: ballots.stJames!,
          continuous: false,
          start_date: null,
          dates: JSON.stringify(["2027-01-20"]),
          kinds: ["strike"],
          given_on: "2027-01-06",
          shorter_notice_agreed: false,
          created_at: CLOCK.now(),
          created_by: null,
          employer_ids: [f.employers.leedsTrust],
        })
        .execute();
    });
    after(async () => open?.close());

    test("a national officer plans the calendar; nobody else may, and a day is planned once", async () => {
      await planActionDay(national, disputeId, {
        day: "2027-01-20",
        kind: "strike",
        types: [],
        note: "National day",
      });
      await planActionDay(national, disputeId, { day: "2027-01-21", kind: "strike", types: [], note: "" });
      const extra = await planActionDay(national, disputeId, {
        day: "2027-01-22",
        kind: "strike",
        types: [],
        note: "",
      });
      await assert.rejects(
        planActionDay(national, disputeId, { day: "2027-01-20", kind: "strike", types: [], note: "" }),
        refused("action.day_exists"),
      );
      await assert.rejects(
        planActionDay(as(f.actors.regional), disputeId, {
          day: "2027-01-23",
          kind: "strike",
          types: [],
          note: "",
        }),
        refused("auth.forbidden"),
      );
      await assert.rejects(
        planActionDay(national, 999_999, { day: "2027-01-23", kind: "strike", types: [], note: "" }),
        refused("action.not_found"),
      );
      await removeActionDay(national, disputeId, extra.id);
      const audit = await open.db
        .selectFrom("audit_log")
        .select("event")
        .where("event", "in", ["action.day_planned", "action.day_removed"])
        .execute();
      assert.equal(audit.length, 4);
    });

    test("each day is checked at each place: lawful, no mandate, no notice, a day the notice does not name", async () => {
      const cal = await actionCalendar(national, disputeId);
      assert.deepEqual(
        cal.days.map((d) => d.day),
        ["2027-01-20", "2027-01-21"],
      );
      const at = (day: string, ballot: number) =>
        cal.days.find((d) => d.day === day)!.places.find((p) => p.ballotId === ballot)!;
      assert.equal(at("2027-01-20", ballots.stJames!).lawful, true);
      assert.equal(at("2027-01-20", ballots.stJames!).mandateLastDay, "2028-01-03");
      assert.deepEqual(
        at("2027-01-20", ballots.camden!).reasons.map((r) => r.code),
        ["no_mandate_for_kind", "no_notice"],
      );
      const notNamed = at("2027-01-21", ballots.stJames!);
      assert.deepEqual(
        notNamed.reasons.map((r) => r.code),
        ["notice_not_naming_day"],
      );
      assert.match(notNamed.reasons[0]!.citation, /s\.234A/);
    });

    test("regional officers read their region's places only; a region with none gets 404; observers are refused", async () => {
      const yorkshire = await actionCalendar(as(f.actors.regional), disputeId);
      assert.deepEqual(
        [...new Set(yorkshire.days.flatMap((d) => d.places.map((p) => p.ballotId)))],
        [ballots.stJames],
      );
      const london = await actionCalendar(
        as({ ...f.actors.regional, regionIds: [f.regions.london] }),
        disputeId,
      );
      assert.deepEqual(
        [...new Set(london.days.flatMap((d) => d.places.map((p) => p.ballotId)))],
        [ballots.camden],
      );
      await assert.rejects(
        actionCalendar(as({ ...f.actors.regional, regionIds: [] }), disputeId),
        refused("action.not_found"),
      );
      const rep = await actionCalendar(as(f.actors.rep), disputeId);
      assert.deepEqual(
        [...new Set(rep.days.flatMap((d) => d.places.map((p) => p.workplaceId)))],
        [f.workplaces.stJames],
      );
      await assert.rejects(actionCalendar(as(f.actors.observer), disputeId), refused("auth.forbidden"));
    });

    test("strike pay: a rep claims for a member of their workplace; the day is held once; an officer decides", async () => {
      await assert.rejects(
        submitClaim(as(f.actors.rep), disputeId, claim(f.members.stJames[0]!, ["2027-01-20"])),
        refused("action.no_pay_rules"),
      );
      await assert.rejects(setPayRules(as(f.actors.regional), disputeId, rules()), refused("auth.forbidden"));
      await setPayRules(national, disputeId, rules());
      const rep = as(f.actors.rep);
      const c = await submitClaim(rep, disputeId, {
        ...claim(f.members.stJames[0]!, ["2027-01-20", "2027-01-21"]),
        evidenceNote: "Out both days; picket at the main gate.",
        evidence: {
          name: "rota.png",
          contentType: "image/png",
          base64: Buffer.from("png-bytes").toString("base64"),
        },
      });
      assert.equal(c.state, "submitted");
      assert.deepEqual(c.days, ["2027-01-20", "2027-01-21"]);
      assert.equal(c.hasEvidence, true);
      // The same day again: refused whole, nothing written.
      const before = await open.db.selectFrom("strike_pay_claims").select("id").execute();
      await assert.rejects(
        submitClaim(rep, disputeId, claim(f.members.stJames[0]!, ["2027-01-21"])),
        refused("action.day_already_claimed"),
      );
      assert.equal(
        (await open.db.selectFrom("strike_pay_claims").select("id").execute()).length,
        before.length,
      );
      // A day that is not a strike day, a member outside the rep's workplaces, evidence too big.
      await assert.rejects(
        submitClaim(rep, disputeId, claim(f.members.stJames[1]!, ["2027-01-25"])),
        refused("action.invalid"),
      );
      await assert.rejects(
        submitClaim(rep, disputeId, claim(f.members.camden[0]!, ["2027-01-20"])),
        refused("action.not_found"),
      );
      await assert.rejects(
        submitClaim(rep, disputeId, {
          ...claim(f.members.stJames[1]!, ["2027-01-20"]),
          evidence: {
            name: "big.pdf",
            contentType: "application/pdf",
            base64: Buffer.alloc(2_100_000).toString("base64"),
          },
        }),
        refused("action.evidence_too_large"),
      );
      // The audit names the claim and member, never the evidence or its note.
      const audit = await open.db
        .selectFrom("audit_log")
        .select("details")
        .where("event", "=", "action.claim_submitted")
        .execute();
      assert.equal(audit.length, 1);
      assert.doesNotMatch(JSON.stringify(audit), /picket|rota/);

      // Reps may not decide; a London officer does not see a Leeds claim; the Yorkshire officer approves.
      await assert.rejects(
        decideStrikePayClaim(rep, disputeId, c.id, { decision: "approve", criteriaMet: [], note: "" }),
        refused("auth.forbidden"),
      );
      const london = as({ ...f.actors.regional, regionIds: [f.regions.london] });
      await assert.rejects(
        decideStrikePayClaim(london, disputeId, c.id, { decision: "approve", criteriaMet: [], note: "" }),
        refused("action.not_found"),
      );
      assert.deepEqual(await listClaims(london, disputeId, { limit: 100 }), []);
      const ok = await decideStrikePayClaim(as(f.actors.regional), disputeId, c.id, {
        decision: "approve",
        criteriaMet: [],
        note: "",
      });
      assert.equal(ok.state, "approved");
      await assert.rejects(
        decideStrikePayClaim(as(f.actors.regional), disputeId, c.id, {
          decision: "reject",
          criteriaMet: [],
          note: "",
        }),
        refused("action.claim_decided"),
      );
      // Evidence is read back only in scope, and the download is audited as an export.
      const file = await claimEvidence(as(f.actors.regional), disputeId, c.id);
      assert.equal(file.body.toString(), "png-bytes");
      await file.trail.finished();
      await assert.rejects(claimEvidence(london, disputeId, c.id), refused("action.not_found"));
    });

    test("a rejected claim frees its days; a re-imported reference changes nothing", async () => {
      const member = f.members.stJames[1]!;
      const first = await submitClaim(as(f.actors.rep), disputeId, claim(member, ["2027-01-20"]));
      await decideStrikePayClaim(national, disputeId, first.id, {
        decision: "reject",
        criteriaMet: [],
        note: "Was at work.",
      });
      const again = await submitClaim(national, disputeId, {
        ...claim(member, ["2027-01-20"]),
        reference: "BATCH1-17",
      });
      assert.equal(again.created, true);
      const reimported = await submitClaim(national, disputeId, {
        ...claim(member, ["2027-01-20"]),
        reference: "BATCH1-17",
      });
      assert.equal(reimported.created, false);
      assert.equal(reimported.id, again.id);
      await decideStrikePayClaim(national, disputeId, again.id, {
        decision: "approve",
        criteriaMet: [],
        note: "",
      });
    });

    test("hardship: approved only with every criterion checked, capped by the rules", async () => {
      const member = f.members.stJames[0]!;
      const h = await submitClaim(national, disputeId, {
        ...claim(member, []),
        kind: "hardship",
        requestedPence: 50_000,
      });
      await assert.rejects(
        decideStrikePayClaim(national, disputeId, h.id, {
          decision: "approve",
          criteriaMet: ["dependants"],
          note: "",
        }),
        refused("action.invalid"),
      );
      const ok = await decideStrikePayClaim(national, disputeId, h.id, {
        decision: "approve",
        criteriaMet: ["dependants", "household income below threshold"],
        note: "",
      });
      assert.equal(ok.amountPence, 30_000);
    });

    test("the payment export holds each approved day once, neutralises formulas, and is audited", async () => {
      // A member whose name a spreadsheet would run.
      const sneaky = (
        await createMember(as(systemActor(f.unionId)), {
          membershipNumber: "M900",
          forenames: "@SUM(A1)",
          surname: '=HYPERLINK("http://x")',
          employerId: f.employers.leedsTrust,
          workplaceId: f.workplaces.stJames,
          regionId: f.regions.yorkshire,
          status: "active",
          inArrears: false,
          checkOff: false,
          consentEmail: false,
          consentSms: false,
        })
      ).id;
      const s = await submitClaim(national, disputeId, claim(sneaky, ["2027-01-21"]));
      await decideStrikePayClaim(national, disputeId, s.id, {
        decision: "approve",
        criteriaMet: [],
        note: "",
      });
      await assert.rejects(
        exportStrikePay(as(f.actors.regional), { from: "2027-01-01", to: "2027-01-31" }),
        refused("auth.forbidden"),
      );
      await assert.rejects(
        exportStrikePay(national, { from: "2027-02-01", to: "2027-01-01" }),
        refused("action.invalid"),
      );
      const out = await exportStrikePay(national, { from: "2027-01-01", to: "2027-01-31" });
      const lines = out.body.trim().split(/\r?\n/).slice(1);
      // Ahmed: 20 and 21 January (the first day unpaid by the rules); Brown: 20 January (the first, unpaid);
      // the sneaky member's 21 January (their first, unpaid); Ahmed's hardship grant (decided on the clock's day).
      const days = lines.filter((l) => l.includes("strike_pay"));
      assert.equal(days.length, 4);
      assert.equal(
        lines.filter((l) => l.includes("hardship")).length,
        0,
        "decided in November, outside the period",
      );
      assert.equal(out.totalPence, 2500);
      assert.ok(out.body.includes("'=HYPERLINK"));
      assert.ok(out.body.includes("'@SUM"));
      const again = await exportStrikePay(national, { from: "2027-01-01", to: "2027-01-31" });
      assert.equal(again.lines, 0, "exported days are paid and never exported again");
      const paid = await open.db
        .selectFrom("strike_pay_claim_days")
        .select(["state"])
        .where("state", "=", "paid")
        .execute();
      assert.equal(paid.length, 4);
      const trail = await open.db
        .selectFrom("audit_log")
        .select("event")
        .where("event", "in", ["export.started", "export.finished"])
        .where(sql`details::text`, "like", "%strike_pay_csv%")
        .execute();
      assert.equal(trail.length, 4);
      // A paid day cannot be claimed again.
      await assert.rejects(
        submitClaim(national, disputeId, claim(sneaky, ["2027-01-21"])),
        refused("action.day_already_claimed"),
      );
    });

    test("reps report numbers out at their workplaces; the latest report counts; scope holds", async () => {
      const rep = as(f.actors.rep);
      await recordActionReport(rep, {
        day: "2027-01-20",
        workplaceId: f.workplaces.stJames,
        outCount: 40,
        atWorkCount: null,
        exemptCount: 3,
        picketUp: true,
      });
      await recordActionReport(
        { ...rep, clock: { now: () => new Date(CLOCK.now().getTime() + 3_600_000) } },
        {
          day: "2027-01-20",
          workplaceId: f.workplaces.stJames,
          outCount: 55,
          atWorkCount: 5,
          exemptCount: 3,
          picketUp: true,
        },
      );
      await assert.rejects(
        recordActionReport(rep, {
          day: "2027-01-20",
          workplaceId: f.workplaces.camdenHall,
          outCount: 1,
          atWorkCount: null,
          exemptCount: null,
          picketUp: false,
        }),
        refused("action.not_found"),
      );
      await recordActionReport(national, {
        day: "2027-01-20",
        workplaceId: f.workplaces.camdenHall,
        outCount: 12,
        atWorkCount: null,
        exemptCount: null,
        picketUp: false,
      });
      const all = await workplacesOnTheDay(national, "2027-01-20");
      assert.deepEqual(
        all.map((w) => [w.workplaceId, w.outCount, w.reports]).sort(),
        [
          [f.workplaces.stJames, 55, 2],
          [f.workplaces.camdenHall, 12, 1],
        ].sort(),
      );
      const yorkshire = await workplacesOnTheDay(as(f.actors.regional), "2027-01-20");
      assert.deepEqual(
        yorkshire.map((w) => w.workplaceId),
        [f.workplaces.stJames],
      );
    });

    test("members on the day: members and those opposed in principle per workplace, with the latest report", async () => {
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
      const all = await membersOnTheDay(national, disputeId, "2027-01-20");
      const stJames = all.workplaces.find((w) => w.workplaceId === f.workplaces.stJames)!;
      assert.equal(stJames.opposedInPrinciple, 1);
      assert.ok(stJames.members >= 3);
      assert.equal(stJames.out, 55);
      assert.equal(stJames.exemptForCover, 3);
      const camden = all.workplaces.find((w) => w.workplaceId === f.workplaces.camdenHall)!;
      assert.equal(camden.out, 12);
      const rep = await membersOnTheDay(as(f.actors.rep), disputeId, "2027-01-20");
      assert.deepEqual(
        rep.workplaces.map((w) => w.workplaceId),
        [f.workplaces.stJames],
      );
    });
  });
}

function rules() {
  return {
    ratePence: 2500,
    unpaidDays: 1,
    maxPaidDays: null,
    maxPencePerMember: null,
    hardshipMaxPence: 30_000,
    hardshipCriteria: ["household income below threshold", "dependants"],
  };
}

function claim(memberId: number, days: string[]) {
  return {
    memberId,
    kind: "strike_pay" as const,
    days,
    requestedPence: null,
    evidenceNote: "",
    evidence: null,
    reference: null,
  };
}
