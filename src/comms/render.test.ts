import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { AppError } from "../shared/errors.js";
import { classify, composeMime, fromHeader, isHardBounce } from "./email.transport.js";
import {
  domainOf,
  messageIdFor,
  returnPathFor,
  rowOfReturnPath,
  rowOfToken,
  unsubscribeToken,
} from "./links.js";
import { compileEmailHtml, compileVersion, renderMessage, SAMPLE_FIELDS, smsSegments } from "./render.js";

describe("rendering a message", () => {
  test("member fields are escaped in the HTML part and left as typed in the text part", async () => {
    const body = "Dear {{ member.forename }},\n\nSee you at {{ member.workplace }}.";
    const html = await compileEmailHtml(body, "campaign", "Hello");
    const c = compileVersion({
      channel: "email",
      purpose: "campaign",
      subject: "Hi {{ member.forename }}",
      body,
      html,
    });
    const out = renderMessage(c, {
      ...SAMPLE_FIELDS,
      member: { ...SAMPLE_FIELDS.member, forename: "<script>x</script>", workplace: "St James's & Co" },
    });
    assert.doesNotMatch(out.html!, /<script>/);
    assert.match(out.html!, /&lt;script&gt;x&lt;\/script&gt;/);
    assert.match(out.html!, /St James&#39;s &amp; Co/);
    assert.match(out.text, /Dear <script>x<\/script>,/);
    assert.equal(out.subject, "Hi <script>x</script>");
    // A campaign message says how to stop them; a statutory one does not offer it.
    assert.match(out.text, /To stop these messages: https:\/\/example\.invalid\/u\/sample/);
    const statutory = compileVersion({
      channel: "email",
      purpose: "statutory",
      subject: "Result",
      body,
      html: null,
    });
    assert.doesNotMatch(renderMessage(statutory, SAMPLE_FIELDS).text, /stop these messages/);
    // A Welsh version says so to the reader's software (screen readers, translation).
    assert.match(await compileEmailHtml(body, "campaign", "Helo", "cy"), /<html lang="cy"/);
  });

  test("a template cannot name a field that does not exist, nor read files", () => {
    for (const body of ["{{ member.date_of_birth }}", "{% include '/etc/passwd' %}", "{{ member.forename "]) {
      assert.throws(
        () =>
          renderMessage(
            compileVersion({ channel: "sms", purpose: "service", subject: null, body, html: null }),
            SAMPLE_FIELDS,
          ),
        (e: unknown) => e instanceof AppError && e.code === "comms.template_invalid",
        body,
      );
    }
  });

  test("an SMS is counted in the segments it is billed as", () => {
    assert.deepEqual(smsSegments("a".repeat(160)), { encoding: "GSM-7", characters: 160, segments: 1 });
    assert.equal(smsSegments("a".repeat(161)).segments, 2);
    // Welsh letters outside GSM-7 make the whole message UCS-2: 70 characters a segment.
    const welsh = smsSegments(`Pleidleisiwch heddiw, ŵyr ${"a".repeat(60)}`);
    assert.equal(welsh.encoding, "UCS-2");
    assert.equal(welsh.segments, 2);
  });
});

describe("names a message carries", () => {
  const secret = Buffer.alloc(32, 7);
  test("an unsubscribe token names its ledger row and cannot be forged or moved to another row", () => {
    const token = unsubscribeToken(secret, "12345");
    assert.equal(rowOfToken(secret, token), "12345");
    assert.equal(rowOfToken(secret, token.replace("12345", "12346")), null);
    assert.equal(rowOfToken(Buffer.alloc(32, 8), token), null);
    assert.equal(rowOfToken(secret, "nonsense"), null);
  });
  test("the return path names the row a bounce is for", () => {
    const rp = returnPathFor(secret, "99", "hpsu.example");
    assert.match(rp, /^bounces\+99-[\w-]{10}@hpsu\.example$/);
    assert.equal(rowOfReturnPath(secret, rp), "99");
    assert.equal(rowOfReturnPath(secret, rp.replace("+99-", "+98-")), null);
  });
  test("a repeat of a row has the same Message-ID; the domain comes from the From address", () => {
    assert.equal(messageIdFor("7", 3, "hpsu.example"), messageIdFor("7", 3, "hpsu.example"));
    assert.equal(domainOf("HPSU Ballots <ballots@HPSU.example>"), "hpsu.example");
  });
});

describe("what the server answered", () => {
  test("4xx and dropped connections may pass later; 5xx do not; an unknown mailbox is a hard bounce", () => {
    assert.equal(classify({ responseCode: 421, response: "421 4.7.0 Try again later" }).kind, "temporary");
    assert.equal(classify({ responseCode: 454, response: "454 Throttling failure" }).kind, "temporary");
    assert.equal(classify({ code: "ECONNECTION", message: "connect ECONNREFUSED" }).kind, "temporary");
    const bounce = classify({ responseCode: 550, response: "550 5.1.1 <someone@x.example>: user unknown" });
    assert.deepEqual(
      { kind: bounce.kind, hard: bounce.kind === "permanent" && bounce.hardBounce },
      { kind: "permanent", hard: true },
    );
    // The address the server quotes back is never kept.
    assert.doesNotMatch(bounce.response, /someone/);
    assert.equal(isHardBounce(550, "550 5.7.1 Message rejected as spam"), false);
  });
});

describe("the message on the wire", () => {
  test("headers are encoded where they must be, parts are base64 and decode to the text", () => {
    const raw = composeMime(
      {
        messageId: "7.3.mandate@hpsu.example",
        from: "x",
        returnPath: "bounces+7-abc@hpsu.example",
        to: "sam@mail.example",
        subject: "Pleidleisiwch heddiw, ŵyr\r\nBcc: evil@x.example",
        html: "<p>Helô</p>",
        text: "Helô",
        headers: { "List-Unsubscribe": "<https://x.example/u/1>" },
        date: new Date("2026-12-07T10:00:00Z"),
      },
      fromHeader("Undeb Cymru <ballots@hpsu.example>").header,
      new Date("2026-12-07T10:00:00Z"),
    ).toString("utf8");
    const [head, ...body] = raw.split("\r\n\r\n");
    assert.match(head!, /^From: "Undeb Cymru" <ballots@hpsu\.example>\r\n/);
    assert.match(
      head!,
      /\r\nSubject: Pleidleisiwch heddiw, =\?UTF-8\?Q\?=C5=B5yr\?= Bcc: evil@x\.example\r\n/,
    );
    // A line break in a value cannot start a header of its own.
    assert.doesNotMatch(head!, /\r\nBcc:/);
    assert.match(head!, /\r\nDate: Mon, 07 Dec 2026 10:00:00 \+0000\r\n/);
    assert.match(head!, /\r\nMessage-ID: <7\.3\.mandate@hpsu\.example>\r\n/);
    const parts = body.join("\r\n\r\n");
    const b64 = [...parts.matchAll(/base64\r\n\r\n([A-Za-z0-9+/=\r\n]+?)\r\n--/g)].map((m) =>
      Buffer.from(m[1]!.replace(/\r\n/g, ""), "base64").toString("utf8"),
    );
    assert.deepEqual(b64, ["Helô", "<p>Helô</p>"]);
  });
});
