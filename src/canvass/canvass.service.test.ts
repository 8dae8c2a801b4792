import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { sql } from "kysely";
import { as, buildTestApp, type Session, signIn } from "../../test/helpers/app.js";
import { backends, createTestDb } from "../../test/helpers/db.js";
import {
  CLOCK,
  createDisputeBallots,
  type Fixture,
  frozenStJamesBallot,
  seedFixture,
  systemActor,
} from "../../test/helpers/fixtures.js";
import { verifyAuditChain } from "../audit/index.js";
import type { Actor } from "../auth/index.js";
import type { Ctx } from "../context.js";
import type { OpenDatabase } from "../db/connect.js";
import type { App } from "../http/types.js";
import { createMember } from "../members/index.js";
import { AppError } from "../shared/errors.js";
import {
  importVotedFeed,
  recordSelfReport,
  turnoutDashboard,
  turnoutReadiness,
  turnoutStatus,
} from "../turnout/index.js";
import {
  callSheet,
  contactList,
  createAssignment,
  endAssignment,
  exportOsdi,
  listAssignments,
  logContact,
  memberPosition,
  recordPosition,
} from "./canvass.service.js";
import { fromOsdi } from "./osdi.js";

const refused = (code: string) => (e: unknown) => e instanceof AppError && e.code === code;
const page = { page: 1, pageSize: 50 };

for (const { backend, skip } of await backends()) {
  describe(`contact lists on ${backend}`, { skip }, () => {
    let open: OpenDatabase;
    let f: Fixture;
    let app: App;
    let ballots: Record<string, number>;
    const extra: Record<string, number> = {};
    // Eight days into the ballot (it opens on 7 December 2026); each call a minute later, so the order
    // of contacts is the order of the test.
    let clockAt = new Date("2026-12-15T10:00:00Z").getTime();
    const ticking = {
      now: () => {
        clockAt += 60_000;
        return new Date(clockAt);
      },
    };
    const ctx = (actor: Actor): Ctx => ({ db: open.db, actor, clock: ticking });
    const names = async (actor: Actor, ballot = ballots.stJames!) =>
      (await contactList(ctx(actor), ballot, page)).items.map((r) => `${r.name}:${r.priority}`);

    before(async () => {
      open = await createTestDb(backend);
      f = await seedFixture(open.db);
      const system: Ctx = { db: open.db, actor: systemActor(f.unionId), clock: CLOCK };
      const member = async (surname: string, joinedOn: string) =>
        (
          await createMember(system, {
            membershipNumber: `C${surname.length}${joinedOn.slice(5, 7)}`,
            forenames: "Sam",
            surname,
            employerId: f.employers.leedsTrust,
            workplaceId: f.workplaces.stJames,
            regionId: f.regions.yorkshire,
            status: "active",
            inArrears: false,
            checkOff: false,
            consentEmail: true,
            consentSms: true,
            mobile: "07700 900123",
            addressLine1: "2 High Street",
            town: "Leeds",
            homePostcode: "LS1 1AA",
            joinedOn,
            jobCategory: "Nursing",
          })
        ).id;
      extra.newcomer = await member("Newcomer", "2026-11-01");
      extra.formula = await member("=HYPERLINK(1)", "2019-05-01");
      const national: Ctx = { db: open.db, actor: f.actors.national, clock: CLOCK };
      const { employers: e, workplaces: w } = f;
      ({ ballots } = await createDisputeBallots(national, f, {
        employers: [e.leedsTrust, e.camden, e.bradfordCouncil],
        ballots: [
          { key: "stJames", name: "St James's", employerId: e.leedsTrust, workplaceId: w.stJames },
          { key: "camden", name: "Camden", employerId: e.camden, workplaceId: w.camdenHall },
        ],
        freeze: ["stJames", "camden"],
      }));
      app = await buildTestApp({ ...open });
    });
    after(async () => {
      await app?.close();
      await open?.close();
    });

    test("a rep's list: their workplace's electorate, never contacted first, then by name; nobody else's", async () => {
      const list = await contactList(ctx(f.actors.rep), ballots.stJames!, page);
      assert.equal(list.total, 5);
      assert.deepEqual(
        list.items.map((r) => r.name),
        ["Sam =HYPERLINK(1)", "Alex Ahmed", "Alex Brown", "Sam Newcomer", "Alex O'Connor"],
      );
      assert.ok(
        list.items.every((r) => r.priority === "never_contacted" && r.workplace?.startsWith("St James")),
      );
      assert.equal(list.items.find((r) => r.memberId === extra.newcomer)!.phone, "07700 900123");
      // Another constituency's list is out of the rep's reach; so is paging past the end.
      await assert.rejects(
        contactList(ctx(f.actors.rep), ballots.camden!, page),
        refused("ballots.not_found"),
      );
      assert.equal(
        (await contactList(ctx(f.actors.rep), ballots.stJames!, { page: 2, pageSize: 3 })).items.length,
        2,
      );
      const past = await contactList(ctx(f.actors.rep), ballots.stJames!, { page: 9, pageSize: 3 });
      assert.deepEqual([past.items.length, past.total], [0, 5]);
      await assert.rejects(
        contactList(ctx(f.actors.sector), ballots.stJames!, page),
        refused("auth.forbidden"),
      );
      await assert.rejects(
        contactList(ctx(f.actors.observer), ballots.stJames!, page),
        refused("auth.forbidden"),
      );
      // A regional officer reaches St James's (Yorkshire), not Camden (London).
      assert.equal((await contactList(ctx(f.actors.regional), ballots.stJames!, page)).total, 5);
      await assert.rejects(
        contactList(ctx(f.actors.regional), ballots.camden!, page),
        refused("ballots.not_found"),
      );
      assert.equal((await contactList(ctx(f.actors.national), ballots.camden!, page)).total > 0, true);
    });

    test("logging outcomes reorders the list: pledged, new members, then those contacted longest ago", async () => {
      const [ahmed, brown, oconnor] = f.members.stJames as [number, number, number];
      await logContact(ctx(f.actors.rep), ballots.stJames!, {
        memberId: ahmed,
        contactType: "phone",
        outcome: "not_in",
      });
      const pledged = await logContact(ctx(f.actors.rep), ballots.stJames!, {
        memberId: brown,
        contactType: "conversation",
        outcome: "reached",
        report: "will_vote",
      });
      assert.equal(pledged.report, "will_vote");
      await logContact(ctx(f.actors.rep), ballots.stJames!, {
        memberId: extra.newcomer!,
        contactType: "text",
        outcome: "wrong_number",
      });
      await logContact(ctx(f.actors.rep), ballots.stJames!, {
        memberId: oconnor,
        contactType: "email",
        outcome: "moved",
      });
      assert.deepEqual(await names(f.actors.rep), [
        "Sam =HYPERLINK(1):never_contacted",
        "Alex Brown:pledged",
        "Sam Newcomer:new_member",
        "Alex Ahmed:other",
        "Alex O'Connor:other",
      ]);
      const row = (await contactList(ctx(f.actors.rep), ballots.stJames!, page)).items.find(
        (r) => r.memberId === ahmed,
      )!;
      assert.deepEqual(
        { type: row.lastContact?.contactType, outcome: row.lastContact?.outcome },
        { type: "phone", outcome: "not_in" },
      );
      // The pledge went through turnout's own-report path.
      const status = await turnoutStatus(ctx(f.actors.rep), ballots.stJames!);
      assert.equal(status.constituencies[0]!.reports.will_vote, 1);
      const audit = await open.db
        .selectFrom("audit_log")
        .select(["details"])
        .where("event", "=", "canvass.contact_logged")
        .execute();
      assert.equal(audit.length, 4);
      assert.ok(
        audit.every((a) => !/not_in|reached|moved|wrong_number|will_vote/.test(JSON.stringify(a.details))),
      );
      // A contact carrying a report appends both audit rows together, the report's first, and the
      // chain verifies.
      const pair = await open.db
        .selectFrom("audit_log")
        .select(["seq", "event", "details"])
        .where("event", "in", ["turnout.self_report_recorded", "canvass.contact_logged"])
        .orderBy("seq")
        .execute();
      const reportAt = pair.findIndex((a) => a.event === "turnout.self_report_recorded");
      assert.ok(reportAt >= 0);
      assert.equal(pair[reportAt + 1]?.event, "canvass.contact_logged");
      assert.equal(Number(pair[reportAt + 1]!.seq), Number(pair[reportAt]!.seq) + 1);
      const verified = await verifyAuditChain(open.db);
      assert.equal(verified.ok, true, JSON.stringify(verified));
    });

    test("logged contacts count as contacts in readiness and in the dashboard's daily activity, whatever the outcome", async () => {
      // Four contacts were logged above (not in, reached and pledged, wrong number, moved): one of them a report.
      const readiness = await turnoutReadiness(ctx(f.actors.national), ballots.stJames!);
      const st = readiness.constituencies.find((c) => c.ballotId === ballots.stJames)!;
      assert.equal(Math.round((st.contactedShare * st.members) / 100), 4);
      assert.ok(st.contactedShare > st.pledgedShare, "a call not answered is a contact, not a pledge");
      const dashboard = await turnoutDashboard(ctx(f.actors.national), ballots.stJames!, {
        level: "national",
      });
      const day = dashboard.activity.find((a) => a.date === "2026-12-15")!;
      assert.equal(day.contacts, 4);
      assert.equal(day.will_vote, 1);
    });

    test("a rep never logs a contact outside their workplaces; a report needs the member reached; nothing is written", async () => {
      const before = await open.db
        .selectFrom("canvass_contacts")
        .select((eb) => eb.fn.countAll().as("n"))
        .executeTakeFirstOrThrow();
      await assert.rejects(
        logContact(ctx(f.actors.rep), ballots.stJames!, {
          memberId: f.members.camden[0]!,
          contactType: "phone",
          outcome: "reached",
        }),
        refused("members.not_found"),
      );
      await assert.rejects(
        logContact(ctx(f.actors.rep), ballots.camden!, {
          memberId: f.members.camden[0]!,
          contactType: "phone",
          outcome: "reached",
        }),
        refused("ballots.not_found"),
      );
      await assert.rejects(
        logContact(ctx(f.actors.regional), ballots.stJames!, {
          memberId: f.members.camden[0]!,
          contactType: "phone",
          outcome: "reached",
        }),
        refused("members.not_found"),
      );
      await assert.rejects(
        logContact(ctx(f.actors.national), ballots.stJames!, {
          memberId: f.members.lgi[0]!,
          contactType: "phone",
          outcome: "reached",
        }),
        refused("turnout.not_in_electorate"),
      );
      const after = await open.db
        .selectFrom("canvass_contacts")
        .select((eb) => eb.fn.countAll().as("n"))
        .executeTakeFirstOrThrow();
      assert.equal(Number(after.n), Number(before.n));
      await assert.rejects(
        open.db.updateTable("canvass_contacts").set({ outcome: "reached" }).execute(),
        "contacts are append-only",
      );
    });

    test("closed loop: a report of having voted, from a rep or the member link, takes the member off at once", async () => {
      const [, brown] = f.members.stJames as [number, number];
      await logContact(ctx(f.actors.rep), ballots.stJames!, {
        memberId: brown,
        contactType: "phone",
        outcome: "reached",
        report: "voted",
      });
      assert.ok(!(await names(f.actors.rep)).some((n) => n.startsWith("Alex Brown")));
      await recordSelfReport(ctx(f.actors.national), ballots.stJames!, {
        memberId: extra.newcomer!,
        kind: "voted",
        source: "member_link",
      });
      const list = await contactList(ctx(f.actors.national), ballots.stJames!, page);
      assert.deepEqual(
        list.items.map((r) => r.name),
        ["Sam =HYPERLINK(1)", "Alex Ahmed", "Alex O'Connor"],
      );
    });

    test("a member opposed in principle is on no list, keeps their vote; recorded and changed with audit rows", async () => {
      const ahmed = f.members.stJames[0]!;
      const p = await recordPosition(ctx(f.actors.rep), ahmed, { opposedInPrinciple: true });
      assert.equal(p.opposedInPrinciple, true);
      assert.ok(!(await names(f.actors.rep)).some((n) => n.startsWith("Alex Ahmed")));
      const row = await open.db
        .selectFrom("ballot_electorate")
        .select(["included", "paper_number"])
        .where("ballot_id", "=", ballots.stJames!)
        .where("member_id", "=", ahmed)
        .executeTakeFirstOrThrow();
      assert.equal(row.included, true);
      assert.ok(row.paper_number);
      const changed = await recordPosition(ctx(f.actors.regional), ahmed, { opposedInPrinciple: false });
      assert.equal(changed.opposedInPrinciple, false);
      assert.deepEqual(
        changed.history.map((h) => h.opposedInPrinciple),
        [false, true],
      );
      assert.ok((await names(f.actors.rep)).some((n) => n.startsWith("Alex Ahmed")));
      const audit = await open.db
        .selectFrom("audit_log")
        .select(["subject_id", "details"])
        .where("event", "=", "member.position_recorded")
        .execute();
      assert.equal(audit.length, 2);
      assert.ok(
        audit.every((a) => a.subject_id === String(ahmed) && !/true|false/.test(JSON.stringify(a.details))),
      );
      await assert.rejects(
        recordPosition(ctx(f.actors.rep), f.members.camden[0]!, { opposedInPrinciple: true }),
        refused("members.not_found"),
      );
      await assert.rejects(memberPosition(ctx(f.actors.sector), ahmed), refused("auth.forbidden"));
    });

    test("assignments: officers assign lists within the rep's workplaces and their own scope, and see progress", async () => {
      const a = await createAssignment(ctx(f.actors.national), ballots.stJames!, {
        repUserId: f.users.rep.id,
        workplaceId: f.workplaces.stJames,
      });
      assert.equal(a.rep.id, f.users.rep.id);
      assert.deepEqual(a.progress, { members: 5, contacted: 4, reached: 1, reportedVoted: 2 });
      const named = await createAssignment(ctx(f.actors.regional), ballots.stJames!, {
        repUserId: f.users.rep.id,
        memberIds: [extra.formula!],
      });
      assert.deepEqual(named.progress, { members: 1, contacted: 0, reached: 0, reportedVoted: 0 });
      const mine = await contactList(ctx(f.actors.rep), ballots.stJames!, {
        ...page,
        assignmentId: named.id,
      });
      assert.deepEqual(
        mine.items.map((r) => r.memberId),
        [extra.formula],
      );
      await assert.rejects(
        createAssignment(ctx(f.actors.national), ballots.camden!, {
          repUserId: f.users.rep.id,
          workplaceId: f.workplaces.camdenHall,
        }),
        refused("canvass.outside_rep_scope"),
      );
      await assert.rejects(
        createAssignment(ctx(f.actors.national), ballots.stJames!, {
          repUserId: f.users.regional.id,
          workplaceId: f.workplaces.stJames,
        }),
        refused("canvass.not_a_rep"),
      );
      await assert.rejects(
        createAssignment(ctx(f.actors.rep), ballots.stJames!, {
          repUserId: f.users.rep.id,
          workplaceId: f.workplaces.stJames,
        }),
        refused("auth.forbidden"),
      );
      // Progress moves as the rep logs.
      await logContact(ctx(f.actors.rep), ballots.stJames!, {
        memberId: extra.formula!,
        contactType: "conversation",
        outcome: "reached",
        report: "voted",
      });
      const officer = await listAssignments(ctx(f.actors.national), ballots.camden!);
      assert.deepEqual(officer.assignments.find((x) => x.id === named.id)!.progress, {
        members: 1,
        contacted: 1,
        reached: 1,
        reportedVoted: 1,
      });
      assert.deepEqual(
        officer.reps.map((r) => r.id),
        [f.users.rep.id],
      );
      const repView = await listAssignments(ctx(f.actors.rep), ballots.stJames!);
      assert.equal(repView.assignments.length, 2);
      assert.deepEqual(repView.reps, []);
      const ended = await endAssignment(ctx(f.actors.national), ballots.stJames!, named.id);
      assert.ok(ended.endedAt);
      await assert.rejects(
        endAssignment(ctx(f.actors.national), ballots.stJames!, 999_999),
        refused("canvass.assignment_not_found"),
      );
      const audit = await open.db
        .selectFrom("audit_log")
        .select("event")
        .where("event", "in", ["canvass.assignment_created", "canvass.assignment_ended"])
        .execute();
      assert.equal(audit.length, 3);
    });

    test("call sheets: CSV with formulas neutralised and PDF, each an audited export", async () => {
      const csv = await callSheet(ctx(f.actors.rep), ballots.stJames!, {}, "csv");
      const text = String(csv.body);
      assert.match(text.split("\r\n")[0]!, /^priority,member_id,name,workplace,phone,email/);
      assert.ok(text.includes("'=HYPERLINK") || !text.includes("HYPERLINK"), "formula neutralised");
      assert.ok(!text.includes("Newcomer"), "reported voting: off the sheet");
      await csv.trail.finished({ rows: csv.rows });
      const pdf = await callSheet(
        ctx(f.actors.rep),
        ballots.stJames!,
        { workplaceId: f.workplaces.stJames },
        "pdf",
      );
      assert.equal((pdf.body as Buffer).subarray(0, 5).toString(), "%PDF-");
      const started = await open.db
        .selectFrom("audit_log")
        .select(["details"])
        .where("event", "=", "export.started")
        .execute();
      assert.deepEqual(
        started.map((s) => (s.details as { kind: string }).kind),
        ["canvass_call_sheet", "canvass_call_sheet"],
      );
    });

    test("OSDI export: the ballot's contact records in the reader's scope, readable back; audited", async () => {
      const national = await exportOsdi(ctx(f.actors.national), ballots.stJames!, {
        page: 1,
        pageSize: 1000,
      });
      const records = national.body._embedded["osdi:canvasses"];
      assert.equal(national.body.total_records, records.length);
      assert.ok(records.length >= 6);
      const first = records[0]!;
      assert.equal(first.contact_type, "phone");
      assert.equal(first.status_code, "not-home");
      assert.equal(first.success, false);
      const back = fromOsdi(JSON.parse(JSON.stringify(records[1])));
      assert.ok("canvass" in back);
      assert.deepEqual(
        { type: back.canvass.contactType, outcome: back.canvass.outcome, report: back.canvass.report },
        { type: "conversation", outcome: "reached", report: "will_vote" },
      );
      await assert.rejects(
        exportOsdi(ctx(f.actors.rep), ballots.stJames!, { page: 1, pageSize: 10 }),
        refused("auth.forbidden"),
      );
    });

    test("over HTTP: one-tap logging, bad input is a 4xx that changes nothing, downloads audited", async () => {
      const s: Record<string, Session> = {};
      for (const role of ["rep", "national"] as const) s[role] = await signIn(app, f.users[role].email);
      const list = await as(app, s.rep!, { url: `/api/ballots/${ballots.stJames}/canvass/list?pageSize=2` });
      assert.equal(list.statusCode, 200, list.body);
      assert.equal(list.json().items.length, 2);
      const target = list.json().items[0].memberId;
      const url = `/api/ballots/${ballots.stJames}/canvass/contacts`;
      const ok = await as(app, s.rep!, {
        method: "POST",
        url,
        payload: { memberId: target, contactType: "phone", outcome: "not_in" },
      });
      assert.equal(ok.statusCode, 201, ok.body);
      const count = async () =>
        Number(
          (
            await open.db
              .selectFrom("canvass_contacts")
              .select((eb) => eb.fn.countAll().as("n"))
              .executeTakeFirstOrThrow()
          ).n,
        );
      const n = await count();
      for (const [payload, status] of [
        [{ memberId: target, contactType: "pigeon", outcome: "not_in" }, 400],
        [{ memberId: target, contactType: "phone", outcome: "not_in", report: "voted" }, 400],
        [{ memberId: target, contactType: "phone", outcome: "reached", report: "voted_yes" }, 400],
        [{ memberId: f.members.camden[0], contactType: "phone", outcome: "reached" }, 404],
        [{ memberId: -1, contactType: "phone", outcome: "reached" }, 400],
      ] as const) {
        const res = await as(app, s.rep!, { method: "POST", url, payload });
        assert.equal(res.statusCode, status, `${JSON.stringify(payload)}: ${res.body}`);
      }
      assert.equal(await count(), n);
      const csv = await as(app, s.rep!, { url: `/api/ballots/${ballots.stJames}/canvass/call-sheet.csv` });
      assert.equal(csv.statusCode, 200);
      assert.match(csv.headers["content-type"] as string, /text\/csv/);
      const osdi = await as(app, s.national!, {
        url: `/api/ballots/${ballots.stJames}/canvass/contacts.osdi.json`,
      });
      assert.equal(osdi.statusCode, 200);
      assert.ok(osdi.json()._embedded["osdi:canvasses"].length > 0);
      // The export's end is recorded once the response has finished.
      let finished: { details: unknown }[] = [];
      for (let i = 0; i < 50; i++) {
        finished = await open.db
          .selectFrom("audit_log")
          .select("details")
          .where("event", "=", "export.finished")
          .execute();
        if (finished.some((r) => (r.details as { kind: string }).kind === "canvass_osdi")) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      assert.ok(finished.some((r) => (r.details as { kind: string }).kind === "canvass_osdi"));
      const position = await as(app, s.rep!, {
        method: "PUT",
        url: `/api/members/${f.members.camden[0]}/position`,
        payload: { opposedInPrinciple: true },
      });
      assert.equal(position.statusCode, 404);
    });

    test("closed loop: the scrutineer's feed of papers returned takes the member off the list and the call sheet", async () => {
      const before = await contactList(ctx(f.actors.national), ballots.stJames!, page);
      const first = before.items[0]!;
      const { membership_number } = await open.db
        .selectFrom("ballot_electorate")
        .select("membership_number")
        .where("ballot_id", "=", ballots.stJames!)
        .where("member_id", "=", first.memberId)
        .executeTakeFirstOrThrow();
      const imported = await importVotedFeed(ctx(f.actors.national), ballots.stJames!, {
        fileName: "voted.csv",
        csv: `membership_number\n${membership_number}\n`,
      });
      assert.equal(imported.recorded, 1);
      const list = await contactList(ctx(f.actors.national), ballots.stJames!, page);
      assert.ok(!list.items.some((r) => r.memberId === first.memberId));
      assert.equal(list.total, before.total - 1);
      const sheet = await callSheet(ctx(f.actors.national), ballots.stJames!, {}, "csv");
      await sheet.trail.finished({ rows: sheet.rows });
      assert.equal(sheet.rows, before.total - 1);
      assert.ok(
        !String(sheet.body)
          .split("\r\n")
          .some((l) => l.split(",")[1] === String(first.memberId)),
      );
      // A paper returned stays returned: a rep's later "will vote" for the member does not put them back.
      const votedBefore = (await turnoutStatus(ctx(f.actors.national), ballots.stJames!)).constituencies[0]!
        .reports.voted;
      await logContact(ctx(f.actors.rep), ballots.stJames!, {
        memberId: first.memberId,
        contactType: "conversation",
        outcome: "reached",
        report: "will_vote",
      });
      const again = await contactList(ctx(f.actors.national), ballots.stJames!, page);
      assert.ok(!again.items.some((r) => r.memberId === first.memberId));
      assert.equal(again.total, before.total - 1);
      const status = await turnoutStatus(ctx(f.actors.national), ballots.stJames!);
      assert.equal(status.constituencies[0]!.reports.voted, votedBefore);
    });
  });
}

describe("two reps logging at once on the server: no deadlock between the audit chain and the daily counts", async () => {
  const server = (await backends()).find((b) => b.backend === "postgres")!;
  test("a contact with a report and one without, both held at the audit chain's head, both commit", {
    skip: server.skip,
  }, async () => {
    const open = await createTestDb("postgres");
    try {
      const f = await seedFixture(open.db);
      const national: Ctx = { db: open.db, actor: f.actors.national, clock: CLOCK };
      const ballotId = await frozenStJamesBallot(national, f);
      const [ahmed, brown, oconnor] = f.members.stJames as [number, number, number];
      const rep: Ctx = {
        db: open.db,
        actor: f.actors.rep,
        clock: { now: () => new Date("2026-12-15T10:00:00Z") },
      };
      // Each rep's first contact of the day makes the day's count rows, so the two below only lock them.
      await logContact(rep, ballotId, {
        memberId: oconnor,
        contactType: "conversation",
        outcome: "reached",
        report: "will_vote",
      });
      const waiting = async (n: number) => {
        for (let i = 0; i < 500; i++) {
          const r = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity
            where datname = current_database() and wait_event_type = 'Lock'`.execute(open.db);
          if (r.rows[0]!.n >= n) return;
          await new Promise((done) => setTimeout(done, 10));
        }
        assert.fail(`${n} writers never waited for a lock`);
      };
      // A third transaction holds the chain's head, so each writer goes as far as it can and waits:
      // the one with a report first (its report's count taken), then the one without.
      let release!: () => void;
      const held = open.db.transaction().execute(async (tx) => {
        await sql`select seq from audit_head where id = 1 for update`.execute(tx);
        await new Promise<void>((r) => {
          release = r;
        });
      });
      await new Promise((r) => setTimeout(r, 50));
      const withReport = logContact(rep, ballotId, {
        memberId: brown,
        contactType: "conversation",
        outcome: "reached",
        report: "will_vote",
      });
      await waiting(1);
      const without = logContact(rep, ballotId, {
        memberId: ahmed,
        contactType: "phone",
        outcome: "not_in",
      });
      await waiting(2);
      release();
      await held;
      const results = await Promise.allSettled([withReport, without]);
      assert.deepEqual(
        results.map((r) =>
          r.status === "fulfilled" ? "logged" : String((r.reason as { code?: string }).code),
        ),
        ["logged", "logged"],
      );
    } finally {
      await open.close();
    }
  });
});
