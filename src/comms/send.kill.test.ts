/**
 * A send whose worker is SIGKILLed half-way through sending, taken over by another worker: every
 * member gets the message, the ledger ends as a straight run's, and the only repeats are messages
 * that were in flight at the kill (at most the worker's concurrency), each with the same Message-ID.
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
import type { Ctx } from "../context.js";
import type { Db } from "../db/database.js";
import {
  addVersion,
  approveTemplateVersion,
  createTemplate,
  queueSend,
  saveSegment,
} from "./comms.service.js";
import { smtpTransport } from "./email.transport.js";

const MEMBERS = 400;
const CONCURRENCY = 8;

async function queue(ctx: Ctx, f: Fixture): Promise<number> {
  await sql`insert into members (union_id, membership_number, forenames, surname, email, consent_email, status,
      region_id, employer_id, workplace_id)
    select ${f.unionId}, 'K' || g, 'Kim', 'Member' || g, 'kim' || g || '@mail.example', true, 'active',
      ${f.regions.yorkshire}, ${f.employers.leedsTrust}, ${f.workplaces.stJames}
    from generate_series(1, ${MEMBERS}) g`.execute(ctx.db);
  const t = await createTemplate(ctx, { name: "Reminder", channel: "email", purpose: "campaign" });
  const v = await addVersion(ctx, t.id, {
    language: "en",
    subject: "Vote",
    body: "Dear {{ member.forename }}",
  });
  await approveTemplateVersion(ctx, v.id);
  const s = await saveSegment(ctx, {
    name: "Kims",
    definition: { memberStatuses: ["active"], workplaceIds: [f.workplaces.stJames] },
  });
  const send = await queueSend(ctx, { templateId: t.id, segmentId: s.id });
  return send.jobId!;
}

/** Each member's ledger row: state and attempts aside (a resent row was attempted twice). */
async function outcome(db: Db) {
  const rows = await db
    .selectFrom("comms_messages as c")
    .innerJoin("members as m", "m.id", "c.member_id")
    .select(["m.membership_number", "c.state", "c.address"])
    .orderBy("m.membership_number")
    .execute();
  return rows.map((r) => `${r.membership_number}:${r.state}:${r.address}`);
}

for (const { backend, skip } of await backends()) {
  describe(`a send killed half-way on ${backend}`, { skip }, () => {
    const sinks: SmtpSink[] = [];
    after(async () => {
      for (const s of sinks) await s.close();
    });

    test("every member gets it; the only repeats are the messages in flight, with their Message-ID", async () => {
      const straightSink = await startSmtpSink();
      let kill = () => {};
      const halfWay = new Promise<void>((r) => {
        kill = r;
      });
      const killedSink = await startSmtpSink({
        delayMs: 4,
        onMessage: () => {
          if (killedSink.messages.length === 120) kill();
        },
      });
      sinks.push(straightSink, killedSink);
      const c: KillCase<string[]> = {
        queue,
        outcome: (db) => outcome(db),
        stepDelayMs: 0,
        killWhen: () => halfWay,
        workerEnv: {
          MANDATE_SMTP_URL: killedSink.url,
          MANDATE_MAIL_FROM: "HPSU <ballots@hpsu.example>",
          MANDATE_SEND_CONCURRENCY: String(CONCURRENCY),
          MANDATE_EMAIL_RATE: "100000",
        },
        comms: {
          from: "HPSU <ballots@hpsu.example>",
          publicUrl: "https://mandate.hpsu.example",
          emailTransport: (n) => smtpTransport({ url: straightSink.url, maxConnections: n }),
          concurrency: CONCURRENCY,
          emailPerSecond: 100_000,
        },
      };
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mandate-send-kill-"));
      const { straight, killed } = await assertKilledRunMatches(backend, c, dir);
      const expected = straight.outcome.filter((r) => r.includes(":sent:"));
      assert.ok(expected.length >= MEMBERS, `${expected.length} sent in the straight run`);
      assert.equal(straightSink.messages.length, expected.length);
      assert.equal(straightSink.repeats().size, 0);

      // Every member got it at least once, and the repeats are few, each the same message again.
      const recipients = new Set(killedSink.messages.map((m) => m.to[0]));
      assert.equal(recipients.size, expected.length);
      const repeats = killedSink.repeats();
      const extra = [...repeats.values()].reduce((a, n) => a + n - 1, 0);
      assert.equal(killedSink.messages.length, expected.length + extra);
      assert.ok(extra <= CONCURRENCY, `${extra} repeats, at most ${CONCURRENCY} in flight`);
      for (const id of repeats.keys()) {
        const to = new Set(killedSink.messages.filter((m) => m.messageId === id).map((m) => m.to[0]));
        assert.equal(to.size, 1, "a repeat goes to the same member with the same Message-ID");
      }
      const result = killed.job.result as { inFlightResent: number };
      assert.ok(result.inFlightResent >= extra, "the run that took over knew which were in flight");
      console.log(
        `# ${backend}: killed after ${120} messages; ${extra} repeated; ${result.inFlightResent} in flight`,
      );
    });
  });
}
