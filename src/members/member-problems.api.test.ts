import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { as, buildTestApp, type Session, signIn } from "../../test/helpers/app.js";
import { backends, createTestDb } from "../../test/helpers/db.js";
import { type Fixture, seedFixture } from "../../test/helpers/fixtures.js";
import type { OpenDatabase } from "../db/connect.js";
import type { App } from "../http/types.js";
import { MEMBER_PROBLEMS, type MemberProblem } from "./members.model.js";
import type { QualityReportDto } from "./quality.service.js";

/**
 * Each data-quality card links to the members behind it: the member list
 * narrowed by that problem holds exactly the number on the card, in the
 * reader's scope.
 */
for (const { backend, skip } of await backends()) {
  describe(`members by data-quality problem on ${backend}`, { skip }, () => {
    let open: OpenDatabase;
    let app: App;
    let f: Fixture;
    const s: Record<string, Session> = {};

    before(async () => {
      open = await createTestDb(backend);
      f = await seedFixture(open.db);
      // An email that bounced for good (flagged by communications), one in St James and one in Camden.
      await open.db
        .updateTable("members")
        .set({ email_undeliverable_at: new Date("2026-01-05T10:00:00Z") })
        .where("id", "in", [f.members.stJames[0]!, f.members.camden[0]!])
        .execute();
      app = await buildTestApp(open);
      for (const role of ["national", "regional", "rep"] as const)
        s[role] = await signIn(app, f.users[role].email);
    });
    after(async () => {
      await app?.close();
      await open?.close();
    });

    async function cardCounts(role: string): Promise<Record<MemberProblem, number>> {
      const summary = (await as(app, s[role]!, { url: "/api/members/summary" })).json();
      const quality: QualityReportDto = (await as(app, s[role]!, { url: "/api/quality?by=region" })).json();
      return {
        no_address: summary.quality.noHomeAddress,
        no_workplace: summary.quality.noWorkplace,
        no_employer: summary.quality.noEmployer,
        in_arrears: summary.quality.inArrears,
        closed_workplace: summary.quality.atClosedWorkplaces,
        over_headcount: summary.quality.workplacesOverHeadcount,
        in_review: quality.totals.inReview,
        unmatched: quality.totals.unmatched,
        changed_recently: quality.totals.changedRecently,
        duplicate_pending: quality.totals.duplicatesPending,
        email_undeliverable: quality.totals.emailUndeliverable,
        mobile_undeliverable: quality.totals.mobileUndeliverable,
      };
    }

    for (const role of ["national", "regional", "rep"] as const) {
      test(`${role}: each problem's list holds the card's members`, async () => {
        const cards = await cardCounts(role);
        let nonZero = 0;
        for (const problem of MEMBER_PROBLEMS) {
          const res = await as(app, s[role]!, { url: `/api/members?problem=${problem}&pageSize=200` });
          assert.equal(res.statusCode, 200, problem);
          const page = res.json();
          if (problem === "over_headcount") {
            // The card counts workplaces; the list, the members at them.
            const workplaces = new Set(page.items.map((m: { workplaceId: number }) => m.workplaceId));
            assert.equal(workplaces.size, cards[problem], problem);
          } else {
            assert.equal(page.total, cards[problem], `${role} ${problem}`);
          }
          if (page.total > 0) nonZero++;
        }
        if (role === "national") assert.ok(nonZero >= 3, `only ${nonZero} problems found in the fixture`);
      });
    }

    test("the problem filter narrows: members without a home address all lack one", async () => {
      const page = (
        await as(app, s.national!, { url: "/api/members?problem=no_address&pageSize=200" })
      ).json();
      assert.ok(page.total > 0);
      const ids = page.items.map((m: { id: number }) => m.id);
      const rows = await open.db
        .selectFrom("members")
        .select(["address_line1", "home_postcode", "status"])
        .where("id", "in", ids)
        .execute();
      assert.ok(rows.every((r) => r.status === "active" && (!r.address_line1 || !r.home_postcode)));
      const all = (await as(app, s.national!, { url: "/api/members?pageSize=1" })).json();
      assert.ok(all.total > page.total);
    });

    test("an unknown problem is a 400 with a stable code, not a 500", async () => {
      const res = await as(app, s.national!, { url: "/api/members?problem=nope" });
      assert.equal(res.statusCode, 400);
      assert.equal(res.json().error.code, "request.invalid");
    });

    test("the quality report comes in pages, with totals over every row", async () => {
      const all: QualityReportDto = (await as(app, s.national!, { url: "/api/quality?by=employer" })).json();
      assert.equal(all.rows.length, all.total);
      assert.ok(all.total >= 2);
      const first: QualityReportDto = (
        await as(app, s.national!, { url: "/api/quality?by=employer&page=1&pageSize=1" })
      ).json();
      const second: QualityReportDto = (
        await as(app, s.national!, { url: "/api/quality?by=employer&page=2&pageSize=1" })
      ).json();
      assert.equal(first.rows.length, 1);
      assert.equal(first.total, all.total);
      assert.deepEqual(first.rows[0], all.rows[0]);
      assert.deepEqual(second.rows[0], all.rows[1]);
      assert.deepEqual(first.totals, all.totals);
    });
  });
}
