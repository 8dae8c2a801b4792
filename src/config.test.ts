import assert from "node:assert/strict";
import { test } from "node:test";
import { loadConfig } from "./config.js";

test("MANDATE_TRUST_PROXY names the proxies to believe, never every hop", () => {
  const trust = (v: string | undefined) => loadConfig({ MANDATE_TRUST_PROXY: v }, "/tmp").trustProxy;
  assert.equal(trust(undefined), null);
  assert.equal(trust("0"), null);
  assert.equal(trust("1"), "loopback");
  assert.equal(trust("10.0.0.5, 10.1.0.0/16,::1"), "10.0.0.5,10.1.0.0/16,::1");
  for (const bad of ["true", "10.0.0.300", "10.0.0.0/33", "proxy.example", "*"])
    assert.throws(() => trust(bad), /MANDATE_TRUST_PROXY/, bad);
});

test("the bounce listener is off unless a port is given; the bounce domain must be a domain", () => {
  const off = loadConfig({});
  assert.equal(off.bounceSmtpPort, null);
  assert.equal(off.bounceDomain, null);
  const on = loadConfig({ MANDATE_BOUNCE_SMTP_PORT: "2626", MANDATE_BOUNCE_DOMAIN: "Bounces.Union.example" });
  assert.equal(on.bounceSmtpPort, 2626);
  assert.equal(on.bounceSmtpHost, "127.0.0.1");
  assert.equal(on.bounceDomain, "bounces.union.example");
  assert.throws(() => loadConfig({ MANDATE_BOUNCE_DOMAIN: "not a domain" }), /MANDATE_BOUNCE_DOMAIN/);
  assert.throws(() => loadConfig({ MANDATE_BOUNCE_SMTP_PORT: "70000" }), /MANDATE_BOUNCE_SMTP_PORT/);
});
