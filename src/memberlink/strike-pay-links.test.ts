import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { tokensOf } from "../../test/fixtures/indicative.js";
import { as, buildTestApp, signIn } from "../../test/helpers/app.js";
import { backends, createTestDb } from "../../test/helpers/db.js";
import { CLOCK, createDisputeBallots, type Fixture, seedFixture } from "../../test/helpers/fixtures.js";
import { listClaims, setPayRules } from "../action/index.js";
import type { Actor } from "../auth/index.js";
import type { Ctx } from "../context.js";
import type { OpenDatabase } from "../db/connect.js";
import type { App } from "../http/types.js";
import { fixedClock } from "../shared/clock.js";
import { AppError } from "../shared/errors.js";
import { claimByLink, issueBallotLinks, issueStrikePayLinks, openLink } from "./memberlink.service.js";

const refused = (code: string) => (e: unknown) => e instanceof AppError && e.code === code;
/** The day after the dispute's two strike days (20 and 21 January 2027). */
const AFTER = fixedClock("2027-01-22T10:00:00Z");

for (const { backend, skip } of await backends()) {
  describe(`strike pay links: members claim for themselves (${backend})`, { skip }, () => {
    let open: OpenDatabase;
    let f: Fixture;
    let disputeId: number;
    let stJamesBallot: number;
    let tokens: Map<string, string>;
    const ctx = (actor: Actor, clock = AFTER): Ctx => ({ db: open.db, actor, clock });
    const deps = (clock = AFTER) => ({ db: open.db, clock });
    const SOURCE = "198.51.100.7";

    before(async () => {
      open = await createTestDb(backend);
      f = await seedFixture(open.db);
      const made = await createDisputeBallots(ctx(f.actors.national, CLOCK), f, {
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
      disputeId = made.dispute.id;
      stJamesBallot = made.ballots.stJames!;
      await setPayRules(ctx(f.actors.national), disputeId, {
        ratePence: 2500,
        unpaidDays: 0,
        maxPaidDays: null,
        maxPencePerMember: null,
        hardshipMaxPence: 30_000,
        hardshipCriteria: [],
      });
    });
    after(async () => open?.close());

    test("links go to the members of the dispute's ballots in the officer's scope, once its strike days exist", async () => {
      await assert.rejects(
        issueStrikePayLinks(ctx(f.actors.regional), disputeId, "https://mandate.test"),
        refused("action.invalid"),
        "no strike day yet",
      );
      for (const day of ["2027-01-20", "2027-01-21"]) {
        await open.db
          .insertInto("action_days")
          .values({
            union_id: f.unionId,
            dispute_id: disputeId,
            day,
            kind: "strike",
            created_by: null,
            created_at: CLOCK.now(),
          })
          .execute();
      }
      await assert.rejects(
        issueStrikePayLinks(ctx(f.actors.rep), disputeId, "https://mandate.test"),
        refused("auth.forbidden"),
      );
      const file = await issueStrikePayLinks(ctx(f.actors.regional), disputeId, "https://mandate.test/");
      tokens = tokensOf(file.csv);
      const numbers = await open.db
        .selectFrom("members")
        .select(["membership_number", "region_id", "workplace_id"])
        .where("id", "in", [...f.members.stJames, ...f.members.camden])
        .execute();
      // The regional officer (Yorkshire) reaches St James's members, not Camden's.
      const inReach = numbers
        .filter((m) => m.workplace_id === f.workplaces.stJames)
        .map((m) => m.membership_number);
      assert.ok(inReach.length > 0);
      assert.ok(tokens.size > 0);
      assert.ok(
        [...tokens.keys()].every((n) => inReach.includes(n)),
        "no Camden member",
      );
      assert.match(file.csv, /https:\/\/mandate\.test\/m#/);
      const row = await open.db
        .selectFrom("member_links")
        .select(["expires_at", "dispute_id", "ballot_id"])
        .where("dispute_id", "=", disputeId)
        .executeTakeFirstOrThrow();
      assert.equal(row.ballot_id, null);
      // Sixty days after the last strike day, to the end of that day.
      assert.equal(row.expires_at.toISOString(), "2027-03-22T23:59:59.999Z");
    });

    test("the member sees the strike days, claims some, cannot claim a day twice, and an officer sees the claim", async () => {
      const token = [...tokens.values()][0]!;
      const seen = await openLink(deps(), token, SOURCE);
      assert.equal(seen.statutory, null);
      assert.deepEqual(seen.strikePay?.days, [
        { day: "2027-01-20", claim: null },
        { day: "2027-01-21", claim: null },
      ]);
      assert.equal(seen.strikePay?.rules?.ratePence, 2500);

      const claimed = await claimByLink(
        deps(),
        {
          token,
          kind: "strike_pay",
          days: ["2027-01-20", "2027-01-21"],
          requestedPence: null,
          evidenceNote: "On the picket line both days.",
          evidence: null,
        },
        SOURCE,
      );
      assert.deepEqual(
        claimed.strikePay?.days.map((d) => d.claim),
        ["submitted", "submitted"],
      );
      assert.equal(claimed.strikePay?.claims.length, 1);
      await assert.rejects(
        claimByLink(
          deps(),
          {
            token,
            kind: "strike_pay",
            days: ["2027-01-21"],
            requestedPence: null,
            evidenceNote: "",
            evidence: null,
          },
          SOURCE,
        ),
        refused("action.day_already_claimed"),
      );
      await assert.rejects(
        claimByLink(
          deps(),
          {
            token,
            kind: "strike_pay",
            days: ["2027-01-22"],
            requestedPence: null,
            evidenceNote: "",
            evidence: null,
          },
          SOURCE,
        ),
        refused("action.invalid"),
      );
      // Nothing from the refused attempts was kept.
      assert.equal((await openLink(deps(), token, SOURCE)).strikePay?.claims.length, 1);

      const member = await open.db
        .selectFrom("member_links")
        .select("member_id")
        .where("dispute_id", "=", disputeId)
        .where("revoked_at", "is", null)
        .orderBy("id")
        .executeTakeFirstOrThrow();
      const forOfficer = await listClaims(ctx(f.actors.regional), disputeId, { limit: 50 });
      assert.deepEqual(
        forOfficer.map((c) => [c.memberId, c.days, c.state]),
        [[member.member_id, ["2027-01-20", "2027-01-21"], "submitted"]],
      );
      const audit = await open.db
        .selectFrom("audit_log")
        .select(["details"])
        .where("event", "=", "memberlink.claimed")
        .execute();
      assert.equal(audit.length, 1);
      assert.doesNotMatch(JSON.stringify(audit), /picket line/);
    });

    test("a ballot's link cannot claim; a strike pay link expires after its window", async () => {
      const during = fixedClock("2026-12-15T10:00:00Z");
      const ballotFile = await issueBallotLinks(
        ctx(f.actors.national, during),
        stJamesBallot,
        "https://mandate.test",
      );
      const ballotToken = [...tokensOf(ballotFile.csv).values()][0]!;
      await assert.rejects(
        claimByLink(
          deps(during),
          {
            token: ballotToken,
            kind: "strike_pay",
            days: ["2027-01-20"],
            requestedPence: null,
            evidenceNote: "",
            evidence: null,
          },
          SOURCE,
        ),
        refused("action.not_found"),
      );
      const token = [...tokens.values()][0]!;
      await assert.rejects(
        openLink(deps(fixedClock("2027-03-23T00:00:00Z")), token, SOURCE),
        refused("memberlink.not_found"),
      );
    });

    test("over HTTP: the claim route refuses bad input with 400 and an unknown link with 404, issuing answers CSV", async () => {
      let app: App | undefined;
      try {
        app = await buildTestApp(open, null, AFTER);
        const bad = await app.inject({
          method: "POST",
          url: "/api/link/claim",
          payload: { token: [...tokens.values()][0], kind: "strike_pay", days: ["20/01/2027"] },
        });
        assert.equal(bad.statusCode, 400, bad.body);
        const unknown = await app.inject({
          method: "POST",
          url: "/api/link/claim",
          payload: { token: "A".repeat(43), kind: "hardship", requestedPence: 1000 },
        });
        assert.equal(unknown.statusCode, 404, unknown.body);
        const national = await signIn(app, f.users.national.email);
        const issued = await as(app, national, {
          method: "POST",
          url: `/api/disputes/${disputeId}/strike-pay/links`,
        });
        assert.equal(issued.statusCode, 200, issued.body);
        assert.match(String(issued.headers["content-type"]), /text\/csv/);
        assert.ok(tokensOf(issued.body).size >= tokens.size);
      } finally {
        await app?.close();
      }
    });
  });
}
