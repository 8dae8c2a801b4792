/**
 * A throwaway database on the PostgreSQL server with a generated union and
 * its members loaded by COPY (the maintained counts included), and one
 * aggregated ballot over its employers, shared by the benchmarks that need a
 * large union.
 */
import { randomBytes } from "node:crypto";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { stringify } from "csv-stringify";
import { sql } from "kysely";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { attachAuditAnchor } from "../src/audit/anchor.js";
import { hashPassword } from "../src/auth/passwords.js";
import type { Actor } from "../src/auth/permissions.js";
import type { CreateBallotInput } from "../src/ballots/ballots.model.js";
import { createDispute } from "../src/ballots/disputes.service.js";
import { createBallot, reviewStatement } from "../src/ballots/setup.service.js";
import type { Ctx } from "../src/context.js";
import { connect, type OpenDatabase } from "../src/db/connect.js";
import { migrateToLatest } from "../src/db/migrate.js";
import { type DemoUnion, generateDemoUnion, generateMembers } from "../src/demo/demo.generate.js";
import { memberRow, seedOrganisation } from "../src/demo/demo.seed.js";

export const SERVER = process.env.MANDATE_BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

const COLUMNS = [
  "union_id",
  "membership_number",
  "forenames",
  "surname",
  "date_of_birth",
  "address_line1",
  "address_line2",
  "town",
  "home_postcode",
  "postal_address",
  "postal_postcode",
  "postal_requested_on",
  "postal_request_evidence",
  "email",
  "mobile",
  "employer_id",
  "workplace_id",
  "job_title",
  "job_category",
  "branch_id",
  "region_id",
  "status",
  "in_arrears",
  "check_off",
  "joined_on",
  "left_on",
  "consent_email",
  "consent_sms",
] as const;

export const BENCH_PASSWORD = "bench-password-1";

export interface BenchDatabase {
  open: OpenDatabase;
  url: string;
  demo: DemoUnion;
  ids: Awaited<ReturnType<typeof seedOrganisation>>;
  copySeconds: number;
  /** Closes the connections and drops the database unless asked to keep it. */
  dispose(keep?: boolean): Promise<void>;
}

export async function createBenchDatabase(
  label: string,
  options: { members: number; employers: number; seed?: number; poolSize?: number },
): Promise<BenchDatabase> {
  const dbName = `mandate_bench_${label}_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: SERVER });
  await admin.connect();
  await admin.query(`create database ${dbName}`);
  const url = new URL(SERVER);
  url.pathname = `/${dbName}`;
  const open = await connect({ databaseUrl: url.toString(), poolSize: options.poolSize ?? 20 });
  // A throw-away benchmark database: a random audit key, no checkpoints kept.
  attachAuditAnchor(open.db, { key: randomBytes(32), checkpointsFile: null });
  const dispose = async (keep = false) => {
    await open.close();
    if (!keep) await admin.query(`drop database if exists ${dbName} with (force)`);
    await admin.end();
  };
  try {
    await migrateToLatest(open.db);
    const seed = options.seed ?? 1;
    const demo = generateDemoUnion({ seed, employers: options.employers });
    const ids = await open.db
      .transaction()
      .execute(async (tx) => seedOrganisation(tx, 1, demo, await hashPassword(BENCH_PASSWORD)));

    console.error(`loading ${options.members.toLocaleString("en-GB")} members with COPY...`);
    const copyStart = performance.now();
    const client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
    client.on("error", (e) => console.error("copy connection:", e.message));
    const rows = Readable.from(
      (function* () {
        for (const m of generateMembers(demo, options.members, seed)) {
          const r = memberRow(m, ids, 1);
          yield COLUMNS.map((c) => r[c]);
        }
      })(),
    );
    await pipeline(
      rows,
      stringify({ cast: { boolean: (v) => (v ? "t" : "f") } }),
      client.query(copyFrom(`copy members (${COLUMNS.join(", ")}) from stdin with (format csv)`)),
    );
    await client.query("analyze");
    await client.end();
    const copySeconds = (performance.now() - copyStart) / 1000;
    const counted = await sql<{ n: number }>`select sum(n)::int as n from member_counts`.execute(open.db);
    if (Number(counted.rows[0]?.n) !== options.members)
      throw new Error(`member_counts holds ${counted.rows[0]?.n}, expected ${options.members}`);
    return { open, url: url.toString(), demo, ids, copySeconds, dispose };
  } catch (e) {
    await dispose();
    throw e;
  }
}

/** The system actor the benchmarks set up their ballots as: a national officer of union 1. */
export const BENCH_ACTOR: Actor = {
  kind: "system",
  userId: null,
  unionId: 1,
  role: "national",
  label: "bench",
  regionIds: [],
  sectorIds: [],
  workplaceIds: [],
};

/**
 * A dispute over the generated union's employers (those in Great Britain, or all of them) and one
 * aggregated ballot over every one of them, by the employer test, its statutory statement reviewed.
 * Returns the employers' ids in order, the dispute and the ballot.
 */
export async function createAllEmployersBallot(
  ctx: Ctx,
  options: {
    employers: "great_britain" | "all";
    dispute: { title: string; mattersInIssue: string };
    ballot: Pick<CreateBallotInput, "name" | "questions" | "actionShortTypes">;
    statement: string;
  },
): Promise<{ employerIds: number[]; disputeId: number; ballotId: number }> {
  let employers = ctx.db.selectFrom("employers").select("id").where("union_id", "=", 1);
  // One ballot, one jurisdiction (decision 0013): the union's employers in Great Britain.
  if (options.employers === "great_britain")
    employers = employers.where((eb) =>
      eb.or([eb("nation", "is", null), eb("nation", "!=", "northern_ireland")]),
    );
  const employerIds = (await employers.orderBy("id").execute()).map((e) => e.id);
  const dispute = await createDispute(ctx, { ...options.dispute, coalition: "", employerIds });
  const ballot = await createBallot(ctx, dispute.id, {
    ...options.ballot,
    kind: "aggregated",
    aggregationTest: "employer",
    aggregationReason: "Every member employed by the employers in dispute.",
    expectedPeriods: "",
    votingMethod: "postal",
    openingDate: "2026-12-14",
    closingDate: "2027-01-18",
    plannedActionFrom: null,
    jobCategories: null,
    includeArrears: false,
    partnerUnionIds: [],
    scrutineerName: "Electoral Reform Services",
    scrutineerAddress: "The Election Centre, 33 Clarendon Road, London N8 0NW",
    returnAddress: "Freepost ERS, London N8 0NW",
    authorisedPerson: "The General Secretary",
    ipsBelief: false,
    ipsEvidence: "",
    walesDevolved: false,
    checkOffRoute: false,
    reballot: false,
    scope: employerIds.map((employerId) => ({ employerId, workplaceId: null })),
  });
  await reviewStatement(ctx, ballot.id, options.statement);
  return { employerIds, disputeId: dispute.id, ballotId: ballot.id };
}
