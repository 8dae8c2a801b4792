import { hashPassword } from "../../src/auth/passwords.js";
import type { Actor, Role } from "../../src/auth/permissions.js";
import type { CreateBallotInput, CreateDisputeInput, DisputeDto } from "../../src/ballots/ballots.model.js";
import type { Ctx } from "../../src/context.js";
import type { Db } from "../../src/db/database.js";
import { createMember } from "../../src/members/members.service.js";
import { fixedClock } from "../../src/shared/clock.js";

/**
 * A small union with two regions, two sectors, three employers, four
 * workplaces, members spread across them, a partner union, and one user per
 * role. Every suite seeds what it reads from here.
 */
export const PASSWORD = "correct horse battery";
export const CLOCK = fixedClock("2026-11-20T10:00:00Z");

export interface Fixture {
  unionId: number;
  partnerUnionId: number;
  regions: { yorkshire: number; london: number };
  sectors: { health: number; localGov: number };
  employers: { leedsTrust: number; camden: number; bradfordCouncil: number };
  workplaces: { stJames: number; lgi: number; camdenHall: number; bradfordDepot: number };
  members: {
    stJames: number[];
    lgi: number[];
    camden: number[];
    bradford: number[];
    noWorkplace: number;
    partner: number;
  };
  users: Record<Role | "partnerNational", { id: number; email: string }>;
  actors: Record<Role | "partnerNational", Actor>;
}

export function systemActor(unionId: number): Actor {
  return {
    kind: "system",
    userId: null,
    unionId,
    role: "national",
    label: "test",
    regionIds: [],
    sectorIds: [],
    workplaceIds: [],
  };
}

export async function seedFixture(db: Db): Promise<Fixture> {
  const unionId = 1;
  // Who the union's notices come from (union settings): a letterhead and a signatory.
  await db
    .insertInto("union_settings")
    .values({
      union_id: unionId,
      letter_name: "Health and Public Services Union",
      address: "HPSU House\n130 Euston Road\nLondon NW1 2AY",
      contact: "ballots@hpsu.example, 020 7946 0000",
      signatory_name: "Jane Doe",
      signatory_title: "General Secretary",
      updated_at: new Date("2026-11-01T00:00:00Z"),
    })
    .execute();
  const partner = await db
    .insertInto("unions")
    .values({ slug: "partner", name: "Partner Union" })
    .returning("id")
    .executeTakeFirstOrThrow();
  const ins = async (table: "regions" | "sectors", union: number, code: string, name: string) =>
    (
      await db
        .insertInto(table as "sectors")
        .values({ union_id: union, code, name })
        .returning("id")
        .executeTakeFirstOrThrow()
    ).id;
  const regions = {
    yorkshire: await ins("regions", unionId, "yorkshire", "Yorkshire & Humberside"),
    london: await ins("regions", unionId, "london", "Greater London"),
  };
  const sectors = {
    health: await ins("sectors", unionId, "health", "Health"),
    localGov: await ins("sectors", unionId, "local-government", "Local Government"),
  };
  const partnerRegion = await ins("regions", partner.id, "yorkshire", "Yorkshire");
  const employer = async (
    name: string,
    sector: number,
    region: number,
    extra: Record<string, unknown> = {},
  ) =>
    (
      await db
        .insertInto("employers")
        .values({ union_id: unionId, name, sector_id: sector, region_id: region, ...extra })
        .returning("id")
        .executeTakeFirstOrThrow()
    ).id;
  const employers = {
    leedsTrust: await employer("Leeds Teaching Hospitals NHS Trust", sectors.health, regions.yorkshire, {
      ods_code: "RR8",
      important_public_service: "health",
    }),
    camden: await employer("London Borough of Camden", sectors.localGov, regions.london, {
      gss_code: "E09000007",
    }),
    bradfordCouncil: await employer(
      "City of Bradford Metropolitan District Council",
      sectors.localGov,
      regions.yorkshire,
      { gss_code: "E08000032" },
    ),
  };
  const workplace = async (
    employerId: number,
    region: number,
    name: string,
    siteCode: string,
    extra: Record<string, unknown> = {},
  ) =>
    (
      await db
        .insertInto("workplaces")
        .values({
          union_id: unionId,
          employer_id: employerId,
          region_id: region,
          name,
          site_code: siteCode,
          ...extra,
        })
        .returning("id")
        .executeTakeFirstOrThrow()
    ).id;
  const workplaces = {
    stJames: await workplace(
      employers.leedsTrust,
      regions.yorkshire,
      "St James's University Hospital",
      "RR813",
      { postcode: "LS9 7TF", headcount: 2 },
    ),
    lgi: await workplace(employers.leedsTrust, regions.yorkshire, "Leeds General Infirmary", "RR801", {
      postcode: "LS1 3EX",
    }),
    camdenHall: await workplace(employers.camden, regions.london, "Camden Town Hall", "CAM01", {
      postcode: "WC1H 9JE",
    }),
    bradfordDepot: await workplace(
      employers.bradfordCouncil,
      regions.yorkshire,
      "Bowling Back Lane Depot",
      "BRD07",
      {
        postcode: "BD4 8SE",
        closed_on: "2026-03-31",
      },
    ),
  };

  const ctx: Ctx = { db, actor: systemActor(unionId), clock: CLOCK };
  let n = 100;
  const member = async (
    employerId: number | null,
    workplaceId: number | null,
    regionId: number,
    surname: string,
    extra: Record<string, unknown> = {},
  ) =>
    (
      await createMember(ctx, {
        membershipNumber: `M${n++}`,
        forenames: "Alex",
        surname,
        employerId,
        workplaceId,
        regionId,
        status: "active",
        inArrears: false,
        checkOff: false,
        consentEmail: false,
        consentSms: false,
        addressLine1: "1 High Street",
        town: "Leeds",
        homePostcode: "LS1 1AA",
        joinedOn: "2020-01-01",
        jobCategory: "Nursing",
        ...extra,
      })
    ).id;
  const members = {
    stJames: [
      await member(employers.leedsTrust, workplaces.stJames, regions.yorkshire, "Ahmed"),
      await member(employers.leedsTrust, workplaces.stJames, regions.yorkshire, "Brown"),
      await member(employers.leedsTrust, workplaces.stJames, regions.yorkshire, "O'Connor", {
        addressLine1: null,
        homePostcode: null,
      }),
    ],
    lgi: [
      await member(employers.leedsTrust, workplaces.lgi, regions.yorkshire, "Davies", { status: "lapsed" }),
    ],
    camden: [
      await member(employers.camden, workplaces.camdenHall, regions.london, "Evans", {
        town: "London",
        homePostcode: "NW1 2RU",
      }),
      await member(employers.camden, workplaces.camdenHall, regions.london, "Fraser", { inArrears: true }),
    ],
    bradford: [await member(employers.bradfordCouncil, workplaces.bradfordDepot, regions.yorkshire, "Green")],
    noWorkplace: await member(employers.camden, null, regions.london, "Hughes"),
    partner: 0,
  };
  members.partner = (
    await createMember(
      { ...ctx, actor: systemActor(partner.id) },
      {
        membershipNumber: "M100",
        forenames: "Pat",
        surname: "Partner",
        regionId: partnerRegion,
        status: "active",
        inArrears: false,
        checkOff: false,
        consentEmail: false,
        consentSms: false,
      },
    )
  ).id;

  const hash = await hashPassword(PASSWORD);
  const user = async (
    role: Role,
    union: number,
    email: string,
    scope: { region?: number; sector?: number; workplaces?: number[] } = {},
  ) => {
    const u = await db
      .insertInto("users")
      .values({ union_id: union, email, display_name: email.split("@")[0]!, password_hash: hash, role })
      .returning("id")
      .executeTakeFirstOrThrow();
    const rows = [
      ...(scope.region
        ? [{ user_id: u.id, region_id: scope.region, sector_id: null, workplace_id: null }]
        : []),
      ...(scope.sector
        ? [{ user_id: u.id, region_id: null, sector_id: scope.sector, workplace_id: null }]
        : []),
      ...(scope.workplaces ?? []).map((w) => ({
        user_id: u.id,
        region_id: null,
        sector_id: null,
        workplace_id: w,
      })),
    ];
    if (rows.length) await db.insertInto("user_scopes").values(rows).execute();
    return { id: u.id, email };
  };
  const users = {
    national: await user("national", unionId, "national@test.example"),
    regional: await user("regional", unionId, "yorkshire@test.example", { region: regions.yorkshire }),
    sector: await user("sector", unionId, "health@test.example", { sector: sectors.health }),
    rep: await user("rep", unionId, "rep@test.example", { workplaces: [workplaces.stJames] }),
    scrutineer: await user("scrutineer", unionId, "scrutineer@test.example"),
    observer: await user("observer", unionId, "observer@test.example"),
    dpo: await user("dpo", unionId, "dpo@test.example"),
    partnerNational: await user("national", partner.id, "national@partner.example"),
  };
  const actor = (
    role: Role,
    u: { id: number; email: string },
    union = unionId,
    scope: Partial<Actor> = {},
  ): Actor => ({
    kind: "user",
    userId: u.id,
    unionId: union,
    role,
    label: u.email,
    regionIds: [],
    sectorIds: [],
    workplaceIds: [],
    ...scope,
  });
  const actors = {
    national: actor("national", users.national),
    regional: actor("regional", users.regional, unionId, { regionIds: [regions.yorkshire] }),
    sector: actor("sector", users.sector, unionId, { sectorIds: [sectors.health] }),
    rep: actor("rep", users.rep, unionId, { workplaceIds: [workplaces.stJames] }),
    scrutineer: actor("scrutineer", users.scrutineer),
    observer: actor("observer", users.observer),
    dpo: actor("dpo", users.dpo),
    partnerNational: actor("national", users.partnerNational, partner.id),
  };
  return {
    unionId,
    partnerUnionId: partner.id,
    regions,
    sectors,
    employers,
    workplaces,
    members,
    users,
    actors,
  };
}

/**
 * A regime C aggregated ballot of the fixture's three employers (opens 7 December 2026, closes
 * 4 January 2027, postal, strike only); `over` changes what a test is about.
 */
export function ballotInput(f: Fixture, over: Partial<CreateBallotInput> = {}): CreateBallotInput {
  return {
    name: "Pay 2026: all members",
    kind: "aggregated",
    aggregationTest: "employer",
    aggregationReason: "All members employed by the employers in dispute.",
    questions: ["strike"],
    actionShortTypes: [],
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
    returnAddress: "Freepost RTKT-XYZA, Ballot Services, London N8 0NW",
    authorisedPerson: "The General Secretary",
    ipsBelief: false,
    ipsEvidence: "",
    reballot: false,
    walesDevolved: false,
    checkOffRoute: false,
    scope: [
      { employerId: f.employers.leedsTrust, workplaceId: null },
      { employerId: f.employers.camden, workplaceId: null },
      { employerId: f.employers.bradfordCouncil, workplaceId: null },
    ],
    ...over,
  };
}

/** One ballot of `createDisputeBallots`: a workplace ballot (s.228), or with no workplace an aggregated one by employer. */
export interface DisputeBallot {
  /** The ballot's name in the returned records. */
  key: string;
  name: string;
  employerId: number;
  workplaceId: number | null;
}

/**
 * A dispute ("Pay 2026") over the fixture union's employers, its ballots made with `ballotInput`, each
 * over one employer or one workplace, and those named in `freeze` frozen, in that order. The dispute's
 * employers are `employers`, or else the ballots' employers in order. Returns the dispute and, by key,
 * each ballot's id and each frozen ballot's entitled count.
 */
export async function createDisputeBallots(
  ctx: Ctx,
  f: Fixture,
  options: {
    employers?: number[];
    dispute?: Partial<Omit<CreateDisputeInput, "employerIds">>;
    ballots: DisputeBallot[];
    freeze?: string[];
  },
): Promise<{ dispute: DisputeDto; ballots: Record<string, number>; entitled: Record<string, number> }> {
  // Loaded here, not above: most suites seeding the fixture never load the ballots domain.
  const { createBallot, createDispute, freezeElectorate } = await import("../../src/ballots/index.js");
  const dispute = await createDispute(ctx, {
    title: "Pay 2026",
    mattersInIssue: "Pay.",
    coalition: "",
    ...options.dispute,
    employerIds: options.employers ?? [...new Set(options.ballots.map((b) => b.employerId))],
  });
  const ballots: Record<string, number> = {};
  for (const { key, name, employerId, workplaceId } of options.ballots) {
    ballots[key] = (
      await createBallot(
        ctx,
        dispute.id,
        ballotInput(f, {
          name,
          kind: workplaceId ? "workplace" : "aggregated",
          aggregationTest: workplaceId ? null : "employer",
          scope: [{ employerId, workplaceId }],
        }),
      )
    ).id;
  }
  const entitled: Record<string, number> = {};
  for (const key of options.freeze ?? []) {
    const id = ballots[key];
    if (id === undefined) throw new Error(`createDisputeBallots: no ballot "${key}" to freeze`);
    entitled[key] = (await freezeElectorate(ctx, id)).entitled;
  }
  return { dispute, ballots, entitled };
}

/** One dispute with one workplace ballot, St James's (Leeds), its electorate frozen: its ballot id. */
export async function frozenStJamesBallot(ctx: Ctx, f: Fixture): Promise<number> {
  const { ballots } = await createDisputeBallots(ctx, f, {
    ballots: [
      {
        key: "stJames",
        name: "St James's",
        employerId: f.employers.leedsTrust,
        workplaceId: f.workplaces.stJames,
      },
    ],
    freeze: ["stJames"],
  });
  return ballots.stJames!;
}
