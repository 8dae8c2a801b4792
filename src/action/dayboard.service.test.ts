import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { sql } from "kysely";
import { backends, createTestDb } from "../../test/helpers/db.js";
import { type Fixture, seedFixture } from "../../test/helpers/fixtures.js";
import type { Actor } from "../auth/index.js";
import type { Ctx } from "../context.js";
import type { OpenDatabase } from "../db/connect.js";
import { fixedClock } from "../shared/clock.js";
import { AppError } from "../shared/errors.js";
import { applyBoardChanges, boardFromWire } from "./board-changes.js";
import {
  dayBoard,
  dayBoardBody,
  expireDayBoards,
  forgetDayBoards,
  slotOfDay,
  unionDayTotals,
  workplacesForReporting,
} from "./dayboard.service.js";
import {
  addFollowup,
  listIncidents,
  recordIncident,
  setFollowupDone,
  updateIncident,
} from "./incidents.service.js";
import { recordActionReport } from "./reports.service.js";

const refused = (code: string) => (e: unknown) => e instanceof AppError && e.code === code;
const DAY = "2027-01-20";
/** 09:10 and 11:40 UK time on the day (GMT in January). */
const at = (hhmm: string) => fixedClock(`${DAY}T${hhmm}:00Z`);

for (const { backend, skip } of await backends()) {
  describe(`day-of-action board on ${backend}`, { skip }, () => {
    let open: OpenDatabase;
    let f: Fixture;
    const as = (actor: Actor, clock = at("09:10")): Ctx => ({ db: open.db, actor, clock });
    const report = (
      actor: Actor,
      clock: ReturnType<typeof at>,
      workplaceId: number,
      out: number,
      extra = {},
    ) =>
      recordActionReport(as(actor, clock), {
        day: DAY,
        workplaceId,
        outCount: out,
        atWorkCount: null,
        exemptCount: null,
        picketUp: false,
        ...extra,
      });

    before(async () => {
      open = await createTestDb(backend);
      f = await seedFixture(open.db);
      // Bradford depot has no usable postcode: counted as not on the map.
      await open.db
        .updateTable("workplaces")
        .set({ postcode: "not known" })
        .where("id", "=", f.workplaces.bradfordDepot)
        .execute();
    });
    after(async () => {
      await open?.close();
    });

    test("reports fold into the board: latest figures, totals by region and sector, numbers out over the day", async () => {
      await report(f.actors.rep, at("09:10"), f.workplaces.stJames, 30, { picketUp: true, exemptCount: 2 });
      await report(f.actors.national, at("09:20"), f.workplaces.camdenHall, 12);
      await report(f.actors.rep, at("11:40"), f.workplaces.stJames, 45, {
        picketUp: true,
        exemptCount: 2,
        atWorkCount: 4,
      });
      await report(f.actors.regional, at("11:45"), f.workplaces.bradfordDepot, 5);
      const board = await dayBoard(as(f.actors.national), DAY);
      assert.equal(board.totals.workplaces, 3);
      assert.equal(board.totals.reports, 4);
      assert.equal(board.totals.out, 45 + 12 + 5, "the latest report of each workplace counts");
      assert.equal(board.totals.picketUp, 1);
      assert.equal(board.totals.coverInPlace, 1);
      assert.equal(board.totals.atWork, 4);
      assert.equal(board.totals.notOnMap, 1);
      const stJames = board.workplaces.find((w) => w.id === f.workplaces.stJames)!;
      assert.equal(stJames.status, "picket");
      assert.equal(stJames.cover, true);
      assert.ok(stJames.lat! > 53.6 && stJames.lat! < 54, "placed in LS");
      assert.equal(board.workplaces.find((w) => w.id === f.workplaces.bradfordDepot)!.lat, null);
      const yorkshire = board.byRegion.find((r) => r.id === f.regions.yorkshire)!;
      assert.equal(yorkshire.name, "Yorkshire & Humberside");
      assert.equal(yorkshire.out, 50);
      assert.equal(board.bySector.find((s) => s.id === f.sectors.health)!.out, 45);
      assert.equal(board.byUnion.length, 1);
      assert.equal(board.byUnion[0]!.out, 62);
      // Half hours: 09:00-09:30 ends at 09:30 with 30 + 12; 11:30-12:00 ends at 12:00 with 45 + 12 + 5.
      const byTime = new Map(board.overTheDay.map((p) => [p.time, p.out]));
      assert.equal(byTime.get("09:30"), 42);
      assert.equal(byTime.get("11:00"), 42);
      assert.equal(byTime.get("12:00"), 62);
      assert.equal(board.overTheDay.at(-1)!.time, "12:00");
      // Later in the day the line runs on at the last figure to the half hour now falls in.
      const later = await dayBoard(as(f.actors.national, at("15:05")), DAY);
      assert.equal(later.overTheDay.at(-1)!.time, "15:30");
      assert.equal(later.overTheDay.at(-1)!.out, 62);
      // The aggregate agrees with a recount from every report.
      const recount = await sql<{ out: number }>`
        select coalesce(sum(out_count), 0)::int as out from (
          select distinct on (workplace_id) out_count from action_reports
          where union_id = ${f.unionId} and day = ${DAY} order by workplace_id, reported_at desc, id desc) l`.execute(
        open.db,
      );
      assert.equal(recount.rows[0]!.out, board.overTheDay.at(-1)!.out);
    });

    test("scope: a region, a sector and a rep see theirs; a coalition observer is refused", async () => {
      const regional = await dayBoard(as(f.actors.regional), DAY);
      assert.deepEqual(
        regional.workplaces.map((w) => w.id).sort(),
        [f.workplaces.stJames, f.workplaces.bradfordDepot].sort(),
      );
      assert.equal(regional.overTheDay.at(-1)!.out, 50);
      const sector = await dayBoard(as(f.actors.sector), DAY);
      assert.deepEqual(
        sector.workplaces.map((w) => w.id),
        [f.workplaces.stJames],
      );
      const rep = await dayBoard(as(f.actors.rep), DAY);
      assert.deepEqual(
        rep.workplaces.map((w) => w.id),
        [f.workplaces.stJames],
      );
      assert.equal(rep.overTheDay.find((p) => p.time === "09:30")!.out, 30);
      assert.equal(rep.overTheDay.at(-1)!.out, 45);
      // Another union's national officer sees nothing of this union.
      const partner = await dayBoard(as(f.actors.partnerNational), DAY);
      assert.equal(partner.workplaces.length, 0);
      await assert.rejects(dayBoard(as(f.actors.observer), DAY), refused("auth.forbidden"));
      await assert.rejects(dayBoardBody(as(f.actors.observer), DAY), refused("auth.forbidden"));
      // A rep cannot report at a workplace that is not theirs, and nothing changes.
      await assert.rejects(
        report(f.actors.rep, at("12:00"), f.workplaces.camdenHall, 99),
        refused("action.not_found"),
      );
      assert.equal((await dayBoard(as(f.actors.national), DAY)).totals.out, 62);
    });

    test("the kept board is shared for a moment, then rebuilt", async () => {
      forgetDayBoards();
      const first = await dayBoardBody(as(f.actors.national), DAY);
      await report(f.actors.national, at("12:10"), f.workplaces.camdenHall, 20);
      const again = await dayBoardBody(as(f.actors.national), DAY);
      assert.equal(again.etag, first.etag, "the same bytes within the keeping time");
      const regional = await dayBoardBody(as(f.actors.regional), DAY);
      assert.notEqual(regional.etag, first.etag, "kept per scope");
      forgetDayBoards();
      const fresh = await dayBoardBody(as(f.actors.national), DAY);
      assert.notEqual(fresh.etag, first.etag);
      assert.equal(JSON.parse(fresh.body.toString()).totals.out, 45 + 20 + 5);
    });

    test("a reader holding a version gets only what changed since, and can bring its board up to date", async () => {
      forgetDayBoards();
      const parse = (b: { body: Buffer }) => boardFromWire(JSON.parse(b.body.toString()));
      const held = parse(await dayBoardBody(as(f.actors.national), DAY));
      assert.equal(held.since, null);
      assert.ok(held.workplaces.length >= 2 && held.version);
      const before = held.workplaces.find((w) => w.id === f.workplaces.camdenHall)!;
      await report(f.actors.national, at("12:20"), f.workplaces.camdenHall, before.out + 7);
      const unchanged = parse(await dayBoardBody(as(f.actors.national), DAY, held.version));
      assert.equal(unchanged.version, held.version, "still kept");
      assert.deepEqual(unchanged.workplaces, [], "nothing changed since the version held");
      expireDayBoards();
      const changes = parse(await dayBoardBody(as(f.actors.national), DAY, held.version));
      assert.equal(changes.since, held.version);
      assert.deepEqual(
        changes.workplaces.map((w) => [w.id, w.out]),
        [[f.workplaces.camdenHall, before.out + 7]],
        "only the workplace that changed",
      );
      assert.equal(changes.totals.out, held.totals.out + 7);
      const whole = parse(await dayBoardBody(as(f.actors.national), DAY));
      // Sent as rows in the order of its fields, the board reads back as the same workplaces.
      assert.deepEqual(whole.workplaces, (await dayBoard(as(f.actors.national), DAY)).workplaces);
      assert.deepEqual(applyBoardChanges(held, changes), { ...whole, computedAt: changes.computedAt });
      // Changes to a version the reader does not hold cannot be applied; an unknown version gets the whole.
      assert.equal(applyBoardChanges({ ...held, version: "other" }, changes), undefined);
      assert.equal(parse(await dayBoardBody(as(f.actors.national), DAY, "unknown.1")).since, null);
      // Another scope's versions are not this one's: the regional officer gets a whole board.
      assert.equal(parse(await dayBoardBody(as(f.actors.regional), DAY, held.version)).since, null);
    });

    test("the phone screen's workplaces: counts of who is in the dispute, the latest figures, in scope", async () => {
      const rows = await workplacesForReporting(as(f.actors.rep), DAY, undefined);
      assert.deepEqual(
        rows.map((r) => r.workplaceId),
        [f.workplaces.stJames],
      );
      const w = rows[0]!;
      assert.equal(w.latest?.out, 45);
      assert.equal(w.latest?.reports, 2);
      assert.equal(w.members, w.inDispute + w.notInDispute);
      assert.ok(!("names" in w));
      await assert.rejects(
        workplacesForReporting(as(f.actors.sector), DAY, undefined),
        refused("auth.forbidden"),
      );
      const search = await workplacesForReporting(as(f.actors.national), DAY, "camden");
      assert.deepEqual(
        search.map((r) => r.workplaceId),
        [f.workplaces.camdenHall],
      );
    });

    test("incidents: reps record at their workplaces, officers manage; on the board; audited without the description", async () => {
      const incident = await recordIncident(as(f.actors.rep), {
        day: DAY,
        workplaceId: f.workplaces.stJames,
        kind: "police",
        severity: "high",
        description: "Officer asked Jo Bloggs to move the line back from the gate.",
      });
      assert.equal(incident.state, "open");
      await assert.rejects(
        recordIncident(as(f.actors.rep), {
          day: DAY,
          workplaceId: f.workplaces.camdenHall,
          kind: "media",
          severity: "low",
          description: "x",
        }),
        refused("action.not_found"),
      );
      await assert.rejects(
        updateIncident(as(f.actors.rep), incident.id, { state: "closed" }),
        refused("auth.forbidden"),
      );
      await assert.rejects(
        updateIncident(as(f.actors.regional), 999_999, { state: "closed" }),
        refused("action.not_found"),
      );
      forgetDayBoards();
      let board = await dayBoard(as(f.actors.national), DAY);
      assert.equal(board.totals.openIncidents, 1);
      // What the union shares with its coalition is the national board's totals, counted in SQL.
      const { notOnMap: _n, reports: _r, ...national } = board.totals;
      assert.deepEqual((await unionDayTotals(open.db, f.unionId, [DAY, "2026-01-01"])).get(DAY), national);
      assert.equal(board.workplaces.find((w) => w.id === f.workplaces.stJames)!.status, "incident");
      const withFollowup = await addFollowup(as(f.actors.regional), incident.id, {
        who: "Regional organiser",
        what: "Call the police liaison officer",
        dueOn: DAY,
      });
      assert.equal(withFollowup.followups.length, 1);
      const done = await setFollowupDone(
        as(f.actors.regional),
        incident.id,
        withFollowup.followups[0]!.id,
        true,
      );
      assert.ok(done.followups[0]!.doneAt);
      const closed = await updateIncident(as(f.actors.regional), incident.id, { state: "closed" });
      assert.equal(closed.state, "closed");
      board = await dayBoard(as(f.actors.national), DAY);
      assert.equal(board.totals.openIncidents, 0);
      assert.equal(board.workplaces.find((w) => w.id === f.workplaces.stJames)!.status, "picket");
      // The log, in scope: the London region's officer would not see Leeds; the sector officer (health) does.
      assert.equal((await listIncidents(as(f.actors.sector), DAY)).length, 1);
      assert.equal((await listIncidents(as(f.actors.partnerNational), DAY)).length, 0);
      const audit = await open.db
        .selectFrom("audit_log")
        .select(["event", "details"])
        .where("event", "like", "action.incident%")
        .execute();
      assert.deepEqual(audit.map((a) => a.event).sort(), [
        "action.incident_followup",
        "action.incident_followup",
        "action.incident_recorded",
        "action.incident_updated",
      ]);
      const text = JSON.stringify(audit);
      assert.ok(
        !text.includes("Bloggs") && !text.includes("liaison"),
        "no description or follow-up text in the audit",
      );
    });
  });
}

describe("the half hour a moment falls in, in UK time", () => {
  test("before, during and after the day, across the clocks going forward", () => {
    assert.equal(slotOfDay(new Date("2027-01-19T23:59:00Z"), "2027-01-20"), -1);
    assert.equal(slotOfDay(new Date("2027-01-20T00:00:00Z"), "2027-01-20"), 0);
    assert.equal(slotOfDay(new Date("2027-01-20T09:29:59Z"), "2027-01-20"), 18);
    assert.equal(slotOfDay(new Date("2027-01-20T09:30:00Z"), "2027-01-20"), 19);
    assert.equal(slotOfDay(new Date("2027-01-20T23:45:00Z"), "2027-01-20"), 47);
    assert.equal(slotOfDay(new Date("2027-01-21T08:00:00Z"), "2027-01-20"), 47);
    // British Summer Time: 10:15 UTC is 11:15 in the UK.
    assert.equal(slotOfDay(new Date("2027-06-30T10:15:00Z"), "2027-06-30"), 22);
    // 23:30 UTC on 29 June is already 30 June in the UK.
    assert.equal(slotOfDay(new Date("2027-06-29T23:30:00Z"), "2027-06-30"), 1);
  });
});
