import { sql } from "kysely";
import { recordAudit } from "../audit/index.js";
import { hashPassword, scopeKindNeeded } from "../auth/index.js";
import type { Ctx } from "../context.js";
import { insertRowsAsJson } from "../db/bulk.js";
import type { Db } from "../db/database.js";
import { withTx } from "../db/tx.js";
import {
  DEMO_PASSWORD,
  type DemoMember,
  type DemoUnion,
  generateDemoUnion,
  generateMembers,
} from "./demo.generate.js";
import { type DemoBallot, seedDemoBallot } from "./demo-ballot.js";
import { type DemoCoalition, seedDemoCoalition } from "./demo-coalition.js";
import { DEMO_LEGAL_EMAIL, type DemoPlans, seedDemoPlans } from "./demo-plans.js";
import { type DemoReviewWork, seedDemoReviewWork } from "./demo-review-work.js";

export interface SeedOptions {
  members: number;
  seed: number;
  /** Called after each batch with members written so far. */
  onProgress?: (done: number, total: number) => void;
}

export interface SeedResult {
  /** The demo dispute's ballot, frozen and ready for pre-flight (null when the demo has no health employers). */
  ballot: DemoBallot | null;
  /** The demo coalition (decision 0032), with the demo ballot linked and a second union's report received. */
  coalition: DemoCoalition | null;
  unionId: number;
  unionName: string;
  regions: number;
  sectors: number;
  branches: number;
  employers: number;
  workplaces: number;
  members: number;
  users: { email: string; role: string; scope: string }[];
  password: string;
  /** The plans, requests for assistance and departments seeded. */
  plans: DemoPlans;
  /** What was left in the review and duplicate queues for a newcomer to work through. */
  reviewWork: DemoReviewWork;
}

const BATCH = 5000;

export async function unionIsEmpty(db: Db, unionId: number): Promise<boolean> {
  const row = await db
    .selectFrom("unions")
    .select([
      (eb) =>
        eb
          .selectFrom("members")
          .select(eb.fn.countAll<number>().as("n"))
          .where("union_id", "=", unionId)
          .as("members"),
      (eb) =>
        eb
          .selectFrom("employers")
          .select(eb.fn.countAll<number>().as("n"))
          .where("union_id", "=", unionId)
          .as("employers"),
      (eb) =>
        eb
          .selectFrom("users")
          .select(eb.fn.countAll<number>().as("n"))
          .where("union_id", "=", unionId)
          .as("users"),
    ])
    .where("id", "=", unionId)
    .executeTakeFirstOrThrow();
  return Number(row.members) === 0 && Number(row.employers) === 0 && Number(row.users) === 0;
}

/**
 * Loads a generated demo union into the acting union (which must be empty):
 * organisation, employers and workplaces, demo users, then members in
 * batches, each batch in its own transaction so progress can be shown.
 * The organisation and users commit first; members follow.
 */
export async function seedDemo(ctx: Ctx, options: SeedOptions): Promise<SeedResult> {
  const unionId = ctx.actor.unionId;
  const demo = generateDemoUnion({ seed: options.seed });
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const ids = await withTx(ctx.db, (tx) => seedOrganisation(tx, unionId, demo, passwordHash));

  let done = 0;
  let batch: ReturnType<typeof memberRow>[] = [];
  const flush = async () => {
    if (!batch.length) return;
    const rows = batch;
    batch = [];
    await withTx(ctx.db, async (tx) => {
      const memberIds = await insertRowsAsJson(tx, "members", rows);
      await sql`insert into member_history (union_id, member_id, valid_from, employer_id, workplace_id, job_category)
        select union_id, id, coalesce(joined_on, date '2000-01-01'), employer_id, workplace_id, job_category
          from members where id = any(${memberIds}::int[])`.execute(tx);
    });
    done += rows.length;
    options.onProgress?.(done, options.members);
  };
  for (const m of generateMembers(demo, options.members, options.seed)) {
    batch.push(memberRow(m, ids, unionId));
    if (batch.length >= BATCH) await flush();
  }
  await flush();
  // Work for the review queues, away from the health employers the demo ballot is drawn from.
  const health = await ctx.db
    .selectFrom("employers as e")
    .innerJoin("sectors as s", "s.id", "e.sector_id")
    .select("e.id")
    .where("e.union_id", "=", unionId)
    .where("s.code", "=", "health")
    .execute();
  const reviewWork = await withTx(ctx.db, (tx) =>
    seedDemoReviewWork({ ...ctx, db: tx }, { seed: options.seed, avoidEmployerIds: health.map((e) => e.id) }),
  );
  await recordAudit(ctx, "members.seeded", {
    subjectType: "union",
    subjectId: unionId,
    details: {
      members: done,
      seed: options.seed,
      reviewStrings: reviewWork.orgStrings,
      reviewMembers: reviewWork.members,
      duplicateGroups: reviewWork.duplicateGroups.linked + reviewWork.duplicateGroups.review,
    },
  });

  const ballot = await seedDemoBallot(ctx);
  // A legal officer at head office, who answers the legal and membership data departments' requests.
  const legalUser = await ctx.db
    .insertInto("users")
    .values({
      union_id: unionId,
      email: DEMO_LEGAL_EMAIL,
      display_name: "Demo Legal Officer",
      password_hash: passwordHash,
      role: "national",
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const plans = await seedDemoPlans(ctx, { ballot, legalUserId: legalUser.id });
  const coalition = ballot ? await seedDemoCoalition(ctx, ballot) : null;

  return {
    unionId,
    unionName: demo.union.name,
    ballot,
    coalition,
    regions: demo.regions.length,
    sectors: demo.sectors.length,
    branches: demo.branches.length,
    employers: demo.employers.length,
    workplaces: demo.workplaces.length,
    members: done,
    reviewWork,
    users: [
      ...demo.users.map((u) => ({ email: u.email, role: u.role, scope: describeDemoScope(demo, u) })),
      {
        email: DEMO_LEGAL_EMAIL,
        role: "national",
        scope: "whole union; the Legal and Membership data departments",
      },
    ],
    plans,
    password: DEMO_PASSWORD,
  };
}

function describeDemoScope(demo: DemoUnion, u: DemoUnion["users"][number]): string {
  const kind = scopeKindNeeded(u.role);
  if (kind === "regions")
    return u.regionCodes.map((c) => demo.regions.find((r) => r.code === c)?.name ?? c).join(", ");
  if (kind === "sectors")
    return u.sectorCodes.map((c) => demo.sectors.find((s) => s.code === c)?.name ?? c).join(", ");
  if (kind === "workplaces")
    return u.workplaceKeys.map((k) => demo.workplaces.find((w) => w.key === k)?.name ?? k).join(", ");
  return "whole union";
}

/** A generated member as a row of the members table, with the database ids of what it refers to. */
export function memberRow(m: DemoMember, ids: SeedIds, unionId: number) {
  return {
    union_id: unionId,
    membership_number: m.membershipNumber,
    forenames: m.forenames,
    surname: m.surname,
    date_of_birth: m.dateOfBirth,
    address_line1: m.addressLine1,
    address_line2: m.addressLine2,
    town: m.town,
    home_postcode: m.homePostcode,
    postal_address: m.postalAddress,
    postal_postcode: m.postalPostcode,
    postal_requested_on: m.postalRequestedOn,
    postal_request_evidence: m.postalRequestEvidence,
    email: m.email,
    mobile: m.mobile,
    employer_id: m.employerKey ? (ids.employers.get(m.employerKey) ?? null) : null,
    workplace_id: m.workplaceKey ? (ids.workplaces.get(m.workplaceKey) ?? null) : null,
    job_title: m.jobTitle,
    job_category: m.jobCategory,
    branch_id: m.branchCode ? (ids.branches.get(m.branchCode) ?? null) : null,
    region_id: ids.regions.get(m.regionCode) ?? null,
    status: m.status,
    in_arrears: m.inArrears,
    check_off: m.checkOff,
    joined_on: m.joinedOn,
    left_on: m.leftOn,
    consent_email: m.consentEmail,
    consent_sms: m.consentSms,
  };
}

export interface SeedIds {
  regions: Map<string, number>;
  sectors: Map<string, number>;
  branches: Map<string, number>;
  employers: Map<string, number>;
  workplaces: Map<string, number>;
}

export async function seedOrganisation(
  tx: Db,
  unionId: number,
  demo: DemoUnion,
  passwordHash: string,
): Promise<SeedIds> {
  await tx.updateTable("unions").set({ name: demo.union.name }).where("id", "=", unionId).execute();
  // Who the union's notices come from: changed later by a national officer under Settings.
  await tx
    .insertInto("union_settings")
    .values({
      union_id: unionId,
      letter_name: demo.union.name,
      address: "Union House\n1 Example Street\nLondon WC1A 1AA",
      contact: "ballots@union.example",
      signatory_name: "Sam Taylor",
      signatory_title: "General Secretary",
      updated_at: new Date("2026-01-01T00:00:00Z"),
    })
    .onConflict((oc) => oc.column("union_id").doNothing())
    .execute();
  const byCode = (rows: { id: number; code: string }[]) => new Map(rows.map((r) => [r.code, r.id]));
  const regions = byCode(
    await tx
      .insertInto("regions")
      .values(demo.regions.map((r) => ({ union_id: unionId, code: r.code, name: r.name, nation: r.nation })))
      .returning(["id", "code"])
      .execute(),
  );
  const sectors = byCode(
    await tx
      .insertInto("sectors")
      .values(demo.sectors.map((s) => ({ union_id: unionId, code: s.code, name: s.name })))
      .returning(["id", "code"])
      .execute(),
  );
  const branches = byCode(
    await tx
      .insertInto("branches")
      .values(
        demo.branches.map((b) => ({
          union_id: unionId,
          code: b.code,
          name: b.name,
          region_id: regions.get(b.regionCode) ?? null,
        })),
      )
      .returning(["id", "code"])
      .execute(),
  );
  const employers = new Map<string, number>();
  for (let i = 0; i < demo.employers.length; i += BATCH) {
    const chunk = demo.employers.slice(i, i + BATCH);
    const rows = await tx
      .insertInto("employers")
      .values(
        chunk.map((e) => ({
          union_id: unionId,
          name: e.name,
          ods_code: e.odsCode,
          dfe_urn: e.dfeUrn,
          gss_code: e.gssCode,
          companies_house_number: e.companiesHouseNumber,
          sector_id: sectors.get(e.sectorCode) ?? null,
          region_id: regions.get(e.regionCode) ?? null,
          nation: e.nation,
          important_public_service: e.importantPublicService,
          devolved_welsh_authority: e.devolvedWelshAuthority,
          opened_on: e.openedOn,
          closed_on: e.closedOn,
        })),
      )
      .returning("id")
      .execute();
    for (const [j, e] of chunk.entries()) employers.set(e.key, rows[j]!.id);
  }
  for (const e of demo.employers) {
    if (e.parentKey) {
      await tx
        .updateTable("employers")
        .set({ parent_id: employers.get(e.parentKey) ?? null })
        .where("id", "=", employers.get(e.key)!)
        .execute();
    }
  }
  const workplaces = new Map<string, number>();
  for (let i = 0; i < demo.workplaces.length; i += BATCH) {
    const chunk = demo.workplaces.slice(i, i + BATCH);
    const rows = await tx
      .insertInto("workplaces")
      .values(
        chunk.map((w) => ({
          union_id: unionId,
          employer_id: employers.get(w.employerKey)!,
          region_id: regions.get(w.regionCode) ?? null,
          site_code: w.siteCode,
          name: w.name,
          address: w.address,
          postcode: w.postcode,
          opened_on: w.openedOn,
          closed_on: w.closedOn,
          headcount: w.headcount,
          headcount_on: w.headcountOn,
          headcount_source: w.headcountSource,
        })),
      )
      .returning("id")
      .execute();
    for (const [j, w] of chunk.entries()) workplaces.set(w.key, rows[j]!.id);
  }
  for (const u of demo.users) {
    const user = await tx
      .insertInto("users")
      .values({
        union_id: unionId,
        email: u.email,
        display_name: u.displayName,
        password_hash: passwordHash,
        role: u.role,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const scopes = [
      ...u.regionCodes.map((c) => ({
        user_id: user.id,
        region_id: regions.get(c)!,
        sector_id: null,
        workplace_id: null,
      })),
      ...u.sectorCodes.map((c) => ({
        user_id: user.id,
        region_id: null,
        sector_id: sectors.get(c)!,
        workplace_id: null,
      })),
      ...u.workplaceKeys.map((k) => ({
        user_id: user.id,
        region_id: null,
        sector_id: null,
        workplace_id: workplaces.get(k)!,
      })),
    ];
    if (scopes.length) await tx.insertInto("user_scopes").values(scopes).execute();
  }
  await sql`analyze`.execute(tx).catch(() => undefined);
  return { regions, sectors, branches, employers, workplaces };
}
