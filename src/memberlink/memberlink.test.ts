import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { after, before, describe, test } from "node:test";
import { sql } from "kysely";
import { indicativeWorld, tokensOf } from "../../test/fixtures/indicative.js";
import { as, signIn } from "../../test/helpers/app.js";
import { type Backend, backends, createTestDb } from "../../test/helpers/db.js";
import { CLOCK, type Fixture, seedFixture } from "../../test/helpers/fixtures.js";
import type { Ctx } from "../context.js";
import type { OpenDatabase } from "../db/connect.js";
import { buildApp } from "../http/app.js";
import type { App } from "../http/types.js";
import { closeIndicative, indicativeResults, openIndicative } from "../indicative/index.js";
import { fixedClock } from "../shared/clock.js";
import { issueIndicativeLinks, LINK_LIMITS, voteByLink } from "./memberlink.service.js";

const LINK_DEPS_SOURCE = "127.0.0.20";

/**
 * Every row of every table, as text, with its transaction id (xmin). Left
 * out, as random per run and unrelated to votes: the audit chain's hashes and
 * key id, links' token hashes and the throttle's keys (which hold them), and
 * export ids.
 */
async function rowsOf(open: OpenDatabase): Promise<{ line: string; xmin: string }[]> {
  const tables = (
    await sql<{ table_name: string }>`
      select table_name from information_schema.tables
       where table_schema = 'public' and table_type = 'BASE TABLE' and table_name not like 'kysely_%'
       order by table_name`.execute(open.db)
  ).rows.map((r) => r.table_name);
  const RANDOM = new Set(["hash", "prev_hash", "key_id", "token_hash", "key", "signature"]);
  const out: { line: string; xmin: string }[] = [];
  for (const table of tables) {
    const rows = (await sql.raw(`select xmin::text as "__xmin", t.* from "${table}" t`).execute(open.db))
      .rows as Record<string, unknown>[];
    for (const row of rows) {
      const clean: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(row)) {
        if (k === "__xmin" || RANDOM.has(k)) continue;
        clean[k] =
          k === "details" && v && typeof v === "object" ? { ...(v as object), exportId: undefined } : v;
      }
      out.push({ line: `${table} ${JSON.stringify(clean)}`, xmin: String(row.__xmin) });
    }
  }
  return out;
}

/**
 * What the votes wrote: the rows present after them and not before (new rows,
 * and rows updated, which carry a new xmin), sorted, each with its
 * transaction replaced by the order in which that transaction first appears;
 * so rows written by one transaction are seen together, whatever their ids.
 */
function writtenBetween(before: { line: string; xmin: string }[], after: { line: string; xmin: string }[]) {
  const seen = new Set(before.map((r) => `${r.xmin} ${r.line}`));
  const written = after.filter((r) => !seen.has(`${r.xmin} ${r.line}`));
  written.sort((a, b) => (a.line < b.line ? -1 : a.line > b.line ? 1 : 0));
  const txs = new Map<string, number>();
  return written
    .map((r) => {
      if (!txs.has(r.xmin)) txs.set(r.xmin, txs.size);
      return `tx${txs.get(r.xmin)} ${r.line}`;
    })
    .join("\n");
}

async function seeded(backend: Backend) {
  const open = await createTestDb(backend);
  const f = await seedFixture(open.db);
  const national: Ctx = { db: open.db, actor: f.actors.national, clock: CLOCK };
  const w = await indicativeWorld(national, f);
  return { open, f, national, ...w };
}

for (const { backend, skip } of await backends()) {
  describe(`indicative ballots through member links on ${backend}`, { skip }, () => {
    let open: OpenDatabase;
    let f: Fixture;
    let app: App;
    let w: Awaited<ReturnType<typeof seeded>>;
    let tokens: Map<string, string>;
    let numbers: Map<number, string>;
    let log = "";

    before(async () => {
      w = await seeded(backend);
      ({ open, f } = w);
      app = await buildApp({
        db: open.db,
        clock: CLOCK,
        secureCookies: false,
        webDir: null,
        logLevel: "info",
        logStream: new Writable({
          write(chunk, _encoding, done) {
            log += String(chunk);
            done();
          },
        }),
      });
      numbers = new Map(
        (await open.db.selectFrom("members").select(["id", "membership_number"]).execute()).map((r) => [
          r.id,
          r.membership_number,
        ]),
      );
    });
    after(async () => {
      await app?.close();
      await open?.close();
    });

    const link = (url: string, payload: object, remoteAddress = "127.0.0.9") =>
      app.inject({ method: "POST", url, payload, remoteAddress });
    const tokenOf = (memberId: number) => tokens.get(numbers.get(memberId)!)!;

    test("officers: only a national officer sets up, opens and issues links; the CSV is the only copy, audited", async () => {
      const rep = await signIn(app, f.users.rep.email);
      const national = await signIn(app, f.users.national.email);
      const refused = await as(app, rep, { method: "POST", url: `/api/indicative/${w.indicativeId}/open` });
      assert.equal(refused.statusCode, 403);
      const early = await as(app, national, {
        method: "POST",
        url: `/api/indicative/${w.indicativeId}/links`,
      });
      assert.equal(early.json().error.code, "indicative.wrong_state", "no links before the roll is fixed");
      const opened = await as(app, national, {
        method: "POST",
        url: `/api/indicative/${w.indicativeId}/open`,
      });
      assert.equal(opened.statusCode, 200, opened.body);
      // St James's 9 (3 + 6), Camden Hall 2, Camden without a workplace 1; Davies (lapsed) and Bradford are out.
      assert.equal(opened.json().roll, 12);
      const issued = await as(app, national, {
        method: "POST",
        url: `/api/indicative/${w.indicativeId}/links`,
      });
      assert.equal(issued.statusCode, 200);
      assert.match(String(issued.headers["content-type"]), /text\/csv/);
      tokens = tokensOf(issued.body);
      assert.equal(tokens.size, 12);
      const stored = await open.db.selectFrom("member_links").select("token_hash").execute();
      for (const token of tokens.values())
        assert.ok(!stored.some((s) => s.token_hash === token), "the token itself is not stored");
      const exportEvents = () =>
        open.db
          .selectFrom("audit_log")
          .select(["event", "details"])
          .where("event", "in", ["memberlink.issued", "export.started", "export.finished"])
          .execute();
      // The export's end is recorded once the response has been handed over.
      for (let i = 0; i < 50 && (await exportEvents()).length < 3; i++)
        await new Promise((r) => setTimeout(r, 20));
      const events = await exportEvents();
      assert.deepEqual(events.map((e) => e.event).sort(), [
        "export.finished",
        "export.started",
        "memberlink.issued",
      ]);
      const list = await as(app, national, { url: `/api/indicative/${w.indicativeId}/links` });
      assert.equal(list.json().length, 12);
      assert.ok(!list.body.includes(tokenOf(w.stJames[0]!)), "the list never shows a link");
      assert.equal((await as(app, rep, { url: `/api/indicative/${w.indicativeId}/links` })).statusCode, 403);
    });

    test("a member opens their link with no session; unknown, withdrawn and expired links answer alike", async () => {
      const member = w.stJames[0]!;
      const res = await link("/api/link/open", { token: tokenOf(member) });
      assert.equal(res.statusCode, 200, res.body);
      const body = res.json();
      assert.equal(body.forenames, "Alex");
      assert.deepEqual(body.address, {
        kind: "home",
        lines: ["1 High Street", "Leeds"],
        postcode: "LS1 1AA",
      });
      assert.equal(body.ballot.canVote, true);
      assert.equal(body.ballot.questions.length, 2);
      const unknown = await link("/api/link/open", { token: "A".repeat(43) });
      assert.equal(unknown.statusCode, 404);
      // A second issue withdraws the first links: keep the old token of one member, issue again.
      const old = tokenOf(w.stJames[1]!);
      const national = await signIn(app, f.users.national.email);
      const reissued = await as(app, national, {
        method: "POST",
        url: `/api/indicative/${w.indicativeId}/links`,
      });
      tokens = tokensOf(reissued.body);
      const withdrawn = await link("/api/link/open", { token: old });
      const expiredApp = await buildApp({
        db: open.db,
        clock: fixedClock("2026-12-01T10:00:00Z"),
        secureCookies: false,
        webDir: null,
        logLevel: "silent",
      });
      const expired = await expiredApp.inject({
        method: "POST",
        url: "/api/link/open",
        payload: { token: tokenOf(member) },
      });
      await expiredApp.close();
      for (const r of [withdrawn, expired]) {
        assert.equal(r.statusCode, 404);
        assert.deepEqual(r.json(), unknown.json());
      }
      const audit = await open.db
        .selectFrom("audit_log")
        .select(["actor_label", "subject_id", "details"])
        .where("event", "=", "memberlink.opened")
        .execute();
      assert.equal(
        audit.length,
        1,
        "each use that reached a link is audited, the refused ones change nothing",
      );
      assert.equal(audit[0]!.subject_id, String(member));
      assert.match(audit[0]!.actor_label, /^member-link:\d+$/);
    });

    test("a member confirms, then corrects, their address through the members' update path", async () => {
      const member = w.stJames[3]!;
      const confirmed = await link("/api/link/address/confirm", { token: tokenOf(member) });
      assert.equal(confirmed.statusCode, 200);
      const bad = await link("/api/link/address", {
        token: tokenOf(member),
        addressLine1: "2 Road",
        postcode: "NOPE",
      });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.json().error.message, /postcode/i);
      const res = await link("/api/link/address", {
        token: tokenOf(member),
        addressLine1: "7 Harehills Lane",
        town: "Leeds",
        postcode: "ls8 5ha",
      });
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(res.json().address, {
        kind: "home",
        lines: ["7 Harehills Lane", "Leeds"],
        postcode: "LS8 5HA",
      });
      const events = await open.db
        .selectFrom("audit_log")
        .select(["event", "details"])
        .where("subject_id", "=", String(member))
        .where("event", "in", [
          "member.updated",
          "memberlink.address_confirmed",
          "memberlink.address_corrected",
        ])
        .orderBy("seq")
        .execute();
      assert.deepEqual(
        events.map((e) => e.event),
        ["memberlink.address_confirmed", "member.updated", "memberlink.address_corrected"],
      );
      assert.deepEqual((events[1]!.details as { fields: string[] }).fields.sort(), [
        "address_line1",
        "home_postcode",
      ]);
      assert.ok(!JSON.stringify(events).includes("Harehills"), "no address in the audit log");
    });

    test("one vote per member; the audit row names the voter, never the answers; turnout moves, answers wait for the close", async () => {
      const voters = w.stJames.slice(0, 6);
      for (const [i, m] of voters.entries()) {
        const res = await link("/api/link/vote", { token: tokenOf(m), answers: [i % 2, i % 3] });
        assert.equal(res.statusCode, 200, res.body);
        assert.equal(res.json().ballot.voted, true);
        assert.equal(res.json().ballot.canVote, false);
      }
      const again = await link("/api/link/vote", { token: tokenOf(voters[0]!), answers: [1, 1] });
      assert.equal(again.json().error.code, "indicative.already_voted");
      const invalid = await link("/api/link/vote", { token: tokenOf(w.stJames[7]!), answers: [0, 3] });
      assert.equal(invalid.json().error.code, "indicative.invalid_answers");
      const short = await link("/api/link/vote", { token: tokenOf(w.stJames[7]!), answers: [0] });
      assert.equal(short.json().error.code, "indicative.invalid_answers");
      const camden = f.members.camden.find((m) => tokens.has(numbers.get(m)!))!;
      assert.equal(
        (await link("/api/link/vote", { token: tokenOf(camden), answers: [1, 2] })).statusCode,
        200,
      );

      const audit = await open.db
        .selectFrom("audit_log")
        .select(["subject_id", "details"])
        .where("event", "=", "indicative.voted")
        .execute();
      assert.equal(audit.length, 7);
      for (const row of audit)
        assert.deepEqual(Object.keys(row.details as object).sort(), ["indicativeBallotId", "linkId"]);

      const rep = await signIn(app, f.users.rep.email);
      const during = (await as(app, rep, { url: `/api/indicative/${w.indicativeId}/results` })).json();
      assert.equal(during.overall.voted, 7);
      assert.equal(during.overall.questions, null);
      assert.ok(during.constituencies.every((c: { withheld: string }) => c.withheld === "open"));
      // The rep's list of members still to vote: their workplace only.
      const nonVoters = (await as(app, rep, { url: `/api/indicative/${w.indicativeId}/non-voters` })).json();
      assert.deepEqual(
        nonVoters.map((n: { memberId: number }) => n.memberId).sort((a: number, b: number) => a - b),
        w.stJames.slice(6).sort((a, b) => a - b),
      );
      assert.equal(
        (await as(app, rep, { method: "POST", url: `/api/indicative/${w.indicativeId}/close` })).statusCode,
        403,
      );
      const national = await signIn(app, f.users.national.email);
      const closed = await as(app, national, {
        method: "POST",
        url: `/api/indicative/${w.indicativeId}/close`,
      });
      assert.equal(closed.json().state, "closed");
      const late = await link("/api/link/vote", { token: tokenOf(w.stJames[8]!), answers: [0, 0] });
      assert.equal(late.json().error.code, "indicative.wrong_state");

      const results = (await as(app, rep, { url: `/api/indicative/${w.indicativeId}/results` })).json();
      const stJames = results.constituencies.find(
        (c: { key: string }) => c.key === `workplace:${f.workplaces.stJames}`,
      );
      assert.equal(stJames.voted, 6);
      // answers [i % 2, i % 3] for i = 0..5 (yes/no 3/3; strike/ASOS/neither 2/2/2) and Camden's [1, 2].
      assert.deepEqual(
        results.overall.questions.map((q: { choices: { votes: number }[] }) => q.choices.map((c) => c.votes)),
        [
          [3, 4],
          [2, 2, 3],
        ],
      );
      const camdenHall = results.constituencies.find(
        (c: { key: string }) => c.key === `workplace:${f.workplaces.camdenHall}`,
      );
      assert.equal(camdenHall.withheld, "below_minimum");
      assert.equal(camdenHall.questions, null);
      // One vote withheld in Camden: St James's is withheld too, or overall less St James's would give it.
      assert.equal(stJames.withheld, "complementary");
      assert.equal(stJames.questions, null);
      assert.ok(results.notes.length >= 1);
    });

    test("the server's log names the routes members used, never their links", () => {
      assert.ok(log.includes("/api/link/vote"), "the log is on");
      for (const token of tokens.values()) assert.ok(!log.includes(token), "a token is in the log");
      assert.ok(!log.includes("Harehills"), "an address is in the log");
    });

    test("rate limits per link and per source address", async () => {
      const token = tokenOf(f.members.noWorkplace); // not used before
      const codes: number[] = [];
      for (let i = 0; i < LINK_LIMITS.perToken + 2; i++)
        codes.push((await link("/api/link/open", { token }, "127.0.0.30")).statusCode);
      assert.equal(codes.filter((c) => c === 200).length, LINK_LIMITS.perToken);
      assert.equal(codes.at(-1), 429);
      // Another address guessing links is stopped after its own limit.
      let last = 0;
      for (let i = 0; i <= LINK_LIMITS.perSource; i++)
        last = (await link("/api/link/open", { token: `${String(i).padStart(43, "B")}` }, "127.0.0.31"))
          .statusCode;
      assert.equal(last, 429);
    });
  });

  describe(`unlinkability of indicative votes on ${backend}`, { skip }, () => {
    test("no table holding answers has a member, id, sequence or time", async () => {
      const open = await createTestDb(backend);
      try {
        const cols = await sql<{ table_name: string; column_name: string }>`
          select table_name, column_name from information_schema.columns
           where table_schema = 'public'
             and table_name in (select table_name from information_schema.columns
                                 where table_schema = 'public' and column_name in ('answer', 'answers', 'choice'))
           order by table_name, ordinal_position`.execute(open.db);
        assert.deepEqual(
          cols.rows.map((r) => `${r.table_name}.${r.column_name}`),
          [
            "indicative_tally.indicative_ballot_id",
            "indicative_tally.constituency",
            "indicative_tally.question",
            "indicative_tally.answer",
            "indicative_tally.votes",
          ],
        );
        // No foreign key ties the tally to a member or to who voted.
        const fks = await sql<{ ref: string }>`
          select ccu.table_name as ref from information_schema.table_constraints tc
            join information_schema.constraint_column_usage ccu on ccu.constraint_name = tc.constraint_name
           where tc.table_name = 'indicative_tally' and tc.constraint_type = 'FOREIGN KEY'`.execute(open.db);
        assert.deepEqual(
          fks.rows.map((r) => r.ref),
          ["indicative_ballots"],
        );
      } finally {
        await open.close();
      }
    });

    test("two members of one constituency swapping their answers leave every table identical", async () => {
      const run = async (first: number[], second: number[]) => {
        const w = await seeded(backend);
        try {
          await openIndicative(w.national, w.indicativeId);
          const file = await issueIndicativeLinks(w.national, w.indicativeId, "https://mandate.example");
          await file.trail.finished();
          const byNumber = tokensOf(file.csv);
          const numberOf = async (id: number) =>
            (
              await w.open.db
                .selectFrom("members")
                .select("membership_number")
                .where("id", "=", id)
                .executeTakeFirstOrThrow()
            ).membership_number;
          const deps = { db: w.open.db, clock: CLOCK };
          const [a, b, c] = w.stJames;
          const before = await rowsOf(w.open);
          await voteByLink(deps, byNumber.get(await numberOf(a!))!, first, LINK_DEPS_SOURCE);
          await voteByLink(deps, byNumber.get(await numberOf(b!))!, second, LINK_DEPS_SOURCE);
          await voteByLink(deps, byNumber.get(await numberOf(c!))!, [0, 0], LINK_DEPS_SOURCE);
          await closeIndicative(w.national, w.indicativeId);
          const results = await indicativeResults(w.national, w.indicativeId);
          return { dump: writtenBetween(before, await rowsOf(w.open)), results };
        } finally {
          await w.open.close();
        }
      };
      const one = await run([0, 1], [1, 2]);
      const two = await run([1, 2], [0, 1]);
      assert.equal(one.results.overall.voted, 3);
      assert.ok(one.dump.includes("indicative_tally"), "the dump covers the tally");
      assert.ok(one.dump.includes("indicative_voted"), "the dump covers who voted");
      if (one.dump !== two.dump) {
        const a = one.dump.split("\n");
        const b = two.dump.split("\n");
        const diff = a.filter((l) => !b.includes(l)).slice(0, 5);
        assert.fail(`the runs differ:\n${diff.join("\n")}`);
      }
      // And the check can fail: a different set of answers changes the tally.
      const three = await run([0, 1], [0, 2]);
      assert.notEqual(three.dump, one.dump);
    });
  });
}
