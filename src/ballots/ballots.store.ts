/**
 * The ballots domain's SQL for the electorate freeze: the ballot's scope, the
 * members it reaches read a page at a time with COPY, the snapshot written
 * with COPY, and the ballot marked frozen. Rows become domain values before
 * they leave. Writers pass the ballot they have already found inside their
 * grant's union; nothing here widens a read beyond the ballot's own scope.
 */
import { sql } from "kysely";
import { copyIn, copyOut, parseCopyLine } from "../db/copy.js";
import type { Db } from "../db/database.js";
import type { IsoDate } from "../law/index.js";
import type { MemberFacts } from "./electorate.js";

export interface ScopeRow {
  employerId: number;
  workplaceId: number | null;
}

/** The employers and workplaces the ballot covers. */
export async function ballotScopeRows(db: Db, ballotId: number): Promise<ScopeRow[]> {
  const rows = await db
    .selectFrom("ballot_scope")
    .select(["employer_id", "workplace_id"])
    .where("ballot_id", "=", ballotId)
    .execute();
  return rows.map((r) => ({ employerId: r.employer_id, workplaceId: r.workplace_id }));
}

/** A member as the freeze reads it: the facts, and in the second pass the name and addresses. */
export interface MemberForFreeze extends Omit<MemberFacts, "employerId"> {
  employerId: number;
  checkOff: boolean;
  forenames: string;
  surname: string;
  postalAddress: string | null;
  postalPostcode: string | null;
  addressLine1: string | null;
  addressLine2: string | null;
  town: string | null;
  homePostcode: string | null;
}

const FACTS = [
  "id",
  "union_id",
  "membership_number",
  "status",
  "in_arrears",
  "joined_on",
  "left_on",
  "employer_id",
  "workplace_id",
  "job_category",
] as const;
const PERSONAL = [
  "check_off",
  "forenames",
  "surname",
  "postal_address",
  "postal_postcode",
  "address_line1",
  "address_line2",
  "town",
  "home_postcode",
] as const;

const ints = (values: readonly number[]): string => {
  if (!values.every((v) => Number.isSafeInteger(v))) throw new Error("ids must be integers");
  return values.length ? values.join(",") : "0";
};

/** The lowest and highest member id of these unions (the freeze pages through that range). */
export async function memberIdRange(
  tx: Db,
  unions: readonly number[],
): Promise<{ first: number; last: number } | null> {
  const r = await tx
    .selectFrom("members")
    .select((eb) => [eb.fn.min<number>("id").as("first"), eb.fn.max<number>("id").as("last")])
    .where("union_id", "in", unions.length ? unions : [0])
    .executeTakeFirst();
  return r?.first == null || r.last == null ? null : { first: Number(r.first), last: Number(r.last) };
}

/**
 * The members of these unions at these employers whose ids fall in
 * (after, upTo], in member-id order, read with COPY (the query carries
 * integers only). A window of ids, not an OFFSET or LIMIT: each page reads
 * its own range of the primary key, however many pages there are. With
 * `personal`, the name, addresses and check-off come too.
 */
export async function memberPageForFreeze(
  tx: Db,
  q: { unions: readonly number[]; employers: readonly number[] },
  after: number,
  upTo: number,
  personal: boolean,
): Promise<MemberForFreeze[]> {
  const columns = personal ? [...FACTS, ...PERSONAL] : FACTS;
  const text = await copyOut(
    tx,
    `select ${columns.join(", ")} from members
      where id > ${ints([after])} and id <= ${ints([upTo])}
        and union_id in (${ints(q.unions)}) and employer_id in (${ints(q.employers)})
      order by id`,
  );
  const out: MemberForFreeze[] = [];
  let start = 0;
  while (start < text.length) {
    const end = text.indexOf("\n", start);
    const line = text.slice(start, end < 0 ? text.length : end);
    start = end < 0 ? text.length : end + 1;
    const f = parseCopyLine(line);
    out.push({
      memberId: Number(f[0]),
      unionId: Number(f[1]),
      membershipNumber: f[2]!,
      status: f[3] as MemberFacts["status"],
      inArrears: f[4] === "t",
      joinedOn: f[5] as IsoDate | null,
      leftOn: f[6] as IsoDate | null,
      employerId: Number(f[7]),
      workplaceId: f[8] === null ? null : Number(f[8]),
      jobCategory: f[9] ?? null,
      checkOff: personal ? f[10] === "t" : false,
      forenames: personal ? (f[11] ?? "") : "",
      surname: personal ? (f[12] ?? "") : "",
      postalAddress: personal ? (f[13] ?? null) : null,
      postalPostcode: personal ? (f[14] ?? null) : null,
      addressLine1: personal ? (f[15] ?? null) : null,
      addressLine2: personal ? (f[16] ?? null) : null,
      town: personal ? (f[17] ?? null) : null,
      homePostcode: personal ? (f[18] ?? null) : null,
    });
  }
  return out;
}

/** The snapshot's columns, in the order `snapshotLine` writes them. */
export const SNAPSHOT_COLUMNS = [
  "ballot_id",
  "member_id",
  "member_union_id",
  "membership_number",
  "included",
  "reason",
  "employer_id",
  "workplace_id",
  "job_category",
  "check_off",
  "left_on",
  "paper_number",
  "name",
  "address_lines",
  "postcode",
] as const;

export async function clearElectorate(tx: Db, ballotId: number): Promise<void> {
  await tx.deleteFrom("ballot_electorate").where("ballot_id", "=", ballotId).execute();
}

/** Appends snapshot rows, given as lines of COPY text in SNAPSHOT_COLUMNS order. */
export async function writeElectorateLines(tx: Db, lines: string): Promise<void> {
  await copyIn(tx, "ballot_electorate", SNAPSHOT_COLUMNS, lines);
}

export async function markFrozen(
  tx: Db,
  ballotId: number,
  frozen: { hash: string; entitled: number; asAt: IsoDate; at: Date; by: number | null },
): Promise<void> {
  await tx
    .updateTable("ballots")
    .set({
      state: "frozen",
      electorate_hash: frozen.hash,
      electorate_entitled: frozen.entitled,
      electorate_as_at: frozen.asAt,
      frozen_at: frozen.at,
      frozen_by: frozen.by,
      updated_at: frozen.at,
    })
    .where("id", "=", ballotId)
    .execute();
}

/** How many snapshot rows a ballot holds (a freeze's outcome, for its job's result). */
export async function snapshotCount(db: Db, ballotId: number): Promise<number> {
  const r = await sql<{
    n: number;
  }>`select count(*)::int as n from ballot_electorate where ballot_id = ${ballotId}`.execute(db);
  return Number(r.rows[0]?.n ?? 0);
}
