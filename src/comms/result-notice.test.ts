/**
 * The statutory result notice (s.231): every member entitled to vote is told their own constituency's
 * result by their first channel (email, else SMS, else letter) through the send ledger, whatever their
 * consent or campaign unsubscribes, but not once they have left; a later round tells those not yet
 * told (a bounced email goes by letter then) and no one twice.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { as, buildTestApp, signIn } from "../../test/helpers/app.js";
import { backends, createTestDb } from "../../test/helpers/db.js";
import { CLOCK, createDisputeBallots, type Fixture, seedFixture } from "../../test/helpers/fixtures.js";
import { type SmtpSink, startSmtpSink } from "../../test/helpers/smtp-sink.js";
import type { Actor } from "../auth/index.js";
import { recordResult } from "../ballots/index.js";
import type { Ctx } from "../context.js";
import type { OpenDatabase } from "../db/connect.js";
import { jobHandlers } from "../job-handlers.js";
import { Worker } from "../jobs/index.js";
import { fixedClock } from "../shared/clock.js";
import { AppError } from "../shared/errors.js";
import { smtpTransport } from "./email.transport.js";
import { insertSuppression } from "./ledger.store.js";
import { compileVersion, renderMessage, SAMPLE_FIELDS, smsSegments } from "./render.js";
import { type RecordedResult, resultFields, resultNoticeWording, SAMPLE_RESULT } from "./result-notice.js";
import { resultNoticeStatus, sendResultNotice } from "./result-notice.service.js";
import type { CommsOptions } from "./send.job.js";
import type { OutgoingSms } from "./sms.transport.js";

const refused = (code: string) => (e: unknown) => e instanceof AppError && e.code === code;
const AFTER_CLOSE = fixedClock("2027-01-05T10:00:00Z");

describe("the result notice's wording", () => {
  const base: RecordedResult = {
    ballotId: 1,
    ballotName: "Camden Town Hall",
    closingDate: "2027-01-04",
    entitled: 1500,
    votesCast: 600,
    questions: [{ question: "strike", yes: 400, no: 190, spoilt: 10 }],
    evaluation: {
      turnoutPercent: 40,
      mandate: false,
      mandateFor: [],
      tests: [{ name: "turnout", question: null, met: false }],
    },
  };

  test("every figure s.231 lists, in English and Welsh, and whether the thresholds were met", () => {
    const r = resultFields(base);
    assert.equal(r.entitled, "1,500");
    assert.equal(r.closing_date_cy, "4 Ionawr 2027");
    assert.deepEqual(r.questions, [
      { label_en: "Strike action", label_cy: "Streic", yes: "400", no: "190", spoilt: "10" },
    ]);
    assert.deepEqual(r.thresholds_en, [
      "Turnout threshold (at least 50% of those entitled to vote voted): not met",
    ]);
    assert.equal(r.outcome_en, "The ballot does not support industrial action.");
    // Spoilt papers not given are those neither Yes nor No.
    const derived = resultFields({ ...base, questions: [{ question: "strike", yes: 400, no: 190 }] });
    assert.equal(derived.questions[0]!.spoilt, "10");
    // Before 2017 (regime A) no threshold applies, and none is mentioned.
    assert.deepEqual(
      resultFields({ ...base, evaluation: { ...base.evaluation, tests: [] } }).thresholds_en,
      [],
    );
  });

  test("each channel's wording renders with a result, in both languages; a text stays within ten segments", () => {
    for (const channel of ["email", "sms", "letter"] as const) {
      for (const language of ["en", "cy"] as const) {
        const w = resultNoticeWording(channel, language);
        const out = renderMessage(
          compileVersion({ channel, purpose: "statutory", subject: w.subject, body: w.body, html: null }),
          { ...SAMPLE_FIELDS, result: SAMPLE_RESULT },
        );
        assert.match(out.text, /730/, `${channel} ${language}`);
        assert.match(out.text, language === "en" ? /Yes 600, No 125/ : /Ydw 600, Nac ydw 125/);
        assert.ok(!out.text.includes("unsubscribe"), "a statutory message has no unsubscribe link");
        if (channel === "sms") assert.ok(smsSegments(out.text).segments <= 10, `${language} SMS too long`);
        if (channel === "email")
          assert.equal(
            out.subject,
            language === "en" ? "Ballot result: Example Hospital" : "Canlyniad y bleidlais: Example Hospital",
          );
      }
    }
  });
});

for (const { backend, skip } of await backends()) {
  describe(`the result notice to members on ${backend}`, { skip }, () => {
    let open: OpenDatabase;
    let f: Fixture;
    let sink: SmtpSink;
    let options: CommsOptions;
    const texts: OutgoingSms[] = [];
    const ctx = (actor: Actor): Ctx => ({ db: open.db, actor, clock: AFTER_CLOSE });
    let stJames = 0;
    let camden = 0;

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
        concurrency: 2,
        emailPerSecond: 10_000,
        sms: {
          transport: () => ({
            provider: "fake",
            send: async (m) => {
              texts.push(m);
              return { kind: "accepted", response: `SM${texts.length}` };
            },
            close: () => undefined,
          }),
          authToken: "token",
          perSecond: 10_000,
        },
      };
      const set = (id: number, values: Record<string, unknown>) =>
        open.db.updateTable("members").set(values).where("id", "=", id).execute();
      const [ahmed, brown] = f.members.stJames;
      const [evans, fraser] = f.members.camden;
      // Ahmed: email, no consent, Welsh. Brown: a mobile only. O'Connor: no address (and leaves).
      await set(ahmed!, { email: "ahmed@mail.example", consent_email: false, language: "cy" });
      await set(brown!, { mobile: "07700 900102" });
      // Evans unsubscribed from campaign email; Fraser's email bounces (a letter then: a home address).
      await set(evans!, { email: "evans@mail.example", consent_email: true });
      await set(fraser!, { email: "gone@mail.example", in_arrears: false });
      const { ballots } = await createDisputeBallots(
        { db: open.db, actor: f.actors.national, clock: CLOCK },
        f,
        {
          ballots: [
            {
              key: "stJames",
              name: "St James's",
              employerId: f.employers.leedsTrust,
              workplaceId: f.workplaces.stJames,
            },
            {
              key: "camden",
              name: "Camden Town Hall",
              employerId: f.employers.camden,
              workplaceId: f.workplaces.camdenHall,
            },
          ],
          freeze: ["stJames", "camden"],
        },
      );
      stJames = ballots.stJames!;
      camden = ballots.camden!;
      await insertSuppression(open.db, {
        unionId: f.unionId,
        memberId: evans!,
        channel: "email",
        reason: "unsubscribed",
        address: null,
        messageId: null,
        createdBy: null,
        now: CLOCK.now(),
      });
      await set(f.members.stJames[2]!, { status: "left" });
    });
    after(async () => {
      await sink?.close();
      await open?.close();
    });

    const runJobs = async () => {
      const worker = new Worker({
        db: open.db,
        clock: AFTER_CLOSE,
        handlers: jobHandlers({ uploadDir: "/nonexistent", comms: options }),
      });
      while (await worker.runOnce()) {
        // every queued send, one job at a time
      }
    };
    /** The headers and the plain-text part, decoded (the sink keeps the message as sent). */
    const decoded = (raw: string) => {
      const head = raw.slice(0, raw.indexOf("\r\n\r\n"));
      const part =
        /Content-Type: text\/plain[^\r]*\r\nContent-Transfer-Encoding: base64\r\n\r\n([A-Za-z0-9+/=\r\n]+)/.exec(
          raw,
        );
      return `${head}\n${part ? Buffer.from(part[1]!.replace(/\s/g, ""), "base64").toString("utf8") : ""}`;
    };

    test("nothing to tell before a result is recorded; only national officers send it", async () => {
      await assert.rejects(
        sendResultNotice(ctx(f.actors.national), stJames, { comms: options }),
        refused("comms.no_result"),
      );
      await assert.rejects(sendResultNotice(ctx(f.actors.regional), stJames), refused("auth.forbidden"));
      await assert.rejects(sendResultNotice(ctx(f.actors.rep), stJames), refused("auth.forbidden"));
      const before = await resultNoticeStatus(ctx(f.actors.national), stJames);
      assert.equal(before.resultRecorded, false);
      assert.equal(before.entitled, 3);
      assert.equal(before.told.total, 0);
    });

    test("each member is told their own constituency's figures by their first channel", async () => {
      await open.db
        .updateTable("ballots")
        .set({ state: "closed" })
        .where("id", "in", [stJames, camden])
        .execute();
      const national = ctx(f.actors.national);
      await recordResult(national, stJames, {
        votesCast: 3,
        questions: [{ question: "strike", yes: 3, no: 0 }],
        declaredOn: "2027-01-05",
      });

      const queued = await sendResultNotice(national, stJames, { comms: options });
      assert.equal(queued.rounds.length, 1);
      assert.deepEqual(
        queued.rounds[0]!.sends.map((s) => s.channel),
        ["email", "sms", "letter"],
      );
      assert.equal(queued.rounds[0]!.constituencies, 1);
      // A second round waits for the first to finish: no member is sent it twice at once.
      await assert.rejects(
        sendResultNotice(national, stJames, { comms: options }),
        refused("comms.notice_in_progress"),
      );
      await runJobs();

      // Ahmed (no consent for campaigns, Welsh) is told, in Welsh, with no unsubscribe link.
      const to = (address: string) => sink.messages.filter((m) => m.to.includes(address));
      assert.equal(to("ahmed@mail.example").length, 1);
      const ahmed = decoded(to("ahmed@mail.example")[0]!.raw);
      assert.ok(ahmed.includes("Subject: Canlyniad y bleidlais: St James's"), "Welsh subject");
      assert.ok(ahmed.includes("Ydw 3, Nac ydw 0"), "Welsh figures");
      assert.ok(!/List-Unsubscribe/i.test(ahmed), "no unsubscribe header on a statutory message");
      // Brown has only a mobile: told by text with St James's figures.
      assert.equal(texts.length, 1);
      assert.match(texts[0]!.body, /St James's.*Yes 3, No 0/);
      // Camden's result is not recorded yet: no one there is told anything.
      assert.equal(to("evans@mail.example").length, 0);

      const sj = await resultNoticeStatus(national, stJames);
      assert.equal(sj.resultRecorded, true);
      assert.deepEqual(sj.told, { email: 1, sms: 1, letter: 0, total: 2 });
      assert.equal(sj.notYetTold, 1);
      assert.deepEqual(
        sj.notTold.map((n) => [n.reason, n.members]),
        [["left", 1]],
      );
      assert.ok(sj.firstToldAt);
      const cam = await resultNoticeStatus(national, camden);
      assert.equal(cam.resultRecorded, false);
      assert.equal(cam.told.total, 0);
    });

    test("a later round tells a constituency declared since, by each member's next channel, and no one twice", async () => {
      const national = ctx(f.actors.national);
      await recordResult(national, camden, {
        votesCast: 2,
        questions: [{ question: "strike", yes: 0, no: 2 }],
        declaredOn: "2027-01-05",
      });
      const emails = sink.messages.length;
      const after = await sendResultNotice(national, camden, { comms: options });
      assert.equal(after.rounds.length, 2);
      await runJobs();
      // Only Evans's email: St James's members were told; Fraser's address bounced (refused, not kept).
      assert.equal(sink.messages.length, emails + 1);
      assert.equal(texts.length, 1);
      // Evans, unsubscribed from campaign email, is told: Camden's own figures.
      const evans = decoded(sink.messages.find((m) => m.to.includes("evans@mail.example"))!.raw);
      assert.ok(evans.includes("Subject: Ballot result: Camden Town Hall"), "Camden's subject");
      assert.ok(evans.includes("Yes 0, No 2"), "Camden's figures");
      assert.ok(evans.includes("does not support industrial action"));
      // The letters' send ran after the email bounced: Fraser, no longer reached by email, got a letter.
      const cam = await resultNoticeStatus(national, camden);
      assert.deepEqual(cam.told, { email: 1, sms: 0, letter: 1, total: 2 });
      assert.equal(cam.notYetTold, 0);
      const batches = await open.db.selectFrom("comms_print_batches").select(["letters"]).execute();
      assert.deepEqual(
        batches.map((b) => b.letters),
        [1],
      );
      // The ledger is the record per member: when, and by which channel; each told once.
      const rows = await open.db
        .selectFrom("comms_messages as c")
        .innerJoin("result_notice_sends as r", "r.send_id", "c.send_id")
        .select(["c.member_id", "c.channel", "c.sent_at"])
        .where("c.state", "=", "sent")
        .execute();
      assert.equal(rows.length, 4);
      assert.equal(new Set(rows.map((r) => r.member_id)).size, 4);
      assert.ok(rows.every((r) => r.sent_at !== null));
      // A third round finds no one left to tell but the member who has left.
      await sendResultNotice(national, camden, { comms: options });
      await runJobs();
      assert.equal(sink.messages.length, emails + 1);
      assert.equal((await resultNoticeStatus(national, stJames)).told.total, 2);
    });

    test("over HTTP: counts in the reader's reach; a constituency outside it does not exist", async () => {
      const app = await buildTestApp(open, null, AFTER_CLOSE);
      try {
        const rep = await signIn(app, f.users.rep.email);
        const mine = await as(app, rep, { url: `/api/ballots/${stJames}/result-notice` });
        assert.equal(mine.statusCode, 200, mine.body);
        assert.equal(mine.json().told.total, 2);
        assert.equal((await as(app, rep, { url: `/api/ballots/${camden}/result-notice` })).statusCode, 404);
        const regional = await signIn(app, f.users.regional.email);
        const yorkshire = await as(app, regional, { url: `/api/ballots/${stJames}/result-notice` });
        assert.equal(yorkshire.statusCode, 200, yorkshire.body);
        assert.equal(yorkshire.json().told.total, 2);
        assert.equal(
          (await as(app, regional, { url: `/api/ballots/${camden}/result-notice` })).statusCode,
          404,
        );
        const refusedSend = await as(app, regional, {
          method: "POST",
          url: `/api/ballots/${stJames}/result-notice`,
        });
        assert.equal(refusedSend.statusCode, 403);
        // The record per member: national officers only, formulas neutralised, audited as an export.
        assert.equal(
          (await as(app, regional, { url: `/api/ballots/${stJames}/result-notice/members.csv` })).statusCode,
          403,
        );
        const national = await signIn(app, f.users.national.email);
        const record = await as(app, national, { url: `/api/ballots/${stJames}/result-notice/members.csv` });
        assert.equal(record.statusCode, 200, record.body);
        const lines = record.body
          .replace(/^\uFEFF/, "")
          .trim()
          .split(/\r?\n/);
        assert.equal(lines[0], "membership_number,surname,forenames,status,channel,told_at");
        assert.equal(lines.length, 4);
        assert.ok(lines.some((l) => l.includes("Ahmed") && l.includes(",told,email,")));
        assert.ok(lines.some((l) => l.includes("Brown") && l.includes(",told,sms,")));
        assert.ok(
          lines.some((l) => l.includes("O'Connor") && l.includes("not told: left the union or deceased")),
        );
        const exported = await open.db
          .selectFrom("audit_log")
          .select("details")
          .where("event", "=", "export.started")
          .execute();
        assert.ok(exported.some((e) => (e.details as { kind: string }).kind === "result_notice_members"));
        const observer = await signIn(app, f.users.observer.email);
        const seen = await as(app, observer, { url: `/api/ballots/${stJames}/result-notice` });
        assert.equal(seen.statusCode, 200);
        assert.ok(!seen.body.includes("Ahmed"));
      } finally {
        await app.close();
      }
    });
  });
}
