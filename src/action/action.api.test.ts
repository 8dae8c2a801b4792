import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { as, buildTestApp, type Session, signIn } from "../../test/helpers/app.js";
import { createTestDb } from "../../test/helpers/db.js";
import { CLOCK, createDisputeBallots, type Fixture, seedFixture } from "../../test/helpers/fixtures.js";
import type { OpenDatabase } from "../db/connect.js";
import type { App } from "../http/types.js";

/** The action API over HTTP: codes for bad input (never a 500, nothing changed), the CSV export. */
describe("day of action API", () => {
  let open: OpenDatabase;
  let f: Fixture;
  let app: App;
  let disputeId: number;
  const s: Record<string, Session> = {};

  before(async () => {
    open = await createTestDb("pglite");
    f = await seedFixture(open.db);
    const made = await createDisputeBallots({ db: open.db, actor: f.actors.national, clock: CLOCK }, f, {
      ballots: [
        {
          key: "a",
          name: "St James's",
          employerId: f.employers.leedsTrust,
          workplaceId: f.workplaces.stJames,
        },
      ],
    });
    disputeId = made.dispute.id;
    app = await buildTestApp(open);
    for (const role of ["national", "regional", "rep", "observer"] as const)
      s[role] = await signIn(app, f.users[role].email);
  });
  after(async () => {
    await app?.close();
    await open?.close();
  });

  test("plan, claim, approve and export over HTTP; refusals answer with codes", async () => {
    const day = await as(app, s.national!, {
      method: "POST",
      url: `/api/disputes/${disputeId}/action/days`,
      payload: { day: "2027-01-20", kind: "strike" },
    });
    assert.equal(day.statusCode, 201, day.body);
    const badDay = await as(app, s.national!, {
      method: "POST",
      url: `/api/disputes/${disputeId}/action/days`,
      payload: { day: "2027-02-30", kind: "strike" },
    });
    assert.equal(badDay.statusCode, 400);
    const rules = await as(app, s.national!, {
      method: "PUT",
      url: `/api/disputes/${disputeId}/strike-pay/rules`,
      payload: { ratePence: 3500 },
    });
    assert.equal(rules.statusCode, 200, rules.body);
    const claimUrl = `/api/disputes/${disputeId}/strike-pay/claims`;
    const claim = await as(app, s.rep!, {
      method: "POST",
      url: claimUrl,
      payload: { memberId: f.members.stJames[0], kind: "strike_pay", days: ["2027-01-20"] },
    });
    assert.equal(claim.statusCode, 201, claim.body);
    const twice = await as(app, s.rep!, {
      method: "POST",
      url: claimUrl,
      payload: { memberId: f.members.stJames[0], kind: "strike_pay", days: ["2027-01-20"] },
    });
    assert.equal(twice.statusCode, 409);
    assert.equal(twice.json().error.code, "action.day_already_claimed");
    const badEvidence = await as(app, s.rep!, {
      method: "POST",
      url: claimUrl,
      payload: {
        memberId: f.members.stJames[1],
        kind: "strike_pay",
        days: ["2027-01-20"],
        evidence: { name: "x.pdf", contentType: "application/pdf", base64: "not base64!" },
      },
    });
    assert.equal(badEvidence.statusCode, 422);
    const observer = await as(app, s.observer!, { url: claimUrl });
    assert.equal(observer.statusCode, 403);
    const cal = await as(app, s.regional!, { url: `/api/disputes/${disputeId}/action/calendar` });
    assert.equal(cal.statusCode, 200);
    assert.equal(cal.json().days[0].places.length, 1);
    const approve = await as(app, s.regional!, {
      method: "POST",
      url: `${claimUrl}/${claim.json().id}/decision`,
      payload: { decision: "approve" },
    });
    assert.equal(approve.statusCode, 200, approve.body);
    const refused = await as(app, s.regional!, {
      method: "POST",
      url: "/api/strike-pay/export?from=2027-01-01&to=2027-01-31",
    });
    assert.equal(refused.statusCode, 403);
    const csv = await as(app, s.national!, {
      method: "POST",
      url: "/api/strike-pay/export?from=2027-01-01&to=2027-01-31",
    });
    assert.equal(csv.statusCode, 200);
    assert.match(csv.headers["content-type"] as string, /text\/csv/);
    assert.match(csv.body, /strike_pay,2027-01-20,3500,35\.00/);
    const report = await as(app, s.rep!, {
      method: "POST",
      url: "/api/action/reports",
      payload: { day: "2027-01-20", workplaceId: f.workplaces.stJames, outCount: 30, picketUp: true },
    });
    assert.equal(report.statusCode, 201, report.body);
    const board = await as(app, s.rep!, { url: "/api/action/reports/2027-01-20" });
    assert.equal(board.json()[0].outCount, 30);
  });
});
