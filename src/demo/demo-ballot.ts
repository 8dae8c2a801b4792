/**
 * A dispute in the demo union, so a new user sees the ballot engine at work:
 * an aggregated ballot of the health employers of one region, its electorate
 * frozen, with the pre-flight defects real registers have left for the user
 * to find and fix.
 */
import { appointScrutineer, createBallot, createDispute, freezeElectorate } from "../ballots/index.js";
import type { Ctx } from "../context.js";
import { addDays } from "../law/index.js";
import { ukDate } from "../shared/clock.js";

export interface DemoBallot {
  disputeId: number;
  ballotId: number;
  employers: number;
  entitled: number;
}

export async function seedDemoBallot(ctx: Ctx): Promise<DemoBallot | null> {
  const unionId = ctx.actor.unionId;
  // The region of the demo rep's employer when it is a health employer, so the rep signing in finds their
  // members on a contact list; otherwise the region with the most health employers.
  const repEmployer = await ctx.db
    .selectFrom("users as u")
    .innerJoin("user_scopes as us", "us.user_id", "u.id")
    .innerJoin("workplaces as w", "w.id", "us.workplace_id")
    .innerJoin("employers as e", "e.id", "w.employer_id")
    .innerJoin("sectors as s", "s.id", "e.sector_id")
    .select(["e.id", "e.region_id"])
    .where("u.union_id", "=", unionId)
    .where("u.role", "=", "rep")
    .where("s.code", "=", "health")
    .where("e.region_id", "is not", null)
    .orderBy("u.id")
    .orderBy("e.id")
    .executeTakeFirst();
  const region =
    repEmployer ??
    (await ctx.db
      .selectFrom("employers as e")
      .innerJoin("sectors as s", "s.id", "e.sector_id")
      .select(["e.region_id", (eb) => eb.fn.countAll<number>().as("n")])
      .where("e.union_id", "=", unionId)
      .where("s.code", "=", "health")
      .where("e.region_id", "is not", null)
      .groupBy("e.region_id")
      .orderBy("n", "desc")
      .orderBy("e.region_id")
      .executeTakeFirst());
  if (!region) return null;
  const regionEmployers = await ctx.db
    .selectFrom("employers as e")
    .innerJoin("sectors as s", "s.id", "e.sector_id")
    .select(["e.id"])
    .where("e.union_id", "=", unionId)
    .where("s.code", "=", "health")
    .where("e.region_id", "=", region.region_id)
    .orderBy("e.id")
    .execute();
  // Eight employers at most, the rep's among them.
  const employers = [
    ...(repEmployer ? [{ id: repEmployer.id }] : []),
    ...regionEmployers.filter((e) => e.id !== repEmployer?.id),
  ].slice(0, 8);
  const today = ukDate(ctx.clock.now());
  const dispute = await createDispute(ctx, {
    title: "NHS pay 2026/27",
    mattersInIssue:
      "The employers' imposition of a 2.8% pay award for 2026/27, below inflation, and the failure to restore pay lost since 2010.",
    coalition: "Balloting alongside partner health unions on a shared timetable.",
    employerIds: employers.map((e) => e.id),
  });
  const ballot = await createBallot(ctx, dispute.id, {
    name: "Health members in the region's trusts",
    kind: "aggregated",
    aggregationTest: "employer",
    aggregationReason: "All members employed by the trusts in dispute (s.228A(4)).",
    questions: ["strike", "action_short_of_strike"],
    actionShortTypes: ["Overtime ban", "Refusal of unpaid work"],
    expectedPeriods: "",
    votingMethod: "postal",
    openingDate: addDays(today, 21),
    closingDate: addDays(today, 56),
    plannedActionFrom: null,
    jobCategories: null,
    includeArrears: false,
    partnerUnionIds: [],
    scrutineerName: "Civica Election Services",
    scrutineerAddress: "The Election Centre, 33 Clarendon Road, London N8 0NW",
    returnAddress: "Freepost CES BALLOT, London N8 0NW",
    authorisedPerson: "The General Secretary",
    ipsBelief: true,
    ipsEvidence: "Most members work in hospital services covered by SI 2017/132.",
    walesDevolved: false,
    checkOffRoute: false,
    reballot: false,
    scope: employers.map((e) => ({ employerId: e.id, workplaceId: null })),
  });
  // The demo's independent scrutineer works on this ballot: appointed, they see it and enter its result.
  const scrutineers = await ctx.db
    .selectFrom("users")
    .select("id")
    .where("union_id", "=", unionId)
    .where("role", "=", "scrutineer")
    .orderBy("id")
    .execute();
  for (const u of scrutineers) await appointScrutineer(ctx, ballot.id, u.id);
  const electorate = await freezeElectorate(ctx, ballot.id);
  return {
    disputeId: dispute.id,
    ballotId: ballot.id,
    employers: employers.length,
    entitled: electorate.entitled,
  };
}
