/**
 * Bounces as a real mail server makes them: a send goes through a private Postfix instance
 * (test/helpers/postfix.ts); an unknown local user is bounced by Postfix's local delivery (5.1.1), a
 * host that does not answer is given up at once (4.4.1), and Postfix's notices come back to the
 * message's VERP return path, which its transport map routes to Mandate's bounce listener. Then the
 * ledger, the member's flag, the fallback letter, the deliverability view and the quality view.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import { after, before, describe, test } from "node:test";
import nodemailer from "nodemailer";
import { as, buildTestApp, signIn } from "../../test/helpers/app.js";
import { backends, createTestDb } from "../../test/helpers/db.js";
import { CLOCK, type Fixture, seedFixture } from "../../test/helpers/fixtures.js";
import { freePort, type Postfix, postfixSkipReason, startPostfix } from "../../test/helpers/postfix.js";
import { type SmtpSink, startSmtpSink } from "../../test/helpers/smtp-sink.js";
import type { Actor } from "../auth/index.js";
import type { Ctx } from "../context.js";
import type { OpenDatabase } from "../db/connect.js";
import { jobHandlers } from "../job-handlers.js";
import { getJob, Worker } from "../jobs/index.js";
import { AppError } from "../shared/errors.js";
import { type BounceListener, startBounceListener } from "./bounce.listener.js";
import {
  addVersion,
  approveTemplateVersion,
  auditKeyOfSecret,
  createTemplate,
  getSend,
  queueSend,
  saveSegment,
} from "./comms.service.js";
import { deliverability, wakeWaitingSends } from "./deliverability.service.js";
import { smtpTransport } from "./email.transport.js";
import { returnPathFor } from "./links.js";
import type { CommsOptions } from "./send.job.js";

const postfixSkip = postfixSkipReason();
const BOUNCES = "bounces.example";

for (const { backend, skip } of await backends()) {
  describe(`bounces from a real Postfix on ${backend}`, { skip: skip || postfixSkip }, () => {
    let open: OpenDatabase;
    let f: Fixture;
    let sink: SmtpSink;
    let listener: BounceListener;
    let postfix: Postfix;
    let options: CommsOptions;
    const log: string[] = [];
    const ctx = (actor: Actor): Ctx => ({ db: open.db, actor, clock: CLOCK });
    let sendId = 0;
    const rowOf = async (memberId: number, channel = "email") =>
      open.db
        .selectFrom("comms_messages")
        .selectAll()
        .where("send_id", "=", sendId)
        .where("member_id", "=", memberId)
        .where("channel", "=", channel)
        .executeTakeFirst();

    before(async () => {
      open = await createTestDb(backend);
      f = await seedFixture(open.db);
      sink = await startSmtpSink();
      listener = await startBounceListener(
        { db: open.db, clock: CLOCK },
        { port: 0, host: "127.0.0.1", log: (l) => log.push(l), wakeEveryMs: 0 },
      );
      postfix = await startPostfix({
        [BOUNCES]: `smtp:[127.0.0.1]:${listener.port}`,
        "ok.example": `smtp:[127.0.0.1]:${new URL(sink.url).port}`,
        // Nothing listens there: Postfix gives up at once (maximal_queue_lifetime = 0) with a 4.4.1 notice.
        "soft.example": `smtp:[127.0.0.1]:${await freePort()}`,
      });
      options = {
        from: "HPSU <ballots@hpsu.example>",
        bounceDomain: BOUNCES,
        publicUrl: "https://mandate.hpsu.example",
        emailTransport: (n) =>
          smtpTransport({ url: `smtp://127.0.0.1:${postfix.port}?ignoreTLS=true`, maxConnections: n }),
        concurrency: 2,
        emailPerSecond: 10_000,
      };
      const emails: [number, string][] = [
        [f.members.stJames[0]!, "nobody-here@localhost"], // Ahmed: no such user, hard bounce
        [f.members.stJames[1]!, "brown@soft.example"], // Brown: the host does not answer, soft bounce
        [f.members.camden[0]!, "evans@ok.example"],
        [f.members.camden[1]!, "fraser@ok.example"],
        [f.members.bradford[0]!, "green@ok.example"],
      ];
      for (const [id, email] of emails) {
        await open.db
          .updateTable("members")
          .set({ email, consent_email: true })
          .where("id", "=", id)
          .execute();
      }
      // Hughes has no email (falls back to a letter when the send is written); O'Connor has neither
      // email nor postal address (no fallback possible).
    });
    after(async () => {
      await postfix?.stop();
      await listener?.close();
      await sink?.close();
      await open?.close();
    });

    const runWorker = async () => {
      const worker = new Worker({
        db: open.db,
        clock: CLOCK,
        handlers: jobHandlers({ uploadDir: "/nonexistent", comms: options }),
      });
      assert.equal(await worker.runOnce(), true);
    };

    test("Postfix's notices come back to the return path: an unknown user bounces hard, a dead host soft", async () => {
      const national = ctx(f.actors.national);
      const email = await createTemplate(national, { name: "Vote", channel: "email", purpose: "campaign" });
      await approveTemplateVersion(
        national,
        (await addVersion(national, email.id, { language: "en", subject: "Vote", body: "Please vote." })).id,
      );
      const letter = await createTemplate(national, {
        name: "Vote (letter)",
        channel: "letter",
        purpose: "campaign",
      });
      await approveTemplateVersion(
        national,
        (
          await addVersion(national, letter.id, {
            language: "en",
            body: "Dear {{ member.forename }}, please vote.",
          })
        ).id,
      );
      // A fallback must be on a later channel and of the send's purpose.
      await assert.rejects(
        queueSend(national, {
          templateId: letter.id,
          segmentId: 1,
          fallbackTemplateIds: [email.id],
        }),
        (e: unknown) =>
          e instanceof AppError && ["comms.fallback_invalid", "comms.not_found"].includes(e.code),
      );
      const segment = await saveSegment(national, {
        name: "Everyone",
        definition: { memberStatuses: ["active"] },
      });
      const send = await queueSend(national, {
        templateId: email.id,
        segmentId: segment.id,
        fallbackTemplateIds: [letter.id],
      });
      sendId = send.id;
      assert.deepEqual(send.fallback, [{ channel: "letter", templateId: letter.id }]);

      const started = Date.now();
      await runWorker();
      assert.equal((await getJob(national, send.jobId!)).state, "succeeded");
      // Postfix took all five (the notices may already be back: Postfix is quick).
      assert.ok((await rowOf(f.members.stJames[0]!))?.sent_at);
      // Hughes had no email: his letter went in the same run.
      assert.equal((await rowOf(f.members.noWorkplace, "letter"))?.state, "sent");
      assert.equal(await rowOf(f.members.stJames[2]!, "letter"), undefined);

      // Wait for both notices (Postfix sends them within a second or so).
      for (;;) {
        const rows = await open.db
          .selectFrom("comms_messages")
          .select("bounce")
          .where("send_id", "=", sendId)
          .where("bounce", "is not", null)
          .execute();
        if (rows.length >= 2 && sink.messages.length >= 3) break;
        if (Date.now() - started > 20_000)
          assert.fail(`no notices after 20 s:\n${postfix.log()}\n${log.join("\n")}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      assert.equal(sink.messages.length, 3);
      assert.ok(sink.messages.every((m) => m.from.endsWith(`@${BOUNCES}`)));

      const hard = await rowOf(f.members.stJames[0]!);
      assert.equal(hard?.state, "failed");
      assert.equal(hard?.bounce, "hard");
      assert.equal(hard?.bounce_status, "5.1.1");
      const soft = await rowOf(f.members.stJames[1]!);
      assert.equal(soft?.bounce, "soft");
      assert.equal(soft?.bounce_status, "4.4.1");
      assert.equal(soft?.state, "failed");

      // The hard bounce flags Ahmed's email and suppresses the address; the soft one flags nothing.
      const flags = await open.db
        .selectFrom("members")
        .select(["id", "email_undeliverable_at"])
        .where("id", "in", [f.members.stJames[0]!, f.members.stJames[1]!])
        .orderBy("id")
        .execute();
      assert.ok(flags[0]!.email_undeliverable_at);
      assert.equal(flags[1]!.email_undeliverable_at, null);
      const suppressions = await open.db
        .selectFrom("comms_suppressions")
        .select(["member_id", "reason"])
        .execute();
      assert.deepEqual(suppressions, [{ member_id: f.members.stJames[0]!, reason: "hard_bounce" }]);

      // Audited, without addresses.
      const audit = await open.db
        .selectFrom("audit_log")
        .select(["event", "subject_id", "details"])
        .where("event", "in", ["comms.bounced", "comms.suppressed"])
        .orderBy("seq")
        .execute();
      assert.deepEqual(audit.map((a) => a.event).sort(), [
        "comms.bounced",
        "comms.bounced",
        "comms.suppressed",
      ]);
      assert.doesNotMatch(JSON.stringify(audit), /@|nobody|soft\.example/);
      assert.doesNotMatch(log.join("\n"), /@/);

      // Ahmed's hard bounce falls back to a letter; Brown's soft one does not. The letter goes in the
      // run that was still going when the notice came, or in a new run of the send (queued by the
      // notice, or by the listener's minute check for a run that ended just before it).
      const fallback = await rowOf(f.members.stJames[0]!, "letter");
      assert.equal(fallback?.fallback_of, hard?.id);
      assert.equal(await rowOf(f.members.stJames[1]!, "letter"), undefined);
      await wakeWaitingSends({ db: open.db, clock: CLOCK });
      if ((await rowOf(f.members.stJames[0]!, "letter"))?.state !== "sent") {
        assert.notEqual(
          (await getSend(national, sendId)).jobId,
          send.jobId,
          "a new run of the send is queued",
        );
        await runWorker();
      }
      assert.equal((await rowOf(f.members.stJames[0]!, "letter"))?.state, "sent");
      const batches = await open.db.selectFrom("comms_print_batches").select("letters").execute();
      assert.equal(
        batches.reduce((n, b) => n + b.letters, 0),
        2,
        "Hughes's letter and Ahmed's, once each",
      );
      assert.equal(await wakeWaitingSends({ db: open.db, clock: CLOCK }), 0);
    });

    test("forged return paths are refused at RCPT TO; a repeat notice or a reply changes nothing", async () => {
      const ahmed = (await rowOf(f.members.stJames[0]!))!;
      const evans = (await rowOf(f.members.camden[0]!))!;
      const direct = nodemailer.createTransport({ host: "127.0.0.1", port: listener.port, ignoreTLS: true });
      const notice = fs.readFileSync(
        new URL("../../test/fixtures/comms/postfix-dsn-unknown-user.eml", import.meta.url),
      );
      const send = (to: string, raw: Buffer | string) =>
        direct.sendMail({ envelope: { from: "", to: [to] }, raw });
      // A made-up signature, or a signature for another row, is refused: nothing about Evans changes.
      await assert.rejects(send(`bounces+${evans.id}-AAAAAAAAAA@${BOUNCES}`, notice), /550/);
      const real = returnPathFor(auditKeyOfSecret({ db: open.db }), ahmed.id, BOUNCES);
      const forged = real.replace(`+${ahmed.id}-`, `+${evans.id}-`);
      await assert.rejects(send(forged, notice), /550/);
      await assert.rejects(send(`postmaster@${BOUNCES}`, notice), /550/);
      // An out-of-office reply to Evans's return path is taken and ignored.
      await send(
        returnPathFor(auditKeyOfSecret({ db: open.db }), evans.id, BOUNCES),
        "Subject: Away\r\n\r\nBack Monday.",
      );
      assert.equal((await rowOf(f.members.camden[0]!))?.state, "sent");
      assert.equal((await rowOf(f.members.camden[0]!))?.bounce, null);
      // The same notice for Ahmed again: no new audit event, no second fallback.
      const events = async () =>
        (await open.db.selectFrom("audit_log").select("seq").where("event", "like", "comms.%").execute())
          .length;
      const before = await events();
      await send(real, notice);
      assert.equal(await events(), before);
      direct.close();
    });

    test("the deliverability view per channel, employer and workplace, in each reader's scope; the quality view", async () => {
      const national = await deliverability(ctx(f.actors.national), { by: "channel", days: 90 });
      const byChannel = Object.fromEntries(national.rows.map((r) => [r.key, r]));
      assert.deepEqual(
        { ...byChannel.email, key: undefined, name: undefined },
        {
          key: undefined,
          name: undefined,
          sent: 5,
          delivered: 3,
          hardBounces: 1,
          softBounces: 1,
          otherFailures: 0,
          complaints: 0,
          fallback: 0,
        },
      );
      assert.equal(byChannel.letter?.sent, 2);
      assert.equal(byChannel.letter?.fallback, 2);
      // A regional officer (Yorkshire) sees Yorkshire's members only: no Camden message, and Hughes's letter is London's.
      const regional = await deliverability(ctx(f.actors.regional), { by: "channel", days: 90 });
      const mine = Object.fromEntries(regional.rows.map((r) => [r.key, r]));
      assert.equal(mine.email?.sent, 3);
      assert.equal(mine.email?.hardBounces, 1);
      assert.equal(mine.letter?.sent, 1);
      const byWorkplace = await deliverability(ctx(f.actors.regional), { by: "workplace", days: 90 });
      assert.ok(!byWorkplace.rows.some((r) => /Camden/.test(r.name)), JSON.stringify(byWorkplace.rows));
      const byEmployer = await deliverability(ctx(f.actors.national), {
        by: "employer",
        days: 90,
        channel: "email",
      });
      assert.equal(byEmployer.totals.sent, 5);
      await assert.rejects(
        deliverability(ctx(f.actors.observer), { by: "channel", days: 90 }),
        (e: unknown) => e instanceof AppError && e.code === "auth.forbidden",
      );
      // Over HTTP, with the query checked.
      const app = await buildTestApp(open);
      try {
        const session = await signIn(app, f.users.rep.email);
        const res = await as(app, session, { url: "/api/comms/deliverability?by=workplace" });
        assert.equal(res.statusCode, 200);
        assert.deepEqual(
          res.json().rows.map((r: { name: string }) => r.name),
          ["St James's University Hospital"],
        );
        assert.equal(
          (await as(app, session, { url: "/api/comms/deliverability?by=member" })).statusCode,
          400,
        );
        // The register-quality view counts the undeliverable email.
        const quality = await as(app, await signIn(app, f.users.national.email), {
          url: "/api/quality?by=region",
        });
        assert.equal(quality.json().totals.emailUndeliverable, 1);
      } finally {
        await app.close();
      }
    });
  });
}
