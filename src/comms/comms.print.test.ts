/**
 * Letters: a letter send runs through the send ledger (written, claimed with the suppression rule) and
 * its claimed messages go into print batches for a mailing house, each a PDF and an address file
 * stored with its rows marked sent in one transaction.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { pdfPageTexts } from "../../test/fixtures/notices/pdf-text.js";
import { as, buildTestApp, signIn } from "../../test/helpers/app.js";
import { backends, createTestDb } from "../../test/helpers/db.js";
import { CLOCK, type Fixture, seedFixture } from "../../test/helpers/fixtures.js";
import type { Actor } from "../auth/index.js";
import type { Ctx } from "../context.js";
import type { OpenDatabase } from "../db/connect.js";
import { jobHandlers } from "../job-handlers.js";
import { getJob, Worker } from "../jobs/index.js";
import { AppError } from "../shared/errors.js";
import {
  addVersion,
  approveTemplateVersion,
  countSegment,
  createTemplate,
  getSend,
  queueSend,
  saveSegment,
} from "./comms.service.js";
import { claimBatch, writeWindow } from "./ledger.store.js";
import { downloadPrintBatch, listPrintBatches } from "./print.service.js";
import { insertPrintBatch } from "./print.store.js";
import type { CommsOptions } from "./send.job.js";

const refused = (code: string) => (e: unknown) => e instanceof AppError && e.code === code;

for (const { backend, skip } of await backends()) {
  describe(`letters in print batches on ${backend}`, { skip }, () => {
    let open: OpenDatabase;
    let f: Fixture;
    let national: Ctx;
    const options: CommsOptions = {
      from: "HPSU <ballots@hpsu.example>",
      publicUrl: "https://mandate.hpsu.example",
      lettersPerBatch: 4,
      emailTransport: null,
      concurrency: 4,
      emailPerSecond: 10_000,
    };
    const ctx = (actor: Actor): Ctx => ({ db: open.db, actor, clock: CLOCK });
    let templateId = 0;
    let segmentId = 0;

    before(async () => {
      open = await createTestDb(backend);
      f = await seedFixture(open.db);
      national = ctx(f.actors.national);
      // A name a spreadsheet would run, and a postal address the member asked for (s.230(2)).
      await open.db
        .updateTable("members")
        .set({ forenames: "=2+3" })
        .where("id", "=", f.members.camden[1]!)
        .execute();
      await open.db
        .updateTable("members")
        .set({ postal_address: "Flat 2, 10 Mill Lane\nHeadingley", postal_postcode: "LS6 3AA" })
        .where("id", "=", f.members.stJames[1]!)
        .execute();
      const t = await createTemplate(national, {
        name: "Ballot letter",
        channel: "letter",
        purpose: "campaign",
      });
      templateId = t.id;
      const v = await addVersion(national, t.id, {
        language: "en",
        body: "Dear {{ member.forename }} {{ member.surname }},\n\nThe ballot at {{ member.workplace }} opens soon. Please vote.\n\nIn solidarity,\n{{ union.name }}",
      });
      await approveTemplateVersion(national, v.id);
      segmentId = (
        await saveSegment(national, { name: "Everyone", definition: { memberStatuses: ["active"] } })
      ).id;
    });
    after(async () => {
      await open?.close();
    });

    const runWorker = async () => {
      const worker = new Worker({
        db: open.db,
        clock: CLOCK,
        handlers: jobHandlers({ uploadDir: "/nonexistent", comms: options }),
      });
      assert.equal(await worker.runOnce(), true);
    };

    test("a letter needs a postcode and an address line: members without are counted as no address", async () => {
      const count = await countSegment(national, segmentId, "letter", "campaign");
      // Seven active members; O'Connor has no address. A letter needs no consent.
      assert.equal(count.members, 7);
      assert.deepEqual(
        count.suppressed.map((r) => [r.reason, r.members]),
        [["no_address", 1]],
      );
      assert.equal(count.reachable, 6);
    });

    let sendId = 0;
    test("a letter send makes batches of the right size, each a PDF and an address file, rows marked sent", async () => {
      const send = await queueSend(national, { templateId, segmentId });
      sendId = send.id;
      await runWorker();
      const job = await getJob(national, send.jobId!);
      assert.equal(job.state, "succeeded", job.errorMessage ?? "");
      const after = await getSend(national, send.id);
      assert.deepEqual(after.messages, { pending: 0, sending: 0, sent: 6, failed: 0, suppressed: 1 });
      assert.deepEqual(
        after.suppressed.map((r) => [r.reason, r.members]),
        [["no_address", 1]],
      );
      const batches = await listPrintBatches(national, send.id);
      assert.deepEqual(
        batches.map((b) => [b.batch, b.letters]),
        [
          [1, 4],
          [2, 2],
        ],
      );

      const csvs: string[] = [];
      for (const b of batches) {
        const csv = await downloadPrintBatch(national, send.id, b.id, "csv");
        await csv.trail.finished();
        csvs.push(csv.content.toString("utf8"));
      }
      const rows = csvs.flatMap((c) => c.trimEnd().split("\r\n").slice(1));
      assert.equal(rows.length, 6);
      assert.equal(
        csvs[0]!.split("\r\n")[0],
        "reference,name,address_1,address_2,address_3,address_4,postcode,pages",
      );
      // The reference is the ledger row; each once.
      const ledger = await open.db
        .selectFrom("comms_messages")
        .select(["id", "member_id", "response"])
        .where("send_id", "=", send.id)
        .where("state", "=", "sent")
        .execute();
      const refs = rows.map((r) => r.split(",")[0]);
      assert.deepEqual([...refs].sort(), ledger.map((r) => String(r.id)).sort());
      assert.deepEqual([...new Set(ledger.map((r) => r.response))].sort(), [
        "print batch 1",
        "print batch 2",
      ]);
      // Formula neutralised; the postal address first; the home address otherwise.
      assert.ok(
        rows.some((r) => r.includes(",'=2+3 Fraser,")),
        rows.join("\n"),
      );
      assert.ok(
        rows.some((r) => r.includes(",Alex Brown,Flat 2,10 Mill Lane,Headingley,,LS6 3AA,1")),
        rows.join("\n"),
      );
      assert.ok(rows.some((r) => r.includes(",Alex Ahmed,1 High Street,Leeds,,,LS1 1AA,1")));

      const pdf = await downloadPrintBatch(national, send.id, batches[0]!.id, "pdf");
      await pdf.trail.finished();
      assert.equal(pdf.content.subarray(0, 5).toString(), "%PDF-");
      const pages = await pdfPageTexts(pdf.content);
      assert.equal(pages.length, 4);
      const first = pages.find((p) => p.includes("Alex Ahmed"))!;
      assert.ok(first, pages.join("\n"));
      assert.match(first, /Health and Public Services Union/);
      assert.match(first, /1 High Street Leeds LS1 1AA/);
      assert.match(first, /Dear Alex Ahmed, The ballot at St James/);
      assert.match(
        first,
        /To stop campaign letters: https:\/\/mandate\.hpsu\.example\/api\/ ?comms\/unsubscribe\//,
      );
    });

    test("a killed run's batch that was never committed goes again; no batch is made twice", async () => {
      const send = await queueSend(national, { templateId, segmentId });
      const versions = (
        await open.db
          .selectFrom("comms_sends")
          .select("versions")
          .where("id", "=", send.id)
          .executeTakeFirstOrThrow()
      ).versions as { en: number };
      const rule = { channel: "letter" as const, purpose: "campaign" as const, ballotIds: null };
      // The run wrote the ledger and claimed a batch, then was killed before storing it.
      await writeWindow(open.db, {
        sendId: send.id,
        grant: { unionId: f.unionId, rows: { kind: "all" }, view: "personal" },
        audience: { definition: { memberStatuses: ["active"] }, ballotIds: null },
        rule,
        versions: { en: versions.en, cy: null },
        after: 0,
        upTo: 1_000_000,
      });
      const claimed = await claimBatch(open.db, { sendId: send.id, rule, now: CLOCK.now(), limit: 4 });
      assert.equal(claimed.filter((c) => c.state === "sending").length, 4);

      await runWorker();
      const job = await getJob(national, send.jobId!);
      assert.equal(job.state, "succeeded", job.errorMessage ?? "");
      assert.equal((job.result as { inFlightResent: number }).inFlightResent, 4);
      assert.deepEqual((await getSend(national, send.id)).messages, {
        pending: 0,
        sending: 0,
        sent: 6,
        failed: 0,
        suppressed: 1,
      });
      const batches = await listPrintBatches(national, send.id);
      assert.deepEqual(
        batches.map((b) => b.letters),
        [4, 2],
      );
      const refs: string[] = [];
      for (const b of batches) {
        const csv = await downloadPrintBatch(national, send.id, b.id, "csv");
        await csv.trail.finished();
        refs.push(
          ...csv.content
            .toString("utf8")
            .trimEnd()
            .split("\r\n")
            .slice(1)
            .map((r) => r.split(",")[0]!),
        );
      }
      assert.equal(new Set(refs).size, 6, "each letter in one batch only");

      // Storing a batch again for rows already in one writes nothing.
      const again = await insertPrintBatch(open.db, {
        unionId: f.unionId,
        sendId: send.id,
        messageIds: refs.slice(0, 2),
        pages: 2,
        pdf: Buffer.from("x"),
        pdfSha256: "x",
        csv: Buffer.from("x"),
        csvSha256: "x",
        now: CLOCK.now(),
      });
      assert.equal(again, null);
      assert.equal((await listPrintBatches(national, send.id)).length, 2);
    });

    test("batches are listed and downloaded by those who may send, inside their reach, audited as exports", async () => {
      const app = await buildTestApp(open);
      try {
        const s = await signIn(app, f.users.national.email);
        const list = await as(app, s, { url: `/api/comms/sends/${sendId}/print-batches` });
        assert.equal(list.statusCode, 200, list.body);
        const [b] = list.json() as { id: number; csv: { sha256: string } }[];
        const csv = await as(app, s, { url: `/api/comms/sends/${sendId}/print-batches/${b!.id}/csv` });
        assert.equal(csv.statusCode, 200);
        assert.match(csv.headers["content-type"] as string, /^text\/csv/);
        assert.equal(csv.headers["x-content-sha256"], b!.csv.sha256);
        const pdf = await as(app, s, { url: `/api/comms/sends/${sendId}/print-batches/${b!.id}/pdf` });
        assert.equal(pdf.statusCode, 200);
        assert.equal(pdf.headers["content-type"], "application/pdf");
        const audit = await open.db
          .selectFrom("audit_log")
          .select(["event", "details"])
          .where("event", "in", ["export.started", "export.finished"])
          .where("subject_type", "=", "comms_send")
          .execute();
        assert.ok(audit.filter((a) => a.event === "export.finished").length >= 2);
        assert.ok(audit.every((a) => (a.details as { kind: string }).kind === "comms_print_batch"));

        // A regional officer's reach does not hold a national send's letters; a rep may not send at all.
        const regional = await signIn(app, f.users.regional.email);
        assert.equal(
          (await as(app, regional, { url: `/api/comms/sends/${sendId}/print-batches` })).statusCode,
          404,
        );
        assert.equal(
          (await as(app, regional, { url: `/api/comms/sends/${sendId}/print-batches/${b!.id}/pdf` }))
            .statusCode,
          404,
        );
        const rep = await signIn(app, f.users.rep.email);
        assert.equal(
          (await as(app, rep, { url: `/api/comms/sends/${sendId}/print-batches` })).statusCode,
          403,
        );
      } finally {
        await app.close();
      }
      await assert.rejects(
        listPrintBatches(ctx(f.actors.partnerNational), sendId),
        refused("comms.not_found"),
      );
    });
  });
}
