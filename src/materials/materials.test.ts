/**
 * The materials library: files typed by their bytes, versions per language, approval and withdrawal,
 * and who sees and downloads what (a rep only approved materials meant for their workplace; drafts
 * only to authors and approvers), each download audited.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { as, buildTestApp, multipart, signIn } from "../../test/helpers/app.js";
import { backends, createTestDb } from "../../test/helpers/db.js";
import { CLOCK, createDisputeBallots, type Fixture, seedFixture } from "../../test/helpers/fixtures.js";
import { zip } from "../../test/helpers/zip.js";
import type { Actor } from "../auth/index.js";
import type { Ctx } from "../context.js";
import type { OpenDatabase } from "../db/connect.js";
import type { App } from "../http/types.js";
import { AppError } from "../shared/errors.js";
import { detectMaterialType, downloadName } from "./file-type.js";
import { preferredLanguage } from "./materials.routes.js";
import {
  approveMaterialVersion,
  createMaterial,
  downloadMaterialVersion,
  getMaterial,
  listMaterials,
  uploadVersion,
  withdrawMaterialVersion,
} from "./materials.service.js";

const refused = (code: string) => (e: unknown) => e instanceof AppError && e.code === code;

const PDF = (text: string) => Buffer.from(`%PDF-1.4\n% ${text}\n%%EOF\n`);
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(32)]);
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(32)]);
const DOCX = zip([
  { name: "[Content_Types].xml", data: Buffer.from("<Types/>") },
  { name: "word/document.xml", data: Buffer.from("<w:document/>") },
]);

describe("file types by content", () => {
  test("PDF, PNG, JPEG and Word are known by their bytes; a name says nothing", () => {
    assert.equal(detectMaterialType(PDF("x")), "application/pdf");
    assert.equal(detectMaterialType(PNG), "image/png");
    assert.equal(detectMaterialType(JPEG), "image/jpeg");
    assert.equal(
      detectMaterialType(DOCX),
      "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    );
    // A ZIP that is not an Office file, a script, an HTML page, an empty file: refused.
    assert.equal(detectMaterialType(zip([{ name: "evil.exe", data: Buffer.from("MZ") }])), null);
    assert.equal(detectMaterialType(Buffer.from("<html><script>alert(1)</script>")), null);
    assert.equal(detectMaterialType(Buffer.from("MZ\x90\x00")), null);
    assert.equal(detectMaterialType(Buffer.alloc(0)), null);
  });

  test("the download name carries the extension of what the file is", () => {
    assert.equal(downloadName("Vote Yes leaflet.pdf", "image/png"), "Vote-Yes-leaflet.png");
    assert.equal(downloadName('../../etc/"passwd".pdf', "application/pdf"), "etc-passwd.pdf");
    assert.equal(downloadName("....", "image/jpeg"), "material.jpg");
  });

  test("the browser's language preference picks Welsh or English", () => {
    assert.equal(preferredLanguage("cy-GB,cy;q=0.9,en;q=0.8"), "cy");
    assert.equal(preferredLanguage("en-GB,cy;q=0.5"), "en");
    assert.equal(preferredLanguage("fr-FR,cy;q=0.7,en;q=0.5"), "cy");
    assert.equal(preferredLanguage(undefined), "en");
  });
});

for (const { backend, skip } of await backends()) {
  describe(`materials library on ${backend}`, { skip }, () => {
    let open: OpenDatabase;
    let f: Fixture;
    const ctx = (actor: Actor): Ctx => ({ db: open.db, actor, clock: CLOCK });

    before(async () => {
      open = await createTestDb(backend);
      f = await seedFixture(open.db);
    });
    after(async () => open?.close());

    test("a draft is seen by its author and approvers only; approved, it is offered in the reader's language", async () => {
      const national = ctx(f.actors.national);
      const m = await createMaterial(national, { title: "Vote Yes leaflet", kind: "leaflet" });
      const en = await uploadVersion(national, m.id, {
        language: "en",
        fileName: "vote-yes.pdf",
        content: PDF("en"),
      });
      const cy = await uploadVersion(national, m.id, {
        language: "cy",
        fileName: "pleidleisiwch-ie.pdf",
        content: PDF("cy"),
      });
      assert.equal(en.state, "draft");
      assert.equal(en.contentType, "application/pdf");
      assert.equal(en.version, 1);

      // Drafts: not for the rep, nor for a regional officer who did not write them.
      const rep = ctx(f.actors.rep);
      assert.deepEqual(await listMaterials(rep), []);
      assert.deepEqual(await listMaterials(ctx(f.actors.regional)), []);
      await assert.rejects(downloadMaterialVersion(rep, en.id), refused("materials.not_found"));

      // A regional officer may not approve; a national officer may.
      await assert.rejects(approveMaterialVersion(ctx(f.actors.regional), en.id), refused("auth.forbidden"));
      const approved = await approveMaterialVersion(national, en.id);
      assert.equal(approved.state, "approved");
      assert.equal(approved.approvedBy, "national");
      assert.ok(approved.approvedAt);
      await assert.rejects(approveMaterialVersion(national, en.id), refused("materials.state_conflict"));

      // The rep sees the approved English version only; asking for Welsh offers English as a fallback.
      let seen = await listMaterials(rep, { language: "cy" });
      assert.equal(seen.length, 1);
      assert.deepEqual(
        seen[0]!.versions.map((v) => [v.language, v.state]),
        [["en", "approved"]],
      );
      assert.deepEqual(seen[0]!.offered, { versionId: en.id, language: "en", fallback: true });
      assert.equal(seen[0]!.canUpload, false);

      await approveMaterialVersion(national, cy.id);
      seen = await listMaterials(rep, { language: "cy" });
      assert.deepEqual(seen[0]!.offered, { versionId: cy.id, language: "cy", fallback: false });

      // A download is the stored bytes, audited.
      const file = await downloadMaterialVersion(rep, cy.id);
      assert.deepEqual(file.content, PDF("cy"));
      assert.equal(file.fileName, "pleidleisiwch-ie.pdf");
      const audit = await open.db
        .selectFrom("audit_log")
        .select(["event", "actor_user_id", "details"])
        .where("event", "=", "material.downloaded")
        .execute();
      assert.equal(audit.length, 1);
      assert.equal(audit[0]!.actor_user_id, f.users.rep.id);
      assert.equal((audit[0]!.details as { versionId: number }).versionId, cy.id);

      // A new English version, approved, supersedes the first; withdrawn, the rep is offered nothing in English.
      const en2 = await uploadVersion(national, m.id, {
        language: "en",
        fileName: "v2.pdf",
        content: PDF("v2"),
      });
      assert.equal(en2.version, 2);
      await approveMaterialVersion(national, en2.id);
      const states = (await getMaterial(national, m.id)).versions
        .filter((v) => v.language === "en")
        .map((v) => [v.version, v.state]);
      assert.deepEqual(states, [
        [2, "approved"],
        [1, "superseded"],
      ]);
      await withdrawMaterialVersion(national, en2.id, "Wrong date on the back");
      seen = await listMaterials(rep, { language: "en" });
      assert.deepEqual(seen[0]!.offered, { versionId: cy.id, language: "cy", fallback: true });
      await assert.rejects(downloadMaterialVersion(rep, en2.id), refused("materials.not_found"));
      const withdrawn = (await getMaterial(national, m.id)).versions.find((v) => v.id === en2.id)!;
      assert.equal(withdrawn.withdrawnReason, "Wrong date on the back");
    });

    test("audiences: a rep sees what is meant for their workplace's region, sector and ballot; officers write only for their own", async () => {
      const national = ctx(f.actors.national);
      const regional = ctx(f.actors.regional);
      const sector = ctx(f.actors.sector);
      const rep = ctx(f.actors.rep);
      const approvedMaterial = async (author: Ctx, title: string, audience: object) => {
        const m = await createMaterial(author, { title, kind: "poster", ...audience });
        const v = await uploadVersion(author, m.id, {
          language: "en",
          fileName: `${title}.png`,
          content: PNG,
        });
        await approveMaterialVersion(national, v.id);
        return { m, v };
      };
      // The regional officer (Yorkshire) may not write for London, nor for the whole union.
      await assert.rejects(
        createMaterial(regional, { title: "London", kind: "poster", regionIds: [f.regions.london] }),
        refused("materials.invalid_audience"),
      );
      await assert.rejects(
        createMaterial(regional, { title: "Everyone", kind: "poster" }),
        refused("materials.invalid_audience"),
      );
      await assert.rejects(
        createMaterial(national, { title: "Nowhere", kind: "poster", regionIds: [999_999] }),
        refused("materials.invalid_audience"),
      );
      // A rep may not upload at all; an observer may not even look.
      await assert.rejects(createMaterial(rep, { title: "Mine", kind: "faq" }), refused("auth.forbidden"));
      await assert.rejects(listMaterials(ctx(f.actors.observer)), refused("auth.forbidden"));

      const yorkshire = await approvedMaterial(regional, "Yorkshire rally", {
        regionIds: [f.regions.yorkshire],
      });
      const london = await approvedMaterial(national, "London rally", { regionIds: [f.regions.london] });
      const localGov = await approvedMaterial(national, "Councils FAQ", { sectorIds: [f.sectors.localGov] });
      const health = await approvedMaterial(sector, "Health card", { sectorIds: [f.sectors.health] });
      const { ballots } = await createDisputeBallots(national, f, {
        ballots: [
          {
            key: "camden",
            name: "Camden",
            employerId: f.employers.camden,
            workplaceId: f.workplaces.camdenHall,
          },
          {
            key: "stJames",
            name: "St James's",
            employerId: f.employers.leedsTrust,
            workplaceId: f.workplaces.stJames,
          },
        ],
      });
      const camdenBallot = await approvedMaterial(national, "Camden ballot", { ballotId: ballots.camden });
      const stJamesBallot = await approvedMaterial(national, "St James's ballot", {
        ballotId: ballots.stJames,
      });

      const titles = async (c: Ctx, filters = {}) =>
        (await listMaterials(c, filters)).map((m) => m.title).filter((t) => t !== "Vote Yes leaflet");
      assert.deepEqual(await titles(rep), ["St James's ballot", "Health card", "Yorkshire rally"]);
      assert.deepEqual(await titles(regional), [
        "St James's ballot",
        "Health card",
        "Councils FAQ",
        "Yorkshire rally",
      ]);
      // A sector officer is matched on sectors: a region's material is for their sector's members there too.
      assert.deepEqual(await titles(sector), [
        "St James's ballot",
        "Health card",
        "London rally",
        "Yorkshire rally",
      ]);
      assert.equal((await titles(national)).length, 6);
      // Filters narrow what the reader reaches, never widen it.
      assert.deepEqual(await titles(rep, { regionId: f.regions.london }), [
        "St James's ballot",
        "Health card",
      ]);
      assert.deepEqual(await titles(national, { kind: "poster", q: "rally" }), [
        "London rally",
        "Yorkshire rally",
      ]);

      // Outside the reader's audience a material answers as one that does not exist.
      for (const hidden of [london, localGov, camdenBallot]) {
        await assert.rejects(downloadMaterialVersion(rep, hidden.v.id), refused("materials.not_found"));
        await assert.rejects(getMaterial(rep, hidden.m.id), refused("materials.not_found"));
      }
      await assert.rejects(downloadMaterialVersion(regional, london.v.id), refused("materials.not_found"));
      assert.ok((await downloadMaterialVersion(rep, stJamesBallot.v.id)).content.length > 0);
      assert.ok((await downloadMaterialVersion(rep, yorkshire.v.id)).content.length > 0);
      assert.ok((await downloadMaterialVersion(rep, health.v.id)).content.length > 0);

      // The sector officer may add versions to their own material, not to the regional officer's.
      const mine = (await listMaterials(sector)).find((m) => m.title === "Health card")!;
      assert.equal(mine.canUpload, true);
      await assert.rejects(
        uploadVersion(sector, yorkshire.m.id, { language: "en", fileName: "x.pdf", content: PDF("x") }),
        refused("auth.forbidden"),
      );
      // A draft of the regional officer's is theirs and the approvers' to see, not the sector officer's.
      const draft = await uploadVersion(regional, yorkshire.m.id, {
        language: "cy",
        fileName: "r.jpg",
        content: JPEG,
      });
      assert.ok((await getMaterial(regional, yorkshire.m.id)).versions.some((v) => v.id === draft.id));
      assert.ok(!(await getMaterial(sector, yorkshire.m.id)).versions.some((v) => v.id === draft.id));
      // The uploader may withdraw their own draft, not an approved version.
      await assert.rejects(
        withdrawMaterialVersion(regional, yorkshire.v.id, "no"),
        refused("auth.forbidden"),
      );
      assert.equal((await withdrawMaterialVersion(regional, draft.id, "Wrong photo")).state, "withdrawn");
    });

    describe("over HTTP", () => {
      let app: App;
      before(async () => {
        app = await buildTestApp(open);
      });
      after(async () => app?.close());

      test("an upload is typed by its bytes, capped, and refused whole when it is not a material", async () => {
        const national = await signIn(app, f.users.national.email);
        const created = await as(app, national, {
          method: "POST",
          url: "/api/materials",
          payload: { title: "Strike FAQ", kind: "faq", description: "Questions members ask." },
        });
        assert.equal(created.statusCode, 200, created.body);
        const id = created.json().id as number;
        const upload = (name: string, content: Buffer, language = "en") => {
          const body = multipart(name, content);
          return as(app, national, {
            method: "POST",
            url: `/api/materials/${id}/versions?language=${language}`,
            ...body,
          });
        };
        // A PNG named .pdf is a PNG; a script named .pdf is refused and nothing is stored.
        const png = await upload("faq.pdf", PNG);
        assert.equal(png.statusCode, 200, png.body);
        assert.equal(png.json().contentType, "image/png");
        assert.equal(png.json().fileName, "faq.png");
        const script = await upload("faq.pdf", Buffer.from("#!/bin/sh\nrm -rf /\n"));
        assert.equal(script.statusCode, 422);
        assert.equal(script.json().error.code, "materials.file_invalid");
        const docx = await upload("faq.docx", DOCX, "cy");
        assert.equal(docx.statusCode, 200, docx.body);
        const big = await upload("big.pdf", Buffer.concat([PDF("big"), Buffer.alloc(20 * 1024 * 1024)]));
        assert.equal(big.statusCode, 413);
        assert.equal(big.json().error.code, "materials.too_large");
        const bad = await as(app, national, {
          method: "POST",
          url: `/api/materials/${id}/versions?language=fr`,
          ...multipart("x.pdf", PDF("x")),
        });
        assert.equal(bad.statusCode, 400);
        const versions = (await as(app, national, { url: `/api/materials/${id}` })).json().versions;
        assert.equal(versions.length, 2);

        // A rep may not upload: refused before the body is read.
        const rep = await signIn(app, f.users.rep.email);
        const refusedUpload = await as(app, rep, {
          method: "POST",
          url: `/api/materials/${id}/versions?language=en`,
          ...multipart("x.pdf", PDF("x")),
        });
        assert.equal(refusedUpload.statusCode, 403);

        // Approved, the rep downloads it; the browser's Welsh is respected when offering.
        const cyId = docx.json().id as number;
        assert.equal(
          (await as(app, national, { method: "POST", url: `/api/materials/versions/${cyId}/approve` }))
            .statusCode,
          200,
        );
        const list = await as(app, rep, {
          url: "/api/materials?kind=faq",
          headers: { "accept-language": "cy" },
        });
        assert.equal(list.statusCode, 200);
        assert.deepEqual(list.json()[0].offered, { versionId: cyId, language: "cy", fallback: false });
        const file = await as(app, rep, { url: `/api/materials/versions/${cyId}/file` });
        assert.equal(file.statusCode, 200);
        assert.equal(
          file.headers["content-type"],
          "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        );
        assert.match(file.headers["content-disposition"] as string, /attachment; filename="faq.docx"/);
        assert.deepEqual(file.rawPayload, DOCX);
        const withdraw = await as(app, national, {
          method: "POST",
          url: `/api/materials/versions/${cyId}/withdraw`,
          payload: { reason: "" },
        });
        assert.equal(withdraw.statusCode, 400);
      });
    });
  });
}
