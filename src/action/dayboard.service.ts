/**
 * The live national board of a day of action (decisions/0036): workplaces by status, totals by region,
 * sector and union, numbers out over the day, and each workplace's approximate place on the map.
 *
 * Assembled from the board's aggregate (never from every report), and kept in memory for a second per
 * (union, day, scope), serialised once: every viewer in that second gets the same bytes and entity tag.
 */
import { createHash } from "node:crypto";
import { promisify } from "node:util";
import { gzip } from "node:zlib";
import { authorize, type Grant } from "../auth/index.js";
import type { Ctx } from "../context.js";
import type { Db } from "../db/database.js";
import { ukDate } from "../shared/clock.js";
import {
  BOARD_WORKPLACE_FIELDS,
  type BoardGroupDto,
  type BoardTotalsDto,
  type BoardWorkplaceDto,
  type DayBoardDto,
  type ReportingWorkplaceDto,
  type WorkplaceStatus,
} from "./dayboard.model.js";
import {
  type BoardRow,
  boardNames,
  boardRows,
  outDeltasBySlot,
  reportingWorkplaces,
  unionDayTotalRows,
} from "./dayboard.store.js";
import { postcodePlace } from "./postcode-areas.js";

/** How long a built board is served to every reader of the same scope. */
export const DAY_BOARD_KEEP_MS = 2000;
/** What the page waits between refreshes. */
export const DAY_BOARD_REFRESH_SECONDS = 10;

/**
 * Whether essential-service cover is in place at a workplace on the day: cover is recorded as agreed with
 * its employer for the day (decisions/0035), or the latest report says some members are exempt for cover.
 */
export function coverInPlace(row: { exempt_count: number | null; cover_agreed?: boolean }): boolean {
  return row.cover_agreed === true || (row.exempt_count ?? 0) > 0;
}

/** The colour of a workplace's dot: an open incident first, then a picket line, then anyone out. */
export function workplaceStatus(
  row: Pick<BoardRow, "open_incidents" | "picket_up" | "out_count">,
): WorkplaceStatus {
  if (row.open_incidents > 0) return "incident";
  if (row.picket_up) return "picket";
  if (row.out_count > 0) return "out";
  return "none";
}

const emptyTotals = (): BoardTotalsDto => ({
  workplaces: 0,
  picketUp: 0,
  out: 0,
  atWork: 0,
  exempt: 0,
  coverInPlace: 0,
  openIncidents: 0,
});

function add(t: BoardTotalsDto, r: BoardRow): void {
  t.workplaces += 1;
  if (r.picket_up) t.picketUp += 1;
  t.out += r.out_count;
  t.atWork += r.at_work_count ?? 0;
  t.exempt += r.exempt_count ?? 0;
  if (coverInPlace(r)) t.coverInPlace += 1;
  t.openIncidents += r.open_incidents;
}

const UK_TIME = new Intl.DateTimeFormat("en-GB", {
  timeZone: "Europe/London",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});

/** The half hour of `day` (0-47, UK time) that `now` falls in: -1 before the day, 47 after it. */
export function slotOfDay(now: Date, day: string): number {
  const today = ukDate(now);
  if (today < day) return -1;
  if (today > day) return 47;
  const [h, m] = UK_TIME.format(now).split(":").map(Number);
  return Math.min(47, (h! % 24) * 2 + (m! >= 30 ? 1 : 0));
}

const slotTime = (slot: number) =>
  `${String(Math.floor((slot + 1) / 2)).padStart(2, "0")}:${(slot + 1) % 2 ? "30" : "00"}`;

/** Places already worked out, by postcode (the same postcode is always in the same place). */
const places = new Map<string, ReturnType<typeof postcodePlace>>();
function placeOf(postcode: string | null): ReturnType<typeof postcodePlace> {
  if (!postcode) return null;
  let place = places.get(postcode);
  if (place === undefined) {
    place = postcodePlace(postcode);
    if (places.size > 200_000) places.clear();
    places.set(postcode, place);
  }
  return place;
}

/** Builds the board for the grant from the aggregate: a few small queries, no report read. */
export async function buildDayBoard(
  db: Db,
  grant: Grant,
  day: string,
  now: Date,
): Promise<Omit<DayBoardDto, "version" | "since" | "removed">> {
  const [rows, deltas, names] = await Promise.all([
    boardRows(db, grant, day),
    outDeltasBySlot(db, grant, day),
    boardNames(db, grant.unionId),
  ]);
  const totals = { ...emptyTotals(), notOnMap: 0, reports: 0 };
  const regions = new Map<number, BoardTotalsDto>();
  const sectors = new Map<number, BoardTotalsDto>();
  const union = emptyTotals();
  const workplaces: BoardWorkplaceDto[] = [];
  for (const r of rows) {
    const place = placeOf(r.postcode);
    if (!place) totals.notOnMap += 1;
    totals.reports += r.reports;
    add(totals, r);
    add(union, r);
    if (!regions.has(r.region_id)) regions.set(r.region_id, emptyTotals());
    add(regions.get(r.region_id)!, r);
    if (!sectors.has(r.sector_id)) sectors.set(r.sector_id, emptyTotals());
    add(sectors.get(r.sector_id)!, r);
    workplaces.push({
      id: r.workplace_id,
      name: r.name,
      region: r.region_id,
      sector: r.sector_id,
      status: workplaceStatus(r),
      out: r.out_count,
      atWork: r.at_work_count,
      exempt: r.exempt_count,
      picket: r.picket_up,
      cover: coverInPlace(r),
      incidents: r.open_incidents,
      reports: r.reports,
      at: r.reported_at ? new Date(r.reported_at).toISOString() : null,
      lat: place?.lat ?? null,
      lon: place?.lon ?? null,
    });
  }
  const group = (m: Map<number, BoardTotalsDto>, label: Map<number, string>, none: string): BoardGroupDto[] =>
    [...m.entries()]
      .map(([id, t]) => ({ id, name: label.get(id) ?? none, ...t }))
      .sort((a, b) => b.out - a.out || a.name.localeCompare(b.name));
  // The line runs on to now (or to the day's end, for a past day): numbers out stay as last reported
  // until a report changes them, so the chart must not stop at the last change.
  const lastChange = deltas.size ? Math.max(...deltas.keys()) : -1;
  const lastSlot = deltas.size ? Math.max(lastChange, slotOfDay(now, day)) : -1;
  const overTheDay: DayBoardDto["overTheDay"] = [];
  let running = 0;
  for (let slot = 0; slot <= lastSlot; slot++) {
    running += deltas.get(slot) ?? 0;
    overTheDay.push({ time: slotTime(slot), out: running });
  }
  return {
    day,
    computedAt: now.toISOString(),
    refreshSeconds: DAY_BOARD_REFRESH_SECONDS,
    totals,
    byRegion: group(regions, names.regions, "No region"),
    bySector: group(sectors, names.sectors, "No sector"),
    byUnion: rows.length ? [{ id: names.union.id, name: names.union.name, ...union }] : [],
    overTheDay,
    workplaces,
  };
}

/**
 * A union's totals for each of the days (listed, or from `from` to `to`), over its whole board: what it
 * shares with a coalition (counts of workplaces and members, no workplace named). Called by the coalition's
 * report and its readers, which check that the union shares with them; the days with no report are left out.
 */
export async function unionDayTotals(
  db: Db,
  unionId: number,
  days: readonly string[] | { from: string; to: string },
) {
  const rows = await unionDayTotalRows(db, unionId, days);
  return new Map<string, BoardTotalsDto>(
    rows.map((r) => [
      r.day,
      {
        workplaces: Number(r.workplaces),
        picketUp: Number(r.picket_up),
        out: Number(r.out),
        atWork: Number(r.at_work),
        exempt: Number(r.exempt),
        coverInPlace: Number(r.cover),
        openIncidents: Number(r.open_incidents),
      },
    ]),
  );
}

/** The board for the reader, built afresh (the command line; tests). */
export async function dayBoard(ctx: Ctx, day: string): Promise<DayBoardDto> {
  const grant = authorize(ctx.actor, "action.read");
  const board = await buildDayBoard(ctx.db, grant, day, ctx.clock.now());
  return { ...board, version: "", since: null, removed: [] };
}

const gzipAsync = promisify(gzip);

/** An answer ready to send: its JSON, the same gzipped (compressed once, off the event loop), its tag. */
export interface BoardBody {
  body: Buffer;
  gzipped: Buffer;
  etag: string;
  version: string;
}

/** A built board: the whole of it ready to send, and each workplace's JSON to tell what changed. */
interface Built extends BoardBody {
  rows: Map<number, string>;
  head: Omit<DayBoardDto, "workplaces" | "version" | "since" | "removed">;
  /** Answers to `?since=` an earlier version, made once for every reader holding it. */
  changes: Map<string, Promise<BoardBody>>;
}

type Earlier = Pick<Built, "version" | "rows">;

interface Kept {
  /** When the kept board was asked for (performance.now()). */
  at: number;
  value: Promise<Built>;
  /** The board once built: served while a newer one is being built. */
  built?: Built;
  refreshing?: boolean;
  /** The boards built before it, newest first, that readers may still hold: their rows alone. */
  earlier: Earlier[];
}
const kept = new Map<string, Kept>();
const MAX_KEPT = 1000;
/** Versions a reader may hold and get only changes to: readers poll every 10 s, a board lives 2 s. */
const EARLIER_KEPT = 30;
/** Versions from a restarted process are not mistaken for this one's. */
const RUN = Math.floor(Math.random() * 36 ** 4).toString(36);
let versions = 0;

function scopeKey(grant: Grant, day: string): string {
  const rows = grant.rows;
  const ids = rows.kind === "all" ? "" : [...rows.ids].sort((a, b) => a - b).join(",");
  return `${grant.unionId}|${day}|${rows.kind}:${ids}`;
}

/** Forgets every kept board (tests, and after a change that must show at once). */
export function forgetDayBoards(): void {
  kept.clear();
}

/** Makes every kept board due for rebuilding at the next read, keeping the versions readers hold. */
export function expireDayBoards(): void {
  for (const entry of kept.values()) entry.at = Number.NEGATIVE_INFINITY;
}

async function ready(json: string, version: string): Promise<BoardBody> {
  const body = Buffer.from(json);
  const gzipped = await gzipAsync(body, { level: 1 });
  return {
    body,
    gzipped,
    version,
    etag: `"${createHash("sha1").update(body).digest("base64url").slice(0, 22)}"`,
  };
}

/** The JSON of a board from its parts, each workplace's JSON made once. */
function boardJson(
  head: Built["head"],
  version: string,
  since: string | null,
  removed: number[],
  rows: string[],
) {
  const top = JSON.stringify({ ...head, version, since, removed, fields: BOARD_WORKPLACE_FIELDS });
  return `${top.slice(0, -1)},"workplaces":[${rows.join(",")}]}`;
}

function build(ctx: Ctx, grant: Grant, day: string, key: string, earlier: Earlier[]): Kept {
  const entry: Kept = {
    at: performance.now(),
    earlier,
    value: buildDayBoard(ctx.db, grant, day, ctx.clock.now()).then(async ({ workplaces, ...head }) => {
      const version = `${RUN}.${++versions}`;
      const rows = new Map(
        workplaces.map((w) => [w.id, JSON.stringify(BOARD_WORKPLACE_FIELDS.map((f) => w[f]))]),
      );
      const whole = await ready(boardJson(head, version, null, [], [...rows.values()]), version);
      return { ...whole, rows, head, changes: new Map() };
    }),
  };
  entry.value.then(
    (built) => {
      entry.built = built;
      if (kept.size >= MAX_KEPT && !kept.has(key)) kept.delete(kept.keys().next().value!);
      kept.set(key, entry);
    },
    () => {
      if (kept.get(key) === entry) kept.delete(key);
    },
  );
  return entry;
}

/** The versions a board built after `hit` may be asked for changes since. */
function lineage(hit: Kept | undefined): Earlier[] {
  if (!hit?.built) return hit?.earlier ?? [];
  const { version, rows } = hit.built;
  return [{ version, rows }, ...hit.earlier].slice(0, EARLIER_KEPT);
}

/** What changed from an earlier board to this one: the workplaces whose figures differ, and those gone. */
function changesSince(now: Built, then: Earlier): Promise<BoardBody> {
  let answer = now.changes.get(then.version);
  if (!answer) {
    const changed: string[] = [];
    for (const [id, json] of now.rows) if (then.rows.get(id) !== json) changed.push(json);
    const removed = [...then.rows.keys()].filter((id) => !now.rows.has(id));
    answer = ready(boardJson(now.head, now.version, then.version, removed, changed), now.version);
    now.changes.set(then.version, answer);
  }
  return answer;
}

/**
 * The board as JSON bytes (and gzipped) with an entity tag, shared by every reader of the same union,
 * day and scope. A board younger than `DAY_BOARD_KEEP_MS` is served as it is; an older one is still
 * served (at once) while one newer board is built behind it, so no reader waits for a build except
 * the first, or after nobody has looked for `10 x DAY_BOARD_KEEP_MS`. A reader that says which version
 * it holds (`since`) gets only what changed after it, when that version is still known here.
 */
export async function dayBoardBody(ctx: Ctx, day: string, since?: string): Promise<BoardBody> {
  const grant = authorize(ctx.actor, "action.read");
  const key = scopeKey(grant, day);
  const hit = kept.get(key);
  const age = hit ? performance.now() - hit.at : Number.POSITIVE_INFINITY;
  let current: Built;
  if (hit && age < DAY_BOARD_KEEP_MS) current = hit.built ?? (await hit.value);
  else if (hit?.built && age < 10 * DAY_BOARD_KEEP_MS) {
    if (!hit.refreshing) {
      hit.refreshing = true;
      build(ctx, grant, day, key, lineage(hit)).value.catch(() => {
        hit.refreshing = false;
      });
    }
    current = hit.built;
  } else {
    const entry = build(ctx, grant, day, key, lineage(hit));
    // Readers arriving while this is built wait for the same build.
    if (!hit?.built) kept.set(key, entry);
    current = await entry.value;
  }
  if (!since) return current;
  if (since === current.version) return changesSince(current, current);
  const then = kept.get(key)?.earlier.find((b) => b.version === since);
  return then ? changesSince(current, then) : current;
}

/** The phone report screen's workplaces: counts of who is in the dispute, and the latest figures. */
export async function workplacesForReporting(
  ctx: Ctx,
  day: string,
  q: string | undefined,
): Promise<ReportingWorkplaceDto[]> {
  const grant = authorize(ctx.actor, "action.report");
  return (await reportingWorkplaces(ctx.db, grant, day, q)).map((r) => ({
    workplaceId: r.workplace_id,
    workplaceName: r.workplace_name,
    members: r.members,
    inDispute: r.in_dispute,
    notInDispute: r.members - r.in_dispute,
    opposedInPrinciple: r.opposed,
    latest:
      r.reported_at && r.reports
        ? {
            out: r.out_count ?? 0,
            atWork: r.at_work_count,
            exempt: r.exempt_count,
            picketUp: r.picket_up ?? false,
            reportedAt: new Date(r.reported_at).toISOString(),
            reports: r.reports,
          }
        : null,
  }));
}
