/**
 * The electorate freeze's SQL. The first pass reads the facts entitlement is
 * decided on (copyOut, integers only in the query); the database then writes
 * the snapshot itself, a window of member ids per statement, joining the
 * members to the decisions passed as arrays (member, reason, paper number,
 * employer and workplace as counted, which fields a partner's agreement
 * shares) and building the name and postal address by the rule below, and
 * returns the rows written in the form electorateHasher hashes. A large
 * electorate is written into a table of its own, indexed once loaded and
 * attached as the ballot's partition of ballot_electorate (decisions/0026).
 * Nothing here widens a read beyond the unions and employers the caller passes.
 */
import { type RawBuilder, sql } from "kysely";
import { copyOut } from "../db/copy.js";
import type { Db } from "../db/database.js";
import type { IsoDate } from "../law/index.js";
import type { MemberFacts } from "./electorate.js";

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

/** The decisions of a window of listed members, column by column, in member-id order. */
export interface DecisionColumns {
  memberIds: number[];
  included: boolean[];
  reasons: string[];
  paperNumbers: (number | null)[];
  employerIds: number[];
  workplaceIds: (number | null)[];
  fields: number[];
}

/**
 * Memory for the freeze's joins: a window's decisions and members hashed in
 * memory, not spilled to disk in batches (for this transaction only).
 */
export async function prepareFreezeTransaction(tx: Db): Promise<void> {
  await sql`set local work_mem = '64MB'`.execute(tx);
}

export async function clearElectorate(tx: Db, ballotId: number): Promise<void> {
  await tx.deleteFrom("ballot_electorate").where("ballot_id", "=", ballotId).execute();
}

/**
 * What JavaScript's String.prototype.trim removes (ECMAScript WhiteSpace and
 * LineTerminator), for btrim: the snapshot's names and addresses are trimmed
 * exactly as the rule in JavaScript would.
 */
export const JS_WHITESPACE =
  "\t\n\u000b\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff";
const WHITESPACE_CODES = sql.raw([...JS_WHITESPACE].map((c) => c.codePointAt(0)).join(","));
/** How a written postal address is split into lines: JavaScript's /\r?\n|,/. */
const ADDRESS_SEPARATOR = "\r?\n|,";

/**
 * A text value trimmed as JavaScript trims it. btrim with a set of multi-byte
 * characters is slow (it splits the set and the value into characters on every
 * call), so it runs only when the first or last character is one to trim.
 */
function jsTrim(value: RawBuilder<unknown>): RawBuilder<string> {
  return sql`(case when ascii(${value}) in (${WHITESPACE_CODES}) or ascii(right(${value}, 1)) in (${WHITESPACE_CODES})
    then btrim(${value}, ${JS_WHITESPACE}) else ${value} end)`;
}

/**
 * The canonical line of a snapshot row (alias `e`) as electorateHasher's `add`
 * hashes it: the fields joined by "|" (true as 1, null as empty), the address
 * lines joined by U+001F, a newline at the end.
 */
const CANONICAL_LINE = sql`concat_ws('|', e.member_id, e.member_union_id, e.membership_number,
    case when e.included then 1 else 0 end, e.reason, e.employer_id, coalesce(e.workplace_id::text, ''),
    coalesce(e.job_category, ''), case when e.check_off then 1 else 0 end,
    coalesce(to_char(e.left_on, 'YYYY-MM-DD'), ''), coalesce(e.paper_number::text, ''), e.name,
    array_to_string(e.address_lines, chr(31)), coalesce(e.postcode, '')) || chr(10)`;

/** A window of the snapshot as written: how many rows, and their canonical lines in member-id order. */
export interface WrittenWindow {
  written: number;
  canonical: string;
}

/**
 * Writes the snapshot rows of one window of decided members (their ids
 * ascending, all within (after, upTo]), joined to the members, into `target`
 * (ballot_electorate, or the table of the ballot's own being loaded), and
 * returns how many it wrote with their canonical lines, built from the rows as
 * written, for the fingerprint: the snapshot is not read back. The name is
 * forenames and surname, trimmed. The postal address (s.230(2)) is the address
 * the member asked in writing to be used when it is not blank: its lines split
 * at line breaks and commas, trimmed, blank ones dropped, at most four, with
 * its postcode; else the home address's non-blank lines (as written) and
 * postcode. A partner's member carries only the fields its agreement shares.
 */
export async function writeSnapshotWindow(
  tx: Db,
  target: SnapshotTarget,
  ballotId: number,
  unions: readonly number[],
  after: number,
  upTo: number,
  d: DecisionColumns,
): Promise<WrittenWindow> {
  const postal = sql`${jsTrim(sql`coalesce(m.postal_address, '')`)} <> ''`;
  const homeLine = (column: "address_line1" | "address_line2" | "town") => {
    const ref = sql.ref(`m.${column}`);
    return sql`case when ${jsTrim(sql`${ref}`)} <> '' then ${ref} end`;
  };
  const part = sql`p.part`;
  const result = await sql<{ written: number; canonical: string }>`
    with e as (
    insert into ${sql.table(target)} (ballot_id, member_id, member_union_id, membership_number, included, reason,
      employer_id, workplace_id, job_category, check_off, left_on, paper_number, name, address_lines, postcode)
    select ${ballotId}::int, m.id, m.union_id, m.membership_number, d.included, d.reason,
      d.employer_id, d.workplace_id,
      case when d.fields & ${SNAPSHOT_FIELDS.jobCategory} = 0 then null else m.job_category end,
      case when d.fields & ${SNAPSHOT_FIELDS.checkOff} = 0 then false else m.check_off end,
      m.left_on, d.paper_number,
      case when d.fields & ${SNAPSHOT_FIELDS.name} = 0 then '' else ${jsTrim(sql`(m.forenames || ' ' || m.surname)`)} end,
      case
        when d.fields & ${SNAPSHOT_FIELDS.address} = 0 then '{}'::text[]
        when ${postal} then array(
          select ${jsTrim(part)}
          from unnest(regexp_split_to_array(m.postal_address, ${ADDRESS_SEPARATOR})) with ordinality as p(part, n)
          where ${jsTrim(part)} <> ''
          order by p.n limit 4)
        else array_remove(array[${homeLine("address_line1")}, ${homeLine("address_line2")}, ${homeLine("town")}], null)
      end,
      case
        when d.fields & ${SNAPSHOT_FIELDS.address} = 0 then null
        when ${postal} then m.postal_postcode
        else m.home_postcode
      end
    from unnest(${d.memberIds}::int[], ${d.included}::boolean[], ${d.reasons}::text[], ${d.paperNumbers}::int[],
        ${d.employerIds}::int[], ${d.workplaceIds}::int[], ${d.fields}::smallint[])
      as d(member_id, included, reason, paper_number, employer_id, workplace_id, fields)
      join members m on m.id = d.member_id
    where m.id > ${after}::int and m.id <= ${upTo}::int and m.union_id in (${sql.raw(ints(unions))})
    returning *)
    select count(*)::int as written, coalesce(string_agg(${CANONICAL_LINE}, '' order by e.member_id), '') as canonical
    from e`.execute(tx);
  const row = result.rows[0]!;
  return { written: Number(row.written), canonical: row.canonical };
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
