import { recordAudit } from "../audit/index.js";
import { authorize } from "../auth/index.js";
import type { Ctx } from "../context.js";
import { withTx } from "../db/tx.js";
import { AppError } from "../shared/errors.js";
import { findDuplicates, type PersonRecord } from "./duplicates/index.js";
import {
  decideGroup,
  deleteUndecidedGroups,
  groupMembers,
  insertGroups,
  membersForDuplicates,
  selectGroupsPage,
  setMembersGroups,
  takeGroupIds,
} from "./duplicates.store.js";

/**
 * Finds members who are one person under two membership numbers and records
 * them as groups: certain groups are linked, uncertain ones go to review.
 * Nothing is deleted or merged here: a ballot must send one paper per
 * person, and a person deciding which record stands is the safe way.
 * Groups a reviewer has decided are kept; the rest are recomputed.
 */
export async function detectDuplicates(ctx: Ctx): Promise<{ linked: number; review: number }> {
  const grant = authorize(ctx.actor, "members.import");
  const unionId = grant.unionId;
  const members = await membersForDuplicates(ctx.db, unionId);
  const decided = new Set(members.filter((m) => m.decided_by !== null).map((m) => String(m.id)));
  const records: PersonRecord[] = members.map((m) => ({
    key: String(m.id),
    membershipNumber: m.membership_number,
    forenames: m.forenames,
    surname: m.surname,
    dateOfBirth: m.date_of_birth,
    postcode: m.home_postcode,
    email: m.email,
    mobile: m.mobile,
  }));
  const result = findDuplicates(records);
  const evidence = new Map<string, string[]>();
  for (const p of result.pairs) {
    for (const k of [p.a, p.b])
      evidence.set(k, [...new Set([...(evidence.get(k) ?? []), ...p.evidence])].slice(0, 8));
  }
  return withTx(ctx.db, async (tx) => {
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
      details: { linked, review, comparisons: result.comparisons, members: records.length },
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
