/**
 * Officer bulletins (decisions/0030): announcements from national officers to users by role and region,
 * and digests per region of the ballots running there (returns against the 50% threshold), the messages
 * sent and the materials approved: counts only, never a member's personal data. A reader's opening of a
 * bulletin in the app is its read receipt.
 */
import { recordAudit } from "../audit/index.js";
import { authorize, can, type Grant } from "../auth/index.js";
import { ballotReach } from "../ballots/index.js";
import type { Ctx } from "../context.js";
import { withTx } from "../db/tx.js";
import { AppError } from "../shared/errors.js";
import {
  type AnnouncementInput,
  AnnouncementInput as AnnouncementSchema,
  type BulletinDto,
  type DigestFigures,
  type ReceiptsDto,
} from "./bulletins.model.js";
import {
  digestCounts,
  insertBulletin,
  insertRead,
  type Reader,
  selectBulletinCounts,
  selectBulletins,
  selectReceipts,
  selectRegions,
} from "./bulletins.store.js";

const notFound = (id: number) => new AppError("bulletins.not_found", `No such bulletin (${id}) for you.`);

function readerOf(ctx: Ctx): Reader {
  const grant = authorize(ctx.actor, "bulletins.read");
  return {
    unionId: grant.unionId,
    userId: ctx.actor.userId,
    role: ctx.actor.role,
    grant,
    publisher: can(ctx.actor, "bulletins.publish"),
  };
}

async function dtos(ctx: Ctx, rows: Awaited<ReturnType<typeof selectBulletins>>): Promise<BulletinDto[]> {
  const regions = new Map((await selectRegions(ctx.db, ctx.actor.unionId)).map((r) => [r.id, r.name]));
  const counts = can(ctx.actor, "bulletins.publish")
    ? new Map(
        (
          await selectBulletinCounts(
            ctx.db,
            ctx.actor.unionId,
            rows.map((b) => b.id),
          )
        ).map((c) => [c.id, c]),
      )
    : null;
  return rows.map((b) => ({
    id: b.id,
    kind: b.kind as BulletinDto["kind"],
    title: b.title,
    body: b.body,
    roles: b.roles,
    regions: b.region_ids.map((id) => ({ id, name: regions.get(id) ?? `Region ${id}` })),
    figures: (b.figures as DigestFigures | null) ?? null,
    createdBy: b.created_by_name,
    createdAt: new Date(b.created_at).toISOString(),
    readAt: b.read_at ? new Date(b.read_at).toISOString() : null,
    counts: counts
      ? (({ addressed, emailed, read }) => ({ addressed, emailed, read }))(
          counts.get(b.id) ?? { addressed: 0, emailed: 0, read: 0 },
        )
      : null,
  }));
}

export async function listBulletins(ctx: Ctx): Promise<BulletinDto[]> {
  return dtos(ctx, await selectBulletins(ctx.db, readerOf(ctx), { limit: 200 }));
}

/** A bulletin opened by its reader: the first opening is recorded as the read receipt. */
export async function openBulletin(ctx: Ctx, id: number): Promise<BulletinDto> {
  const reader = readerOf(ctx);
  const [row] = await selectBulletins(ctx.db, reader, { id, limit: 1 });
  if (!row) throw notFound(id);
  if (ctx.actor.userId !== null && !row.read_at) {
    await insertRead(ctx.db, id, ctx.actor.userId, ctx.clock.now());
    row.read_at = ctx.clock.now();
  }
  return (await dtos(ctx, [row]))[0]!;
}

/** Who a bulletin is addressed to and who has opened it (national officers). */
export async function bulletinReceipts(ctx: Ctx, id: number): Promise<ReceiptsDto> {
  const grant = authorize(ctx.actor, "bulletins.publish");
  const [row] = await selectBulletins(ctx.db, { ...readerOf(ctx), publisher: true }, { id, limit: 1 });
  if (!row) throw notFound(id);
  const users = await selectReceipts(ctx.db, grant.unionId, id);
  return {
    bulletinId: id,
    addressed: users.length,
    emailed: users.filter((u) => u.emailed_at).length,
    read: users.filter((u) => u.read_at).length,
    readers: users.map((u) => ({
      name: u.name,
      role: u.role,
      emailedAt: u.emailed_at ? new Date(u.emailed_at).toISOString() : null,
      readAt: u.read_at ? new Date(u.read_at).toISOString() : null,
      readVia: u.read_at ? (u.via === "email" ? "email" : "app") : null,
    })),
  };
}

export async function publishAnnouncement(ctx: Ctx, given: AnnouncementInput): Promise<BulletinDto> {
  const grant = authorize(ctx.actor, "bulletins.publish");
  const input = AnnouncementSchema.parse(given);
  const known = new Set((await selectRegions(ctx.db, grant.unionId)).map((r) => r.id));
  if (!input.regionIds.every((id) => known.has(id))) {
    throw new AppError("bulletins.invalid", "A region named does not exist in your union.");
  }
  const id = await withTx(ctx.db, async (tx) => {
    const row = await insertBulletin(tx, {
      unionId: grant.unionId,
      kind: "announcement",
      title: input.title,
      body: input.body,
      roles: input.roles,
      regionIds: input.regionIds,
      figures: null,
      createdBy: ctx.actor.userId,
      now: ctx.clock.now(),
    });
    await recordAudit({ ...ctx, db: tx }, "bulletin.published", {
      subjectType: "bulletin",
      subjectId: row.id,
      details: { kind: "announcement", roles: input.roles, regionIds: input.regionIds },
    });
    return row.id;
  });
  return openBulletin(ctx, id);
}

const pct = (part: number, whole: number) => (whole ? Math.round((part / whole) * 1000) / 10 : 0);

function ukDate(d: Date): string {
  return d.toLocaleDateString("en-GB", {
    day: "numeric",
    month: "long",
    year: "numeric",
    timeZone: "Europe/London",
  });
}

/** The digest's text, from its figures. */
export function digestText(f: DigestFigures): string {
  const lines = [
    `${f.period === "daily" ? "Daily" : "Weekly"} digest, ${f.region ?? "the whole union"}: ${f.from} to ${f.to}.`,
    "",
    f.ballots.length ? "Ballots running:" : "No ballot is running.",
    ...f.ballots.map((b) =>
      b.returned === null
        ? `- ${b.name} (closes ${b.closingDate}): ${b.entitled} entitled; no returns yet.`
        : `- ${b.name} (closes ${b.closingDate}): ${b.returned} of ${b.entitled} returned (${b.turnoutPercent}%)${
            b.neededFor50 ? `, ${b.neededFor50} more needed for 50%` : ", 50% reached"
          }${b.atRisk ? " — AT RISK" : ""}.`,
    ),
    "",
    `Messages sent: ${f.sent.email} emails, ${f.sent.sms} texts, ${f.sent.letter} letters.`,
    `Materials approved: ${f.materialsApproved}.`,
  ];
  return lines.join("\n");
}

/**
 * Writes the digests of a period in the transaction of `ctx.db`: one per region (to its regional
 * officers and reps) and one for the whole union (to national and sector officers). Counts only.
 */
export async function writeDigests(
  ctx: Ctx,
  p: {
    grant: Grant;
    period: "daily" | "weekly";
    from: Date;
    to: Date;
    /** A scheduled digest's period (decisions/0037). */
    scheduled?: { start: Date } | null;
  },
): Promise<number[]> {
  const { grant, period, from, to } = p;
  const regions = await selectRegions(ctx.db, grant.unionId);
  const scopes: { region: { id: number; name: string } | null; grant: Grant; roles: string[] }[] = [
    { region: null, grant: { ...grant, rows: { kind: "all" } }, roles: ["national", "sector"] },
    ...regions.map((r) => ({
      region: r,
      grant: { ...grant, rows: { kind: "regions" as const, ids: [r.id] } },
      roles: ["regional", "rep"],
    })),
  ];
  const ids: number[] = [];
  for (const scope of scopes) {
    const counts = await digestCounts(ctx.db, ballotReach(ctx.actor, scope.grant), from, to);
    const sent = { email: 0, sms: 0, letter: 0 };
    for (const s of counts.sent) sent[s.channel as keyof typeof sent] = Number(s.n);
    const figures: DigestFigures = {
      period,
      from: ukDate(from),
      to: ukDate(to),
      region: scope.region?.name ?? null,
      ballots: counts.ballots.map((b) => {
        const entitled = Number(b.entitled ?? 0);
        const returned = b.returned === null ? null : Number(b.returned);
        const needed = returned === null ? null : Math.max(0, Math.ceil(entitled / 2) - returned);
        const turnoutPercent = returned === null ? null : pct(returned, entitled);
        return {
          name: b.name,
          closingDate: b.closing_date,
          entitled,
          returned,
          turnoutPercent,
          neededFor50: needed,
          // Below half the threshold's pace is worth a phone call: flagged under 40% returned.
          atRisk: turnoutPercent !== null && turnoutPercent < 40,
        };
      }),
      sent,
      materialsApproved: counts.materialsApproved,
    };
    const title = `${period === "daily" ? "Daily" : "Weekly"} digest: ${scope.region?.name ?? "whole union"}, ${figures.to}`;
    const row = await insertBulletin(ctx.db, {
      unionId: grant.unionId,
      kind: "digest",
      title: title.slice(0, 200),
      body: digestText(figures),
      roles: scope.roles,
      regionIds: scope.region ? [scope.region.id] : [],
      figures,
      createdBy: ctx.actor.userId,
      now: ctx.clock.now(),
      period: p.scheduled ? { frequency: period, start: p.scheduled.start } : null,
    });
    await recordAudit(ctx, "bulletin.published", {
      subjectType: "bulletin",
      subjectId: row.id,
      details: { kind: "digest", period, regionId: scope.region?.id ?? null, scheduled: !!p.scheduled },
    });
    ids.push(row.id);
  }
  return ids;
}

/** The digest for the period just ended, made when a national officer asks. */
export async function makeDigests(ctx: Ctx, period: "daily" | "weekly"): Promise<BulletinDto[]> {
  const grant = authorize(ctx.actor, "bulletins.publish");
  const to = ctx.clock.now();
  const from = new Date(to.getTime() - (period === "daily" ? 1 : 7) * 86_400_000);
  const ids = await withTx(ctx.db, (tx) => writeDigests({ ...ctx, db: tx }, { grant, period, from, to }));
  const all = await selectBulletins(ctx.db, readerOf(ctx), { limit: 500 });
  return dtos(
    ctx,
    all.filter((b) => ids.includes(b.id)),
  );
}
