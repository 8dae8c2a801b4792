import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { as, buildTestApp, signIn } from "../../test/helpers/app.js";
import { backends, createTestDb } from "../../test/helpers/db.js";
import { CLOCK, createDisputeBallots, type Fixture, seedFixture } from "../../test/helpers/fixtures.js";
import type { Actor } from "../auth/index.js";
import type { Ctx } from "../context.js";
import type { OpenDatabase } from "../db/connect.js";
import type { App } from "../http/types.js";
import { fixedClock } from "../shared/clock.js";
import { AppError } from "../shared/errors.js";
import { sha256Hex } from "../shared/hash.js";
import { membersNotReportedVoted } from "./member-link-reports.js";
import { turnoutReadiness } from "./readiness.service.js";
import { recordSelfReport, turnoutStatus } from "./turnout.service.js";
import { importVotedFeed } from "./voted-feed.service.js";

const refused = (code: string) => (e: unknown) => e instanceof AppError && e.code === code;
/** Eight days into the ballot (it opens on 7 December 2026). */
const DURING = fixedClock("2026-12-15T10:00:00Z");

for (const { backend, skip } of await backends()) {
  describe(`the scrutineer's feed of papers returned on ${backend}`, { skip }, () => {
    let open: OpenDatabase;
    let f: Fixture;
    let app: App;
    let ballots: Record<string, number>;
    const ctx = (actor: Actor, clock = DURING): Ctx => ({ db: open.db, actor, clock });
    /** Membership number and paper number of each member of a ballot's frozen electorate. */
    const papers = async (ballotId: number) =>
      open.db
        .selectFrom("ballot_electorate")
        .select(["member_id", "membership_number", "paper_number"])
        .where("ballot_id", "=", ballotId)
        .where("included", "=", true)
        .orderBy("paper_number")
        .execute();
    const reports = () =>
      open.db
        .selectFrom("turnout_self_reports")
        .select(["ballot_id", "member_id", "kind", "source"])
        .orderBy("id")
        .execute();

    before(async () => {
      open = await createTestDb(backend);
      f = await seedFixture(open.db);
      const national: Ctx = { db: open.db, actor: f.actors.national, clock: CLOCK };
      const { employers: e, workplaces: w } = f;
      ({ ballots } = await createDisputeBallots(national, f, {
        ballots: [
          { key: "stJames", name: "St James's", employerId: e.leedsTrust, workplaceId: w.stJames },
          { key: "camden", name: "Camden", employerId: e.camden, workplaceId: w.camdenHall },
          { key: "lgi", name: "Leeds General", employerId: e.leedsTrust, workplaceId: w.lgi },
          { key: "bradford", name: "Bradford", employerId: e.bradfordCouncil, workplaceId: null },
        ],
        freeze: ["stJames", "camden", "bradford"],
      }));
      app = await buildTestApp({ ...open }, null, DURING);
    });
    after(async () => {
      await app?.close();
      await open?.close();
    });

    test("a file with one bad row is refused whole, naming file, line and field; nothing is recorded", async () => {
      const [first] = await papers(ballots.stJames!);
      const csv = `membership_number\n${first!.membership_number}\nNOSUCH1\n`;
      await assert.rejects(
        importVotedFeed(ctx(f.actors.national), ballots.stJames!, { fileName: "voted.csv", csv }),
        (e) => {
          assert.ok(refused("turnout.invalid_voted_feed")(e));
          assert.match((e as Error).message, /voted\.csv:3: membership_number: "NOSUCH1" is not a member/);
          return true;
        },
      );
      // Before the ballot opens no paper can have come back.
      await assert.rejects(
        importVotedFeed(ctx(f.actors.national, fixedClock("2026-12-01T10:00:00Z")), ballots.stJames!, {
          fileName: "voted.csv",
          csv: `membership_number\n${first!.membership_number}\n`,
        }),
        refused("turnout.invalid_voted_feed"),
      );
      // The feed is the scrutineer's, imported by those who import the returns.
      for (const actor of [f.actors.regional, f.actors.rep, f.actors.scrutineer])
        await assert.rejects(
          importVotedFeed(ctx(actor), ballots.stJames!, { fileName: "voted.csv", csv }),
          refused("auth.forbidden"),
        );
      assert.deepEqual(await reports(), []);
    });

    test("members named by number or paper are recorded as voted by the scrutineer, leave the not-voted list, once", async () => {
      const st = await papers(ballots.stJames!);
      const camden = await papers(ballots.camden!);
      const before = await membersNotReportedVoted(ctx(f.actors.national), ballots.stJames!);
      assert.ok(before.some((m) => m.memberId === st[0]!.member_id));
      const csv = [
        "membership_number,paper_number,constituency",
        `${st[0]!.membership_number},,`,
        `,${st[1]!.paper_number},St James's University Hospital`,
        `,${camden[0]!.paper_number},Camden`,
        // The same member again, by paper: one report.
        `,${st[0]!.paper_number},St James's`,
      ].join("\n");
      const result = await importVotedFeed(ctx(f.actors.national), ballots.stJames!, {
        fileName: "voted.csv",
        csv,
      });
      assert.deepEqual(result, {
        disputeId: result.disputeId,
        rows: 4,
        members: 3,
        recorded: 3,
        alreadyReported: 0,
        constituencies: 2,
      });
      assert.deepEqual(
        (await reports()).map((r) => [r.ballot_id, r.member_id, r.kind, r.source]),
        [
          [ballots.stJames, st[0]!.member_id, "voted", "scrutineer"],
          [ballots.stJames, st[1]!.member_id, "voted", "scrutineer"],
          [ballots.camden, camden[0]!.member_id, "voted", "scrutineer"],
        ],
      );
      const after = await membersNotReportedVoted(ctx(f.actors.national), ballots.stJames!);
      assert.equal(after.length, before.length - 2);
      assert.ok(!after.some((m) => m.memberId === st[0]!.member_id || m.memberId === st[1]!.member_id));
      const status = await turnoutStatus(ctx(f.actors.national), ballots.stJames!);
      assert.equal(status.constituencies.find((c) => c.ballotId === ballots.stJames)!.reports.voted, 2);
      // A returned paper is not a contact: readiness counts no one contacted.
      const ready = await turnoutReadiness(ctx(f.actors.national), ballots.stJames!);
      assert.equal(ready.constituencies.find((c) => c.ballotId === ballots.stJames)!.contactedShare, 0);
      // Nor is it campaign activity: the dashboards' daily counts leave it out.
      const activity = await open.db.selectFrom("turnout_activity_daily").selectAll().execute();
      assert.deepEqual(activity, []);
      // One audit row: counts and the file's fingerprint, never a membership number.
      const audit = await open.db
        .selectFrom("audit_log")
        .select(["subject_type", "details"])
        .where("event", "=", "turnout.voted_feed_imported")
        .execute();
      assert.equal(audit.length, 1);
      assert.equal(audit[0]!.subject_type, "dispute");
      assert.deepEqual(audit[0]!.details, {
        ballotId: ballots.stJames,
        rows: 4,
        members: 3,
        recorded: 3,
        constituencies: 2,
        sha256: sha256Hex(csv),
      });
      assert.ok(!JSON.stringify(audit[0]!.details).includes(st[0]!.membership_number));

      // The next day's cumulative feed: those already recorded are not recorded again; a member a rep
      // reported voted is not either.
      await recordSelfReport(ctx(f.actors.national), ballots.stJames!, {
        memberId: st[2]!.member_id,
        kind: "voted",
        source: "rep_conversation",
      });
      const again = await importVotedFeed(ctx(f.actors.national), ballots.stJames!, {
        fileName: "voted-2.csv",
        csv: `paper_number\n${st[0]!.paper_number}\n${st[1]!.paper_number}\n${st[2]!.paper_number}\n`,
      });
      assert.equal(again.recorded, 0);
      assert.equal(again.alreadyReported, 3);
      assert.equal((await reports()).length, 4);
    });

    test("over HTTP: 200 with the counts, 422 with every problem's line and field, 403 for a regional officer", async () => {
      const national = await signIn(app, f.users.national.email);
      const regional = await signIn(app, f.users.regional.email);
      // A member not yet reported, of another constituency, named by number (the feed covers the dispute).
      const next = (await papers(ballots.bradford!))[0]!.membership_number;
      const url = `/api/ballots/${ballots.stJames}/turnout/voted`;
      const bad = await as(app, national, {
        method: "POST",
        url,
        payload: {
          fileName: "v.csv",
          csv: `membership_number,paper_number,ballot_id\n${next},,\n,1,${ballots.lgi}\n`,
        },
      });
      assert.equal(bad.statusCode, 422, bad.body);
      assert.equal(bad.json().error.code, "turnout.invalid_voted_feed");
      assert.deepEqual(
        bad
          .json()
          .error.details.problems.map((p: { file: string; line: number; field: string }) => [
            p.file,
            p.line,
            p.field,
          ]),
        [["v.csv", 3, "ballot_id"]],
      );
      const unmatched = await as(app, national, {
        method: "POST",
        url,
        payload: { fileName: "v.csv", csv: `membership_number,paper_number\n${next},\n,999999\n` },
      });
      assert.equal(unmatched.statusCode, 422);
      assert.deepEqual(
        unmatched
          .json()
          .error.details.problems.map((p: { line: number; field: string }) => [p.line, p.field]),
        [[3, "paper_number"]],
      );
      const count = (await reports()).length;
      const forbidden = await as(app, regional, {
        method: "POST",
        url,
        payload: { csv: `membership_number\n${next}\n` },
      });
      assert.equal(forbidden.statusCode, 403);
      assert.equal((await reports()).length, count);
      const ok = await as(app, national, {
        method: "POST",
        url,
        payload: { csv: `membership_number\n${next}\n` },
      });
      assert.equal(ok.statusCode, 200, ok.body);
      assert.equal(ok.json().recorded, 1);
      assert.equal((await reports()).length, count + 1);
      // A feed larger than the API's usual 1 MB body is taken (a national ballot's runs to megabytes).
      const payload = {
        csv: `membership_number,returned_by\n${`${next},scrutineer-batch-0001\n`.repeat(100_000)}`,
      };
      assert.ok(JSON.stringify(payload).length > 2_000_000);
      const big = await as(app, national, { method: "POST", url, payload });
      assert.equal(big.statusCode, 200, big.body.slice(0, 300));
      assert.deepEqual([big.json().rows, big.json().members, big.json().recorded], [100_000, 1, 0]);
    });

    test("a replacement paper names its member; a paper replaced for another ballot does not", async () => {
      const [green] = await papers(ballots.bradford!);
      await open.db
        .insertInto("ballot_paper_changes")
        .values({
          ballot_id: ballots.bradford!,
          kind: "replacement",
          recorded_on: "2026-12-10",
          paper_number: 9001,
          replaces_paper: green!.paper_number,
          member_id: green!.member_id,
          reason: "lost",
          recorded_at: new Date("2026-12-10T10:00:00Z"),
        })
        .execute();
      const ok = await importVotedFeed(ctx(f.actors.national), ballots.bradford!, {
        fileName: "v.csv",
        csv: "paper_number\n9001\n",
      });
      assert.deepEqual([ok.members, ok.alreadyReported], [1, 1]);
      await assert.rejects(
        importVotedFeed(ctx(f.actors.national), ballots.stJames!, {
          fileName: "v.csv",
          csv: "paper_number\n9001\n",
        }),
        refused("turnout.invalid_voted_feed"),
      );
    });
  });
}
