/**
 * Templates, their versions, segments and sends: their SQL, inside the union. None of these functions
 * authorises, audits or opens a transaction.
 */
import { sql } from "kysely";
import { type Grant, memberInScope } from "../auth/index.js";
import type { Db } from "../db/database.js";

export async function insertTemplate(
  db: Db,
  row: {
    unionId: number;
    name: string;
    channel: string;
    purpose: string;
    createdBy: number | null;
    now: Date;
  },
) {
  return db
    .insertInto("comms_templates")
    .values({
      union_id: row.unionId,
      name: row.name,
      channel: row.channel,
      purpose: row.purpose,
      created_by: row.createdBy,
      created_at: row.now,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
}

/** A template of the union by its id or its name. */
export async function selectTemplate(db: Db, unionId: number, key: number | string) {
  return db
    .selectFrom("comms_templates")
    .selectAll()
    .where("union_id", "=", unionId)
    .where((eb) => (typeof key === "number" ? eb("id", "=", key) : eb("name", "=", key)))
    .executeTakeFirst();
}

export async function selectTemplates(db: Db, unionId: number) {
  return db
    .selectFrom("comms_templates")
    .selectAll()
    .where("union_id", "=", unionId)
    .orderBy("name")
    .execute();
}

export async function selectVersions(db: Db, templateIds: number[]) {
  if (!templateIds.length) return [];
  return db
    .selectFrom("comms_template_versions")
    .selectAll()
    .where("template_id", "in", templateIds)
    .orderBy("template_id")
    .orderBy("language")
    .orderBy("version")
    .execute();
}

export async function selectVersion(db: Db, unionId: number, versionId: number) {
  return db
    .selectFrom("comms_template_versions as v")
    .innerJoin("comms_templates as t", "t.id", "v.template_id")
    .selectAll("v")
    .select(["t.channel", "t.purpose", "t.union_id"])
    .where("t.union_id", "=", unionId)
    .where("v.id", "=", versionId)
    .executeTakeFirst();
}

export async function insertVersion(
  db: Db,
  row: {
    templateId: number;
    language: string;
    subject: string | null;
    body: string;
    createdBy: number | null;
    now: Date;
  },
) {
  const last = await db
    .selectFrom("comms_template_versions")
    .select(sql<number>`coalesce(max(version), 0)::int`.as("v"))
    .where("template_id", "=", row.templateId)
    .where("language", "=", row.language)
    .executeTakeFirstOrThrow();
  return db
    .insertInto("comms_template_versions")
    .values({
      template_id: row.templateId,
      language: row.language,
      version: Number(last.v) + 1,
      subject: row.subject,
      body: row.body,
      created_by: row.createdBy,
      created_at: row.now,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
}

/** Approves a draft: the compiled HTML is fixed with it; the language's earlier approved version is withdrawn. */
export async function approveVersion(
  db: Db,
  v: { id: number; templateId: number; language: string; html: string | null; by: number | null; now: Date },
) {
  await db
    .updateTable("comms_template_versions")
    .set({ state: "withdrawn", withdrawn_at: v.now })
    .where("template_id", "=", v.templateId)
    .where("language", "=", v.language)
    .where("state", "=", "approved")
    .execute();
  await db
    .updateTable("comms_template_versions")
    .set({ state: "approved", approved_by: v.by, approved_at: v.now, compiled_html: v.html })
    .where("id", "=", v.id)
    .where("state", "=", "draft")
    .execute();
}

/** The approved version of each language of a template. */
export async function selectApproved(db: Db, templateId: number) {
  return db
    .selectFrom("comms_template_versions")
    .selectAll()
    .where("template_id", "=", templateId)
    .where("state", "=", "approved")
    .execute();
}

export async function upsertSegment(
  db: Db,
  row: { unionId: number; name: string; definition: unknown; createdBy: number | null; now: Date },
) {
  return db
    .insertInto("comms_segments")
    .values({
      union_id: row.unionId,
      name: row.name,
      definition: JSON.stringify(row.definition),
      created_by: row.createdBy,
      created_at: row.now,
      updated_at: row.now,
    })
    .onConflict((oc) =>
      oc.constraint("comms_segments_name_uq").doUpdateSet({
        definition: JSON.stringify(row.definition),
        updated_at: row.now,
      }),
    )
    .returning(["id", "created_at"])
    .executeTakeFirstOrThrow();
}

/** A segment of the union by its id or its name. */
export async function selectSegment(db: Db, unionId: number, key: number | string) {
  return db
    .selectFrom("comms_segments")
    .selectAll()
    .where("union_id", "=", unionId)
    .where((eb) => (typeof key === "number" ? eb("id", "=", key) : eb("name", "=", key)))
    .executeTakeFirst();
}

export async function selectSegments(db: Db, unionId: number) {
  return db
    .selectFrom("comms_segments")
    .selectAll()
    .where("union_id", "=", unionId)
    .orderBy("name")
    .execute();
}

export async function insertSend(
  db: Db,
  row: {
    unionId: number;
    templateId: number;
    segmentId: number;
    channel: string;
    purpose: string;
    ballotId: number | null;
    definition: unknown;
    reach: unknown;
    versions: Record<string, number>;
    /** What a failed message falls back to (decisions/0028); null: no fallback. */
    fallback?: unknown;
    createdBy: number | null;
    now: Date;
  },
) {
  return db
    .insertInto("comms_sends")
    .values({
      union_id: row.unionId,
      template_id: row.templateId,
      segment_id: row.segmentId,
      channel: row.channel,
      purpose: row.purpose,
      ballot_id: row.ballotId,
      definition: JSON.stringify(row.definition),
      reach: JSON.stringify(row.reach),
      versions: JSON.stringify(row.versions),
      fallback: row.fallback ? JSON.stringify(row.fallback) : null,
      created_by: row.createdBy,
      created_at: row.now,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
}

export async function setSendJob(db: Db, sendId: number, jobId: number) {
  await db.updateTable("comms_sends").set({ job_id: jobId }).where("id", "=", sendId).execute();
}

export async function selectSend(db: Db, unionId: number, id: number) {
  return db
    .selectFrom("comms_sends as s")
    .innerJoin("comms_templates as t", "t.id", "s.template_id")
    .selectAll("s")
    .select("t.name as template_name")
    .where("s.union_id", "=", unionId)
    .where("s.id", "=", id)
    .executeTakeFirst();
}

export async function selectSends(db: Db, unionId: number, limit: number) {
  return db
    .selectFrom("comms_sends as s")
    .innerJoin("comms_templates as t", "t.id", "s.template_id")
    .selectAll("s")
    .select("t.name as template_name")
    .where("s.union_id", "=", unionId)
    .orderBy("s.created_at", "desc")
    .orderBy("s.id", "desc")
    .limit(limit)
    .execute();
}

/** The merge fields of the members of a batch: names and where they work. */
export async function selectMergeRows(db: Db, grant: Grant, memberIds: number[]) {
  if (!memberIds.length) return [];
  return db
    .selectFrom("members")
    .leftJoin("employers as e", "e.id", "members.employer_id")
    .leftJoin("workplaces as w", "w.id", "members.workplace_id")
    .select([
      "members.id",
      "members.forenames",
      "members.surname",
      "e.name as employer",
      "w.name as workplace",
    ])
    .where("members.id", "in", memberIds)
    .where(memberInScope(grant))
    .execute();
}

export async function selectUnionName(db: Db, unionId: number): Promise<string> {
  const r = await db.selectFrom("unions").select("name").where("id", "=", unionId).executeTakeFirstOrThrow();
  return r.name;
}
