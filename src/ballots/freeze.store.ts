/**
 * The electorate freeze's SQL. The first pass reads the facts entitlement is
 * decided on (copyOut, integers only in the query); the second reads, a window
 * of member ids at a time, what each snapshot row copies from the member
 * (name, addresses, check-off), and writes the window's rows with COPY (the
 * rows are built in freeze.service.ts by electorate.ts's rules, and hashed as
 * they are built, so the snapshot is never read back). A large electorate is
 * written into a table of its own, indexed once loaded and attached as the
 * ballot's partition of ballot_electorate (decisions/0026). Nothing here
 * widens a read beyond the unions and employers the caller passes.
 */
import { sql } from "kysely";
import { copyIn, copyOut } from "../db/copy.js";
import type { Db } from "../db/database.js";
import type { IsoDate } from "../law/index.js";
import type { MemberContact, MemberFacts, SnapshotRow } from "./electorate.js";

const ints = (values: readonly number[]): string => {
  if (!values.every((v) => Number.isSafeInteger(v))) throw new Error("ids must be integers");
  return values.length ? values.join(",") : "0";
};

/** A member's facts as stored: employer and workplace before a partner's are mapped to the ballot's. */
export interface StoredFacts extends MemberFacts {}

/**
 * The facts of the members of these unions at these employers whose ids fall
 * in (after, upTo], in member-id order, read with COPY: a window of the
 * primary key, however many windows there are.
 */
export async function memberFactsWindow(
  tx: Db,
  q: { unions: readonly number[]; employers: readonly number[] },
  after: number,
  upTo: number,
  each: (m: StoredFacts) => void,
): Promise<void> {
  const text = await copyOut(
    tx,
    `select id, union_id, status, in_arrears, joined_on, left_on, employer_id, workplace_id,
        membership_number, job_category from members
      where id > ${ints([after])} and id <= ${ints([upTo])}
        and union_id in (${ints(q.unions)}) and employer_id in (${ints(q.employers)})
      order by id`,
  );
  let start = 0;
  const f: string[] = new Array(10);
  while (start < text.length) {
    let end = text.indexOf("\n", start);
    if (end < 0) end = text.length;
    // Ten fields; only the two text columns (the last two) can hold escapes.
    for (let i = 0; i < 9; i++) {
      const tab = text.indexOf("\t", start);
      f[i] = text.slice(start, tab);
      start = tab + 1;
    }
    f[9] = text.slice(start, end);
    start = end + 1;
    each({
      memberId: Number(f[0]),
      unionId: Number(f[1]),
      status: f[2] as MemberFacts["status"],
      inArrears: f[3] === "t",
      joinedOn: f[4] === "\\N" ? null : (f[4] as IsoDate),
      leftOn: f[5] === "\\N" ? null : (f[5] as IsoDate),
      employerId: Number(f[6]),
      workplaceId: f[7] === "\\N" ? null : Number(f[7]),
      membershipNumber: unescapeCopy(f[8]!)!,
      jobCategory: unescapeCopy(f[9]!),
    });
  }
}

function unescapeCopy(field: string): string | null {
  if (field === "\\N") return null;
  if (!field.includes("\\")) return field;
  return field.replace(/\\(.)/g, (_, c: string) =>
    c === "n"
      ? "\n"
      : c === "r"
        ? "\r"
        : c === "t"
          ? "\t"
          : c === "b"
            ? "\b"
            : c === "f"
              ? "\f"
              : c === "v"
                ? "\v"
                : c,
  );
}

/** The lowest and highest member id of these unions (the freeze reads through that range). */
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

/** Which of a member's fields the snapshot copies (all for the ballot's own union; a partner's by its agreement). */
export const SNAPSHOT_FIELDS = { name: 1, address: 2, checkOff: 4, jobCategory: 8 } as const;
export const ALL_SNAPSHOT_FIELDS = 15;

export async function clearElectorate(tx: Db, ballotId: number): Promise<void> {
  await tx.deleteFrom("ballot_electorate").where("ballot_id", "=", ballotId).execute();
}

/** What a snapshot row copies from the member beyond the decided facts. */
export interface SnapshotSource extends MemberContact {
  memberId: number;
  unionId: number;
  membershipNumber: string;
  jobCategory: string | null;
  checkOff: boolean;
  leftOn: IsoDate | null;
}

/**
 * The members of these unions at these employers with ids in (after, upTo],
 * in member-id order, with what their snapshot rows copy (name, addresses,
 * check-off, category, leaving date), read with COPY: the same members the
 * first pass decided, inside the freeze's repeatable-read transaction.
 */
export async function snapshotSourceWindow(
  tx: Db,
  q: { unions: readonly number[]; employers: readonly number[] },
  after: number,
  upTo: number,
): Promise<SnapshotSource[]> {
  const text = await copyOut(
    tx,
    `select id, union_id, check_off, left_on, membership_number, job_category, forenames, surname,
        postal_address, postal_postcode, address_line1, address_line2, town, home_postcode from members
      where id > ${ints([after])} and id <= ${ints([upTo])}
        and union_id in (${ints(q.unions)}) and employer_id in (${ints(q.employers)})
      order by id`,
  );
  const f: string[] = new Array(14);
  const rows: SnapshotSource[] = [];
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf("\n", start);
    if (end < 0) end = text.length;
    // COPY escapes tabs and line breaks inside values, so the raw ones only separate.
    for (let i = 0; i < 13; i++) {
      const tab = text.indexOf("\t", start);
      f[i] = text.slice(start, tab);
      start = tab + 1;
    }
    f[13] = text.slice(start, end);
    start = end + 1;
    rows.push({
      memberId: Number(f[0]),
      unionId: Number(f[1]),
      checkOff: f[2] === "t",
      leftOn: f[3] === "\\N" ? null : (f[3] as IsoDate),
      membershipNumber: unescapeCopy(f[4]!)!,
      jobCategory: unescapeCopy(f[5]!),
      forenames: unescapeCopy(f[6]!) ?? "",
      surname: unescapeCopy(f[7]!) ?? "",
      postalAddress: unescapeCopy(f[8]!),
      postalPostcode: unescapeCopy(f[9]!),
      addressLine1: unescapeCopy(f[10]!),
      addressLine2: unescapeCopy(f[11]!),
      town: unescapeCopy(f[12]!),
      homePostcode: unescapeCopy(f[13]!),
    });
  }
  return rows;
}

/** A value in COPY's text format: backslash, tab and line breaks escaped; null as \N. */
function copyText(value: string | null): string {
  if (value === null) return "\\N";
  return /[\\\t\n\r]/.test(value)
    ? value.replace(/[\\\t\n\r]/g, (c) => (c === "\\" ? "\\\\" : c === "\t" ? "\\t" : c === "\n" ? "\\n" : "\\r"))
    : value;
}

/** A text[] literal, every element quoted (quotes and backslashes escaped), before COPY's own escapes. */
function textArray(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/["\\]/g, "\\$&")}"`).join(",")}}`;
}

/** The columns of a snapshot row, in the order snapshotCopyLine writes them. */
const SNAPSHOT_COLUMNS = [
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

/** One snapshot row as a line of COPY's text format. */
export function snapshotCopyLine(ballotId: number, e: SnapshotRow): string {
  return `${[
    ballotId,
    e.memberId,
    e.unionId,
    copyText(e.membershipNumber),
    e.included ? "t" : "f",
    e.reason,
    e.employerId,
    e.workplaceId ?? "\\N",
    copyText(e.jobCategory),
    e.checkOff ? "t" : "f",
    e.leftOn ?? "\\N",
    e.paperNumber ?? "\\N",
    copyText(e.name),
    copyText(textArray(e.addressLines)),
    copyText(e.postcode),
  ].join("\t")}\n`;
}

/**
 * Writes a window's snapshot rows (lines from snapshotCopyLine) into `target`
 * (ballot_electorate, or the table of the ballot's own being loaded) with COPY.
 */
export async function copySnapshotRows(tx: Db, target: SnapshotTarget, lines: readonly string[]): Promise<void> {
  // One piece: a piece per row would be a message per row on the server's connection.
  await copyIn(tx, target, SNAPSHOT_COLUMNS, lines.join(""));
}

/**
 * Listed members from which a ballot's snapshot is written into a table of its
 * own and attached as its partition of ballot_electorate (decisions/0026):
 * below, the rows go to the shared partition one by one, which costs less than
 * building a table's indexes, and keeps the partitions few (a dispute balloted
 * workplace by workplace has thousands of small ballots, each in the shared
 * partition).
 */
export const OWN_PARTITION_FROM = 50_000;

/** Where a freeze writes its rows: ballot_electorate itself, or the ballot's own table being loaded. */
export type SnapshotTarget = "ballot_electorate" | `ballot_electorate_${number}_${string}`;

/** The partitions of ballot_electorate of these ballots' own (one each at most, but an earlier freeze's until replaced). */
async function ownPartitions(tx: Db, ballotIds: readonly number[]): Promise<string[]> {
  if (!ballotIds.length) return [];
  const bounds = ballotIds.map((id) => `FOR VALUES IN (${ints([id])})`);
  const rows = await sql<{ name: string }>`
    select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
    where i.inhparent = 'ballot_electorate'::regclass
      and pg_get_expr(c.relpartbound, c.oid) = any(${bounds}::text[])`.execute(tx);
  return rows.rows.map((r) => r.name);
}

/**
 * Drops the partitions these ballots were given by earlier freezes (their
 * snapshot cleared): one statement each instead of deleting every row. Holds
 * ballot_electorate against every reader until the caller's transaction ends.
 */
export async function dropOwnPartitions(tx: Db, ballotIds: readonly number[]): Promise<void> {
  for (const name of await ownPartitions(tx, ballotIds)) await sql`drop table ${sql.table(name)}`.execute(tx);
}

/** Whether an earlier freeze gave the ballot a partition of its own (a re-freeze keeps one, whatever its size). */
export async function hasOwnPartition(tx: Db, ballotId: number): Promise<boolean> {
  return (await ownPartitions(tx, [ballotId])).length > 0;
}

/**
 * Creates the ballot's own snapshot table, to be loaded, indexed and attached
 * (attachSnapshotTable): the columns of ballot_electorate, no index, no foreign
 * key (rows go in without a check per row), and the partition's bound as a
 * CHECK constraint, so that attaching it needs no scan to prove its rows
 * belong. Named after the ballot and the freeze's transaction, so that it
 * never clashes with the partition it replaces.
 */
export async function createSnapshotTable(tx: Db, ballotId: number): Promise<SnapshotTarget> {
  const xid = (await sql<{ xid: string }>`select pg_current_xact_id()::text as xid`.execute(tx)).rows[0]!.xid;
  if (!/^\d+$/.test(xid)) throw new Error("unexpected transaction id");
  const name: SnapshotTarget = `ballot_electorate_${Number(ints([ballotId]))}_${xid}`;
  await sql`create table ${sql.table(name)} (like ballot_electorate including defaults,
    constraint ${sql.ref(`${name}_bound`)} check (ballot_id = ${sql.lit(ballotId)}))`.execute(tx);
  return name;
}

/**
 * Indexes the loaded table as ballot_electorate's partitions are indexed, each
 * index built once from the sorted rows rather than row by row.
 */
export async function indexSnapshotTable(tx: Db, table: SnapshotTarget): Promise<void> {
  const t = sql.table(table);
  const named = (suffix: string) => sql.ref(`${table}_${suffix}`);
  await sql`set local maintenance_work_mem = '128MB'`.execute(tx);
  await sql`alter table ${t} add constraint ${named("pkey")} primary key (ballot_id, member_id)`.execute(tx);
  await sql`create index ${named("member")} on ${t} (member_id)`.execute(tx);
  await sql`create index ${named("employer")} on ${t} (ballot_id, employer_id)`.execute(tx);
  await sql`create index ${named("workplace")} on ${t} (ballot_id, workplace_id)`.execute(tx);
}

/**
 * The loaded table's foreign key to its ballot, checked by one query over the
 * table (not a trigger per row), and its statistics, so that the first reads
 * of the new partition are planned from them.
 */
export async function checkSnapshotTable(tx: Db, table: SnapshotTarget): Promise<void> {
  const t = sql.table(table);
  await sql`alter table ${t} add constraint ${sql.ref(`${table}_ballot`)} foreign key (ballot_id)
    references ballots(id) on delete cascade`.execute(tx);
  await sql`analyze ${t}`.execute(tx);
}

/**
 * Attaches the loaded, indexed and checked table as the ballot's partition in
 * place of any earlier one. The earlier partition is dropped (which holds
 * ballot_electorate against every reader until the freeze commits, so it comes
 * last), rows of an earlier freeze in the shared partition are deleted, and the
 * table attached: its CHECK constraint, indexes and foreign key match the
 * partition's, so nothing is built or checked again but the shared
 * partition's want of the ballot's rows (a scan of it).
 */
export async function attachSnapshotTable(tx: Db, ballotId: number, table: SnapshotTarget): Promise<void> {
  await dropOwnPartitions(tx, [ballotId]);
  await clearElectorate(tx, ballotId);
  await sql`alter table ballot_electorate attach partition ${sql.table(table)} for values in (${sql.lit(ballotId)})`.execute(
    tx,
  );
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
