import assert from "node:assert/strict";
import { after, before, beforeEach, describe, test } from "node:test";
import { sql } from "kysely";
import { as, signIn } from "../../test/helpers/app.js";
import { backends, createTestDb } from "../../test/helpers/db.js";
import { CLOCK, type Fixture, PASSWORD, seedFixture } from "../../test/helpers/fixtures.js";
import type { OpenDatabase } from "../db/connect.js";
import { buildApp } from "../http/app.js";
import type { App } from "../http/types.js";
import { THROTTLE } from "./signin-throttle.js";

/** Sign-in throttling per source and per account, atomic, with a growing delay and no lockout. */
for (const { backend, skip } of await backends()) {
  describe(`sign-in throttling on ${backend}`, { skip }, () => {
    let open: OpenDatabase;
    let app: App;
    let f: Fixture;
    let now = CLOCK.now().getTime();
    const clock = { now: () => new Date(now) };

    before(async () => {
      open = await createTestDb(backend);
      f = await seedFixture(open.db);
      app = await buildApp({ db: open.db, clock, secureCookies: false, webDir: null, logLevel: "silent" });
    });
    after(async () => {
      await app?.close();
      await open?.close();
    });
    beforeEach(async () => {
      // Each test starts a day later, past every window.
      now += 86_400_000;
    });

    const attempt = (email: string, password: string, source: string) =>
      app.inject({
        method: "POST",
        url: "/api/auth/login",
        remoteAddress: source,
        payload: { email, password },
      });
    const statuses = (codes: number[]) =>
      codes.reduce<Record<number, number>>((acc, c) => {
        acc[c] = (acc[c] ?? 0) + 1;
        return acc;
      }, {});

    test("spraying 30 emails from one source is slowed after the free failures", async () => {
      const codes: number[] = [];
      for (let i = 0; i < 30; i++)
        codes.push((await attempt(`guess${i}@test.example`, "x", "127.0.0.11")).statusCode);
      assert.deepEqual(codes.slice(0, THROTTLE.sourceFree), Array(THROTTLE.sourceFree).fill(401));
      assert.deepEqual(statuses(codes.slice(THROTTLE.sourceFree)), { 429: 30 - THROTTLE.sourceFree });
      const limited = await attempt("guess99@test.example", "x", "127.0.0.11");
      assert.equal(limited.json().error.code, "auth.rate_limited");
      // Another source is not slowed by this one.
      assert.equal((await attempt("guess0@test.example", "x", "127.0.0.12")).statusCode, 401);
      // The delay grows: after 1 s one more attempt is evaluated, the next must wait 2 s.
      now += 1000;
      assert.equal((await attempt("guess31@test.example", "x", "127.0.0.11")).statusCode, 401);
      now += 1000;
      assert.equal((await attempt("guess32@test.example", "x", "127.0.0.11")).statusCode, 429);
      now += 1000;
      assert.equal((await attempt("guess32@test.example", "x", "127.0.0.11")).statusCode, 401);
    });

    test("50 concurrent attempts on one account are each counted: only the free ones are evaluated", async () => {
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) => attempt(f.users.regional.email, "wrong", `127.0.1.${i + 1}`)),
      );
      assert.deepEqual(statuses(results.map((r) => r.statusCode)), {
        401: THROTTLE.accountFree,
        429: 50 - THROTTLE.accountFree,
      });
      const failed = await sql<{ n: number }>`select count(*)::int as n from audit_log
        where event = 'auth.login_failed' and subject_id = ${String(f.users.regional.id)} and at = ${clock.now()}`.execute(
        open.db,
      );
      assert.equal(failed.rows[0]!.n, THROTTLE.accountFree);
    });

    test("50 concurrent attempts from one source are each counted", async () => {
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) => attempt(`spray${i}@test.example`, "wrong", "127.0.2.1")),
      );
      assert.deepEqual(statuses(results.map((r) => r.statusCode)), {
        401: THROTTLE.sourceFree,
        429: 50 - THROTTLE.sourceFree,
      });
    });

    test("an attacker failing on purpose does not keep the officer out", async () => {
      const officer = f.users.national.email;
      // The officer's own desk: a source they signed in from before.
      assert.equal((await attempt(officer, PASSWORD, "127.0.3.2")).statusCode, 200);
      now += 60_000;
      for (let i = 0; i < 40; i++) await attempt(officer, "guess", "127.0.3.1");
      // At their desk the officer waits only the short cap.
      assert.equal((await attempt(officer, PASSWORD, "127.0.3.2")).statusCode, 429);
      now += THROTTLE.accountCapKnownSourceSeconds * 1000;
      assert.equal((await attempt(officer, PASSWORD, "127.0.3.2")).statusCode, 200);
      // However many failures, the account's wait is bounded: the right password after the cap gets in.
      for (let i = 0; i < 40; i++) {
        now += THROTTLE.accountCapSeconds * 1000;
        await attempt(officer, "guess", "127.0.3.1");
      }
      now += THROTTLE.accountCapSeconds * 1000;
      assert.equal((await attempt(officer, PASSWORD, "127.0.3.3")).statusCode, 200);
    });

    test("a fresh address is no clean source: an account under attack waits the full cap there", async () => {
      const officer = f.users.regional.email;
      // Each guess from a new address, as from a botnet or forged forwarding headers.
      for (let i = 0; i < 15; i++) {
        now += THROTTLE.accountCapSeconds * 1000;
        assert.equal((await attempt(officer, "guess", `127.0.5.${i + 1}`)).statusCode, 401);
      }
      now += (THROTTLE.accountCapKnownSourceSeconds + 1) * 1000;
      const early = await attempt(officer, "guess", "127.0.5.200");
      assert.equal(early.statusCode, 429);
      assert.ok(early.json().error.details.retryAfterSeconds > THROTTLE.accountCapKnownSourceSeconds);
      now += THROTTLE.accountCapSeconds * 1000;
      assert.equal((await attempt(officer, PASSWORD, "127.0.5.201")).statusCode, 200);
    });

    test("one user's failures behind a shared address do not keep a colleague out", async () => {
      const office = "127.0.6.1";
      const colleague = f.users.rep.email;
      assert.equal((await attempt(colleague, PASSWORD, office)).statusCode, 200);
      now += 3_600_000;
      // Someone at the office keeps getting their own password wrong, every few minutes.
      for (let i = 0; i < 3 * THROTTLE.sourceFree; i++) {
        now += 180_000;
        await attempt(f.users.regional.email, "mistyped", office);
      }
      assert.equal((await attempt(f.users.regional.email, "mistyped", office)).statusCode, 429);
      // The source is throttled for strangers...
      assert.equal((await attempt("stranger@test.example", "x", office)).statusCode, 429);
      // ...but the colleague who signed in from there before gets in with the right password.
      assert.equal((await attempt(colleague, PASSWORD, office)).statusCode, 200);
      // And with a wrong one is told so (counted against their own account), not held at the door.
      assert.equal((await attempt(colleague, "wrong", office)).statusCode, 401);
    });

    test("behind a trusted proxy the source is the address the proxy saw, not one the client wrote", async () => {
      const proxied = await buildApp({
        db: open.db,
        clock,
        secureCookies: false,
        webDir: null,
        logLevel: "silent",
        trustProxy: "127.0.0.1",
      });
      try {
        const codes: number[] = [];
        for (let i = 0; i < 30; i++) {
          const res = await proxied.inject({
            method: "POST",
            url: "/api/auth/login",
            remoteAddress: "127.0.0.1",
            headers: { "x-forwarded-for": `198.51.100.${i + 1}, 203.0.113.9` },
            payload: { email: `victim${i}@test.example`, password: "x" },
          });
          codes.push(res.statusCode);
        }
        assert.deepEqual(statuses(codes), { 401: THROTTLE.sourceFree, 429: 30 - THROTTLE.sourceFree });
        const keys = await sql<{ key: string }>`select key from signin_throttle where key like 'source:%'
          and last_failure_at = ${clock.now()}`.execute(open.db);
        assert.deepEqual(
          keys.rows.map((r) => r.key),
          ["source:203.0.113.9"],
        );
      } finally {
        await proxied.close();
      }
    });

    test("counts past the window are deleted, not kept for ever", async () => {
      for (let i = 0; i < 20; i++) await attempt(`old${i}@test.example`, "x", `127.0.7.${i + 1}`);
      const count = async () =>
        Number(
          (await sql<{ n: number }>`select count(*)::int as n from signin_throttle`.execute(open.db)).rows[0]!
            .n,
        );
      assert.ok((await count()) >= 40);
      now += (THROTTLE.windowMinutes + 1) * 60_000;
      await attempt("new@test.example", "x", "127.0.7.100");
      assert.equal(await count(), 2);
    });

    test("failed sign-ins for unknown emails reach the DPO's audit view, masked", async () => {
      for (const email of ["nobody@test.example", "ghost@test.example"])
        assert.equal((await attempt(email, "x", "127.0.4.1")).statusCode, 401);
      await attempt("someone@elsewhere.example", "x", "127.0.4.1");
      const dpo = await signIn(app, f.users.dpo.email);
      const res = await as(app, dpo, { url: "/api/audit?event=auth.login_failed&subjectType=login" });
      assert.equal(res.statusCode, 200);
      const subjects = res.json().items.map((i: { subjectId: string }) => i.subjectId);
      assert.ok(subjects.includes("n***@test.example"), JSON.stringify(subjects));
      assert.ok(subjects.includes("g***@test.example"));
      // Not another union's business, and never in clear anywhere in the log.
      assert.ok(!subjects.some((s: string) => s.endsWith("elsewhere.example")));
      const clear = await sql<{ n: number }>`select count(*)::int as n from audit_log
        where subject_id like '%nobody%' or actor_label like '%nobody%' or details::text like '%nobody%'`.execute(
        open.db,
      );
      assert.equal(clear.rows[0]!.n, 0);
      const keys = await sql<{
        n: number;
      }>`select count(*)::int as n from signin_throttle where key like '%nobody%'`.execute(open.db);
      assert.equal(keys.rows[0]!.n, 0);
    });
  });
}
