import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createTestCli, type TestCli } from "../../test/helpers/cli.js";
import { CLOCK, type Fixture, seedFixture } from "../../test/helpers/fixtures.js";
import { type SmtpSink, startSmtpSink } from "../../test/helpers/smtp-sink.js";
import { addVersion, approveTemplateVersion, createTemplate, saveSegment } from "../comms/index.js";
import type { Ctx } from "../context.js";

/** `mandate comms send`, run in-process against a local SMTP server. */
describe("mandate comms send", () => {
  let cli: TestCli;
  let f: Fixture;
  let sink: SmtpSink;

  before(async () => {
    cli = await createTestCli();
    f = await seedFixture(cli.open.db);
    sink = await startSmtpSink();
    const ctx: Ctx = { db: cli.open.db, actor: f.actors.national, clock: CLOCK };
    for (const id of [...f.members.stJames, ...f.members.camden]) {
      await cli.open.db
        .updateTable("members")
        .set({ email: `m${id}@mail.example`, consent_email: true })
        .where("id", "=", id)
        .execute();
    }
    const t = await createTemplate(ctx, { name: "Vote yes", channel: "email", purpose: "campaign" });
    await approveTemplateVersion(
      ctx,
      (await addVersion(ctx, t.id, { language: "en", subject: "Vote", body: "Hello" })).id,
    );
    await saveSegment(ctx, {
      name: "Leeds",
      definition: { memberStatuses: ["active"], employerIds: [f.employers.leedsTrust] },
    });
  });
  after(async () => {
    await sink?.close();
    await cli?.close();
  });

  const withSmtp = () => ({ ...cli.config, smtpUrl: sink.url, mailFrom: "HPSU <ballots@hpsu.example>" });

  test("sends to the segment and reports what the ledger holds, as JSON", async () => {
    const run = await cli.runWith(
      { config: withSmtp },
      "--json",
      "comms",
      "send",
      "--segment",
      "Leeds",
      "--template",
      "Vote yes",
    );
    assert.equal(run.code, 0, run.stderr);
    const out = JSON.parse(run.stdout);
    assert.equal(out.sent, f.members.stJames.length);
    assert.equal(out.failed, 0);
    assert.equal(sink.messages.length, f.members.stJames.length);
  });

  test("a wrong channel, unknown names and no SMTP server are refused before anything is queued", async () => {
    const wrong = await cli.runWith(
      { config: withSmtp },
      "comms",
      "send",
      "--segment",
      "Leeds",
      "--template",
      "Vote yes",
      "--channel",
      "sms",
    );
    assert.equal(wrong.code, 2);
    assert.match(wrong.stderr, /is for email, not sms/);
    const unknown = await cli.runWith(
      { config: withSmtp },
      "comms",
      "send",
      "--segment",
      "Nowhere",
      "--template",
      "Vote yes",
    );
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /No segment named "Nowhere"/);
    const none = await cli.run("comms", "send", "--segment", "Leeds", "--template", "Vote yes");
    assert.equal(none.code, 1);
    assert.match(none.stderr, /MANDATE_SMTP_URL/);
    const sends = await cli.open.db.selectFrom("comms_sends").select("id").execute();
    assert.equal(sends.length, 1);
  });

  test("--fallback sends a letter to a member the email cannot reach", async () => {
    const ctx: Ctx = { db: cli.open.db, actor: f.actors.national, clock: CLOCK };
    const t = await createTemplate(ctx, {
      name: "Vote yes (letter)",
      channel: "letter",
      purpose: "campaign",
    });
    await approveTemplateVersion(ctx, (await addVersion(ctx, t.id, { language: "en", body: "Hello" })).id);
    await cli.open.db
      .updateTable("members")
      .set({ email: null })
      .where("id", "=", f.members.stJames[1]!)
      .execute();
    const run = await cli.runWith(
      { config: withSmtp },
      "--json",
      "comms",
      "send",
      "--segment",
      "Leeds",
      "--template",
      "Vote yes",
      "--fallback",
      "Vote yes (letter)",
    );
    assert.equal(run.code, 0, run.stderr);
    const out = JSON.parse(run.stdout);
    // Two emails, and a letter for the member without one (counted as not sent by email).
    assert.equal(out.sent, f.members.stJames.length);
    assert.equal(out.suppressed, 1);
  });
});
