import { recordAudit } from "../audit/index.js";
import { authorize } from "../auth/index.js";
import type { Ctx } from "../context.js";
import type { Db } from "../db/database.js";
import { withTx } from "../db/tx.js";
import { AppError } from "../shared/errors.js";
import {
  BLOCKING_RULES,
  BlockedSearch,
  blockingValuesOf,
  type DuplicateResult,
  MIN_COUNT_FOR_LIST_FREQUENCY,
  NameCache,
  type PersonRecord,
  WINDOW_ROWS,
} from "./duplicates/index.js";
import {
  closeBlockRows,
  createDuplicateKeys,
  type DuplicateKeyRow,
  decideGroup,
  deleteUndecidedGroups,
  duplicateKeyCounts,
  duplicateKeyRows,
  fetchBlockRows,
  groupMembers,
  insertDuplicateKeys,
  insertGroups,
  membersPageForDuplicates,
  openBlockRows,
  selectGroupsPage,
  setMembersGroups,
  takeGroupIds,
} from "./duplicates.store.js";

/** Members read, and block rows fetched, per statement. */
const PAGE_ROWS = 20_000;

/**
 * A statement sent ahead of the work before it is awaited: a failure is still thrown where it is
 * awaited, and is not reported as unhandled if the work before fails first.
 */
function ahead<T>(p: Promise<T>): Promise<T> {
  p.catch(() => undefined);
  return p;
}

const personRecord = (m: DuplicateKeyRow): PersonRecord => ({
  key: String(m.member_id),
  membershipNumber: m.membership_number,
  forenames: m.forenames,
  surname: m.surname,
  dateOfBirth: m.date_of_birth,
  postcode: m.home_postcode,
  email: m.email,
  mobile: m.mobile,
});

/**
 * The duplicate search over the union's members one block at a time, in the
 * open transaction: the members are read a page at a time into a temporary
 * working table with their blocking values, the term frequencies counted
 * there, and each blocking rule's members read back in order of its key, so
 * memory holds a window of blocks and the pairs kept, never the union.
 */
async function searchUnion(
  tx: Db,
  unionId: number,
): Promise<{ result: DuplicateResult; members: number; decided: Set<string> }> {
  await createDuplicateKeys(tx);
  const names = new NameCache();
  const decided = new Set<string>();
  let size = 0;
  // The database reads the next page (or block rows) while this process works on the last one:
  // each statement is sent before the work it does not depend on, and awaited after it. The order
  // of the work, and so the result, is the same as reading one page at a time.
  let next = ahead(membersPageForDuplicates(tx, unionId, 0, PAGE_ROWS));
  for (;;) {
    const page = await next;
    if (!page.length) break;
    next = ahead(membersPageForDuplicates(tx, unionId, page[page.length - 1]!.id, PAGE_ROWS));
    const rows = page.map(
      (m, i): DuplicateKeyRow => ({
        ord: size + i,
        member_id: m.id,
        membership_number: m.membership_number,
        forenames: m.forenames,
        surname: m.surname,
        date_of_birth: m.date_of_birth,
        home_postcode: m.home_postcode,
        email: m.email,
        mobile: m.mobile,
      }),
    );
    const values = blockingValuesOf(rows.map(personRecord), names);
    await insertDuplicateKeys(
      tx,
      rows.map((r, i) => ({ ...r, keys: values[i]! })),
    );
    for (const m of page) if (m.decided_by !== null) decided.add(String(m.id));
    size += page.length;
  }

  const search = new BlockedSearch(
    await duplicateKeyCounts(tx, MIN_COUNT_FOR_LIST_FREQUENCY),
    {},
    WINDOW_ROWS,
  );
  // A rule's first rows (the database sorting the working table by its key) are asked for before
  // the rule before it scores its last window.
  const firstRows = async (rule: number) => {
    await openBlockRows(tx, BLOCKING_RULES[rule]!.fields);
    return { rows: ahead(fetchBlockRows(tx, PAGE_ROWS)) };
  };
  let first = await firstRows(0);
  for (let q = 0; q < BLOCKING_RULES.length; q++) {
    const rule = BLOCKING_RULES[q]!;
    let fetched = first.rows;
    for (;;) {
      const rows = await fetched;
      if (!rows.length) break;
      fetched = ahead(fetchBlockRows(tx, PAGE_ROWS));
      search.add(
        rows.map((r) => ({
          ord: r.ord,
          record: personRecord(r),
          key: rule.fields.map((_f, i) => r[`key${i}`] as string | number),
        })),
      );
    }
    await closeBlockRows(tx);
    if (q + 1 < BLOCKING_RULES.length) first = await firstRows(q + 1);
    search.endRule();
  }
  const pending = await duplicateKeyRows(tx, search.pendingRecords());
  const result = search.finish(new Map(pending.map((r) => [r.ord, personRecord(r)])));
  return { result, members: size, decided };
}

/**
 * Finds members who are one person under two membership numbers and records
 * them as groups: certain groups are linked, uncertain ones go to review.
 * Nothing is deleted or merged here: a ballot must send one paper per
 * person, and a person deciding which record stands is the safe way.
 * Groups a reviewer has decided are kept; the rest are recomputed. One
 * transaction: the search's working table is its own, and the groups are
 * replaced at once.
 */
export async function detectDuplicates(ctx: Ctx): Promise<{ linked: number; review: number }> {
  const grant = authorize(ctx.actor, "members.import");
  const unionId = grant.unionId;
  return withTx(ctx.db, async (tx) => {
    const { result, members, decided } = await searchUnion(tx, unionId);
    const evidence = new Map<string, string[]>();
    for (const p of result.pairs) {
      for (const k of [p.a, p.b])
        evidence.set(k, [...new Set([...(evidence.get(k) ?? []), ...p.evidence])].slice(0, 8));
    }
    await deleteUndecidedGroups(tx, unionId);
    let linked = 0;
    let review = 0;
    const clusters = result.clusters.filter((c) => !c.keys.some((k) => decided.has(k)));
    // Group ids taken from the sequence first, so that all the groups go in with one statement.
    const ids = await takeGroupIds(tx, clusters.length);
    const groups = clusters.map((cluster, i) => {
      if (cluster.certain) linked++;
      else review++;
      return {
        id: ids[i]!,
        union_id: unionId,
        status: cluster.certain ? "linked" : "review",
        confidence: cluster.confidence,
        evidence: evidence.get(cluster.keys[0]!) ?? [],
        created_at: ctx.clock.now(),
      };
    });
    await insertGroups(tx, groups);
    const memberUpdates: { id: number; duplicate_group_id: number }[] = [];
    clusters.forEach((cluster, i) => {
      for (const k of cluster.keys) memberUpdates.push({ id: Number(k), duplicate_group_id: ids[i]! });
    });
    await setMembersGroups(tx, memberUpdates);
    await recordAudit({ ...ctx, db: tx }, "duplicates.detected", {
      subjectType: "union",
      subjectId: unionId,
      details: { linked, review, comparisons: result.comparisons, members },
    });
    return { linked, review };
  });
}

export interface DuplicateGroupDto {
  id: number;
  status: "linked" | "review" | "distinct";
  confidence: number;
  evidence: string[];
  decidedAt: string | null;
  members: {
    id: number;
    membershipNumber: string;
    forenames: string;
    surname: string;
    dateOfBirth: string | null;
    homePostcode: string | null;
    email: string | null;
    employerName: string | null;
    status: string;
  }[];
}

export async function listDuplicateGroups(
  ctx: Ctx,
  query: { status?: "linked" | "review" | "distinct"; page: number; pageSize: number },
): Promise<{
  items: DuplicateGroupDto[];
  total: number;
  page: number;
  pageSize: number;
  counts: Record<string, number>;
}> {
  const grant = authorize(ctx.actor, "members.import");
  const [groups, total, counts] = await selectGroupsPage(ctx.db, grant.unionId, query);
  const ids = groups.map((g) => g.id);
  const members = ids.length ? await groupMembers(ctx.db, ids) : [];
  return {
    items: groups.map((g) => ({
      id: g.id,
      status: g.status as DuplicateGroupDto["status"],
      confidence: g.confidence,
      evidence: g.evidence as string[],
      decidedAt: g.decided_at ? g.decided_at.toISOString() : null,
      members: members
        .filter((m) => m.duplicate_group_id === g.id)
        .map((m) => ({
          id: m.id,
          membershipNumber: m.membership_number,
          forenames: m.forenames,
          surname: m.surname,
          dateOfBirth: m.date_of_birth,
          homePostcode: m.home_postcode,
          email: m.email,
          employerName: m.employer_name,
          status: m.status,
        })),
    })),
    total: Number(total.n),
    page: query.page,
    pageSize: query.pageSize,
    counts: Object.fromEntries(counts.map((c) => [c.status, Number(c.n)])),
  };
}

/** A reviewer confirms a group is one person (linked) or says they are different people (distinct). */
export async function decideDuplicateGroup(ctx: Ctx, id: number, action: "link" | "distinct"): Promise<void> {
  const grant = authorize(ctx.actor, "members.import");
  await withTx(ctx.db, async (tx) => {
    const updated = await decideGroup(tx, grant.unionId, id, {
      status: action === "link" ? "linked" : "distinct",
      decidedBy: ctx.actor.userId ?? null,
      decidedAt: ctx.clock.now(),
    });
    if (!updated) throw new AppError("members.not_found", `No duplicate group ${id}.`);
    await recordAudit({ ...ctx, db: tx }, "duplicates.decided", {
      subjectType: "duplicate_group",
      subjectId: id,
      details: { action },
    });
  });
}
