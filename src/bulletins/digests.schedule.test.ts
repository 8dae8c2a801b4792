/**
 * Digests on a schedule (decisions/0037): the setting (national officers, audited), the recurring job
 * with an injected clock (not due, due, across a clock change, weekly), each period made exactly once
 * however many jobs or workers get there, and the email copies: once per (bulletin, user), counts only,
 * with a signed link that records the read.
 */
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, test } from "node:test";
import { sql } from "kysely";
import { as, buildTestApp, signIn } from "../../test/helpers/app.js";
import { backends, createTestDb } from "../../test/helpers/db.js";
import { type Fixture, seedFixture } from "../../test/helpers/fixtures.js";
import { type SmtpSink, startSmtpSink } from "../../test/helpers/smtp-sink.js";
import type { Actor } from "../auth/index.js";
import { type CommsOptions, smtpTransport } from "../comms/index.js";
import type { Ctx } from "../context.js";
import type { OpenDatabase } from "../db/connect.js";
import { Worker } from "../jobs/index.js";
import { type Clock, fixedClock } from "../shared/clock.js";
import { AppError } from "../shared/errors.js";
import { bulletinReceipts } from "./bulletins.service.js";
import { DIGEST_JOB, digestJob, getDigestSchedule, setDigestSchedule } from "./digests.schedule.js";

const refused = (code: string) => (e: unknown) => e instanceof AppError && e.code === code;
const off = { emailCopies: false };

for (const { backend, skip } of await backends()) {
  describe(`scheduled digests on ${backend}`, { skip }, () => {
    let open: OpenDatabase;
    let f: Fixture;
    const ctx = (actor: Actor, at: string): Ctx => ({ db: open.db, actor, clock: fixedClock(at) });
    const worker = (at: string | Clock, comms?: CommsOptions, owner?: string) =>
      new Worker({
        db: open.db,
        clock: typeof at === "string" ? fixedClock(at) : at,
        handlers: [digestJob(comms)],
        ...(owner ? { owner, pollMs: 20 } : {}),
      });
    const periods = async () =>
      (
        await sql<{ frequency: string; start: Date; end: Date }>`
          select frequency, period_start as start, period_end as end from digest_periods
          where union_id = ${f.unionId} order by period_start`.execute(open.db)
      ).rows.map((r) => `${r.frequency} ${new Date(r.start).toISOString()} ${new Date(r.end).toISOString()}`);
    const digests = async () =>
      Number(
        (
          await sql<{ n: number }>`select count(*)::int as n from bulletins
            where union_id = ${f.unionId} and period_start is not null`.execute(open.db)
        ).rows[0]!.n,
      );
    const queued = async () =>
      (
        await sql<{ due: string }>`select payload->>'due' as due from jobs
          where kind = ${DIGEST_JOB} and state = 'queued' order by id`.execute(open.db)
      ).rows.map((r) => r.due);

    before(async () => {
      open = await createTestDb(backend);
      f = await seedFixture(open.db);
    });
    after(async () => open?.close());
    beforeEach(async () => {
      await sql`delete from jobs where kind = ${DIGEST_JOB}`.execute(open.db);
      await sql`delete from bulletins where union_id = ${f.unionId}`.execute(open.db);
      await sql`delete from digest_periods`.execute(open.db);
    });

    test("only a national officer sets the schedule; it is audited and its next run is queued", async () => {
      await assert.rejects(
        setDigestSchedule(
          ctx(f.actors.regional, "2026-03-28T12:00:00Z"),
          { frequency: "daily", hour: 8 },
          off,
        ),
        refused("auth.forbidden"),
      );
      await assert.rejects(
        getDigestSchedule(ctx(f.actors.observer, "2026-03-28T12:00:00Z"), off),
        refused("auth.forbidden"),
      );
      const s = await setDigestSchedule(
        ctx(f.actors.national, "2026-03-28T12:00:00Z"),
        { frequency: "daily", hour: 8 },
        off,
      );
      assert.equal(s.frequency, "daily");
      // Sunday 29 March 2026, 08:00 BST.
      assert.equal(s.nextRun, "2026-03-29T07:00:00.000Z");
      assert.deepEqual(await queued(), ["2026-03-29T07:00:00.000Z"]);
      const seen = await getDigestSchedule(ctx(f.actors.rep, "2026-03-28T12:00:00Z"), off);
      assert.equal(seen.nextRun, "2026-03-29T07:00:00.000Z");
      const audit = await sql<{ n: number }>`select count(*)::int as n from audit_log
        where event = 'bulletin.schedule_changed'`.execute(open.db);
      assert.ok(Number(audit.rows[0]!.n) >= 1);
    });

    test("not due at 07:59 BST, made at 08:00 BST across the spring change, and the next run queued", async () => {
      await setDigestSchedule(
        ctx(f.actors.national, "2026-03-28T12:00:00Z"),
        { frequency: "weekly", hour: 8, weekday: 3 },
        off,
      );
      await setDigestSchedule(
        ctx(f.actors.national, "2026-03-28T12:00:00Z"),
        { frequency: "daily", hour: 8 },
        off,
      );
      await sql`delete from jobs where kind = ${DIGEST_JOB}`.execute(open.db);
      await setDigestSchedule(
        ctx(f.actors.national, "2026-03-28T12:30:00Z"),
        { frequency: "daily", hour: 8 },
        off,
      );
      // Unchanged: not audited again, and the one run it queues is the same as before.
      assert.deepEqual(await queued(), ["2026-03-29T07:00:00.000Z"]);
      await setDigestSchedule(
        ctx(f.actors.national, "2026-03-28T12:40:00Z"),
        { frequency: "daily", hour: 9 },
        off,
      );
      await setDigestSchedule(
        ctx(f.actors.national, "2026-03-28T12:45:00Z"),
        { frequency: "daily", hour: 8 },
        off,
      );
      // The schedule changed twice: a run queued for each due time.
      assert.deepEqual(await queued(), ["2026-03-29T07:00:00.000Z", "2026-03-29T08:00:00.000Z"]);

      // The 08:00 run started a minute early (clocks apart): nothing is due yet.
      assert.equal(await worker("2026-03-29T06:59:00Z").runOnce(), true);
      assert.deepEqual(await periods(), []);
      assert.equal(await digests(), 0);
      // At 09:00 BST the other run makes the period ended at 08:00 BST: 23 hours, three digests.
      assert.equal(await worker("2026-03-29T08:00:00Z").runOnce(), true);
      assert.deepEqual(await periods(), ["daily 2026-03-28T08:00:00.000Z 2026-03-29T07:00:00.000Z"]);
      assert.equal(await digests(), 3);
      // Every run queued is for a later day: the same period is never made again.
      // (Runs queued for later days are due in the database's time; at this clock they make nothing new.)
      for (let i = 0; i < 3; i++) await worker("2026-03-29T08:30:00Z").runOnce();
      assert.equal(await digests(), 3);
      assert.deepEqual(await periods(), ["daily 2026-03-28T08:00:00.000Z 2026-03-29T07:00:00.000Z"]);
    });

    test("weekly, and after downtime only the latest missed period is made", async () => {
      // Set on Monday 2 November 2026; Wednesdays at 18:00.
      await setDigestSchedule(
        ctx(f.actors.national, "2026-11-02T10:00:00Z"),
        { frequency: "weekly", hour: 18, weekday: 3 },
        off,
      );
      assert.deepEqual(await queued(), ["2026-11-04T18:00:00.000Z"]);
      // The workers were down for two weeks: the run on Thursday 19th makes the week ended on the 18th only.
      assert.equal(await worker("2026-11-19T09:00:00Z").runOnce(), true);
      assert.deepEqual(await periods(), ["weekly 2026-11-11T18:00:00.000Z 2026-11-18T18:00:00.000Z"]);
      assert.deepEqual(await queued(), ["2026-11-25T18:00:00.000Z"]);
      const schedule = await getDigestSchedule(ctx(f.actors.national, "2026-11-19T09:00:00Z"), off);
      assert.equal(schedule.lastPeriod?.end, "2026-11-18T18:00:00.000Z");
      assert.equal(schedule.nextRun, "2026-11-25T18:00:00.000Z");
      // Turned off: a queued run makes nothing and queues nothing.
      await setDigestSchedule(
        ctx(f.actors.national, "2026-11-20T09:00:00Z"),
        { frequency: "off", hour: 18 },
        off,
      );
      assert.equal(await worker("2026-11-25T18:00:00Z").runOnce(), true);
      assert.equal((await periods()).length, 1);
      assert.deepEqual(await queued(), []);
    });

    test("two workers racing over several runs make the period once", {
      skip: backend === "pglite" ? "one connection: no concurrency to test" : false,
    }, async () => {
      await setDigestSchedule(
        ctx(f.actors.national, "2026-11-10T10:00:00Z"),
        { frequency: "daily", hour: 7 },
        off,
      );
      // More runs of the same union queued by hand, as a retried job or a second schedule would be.
      await sql`insert into jobs (union_id, kind, payload, actor)
        select union_id, kind, payload, actor from jobs where kind = ${DIGEST_JOB}`.execute(open.db);
      await sql`insert into jobs (union_id, kind, payload, actor)
        select union_id, kind, payload, actor from jobs where kind = ${DIGEST_JOB}`.execute(open.db);
      const clock = fixedClock("2026-11-12T07:30:00Z");
      const workers = ["w1", "w2"].map((owner) => worker(clock, undefined, owner));
      await Promise.all(
        workers.map(async (w) => {
          for (let i = 0; i < 3; i++) await w.runOnce();
        }),
      );
      assert.deepEqual(await periods(), ["daily 2026-11-11T07:00:00.000Z 2026-11-12T07:00:00.000Z"]);
      assert.equal(await digests(), 3);
    });

    describe("email copies", () => {
      let sink: SmtpSink;
      let comms: CommsOptions;
      before(async () => {
        sink = await startSmtpSink();
        comms = {
          from: "HPSU <ballots@hpsu.example>",
          publicUrl: "https://mandate.hpsu.example",
          emailTransport: (n) => smtpTransport({ url: sink.url, maxConnections: n }),
          concurrency: 4,
          emailPerSecond: 1000,
        };
      });
      after(async () => sink?.close());

      test("each addressed user with an email gets one copy with a link that records the read", async () => {
        sink.messages.length = 0;
        await setDigestSchedule(
          ctx(f.actors.national, "2026-11-10T10:00:00Z"),
          { frequency: "daily", hour: 7 },
          off,
        );
        assert.equal(await worker("2026-11-12T07:30:00Z", comms).runOnce(), true);
        const ids = (
          await sql<{ id: number; title: string }>`select id, title from bulletins
            where union_id = ${f.unionId} and period_start is not null order by id`.execute(open.db)
        ).rows;
        assert.equal(ids.length, 3);
        const national = ctx(f.actors.national, "2026-11-12T08:00:00Z");
        let expected = 0;
        for (const b of ids) expected += (await bulletinReceipts(national, Number(b.id))).addressed;
        assert.ok(expected > 0);
        assert.equal(sink.messages.length, expected);
        assert.equal(sink.repeats().size, 0);
        const toRep = sink.messages.find((m) => m.to[0] === f.users.rep.email)!;
        assert.ok(toRep, "the rep got the Yorkshire digest");
        assert.match(toRep.raw, /Content-Type: text\/plain/);
        // Counts only: no member named.
        for (const m of sink.messages) assert.ok(!/Ahmed|Brown|O'Connor|Evans/.test(m.raw));
        const text = Buffer.from(
          /Content-Type: text\/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n([A-Za-z0-9+/=\r\n]+)/.exec(
            toRep.raw,
          )![1]!,
          "base64",
        ).toString("utf8");
        const link = /https:\/\/mandate\.hpsu\.example(\/api\/bulletins\/open\/\S+)/.exec(text)![1]!;

        const yorkshire = ids.find((b) => b.title.includes("Yorkshire"))!;
        const before = await bulletinReceipts(national, Number(yorkshire.id));
        assert.equal(before.emailed, before.addressed);
        assert.equal(before.read, 0);
        const app = await buildTestApp(open, null, fixedClock("2026-11-12T09:00:00Z"));
        try {
          const opened = await app.inject({ method: "GET", url: link });
          assert.equal(opened.statusCode, 303);
          assert.equal(opened.headers.location, `/bulletins?open=${yorkshire.id}`);
          const forged = await app.inject({ method: "GET", url: `${link.slice(0, -3)}abc` });
          assert.equal(forged.statusCode, 404);
          const signedIn = await signIn(app, f.users.national.email);
          const list = await as(app, signedIn, { url: "/api/bulletins" });
          const row = list.json().find((b: { id: number }) => b.id === Number(yorkshire.id));
          assert.deepEqual(row.counts, { addressed: before.addressed, emailed: before.addressed, read: 1 });
          const repSession = await signIn(app, f.users.rep.email);
          assert.equal((await as(app, repSession, { url: "/api/bulletins" })).json()[0].counts, null);
          const bad = await as(app, signedIn, {
            method: "PUT",
            url: "/api/union/settings/digests",
            payload: { frequency: "daily", hour: 24 },
          });
          assert.equal(bad.statusCode, 400);
          assert.match(bad.body, /hour/);
          const denied = await as(app, repSession, {
            method: "PUT",
            url: "/api/union/settings/digests",
            payload: { frequency: "daily", hour: 8 },
          });
          assert.equal(denied.statusCode, 403);
        } finally {
          await app.close();
        }
        const afterRead = await bulletinReceipts(national, Number(yorkshire.id));
        assert.equal(afterRead.read, 1);
        const rep = afterRead.readers.find((r) => r.readAt)!;
        assert.equal(rep.readVia, "email");
        assert.ok(rep.emailedAt);

        // The run again (as after a crash): nothing is sent twice but what was in flight, with its Message-ID.
        const count = sink.messages.length;
        const inFlight = await sql<{ message_id: string }>`
          update bulletin_emails set state = 'sending', sent_at = null
          where bulletin_id = ${Number(yorkshire.id)} and user_id = ${f.users.rep.id} returning message_id`.execute(
          open.db,
        );
        await sql`update jobs set state = 'queued', finished_at = null
          where kind = ${DIGEST_JOB} and step is not null`.execute(open.db);
        await worker("2026-11-12T07:40:00Z", comms).runOnce();
        assert.equal(sink.messages.length, count + 1);
        assert.equal(sink.messages.at(-1)!.messageId, `<${inFlight.rows[0]!.message_id}>`);
      });
    });
  });
}
