import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { sql } from "kysely";
import { pdfText } from "../../test/fixtures/notices/pdf-text.js";
import { backends, createTestDb } from "../../test/helpers/db.js";
import { ballotInput, CLOCK, type Fixture, seedFixture } from "../../test/helpers/fixtures.js";
import { auditKeyOf, checkpointInPdf, checkpointIsSigned, verifyAuditChain } from "../audit/index.js";
import type { Ctx } from "../context.js";
import type { OpenDatabase } from "../db/connect.js";
import { fixedClock } from "../shared/clock.js";
import { AppError } from "../shared/errors.js";
import { createActionNotices } from "./action-notices.service.js";
import type { CreateBallotInput } from "./ballots.model.js";
import { createDispute } from "./disputes.service.js";
import {
  downloadDocument,
  generateBallotNotices,
  generateResultNotices,
  generateVoterFile,
  listDocuments,
  verifyDocuments,
  writeDocumentsToFolder,
} from "./documents.service.js";
import { freezeElectorate } from "./freeze.service.js";
import { recordResult } from "./results.service.js";
import { appointScrutineer } from "./scrutineers.service.js";
import { createBallot, getBallot, reviewStatement, updateBallot } from "./setup.service.js";

const STATEMENT =
  "If you take part in a strike or other industrial action, you may be in breach of your contract of employment. (Wording as advised by the union's solicitors.)";

for (const { backend, skip } of await backends()) {
  describe(`ballot documents on ${backend}`, { skip }, () => {
    let open: OpenDatabase;
    let f: Fixture;
    let national: Ctx;
    let ballotId: number;

    /** The fixture's data with its four defects fixed: what a clean ballot looks like. */
    async function fixFixture() {
      const db = open.db;
      await db
        .updateTable("members")
        .set({ workplace_id: f.workplaces.camdenHall })
        .where("id", "=", f.members.noWorkplace)
        .execute();
      await db
        .updateTable("members")
        .set({ address_line1: "2 Beckett Street", home_postcode: "LS9 7TF" })
        .where("id", "=", f.members.stJames[2]!)
        .execute();
      await db
        .updateTable("workplaces")
        .set({ headcount: 40 })
        .where("id", "=", f.workplaces.stJames)
        .execute();
      await db
        .updateTable("workplaces")
        .set({ closed_on: null })
        .where("id", "=", f.workplaces.bradfordDepot)
        .execute();
    }

    const input = (over: Partial<CreateBallotInput> = {}): CreateBallotInput => ballotInput(f, over);

    before(async () => {
      open = await createTestDb(backend);
      f = await seedFixture(open.db);
      national = { db: open.db, actor: f.actors.national, clock: CLOCK };
      await fixFixture();
      const d = await createDispute(national, {
        title: "Pay 2026",
        mattersInIssue: "The 2026 pay offer.",
        coalition: "",
        employerIds: [f.employers.leedsTrust, f.employers.camden, f.employers.bradfordCouncil],
      });
      ballotId = (await createBallot(national, d.id, input())).id;
      await appointScrutineer(national, ballotId, f.users.scrutineer.id);
      await reviewStatement(national, ballotId, STATEMENT);
    });
    after(async () => {
      await open?.close();
    });

    const blockedBy = (code: string) => (e: unknown) =>
      e instanceof AppError &&
      e.code === "ballots.preflight_blocked" &&
      ((e.details?.checks ?? []) as { code: string }[]).some((c) => c.code === code);

    /** Each defect, introduced alone on clean data, blocks the notices; undone, they generate. */
    const defects: {
      code: string;
      name: string;
      apply: () => Promise<unknown>;
      undo: () => Promise<unknown>;
      afterFreeze?: boolean;
    }[] = [
      {
        code: "workplace.unknown",
        name: 'a member with no workplace (Network Rail: "unknown")',
        apply: () =>
          sql`update members set workplace_id = null where id = ${f.members.noWorkplace}`.execute(open.db),
        undo: () =>
          sql`update members set workplace_id = ${f.workplaces.camdenHall} where id = ${f.members.noWorkplace}`.execute(
            open.db,
          ),
      },
      {
        code: "workplace.closed",
        name: "a workplace closed before the ballot (Network Rail: closed signal boxes)",
        apply: () =>
          sql`update workplaces set closed_on = '2026-01-31' where id = ${f.workplaces.camdenHall}`.execute(
            open.db,
          ),
        undo: () =>
          sql`update workplaces set closed_on = null where id = ${f.workplaces.camdenHall}`.execute(open.db),
      },
      {
        code: "workplace.over_headcount",
        name: "more members than employees at a workplace (Network Rail: South Tottenham)",
        apply: () =>
          sql`update workplaces set headcount = 1 where id = ${f.workplaces.camdenHall}`.execute(open.db),
        undo: () =>
          sql`update workplaces set headcount = null where id = ${f.workplaces.camdenHall}`.execute(open.db),
      },
      {
        code: "category.unknown",
        name: "a member with no job category (Midland Mainline: grades)",
        apply: () =>
          sql`update members set job_category = null where id = ${f.members.camden[0]!}`.execute(open.db),
        undo: () =>
          sql`update members set job_category = 'Nursing' where id = ${f.members.camden[0]!}`.execute(
            open.db,
          ),
      },
      {
        code: "category.vague",
        name: "a vague category (EDF v RMT: engineers/technicians)",
        apply: () =>
          sql`update members set job_category = 'Engineers/Technicians' where id = ${f.members.camden[0]!}`.execute(
            open.db,
          ),
        undo: () =>
          sql`update members set job_category = 'Nursing' where id = ${f.members.camden[0]!}`.execute(
            open.db,
          ),
      },
      {
        code: "member.leaving",
        name: "a member leaving before the first day of action (BA v Unite 2009)",
        apply: () =>
          sql`update members set left_on = '2027-01-08' where id = ${f.members.camden[0]!}`.execute(open.db),
        undo: () =>
          sql`update members set left_on = null where id = ${f.members.camden[0]!}`.execute(open.db),
      },
      {
        code: "member.no_address",
        name: "a member with no address for the voting paper (s.230(2))",
        apply: () =>
          sql`update members set address_line1 = null, home_postcode = null, town = null where id = ${f.members.camden[0]!}`.execute(
            open.db,
          ),
        undo: () =>
          sql`update members set address_line1 = '1 High Street', town = 'London', home_postcode = 'NW1 2RU' where id = ${f.members.camden[0]!}`.execute(
            open.db,
          ),
      },
      {
        code: "member.duplicate_pending",
        name: "a possible duplicate awaiting review",
        apply: async () => {
          const g = await sql<{
            id: number;
          }>`insert into duplicate_groups (union_id, status, confidence, created_at)
            values (${f.unionId}, 'review', 0.8, now()) returning id`.execute(open.db);
          await sql`update members set duplicate_group_id = ${g.rows[0]!.id} where id = ${f.members.camden[0]!}`.execute(
            open.db,
          );
        },
        undo: () =>
          sql`update members set duplicate_group_id = null where id = ${f.members.camden[0]!}`.execute(
            open.db,
          ),
      },
      {
        code: "member.changed_since_snapshot",
        name: "a grade changed after the snapshot (Midland Mainline)",
        afterFreeze: true,
        apply: () =>
          sql`update members set job_category = 'Porter' where id = ${f.members.camden[0]!}`.execute(open.db),
        undo: () =>
          sql`update members set job_category = 'Nursing' where id = ${f.members.camden[0]!}`.execute(
            open.db,
          ),
      },
      {
        code: "checkoff.misused",
        name: "check-off information used for members not on check-off (Metrobus)",
        apply: () => updateBallot(national, ballotId, { checkOffRoute: true }),
        undo: () => updateBallot(national, ballotId, { checkOffRoute: false }),
      },
      {
        code: "setup.incomplete",
        name: "no person authorised to call the action (s.229(3))",
        apply: () => updateBallot(national, ballotId, { authorisedPerson: "" }),
        undo: () => updateBallot(national, ballotId, { authorisedPerson: "The General Secretary" }),
      },
    ];

    for (const d of defects) {
      test(`blocks the notices: ${d.name}`, async () => {
        if (!d.afterFreeze) await d.apply();
        await freezeElectorate(national, ballotId);
        if (d.afterFreeze) await d.apply();
        await assert.rejects(generateBallotNotices(national, ballotId), blockedBy(d.code));
        await d.undo();
        await freezeElectorate(national, ballotId);
        assert.equal((await listDocuments(national, ballotId)).length, 0, "nothing was stored");
      });
    }

    test("notices of ballot for each employer and the sample paper, from the frozen electorate", async () => {
      await freezeElectorate(national, ballotId);
      const docs = await generateBallotNotices(national, ballotId);
      const notices = docs.filter((d) => d.kind === "ballot_notice");
      assert.deepEqual(notices.map((d) => d.employerName).sort(), [
        "City of Bradford Metropolitan District Council",
        "Leeds Teaching Hospitals NHS Trust",
        "London Borough of Camden",
      ]);
      assert.equal(docs.filter((d) => d.kind === "sample_paper").length, 1);
      const ballot = await getBallot(national, ballotId);
      assert.equal(ballot.state, "notices_issued");
      assert.ok(docs.every((d) => d.electorateHash === ballot.electorate!.hash));

      const leeds = notices.find((d) => d.employerName?.startsWith("Leeds"))!;
      const pdf = await downloadDocument(national, leeds.id);
      assert.equal(pdf.contentType, "application/pdf");
      assert.equal(
        createHash("sha256").update(pdf.content).digest("hex"),
        leeds.sha256,
        "the hash of the bytes sent",
      );
      const text = await pdfText(pdf.content);
      assert.match(text, /Leeds Teaching Hospitals NHS Trust/);
      assert.match(text, /St James's University Hospital/);
      // Regime C (notice received after 18 February 2026): lists and the total only. Leeds: 3 at St James's.
      assert.match(text, /\b3\b/);
      assert.doesNotMatch(text, /explanation of how/i);
      assert.match(text, /NEEDS LEGAL REVIEW/i);

      // Every copy of a PDF anchors the audit log: a checkpoint signed with the audit key, which verify compares.
      const checkpoint = checkpointInPdf(pdf.content);
      assert.ok(checkpoint, "the PDF's Keywords carry the audit checkpoint");
      assert.equal(checkpointIsSigned(auditKeyOf(open.db), checkpoint), true);
      const verified = await verifyAuditChain(open.db, { checkpoints: [checkpoint] });
      assert.equal(verified.ok, true, verified.reason ?? "");
      assert.ok(
        verified.checkpoints.compared >= 2,
        "the copy's checkpoint and the stored documents' are compared",
      );
      const rewritten = { ...checkpoint, hash: "f".repeat(64) };
      assert.match(
        (await verifyAuditChain(open.db, { checkpoints: [rewritten] })).reason ?? "",
        /not signed/,
      );

      const sample = await pdfText(
        (await downloadDocument(national, docs.find((d) => d.kind === "sample_paper")!.id)).content,
      );
      // Six entitled: no scrutineer is needed for 50 or fewer (s.226C), so none is named.
      assert.doesNotMatch(sample, /Civica Election Services/);
      assert.match(sample, /The General Secretary/);
      assert.match(sample, /Wording as advised/);

      // The artwork specification is generated with the sample, from the same input: the printed papers match it.
      const artwork = docs.filter((d) => d.kind === "artwork_spec");
      assert.equal(artwork.length, 1);
      const spec = await pdfText((await downloadDocument(national, artwork[0]!.id)).content);
      assert.ok(spec.includes(STATEMENT), "the s.229(4) statement exactly as on the sample");
      assert.ok(sample.includes(STATEMENT));
      assert.ok(spec.includes("Question 1: Strike Are you prepared to take part in a strike?"));
      assert.ok(sample.includes("Question 1: Strike Are you prepared to take part in a strike?"));
      assert.match(spec, /consecutive series 0000001 to 0000006 \(6 papers/);
      assert.ok(spec.includes(ballot.electorate!.hash));
      assert.match(spec, /Return by 4 January 2027/);
      assert.equal(artwork[0]!.draft, docs.find((d) => d.kind === "sample_paper")!.draft);
    });

    test("each employer's explanation of the figures counts that employer's members only (s.226A(2)(c)(i))", async () => {
      // A notice received before 18 February 2026 carries figures and their explanation (TULRCA 1992
      // s.226A(2)(c)(i) as substituted by ERA 2004 s.22). Leeds has a lapsed member left out, Camden a
      // member in arrears: ballot-wide counts would print both on both notices, telling one employer
      // about the other's workforce.
      const d = await createDispute(national, {
        title: "Pay 2026 (explanations)",
        mattersInIssue: "The 2026 pay offer.",
        coalition: "",
        employerIds: [f.employers.leedsTrust, f.employers.camden, f.employers.bradfordCouncil],
      });
      const id = (await createBallot(national, d.id, input({ name: "Explanations" }))).id;
      await reviewStatement(national, id, STATEMENT);
      await freezeElectorate(national, id);
      const early = { ...national, clock: fixedClock("2026-01-12T10:00:00Z") };
      const docs = await generateBallotNotices(early, id);
      const textOf = async (employerId: number) =>
        pdfText(
          (
            await downloadDocument(
              national,
              docs.find((x) => x.kind === "ballot_notice" && x.employerId === employerId)!.id,
            )
          ).content,
        );
      const leeds = await textOf(f.employers.leedsTrust);
      const camden = await textOf(f.employers.camden);
      const bradford = await textOf(f.employers.bradfordCouncil);
      assert.match(leeds, /How these figures were arrived at/);
      assert.match(leeds, /1 member[^.;]*lapsed/i);
      assert.doesNotMatch(leeds, /arrears/i);
      assert.match(camden, /1 member[^.;]*arrears/i);
      assert.doesNotMatch(camden, /lapsed/i);
      assert.doesNotMatch(bradford, /lapsed|arrears|not counted/i);
    });

    test("documents regenerate identically: from their stored input, and again from the same snapshot", async () => {
      const verify = await verifyDocuments(national, ballotId);
      assert.ok(verify.checked >= 4);
      assert.deepEqual(verify.differing, []);
      const before = await listDocuments(national, ballotId);
      const again = await generateBallotNotices(national, ballotId);
      assert.deepEqual(
        again.map((d) => d.sha256).sort(),
        before
          .filter((d) => d.kind === "ballot_notice" || d.kind === "sample_paper" || d.kind === "artwork_spec")
          .map((d) => d.sha256)
          .sort(),
      );
      assert.equal(
        (await listDocuments(national, ballotId)).length,
        before.length,
        "identical documents are not stored twice",
      );
    });

    test("documents written to a folder (mandate ballots notices) end their export trail: finished, or failed", async () => {
      const docs = (await listDocuments(national, ballotId)).filter((d) => d.kind === "ballot_notice");
      const trails = async () => {
        const rows = await open.db
          .selectFrom("audit_log")
          .select(["event", "details"])
          .where("event", "like", "export.%")
          .where(sql<boolean>`details->>'kind' = 'document'`)
          .execute();
        const by = (event: string) =>
          rows.filter((r) => r.event === event).map((r) => (r.details as { exportId: string }).exportId);
        return {
          started: by("export.started"),
          finished: by("export.finished"),
          failed: by("export.failed"),
        };
      };
      const before = await trails();
      const folder = fs.mkdtempSync(path.join(os.tmpdir(), "mandate-notices-"));
      try {
        await writeDocumentsToFolder(national, docs, folder);
        assert.equal(fs.readdirSync(folder).length, docs.length);
        const after = await trails();
        const started = after.started.filter((id) => !before.started.includes(id));
        assert.equal(started.length, docs.length);
        for (const id of started) assert.ok(after.finished.includes(id), `export ${id} finished`);
        // A folder that cannot be written (a file stands in its place): the export is recorded as failed.
        const blocked = path.join(folder, "blocked");
        fs.writeFileSync(blocked, "");
        await assert.rejects(writeDocumentsToFolder(national, docs, path.join(blocked, "x")));
        const failedBefore = (await trails()).failed.length;
        fs.mkdirSync(path.join(folder, "dir"));
        fs.mkdirSync(path.join(folder, "dir", docs[0]!.filename));
        await assert.rejects(writeDocumentsToFolder(national, docs, path.join(folder, "dir")));
        const last = await trails();
        assert.equal(last.failed.length, failedBefore + 1);
        assert.equal(
          last.started.filter(
            (id) => !before.started.includes(id) && !last.finished.includes(id) && !last.failed.includes(id),
          ).length,
          0,
        );
      } finally {
        fs.rmSync(folder, { recursive: true, force: true });
      }
    });

    test("the voter file: paper number, name and address of the entitled only; an audited export", async () => {
      await assert.rejects(
        generateVoterFile({ ...national, actor: f.actors.regional }, ballotId),
        (e: unknown) => e instanceof AppError && e.code === "auth.forbidden",
      );
      const doc = await generateVoterFile(national, ballotId);
      const download = await downloadDocument(national, doc.id);
      await download.trail.finished();
      const csv = download.content.toString("utf8");
      const lines = csv.trim().split(/\r?\n/);
      assert.equal(
        lines[0],
        "paper_number,name,address_line_1,address_line_2,address_line_3,address_line_4,postcode",
      );
      assert.equal(lines.length - 1, (await getBallot(national, ballotId)).electorate!.entitled);
      assert.ok(!csv.includes("Fraser"), "a member in arrears is not sent a paper");
      const generated = await sql<{
        n: number;
      }>`select count(*)::int as n from audit_log where event = 'ballot.voter_file_exported'`.execute(
        open.db,
      );
      assert.ok(generated.rows[0]!.n >= 1, "generation is audited");
      const downloaded = await open.db
        .selectFrom("audit_log")
        .select(["event", "details"])
        .where("event", "in", ["export.started", "export.finished"])
        .where("subject_id", "=", String(ballotId))
        .orderBy("seq")
        .execute();
      assert.deepEqual(
        downloaded.slice(-2).map((r) => [r.event, r.details.documentKind, r.details.document]),
        [
          ["export.started", "voter_file", doc.id],
          ["export.finished", "voter_file", doc.id],
        ],
        "the download is audited as it starts and as it ends",
      );
      await assert.rejects(
        downloadDocument({ ...national, actor: f.actors.scrutineer }, doc.id),
        (e: unknown) => e instanceof AppError && e.code === "auth.forbidden",
      );
      // A rep lists neither the voter file nor another employer's documents, and cannot fetch them.
      const rep = { ...national, actor: f.actors.rep };
      const repDocs = await listDocuments(rep, ballotId);
      assert.ok(!repDocs.some((d) => d.kind === "voter_file"));
      assert.ok(repDocs.some((d) => d.employerId === f.employers.leedsTrust));
      assert.ok(repDocs.every((d) => d.employerId === null || d.employerId === f.employers.leedsTrust));
      const camden = (await listDocuments(national, ballotId)).find(
        (d) => d.employerId === f.employers.camden,
      );
      assert.ok(camden, "Camden has its notice");
      await assert.rejects(
        downloadDocument(rep, camden.id),
        (e: unknown) => e instanceof AppError && e.code === "documents.not_found",
      );
    });

    test("result, result notices and the notice of industrial action, with the statutory dates enforced", async () => {
      const result = await recordResult({ ...national, actor: f.actors.scrutineer }, ballotId, {
        votesCast: 5,
        declaredOn: "2027-01-04",
        questions: [{ question: "strike", yes: 4, no: 1 }],
      });
      assert.equal(result.entitled, 6);
      assert.equal(result.evaluation.regime, "C");
      assert.equal(result.evaluation.mandate, true);
      const results = await generateResultNotices(national, ballotId);
      assert.equal(results.filter((d) => d.kind === "result_employer").length, 3);
      const members = await pdfText(
        (await downloadDocument(national, results.find((d) => d.kind === "result_members")!.id)).content,
      );
      assert.match(members, /\b6\b/);
      // A letter to members (s.231): dates in words, no rule summary or ISO date pasted in (decision 0014).
      assert.match(members, /Dear Member,/);
      assert.match(members, /closed on 4 January 2027/);
      assert.doesNotMatch(members, /\b\d{4}-\d{2}-\d{2}\b/);
      assert.doesNotMatch(members, /Last day:|The mandate expires 12 months after/);

      const later = { ...national, clock: fixedClock("2027-01-05T09:00:00Z") };
      await assert.rejects(
        createActionNotices(later, ballotId, {
          continuous: true,
          startDate: "2027-01-10",
          dates: [],
          kinds: ["strike"],
          givenOn: "2027-01-05",
          shorterNoticeAgreed: false,
          agreementEvidence: "",
        }),
        (e: unknown) => e instanceof AppError && e.code === "ballots.invalid" && /2027-01-15/.test(e.message),
      );
      await assert.rejects(
        createActionNotices(later, ballotId, {
          continuous: true,
          startDate: "2027-01-20",
          dates: [],
          kinds: ["action_short_of_strike"],
          givenOn: "2027-01-05",
          shorterNoticeAgreed: false,
          agreementEvidence: "",
        }),
        (e: unknown) => e instanceof AppError && /no mandate/.test(e.message),
      );
      const notices = await createActionNotices(later, ballotId, {
        continuous: false,
        startDate: null,
        dates: ["2027-01-20", "2027-01-21"],
        kinds: ["strike"],
        givenOn: "2027-01-05",
        shorterNoticeAgreed: false,
        agreementEvidence: "",
      });
      assert.equal(notices.filter((d) => d.kind === "action_notice").length, 3);
      const text = await pdfText((await downloadDocument(national, notices[0]!.id)).content);
      assert.match(text, /20 January 2027/);
      assert.deepEqual((await verifyDocuments(national, ballotId)).differing, []);
    });

    test("a Northern Ireland result letter cites the Order and says nothing of turnout or 40% (TULR(NI)O 1995 Arts.104, 112-113; decision 0013)", async () => {
      await open.db
        .updateTable("employers")
        .set({ nation: "northern_ireland" })
        .where("id", "=", f.employers.camden)
        .execute();
      try {
        const d = await createDispute(national, {
          title: "Pay 2026 (Northern Ireland)",
          mattersInIssue: "The 2026 pay offer.",
          coalition: "",
          employerIds: [f.employers.camden],
        });
        const ni = (
          await createBallot(
            national,
            d.id,
            input({
              name: "Camden members (NI)",
              scope: [{ employerId: f.employers.camden, workplaceId: null }],
            }),
          )
        ).id;
        await reviewStatement(national, ni, STATEMENT);
        await freezeElectorate(national, ni);
        await generateBallotNotices(national, ni);
        const entitled = (await getBallot(national, ni)).electorate!.entitled;
        const result = await recordResult(national, ni, {
          votesCast: entitled,
          declaredOn: "2027-01-04",
          questions: [{ question: "strike", yes: entitled, no: 0 }],
        });
        assert.equal(result.evaluation.regime, "NI");
        const docs = await generateResultNotices(national, ni);
        const letter = await pdfText(
          (await downloadDocument(national, docs.find((x) => x.kind === "result_employer")!.id)).content,
        );
        assert.match(letter, /Dear Sir or Madam,/);
        assert.match(letter, /TULR\(NI\)O 1995 Arts\.112-113/);
        assert.doesNotMatch(
          letter,
          /TULRCA 1992 ss\.231/,
          "the Order's articles, not Great Britain's sections",
        );
        assert.doesNotMatch(letter, /50%|40%|turnout/i);
        assert.doesNotMatch(letter, /\b\d{4}-\d{2}-\d{2}\b/);
      } finally {
        await open.db
          .updateTable("employers")
          .set({ nation: "england" })
          .where("id", "=", f.employers.camden)
          .execute();
      }
    });
  });
}
