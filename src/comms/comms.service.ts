/**
 * Communications: segments (audiences), templates with versions per language, previews with real
 * members, sends queued as jobs, and the unsubscribe link (decisions/0027).
 */
import { createHmac } from "node:crypto";
import { auditKeyOf, recordAudit } from "../audit/index.js";
import { authorize, type Grant, type RowScope } from "../auth/index.js";
import { getBallot } from "../ballots/index.js";
import type { Ctx } from "../context.js";
import { withTx } from "../db/tx.js";
import { enqueueJob } from "../jobs/index.js";
import { AppError } from "../shared/errors.js";
import { turnoutStatus } from "../turnout/index.js";
import { countAudience, type MessageRule, type ResolvedAudience } from "./audience.store.js";
import type { SegmentInput } from "./comms.model.js";
import {
  type AudienceCountDto,
  BODY_LIMITS,
  CHANNELS,
  type Channel,
  type Language,
  type PreviewDto,
  type Purpose,
  SegmentDefinition,
  type SegmentDto,
  SegmentInput as SegmentInputSchema,
  type SendDto,
  type SendInput,
  SUPPRESSION_LABELS,
  type SuppressionReason,
  type TemplateDto,
  type TemplateInput,
  type VersionDto,
  type VersionInput,
} from "./comms.model.js";
import {
  approveVersion,
  insertSend,
  insertTemplate,
  insertVersion,
  selectApproved,
  selectMergeRows,
  selectSegment,
  selectSegments,
  selectSend,
  selectSends,
  selectTemplate,
  selectTemplates,
  selectUnionName,
  selectVersion,
  selectVersions,
  setSendJob,
  upsertSegment,
} from "./comms.store.js";
import type { FallbackPlan } from "./deliverability.store.js";
import { insertSuppression, ledgerCounts, selectMessage, suppressedByReason } from "./ledger.store.js";
import { rowOfToken } from "./links.js";
import { compileEmailHtml, compileVersion, renderMessage, SAMPLE_FIELDS, smsSegments } from "./render.js";

export const COMMS_SEND_JOB = "comms_send";

export interface CommsSendPayload {
  sendId: number;
  /** "send": a run for messages written since (fallbacks), skipping the ledger's writing. */
  phase?: "send";
}

const notFound = (what: string, id: number | string) =>
  new AppError("comms.not_found", `No such ${what} (${id}) in your union.`);

function iso(d: Date | string | null): string | null {
  return d === null ? null : new Date(d).toISOString();
}

// ---------------------------------------------------------------------------------------------
// Segments

export async function saveSegment(ctx: Ctx, given: SegmentInput): Promise<SegmentDto> {
  const grant = authorize(ctx.actor, "comms.write");
  const input = SegmentInputSchema.parse(given);
  const row = await upsertSegment(ctx.db, {
    unionId: grant.unionId,
    name: input.name,
    definition: input.definition,
    createdBy: ctx.actor.userId,
    now: ctx.clock.now(),
  });
  return {
    id: Number(row.id),
    name: input.name,
    definition: input.definition,
    createdAt: iso(row.created_at)!,
  };
}

export async function listSegments(ctx: Ctx): Promise<SegmentDto[]> {
  const grant = authorize(ctx.actor, "comms.read");
  const rows = await selectSegments(ctx.db, grant.unionId);
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    definition: SegmentDefinition.parse(r.definition),
    createdAt: iso(r.created_at)!,
  }));
}

async function loadSegment(ctx: Ctx, grant: Grant, id: number) {
  const row = await selectSegment(ctx.db, grant.unionId, id);
  if (!row) throw notFound("segment", id);
  return { ...row, definition: SegmentDefinition.parse(row.definition) };
}

/** The ballot part resolved to the constituencies it means now, in the reader's reach. */
async function resolveAudience(ctx: Ctx, definition: SegmentDefinition): Promise<ResolvedAudience> {
  const b = definition.ballot;
  if (!b) return { definition, ballotIds: null };
  if (!b.constituencyStatuses) {
    await getBallot(ctx, b.id); // not found outside the reader's reach
    return { definition, ballotIds: [b.id] };
  }
  const status = await turnoutStatus(ctx, b.id);
  const wanted = new Set<string>(b.constituencyStatuses);
  return {
    definition,
    ballotIds: status.constituencies.filter((c) => wanted.has(c.status)).map((c) => c.ballotId),
  };
}

function ruleFor(channel: Channel, purpose: Purpose, audience: ResolvedAudience): MessageRule {
  return { channel, purpose, ballotIds: audience.ballotIds };
}

/** Who a segment reaches on a channel for a purpose, before anything is sent. Counts only. */
export async function countSegment(
  ctx: Ctx,
  segmentId: number,
  channel: Channel,
  purpose: Purpose,
): Promise<AudienceCountDto> {
  const grant = authorize(ctx.actor, "comms.read");
  const segment = await loadSegment(ctx, grant, segmentId);
  const audience = await resolveAudience(ctx, segment.definition);
  const rows = await countAudience(ctx.db, grant, audience, ruleFor(channel, purpose, audience));
  const suppressed = new Map<SuppressionReason, number>();
  const byLanguage = { en: 0, cy: 0 };
  let members = 0;
  let reachable = 0;
  for (const r of rows) {
    const n = Number(r.n);
    members += n;
    if (r.reason === null) {
      reachable += n;
      byLanguage[r.language === "cy" ? "cy" : "en"] += n;
    } else suppressed.set(r.reason, (suppressed.get(r.reason) ?? 0) + n);
  }
  return {
    members,
    reachable,
    suppressed: [...suppressed].map(([reason, n]) => ({
      reason,
      label: SUPPRESSION_LABELS[reason],
      members: n,
    })),
    byLanguage,
  };
}

// ---------------------------------------------------------------------------------------------
// Templates

function versionDto(v: {
  id: number;
  language: string;
  version: number;
  subject: string | null;
  body: string;
  state: string;
  approved_at: Date | null;
}): VersionDto {
  return {
    id: v.id,
    language: v.language as Language,
    version: v.version,
    subject: v.subject,
    body: v.body,
    state: v.state as VersionDto["state"],
    approvedAt: iso(v.approved_at),
  };
}

export async function createTemplate(ctx: Ctx, input: TemplateInput): Promise<TemplateDto> {
  const grant = authorize(ctx.actor, "comms.write");
  const row = await insertTemplate(ctx.db, {
    unionId: grant.unionId,
    ...input,
    createdBy: ctx.actor.userId,
    now: ctx.clock.now(),
  });
  return { id: row.id, ...input, versions: [] };
}

export async function listTemplates(ctx: Ctx): Promise<TemplateDto[]> {
  const grant = authorize(ctx.actor, "comms.read");
  const templates = await selectTemplates(ctx.db, grant.unionId);
  const versions = await selectVersions(
    ctx.db,
    templates.map((t) => t.id),
  );
  return templates.map((t) => ({
    id: t.id,
    name: t.name,
    channel: t.channel as Channel,
    purpose: t.purpose as Purpose,
    versions: versions.filter((v) => v.template_id === t.id).map(versionDto),
  }));
}

/** Checks a version's text: length, subject where needed, and that every merge field exists. */
async function checkVersion(channel: Channel, purpose: Purpose, input: VersionInput): Promise<string | null> {
  if (input.body.length > BODY_LIMITS[channel]) {
    throw new AppError(
      "comms.template_invalid",
      `The text is longer than ${BODY_LIMITS[channel]} characters.`,
    );
  }
  if (channel === "email" && !input.subject) {
    throw new AppError("comms.template_invalid", "An email needs a subject.");
  }
  const html =
    channel === "email"
      ? await compileEmailHtml(input.body, purpose, input.subject ?? "", input.language)
      : null;
  // A sample render finds fields that do not exist (strict variables) before anyone approves it.
  renderMessage(
    compileVersion({ channel, purpose, subject: input.subject ?? null, body: input.body, html }),
    SAMPLE_FIELDS,
  );
  return html;
}

export async function addVersion(ctx: Ctx, templateId: number, input: VersionInput): Promise<VersionDto> {
  const grant = authorize(ctx.actor, "comms.write");
  const t = await selectTemplate(ctx.db, grant.unionId, templateId);
  if (!t) throw notFound("template", templateId);
  await checkVersion(t.channel as Channel, t.purpose as Purpose, input);
  const row = await insertVersion(ctx.db, {
    templateId,
    language: input.language,
    subject: t.channel === "email" ? (input.subject ?? null) : null,
    body: input.body,
    createdBy: ctx.actor.userId,
    now: ctx.clock.now(),
  });
  const v = await selectVersion(ctx.db, grant.unionId, row.id);
  return versionDto(v!);
}

/** Approves a draft version: it becomes what sends of this template in its language use. */
export async function approveTemplateVersion(ctx: Ctx, versionId: number): Promise<VersionDto> {
  const grant = authorize(ctx.actor, "comms.approve");
  const v = await selectVersion(ctx.db, grant.unionId, versionId);
  if (!v) throw notFound("template version", versionId);
  if (v.state !== "draft") {
    throw new AppError(
      "comms.version_not_draft",
      "Only a draft can be approved; write a new version to change it.",
    );
  }
  const html = await checkVersion(v.channel as Channel, v.purpose as Purpose, {
    language: v.language as Language,
    subject: v.subject ?? undefined,
    body: v.body,
  });
  await withTx(ctx.db, async (tx) => {
    await approveVersion(tx, {
      id: v.id,
      templateId: v.template_id,
      language: v.language,
      html,
      by: ctx.actor.userId,
      now: ctx.clock.now(),
    });
    await recordAudit({ ...ctx, db: tx }, "comms.template_approved", {
      subjectType: "comms_template",
      subjectId: v.template_id,
      details: { versionId: v.id, language: v.language, version: v.version },
    });
  });
  return versionDto((await selectVersion(ctx.db, grant.unionId, versionId))!);
}

/** A version as one real member in the reader's scope would get it (or as a sample member). */
export async function previewVersion(
  ctx: Ctx,
  versionId: number,
  memberId: number | null,
): Promise<PreviewDto> {
  const grant = authorize(ctx.actor, memberId === null ? "comms.read" : "comms.preview");
  const v = await selectVersion(ctx.db, grant.unionId, versionId);
  if (!v) throw notFound("template version", versionId);
  const channel = v.channel as Channel;
  const purpose = v.purpose as Purpose;
  const html =
    v.compiled_html ??
    (channel === "email"
      ? await compileEmailHtml(v.body, purpose, v.subject ?? "", v.language as Language)
      : null);
  let fields = { ...SAMPLE_FIELDS, union: { name: await selectUnionName(ctx.db, grant.unionId) } };
  if (memberId !== null) {
    const [m] = await selectMergeRows(ctx.db, grant, [memberId]);
    if (!m) throw new AppError("members.not_found", "No such member in your scope.");
    fields = { ...fields, member: mergeMember(m) };
  }
  const out = renderMessage(
    compileVersion({ channel, purpose, subject: v.subject, body: v.body, html }),
    fields,
  );
  return {
    language: v.language as Language,
    subject: out.subject,
    html: out.html,
    text: out.text,
    sms: channel === "sms" ? smsSegments(out.text) : null,
  };
}

export function mergeMember(m: {
  forenames: string;
  surname: string;
  employer: string | null;
  workplace: string | null;
}) {
  return {
    forename: m.forenames.trim().split(/\s+/)[0] ?? "",
    surname: m.surname,
    employer: m.employer ?? "",
    workplace: m.workplace ?? "",
  };
}

// ---------------------------------------------------------------------------------------------
// Sends

/** A template and a segment by their names (the command line's way of naming them). */
export async function findByNames(ctx: Ctx, names: { template: string; segment: string }) {
  const grant = authorize(ctx.actor, "comms.read");
  const template = await selectTemplate(ctx.db, grant.unionId, names.template);
  if (!template)
    throw new AppError("comms.not_found", `No template named "${names.template}" in your union.`);
  const segment = await selectSegment(ctx.db, grant.unionId, names.segment);
  if (!segment) throw new AppError("comms.not_found", `No segment named "${names.segment}" in your union.`);
  return { template: { id: template.id, channel: template.channel as Channel }, segment: { id: segment.id } };
}

async function approvedVersions(ctx: Ctx, templateId: number) {
  const approved = await selectApproved(ctx.db, templateId);
  const versions: Partial<Record<Language, number>> = {};
  for (const v of approved) versions[v.language as Language] = v.id;
  if (versions.en === undefined) {
    throw new AppError(
      "comms.not_approved",
      "The template has no approved English version; approve one before sending (Welsh is optional).",
    );
  }
  return versions as { en: number; cy?: number };
}

/**
 * The templates a send falls back to: each on a later channel than the send's (email, then SMS,
 * then letter), one per channel, of the same purpose (the same consent rules), approved in English.
 */
async function fallbackPlan(
  ctx: Ctx,
  grant: Grant,
  primary: { channel: string; purpose: string },
  templateIds: readonly number[],
): Promise<FallbackPlan | null> {
  if (!templateIds.length) return null;
  const plan: FallbackPlan = {};
  const order = CHANNELS.indexOf(primary.channel as Channel);
  for (const id of templateIds) {
    const t = await selectTemplate(ctx.db, grant.unionId, id);
    if (!t) throw notFound("template", id);
    const channel = t.channel as Channel;
    if (channel === "email" || CHANNELS.indexOf(channel) <= order || plan[channel]) {
      throw new AppError(
        "comms.fallback_invalid",
        "A send falls back to later channels only (email, then SMS, then letter), one template each.",
      );
    }
    if (t.purpose !== primary.purpose) {
      throw new AppError(
        "comms.fallback_invalid",
        `A fallback template must have the send's purpose (${primary.purpose}), so the same members may get it.`,
      );
    }
    const v = await approvedVersions(ctx, t.id);
    plan[channel] = { templateId: t.id, versions: { en: v.en, cy: v.cy ?? null } };
  }
  return plan;
}

/**
 * Queues a send: the template's approved versions, the segment resolved now and narrowed to the
 * sender's reach, kept with the send; the ledger is written by the job.
 */
export async function queueSend(ctx: Ctx, input: SendInput): Promise<SendDto> {
  const grant = authorize(ctx.actor, "comms.send");
  const t = await selectTemplate(ctx.db, grant.unionId, input.templateId);
  if (!t) throw notFound("template", input.templateId);
  const segment = await loadSegment(ctx, grant, input.segmentId);
  const versions = await approvedVersions(ctx, t.id);
  const fallback = await fallbackPlan(ctx, grant, t, input.fallbackTemplateIds ?? []);
  // Every channel is queued whatever this process's configuration: the worker that runs the send
  // refuses it when it has no SMTP server or SMS provider.
  const audience = await resolveAudience(ctx, segment.definition);
  const ballotId = segment.definition.ballot?.id ?? null;
  const sendId = await withTx(ctx.db, async (tx) => {
    const row = await insertSend(tx, {
      unionId: grant.unionId,
      templateId: t.id,
      segmentId: segment.id,
      channel: t.channel,
      purpose: t.purpose,
      ballotId,
      definition: { definition: segment.definition, ballotIds: audience.ballotIds },
      reach: grant.rows,
      versions,
      fallback,
      createdBy: ctx.actor.userId,
      now: ctx.clock.now(),
    });
    const job = await enqueueJob(
      { ...ctx, db: tx },
      COMMS_SEND_JOB,
      { sendId: row.id } satisfies CommsSendPayload,
      {
        dedupeKey: `comms_send:${row.id}`,
        // Each run takes over where the last stopped, so a send outlives many restarts of its workers
        // (deployments, crashes) without giving up; only a send that fails for a reason of its own stops.
        maxAttempts: 100,
      },
    );
    await setSendJob(tx, row.id, job.id);
    await recordAudit({ ...ctx, db: tx }, "comms.send_queued", {
      subjectType: "comms_send",
      subjectId: row.id,
      details: {
        templateId: t.id,
        segmentId: segment.id,
        channel: t.channel,
        purpose: t.purpose,
        jobId: job.id,
        ...(fallback ? { fallback: Object.keys(fallback) } : {}),
      },
    });
    return row.id;
  });
  return getSend(ctx, sendId);
}

export async function getSend(ctx: Ctx, id: number): Promise<SendDto> {
  const grant = authorize(ctx.actor, "comms.read");
  const s = await selectSend(ctx.db, grant.unionId, id);
  if (!s) throw notFound("send", id);
  return {
    ...sendSummary(s),
    messages: await ledgerCounts(ctx.db, s.id),
    suppressed: (await suppressedByReason(ctx.db, s.id)).map((r) => ({
      ...r,
      label: SUPPRESSION_LABELS[r.reason as SuppressionReason] ?? r.reason,
    })),
  };
}

function sendSummary(
  s: NonNullable<Awaited<ReturnType<typeof selectSend>>>,
): Omit<SendDto, "messages" | "suppressed"> {
  return {
    id: s.id,
    templateId: s.template_id,
    templateName: s.template_name,
    segmentId: s.segment_id,
    channel: s.channel as Channel,
    purpose: s.purpose as Purpose,
    jobId: s.job_id,
    createdAt: iso(s.created_at)!,
    fallback: Object.entries((s.fallback ?? {}) as FallbackPlan)
      .map(([channel, p]) => ({ channel: channel as Channel, templateId: p.templateId }))
      .sort((a, b) => CHANNELS.indexOf(a.channel) - CHANNELS.indexOf(b.channel)),
  };
}

export async function listSends(ctx: Ctx, limit = 50): Promise<Omit<SendDto, "messages" | "suppressed">[]> {
  const grant = authorize(ctx.actor, "comms.read");
  const rows = await selectSends(ctx.db, grant.unionId, limit);
  return rows.map(sendSummary);
}

/** The reach a send was queued with, as a grant for the job that writes its ledger. */
export function grantOfSend(unionId: number, reach: unknown): Grant {
  return { unionId, rows: reach as RowScope, view: "personal" };
}

// ---------------------------------------------------------------------------------------------
// Unsubscribing (no sign-in: the token is the proof)

/** The message an unsubscribe token names, or comms.link_invalid: nothing is shown for a token not ours. */
async function messageOfToken(ctx: Pick<Ctx, "db">, token: string) {
  const rowId = rowOfToken(auditKeyOfSecret(ctx), token);
  const row = rowId === null ? undefined : await selectMessage(ctx.db, rowId);
  if (!row) throw new AppError("comms.link_invalid", "This unsubscribe link is not valid.");
  return row;
}

/** The channel an unsubscribe link is for, checking the link first (the page a member opens). */
export async function unsubscribeLinkChannel(ctx: Pick<Ctx, "db">, token: string): Promise<Channel> {
  return (await messageOfToken(ctx, token)).channel as Channel;
}

/**
 * The member behind a message's unsubscribe token gets no more campaign messages on its channel.
 * Idempotent; the answer never says who the member is.
 */
export async function unsubscribe(ctx: Omit<Ctx, "actor">, token: string): Promise<{ channel: Channel }> {
  const row = await messageOfToken(ctx, token);
  const actor = {
    kind: "system" as const,
    userId: null,
    unionId: row.union_id,
    role: "national" as const,
    label: "member:unsubscribe-link",
    regionIds: [],
    sectorIds: [],
    workplaceIds: [],
  };
  await withTx(ctx.db, async (tx) => {
    const added = await insertSuppression(tx, {
      unionId: row.union_id,
      memberId: row.member_id,
      channel: row.channel as Channel,
      reason: "unsubscribed",
      address: null,
      messageId: row.id,
      createdBy: null,
      now: ctx.clock.now(),
    });
    if (added) {
      await recordAudit({ ...ctx, actor, db: tx }, "comms.unsubscribed", {
        subjectType: "member",
        subjectId: row.member_id,
        details: { channel: row.channel, sendId: row.send_id },
      });
    }
  });
  return { channel: row.channel as Channel };
}

/** Keys for links in messages, derived from the installation's audit key (never stored). */
export function auditKeyOfSecret(ctx: Pick<Ctx, "db">): Buffer {
  return commsSecret(auditKeyOf(ctx.db));
}

/** HMAC(audit key, purpose): a key of its own for message links, so neither use can forge the other. */
export function commsSecret(auditKey: Buffer): Buffer {
  return createHmac("sha256", auditKey).update("mandate-comms-links-v1", "utf8").digest();
}
