/**
 * A scheduled digest run whose worker is SIGKILLed half-way through the email copies, taken over by
 * another worker: the period is made once, every addressed user gets their copy, and the only repeat is
 * the copy in flight at the kill, with the same Message-ID.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, test } from "node:test";
import { sql } from "kysely";
import { backends } from "../../test/helpers/db.js";
import type { Fixture } from "../../test/helpers/fixtures.js";
import { assertKilledRunMatches, type KillCase } from "../../test/helpers/killed-worker.js";
import { type SmtpSink, startSmtpSink } from "../../test/helpers/smtp-sink.js";
import { smtpTransport } from "../comms/index.js";
import type { Ctx } from "../context.js";
import type { Db } from "../db/database.js";
import { fixedClock } from "../shared/clock.js";
import { DIGEST_JOB, setDigestSchedule } from "./digests.schedule.js";

const REPS = 30;

async function queue(ctx: Ctx, f: Fixture): Promise<number> {
  // More readers, so that a worker can be stopped half-way through the copies.
  await sql`with u as (
      insert into users (union_id, email, display_name, password_hash, role)
      select ${f.unionId}, 'rep' || g || '@hpsu.example', 'Rep ' || g, 'x', 'rep' from generate_series(1, ${REPS}) g
      returning id)
    insert into user_scopes (user_id, region_id) select id, ${f.regions.yorkshire} from u`.execute(ctx.db);
  // Set two days before the fixture's clock: the run makes the day ended at 09:00 UK time.
  await setDigestSchedule(
    { ...ctx, clock: fixedClock("2026-11-18T10:00:00Z") },
    { frequency: "daily", hour: 9 },
    { emailCopies: true },
  );
  const job = await ctx.db
    .selectFrom("jobs")
    .select("id")
    .where("kind", "=", DIGEST_JOB)
    .executeTakeFirstOrThrow();
  return job.id;
}

/** Each copy's reader, digest and state; the period's dates aside (the worker processes' clock is real). */
async function outcome(db: Db) {
  const periods = await sql<{ n: number }>`select count(*)::int as n from digest_periods`.execute(db);
  const rows = await sql<{ region: string | null; email: string; state: string }>`
    select b.figures->>'region' as region, u.email, e.state
    from bulletin_emails e join bulletins b on b.id = e.bulletin_id join users u on u.id = e.user_id
    order by 1, 2`.execute(db);
  return [
    `periods:${periods.rows[0]!.n}`,
    ...rows.rows.map((r) => `${r.region ?? "union"}:${r.email}:${r.state}`),
  ];
}

for (const { backend, skip } of await backends()) {
  describe(`a scheduled digest run killed half-way on ${backend}`, { skip }, () => {
    const sinks: SmtpSink[] = [];
    after(async () => {
      for (const s of sinks) await s.close();
    });

    test("the period is made once; every copy arrives, the only repeat the one in flight", async () => {
      const straightSink = await startSmtpSink();
      let kill = () => {};
      const halfWay = new Promise<void>((r) => {
        kill = r;
      });
      const killedSink = await startSmtpSink({
        onMessage: () => {
          if (killedSink.messages.length === 12) kill();
        },
      });
      sinks.push(straightSink, killedSink);
      const from = "HPSU <ballots@hpsu.example>";
      const c: KillCase<string[]> = {
        queue,
        outcome: (db) => outcome(db),
        stepDelayMs: 60,
        killWhen: () => halfWay,
        workerEnv: { MANDATE_SMTP_URL: killedSink.url, MANDATE_MAIL_FROM: from },
        comms: {
          from,
          publicUrl: "https://mandate.hpsu.example",
          emailTransport: (n) => smtpTransport({ url: straightSink.url, maxConnections: n }),
          concurrency: 1,
          emailPerSecond: 1000,
        },
      };
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mandate-digest-kill-"));
      const { straight } = await assertKilledRunMatches(backend, c, dir);
      assert.equal(straight.outcome[0], "periods:1");
      const copies = straight.outcome.length - 1;
      assert.ok(copies > REPS, `${copies} copies`);
      assert.equal(straightSink.messages.length, copies);
      const recipients = (s: SmtpSink) => new Set(s.messages.map((m) => `${m.to[0]} ${m.messageId}`));
      assert.equal(recipients(killedSink).size, copies, "every copy arrived");
      const extra = killedSink.messages.length - copies;
      assert.ok(extra <= 1, `${extra} repeats, at most the one in flight`);
    });
  });
}
