import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createDispute } from "../src/ballots/disputes.service.js";
import { freezeElectorate } from "../src/ballots/freeze.service.js";
import { createBallot } from "../src/ballots/setup.service.js";
import type { Ctx } from "../src/context.js";
import type { OpenDatabase } from "../src/db/connect.js";
import type { App } from "../src/http/types.js";
import { createMember } from "../src/members/members.service.js";
import { sha256Hex } from "../src/shared/hash.js";
import { as, buildTestApp, type Session, signIn } from "./helpers/app.js";
import { createTestDb } from "./helpers/db.js";
import { CLOCK, type Fixture, seedFixture, systemActor } from "./helpers/fixtures.js";

/**
 * The attack, repeated as a test: every route of the OpenAPI document, called
 * by every role (and by nobody), with the ids of rows inside and outside the
 * caller's scope and in another union. Whatever a route answers, it must
 * never answer 5xx, never show a member outside the caller's scope (each
 * scope has a member with a unique "canary" surname that must not appear in
 * any response to a caller outside it), and never change a row the caller may
 * not change. Routes added later are covered as soon as they are in the
 * OpenAPI document.
 */

type Who = keyof Fixture["actors"] | "anonymous";
type Canary = "stJames" | "lgi" | "camden" | "bradford" | "partner";

const CANARY_SURNAME: Record<Canary, string> = {
  stJames: "Quillfeatherstjames",
  lgi: "Quillfeatherlgi",
  camden: "Quillfeathercamden",
  bradford: "Quillfeatherbradford",
  partner: "Quillfeatherpartner",
};

/** Which canaries each caller may ever see by name. */
const MAY_SEE: Record<Who, readonly Canary[]> = {
  national: ["stJames", "lgi", "camden", "bradford"],
  regional: ["stJames", "lgi", "bradford"], // Yorkshire
  sector: ["stJames", "lgi"], // Health
  rep: ["stJames"], // St James's
  scrutineer: [],
  observer: [],
  dpo: [],
  partnerNational: ["partner"],
  anonymous: [],
};

/** Routes a sweep must not call in the middle: signing out ends the sweep's own session. */
const SKIP = new Set(["POST /api/auth/logout", "POST /api/auth/login"]);

interface World {
  open: OpenDatabase;
  app: App;
  f: Fixture;
  canaries: Record<Canary, number>;
  ballotId: number;
  disputeId: number;
  partnerBallotId: number;
  partnerDisputeId: number;
  partnerEmployerId: number;
}

async function buildWorld(): Promise<World> {
  const open = await createTestDb("pglite");
  const f = await seedFixture(open.db);
  const ctx: Ctx = { db: open.db, actor: systemActor(f.unionId), clock: CLOCK };
  const partnerCtx: Ctx = { db: open.db, actor: f.actors.partnerNational, clock: CLOCK };
  const canary = async (c: Ctx, key: Canary, place: Record<string, number | null>) =>
    (
      await createMember(c, {
        membershipNumber: `CANARY-${key}`,
        forenames: "Robin",
        surname: CANARY_SURNAME[key],
        status: "active",
        inArrears: false,
        checkOff: false,
        consentEmail: false,
        consentSms: false,
        addressLine1: "9 Canary Wharf",
        town: "Leeds",
        homePostcode: "LS2 9JT",
        joinedOn: "2020-01-01",
        jobCategory: "Nursing",
        ...place,
      })
    ).id;
  const partnerRegion = await open.db
    .selectFrom("regions")
    .select("id")
    .where("union_id", "=", f.partnerUnionId)
    .executeTakeFirstOrThrow();
  const partnerEmployer = await open.db
    .insertInto("employers")
    .values({
      union_id: f.partnerUnionId,
      name: "Partner Employer Trust",
      region_id: partnerRegion.id,
      ods_code: "RR8",
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const canaries: Record<Canary, number> = {
    stJames: await canary(ctx, "stJames", {
      employerId: f.employers.leedsTrust,
      workplaceId: f.workplaces.stJames,
      regionId: f.regions.yorkshire,
    }),
    lgi: await canary(ctx, "lgi", {
      employerId: f.employers.leedsTrust,
      workplaceId: f.workplaces.lgi,
      regionId: f.regions.yorkshire,
    }),
    camden: await canary(ctx, "camden", {
      employerId: f.employers.camden,
      workplaceId: f.workplaces.camdenHall,
      regionId: f.regions.london,
    }),
    bradford: await canary(ctx, "bradford", {
      employerId: f.employers.bradfordCouncil,
      workplaceId: f.workplaces.bradfordDepot,
      regionId: f.regions.yorkshire,
    }),
    partner: await canary(partnerCtx, "partner", {
      employerId: partnerEmployer.id,
      workplaceId: null,
      regionId: partnerRegion.id,
    }),
  };
  const ballotInput = (scope: { employerId: number; workplaceId: null }[], partnerUnionIds: number[]) => ({
    name: "All members at the employers",
    kind: "aggregated" as const,
    aggregationTest: "employer" as const,
    aggregationReason: "Every member employed by the employers in dispute (s.228A(4)).",
    questions: ["strike" as const],
    actionShortTypes: [],
    expectedPeriods: "",
    votingMethod: "postal" as const,
    openingDate: "2026-12-07",
    closingDate: "2027-01-04",
    plannedActionFrom: null,
    jobCategories: null,
    includeArrears: false,
    partnerUnionIds,
    scrutineerName: "Civica Election Services",
    scrutineerAddress: "33 Clarendon Road, London N8 0NW",
    returnAddress: "Freepost Ballot Services",
    authorisedPerson: "The General Secretary",
    ipsBelief: false,
    ipsEvidence: "",
    walesDevolved: false,
    checkOffRoute: false,
    scope,
  });
  const national: Ctx = { db: open.db, actor: f.actors.national, clock: CLOCK };
  const dispute = await createDispute(national, {
    title: "Pay 2026",
    mattersInIssue: "The 2026 pay offer.",
    coalition: "",
    employerIds: [f.employers.leedsTrust, f.employers.camden, f.employers.bradfordCouncil],
  });
  // The union names the partner union on its ballot without any agreement from the partner:
  // the partner's members must not enter it.
  const ballot = await createBallot(
    national,
    dispute.id,
    ballotInput(
      [f.employers.leedsTrust, f.employers.camden, f.employers.bradfordCouncil].map((employerId) => ({
        employerId,
        workplaceId: null,
      })),
      [f.partnerUnionId],
    ) as never,
  );
  await freezeElectorate(national, ballot.id);
  const partnerDispute = await createDispute(partnerCtx, {
    title: "Partner pay",
    mattersInIssue: "The partner's pay offer.",
    coalition: "",
    employerIds: [partnerEmployer.id],
  });
  const partnerBallot = await createBallot(
    partnerCtx,
    partnerDispute.id,
    ballotInput([{ employerId: partnerEmployer.id, workplaceId: null }], []) as never,
  );
  await freezeElectorate(partnerCtx, partnerBallot.id);
  const app = await buildTestApp(open);
  return {
    open,
    app,
    f,
    canaries,
    ballotId: ballot.id,
    disputeId: dispute.id,
    partnerBallotId: partnerBallot.id,
    partnerDisputeId: partnerDispute.id,
    partnerEmployerId: partnerEmployer.id,
  };
}

/** Values to put in a route's {id}: rows of the caller's union in and out of every scope, and the other union's. */
function idsFor(path: string, w: World): number[] {
  const { f } = w;
  if (path.startsWith("/api/members/")) return [...Object.values(w.canaries), f.members.noWorkplace];
  if (path.startsWith("/api/employers/")) return [...Object.values(f.employers), w.partnerEmployerId];
  if (path.startsWith("/api/workplaces/")) return Object.values(f.workplaces);
  if (path.startsWith("/api/regions/")) return [...Object.values(f.regions), f.regions.london + 100];
  if (path.startsWith("/api/sectors/")) return Object.values(f.sectors);
  if (path.startsWith("/api/unions/")) return [f.unionId, f.partnerUnionId];
  if (path.startsWith("/api/disputes/")) return [w.disputeId, w.partnerDisputeId];
  if (path.startsWith("/api/ballots/")) return [w.ballotId, w.partnerBallotId];
  return [1, 2, 3];
}

interface Route {
  method: string;
  path: string;
}

async function routesOf(app: App): Promise<Route[]> {
  const doc = (await app.inject({ url: "/api/openapi.json" })).json() as { paths: Record<string, object> };
  const routes: Route[] = [];
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const method of Object.keys(ops)) {
      if (["get", "post", "put", "patch", "delete"].includes(method))
        routes.push({ method: method.toUpperCase(), path });
    }
  }
  return routes;
}

/** Every member row, hashed, keyed by id: what a caller must leave as it was. */
async function memberRows(open: OpenDatabase): Promise<Map<number, string>> {
  const rows = await open.db.selectFrom("members").selectAll().orderBy("id").execute();
  return new Map(rows.map((r) => [r.id, sha256Hex(JSON.stringify(r))]));
}

function bodyText(res: { rawPayload: Buffer; headers: Record<string, unknown> }): string {
  return `${JSON.stringify(res.headers)}\n${res.rawPayload.toString("latin1")}`;
}

describe("every route, every role: no 5xx, no member outside the caller's scope, no write outside it", () => {
  let w: World;
  let routes: Route[];
  before(async () => {
    w = await buildWorld();
    routes = await routesOf(w.app);
  });
  after(async () => {
    await w?.app.close();
    await w?.open.close();
  });

  test("the OpenAPI document lists the routes the sweep covers", () => {
    assert.ok(routes.length >= 50, `only ${routes.length} routes`);
    assert.ok(routes.some((r) => r.path === "/api/members/{id}" && r.method === "PATCH"));
  });

  const callers: Who[] = [
    "anonymous",
    "observer",
    "dpo",
    "scrutineer",
    "rep",
    "sector",
    "partnerNational",
    "regional",
    "national",
  ];
  for (const who of callers) {
    test(`as ${who}`, async () => {
      const session: Session | null =
        who === "anonymous" ? null : await signIn(w.app, w.f.users[who as keyof Fixture["users"]].email);
      const before = await memberRows(w.open);
      const problems: string[] = [];
      const statuses: number[] = [];
      const forbidden = (Object.keys(CANARY_SURNAME) as Canary[]).filter((c) => !MAY_SEE[who].includes(c));
      for (const route of routes) {
        if (SKIP.has(`${route.method} ${route.path}`)) continue;
        const ids = route.path.includes("{") ? idsFor(route.path, w) : [0];
        for (const id of ids) {
          const url = route.path.replace(/\{[^}]+\}/g, String(id));
          const urls =
            route.method === "GET" && !route.path.includes("{") ? [url, `${url}?search=Quillfeather`] : [url];
          for (const u of urls) {
            const options = {
              method: route.method as "GET",
              url: u,
              ...(route.method === "GET" || route.method === "DELETE" ? {} : { payload: {} }),
            };
            const res = session ? await as(w.app, session, options) : await w.app.inject(options);
            const label = `${route.method} ${u} → ${res.statusCode}`;
            statuses.push(res.statusCode);
            if (res.statusCode >= 500) problems.push(`${label}: ${res.body.slice(0, 200)}`);
            if (
              who === "anonymous" &&
              res.statusCode < 400 &&
              !["/api/health", "/api/openapi.json"].includes(route.path)
            )
              problems.push(`${label}: answered without a session`);
            const text = bodyText(res);
            for (const c of forbidden) {
              if (text.includes(CANARY_SURNAME[c])) problems.push(`${label}: shows the ${c} member`);
            }
          }
        }
      }
      // Nothing outside the caller's scope changed (national: the other union's member; others: all they may not see).
      const afterRows = await memberRows(w.open);
      for (const c of forbidden) {
        const id = w.canaries[c];
        if (before.get(id) !== afterRows.get(id)) problems.push(`the ${c} member was changed or erased`);
      }
      // The sweep reached past the gate: every signed-in role is answered somewhere, not refused everywhere.
      if (who !== "anonymous")
        assert.ok(statuses.filter((s) => s < 300).length >= 5, `${who} was refused everywhere`);
      assert.deepEqual(problems, []);
    });
  }
});

describe("writes stay inside the writer's scope", () => {
  let w: World;
  before(async () => {
    w = await buildWorld();
  });
  after(async () => {
    await w?.app.close();
    await w?.open.close();
  });

  test("a regional officer cannot move a member out of their region, by workplace or by region", async () => {
    const yorkshire = await signIn(w.app, w.f.users.regional.email);
    const id = w.canaries.bradford;
    const before = await memberRows(w.open);
    for (const payload of [
      { employerId: w.f.employers.camden, workplaceId: w.f.workplaces.camdenHall },
      { regionId: w.f.regions.london },
      {
        employerId: w.f.employers.camden,
        workplaceId: w.f.workplaces.camdenHall,
        regionId: w.f.regions.yorkshire,
      },
    ]) {
      const res = await as(w.app, yorkshire, { method: "PATCH", url: `/api/members/${id}`, payload });
      assert.ok(
        res.statusCode >= 400 && res.statusCode < 500,
        `${JSON.stringify(payload)} → ${res.statusCode}`,
      );
    }
    assert.equal((await memberRows(w.open)).get(id), before.get(id));
    // A move inside the region is fine, and the member stays visible to the officer.
    const ok = await as(w.app, yorkshire, {
      method: "PATCH",
      url: `/api/members/${id}`,
      payload: { employerId: w.f.employers.leedsTrust, workplaceId: w.f.workplaces.lgi },
    });
    assert.equal(ok.statusCode, 200, ok.body);
    const read = await as(w.app, yorkshire, { method: "GET", url: `/api/members/${id}` });
    assert.equal(read.statusCode, 200);
  });

  test("a national officer of one union can neither read nor change the other union's members", async () => {
    const national = await signIn(w.app, w.f.users.national.email);
    const id = w.canaries.partner;
    for (const method of ["GET", "PATCH", "DELETE"] as const) {
      const res = await as(w.app, national, {
        method,
        url: `/api/members/${id}`,
        ...(method === "PATCH" ? { payload: { surname: "Changed" } } : {}),
      });
      assert.equal(res.statusCode, 404, `${method} → ${res.statusCode}`);
    }
  });

  test("naming a partner union on a ballot brings none of its members in without the partner's agreement", async () => {
    const rows = await w.open.db
      .selectFrom("ballot_electorate")
      .selectAll()
      .where("ballot_id", "=", w.ballotId)
      .execute();
    assert.ok(rows.length > 0);
    assert.ok(
      !JSON.stringify(rows).includes(CANARY_SURNAME.partner),
      "the partner's member is in the snapshot",
    );
  });
});
