/**
 * Union settings (who notices come from) and the legal sign-off over HTTP:
 * national officers only, audited, and what they change on the documents.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { pdfText } from "../../test/fixtures/notices/pdf-text.js";
import { as, buildTestApp, type Session, signIn, waitForJob } from "../../test/helpers/app.js";
import { backends, createTestDb } from "../../test/helpers/db.js";
import { type Fixture, seedFixture } from "../../test/helpers/fixtures.js";
import type { OpenDatabase } from "../db/connect.js";
import type { App } from "../http/types.js";

const ROLES = ["regional", "sector", "rep", "scrutineer", "observer", "dpo"] as const;

for (const { backend, skip } of await backends()) {
  describe(`union settings and legal sign-off on ${backend}`, { skip }, () => {
    let open: OpenDatabase;
    let app: App;
    let f: Fixture;
    const s: Record<string, Session> = {};
    let ballotId: number;

    const audited = async (event: string) =>
      (
        await open.db
          .selectFrom("audit_log")
          .select(["event", "details", "actor_label"])
          .where("event", "=", event)
          .orderBy("seq")
          .execute()
      ).map((r) => ({ ...r, details: r.details as Record<string, unknown> }));

    before(async () => {
      open = await createTestDb(backend);
      f = await seedFixture(open.db);
      app = await buildTestApp(open);
      for (const [role, user] of Object.entries(f.users)) s[role] = await signIn(app, user.email);
      // A clean ballot of Leeds only (its St James's member with no address fixed).
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
      const d = await as(app, s.national!, {
        method: "POST",
        url: "/api/disputes",
        payload: { title: "Pay 2026", employerIds: [f.employers.leedsTrust] },
      });
      const b = await as(app, s.national!, {
        method: "POST",
        url: `/api/disputes/${d.json().id}/ballots`,
        payload: {
          name: "St James's",
          kind: "workplace",
          questions: ["strike"],
          openingDate: "2026-12-07",
          closingDate: "2027-01-04",
          returnAddress: "Freepost RTKT-XYZA, Ballot Services, London N8 0NW",
          authorisedPerson: "The General Secretary",
          scope: [{ employerId: f.employers.leedsTrust, workplaceId: f.workplaces.stJames }],
        },
      });
      assert.equal(b.statusCode, 201, b.body);
      ballotId = b.json().id;
      const r = await as(app, s.national!, {
        method: "POST",
        url: `/api/ballots/${ballotId}/statement-review`,
        payload: {
          text: "If you take part in a strike or other industrial action, you may be in breach of your contract of employment.",
        },
      });
      assert.equal(r.statusCode, 200, r.body);
    });
    after(async () => {
      await app?.close();
      await open?.close();
    });

    test("settings: everyone with org access reads them; only a national officer changes them, audited by field name", async () => {
      const read = await as(app, s.regional!, { url: "/api/union/settings" });
      assert.equal(read.statusCode, 200);
      assert.equal(read.json().signatoryName, "Jane Doe");
      for (const role of ROLES) {
        const res = await as(app, s[role]!, {
          method: "PATCH",
          url: "/api/union/settings",
          payload: { signatoryName: "Mallory" },
        });
        assert.equal(res.statusCode, 403, `${role} may not change the settings`);
      }
      assert.equal(
        (await as(app, s.national!, { url: "/api/union/settings" })).json().signatoryName,
        "Jane Doe",
      );
      const bad = await as(app, s.national!, {
        method: "PATCH",
        url: "/api/union/settings",
        payload: { address: "" },
      });
      assert.equal(bad.statusCode, 400);
      assert.equal(bad.json().error.code, "request.invalid");
      const ok = await as(app, s.national!, {
        method: "PATCH",
        url: "/api/union/settings",
        payload: { signatoryName: "Priya Shah", signatoryTitle: "Acting General Secretary" },
      });
      assert.equal(ok.statusCode, 200, ok.body);
      assert.equal(ok.json().signatoryName, "Priya Shah");
      assert.equal(ok.json().complete, true);
      const rows = await audited("union.settings_updated");
      assert.equal(rows.length, 1);
      assert.deepEqual(rows[0]!.details.fields, ["signatoryName", "signatoryTitle"]);
      assert.ok(!JSON.stringify(rows[0]).includes("Priya"), "field names, never values");
    });

    /** The notices of ballot generated as the web app generates them: a job, then the ballot's documents. */
    async function generateNotices(): Promise<
      { kind: string; id: number; draft: boolean; filename: string }[]
    > {
      const queued = await as(app, s.national!, {
        method: "POST",
        url: `/api/ballots/${ballotId}/documents/jobs`,
        payload: { set: "notices" },
      });
      assert.equal(queued.statusCode, 202, queued.body);
      const job = await waitForJob(app, s.national!, queued.json().id);
      assert.equal(job.state, "succeeded", JSON.stringify(job));
      const ids = new Set((job.result as { ids: number[] }).ids);
      const list = await as(app, s.national!, { url: `/api/ballots/${ballotId}/documents` });
      return list.json().filter((d: { id: number }) => ids.has(d.id));
    }

    test("notices are refused (409, stable code) while the union's letterhead is incomplete", async () => {
      const queued = await as(app, s.national!, {
        method: "POST",
        url: `/api/ballots/${ballotId}/electorate/freeze`,
      });
      assert.equal((await waitForJob(app, s.national!, queued.json().id)).state, "succeeded");
      const saved = await open.db.selectFrom("union_settings").selectAll().executeTakeFirstOrThrow();
      await open.db.updateTable("union_settings").set({ address: "" }).execute();
      const res = await as(app, s.national!, {
        method: "POST",
        url: `/api/ballots/${ballotId}/documents/jobs`,
        payload: { set: "notices" },
      });
      assert.equal(res.statusCode, 409, res.body);
      assert.equal(res.json().error.code, "documents.union_settings_incomplete");
      await open.db.updateTable("union_settings").set({ address: saved.address }).execute();
    });

    test("before sign-off, documents are drafts: flagged in the list, the download header and the watermark", async () => {
      const state = await as(app, s.regional!, { url: `/api/ballots/${ballotId}/legal-signoff` });
      assert.equal(state.statusCode, 200);
      assert.ok(state.json().items.length > 0, "the C regime carries items needing legal review");
      assert.equal(state.json().final, false);
      const notices = await generateNotices();
      const notice = notices.find((d) => d.kind === "ballot_notice");
      assert.ok(notice, "a notice of ballot was generated");
      assert.equal(notice.draft, true);
      assert.match(notice.filename, /-DRAFT\.pdf$/);
      const dl = await as(app, s.national!, { url: `/api/documents/${notice.id}/download` });
      assert.equal(dl.headers["x-document-status"], "draft");
      const text = await pdfText(dl.rawPayload);
      assert.match(text, /DRAFT - NEEDS LEGAL REVIEW - NOT TO BE SENT/);
      // The letter is the union's: its letterhead and signatory, not the scrutineer's Freepost address.
      assert.match(text, /HPSU House/);
      assert.match(text, /Priya Shah/);
      assert.doesNotMatch(text, /Freepost/);
    });

    test("only a national officer records the sign-off; it is audited; documents then issue final", async () => {
      const payload = {
        reviewer: "A. Counsel, Example Chambers",
        reviewed: "Draft notice and sample paper of 20 November 2026",
      };
      for (const role of ROLES) {
        const res = await as(app, s[role]!, {
          method: "POST",
          url: `/api/ballots/${ballotId}/legal-signoff`,
          payload,
        });
        assert.ok([403, 404].includes(res.statusCode), `${role}: ${res.statusCode}`);
      }
      const empty = await as(app, s.national!, {
        method: "POST",
        url: `/api/ballots/${ballotId}/legal-signoff`,
        payload: { reviewer: "", reviewed: "" },
      });
      assert.equal(empty.statusCode, 400);
      const ok = await as(app, s.national!, {
        method: "POST",
        url: `/api/ballots/${ballotId}/legal-signoff`,
        payload,
      });
      assert.equal(ok.statusCode, 200, ok.body);
      assert.equal(ok.json().final, true);
      assert.equal(ok.json().signOff.reviewer, payload.reviewer);
      const rows = await audited("ballot.legal_signed_off");
      assert.equal(rows.length, 1);
      assert.equal(rows[0]!.details.items, ok.json().items.length);

      const notices = await generateNotices();
      const notice = notices.find((d) => d.kind === "ballot_notice");
      assert.ok(notice, "a notice of ballot was generated");
      assert.equal(notice.draft, false);
      assert.doesNotMatch(notice.filename, /DRAFT/);
      const dl = await as(app, s.national!, { url: `/api/documents/${notice.id}/download` });
      assert.equal(dl.headers["x-document-status"], "final");
      const text = await pdfText(dl.rawPayload);
      assert.doesNotMatch(text, /draft|needs legal review/i);
      const sample = notices.find((d) => d.kind === "sample_paper");
      assert.ok(sample, "a sample voting paper was generated");
      const paper = await pdfText(
        (await as(app, s.national!, { url: `/api/documents/${sample.id}/download` })).rawPayload,
      );
      assert.doesNotMatch(paper, /needs legal review/i);
    });

    test("the timetable shows weekends and bank holidays by the employer's nation, dates unchanged", async () => {
      // Notice of ballot due Monday 30 November 2026: St Andrew's Day, a bank holiday in Scotland only.
      await open.db
        .updateTable("employers")
        .set({ nation: "scotland" })
        .where("id", "=", f.employers.leedsTrust)
        .execute();
      const res = await as(app, s.regional!, { url: `/api/ballots/${ballotId}/timetable` });
      assert.equal(res.statusCode, 200, res.body);
      const t = res.json();
      const notice = t.deadlines.find((d: { id: string }) => d.id === "ballot_notice");
      assert.equal(
        notice.date,
        "2026-11-30",
        "calendar-day arithmetic unchanged (s.226A: 7th day before opening)",
      );
      const day = t.days.find((d: { deadlineId: string }) => d.deadlineId === "ballot_notice");
      assert.equal(day.weekday, "Monday");
      assert.deepEqual(
        day.nonWorking.map((n: { nation: string }) => n.nation),
        ["scotland"],
      );
      const leeds = t.employers.find((e: { employerId: number }) => e.employerId === f.employers.leedsTrust);
      assert.equal(leeds.nation, "scotland");
      assert.equal(leeds.warnings.length, 1);
      assert.match(
        leeds.warnings[0],
        /notice of ballot must be received by Monday 30 November 2026, not a working day in Scotland \(St Andrew's Day/,
      );
      assert.match(leeds.warnings[0], /Friday 27 November 2026/);
      await open.db
        .updateTable("employers")
        .set({ nation: "england" })
        .where("id", "=", f.employers.leedsTrust)
        .execute();
      const back = (await as(app, s.regional!, { url: `/api/ballots/${ballotId}/timetable` })).json();
      assert.deepEqual(
        back.employers.find((e: { employerId: number }) => e.employerId === f.employers.leedsTrust).warnings,
        [],
      );
    });
  });
}
