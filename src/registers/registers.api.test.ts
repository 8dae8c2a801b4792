import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { as, buildTestApp, type Session, signIn } from "../../test/helpers/app.js";
import { backends, createTestDb } from "../../test/helpers/db.js";
import { type Fixture, seedFixture } from "../../test/helpers/fixtures.js";
import type { OpenDatabase } from "../db/connect.js";
import type { App } from "../http/types.js";

/** Employers, workplaces and the union's organisation through HTTP, on both back ends. */
for (const { backend, skip } of await backends()) {
  describe(`employers, workplaces and organisation API on ${backend}`, { skip }, () => {
    let open: OpenDatabase;
    let app: App;
    let f: Fixture;
    const s: Record<string, Session> = {};

    before(async () => {
      open = await createTestDb(backend);
      f = await seedFixture(open.db);
      app = await buildTestApp(open);
      for (const role of ["national", "regional", "rep", "observer", "scrutineer"] as const)
        s[role] = await signIn(app, f.users[role].email);
    });
    after(async () => {
      await app?.close();
      await open?.close();
    });

    test("employer list: member counts follow the reader's scope", async () => {
      const national = (await as(app, s.national!, { url: "/api/employers" })).json();
      assert.equal(national.total, 3);
      const leeds = national.items.find((e: { id: number }) => e.id === f.employers.leedsTrust);
      assert.equal(leeds.memberCount, 4);
      assert.equal(leeds.activeMemberCount, 3);
      assert.equal(leeds.workplaceCount, 2);
      const rep = (await as(app, s.rep!, { url: "/api/employers?withMembers=true" })).json();
      assert.deepEqual(
        rep.items.map((e: { id: number; memberCount: number }) => [e.id, e.memberCount]),
        [[f.employers.leedsTrust, 3]],
        "the rep counts only St James's members",
      );
    });

    test("a scoped role's employer list holds only employers with members in its scope", async () => {
      for (const role of ["rep", "regional"] as const) {
        const page = (await as(app, s[role]!, { url: "/api/employers" })).json();
        assert.ok(page.total > 0, role);
        assert.equal(page.total, page.items.length, role);
        assert.ok(
          page.items.every((e: { memberCount: number }) => e.memberCount > 0),
          `${role}: no employer with 0 members in scope`,
        );
      }
      const rep = (await as(app, s.rep!, { url: "/api/employers?withMembers=false" })).json();
      assert.deepEqual(
        rep.items.map((e: { id: number }) => e.id),
        [f.employers.leedsTrust],
        "asking for every employer does not widen a rep's list",
      );
    });

    test("employer search by name and by register code", async () => {
      const byName = (await as(app, s.national!, { url: "/api/employers?search=camden" })).json();
      assert.deepEqual(
        byName.items.map((e: { name: string }) => e.name),
        ["London Borough of Camden"],
      );
      const byCode = (await as(app, s.national!, { url: "/api/employers?search=rr8" })).json();
      assert.deepEqual(
        byCode.items.map((e: { odsCode: string }) => e.odsCode),
        ["RR8"],
      );
    });

    test("employer detail lists workplaces with counts and members without a workplace", async () => {
      const res = await as(app, s.national!, { url: `/api/employers/${f.employers.camden}` });
      assert.equal(res.statusCode, 200);
      const e = res.json();
      assert.equal(e.workplaces.length, 1);
      assert.equal(e.workplaces[0].memberCount, 2);
      assert.equal(e.membersWithoutWorkplace, 1);
    });

    test("employer create, update, duplicate code, delete", async () => {
      const created = await as(app, s.national!, {
        method: "POST",
        url: "/api/employers",
        payload: {
          name: "Kirklees Council",
          gssCode: "e08000034",
          sectorId: f.sectors.localGov,
          nation: "england",
        },
      });
      assert.equal(created.statusCode, 201, created.body);
      const id = created.json().id;
      assert.equal(created.json().gssCode, "E08000034");
      const dup = await as(app, s.national!, {
        method: "POST",
        url: "/api/employers",
        payload: { name: "Kirklees again", gssCode: "E08000034" },
      });
      assert.equal(dup.statusCode, 409);
      assert.equal(dup.json().error.code, "employers.duplicate_code");
      const updated = await as(app, s.national!, {
        method: "PATCH",
        url: `/api/employers/${id}`,
        payload: { closedOn: "2026-12-31" },
      });
      assert.equal(updated.json().closedOn, "2026-12-31");
      const badDate = await as(app, s.national!, {
        method: "PATCH",
        url: `/api/employers/${id}`,
        payload: { closedOn: "31/12/2026" },
      });
      assert.equal(badDate.statusCode, 400);
      assert.match(badDate.json().error.message, /closedOn/);
      const inUse = await as(app, s.national!, {
        method: "DELETE",
        url: `/api/employers/${f.employers.camden}`,
      });
      assert.equal(inUse.statusCode, 409);
      assert.equal(inUse.json().error.code, "org.in_use");
      assert.equal(
        (await as(app, s.national!, { method: "DELETE", url: `/api/employers/${id}` })).statusCode,
        204,
      );
    });

    test("only national officers change the organisation", async () => {
      for (const role of ["regional", "rep", "scrutineer"]) {
        const res = await as(app, s[role]!, {
          method: "POST",
          url: "/api/employers",
          payload: { name: "Nope" },
        });
        assert.equal(res.statusCode, 403, role);
      }
      const observer = await as(app, s.observer!, { url: "/api/employers" });
      assert.equal(observer.statusCode, 403, "observers see aggregates only");
    });

    test("workplaces: create under an employer, site code unique, postcode normalised", async () => {
      const res = await as(app, s.national!, {
        method: "POST",
        url: "/api/workplaces",
        payload: {
          employerId: f.employers.leedsTrust,
          name: "Chapel Allerton Hospital",
          siteCode: "rr807",
          postcode: "ls7 4sa",
          headcount: 900,
        },
      });
      assert.equal(res.statusCode, 201, res.body);
      assert.equal(res.json().siteCode, "RR807");
      assert.equal(res.json().postcode, "LS7 4SA");
      const dup = await as(app, s.national!, {
        method: "POST",
        url: "/api/workplaces",
        payload: { employerId: f.employers.camden, name: "X", siteCode: "RR807" },
      });
      assert.equal(dup.statusCode, 409);
      const list = (
        await as(app, s.national!, { url: `/api/workplaces?employerId=${f.employers.leedsTrust}` })
      ).json();
      assert.equal(list.total, 3);
    });

    test("regions, sectors and branches: list, create, duplicate code, rename, delete", async () => {
      const regions = (await as(app, s.national!, { url: "/api/regions" })).json();
      assert.equal(regions.length, 2);
      const created = await as(app, s.national!, {
        method: "POST",
        url: "/api/regions",
        payload: { code: "cymru-wales", name: "Cymru/Wales", nation: "wales" },
      });
      assert.equal(created.statusCode, 201);
      const dup = await as(app, s.national!, {
        method: "POST",
        url: "/api/regions",
        payload: { code: "cymru-wales", name: "Again" },
      });
      assert.equal(dup.statusCode, 409);
      assert.equal(dup.json().error.code, "org.duplicate_code");
      const branch = await as(app, s.national!, {
        method: "POST",
        url: "/api/branches",
        payload: { code: "cardiff-health", name: "Cardiff Health Branch", regionId: created.json().id },
      });
      assert.equal(branch.statusCode, 201);
      const renamed = await as(app, s.national!, {
        method: "PATCH",
        url: `/api/branches/${branch.json().id}`,
        payload: { name: "Cardiff & Vale Health" },
      });
      assert.equal(renamed.json().name, "Cardiff & Vale Health");
      const inUse = await as(app, s.national!, { method: "DELETE", url: `/api/regions/${f.regions.london}` });
      assert.equal(inUse.statusCode, 409);
      assert.equal(
        (await as(app, s.national!, { method: "DELETE", url: `/api/branches/${branch.json().id}` }))
          .statusCode,
        204,
      );
      const other = await signIn(app, f.users.partnerNational.email);
      const partnerRegions = (await as(app, other, { url: "/api/regions" })).json();
      assert.deepEqual(
        partnerRegions.map((r: { name: string }) => r.name),
        ["Yorkshire"],
        "each union sees its own organisation",
      );
    });

    test("unions: each user sees their own union only", async () => {
      const res = (await as(app, s.national!, { url: "/api/unions" })).json();
      assert.deepEqual(
        res.map((u: { id: number }) => u.id),
        [f.unionId],
      );
      const rename = await as(app, s.national!, {
        method: "PATCH",
        url: `/api/unions/${f.partnerUnionId}`,
        payload: { name: "Hijack" },
      });
      assert.equal(rename.statusCode, 404);
    });
  });
}
