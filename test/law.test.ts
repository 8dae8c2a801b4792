import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { runLawCli } from "../src/cli/commands/law.js";
import type { OpenDatabase } from "../src/db/connect.js";
import type { App } from "../src/http/types.js";
import type { Regime } from "../src/law/rules.js";
import { DATED_VECTORS, REGIME_DATES, TEST_VECTORS } from "./fixtures/law/test-vectors.js";
import { as, buildTestApp, type Session, signIn } from "./helpers/app.js";
import { createTestDb } from "./helpers/db.js";
import { seedFixture } from "./helpers/fixtures.js";

/**
 * `mandate law evaluate` exactly as a user types it (the command line bin/mandate.js runs for
 * `law`), in this process; it needs no database.
 */
async function cli(args: string[]) {
  let stdout = "";
  await runLawCli(["node", "mandate", "--json", "law", "evaluate", ...args], {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: () => true },
  });
  return JSON.parse(stdout);
}

async function pool<T, R>(items: T[], size: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: size }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!);
      }
    }),
  );
  return out;
}

describe("mandate law evaluate and POST /api/law/evaluate agree on every test vector", () => {
  let open: OpenDatabase;
  let app: App;
  let session: Session;
  before(async () => {
    open = await createTestDb("pglite");
    const fx = await seedFixture(open.db);
    app = await buildTestApp(open);
    session = await signIn(app, fx.users.rep.email);
  });
  after(async () => {
    await app.close();
    await open.close();
  });

  test("42 cases: same regime, verdict, tests and figures", async () => {
    const cases = TEST_VECTORS.flatMap((v) => (["A", "B", "C"] as Regime[]).map((regime) => ({ v, regime })));
    const results = await pool(cases, 4, async ({ v, regime }) => {
      const args = [
        "--opening-date",
        REGIME_DATES[regime],
        "--entitled",
        String(v.entitled),
        "--votes-cast",
        String(v.votesCast),
        "--yes",
        String(v.yes),
        "--no",
        String(v.no),
        ...(v.spoilt === undefined ? [] : ["--spoilt", String(v.spoilt)]),
        ...(v.importantPublicServices ? ["--important-public-services"] : []),
        ...(v.walesDevolved ? ["--wales-devolved"] : []),
      ];
      const fromCli = await cli(args);
      const res = await as(app, session, {
        method: "POST",
        url: "/api/law/evaluate",
        payload: {
          openingDate: REGIME_DATES[regime],
          entitled: v.entitled,
          votesCast: v.votesCast,
          questions: [{ question: "strike", yes: v.yes, no: v.no, spoilt: v.spoilt ?? null }],
          importantPublicServices: v.importantPublicServices,
          walesDevolved: v.walesDevolved ?? false,
        },
      });
      assert.equal(res.statusCode, 200, res.body);
      return { v, regime, fromCli, fromApi: res.json() };
    });
    for (const { v, regime, fromCli, fromApi } of results) {
      const label = `${regime}: ${v.name}`;
      assert.equal(fromCli.regime, regime, label);
      assert.equal(fromCli.mandate, v.expected[regime], label);
      assert.ok(
        Array.isArray(fromCli.tests) && fromCli.tests.every((t: { citation: string }) => t.citation),
        label,
      );
      assert.deepEqual(fromApi, fromCli, label);
    }
  });

  test("dated vectors from the legal review: CLI and API agree, each with its source", async () => {
    const results = await pool(DATED_VECTORS, 4, async (v) => {
      const fromCli = await cli([
        "--opening-date",
        v.openingDate,
        ...(v.closingDate ? ["--closing-date", v.closingDate] : []),
        "--entitled",
        String(v.entitled),
        "--votes-cast",
        String(v.votesCast),
        "--yes",
        String(v.yes),
        "--no",
        String(v.no),
        ...(v.spoilt === undefined ? [] : ["--spoilt", String(v.spoilt)]),
        ...(v.importantPublicServices ? ["--important-public-services"] : []),
        ...(v.walesDevolved ? ["--wales-devolved"] : []),
        ...(v.jurisdiction ? ["--jurisdiction", v.jurisdiction] : []),
      ]);
      const res = await as(app, session, {
        method: "POST",
        url: "/api/law/evaluate",
        payload: {
          openingDate: v.openingDate,
          closingDate: v.closingDate ?? null,
          entitled: v.entitled,
          votesCast: v.votesCast,
          questions: [{ question: "strike", yes: v.yes, no: v.no, spoilt: v.spoilt ?? null }],
          importantPublicServices: v.importantPublicServices,
          walesDevolved: v.walesDevolved ?? false,
          ...(v.jurisdiction ? { jurisdiction: v.jurisdiction } : {}),
        },
      });
      assert.equal(res.statusCode, 200, res.body);
      return { v, fromCli, fromApi: res.json() };
    });
    for (const { v, fromCli, fromApi } of results) {
      const label = `${v.name} [${v.source}]`;
      assert.equal(fromCli.mandate, v.mandate, label);
      if (v.lastDay) assert.equal(fromCli.mandatePeriod.lastDay, v.lastDay, label);
      for (const rule of v.legalReview ?? []) {
        assert.ok(
          fromCli.legalReview.some((r: { rule: string }) => r.rule === rule),
          `${label}: ${rule}`,
        );
      }
      assert.deepEqual(fromApi, fromCli, label);
    }
  });

  test("bad figures: the CLI exits non-zero and the API answers 422, both with law.invalid_figures", async () => {
    const fromCli = await cli([
      "--opening-date",
      "2026-06-01",
      "--entitled",
      "10",
      "--votes-cast",
      "11",
      "--yes",
      "6",
      "--no",
      "5",
    ]);
    assert.equal(fromCli.error.code, "law.invalid_figures");
    const res = await as(app, session, {
      method: "POST",
      url: "/api/law/evaluate",
      payload: {
        openingDate: "2026-06-01",
        entitled: 10,
        votesCast: 11,
        questions: [{ question: "strike", yes: 6, no: 5 }],
      },
    });
    assert.equal(res.statusCode, 422);
    assert.equal(res.json().error.code, "law.invalid_figures");
  });

  test("the timetable of proposed dates, before a ballot exists", async () => {
    const res = await as(app, session, {
      url: "/api/law/timetable?openingDate=2026-12-07&closingDate=2027-01-11",
    });
    assert.equal(res.statusCode, 200, res.body);
    const byId = Object.fromEntries(
      res.json().deadlines.map((d: { id: string; date: string }) => [d.id, d.date]),
    );
    assert.equal(byId.ballot_notice, "2026-11-30");
    assert.equal(byId.earliest_action, "2027-01-21");
  });

  test("the law on a date lists every rule with its citation; signing in is required", async () => {
    const res = await as(app, session, { url: "/api/law/rules?date=2026-11-27" });
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().regime.id, "C");
    const anonymous = await app.inject({ url: "/api/law/rules?date=2026-11-27" });
    assert.equal(anonymous.statusCode, 401);
  });
});
