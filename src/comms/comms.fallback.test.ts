/**
 * Channel fallback (decisions/0028): a send by email that asked for SMS and letter fallbacks. A member
 * with no email gets a text, one with neither email nor consent to texts a letter; an email refused as
 * "no such user" becomes a text, and a text refused as "not a number" a letter: one message per
 * channel at most, never a second to a member reached, never for a member who opted out.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { backends, createTestDb } from "../../test/helpers/db.js";
import { CLOCK, type Fixture, seedFixture } from "../../test/helpers/fixtures.js";
import { type SmtpSink, startSmtpSink } from "../../test/helpers/smtp-sink.js";
import type { Ctx } from "../context.js";
import type { OpenDatabase } from "../db/connect.js";
import { jobHandlers } from "../job-handlers.js";
import { getJob, Worker } from "../jobs/index.js";
import { AppError } from "../shared/errors.js";
import {
  addVersion,
  approveTemplateVersion,
  createTemplate,
  queueSend,
  saveSegment,
} from "./comms.service.js";
import { smtpTransport } from "./email.transport.js";
import type { CommsOptions } from "./send.job.js";
import type { OutgoingSms, SmsTransport } from "./sms.transport.js";

for (const { backend, skip } of await backends()) {
  describe(`falling back to the member's next channel on ${backend}`, { skip }, () => {
    let open: OpenDatabase;
    let f: Fixture;
    let sink: SmtpSink;
    let national: Ctx;
    const texts: OutgoingSms[] = [];
    const BAD_NUMBER = "+447700900999";

    before(async () => {
      open = await createTestDb(backend);
      f = await seedFixture(open.db);
      national = { db: open.db, actor: f.actors.national, clock: CLOCK };
      sink = await startSmtpSink({
        rejectRecipient: (a) =>
          a.startsWith("gone") ? { code: 550, message: "5.1.1 No such user here" } : null,
      });
      const set = (id: number, values: Record<string, unknown>) =>
        open.db.updateTable("members").set(values).where("id", "=", id).execute();
      // Ahmed: his email bounces at once, his mobile is not a number: a letter in the end.
      await set(f.members.stJames[0]!, {
        email: "gone@mail.example",
        consent_email: true,
        mobile: BAD_NUMBER,
        consent_sms: true,
      });
      // Brown: no email, a mobile and consent: a text.
      await set(f.members.stJames[1]!, { email: null, mobile: "+447700900002", consent_sms: true });
      // Evans: no email, a mobile but no consent to texts: a letter.
      await set(f.members.camden[0]!, { email: null, mobile: "+447700900003", consent_sms: false });
      // Fraser and Green: email that arrives; Fraser also has a mobile (never used).
      await set(f.members.camden[1]!, {
        email: "fraser@mail.example",
        consent_email: true,
        mobile: "+447700900004",
      });
      await set(f.members.bradford[0]!, { email: "green@mail.example", consent_email: true });
      // Hughes: unsubscribed from email: his wish, no fallback.
      await set(f.members.noWorkplace, {
        email: "hughes@mail.example",
        consent_email: true,
        mobile: "+447700900005",
      });
      await open.db
        .insertInto("comms_suppressions")
        .values({
          union_id: f.unionId,
          member_id: f.members.noWorkplace,
          channel: "email",
          reason: "unsubscribed",
          address: null,
          message_id: null,
          created_by: null,
          created_at: CLOCK.now(),
        })
        .execute();
    });
    after(async () => {
      await sink?.close();
      await open?.close();
    });

    const fakeSms: SmsTransport = {
      provider: "fake",
      async send(m) {
        texts.push(m);
        return m.to === BAD_NUMBER
          ? { kind: "permanent", code: "21211", response: "400 21211 invalid", suppress: "invalid_number" }
          : { kind: "accepted", response: "201 SM1" };
      },
      close() {},
    };

    test("email, then SMS, then letter, for each member only as far as needed", async () => {
      const template = async (name: string, channel: "email" | "sms" | "letter") => {
        const t = await createTemplate(national, { name, channel, purpose: "campaign" });
        const v = await addVersion(national, t.id, {
          language: "en",
          ...(channel === "email" ? { subject: "Vote" } : {}),
          body: "Please vote, {{ member.forename }}.",
        });
        await approveTemplateVersion(national, v.id);
        return t.id;
      };
      const email = await template("Vote", "email");
      const sms = await template("Vote (text)", "sms");
      const letter = await template("Vote (letter)", "letter");
      const segment = await saveSegment(national, {
        name: "Everyone",
        definition: { memberStatuses: ["active"] },
      });
      // Refused: two templates for one channel; a fallback of another purpose.
      await assert.rejects(
        queueSend(national, { templateId: email, segmentId: segment.id, fallbackTemplateIds: [sms, sms] }),
        (e: unknown) => e instanceof AppError && e.code === "comms.fallback_invalid",
      );
      const send = await queueSend(national, {
        templateId: email,
        segmentId: segment.id,
        fallbackTemplateIds: [letter, sms],
      });
      assert.deepEqual(
        send.fallback.map((x) => x.channel),
        ["sms", "letter"],
      );
      const options: CommsOptions = {
        from: "HPSU <ballots@hpsu.example>",
        publicUrl: "https://mandate.hpsu.example",
        emailTransport: (n) => smtpTransport({ url: sink.url, maxConnections: n }),
        concurrency: 2,
        emailPerSecond: 10_000,
        sms: { transport: () => fakeSms, authToken: "t", perSecond: 1000 },
      };
      const worker = new Worker({
        db: open.db,
        clock: CLOCK,
        handlers: jobHandlers({ uploadDir: "/nonexistent", comms: options }),
      });
      assert.equal(await worker.runOnce(), true);
      assert.equal((await getJob(national, send.jobId!)).state, "succeeded");

      const rows = await open.db
        .selectFrom("comms_messages")
        .select(["member_id", "channel", "state", "bounce", "fallback_of"])
        .where("send_id", "=", send.id)
        .orderBy("member_id")
        .orderBy("id")
        .execute();
      const of = (id: number) =>
        rows
          .filter((r) => r.member_id === id)
          .map((r) => `${r.channel}:${r.state}${r.bounce ? `:${r.bounce}` : ""}`);
      assert.deepEqual(of(f.members.stJames[0]!), ["email:failed:hard", "sms:failed:hard", "letter:sent"]);
      assert.deepEqual(of(f.members.stJames[1]!), ["email:suppressed", "sms:sent"]);
      assert.deepEqual(of(f.members.camden[0]!), ["email:suppressed", "letter:sent"]);
      assert.deepEqual(of(f.members.camden[1]!), ["email:sent"]);
      assert.deepEqual(of(f.members.bradford[0]!), ["email:sent"]);
      assert.deepEqual(of(f.members.noWorkplace), ["email:suppressed"]);
      // O'Connor: no email, no mobile, no postal address: nothing to fall back to.
      assert.deepEqual(of(f.members.stJames[2]!), ["email:suppressed"]);
      // Each fallback names the row it stands in for.
      assert.ok(rows.filter((r) => r.channel !== "email").every((r) => r.fallback_of !== null));
      assert.deepEqual(texts.map((t) => t.to).sort(), ["+447700900002", BAD_NUMBER]);

      // Ahmed's email and mobile are both flagged for the quality view.
      const ahmed = await open.db
        .selectFrom("members")
        .select(["email_undeliverable_at", "mobile_undeliverable_at"])
        .where("id", "=", f.members.stJames[0]!)
        .executeTakeFirstOrThrow();
      assert.ok(ahmed.email_undeliverable_at && ahmed.mobile_undeliverable_at);
      // A new address clears its flag, whoever changes it.
      await open.db
        .updateTable("members")
        .set({ email: "ahmed@mail.example" })
        .where("id", "=", f.members.stJames[0]!)
        .execute();
      const changed = await open.db
        .selectFrom("members")
        .select(["email_undeliverable_at", "mobile_undeliverable_at"])
        .where("id", "=", f.members.stJames[0]!)
        .executeTakeFirstOrThrow();
      assert.equal(changed.email_undeliverable_at, null);
      assert.ok(changed.mobile_undeliverable_at);
    });
  });
}
