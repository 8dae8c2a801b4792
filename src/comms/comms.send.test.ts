import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { buildTestApp } from "../../test/helpers/app.js";
import { backends, createTestDb } from "../../test/helpers/db.js";
import { CLOCK, type Fixture, frozenStJamesBallot, seedFixture } from "../../test/helpers/fixtures.js";
import { type SmtpSink, startSmtpSink } from "../../test/helpers/smtp-sink.js";
import type { Actor } from "../auth/index.js";
import { recordPosition } from "../canvass/index.js";
import type { Ctx } from "../context.js";
import type { OpenDatabase } from "../db/connect.js";
import { jobHandlers } from "../job-handlers.js";
import { getJob, Worker } from "../jobs/index.js";
import { fixedClock } from "../shared/clock.js";
import { AppError } from "../shared/errors.js";
import { recordSelfReport } from "../turnout/index.js";
import {
  addVersion,
  approveTemplateVersion,
  countSegment,
  createTemplate,
  getSend,
  previewVersion,
  queueSend,
  saveSegment,
} from "./comms.service.js";
import { smtpTransport } from "./email.transport.js";
import { claimBatch, writeWindow } from "./ledger.store.js";
import type { CommsOptions } from "./send.job.js";

const refused = (code: string) => (e: unknown) => e instanceof AppError && e.code === code;

for (const { backend, skip } of await backends()) {
  describe(`sending email on ${backend}`, { skip }, () => {
    let open: OpenDatabase;
    let f: Fixture;
    let sink: SmtpSink;
    let options: CommsOptions;
    const ctx = (actor: Actor): Ctx => ({ db: open.db, actor, clock: CLOCK });
    const address = (id: number) => `member${id}@mail.example`;

    before(async () => {
      open = await createTestDb(backend);
      f = await seedFixture(open.db);
      sink = await startSmtpSink({
        rejectRecipient: (a) =>
          a.startsWith("gone") ? { code: 550, message: "5.1.1 No such user here" } : null,
      });
      options = {
        from: "HPSU <ballots@hpsu.example>",
        publicUrl: "https://mandate.hpsu.example",
        emailTransport: (n) => smtpTransport({ url: sink.url, maxConnections: n }),
        concurrency: 4,
        emailPerSecond: 10_000,
      };
      // Emails for every member of the fixture; consent for most; one member Welsh-speaking.
      const all = [
        ...f.members.stJames,
        ...f.members.lgi,
        ...f.members.camden,
        ...f.members.bradford,
        f.members.noWorkplace,
      ];
      for (const id of all) {
        await open.db
          .updateTable("members")
          .set({ email: address(id), consent_email: true })
          .where("id", "=", id)
          .execute();
      }
      await open.db
        .updateTable("members")
        .set({ consent_email: false })
        .where("id", "=", f.members.stJames[1]!)
        .execute();
      await open.db
        .updateTable("members")
        .set({ language: "cy" })
        .where("id", "=", f.members.bradford[0]!)
        .execute();
      await open.db
        .updateTable("members")
        .set({ email: "gone@mail.example" })
        .where("id", "=", f.members.camden[1]!)
        .execute();
    });
    after(async () => {
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

    let templateId = 0;
    let segmentId = 0;

    test("a template is written in English and Welsh, checked, approved and previewed", async () => {
      const national = ctx(f.actors.national);
      const t = await createTemplate(national, { name: "Vote yes", channel: "email", purpose: "campaign" });
      templateId = t.id;
      await assert.rejects(
        addVersion(national, t.id, { language: "en", subject: "Vote", body: "Hello {{ member.nickname }}" }),
        refused("comms.template_invalid"),
      );
      await assert.rejects(
        addVersion(national, t.id, { language: "en", body: "No subject" }),
        refused("comms.template_invalid"),
      );
      const en = await addVersion(national, t.id, {
        language: "en",
        subject: "{{ member.forename }}, your vote counts",
        body: "Dear {{ member.forename }},\n\nThe ballot at {{ member.workplace }} closes soon. <b>Vote</b>.\n\n[Find out more](https://hpsu.example/ballot)",
      });
      const cy = await addVersion(national, t.id, {
        language: "cy",
        subject: "{{ member.forename }}, mae eich pleidlais yn cyfrif",
        body: "Annwyl {{ member.forename }},\n\nPleidleisiwch.",
      });
      await assert.rejects(approveTemplateVersion(ctx(f.actors.regional), en.id), refused("auth.forbidden"));
      assert.equal((await approveTemplateVersion(national, en.id)).state, "approved");
      await approveTemplateVersion(national, cy.id);
      await assert.rejects(approveTemplateVersion(national, en.id), refused("comms.version_not_draft"));

      const preview = await previewVersion(national, en.id, f.members.stJames[0]!);
      assert.equal(preview.subject, "Alex, your vote counts");
      assert.match(preview.html!, /St James/);
      // What the author typed is text, never markup.
      assert.match(preview.html!, /&lt;b&gt;Vote&lt;\/b&gt;/);
      assert.match(preview.text, /Find out more: https:\/\/hpsu\.example\/ballot/);
      assert.match(preview.text, /To stop these messages: https:\/\/example\.invalid/);
      // A rep cannot preview with a member's data.
      await assert.rejects(
        previewVersion(ctx(f.actors.rep), en.id, f.members.stJames[0]!),
        refused("auth.forbidden"),
      );
      // A regional officer cannot preview with a member outside their region.
      await assert.rejects(
        previewVersion(ctx(f.actors.regional), en.id, f.members.camden[0]!),
        refused("members.not_found"),
      );
    });

    test("an audience is counted before sending, with the reasons some are not reached", async () => {
      const s = await saveSegment(ctx(f.actors.national), {
        name: "Everyone active",
        definition: { memberStatuses: ["active"] },
      });
      segmentId = s.id;
      const count = await countSegment(ctx(f.actors.national), s.id, "email", "campaign");
      // Active members of the union (the lapsed one is not in the segment; the partner union's never).
      assert.equal(count.members, 7);
      assert.deepEqual(
        count.suppressed.map((r) => [r.reason, r.members]),
        [["no_consent", 1]],
      );
      assert.equal(count.reachable, 6);
      assert.deepEqual(count.byLanguage, { en: 5, cy: 1 });
      // A statutory message goes whatever the consent.
      assert.equal((await countSegment(ctx(f.actors.national), s.id, "email", "statutory")).reachable, 7);
    });

    test("a send reaches each member once, in their language, with one-click unsubscribe; a hard bounce suppresses", async () => {
      const send = await queueSend(ctx(f.actors.national), { templateId, segmentId });
      await runWorker();
      const job = await getJob(ctx(f.actors.national), send.jobId!);
      assert.equal(job.state, "succeeded", job.errorMessage ?? "");
      const after = await getSend(ctx(f.actors.national), send.id);
      assert.deepEqual(after.messages, { pending: 0, sending: 0, sent: 5, failed: 1, suppressed: 1 });
      assert.equal(sink.messages.length, 5);
      assert.equal(sink.repeats().size, 0);
      const bradford = sink.messages.find((m) => m.to[0] === address(f.members.bradford[0]!))!;
      assert.match(bradford.headers.subject!, /mae eich pleidlais/);
      const first = sink.messages.find((m) => m.to[0] === address(f.members.stJames[0]!))!;
      assert.match(
        first.headers["list-unsubscribe"]!,
        /^<https:\/\/mandate\.hpsu\.example\/api\/comms\/unsubscribe\/\d+\.[\w-]{22}>$/,
      );
      assert.equal(first.headers["list-unsubscribe-post"], "List-Unsubscribe=One-Click");
      assert.match(first.from, /^bounces\+\d+-[\w-]{10}@hpsu\.example$/);
      assert.match(first.messageId!, /^<\d+\.\d+\.mandate@hpsu\.example>$/);
      // The bounce suppressed that address.
      const suppressed = await open.db
        .selectFrom("comms_suppressions")
        .select(["member_id", "reason", "address"])
        .execute();
      assert.deepEqual(suppressed, [
        { member_id: f.members.camden[1]!, reason: "hard_bounce", address: "gone@mail.example" },
      ]);

      // Unsubscribing through the link (one click, no session) takes the member out of the next send.
      const app = await buildTestApp(open);
      try {
        const url = first.headers["list-unsubscribe"]!.slice(1, -1).replace(
          "https://mandate.hpsu.example",
          "",
        );
        const page = await app.inject({ method: "GET", url });
        assert.equal(page.statusCode, 200);
        const res = await app.inject({
          method: "POST",
          url,
          headers: { "content-type": "application/x-www-form-urlencoded" },
          payload: "List-Unsubscribe=One-Click",
        });
        assert.equal(res.statusCode, 200, res.body);
        const forged = await app.inject({ method: "POST", url: `${url.slice(0, -3)}xyz` });
        assert.equal(forged.statusCode, 404);
        assert.equal((await app.inject({ method: "GET", url: `${url.slice(0, -3)}xyz` })).statusCode, 404);
      } finally {
        await app.close();
      }
      const count = await countSegment(ctx(f.actors.national), segmentId, "email", "campaign");
      assert.deepEqual(Object.fromEntries(count.suppressed.map((r) => [r.reason, r.members])), {
        no_consent: 1,
        unsubscribed: 1,
        hard_bounce: 1,
      });
    });

    test("a regional officer's send stays inside their region whatever the segment says", async () => {
      const before = sink.messages.length;
      const send = await queueSend(ctx(f.actors.regional), { templateId, segmentId });
      await runWorker();
      const after = await getSend(ctx(f.actors.national), send.id);
      const sentTo = sink.messages.slice(before).map((m) => m.to[0]);
      const yorkshire = [...f.members.stJames, ...f.members.bradford].map(address);
      assert.ok(sentTo.length > 0);
      for (const to of sentTo) assert.ok(yorkshire.includes(to!), `${to} is outside Yorkshire`);
      assert.equal(after.messages.sent, sentTo.length);
    });

    test("no reminder after a member reports voting, even once queued; no persuasion to a member opposed in principle", async () => {
      const during = fixedClock("2026-12-15T10:00:00Z");
      const national: Ctx = { db: open.db, actor: f.actors.national, clock: during };
      const ballotId = await frozenStJamesBallot(national, f);
      const segment = await saveSegment(national, {
        name: "St James's electorate",
        definition: { memberStatuses: ["active"], ballot: { id: ballotId } },
      });
      const approved = async (name: string, purpose: "reminder" | "persuasion") => {
        const t = await createTemplate(national, { name, channel: "email", purpose });
        await approveTemplateVersion(
          national,
          (await addVersion(national, t.id, { language: "en", subject: "Vote", body: "Vote." })).id,
        );
        return t.id;
      };
      const reminder = await approved("Reminder", "reminder");
      const persuasion = await approved("Why vote yes", "persuasion");
      const [voter, opposed] = [f.members.stJames[0]!, f.members.stJames[2]!];
      // Give the voter back their email consent path: lift the earlier unsubscribe.
      await open.db
        .updateTable("comms_suppressions")
        .set({ lifted_at: during.now() })
        .where("member_id", "=", voter)
        .execute();

      // The ledger is written; then, before any message is claimed, the member tells their rep they voted.
      const rule = { channel: "email" as const, purpose: "reminder" as const, ballotIds: [ballotId] };
      const send = await queueSend(national, { templateId: reminder, segmentId: segment.id });
      const versions = (
        await open.db
          .selectFrom("comms_sends")
          .select("versions")
          .where("id", "=", send.id)
          .executeTakeFirstOrThrow()
      ).versions;
      await writeWindow(open.db, {
        sendId: send.id,
        grant: { unionId: f.unionId, rows: { kind: "all" }, view: "personal" },
        audience: {
          definition: { memberStatuses: ["active"], ballot: { id: ballotId, turnout: "any" } },
          ballotIds: [ballotId],
        },
        rule,
        versions: { en: (versions as { en: number }).en, cy: null },
        after: 0,
        upTo: 1_000_000,
      });
      const pending = await open.db
        .selectFrom("comms_messages")
        .select(["member_id", "state"])
        .where("send_id", "=", send.id)
        .where("member_id", "=", voter)
        .executeTakeFirstOrThrow();
      assert.equal(pending.state, "pending");
      await recordSelfReport(national, ballotId, {
        memberId: voter,
        kind: "voted",
        source: "rep_conversation",
      });
      await recordPosition(national, opposed, { opposedInPrinciple: true });
      const claimed = await claimBatch(open.db, { sendId: send.id, rule, now: during.now(), limit: 100 });
      assert.deepEqual(
        claimed.filter((c) => c.memberId === voter).map((c) => c.state),
        ["suppressed"],
      );
      await open.db
        .updateTable("comms_messages")
        .set({ state: "pending" })
        .where("send_id", "=", send.id)
        .where("state", "=", "sending")
        .execute();

      const before = sink.messages.length;
      await runWorker();
      const got = sink.messages.slice(before).map((m) => m.to[0]);
      assert.ok(!got.includes(address(voter)), "no reminder after reporting voting");
      assert.ok(
        (await getSend(national, send.id)).suppressed.some(
          (r) => r.reason === "reported_voting" && r.members === 1,
        ),
      );
      // The opposed member is entitled to vote: reminded, never persuaded.
      assert.ok(got.includes(address(opposed)));
      const p = await queueSend(national, { templateId: persuasion, segmentId: segment.id });
      const mark = sink.messages.length;
      await runWorker();
      assert.ok(!sink.messages.slice(mark).some((m) => m.to[0] === address(opposed)));
      assert.ok((await getSend(national, p.id)).suppressed.some((r) => r.reason === "opposed_in_principle"));
    });

    test("sends are refused without an approved English version, and to roles that may not send", async () => {
      const national = ctx(f.actors.national);
      const t = await createTemplate(national, { name: "Draft only", channel: "email", purpose: "campaign" });
      await addVersion(national, t.id, { language: "en", subject: "Hi", body: "Hello" });
      await assert.rejects(
        queueSend(national, { templateId: t.id, segmentId }),
        refused("comms.not_approved"),
      );
      await assert.rejects(
        queueSend(ctx(f.actors.rep), { templateId, segmentId }),
        refused("auth.forbidden"),
      );
      await assert.rejects(
        queueSend(ctx(f.actors.partnerNational), { templateId, segmentId }),
        refused("comms.not_found"),
      );
    });
  });
}
