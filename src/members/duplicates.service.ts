import { sql } from "kysely";
import { recordAudit } from "../audit/index.js";
import { authorize } from "../auth/index.js";
import type { Ctx } from "../context.js";
import { updateRowsAsJson } from "../db/bulk.js";
import { withTx } from "../db/tx.js";
import { AppError } from "../shared/errors.js";
import { findDuplicates, type PersonRecord } from "./duplicates/index.js";

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
  const members = await ctx.db
    .selectFrom("members")
    .leftJoin("duplicate_groups", "duplicate_groups.id", "members.duplicate_group_id")
    .select([
      "members.id",
      "members.membership_number",
      "members.forenames",
      "members.surname",
      "members.date_of_birth",
      "members.home_postcode",
      "members.email",
      "members.mobile",
      "duplicate_groups.decided_by",
    ])
    .where("members.union_id", "=", unionId)
    .where("members.status", "!=", "deceased")
    .execute();
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
    await sql`delete from duplicate_groups where union_id = ${unionId} and decided_by is null`.execute(tx);
    let linked = 0;
    let review = 0;
    const clusters = result.clusters.filter((c) => !c.keys.some((k) => decided.has(k)));
    // Group ids taken from the sequence first, so that all the groups go in with one statement.
    const ids = clusters.length
      ? (
          await sql<{
            id: number;
          }>`select nextval(pg_get_serial_sequence('duplicate_groups', 'id'))::int as id
              from generate_series(1, ${clusters.length})`.execute(tx)
        ).rows.map((r) => r.id)
      : [];
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
    for (let i = 0; i < groups.length; i += 10_000) {
      await sql`insert into duplicate_groups (id, union_id, status, confidence, evidence, created_at) overriding system value
        select id, union_id, status, confidence, evidence, created_at
          from json_populate_recordset(null::duplicate_groups, ${JSON.stringify(groups.slice(i, i + 10_000))}::json)
         order by id`.execute(tx);
    }
    const memberUpdates: { id: number; duplicate_group_id: number }[] = [];
    clusters.forEach((cluster, i) => {
      for (const k of cluster.keys) memberUpdates.push({ id: Number(k), duplicate_group_id: ids[i]! });
    });
    for (let i = 0; i < memberUpdates.length; i += 10_000)
      await updateRowsAsJson(tx, "members", memberUpdates.slice(i, i + 10_000));
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
  let q = ctx.db.selectFrom("duplicate_groups").where("union_id", "=", grant.unionId);
  if (query.status) q = q.where("status", "=", query.status);
  const [groups, total, counts] = await Promise.all([
    q
      .selectAll()
      .orderBy("confidence", "desc")
      .orderBy("id")
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize)
      .execute(),
    q.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
    ctx.db
      .selectFrom("duplicate_groups")
      .select(["status", (eb) => eb.fn.countAll<number>().as("n")])
      .where("union_id", "=", grant.unionId)
      .groupBy("status")
      .execute(),
  ]);
  const ids = groups.map((g) => g.id);
  const members = ids.length
    ? await ctx.db
        .selectFrom("members")
        .leftJoin("employers", "employers.id", "members.employer_id")
        .select([
          "members.id",
          "members.duplicate_group_id",
          "members.membership_number",
          "members.forenames",
          "members.surname",
          "members.date_of_birth",
          "members.home_postcode",
          "members.email",
          "members.status",
          "employers.name as employer_name",
        ])
        .where("members.duplicate_group_id", "in", ids)
        .orderBy("members.id")
        .execute()
    : [];
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
    const updated = await tx
      .updateTable("duplicate_groups")
      .set({
        status: action === "link" ? "linked" : "distinct",
        decided_by: ctx.actor.userId ?? null,
        decided_at: ctx.clock.now(),
      })
      .where("union_id", "=", grant.unionId)
      .where("id", "=", id)
      .returning("id")
      .executeTakeFirst();
    if (!updated) throw new AppError("members.not_found", `No duplicate group ${id}.`);
    await recordAudit({ ...ctx, db: tx }, "duplicates.decided", {
      subjectType: "duplicate_group",
      subjectId: id,
      details: { action },
    });
  });
}
