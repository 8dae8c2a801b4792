import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { as, buildTestApp, type Session, signIn } from "../../test/helpers/app.js";
import { backends, createTestDb } from "../../test/helpers/db.js";
import { CLOCK, createDisputeBallots, type Fixture, seedFixture } from "../../test/helpers/fixtures.js";
import type { Actor } from "../auth/index.js";
import type { Ctx } from "../context.js";
import type { OpenDatabase } from "../db/connect.js";
import type { App } from "../http/types.js";
import { fixedClock } from "../shared/clock.js";
import { AppError } from "../shared/errors.js";
import { importReturns, recordSelfReport, turnoutStatus } from "./turnout.service.js";

const refused = (code: string) => (e: unknown) => e instanceof AppError && e.code === code;
/** Eight days into the ballot (it opens on 7 December 2026). */
const DURING = fixedClock("2026-12-15T10:00:00Z");

for (const { backend, skip } of await backends()) {
  describe(`turnout on ${backend}`, { skip }, () => {
    let open: OpenDatabase;
    let f: Fixture;
    let app: App;
    let ballots: Record<string, number>;
    let entitled: Record<string, number>;
    const ctx = (actor: Actor): Ctx => ({ db: open.db, actor, clock: DURING });

    before(async () => {
      open = await createTestDb(backend);
      f = await seedFixture(open.db);
      const national: Ctx = { db: open.db, actor: f.actors.national, clock: CLOCK };
      const { employers: e, workplaces: w } = f;
      ({ ballots, entitled } = await createDisputeBallots(national, f, {
        ballots: [
          { key: "stJames", name: "St James's", employerId: e.leedsTrust, workplaceId: w.stJames },
          { key: "camden", name: "Camden", employerId: e.camden, workplaceId: w.camdenHall },
          { key: "bradford", name: "Bradford", employerId: e.bradfordCouncil, workplaceId: null },
          { key: "lgi", name: "Leeds General", employerId: e.leedsTrust, workplaceId: w.lgi },
        ],
        freeze: ["stJames", "camden", "bradford"],
      }));
      app = await buildTestApp({ ...open });
    });
    after(async () => {
      await app?.close();
      await open?.close();
    });

    test("a returns file with a problem is refused whole, naming line and field; nothing is recorded", async () => {
      const csv = `constituency,date,papers_returned\nSt James's University Hospital,2026-12-14,1\nNowhere Hospital,2026-12-14,1\n`;
      await assert.rejects(
        importReturns(ctx(f.actors.national), ballots.stJames!, { fileName: "r.csv", csv }),
        (e) => {
          assert.ok(refused("turnout.invalid_returns")(e));
          assert.match(
            (e as Error).message,
            /r\.csv:3: constituency: "Nowhere Hospital" is not a constituency/,
          );
          return true;
        },
      );
      const status = await turnoutStatus(ctx(f.actors.national), ballots.stJames!);
      assert.ok(status.constituencies.every((c) => c.returned === 0));
      await assert.rejects(
        importReturns(ctx(f.actors.regional), ballots.stJames!, { fileName: "r.csv", csv }),
        refused("auth.forbidden"),
      );
    });

    test("returns by workplace name and by ballot id; every constituency's votes needed, ranked; audited", async () => {
      const csv = [
        "constituency,ballot_id,date,papers_returned",
        `St James's University Hospital,,2026-12-10,1`,
        `St James's University Hospital,,2026-12-14,1`,
        `,${ballots.bradford},2026-12-14,${entitled.bradford}`,
      ].join("\n");
      const result = await importReturns(ctx(f.actors.national), ballots.camden!, { fileName: "r.csv", csv });
      assert.deepEqual(result.rows, 3);
      assert.equal(result.constituencies, 2);
      const status = await turnoutStatus(ctx(f.actors.national), ballots.camden!);
      assert.equal(status.asAt, "2026-12-15");
      assert.deepEqual(status.notFrozen, [{ ballotId: ballots.lgi, name: "Leeds General" }]);
      const st = status.constituencies.find((c) => c.ballotId === ballots.stJames)!;
      assert.equal(st.entitled, entitled.stJames);
      assert.equal(st.returned, 1);
      assert.equal(st.votesNeeded50, Math.ceil(entitled.stJames! / 2) - 1);
      assert.equal(st.yesNeeded40, null, "regime C");
      assert.equal(st.daysLeft, 21);
      const bradford = status.constituencies.find((c) => c.ballotId === ballots.bradford)!;
      assert.equal(bradford.status, "safe");
      assert.equal(bradford.votesNeeded50, 0);
      assert.ok(status.constituencies.find((c) => c.ballotId === ballots.camden)!.rank < bradford.rank);
      assert.deepEqual(
        status.rollups.regions.map((r) => r.name),
        ["Greater London", "Yorkshire & Humberside"],
      );
      const audit = await open.db
        .selectFrom("audit_log")
        .select(["event", "details"])
        .where("event", "=", "turnout.returns_imported")
        .execute();
      assert.equal(audit.length, 1);
      // A later file may not lower a running total.
      await assert.rejects(
        importReturns(ctx(f.actors.national), ballots.camden!, {
          fileName: "r.csv",
          csv: "constituency,date,papers_returned\nSt James's,2026-12-15,0\n",
        }),
        refused("turnout.invalid_returns"),
      );
    });

    test("scoped reads: a regional officer sees their region's constituencies only, a rep their workplace's", async () => {
      const regional = await turnoutStatus(ctx(f.actors.regional), ballots.stJames!);
      assert.deepEqual(
        regional.constituencies.map((c) => c.ballotId).sort(),
        [ballots.stJames, ballots.bradford].sort(),
      );
      assert.deepEqual(
        regional.rollups.regions.map((r) => r.name),
        ["Yorkshire & Humberside"],
      );
      await assert.rejects(
        turnoutStatus(ctx(f.actors.regional), ballots.camden!),
        refused("ballots.not_found"),
      );
      const rep = await turnoutStatus(ctx(f.actors.rep), ballots.stJames!);
      assert.deepEqual(
        rep.constituencies.map((c) => c.ballotId),
        [ballots.stJames],
      );
      const observer = await turnoutStatus(ctx(f.actors.observer), ballots.camden!);
      assert.equal(observer.constituencies.length, 3);
      assert.deepEqual(observer.rollups.employers, []);
      assert.deepEqual(observer.rollups.workplaces, []);
      await assert.rejects(turnoutStatus(ctx(f.actors.dpo), ballots.camden!), refused("auth.forbidden"));
    });

    test("members' own reports: a rep for their workplace's members only, audited without the report's kind", async () => {
      const member = f.members.stJames[0]!;
      const r = await recordSelfReport(ctx(f.actors.rep), ballots.stJames!, {
        memberId: member,
        kind: "wont_vote",
        source: "rep_conversation",
      });
      assert.equal(r.kind, "wont_vote");
      await assert.rejects(
        recordSelfReport(ctx(f.actors.rep), ballots.stJames!, {
          memberId: f.members.camden[0]!,
          kind: "voted",
          source: "rep_conversation",
        }),
        refused("members.not_found"),
      );
      await assert.rejects(
        recordSelfReport(ctx(f.actors.national), ballots.stJames!, {
          memberId: f.members.bradford[0]!,
          kind: "voted",
          source: "member_link",
        }),
        refused("turnout.not_in_electorate"),
      );
      await assert.rejects(
        recordSelfReport(ctx(f.actors.sector), ballots.stJames!, {
          memberId: member,
          kind: "voted",
          source: "member_link",
        }),
        refused("auth.forbidden"),
      );
      const audit = await open.db
        .selectFrom("audit_log")
        .select(["subject_type", "subject_id", "details"])
        .where("event", "=", "turnout.self_report_recorded")
        .execute();
      assert.equal(audit.length, 1);
      assert.equal(audit[0]!.subject_id, String(member));
      assert.ok(!JSON.stringify(audit[0]!.details).includes("wont_vote"));
      const status = await turnoutStatus(ctx(f.actors.rep), ballots.stJames!);
      const st = status.constituencies[0]!;
      assert.equal(st.reports.wont_vote, 1);
      assert.equal(st.reachable, st.entitled - st.returned - 1);
      // The latest report counts: the member changed their mind.
      await recordSelfReport(ctx(f.actors.rep), ballots.stJames!, {
        memberId: member,
        kind: "will_vote",
        source: "rep_conversation",
      });
      const again = (await turnoutStatus(ctx(f.actors.rep), ballots.stJames!)).constituencies[0]!;
      assert.equal(again.reports.wont_vote, 0);
      assert.equal(again.reports.will_vote, 1);
    });

    test("over HTTP: the regional officer's read is scoped; a report of how someone voted is refused", async () => {
      const s: Record<string, Session> = {};
      for (const role of ["regional", "rep"] as const) s[role] = await signIn(app, f.users[role].email);
      const ok = await as(app, s.regional!, { url: `/api/ballots/${ballots.bradford}/turnout` });
      assert.equal(ok.statusCode, 200, ok.body);
      assert.equal(ok.json().constituencies.length, 2);
      assert.equal(
        (await as(app, s.regional!, { url: `/api/ballots/${ballots.camden}/turnout` })).statusCode,
        404,
      );
      const how = await as(app, s.rep!, {
        method: "POST",
        url: `/api/ballots/${ballots.stJames}/turnout/reports`,
        payload: { memberId: f.members.stJames[1], kind: "voted_yes" },
      });
      assert.equal(how.statusCode, 400);
      const post = await as(app, s.rep!, {
        method: "POST",
        url: `/api/ballots/${ballots.stJames}/turnout/reports`,
        payload: { memberId: f.members.stJames[1], kind: "voted" },
      });
      assert.equal(post.statusCode, 201, post.body);
      const returns = await as(app, s.regional!, {
        method: "POST",
        url: `/api/ballots/${ballots.stJames}/turnout/returns`,
        payload: { csv: "constituency,date,papers_returned\n" },
      });
      assert.equal(returns.statusCode, 403);
    });
    test("bad input over HTTP: each a 4xx with its code, the file's problems in the details, nothing recorded", async () => {
      const national = await signIn(app, f.users.national.email);
      const before = await open.db
        .selectFrom("turnout_returns")
        .select(["ballot_id", "as_of", "papers_returned"])
        .execute();
      const url = `/api/ballots/${ballots.stJames}/turnout/returns`;
      const cases: [string, Parameters<typeof as>[2], number, string][] = [
        [
          "an unmatched constituency",
          {
            method: "POST",
            url,
            payload: { fileName: "r.csv", csv: "constituency,date,papers_returned\nNowhere,2026-12-14,1\n" },
          },
          422,
          "turnout.invalid_returns",
        ],
        ["an empty file", { method: "POST", url, payload: { csv: "" } }, 400, "request.invalid"],
        [
          "binary rubbish",
          { method: "POST", url, payload: { csv: "\u0001\u0002PK\u0003" } },
          422,
          "turnout.invalid_returns",
        ],
        [
          "NUL in the file",
          { method: "POST", url, payload: { csv: "constituency\u0000,date\n" } },
          400,
          "request.invalid",
        ],
        [
          "a body over the limit",
          { method: "POST", url, payload: { csv: "x".repeat(1_100_000) } },
          413,
          "request.too_large",
        ],
        ["an id that is not a number", { url: "/api/ballots/abc/turnout" }, 400, "request.invalid"],
        ["a ballot that does not exist", { url: "/api/ballots/999999/turnout" }, 404, "ballots.not_found"],
      ];
      for (const [name, options, status, code] of cases) {
        const res = await as(app, national, options);
        assert.equal(res.statusCode, status, `${name}: ${res.body}`);
        assert.equal(res.json().error.code, code, name);
      }
      const refusedFile = await as(app, national, cases[0]![1]);
      assert.deepEqual(
        refusedFile
          .json()
          .error.details.problems.map((p: { line: number; field: string }) => [p.line, p.field]),
        [[2, "constituency"]],
      );
      assert.deepEqual(
        await open.db
          .selectFrom("turnout_returns")
          .select(["ballot_id", "as_of", "papers_returned"])
          .execute(),
        before,
      );
    });
  });
}
