import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { as, type Session, signIn } from "../../test/helpers/app.js";
import { createTestDb } from "../../test/helpers/db.js";
import { ballotInput, CLOCK, type Fixture, seedFixture } from "../../test/helpers/fixtures.js";
import type { Ctx } from "../context.js";
import type { OpenDatabase } from "../db/connect.js";
import { buildApp } from "../http/app.js";
import type { App } from "../http/types.js";
import { createDispute } from "./disputes.service.js";
import { freezeElectorate } from "./freeze.service.js";
import { createBallot, reviewStatement } from "./setup.service.js";

const STATEMENT =
  "If you take part in a strike or other industrial action, you may be in breach of your contract of employment. (Wording as advised by the union's solicitors.)";

/**
 * A ballot's notices queued as a job over HTTP: refused at once while
 * pre-flight blocks (no job), else 202 with the job, which the server's
 * worker runs to the documents and the ballot's next state.
 */
describe("ballot documents as a job over HTTP", () => {
  let open: OpenDatabase;
  let app: App;
  let f: Fixture;
  let national: Session;
  let ctx: Ctx;
  let ballotId: number;

  before(async () => {
    open = await createTestDb("pglite");
    f = await seedFixture(open.db);
    ctx = { db: open.db, actor: f.actors.national, clock: CLOCK };
    app = await buildApp({
      db: open.db,
      clock: CLOCK,
      secureCookies: false,
      webDir: null,
      logLevel: "silent",
    });
    await app.ready();
    national = await signIn(app, f.users.national.email);
    const d = await createDispute(ctx, {
      title: "Pay 2026",
      mattersInIssue: "The 2026 pay offer.",
      coalition: "",
      employerIds: [f.employers.leedsTrust, f.employers.camden, f.employers.bradfordCouncil],
    });
    ballotId = (await createBallot(ctx, d.id, ballotInput(f))).id;
    await reviewStatement(ctx, ballotId, STATEMENT);
  });
  after(async () => {
    await app?.close();
    await open?.close();
  });

  const queue = () =>
    as(app, national, {
      method: "POST",
      url: `/api/ballots/${ballotId}/documents/jobs`,
      payload: { set: "notices" },
    });

  test("refused at once (422) while pre-flight blocks: no job is queued", async () => {
    // The fixture's members have the defects pre-flight looks for.
    await freezeElectorate(ctx, ballotId);
    const res = await queue();
    assert.equal(res.statusCode, 422, res.body);
    assert.equal(res.json().error.code, "ballots.preflight_blocked");
    assert.equal((await as(app, national, { method: "GET", url: "/api/jobs" })).json().length, 0);
  });

  test("queued (202) once clear, and run by the server's worker to every notice", async () => {
    await open.db
      .updateTable("members")
      .set({ workplace_id: f.workplaces.camdenHall })
      .where("id", "=", f.members.noWorkplace)
      .execute();
    await open.db
      .updateTable("members")
      .set({ address_line1: "2 Beckett Street", home_postcode: "LS9 7TF" })
      .where("id", "=", f.members.stJames[2]!)
      .execute();
    await open.db
      .updateTable("workplaces")
      .set({ headcount: 40 })
      .where("id", "=", f.workplaces.stJames)
      .execute();
    await open.db
      .updateTable("workplaces")
      .set({ closed_on: null })
      .where("id", "=", f.workplaces.bradfordDepot)
      .execute();
    await freezeElectorate(ctx, ballotId);
    const res = await queue();
    assert.equal(res.statusCode, 202, res.body);
    const job = res.json() as { id: number; kind: string; total: number };
    assert.equal(job.kind, "ballot_documents");
    let polled = job as { state?: string; done?: number; result?: { documents: number } };
    for (let i = 0; i < 300 && !["succeeded", "failed"].includes(polled.state ?? ""); i++) {
      await new Promise((r) => setTimeout(r, 100));
      polled = (await as(app, national, { method: "GET", url: `/api/jobs/${job.id}` })).json();
    }
    assert.equal(polled.state, "succeeded", JSON.stringify(polled));
    assert.equal(polled.done, job.total, "progress per document");
    const docs = (
      await as(app, national, { method: "GET", url: `/api/ballots/${ballotId}/documents` })
    ).json() as { kind: string }[];
    assert.equal(docs.length, job.total);
    assert.equal(docs.filter((d) => d.kind === "ballot_notice").length, 3);
    const ballot = (await as(app, national, { method: "GET", url: `/api/ballots/${ballotId}` })).json();
    assert.equal(ballot.state, "notices_issued");
  });
});
