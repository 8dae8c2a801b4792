import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { as, buildTestApp, signIn } from "../../test/helpers/app.js";
import { createTestDb } from "../../test/helpers/db.js";
import { CLOCK, type Fixture, PASSWORD, seedFixture } from "../../test/helpers/fixtures.js";
import type { OpenDatabase } from "../db/connect.js";
import { buildApp } from "./app.js";
import type { App } from "./types.js";

/** Response headers that keep personal data out of caches and session cookies off plain HTTP. */
describe("security headers", () => {
  let open: OpenDatabase;
  let f: Fixture;
  let plain: App;
  let proxied: App;

  before(async () => {
    open = await createTestDb("pglite");
    f = await seedFixture(open.db);
    plain = await buildTestApp(open);
    proxied = await buildApp({
      db: open.db,
      clock: CLOCK,
      secureCookies: false,
      webDir: null,
      logLevel: "silent",
      trustProxy: "loopback",
    });
  });
  after(async () => {
    await plain?.close();
    await proxied?.close();
    await open?.close();
  });

  test("every API answer, a download and an error alike, says no-store", async () => {
    const session = await signIn(plain, f.users.national.email);
    for (const url of ["/api/members", "/api/members/export.csv", "/api/members/999999", "/api/health"]) {
      const res = await as(plain, session, { url });
      assert.equal(res.headers["cache-control"], "no-store", url);
    }
    const anonymous = await plain.inject({ url: "/api/members" });
    assert.equal(anonymous.statusCode, 401);
    assert.equal(anonymous.headers["cache-control"], "no-store");
  });

  test("over plain HTTP: no HSTS and no Secure flag", async () => {
    const res = await plain.inject({
      method: "POST",
      url: "/api/auth/login",
      payload: { email: f.users.national.email, password: PASSWORD },
    });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers["strict-transport-security"], undefined);
    assert.equal(res.cookies.find((c) => c.name === "mandate_session")?.secure, undefined);
  });

  test("X-Forwarded-Proto is ignored unless the proxy is trusted", async () => {
    const res = await plain.inject({
      method: "POST",
      url: "/api/auth/login",
      headers: { "x-forwarded-proto": "https" },
      payload: { email: f.users.national.email, password: PASSWORD },
    });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers["strict-transport-security"], undefined);
    assert.equal(res.cookies.find((c) => c.name === "mandate_session")?.secure, undefined);
  });

  test("behind a trusted proxy that terminated HTTPS: HSTS and a Secure cookie", async () => {
    const res = await proxied.inject({
      method: "POST",
      url: "/api/auth/login",
      headers: { "x-forwarded-proto": "https" },
      payload: { email: f.users.national.email, password: PASSWORD },
    });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers["strict-transport-security"]), /max-age=\d{7,}/);
    assert.equal(res.cookies.find((c) => c.name === "mandate_session")?.secure, true);
    const health = await proxied.inject({ url: "/api/health", headers: { "x-forwarded-proto": "https" } });
    assert.ok(health.headers["strict-transport-security"]);
  });
});
