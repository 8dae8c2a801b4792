import assert from "node:assert/strict";
import fs from "node:fs";
import { describe, test } from "node:test";
import { outcomeOf, parseContentType, parseDeliveryReport } from "./dsn.js";

/** Captured from Postfix 3.7 (Debian), as its bounce daemon sent them to a message's return path. */
const fixture = (name: string) =>
  fs.readFileSync(new URL(`../../test/fixtures/comms/${name}`, import.meta.url));

describe("delivery status notifications", () => {
  test("Postfix's notice of an unknown local user is a hard bounce that flags the address", () => {
    const report = parseDeliveryReport(fixture("postfix-dsn-unknown-user.eml"));
    assert.deepEqual(report, {
      kind: "delivery-status",
      recipients: [{ action: "failed", status: "5.1.1" }],
    });
    assert.deepEqual(outcomeOf(report), { outcome: "hard", status: "5.1.1", flagsAddress: true });
  });

  test("Postfix giving up on a host that did not answer (4.4.1) is a soft bounce: recorded, not flagged", () => {
    const report = parseDeliveryReport(fixture("postfix-dsn-expired-4xx.eml"));
    assert.deepEqual(report, {
      kind: "delivery-status",
      recipients: [{ action: "failed", status: "4.4.1" }],
    });
    assert.deepEqual(outcomeOf(report), { outcome: "soft", status: "4.4.1", failed: true });
  });

  test("a CRLF, base64 global report with a delay, and policy refusals that do not flag the address", () => {
    const status =
      "Reporting-MTA: dns; mx.example\r\n\r\nFinal-Recipient: utf-8; a@b.example\r\nAction: delayed\r\nStatus: 4.2.0 (mailbox busy)\r\n";
    const raw = [
      'Content-Type: multipart/report; report-type=delivery-status;\r\n boundary="b1"',
      "",
      "--b1",
      "Content-Type: text/plain",
      "",
      "Delayed.",
      "--b1",
      "Content-Type: message/global-delivery-status",
      "Content-Transfer-Encoding: base64",
      "",
      Buffer.from(status).toString("base64"),
      "--b1--",
      "",
    ].join("\r\n");
    assert.deepEqual(outcomeOf(parseDeliveryReport(raw)), {
      outcome: "soft",
      status: "4.2.0",
      failed: false,
    });
    const policy = raw.replace(
      Buffer.from(status).toString("base64"),
      Buffer.from(status.replace("delayed", "failed").replace("4.2.0", "5.7.1")).toString("base64"),
    );
    assert.deepEqual(outcomeOf(parseDeliveryReport(policy)), {
      outcome: "hard",
      status: "5.7.1",
      flagsAddress: false,
    });
  });

  test("a complaint (ARF), a delivery, a prose bounce and junk", () => {
    const arf =
      'Content-Type: multipart/report; report-type=feedback-report; boundary="x"\n\n--x\nContent-Type: text/plain\n\nspam\n--x\nContent-Type: message/feedback-report\n\nFeedback-Type: abuse\nUser-Agent: fbl/1\nVersion: 1\n--x--\n';
    assert.deepEqual(outcomeOf(parseDeliveryReport(arf)), { outcome: "complaint", feedbackType: "abuse" });
    const delivered =
      'Content-Type: multipart/report; boundary="y"\n\n--y\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; x\n\nFinal-Recipient: rfc822; a@b\nAction: delivered\nStatus: 2.0.0\n--y--\n';
    assert.deepEqual(outcomeOf(parseDeliveryReport(delivered)), { outcome: "delivered", status: "2.0.0" });
    assert.deepEqual(parseDeliveryReport("Subject: out of office\n\nBack Monday."), { kind: "none" });
    assert.deepEqual(outcomeOf(parseDeliveryReport("")), { outcome: "unknown" });
    // Nesting and part counts are bounded.
    const deep = `${'Content-Type: multipart/mixed; boundary="z"\n\n--z\n'.repeat(20)}text`;
    assert.deepEqual(parseDeliveryReport(deep), { kind: "none" });
    assert.equal(
      parseContentType('multipart/report; boundary="a;b"; report-type=x').params.get("boundary"),
      "a;b",
    );
  });
});
