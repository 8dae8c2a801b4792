import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { backends, createTestDb } from "../../test/helpers/db.js";
import { CLOCK, type Fixture, seedFixture } from "../../test/helpers/fixtures.js";
import { verifyAudit } from "../audit/index.js";
import type { Ctx } from "../context.js";
import type { OpenDatabase } from "../db/connect.js";
import { updateMember } from "../members/index.js";
import { recordCommencement } from "../settings/index.js";
import { fixedClock } from "../shared/clock.js";
import { AppError } from "../shared/errors.js";
import type { CreateBallotInput } from "./ballots.model.js";
import { createDispute } from "./disputes.service.js";
import { electorateSummary, listElectorate } from "./electorate.service.js";
import { freezeElectorate } from "./freeze.service.js";
import {
  decidePartnerAgreement,
  getPartnerAgreement,
  proposePartnerAgreement,
  sharedMembers,
} from "./partner-agreements.service.js";
import { preflight } from "./preflight.service.js";
import { recordResult } from "./results.service.js";
import { appointScrutineer } from "./scrutineers.service.js";
import { createBallot, getBallot, reviewStatement, updateBallot } from "./setup.service.js";

const refused = (code: string) => (e: unknown) => e instanceof AppError && e.code === code;

/** A C-regime ballot in the fixture's union: opens 7 December 2026, closes 4 January 2027. */
function ballotInput(f: Fixture, over: Partial<CreateBallotInput> = {}): CreateBallotInput {
  return {
    name: "All members at the three employers",
    kind: "aggregated",
    aggregationTest: "employer",
    aggregationReason: "Every member employed by the employers in dispute (s.228A(4)).",
    questions: ["strike", "action_short_of_strike"],
    actionShortTypes: ["Overtime ban"],
    expectedPeriods: "",
    votingMethod: "postal",
    openingDate: "2026-12-07",
    closingDate: "2027-01-04",
    plannedActionFrom: null,
    jobCategories: null,
    includeArrears: false,
    partnerUnionIds: [],
    scrutineerName: "Civica Election Services",
    scrutineerAddress: "33 Clarendon Road, London N8 0NW",
    returnAddress: "Freepost Ballot Services",
    authorisedPerson: "The General Secretary",
    ipsBelief: false,
    ipsEvidence: "",
    walesDevolved: false,
    checkOffRoute: false,
    reballot: false,
    scope: [
      { employerId: f.employers.leedsTrust, workplaceId: null },
      { employerId: f.employers.camden, workplaceId: null },
      { employerId: f.employers.bradfordCouncil, workplaceId: null },
    ],
    ...over,
  };
}

for (const { backend, skip } of await backends()) {
  describe(`ballots on ${backend}`, { skip }, () => {
    let open: OpenDatabase;
    let f: Fixture;
    const as = (role: keyof Fixture["actors"]): Ctx => ({ db: open.db, actor: f.actors[role], clock: CLOCK });
    let disputeId: number;

    before(async () => {
      open = await createTestDb(backend);
      f = await seedFixture(open.db);
      const d = await createDispute(as("national"), {
        title: "Pay 2026",
        mattersInIssue: "The 2026 pay offer.",
        coalition: "",
        employerIds: [f.employers.leedsTrust, f.employers.camden, f.employers.bradfordCouncil],
      });
      disputeId = d.id;
    });
    after(async () => {
      await open?.close();
    });

    const checkCounts = async (ballotId: number) =>
      Object.fromEntries((await preflight(as("national"), ballotId)).checks.map((c) => [c.code, c.count]));

    test("only a national officer sets up disputes and ballots", async () => {
      await assert.rejects(
        createDispute(as("regional"), {
          title: "x",
          mattersInIssue: "",
          coalition: "",
          employerIds: [f.employers.camden],
        }),
        refused("auth.forbidden"),
      );
      await assert.rejects(createBallot(as("rep"), disputeId, ballotInput(f)), refused("auth.forbidden"));
    });

    test("one ballot, one jurisdiction: NI and GB employers together are refused (TULR(NI)O 1995; decision 0013)", async () => {
      await open.db
        .updateTable("employers")
        .set({ nation: "northern_ireland" })
        .where("id", "=", f.employers.camden)
        .execute();
      try {
        await assert.rejects(
          createBallot(as("national"), disputeId, ballotInput(f)),
          (e: unknown) =>
            e instanceof AppError && e.code === "ballots.invalid" && /one jurisdiction/.test(e.message),
        );
      } finally {
        await open.db
          .updateTable("employers")
          .set({ nation: "england" })
          .where("id", "=", f.employers.camden)
          .execute();
      }
    });

    test("a commencement date recorded by the union lets its voting method through set-up (decision 0013)", async () => {
      const national = as("national");
      const outsideDispute = { employerId: 999_999, workplaceId: null };
      await recordCommencement(national, "electronic_voting", {
        commencedOn: "2026-01-01",
        source: "Test Order 2026 art. 2",
      });
      try {
        // Past the method check, the set-up stops at the next rule (an employer outside the dispute).
        await assert.rejects(
          createBallot(
            national,
            disputeId,
            ballotInput(f, { votingMethod: "electronic", scope: [outsideDispute] }),
          ),
          refused("ballots.invalid"),
        );
      } finally {
        await recordCommencement(national, "electronic_voting", { commencedOn: null, source: "reset" });
      }
    });

    test("set-up rules: one workplace per workplace ballot, a s.228A test for aggregation, methods in force", async () => {
      const national = as("national");
      await assert.rejects(
        createBallot(national, disputeId, ballotInput(f, { kind: "workplace", aggregationTest: null })),
        refused("ballots.invalid"),
      );
      await assert.rejects(
        createBallot(national, disputeId, ballotInput(f, { aggregationTest: null })),
        refused("ballots.invalid"),
      );
      await assert.rejects(
        createBallot(
          national,
          disputeId,
          ballotInput(f, { aggregationTest: "occupation", jobCategories: null }),
        ),
        refused("ballots.invalid"),
      );
      await assert.rejects(
        createBallot(national, disputeId, ballotInput(f, { votingMethod: "electronic" })),
        (e: unknown) =>
          e instanceof AppError && e.code === "law.method_not_in_force" && /not in force/.test(e.message),
      );
      const b = await createBallot(
        national,
        disputeId,
        ballotInput(f, {
          name: "St James's",
          kind: "workplace",
          aggregationTest: null,
          scope: [{ employerId: f.employers.leedsTrust, workplaceId: f.workplaces.stJames }],
        }),
      );
      assert.equal(b.kind, "workplace");
      assert.equal(b.regime, "C");
      assert.equal(b.timetable.deadlines.find((d) => d.id === "ballot_notice")?.date, "2026-11-30");
    });

    test("B: the 40% rule's regulations that are unconfirmed are listed for legal review", async () => {
      await open.db
        .updateTable("employers")
        .set({ important_public_service: "fire" })
        .where("id", "=", f.employers.camden)
        .execute();
      const b = await createBallot(
        as("national"),
        disputeId,
        ballotInput(f, {
          name: "2019 ballot",
          openingDate: "2019-06-03",
          closingDate: "2019-06-24",
          ipsBelief: true,
        }),
      );
      assert.equal(b.regime, "B");
      assert.ok(
        b.legalReview.some((r) => r.rule === "important_public_services_40" && /2017\/134/.test(r.reason)),
      );
      const c = await createBallot(
        as("national"),
        disputeId,
        ballotInput(f, { name: "2026 ballot", ipsBelief: true }),
      );
      assert.ok(!c.legalReview.some((r) => r.rule === "important_public_services_40"), "no 40% rule in C");
      await open.db
        .updateTable("employers")
        .set({ important_public_service: null })
        .where("id", "=", f.employers.camden)
        .execute();
    });

    test("freezing: every member the scope reaches, in or out with the reason, numbered and fingerprinted", async () => {
      const b = await createBallot(as("national"), disputeId, ballotInput(f));
      const summary = await freezeElectorate(as("national"), b.id);
      // St James's 3, Camden: Evans and Hughes (no workplace), Bradford: Green. Davies lapsed, Fraser in arrears.
      assert.equal(summary.entitled, 6);
      assert.equal(summary.excluded, 2);
      assert.match(summary.hash, /^[0-9a-f]{64}$/);
      assert.deepEqual(
        summary.byReason
          .filter((r) => !r.included)
          .map((r) => r.reason)
          .sort(),
        ["Not entitled: in arrears (union rule book)", "Not entitled: membership has lapsed"],
      );
      const page = await listElectorate(as("national"), b.id, { included: "true", page: 1, pageSize: 50 });
      assert.deepEqual(
        page.items.map((i) => i.paperNumber),
        [1, 2, 3, 4, 5, 6],
      );
      assert.equal((await getBallot(as("national"), b.id)).state, "frozen");

      const again = await freezeElectorate(as("national"), b.id);
      assert.equal(again.hash, summary.hash, "the same data freezes to the same fingerprint");

      const withArrears = await updateBallot(as("national"), b.id, { includeArrears: true });
      assert.equal(withArrears.state, "draft", "changing the set-up thaws the snapshot");
      const thawed = await freezeElectorate(as("national"), b.id);
      assert.equal(thawed.entitled, 7);
      assert.notEqual(thawed.hash, summary.hash);
      assert.equal((await verifyAudit(as("dpo"))).ok, true);
    });

    test("a partner organisation's members are balloted at our employer and workplace, matched by register and site code", async () => {
      const employer = await open.db
        .insertInto("employers")
        .values({ union_id: f.partnerUnionId, name: "Leeds Teaching Hospitals", ods_code: "rr8" })
        .returning("id")
        .executeTakeFirstOrThrow();
      const site = await open.db
        .insertInto("workplaces")
        .values({
          union_id: f.partnerUnionId,
          employer_id: employer.id,
          name: "St James's",
          site_code: "RR813",
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      await open.db
        .updateTable("members")
        .set({
          employer_id: employer.id,
          workplace_id: site.id,
          job_category: "Nursing",
          address_line1: "3 Road",
          home_postcode: "LS9 7TF",
        })
        .where("id", "=", f.members.partner)
        .execute();
      const without = await createBallot(
        as("national"),
        disputeId,
        ballotInput(f, { name: "Without partner" }),
      );
      const withPartner = await createBallot(
        as("national"),
        disputeId,
        ballotInput(f, { name: "With partner", partnerUnionIds: [f.partnerUnionId] }),
      );
      assert.equal((await freezeElectorate(as("national"), without.id)).entitled, 6);
      // Naming the partner on the ballot is not enough: without its agreement, none of its members.
      assert.equal((await freezeElectorate(as("national"), withPartner.id)).entitled, 6);
      const partnerCtx: Ctx = { ...as("national"), actor: f.actors.partnerNational };
      const partnerLog = async (event: string) =>
        open.db
          .selectFrom("audit_log")
          .select(["event", "details"])
          .where("union_id", "=", f.partnerUnionId)
          .where("event", "=", event)
          .execute();

      const asked = await proposePartnerAgreement(as("national"), {
        partnerUnionId: f.partnerUnionId,
        ballotId: withPartner.id,
        purpose: "Joint ballot at Leeds Teaching Hospitals",
      });
      assert.equal(asked.state, "requested");
      assert.deepEqual(
        asked.fields,
        ["name", "address"],
        "only what the ballot needs: no category, no check-off",
      );
      assert.equal((await partnerLog("partner_agreement.requested")).length, 1, "in the partner's own log");
      await assert.rejects(
        decidePartnerAgreement(as("national"), asked.id, "accept"),
        refused("partner_agreements.wrong_state"),
        "the requesting union cannot accept its own request",
      );
      await assert.rejects(
        decidePartnerAgreement(as("regional"), asked.id, "accept"),
        refused("auth.forbidden"),
      );
      assert.equal(
        (await freezeElectorate(as("national"), withPartner.id)).entitled,
        6,
        "requested is not agreed",
      );

      const accepted = await decidePartnerAgreement(partnerCtx, asked.id, "accept");
      assert.equal(accepted.state, "accepted");
      assert.equal(accepted.side, "partner");
      const summary = await freezeElectorate(as("national"), withPartner.id);
      assert.equal(summary.entitled, 7);
      const page = await listElectorate(as("national"), withPartner.id, {
        included: "true",
        page: 1,
        pageSize: 50,
      });
      const partner = page.items.find((i) => i.memberId === f.members.partner)!;
      assert.equal(partner.employerId, f.employers.leedsTrust);
      assert.equal(partner.workplaceId, f.workplaces.stJames);
      assert.equal(partner.jobCategory, null, "the category was not shared: the ballot does not need it");
      const copied = await open.db
        .selectFrom("ballot_electorate")
        .select(["name", "address_lines", "job_category"])
        .where("ballot_id", "=", withPartner.id)
        .where("member_id", "=", f.members.partner)
        .executeTakeFirstOrThrow();
      assert.deepEqual(copied, { name: "Pat Partner", address_lines: ["3 Road"], job_category: null });

      // The partner sees what left it, in its own log and through the agreement.
      const shared = await partnerLog("partner_agreement.members_shared");
      assert.equal(shared.length, 1);
      assert.equal((shared[0]!.details as { entitled: number }).entitled, 1);
      assert.equal((await getPartnerAgreement(partnerCtx, asked.id)).shared[0]!.entitled, 1);
      assert.deepEqual(await sharedMembers(partnerCtx, asked.id), [
        { ballotId: withPartner.id, membershipNumber: "M100", included: true, fields: ["name", "address"] },
      ]);
      await assert.rejects(sharedMembers(as("national"), asked.id), refused("partner_agreements.not_found"));

      // The partner agreed to its members at Leeds Teaching Hospitals, the employer matched when it
      // accepted. Pointing another of our employers at another of its employers afterwards (or
      // widening the scope) copies no one more.
      const elsewhere = await open.db
        .insertInto("employers")
        .values({ union_id: f.partnerUnionId, name: "Camden Care", ods_code: "CC1" })
        .returning("id")
        .executeTakeFirstOrThrow();
      const camden = await open.db
        .selectFrom("employers")
        .select("ods_code")
        .where("id", "=", f.employers.camden)
        .executeTakeFirstOrThrow();
      await open.db
        .updateTable("members")
        .set({ employer_id: elsewhere.id, workplace_id: null })
        .where("id", "=", f.members.partner)
        .execute();
      await open.db
        .updateTable("employers")
        .set({ ods_code: "CC1" })
        .where("id", "=", f.employers.camden)
        .execute();
      assert.equal((await freezeElectorate(as("national"), withPartner.id)).entitled, 6);
      await open.db
        .updateTable("employers")
        .set({ ods_code: camden.ods_code })
        .where("id", "=", f.employers.camden)
        .execute();
      await open.db
        .updateTable("members")
        .set({ employer_id: employer.id, workplace_id: site.id })
        .where("id", "=", f.members.partner)
        .execute();
      assert.equal((await freezeElectorate(as("national"), withPartner.id)).entitled, 7);

      // Withdrawn: the snapshot is thawed and cleared at once, so the partner's members' names and
      // addresses are no longer held or listed; the next freeze leaves them out.
      const withdrawn = await decidePartnerAgreement(partnerCtx, asked.id, "withdraw");
      assert.deepEqual(withdrawn.shared, []);
      assert.deepEqual(await sharedMembers(partnerCtx, asked.id), []);
      assert.equal((await getBallot(as("national"), withPartner.id)).state, "draft");
      const left = await open.db
        .selectFrom("ballot_electorate")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("member_union_id", "=", f.partnerUnionId)
        .executeTakeFirstOrThrow();
      assert.equal(Number(left.n), 0);
      await assert.rejects(
        listElectorate(as("national"), withPartner.id, { page: 1, pageSize: 50 }),
        refused("ballots.wrong_state"),
      );
      assert.equal((await freezeElectorate(as("national"), withPartner.id)).entitled, 6);
      assert.equal((await partnerLog("partner_agreement.withdrawn")).length, 1);
      const ours = await open.db
        .selectFrom("audit_log")
        .select("event")
        .where("union_id", "=", f.unionId)
        .where("event", "like", "partner_agreement.%")
        .execute();
      assert.deepEqual(ours.map((r) => r.event).sort(), [
        "partner_agreement.accepted",
        "partner_agreement.requested",
        "partner_agreement.withdrawn",
      ]);
      assert.equal((await verifyAudit(as("dpo"))).ok, true);
    });

    test("who sees what: observers get totals only, scrutineers no names, reps cannot freeze", async () => {
      const b = await createBallot(as("national"), disputeId, ballotInput(f, { name: "Roles" }));
      await freezeElectorate(as("national"), b.id);
      const observer = await electorateSummary(as("observer"), b.id);
      assert.equal(observer.entitled, 6);
      assert.deepEqual(observer.byEmployer, []);
      await assert.rejects(
        electorateSummary(as("scrutineer"), b.id),
        refused("ballots.not_found"),
        "a scrutineer sees only the ballots they are appointed to",
      );
      await appointScrutineer(as("national"), b.id, f.users.scrutineer.id);
      assert.equal((await electorateSummary(as("scrutineer"), b.id)).byEmployer.length, 3);
      await assert.rejects(
        listElectorate(as("scrutineer"), b.id, { page: 1, pageSize: 10 }),
        refused("auth.forbidden"),
      );
      await assert.rejects(freezeElectorate(as("rep"), b.id), refused("auth.forbidden"));
      await assert.rejects(
        getBallot(f.actors.partnerNational && { ...as("national"), actor: f.actors.partnerNational }, b.id),
        refused("ballots.not_found"),
      );
    });

    test("pre-flight blocks each data defect the injunction cases came from, and clears when fixed", async () => {
      const national = as("national");
      const b = await createBallot(national, disputeId, ballotInput(f, { name: "Pre-flight" }));
      const before = await preflight(national, b.id);
      assert.equal(before.blocking, true);
      assert.ok(before.checks.some((c) => c.code === "electorate.not_frozen"));

      await freezeElectorate(national, b.id);
      let counts = await checkCounts(b.id);
      assert.equal(counts["workplace.unknown"], 1, "Hughes has no workplace");
      assert.equal(counts["workplace.closed"], 1, "Green works at a depot closed in March 2026");
      assert.equal(counts["workplace.over_headcount"], 1, "3 members balloted at St James's, headcount 2");
      assert.equal(counts["member.no_address"], 1, "O'Connor has no address");
      assert.equal(counts["setup.incomplete"], 1, "the C statement wording needs legal review");
      const setup = (await preflight(national, b.id)).checks.find((c) => c.code === "setup.incomplete")!;
      assert.match(setup.items[0]!.detail, /statement/);
      assert.match(
        (await preflight(national, b.id)).checks.find((c) => c.code === "workplace.closed")!.citation,
        /Network Rail v RMT/,
      );

      // Fix the data, then freeze again.
      await updateMember(national, f.members.noWorkplace, { workplaceId: f.workplaces.camdenHall });
      await updateMember(national, f.members.stJames[2]!, {
        addressLine1: "2 Beckett Street",
        homePostcode: "LS9 7TF",
      });
      await updateMember(national, f.members.bradford[0]!, {
        employerId: f.employers.leedsTrust,
        workplaceId: f.workplaces.lgi,
      });
      await open.db
        .updateTable("workplaces")
        .set({ headcount: 40 })
        .where("id", "=", f.workplaces.stJames)
        .execute();
      await reviewStatement(
        national,
        b.id,
        "If you take part in a strike or other industrial action, you may be in breach of your contract of employment. (wording as advised)",
      );
      await freezeElectorate(national, b.id);
      counts = await checkCounts(b.id);
      for (const code of [
        "workplace.unknown",
        "workplace.closed",
        "workplace.over_headcount",
        "member.no_address",
        "setup.incomplete",
      ]) {
        assert.equal(counts[code], 0, code);
      }
      assert.equal((await preflight(national, b.id)).blocking, false);

      // Defects that appear later are caught too: a day later, two records change.
      const nextDay = { ...national, clock: fixedClock("2026-11-21T10:00:00Z") };
      await updateMember(nextDay, f.members.camden[0]!, { jobCategory: "Staff" });
      await updateMember(nextDay, f.members.stJames[0]!, { leftOn: "2027-01-10", jobCategory: null });
      counts = await checkCounts(b.id);
      assert.equal(counts["member.changed_since_snapshot"], 2, "changes after the snapshot are listed");
      await freezeElectorate(nextDay, b.id);
      counts = await checkCounts(b.id);
      assert.equal(counts["category.vague"], 1);
      assert.equal(counts["category.unknown"], 1);
      assert.equal(counts["member.leaving"], 1, "leaves 10 January, before the first possible day of action");

      await updateBallot(national, b.id, { checkOffRoute: true });
      await freezeElectorate(national, b.id);
      assert.ok(
        (await checkCounts(b.id))["checkoff.misused"]! > 0,
        "Metrobus: check-off route for non-check-off members",
      );
    });

    test("a result needs the notices issued first, and the scrutineer may enter it", async () => {
      const b = await createBallot(as("national"), disputeId, ballotInput(f, { name: "Result" }));
      await freezeElectorate(as("national"), b.id);
      const result = {
        votesCast: 4,
        declaredOn: "2027-01-04",
        questions: [
          { question: "strike" as const, yes: 3, no: 1 },
          { question: "action_short_of_strike" as const, yes: 3, no: 1 },
        ],
      };
      await assert.rejects(recordResult(as("scrutineer"), b.id, result), refused("ballots.not_found"));
      await appointScrutineer(as("national"), b.id, f.users.scrutineer.id);
      await assert.rejects(
        recordResult(as("scrutineer"), b.id, {
          votesCast: 4,
          declaredOn: "2027-01-04",
          questions: [
            { question: "strike", yes: 3, no: 1 },
            { question: "action_short_of_strike", yes: 3, no: 1 },
          ],
        }),
        refused("ballots.wrong_state"),
      );
      await assert.rejects(
        recordResult(as("rep"), b.id, { votesCast: 4, declaredOn: "2027-01-04", questions: [] }),
        refused("auth.forbidden"),
      );
    });
  });
}
