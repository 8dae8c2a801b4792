import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { as, buildTestApp, signIn } from "../../test/helpers/app.js";
import { backends, createTestDb } from "../../test/helpers/db.js";
import { CLOCK, createDisputeBallots, type Fixture, seedFixture } from "../../test/helpers/fixtures.js";
import { SESSION_CACHE_MS } from "../auth/index.js";
import type { Ctx } from "../context.js";
import type { OpenDatabase } from "../db/connect.js";
import type { App } from "../http/types.js";

/**
 * The dashboards are answered from kept figures and resolved sessions are kept for a few seconds: what
 * is kept never reaches someone it should not, and signing out, a change of role or a disabled account
 * take effect (at once, or within SESSION_CACHE_MS).
 */
for (const { backend, skip } of await backends()) {
  describe(`dashboard answers kept and conditional requests on ${backend}`, { skip }, () => {
    let open: OpenDatabase;
    let f: Fixture;
    let app: App;
    let ballot = 0;
    const dashboard = (query = "") => `/api/ballots/${ballot}/turnout/dashboard${query}`;

    before(async () => {
      open = await createTestDb(backend);
      f = await seedFixture(open.db);
      const national: Ctx = { db: open.db, actor: f.actors.national, clock: CLOCK };
      const made = await createDisputeBallots(national, f, {
        ballots: [
          {
            key: "stJames",
            name: "St James's",
            employerId: f.employers.leedsTrust,
            workplaceId: f.workplaces.stJames,
          },
          {
            key: "camden",
            name: "Camden",
            employerId: f.employers.camden,
            workplaceId: f.workplaces.camdenHall,
          },
        ],
        freeze: ["stJames", "camden"],
      });
      ballot = made.ballots.stJames!;
      app = await buildTestApp({ ...open });
    });
    after(async () => {
      await app?.close();
      await open?.close();
    });

    test("the same figures answer 304 to the tag of them; another tag gets the figures", async () => {
      const s = await signIn(app, f.users.national.email);
      const first = await as(app, s, { url: dashboard() });
      assert.equal(first.statusCode, 200, first.body);
      const tag = first.headers.etag as string;
      assert.match(tag, /^"[\w-]+"$/);
      assert.equal(first.headers["cache-control"], "no-store");
      const again = await as(app, s, { url: dashboard(), headers: { "if-none-match": tag } });
      assert.equal(again.statusCode, 304);
      assert.equal(again.body, "");
      assert.equal(again.headers.etag, tag);
      const listed = await as(app, s, {
        url: dashboard(),
        headers: { "if-none-match": `"other", W/${tag}` },
      });
      assert.equal(listed.statusCode, 304);
      const other = await as(app, s, { url: dashboard(), headers: { "if-none-match": '"other"' } });
      assert.equal(other.statusCode, 200);
      assert.deepEqual(other.json(), first.json());
      // Another view of the same figures has its own tag.
      const region = await as(app, s, {
        url: dashboard(`?level=region&groupId=${f.regions.yorkshire}`),
        headers: { "if-none-match": tag },
      });
      assert.equal(region.statusCode, 200, region.body);
      assert.notEqual(region.headers.etag, tag);
    });

    test("another union's officer and a rep never get the national officer's answer, tag or not", async () => {
      const national = await signIn(app, f.users.national.email);
      const theirs = await as(app, national, { url: dashboard() });
      const tag = theirs.headers.etag as string;
      const partner = await signIn(app, f.users.partnerNational.email);
      const p = await as(app, partner, { url: dashboard(), headers: { "if-none-match": tag } });
      assert.equal(p.statusCode, 404, p.body);
      assert.equal(p.json().error.code, "ballots.not_found");
      const rep = await signIn(app, f.users.rep.email);
      const r = await as(app, rep, { url: dashboard(), headers: { "if-none-match": tag } });
      assert.equal(r.statusCode, 200, r.body);
      assert.notEqual(r.headers.etag, tag);
      // The rep reaches St James's only: Camden's constituency is not in their answer.
      assert.deepEqual(
        r.json().constituencies.map((c: { name: string }) => c.name),
        ["St James's"],
      );
      assert.equal(theirs.json().constituencies.length, 2);
    });

    test("signing out takes effect at once: the kept session and the kept figures answer no more", async () => {
      const s = await signIn(app, f.users.national.email);
      const ok = await as(app, s, { url: dashboard() });
      assert.equal(ok.statusCode, 200);
      const out = await as(app, s, { method: "POST", url: "/api/auth/logout" });
      assert.equal(out.statusCode, 204, out.body);
      const after = await as(app, s, {
        url: dashboard(),
        headers: { "if-none-match": ok.headers.etag as string },
      });
      assert.equal(after.statusCode, 401);
      assert.equal(after.json().error.code, "auth.unauthenticated");
    });

    test(`a change of role or a disabled account takes effect within ${SESSION_CACHE_MS} ms`, async () => {
      const regional = await signIn(app, f.users.regional.email);
      const sector = await signIn(app, f.users.sector.email);
      const byEmployer = dashboard(`?level=employer&groupId=${f.employers.leedsTrust}`);
      assert.equal((await as(app, regional, { url: byEmployer })).statusCode, 200);
      assert.equal((await as(app, sector, { url: dashboard() })).statusCode, 200);
      // Another process (or the command line) makes the regional officer an observer, and disables the
      // sector officer.
      await open.db.deleteFrom("user_scopes").where("user_id", "=", f.users.regional.id).execute();
      await open.db
        .updateTable("users")
        .set({ role: "observer" })
        .where("id", "=", f.users.regional.id)
        .execute();
      await open.db
        .updateTable("users")
        .set({ disabled_at: CLOCK.now() })
        .where("id", "=", f.users.sector.id)
        .execute();
      await sleep(SESSION_CACHE_MS + 200);
      const refused = await as(app, regional, { url: byEmployer });
      assert.equal(refused.statusCode, 403, refused.body);
      const observed = await as(app, regional, { url: dashboard() });
      assert.equal(observed.statusCode, 200, observed.body);
      assert.deepEqual(observed.json().constituencies.length > 0, true);
      const disabled = await as(app, sector, { url: dashboard() });
      assert.equal(disabled.statusCode, 401);
    });
  });
}
