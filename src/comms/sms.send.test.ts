import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import { backends, createTestDb } from "../../test/helpers/db.js";
import { CLOCK, type Fixture, seedFixture } from "../../test/helpers/fixtures.js";
import type { Actor } from "../auth/index.js";
import type { Ctx } from "../context.js";
import type { OpenDatabase } from "../db/connect.js";
import { buildApp } from "../http/app.js";
import type { App } from "../http/types.js";
import { jobHandlers } from "../job-handlers.js";
import { getJob, Worker } from "../jobs/index.js";
import {
  addVersion,
  approveTemplateVersion,
  countSegment,
  createTemplate,
  getSend,
  queueSend,
  saveSegment,
} from "./comms.service.js";
import type { CommsOptions } from "./send.job.js";
import { e164, parseSmsUrl, twilioSignature, twilioTransport } from "./sms.transport.js";

const SID = "AC0123456789abcdef0123456789abcdef";
const TOKEN = "twilio-auth-token";
const PUBLIC = "https://mandate.hpsu.example";

interface Recorded {
  path: string;
  authorization: string | undefined;
  form: Record<string, string>;
}

/** A fake of Twilio's Messages API: records each request and answers as Twilio documents. */
async function startFakeTwilio(answer: (to: string) => { status: number; body: object }) {
  const requests: Recorded[] = [];
  let n = 0;
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => {
      body += c;
    });
    req.on("end", () => {
      const form = Object.fromEntries(new URLSearchParams(body));
      requests.push({ path: req.url ?? "", authorization: req.headers.authorization, form });
      const a = answer(form.To ?? "");
      const json =
        a.status === 201
          ? { sid: `SM${String(++n).padStart(32, "0")}`, status: "queued", to: form.To, ...a.body }
          : { status: a.status, ...a.body };
      res.writeHead(a.status, { "content-type": "application/json" });
      res.end(JSON.stringify(json));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${SID}:${TOKEN}@127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

const byNumber = (to: string) => {
  if (to === "+447700900999")
    return {
      status: 400,
      body: { code: 21211, message: `The 'To' number ${to} is not a valid phone number.` },
    };
  if (to === "+447700900998")
    return { status: 400, body: { code: 21610, message: "Attempt to send to unsubscribed recipient" } };
  if (to === "+447700900997") return { status: 429, body: { code: 20429, message: "Too Many Requests" } };
  if (to === "+447700900996") return { status: 503, body: { message: "Service unavailable" } };
  return { status: 201, body: {} };
};

describe("the Twilio adapter", () => {
  let fake: Awaited<ReturnType<typeof startFakeTwilio>>;
  before(async () => {
    fake = await startFakeTwilio(byNumber);
  });
  after(() => fake?.close());

  test("numbers go out in E.164, UK numbers written nationally included", () => {
    assert.equal(e164("07700 900123"), "+447700900123");
    assert.equal(e164("+44 (0)7700 900123".replace("(0)", "")), "+447700900123");
    assert.equal(e164("12"), null);
  });

  test("a message is a form POST to the account's Messages resource with Basic auth; answers are classified", async () => {
    const t = twilioTransport(parseSmsUrl(fake.url), "07700 900000");
    const ok = await t.send({ to: "07700 900123", body: "Vote", statusCallback: `${PUBLIC}/cb?message=7` });
    assert.equal(ok.kind, "accepted");
    const r = fake.requests.at(-1)!;
    assert.equal(r.path, `/2010-04-01/Accounts/${SID}/Messages.json`);
    assert.equal(r.authorization, `Basic ${Buffer.from(`${SID}:${TOKEN}`).toString("base64")}`);
    assert.deepEqual(r.form, {
      To: "+447700900123",
      From: "+447700900000",
      Body: "Vote",
      StatusCallback: `${PUBLIC}/cb?message=7`,
    });
    const invalid = await t.send({ to: "+447700900999", body: "x", statusCallback: null });
    assert.deepEqual(
      [invalid.kind, invalid.kind === "permanent" && invalid.suppress],
      ["permanent", "invalid_number"],
    );
    // The number Twilio quotes back is not kept in the answer.
    assert.doesNotMatch(invalid.kind === "permanent" ? invalid.response : "", /900999/);
    const stopped = await t.send({ to: "+447700900998", body: "x", statusCallback: null });
    assert.equal(stopped.kind === "permanent" && stopped.suppress, "stop");
    assert.equal((await t.send({ to: "+447700900997", body: "x", statusCallback: null })).kind, "temporary");
    assert.equal((await t.send({ to: "+447700900996", body: "x", statusCallback: null })).kind, "temporary");
    const before = fake.requests.length;
    // Not a number at all: refused without asking the provider.
    const local = await t.send({ to: "12", body: "x", statusCallback: null });
    assert.equal(local.kind === "permanent" && local.suppress, "invalid_number");
    assert.equal(fake.requests.length, before);
    // A Messaging Service SID goes as MessagingServiceSid; nobody listening is a temporary failure.
    const mg = twilioTransport(parseSmsUrl(fake.url), `MG${"a".repeat(32)}`);
    await mg.send({ to: "07700 900123", body: "x", statusCallback: null });
    assert.equal(fake.requests.at(-1)!.form.MessagingServiceSid, `MG${"a".repeat(32)}`);
    const gone = twilioTransport(parseSmsUrl(`http://${SID}:${TOKEN}@127.0.0.1:1`), "+447700900000");
    assert.equal(
      (await gone.send({ to: "07700 900123", body: "x", statusCallback: null })).kind,
      "temporary",
    );
  });

  test("the signature is Twilio's documented example", () => {
    // Twilio's signature-validation snippet (TwilioDevEd/api-snippets, security/signature_validation).
    const params = {
      CallSid: "CA1234567890ABCDE",
      Caller: "+14158675310",
      Digits: "1234",
      From: "+14158675310",
      To: "+18005551212",
    };
    assert.equal(
      twilioSignature("12345", "https://mycompany.com/myapp.php?foo=1&bar=2", params),
      "GvWf1cFY/Q7PnoempGyD5oXAezc=",
    );
  });
});

for (const { backend, skip } of await backends()) {
  describe(`sending SMS on ${backend}`, { skip }, () => {
    let open: OpenDatabase;
    let f: Fixture;
    let fake: Awaited<ReturnType<typeof startFakeTwilio>>;
    let options: CommsOptions;
    let app: App;
    const ctx = (actor: Actor): Ctx => ({ db: open.db, actor, clock: CLOCK });
    let templateId = 0;
    let segmentId = 0;

    before(async () => {
      open = await createTestDb(backend);
      f = await seedFixture(open.db);
      fake = await startFakeTwilio(byNumber);
      options = {
        from: "HPSU <ballots@hpsu.example>",
        publicUrl: PUBLIC,
        emailTransport: null,
        concurrency: 4,
        emailPerSecond: 10_000,
        sms: {
          transport: () => twilioTransport(parseSmsUrl(fake.url), "+447700900000"),
          authToken: TOKEN,
          perSecond: 10_000,
        },
      };
      const mobiles: [number, string | null, boolean][] = [
        [f.members.stJames[0]!, "+447700900101", true],
        [f.members.stJames[1]!, "+447700900102", false],
        [f.members.stJames[2]!, "+447700900103", true],
        [f.members.camden[0]!, "+447700900104", true],
        [f.members.camden[1]!, "+447700900999", true],
        [f.members.bradford[0]!, "07700 900106", true],
      ];
      for (const [id, mobile, consent] of mobiles) {
        await open.db
          .updateTable("members")
          .set({ mobile, consent_sms: consent })
          .where("id", "=", id)
          .execute();
      }
      app = await buildApp({
        db: open.db,
        clock: CLOCK,
        secureCookies: false,
        webDir: null,
        logLevel: "silent",
        worker: false,
        comms: options,
      });
      const national = ctx(f.actors.national);
      const t = await createTemplate(national, { name: "Text to vote", channel: "sms", purpose: "campaign" });
      templateId = t.id;
      const v = await addVersion(national, t.id, {
        language: "en",
        body: "{{ member.forename }}, your ballot closes soon: vote.",
      });
      await approveTemplateVersion(national, v.id);
      segmentId = (await saveSegment(national, { name: "All active", definition: {} })).id;
    });
    after(async () => {
      await app?.close();
      await fake?.close();
      await open?.close();
    });

    const runWorker = async (comms: CommsOptions = options) => {
      const worker = new Worker({
        db: open.db,
        clock: CLOCK,
        handlers: jobHandlers({ uploadDir: "/nonexistent", comms }),
      });
      assert.equal(await worker.runOnce(), true);
    };
    const signed = (path: string, params: Record<string, string>, token = TOKEN) => ({
      method: "POST" as const,
      url: path,
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        "x-twilio-signature": twilioSignature(token, `${PUBLIC}${path}`, params),
      },
      payload: new URLSearchParams(params).toString(),
    });
    const rowOf = async (sendId: number, memberId: number) =>
      open.db
        .selectFrom("comms_messages")
        .select([(eb) => eb.cast<string>("id", "text").as("id"), "state", "response", "reason"])
        .where("send_id", "=", sendId)
        .where("member_id", "=", memberId)
        .executeTakeFirstOrThrow();

    test("without a provider configured the send is queued and its job refuses it", async () => {
      const send = await queueSend(ctx(f.actors.national), { templateId, segmentId });
      await runWorker({ ...options, sms: null });
      const job = await getJob(ctx(f.actors.national), send.jobId!);
      assert.equal(job.state, "failed");
      assert.equal(job.errorCode, "comms.channel_unavailable");
      assert.equal(fake.requests.length, 0);
    });

    let firstSend = 0;
    test("a send reaches members with a mobile and SMS consent, once each, with the row in the callback; an invalid number is suppressed", async () => {
      const send = await queueSend(ctx(f.actors.national), { templateId, segmentId });
      firstSend = send.id;
      await runWorker();
      const job = await getJob(ctx(f.actors.national), send.jobId!);
      assert.equal(job.state, "succeeded", job.errorMessage ?? "");
      const s = await getSend(ctx(f.actors.national), send.id);
      assert.deepEqual(s.messages, { pending: 0, sending: 0, sent: 4, failed: 1, suppressed: 2 });
      assert.deepEqual(Object.fromEntries(s.suppressed.map((r) => [r.reason, r.members])), {
        no_consent: 1,
        no_address: 1,
      });
      const to = fake.requests.map((r) => r.form.To).sort();
      assert.deepEqual(to, [
        "+447700900101",
        "+447700900103",
        "+447700900104",
        "+447700900106",
        "+447700900999",
      ]);
      const alex = fake.requests.find((r) => r.form.To === "+447700900101")!;
      assert.equal(alex.form.From, "+447700900000");
      const row = await rowOf(send.id, f.members.stJames[0]!);
      assert.equal(alex.form.StatusCallback, `${PUBLIC}/api/comms/sms/status?message=${row.id}`);
      assert.match(
        alex.form.Body!,
        /^Alex, your ballot closes soon: vote\.\nStop: https:\/\/mandate\.hpsu\.example\/api\/comms\/unsubscribe\/\d+\.[\w-]{22}$/,
      );
      assert.equal(row.state, "sent");
      const invalid = await rowOf(send.id, f.members.camden[1]!);
      assert.deepEqual([invalid.state, invalid.response], ["failed", "21211 invalid_number"]);
      const suppressions = await open.db
        .selectFrom("comms_suppressions")
        .select(["member_id", "channel", "reason", "address"])
        .execute();
      assert.deepEqual(suppressions, [
        {
          member_id: f.members.camden[1]!,
          channel: "sms",
          reason: "invalid_number",
          address: "+447700900999",
        },
      ]);
    });

    test("delivery reports are taken only with Twilio's signature; undelivered to a dead number suppresses it", async () => {
      const delivered = await rowOf(firstSend, f.members.stJames[0]!);
      const path = `/api/comms/sms/status?message=${delivered.id}`;
      const params = { MessageSid: "SM1", MessageStatus: "delivered", AccountSid: SID, To: "+447700900101" };
      const forged = await app.inject(signed(path, params, "not-the-token"));
      assert.equal(forged.statusCode, 403);
      assert.equal(forged.json().error.code, "comms.signature_invalid");
      // The signature covers the URL: the same parameters for another row are refused.
      const other = await rowOf(firstSend, f.members.camden[0]!);
      const moved = signed(path, params);
      assert.equal(
        (await app.inject({ ...moved, url: `/api/comms/sms/status?message=${other.id}` })).statusCode,
        403,
      );
      assert.equal(
        (await app.inject({ ...moved, headers: { "content-type": moved.headers["content-type"] } }))
          .statusCode,
        403,
      );
      assert.equal((await rowOf(firstSend, f.members.stJames[0]!)).response?.startsWith("201"), true);

      const ok = await app.inject(signed(path, params));
      assert.equal(ok.statusCode, 204, ok.body);
      assert.equal((await rowOf(firstSend, f.members.stJames[0]!)).response, "delivered");

      const dead = `/api/comms/sms/status?message=${other.id}`;
      const res = await app.inject(
        signed(dead, {
          MessageSid: "SM2",
          MessageStatus: "undelivered",
          ErrorCode: "30005",
          AccountSid: SID,
        }),
      );
      assert.equal(res.statusCode, 204);
      const row = await rowOf(firstSend, f.members.camden[0]!);
      assert.deepEqual([row.state, row.response], ["failed", "undelivered 30005"]);
      const count = await countSegment(ctx(f.actors.national), segmentId, "sms", "campaign");
      assert.equal(Object.fromEntries(count.suppressed.map((r) => [r.reason, r.members])).invalid_number, 2);
    });

    test("STOP from a member's phone suppresses the next send; START lifts it; the number is never audited", async () => {
      const stop = await app.inject(
        signed("/api/comms/sms/inbound", {
          From: "+447700900101",
          To: "+447700900000",
          Body: " stop ",
          AccountSid: SID,
        }),
      );
      assert.equal(stop.statusCode, 200, stop.body);
      assert.match(stop.body, /<Response><\/Response>/);
      const forged = await app.inject(
        signed("/api/comms/sms/inbound", { From: "+447700900103", Body: "STOP" }, "wrong"),
      );
      assert.equal(forged.statusCode, 403);
      // A national form of the number is the same number.
      await app.inject(signed("/api/comms/sms/inbound", { From: "+447700900106", Body: "Unsubscribe" }));
      const count = await countSegment(ctx(f.actors.national), segmentId, "sms", "campaign");
      assert.equal(Object.fromEntries(count.suppressed.map((r) => [r.reason, r.members])).stop, 2);

      const mark = fake.requests.length;
      const send = await queueSend(ctx(f.actors.national), { templateId, segmentId });
      await runWorker();
      const to = fake.requests
        .slice(mark)
        .map((r) => r.form.To)
        .sort();
      assert.deepEqual(to, ["+447700900103"]);
      const s = await getSend(ctx(f.actors.national), send.id);
      assert.equal(s.suppressed.find((r) => r.reason === "stop")?.members, 2);

      const start = await app.inject(
        signed("/api/comms/sms/inbound", { From: "+447700900101", Body: "START" }),
      );
      assert.equal(start.statusCode, 200);
      const after = await countSegment(ctx(f.actors.national), segmentId, "sms", "campaign");
      assert.equal(Object.fromEntries(after.suppressed.map((r) => [r.reason, r.members])).stop, 1);

      const audit = await open.db
        .selectFrom("audit_log")
        .select(["event", "subject_id", "details"])
        .where("event", "in", ["comms.suppressed", "comms.suppression_lifted"])
        .orderBy("seq")
        .execute();
      assert.deepEqual(
        audit.map((a) => [a.event, Number(a.subject_id), (a.details as { reason: string }).reason]),
        [
          ["comms.suppressed", f.members.camden[1]!, "invalid_number"],
          ["comms.suppressed", f.members.camden[0]!, "invalid_number"],
          ["comms.suppressed", f.members.stJames[0]!, "stop"],
          ["comms.suppressed", f.members.bradford[0]!, "stop"],
          ["comms.suppression_lifted", f.members.stJames[0]!, "stop"],
        ],
      );
      assert.doesNotMatch(JSON.stringify(audit), /7700/);
    });

    test("callbacks are refused when no SMS provider is set up, and bodies are capped", async () => {
      const bare = await buildApp({
        db: open.db,
        clock: CLOCK,
        secureCookies: false,
        webDir: null,
        logLevel: "silent",
        worker: false,
      });
      try {
        const res = await bare.inject(
          signed("/api/comms/sms/inbound", { From: "+447700900101", Body: "STOP" }),
        );
        assert.equal(res.statusCode, 422);
      } finally {
        await bare.close();
      }
      const big = await app.inject(
        signed("/api/comms/sms/inbound", { From: "+447700900101", Body: "x".repeat(20_000) }),
      );
      assert.equal(big.statusCode, 413);
    });
  });
}
