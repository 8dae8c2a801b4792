import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { sql } from "kysely";
import { as, buildTestApp, type Session, signIn } from "../../test/helpers/app.js";
import { backends, createTestDb } from "../../test/helpers/db.js";
import { type Fixture, seedFixture } from "../../test/helpers/fixtures.js";
import type { OpenDatabase } from "../db/connect.js";
import type { App } from "../http/types.js";

/** The members API end to end through HTTP, on the embedded database and on the PostgreSQL server. */
for (const { backend, skip } of await backends()) {
  describe(`members API on ${backend}`, { skip }, () => {
    let open: OpenDatabase;
    let app: App;
    let f: Fixture;
    const sessions: Record<string, Session> = {};

    before(async () => {
      open = await createTestDb(backend);
      f = await seedFixture(open.db);
      app = await buildTestApp(open);
      for (const [role, user] of Object.entries(f.users)) sessions[role] = await signIn(app, user.email);
    });
    after(async () => {
      await app?.close();
      await open?.close();
    });

    /** Audit rows of changes: refusals are recorded too (auth.access_denied), and are no change. */
    const auditCount = async () =>
      Number(
        (
          await sql<{ n: number }>`select count(*)::int as n from audit_log
            where event not in ('auth.access_denied', 'auth.id_enumeration')`.execute(open.db)
        ).rows[0]!.n,
      );
    const memberCount = async () =>
      Number((await sql<{ n: number }>`select count(*)::int as n from members`.execute(open.db)).rows[0]!.n);

    test("health answers without a session", async () => {
      const res = await app.inject({ url: "/api/health" });
      assert.equal(res.statusCode, 200);
      assert.deepEqual(res.json(), { ok: true, database: "up" });
    });

    test("the OpenAPI document lists the member routes", async () => {
      const res = await app.inject({ url: "/api/openapi.json" });
      assert.equal(res.statusCode, 200);
      const doc = res.json();
      assert.ok(doc.openapi.startsWith("3."));
      assert.ok(doc.paths["/api/members"].get);
      assert.ok(doc.paths["/api/members/{id}"].patch);
      assert.ok(doc.paths["/api/members/summary"].get);
    });

    test("without a session the API answers 401 with a code", async () => {
      const res = await app.inject({ url: "/api/members" });
      assert.equal(res.statusCode, 401);
      assert.equal(res.json().error.code, "auth.unauthenticated");
    });

    test("a wrong password is refused and audited", async () => {
      const before = await auditCount();
      const res = await app.inject({
        method: "POST",
        url: "/api/auth/login",
        payload: { email: f.users.national.email, password: "nope" },
      });
      assert.equal(res.statusCode, 401);
      assert.equal(res.json().error.code, "auth.invalid_credentials");
      const last = await open.db
        .selectFrom("audit_log")
        .selectAll()
        .orderBy("seq", "desc")
        .limit(1)
        .executeTakeFirstOrThrow();
      assert.equal(last.event, "auth.login_failed");
      assert.equal(await auditCount(), before + 1);
    });

    test("a state-changing request without the CSRF token is refused", async () => {
      const res = await app.inject({
        method: "PATCH",
        url: `/api/members/${f.members.camden[0]}`,
        headers: { cookie: sessions.national!.cookie },
        payload: { jobTitle: "Clerk" },
      });
      assert.equal(res.statusCode, 403);
      assert.equal(res.json().error.code, "auth.csrf");
    });

    describe("CRUD", () => {
      let id = 0;
      test("create a member: 201, history opened, audited", async () => {
        const before = await auditCount();
        const res = await as(app, sessions.national!, {
          method: "POST",
          url: "/api/members",
          payload: {
            membershipNumber: "N9001",
            forenames: "Sam",
            surname: "Okafor",
            homePostcode: "ls9 7tf",
            email: "Sam.Okafor@example.org",
            mobile: "+447700900123",
            employerId: f.employers.leedsTrust,
            workplaceId: f.workplaces.lgi,
            jobCategory: "Allied health professionals",
            joinedOn: "2024-05-01",
          },
        });
        assert.equal(res.statusCode, 201, res.body);
        const m = res.json();
        id = m.id;
        assert.equal(m.homePostcode, "LS9 7TF", "postcodes are normalised");
        assert.equal(m.email, "sam.okafor@example.org");
        assert.equal(m.regionId, f.regions.yorkshire, "region filled from the workplace");
        assert.equal(await auditCount(), before + 1);
        const detail = (await as(app, sessions.national!, { url: `/api/members/${id}` })).json();
        assert.equal(detail.history.length, 1);
        assert.equal(detail.history[0].validFrom, "2024-05-01");
      });

      test("update a member's workplace: the history keeps the old period", async () => {
        const res = await as(app, sessions.national!, {
          method: "PATCH",
          url: `/api/members/${id}`,
          payload: { workplaceId: f.workplaces.stJames, effectiveFrom: "2026-09-01" },
        });
        assert.equal(res.statusCode, 200, res.body);
        const detail = (await as(app, sessions.national!, { url: `/api/members/${id}` })).json();
        assert.equal(detail.workplaceName, "St James's University Hospital");
        assert.deepEqual(
          detail.history.map((h: { validFrom: string; validTo: string | null; workplaceId: number }) => [
            h.validFrom,
            h.validTo,
            h.workplaceId,
          ]),
          [
            ["2026-09-01", null, f.workplaces.stJames],
            ["2024-05-01", "2026-08-31", f.workplaces.lgi],
          ],
        );
        const audit = await open.db
          .selectFrom("audit_log")
          .selectAll()
          .where("event", "=", "member.updated")
          .where("subject_id", "=", String(id))
          .executeTakeFirstOrThrow();
        assert.deepEqual(
          audit.details.fields,
          ["workplace_id"],
          "the audit row names the field, not its value",
        );
      });

      test("delete a member (national only): gone, audited", async () => {
        const denied = await as(app, sessions.regional!, { method: "DELETE", url: `/api/members/${id}` });
        assert.equal(denied.statusCode, 403);
        const res = await as(app, sessions.national!, { method: "DELETE", url: `/api/members/${id}` });
        assert.equal(res.statusCode, 204);
        const gone = await as(app, sessions.national!, { url: `/api/members/${id}` });
        assert.equal(gone.statusCode, 404);
        assert.equal(gone.json().error.code, "members.not_found");
      });
    });

    describe("paging, filtering, search", () => {
      test("pages are stable and the total counts every match", async () => {
        const p1 = (await as(app, sessions.national!, { url: "/api/members?pageSize=3&page=1" })).json();
        const p2 = (await as(app, sessions.national!, { url: "/api/members?pageSize=3&page=2" })).json();
        const p3 = (await as(app, sessions.national!, { url: "/api/members?pageSize=3&page=3" })).json();
        assert.equal(p1.total, 8, "8 members of the main union; the partner union's member is not counted");
        assert.equal(p1.items.length, 3);
        assert.equal(p3.items.length, 2);
        const ids = [...p1.items, ...p2.items, ...p3.items].map((m: { id: number }) => m.id);
        assert.equal(new Set(ids).size, 8);
        assert.deepEqual(
          p1.items.map((m: { surname: string }) => m.surname),
          ["Ahmed", "Brown", "Davies"],
        );
      });

      test("filters by employer and status", async () => {
        const res = (
          await as(app, sessions.national!, {
            url: `/api/members?employerId=${f.employers.leedsTrust}&status=active`,
          })
        ).json();
        assert.deepEqual(res.items.map((m: { surname: string }) => m.surname).sort(), [
          "Ahmed",
          "Brown",
          "O'Connor",
        ]);
      });

      test("search by surname prefix, membership number and postcode", async () => {
        const bySurname = (await as(app, sessions.national!, { url: "/api/members?search=fra" })).json();
        assert.deepEqual(
          bySurname.items.map((m: { surname: string }) => m.surname),
          ["Fraser"],
        );
        const byNumber = (await as(app, sessions.national!, { url: "/api/members?search=M101" })).json();
        assert.equal(byNumber.items.length, 1);
        const byPostcode = (await as(app, sessions.national!, { url: "/api/members?search=nw1%202" })).json();
        assert.deepEqual(
          byPostcode.items.map((m: { surname: string }) => m.surname),
          ["Evans"],
        );
      });

      test("SQL metacharacters in a search are plain text", async () => {
        for (const term of ["'; drop table members; --", "%", "_", "O'Connor", "\\", "a%' or '1'='1"]) {
          const res = await as(app, sessions.national!, {
            url: `/api/members?search=${encodeURIComponent(term)}`,
          });
          assert.equal(res.statusCode, 200, term);
          const expected = term === "O'Connor" ? 1 : 0;
          assert.equal(res.json().total, expected, term);
        }
        assert.equal(await memberCount(), 9);
      });
    });

    describe("bad input gets a 4xx with a clear message and changes nothing", () => {
      const post = (payload: string | object, contentType = "application/json") =>
        as(app, sessions.national!, {
          method: "POST",
          url: "/api/members",
          headers: { "content-type": contentType },
          payload: typeof payload === "string" ? payload : JSON.stringify(payload),
        });
      const valid = { membershipNumber: "X1", forenames: "Kim", surname: "Lee" };

      test("malformed JSON", async () => {
        const before = await memberCount();
        const res = await post('{"membershipNumber": "X1", ');
        assert.equal(res.statusCode, 400);
        assert.equal(res.json().error.code, "request.malformed_json");
        assert.equal(await memberCount(), before);
      });

      test("wrong types name the field", async () => {
        const res = await post({ ...valid, inArrears: "yes", employerId: "seven" });
        assert.equal(res.statusCode, 400);
        const body = res.json();
        assert.equal(body.error.code, "request.invalid");
        assert.match(body.error.message, /inArrears/);
        assert.match(body.error.message, /employerId/);
      });

      test("over-long strings", async () => {
        const res = await post({ ...valid, surname: "x".repeat(101) });
        assert.equal(res.statusCode, 400);
        assert.match(res.json().error.message, /surname/);
      });

      test("an invalid postcode, email and date", async () => {
        const res = await post({
          ...valid,
          homePostcode: "not a postcode",
          email: "nope",
          dateOfBirth: "1990-02-30",
        });
        assert.equal(res.statusCode, 400);
        const msg = res.json().error.message;
        assert.match(msg, /homePostcode/);
        assert.match(msg, /email/);
        assert.match(msg, /dateOfBirth/);
      });

      test("a duplicate membership number is a 409 and nothing is written", async () => {
        const beforeMembers = await memberCount();
        const beforeAudit = await auditCount();
        const res = await post({ ...valid, membershipNumber: "M100" });
        assert.equal(res.statusCode, 409);
        assert.equal(res.json().error.code, "members.duplicate_number");
        assert.match(res.json().error.message, /M100/);
        assert.equal(await memberCount(), beforeMembers);
        assert.equal(await auditCount(), beforeAudit, "the rolled-back insert leaves no audit row either");
      });

      test("a workplace of another employer is refused", async () => {
        const res = await post({
          ...valid,
          membershipNumber: "X2",
          employerId: f.employers.camden,
          workplaceId: f.workplaces.stJames,
        });
        assert.equal(res.statusCode, 422);
        assert.equal(res.json().error.code, "workplaces.wrong_employer");
      });

      test("an id that is not a number", async () => {
        const res = await as(app, sessions.national!, { url: "/api/members/abc" });
        assert.equal(res.statusCode, 400);
        assert.equal(res.json().error.code, "request.invalid");
      });

      test("an unknown route", async () => {
        const res = await as(app, sessions.national!, { url: "/api/nothing-here" });
        assert.equal(res.statusCode, 404);
        assert.equal(res.json().error.code, "request.not_found");
      });
    });

    describe("role matrix over HTTP", () => {
      const list = async (role: string) => {
        const res = await as(app, sessions[role]!, { url: "/api/members?pageSize=200" });
        return { status: res.statusCode, body: res.json() };
      };
      const get = async (role: string, id: number) =>
        (await as(app, sessions[role]!, { url: `/api/members/${id}` })).statusCode;

      test("national officer: every member of the union, none of the partner's", async () => {
        const { body } = await list("national");
        assert.equal(body.total, 8);
        assert.equal(await get("national", f.members.partner), 404);
      });

      test("regional officer: only their region; another region reads as not found", async () => {
        const { body } = await list("regional");
        assert.deepEqual(body.items.map((m: { surname: string }) => m.surname).sort(), [
          "Ahmed",
          "Brown",
          "Davies",
          "Green",
          "O'Connor",
        ]);
        assert.equal(await get("regional", f.members.stJames[0]!), 200);
        assert.equal(await get("regional", f.members.camden[0]!), 404);
      });

      test("regional officer cannot move a member out of their region", async () => {
        const res = await as(app, sessions.regional!, {
          method: "PATCH",
          url: `/api/members/${f.members.stJames[1]}`,
          payload: {
            employerId: f.employers.camden,
            workplaceId: f.workplaces.camdenHall,
            regionId: f.regions.london,
          },
        });
        assert.equal(res.statusCode, 403);
        const still = (
          await as(app, sessions.national!, { url: `/api/members/${f.members.stJames[1]}` })
        ).json();
        assert.equal(still.workplaceId, f.workplaces.stJames);
      });

      test("regional officer cannot move a member out of their region by changing only the workplace", async () => {
        const member = f.members.stJames[1]!;
        const before = await auditCount();
        const res = await as(app, sessions.regional!, {
          method: "PATCH",
          url: `/api/members/${member}`,
          payload: { employerId: f.employers.camden, workplaceId: f.workplaces.camdenHall },
        });
        assert.equal(res.statusCode, 403, res.body);
        assert.equal(res.json().error.code, "auth.forbidden");
        // Nor by naming their own region for another region's site.
        const claimed = await as(app, sessions.regional!, {
          method: "PATCH",
          url: `/api/members/${member}`,
          payload: {
            employerId: f.employers.camden,
            workplaceId: f.workplaces.camdenHall,
            regionId: f.regions.yorkshire,
          },
        });
        assert.equal(claimed.statusCode, 403, claimed.body);
        const still = (await as(app, sessions.national!, { url: `/api/members/${member}` })).json();
        assert.equal(still.workplaceId, f.workplaces.stJames);
        assert.equal(still.regionId, f.regions.yorkshire);
        assert.equal(await auditCount(), before, "a refused write changes nothing");
        // A move inside the region is still theirs to make.
        const inside = await as(app, sessions.regional!, {
          method: "PATCH",
          url: `/api/members/${member}`,
          payload: { workplaceId: f.workplaces.lgi },
        });
        assert.equal(inside.statusCode, 200, inside.body);
        await as(app, sessions.regional!, {
          method: "PATCH",
          url: `/api/members/${member}`,
          payload: { workplaceId: f.workplaces.stJames },
        });
      });

      test("a move of workplace recomputes the region, as create does", async () => {
        const member = f.members.bradford[0]!;
        const moved = await as(app, sessions.national!, {
          method: "PATCH",
          url: `/api/members/${member}`,
          payload: { employerId: f.employers.camden, workplaceId: f.workplaces.camdenHall },
        });
        assert.equal(moved.statusCode, 200, moved.body);
        assert.equal(moved.json().regionId, f.regions.london);
        assert.equal(await get("regional", member), 404, "no longer the Yorkshire officer's");
        const back = await as(app, sessions.national!, {
          method: "PATCH",
          url: `/api/members/${member}`,
          payload: { employerId: f.employers.bradfordCouncil, workplaceId: f.workplaces.bradfordDepot },
        });
        assert.equal(back.json().regionId, f.regions.yorkshire);
        assert.equal(await get("regional", member), 200);
      });

      test("sector officer: only their sector", async () => {
        const { body } = await list("sector");
        assert.deepEqual(body.items.map((m: { surname: string }) => m.surname).sort(), [
          "Ahmed",
          "Brown",
          "Davies",
          "O'Connor",
        ]);
        assert.equal(await get("sector", f.members.bradford[0]!), 404);
      });

      test("workplace rep: only their workplace; a member of another workplace is not found", async () => {
        const { body } = await list("rep");
        assert.deepEqual(body.items.map((m: { surname: string }) => m.surname).sort(), [
          "Ahmed",
          "Brown",
          "O'Connor",
        ]);
        assert.equal(await get("rep", f.members.stJames[0]!), 200);
        assert.equal(await get("rep", f.members.lgi[0]!), 404);
        const write = await as(app, sessions.rep!, {
          method: "PATCH",
          url: `/api/members/${f.members.stJames[0]}`,
          payload: { jobTitle: "x" },
        });
        assert.equal(write.statusCode, 403);
      });

      for (const role of ["scrutineer", "observer", "dpo"]) {
        test(`${role}: no member records at all`, async () => {
          const { status, body } = await list(role);
          assert.equal(status, 403);
          assert.equal(body.error.code, "auth.forbidden");
          assert.equal(await get(role, f.members.stJames[0]!), 403);
        });
      }

      test("a refusal says in plain words who may not do what, without permission codes", async () => {
        const { body } = await list("scrutineer");
        assert.equal(body.error.message, "An independent scrutineer may not read members' records.");
        const write = await as(app, sessions.rep!, {
          method: "PATCH",
          url: `/api/members/${f.members.stJames[0]}`,
          payload: { jobTitle: "x" },
        });
        assert.equal(write.json().error.message, "A workplace rep may not change members' records.");
      });

      test("scrutineer sees counts including employers, never names", async () => {
        const res = await as(app, sessions.scrutineer!, { url: "/api/members/summary" });
        assert.equal(res.statusCode, 200);
        const s = res.json();
        assert.equal(s.view, "counts");
        assert.equal(s.total, 8);
        assert.ok(s.topEmployers.length > 0);
        assert.doesNotMatch(res.body, /Ahmed|Brown|Evans|M10\d/);
      });

      test("observer sees aggregates only: no employer breakdown", async () => {
        const s = (await as(app, sessions.observer!, { url: "/api/members/summary" })).json();
        assert.equal(s.view, "aggregate");
        assert.equal(s.topEmployers, null);
        assert.equal(s.employersWithMembers, null);
        assert.equal(s.total, 8);
      });

      test("summaries are scoped: the rep's counts cover their workplace only", async () => {
        const s = (await as(app, sessions.rep!, { url: "/api/members/summary" })).json();
        assert.equal(s.total, 3);
        assert.equal(s.quality.noHomeAddress, 1);
        assert.equal(
          s.quality.workplacesOverHeadcount,
          1,
          "3 active members against a recorded headcount of 2",
        );
      });

      test("the national summary counts the data-quality problems", async () => {
        const s = (await as(app, sessions.national!, { url: "/api/members/summary" })).json();
        assert.equal(s.active, 7);
        assert.equal(s.quality.noWorkplace, 1);
        assert.equal(s.quality.inArrears, 1);
        assert.equal(s.quality.atClosedWorkplaces, 1, "Bowling Back Lane Depot closed on 2026-03-31");
        assert.deepEqual(
          s.byRegion.map((r: { name: string; count: number }) => [r.name, r.count]),
          [
            ["Yorkshire & Humberside", 5],
            ["Greater London", 3],
          ],
        );
      });

      test("the summary follows changes at once (members and workplace headcounts)", async () => {
        const before = (await as(app, sessions.national!, { url: "/api/members/summary" })).json();
        const patched = await as(app, sessions.national!, {
          method: "PATCH",
          url: `/api/members/${f.members.camden[1]}`,
          payload: { inArrears: false },
        });
        assert.equal(patched.statusCode, 200);
        const after = (await as(app, sessions.national!, { url: "/api/members/summary" })).json();
        assert.equal(after.quality.inArrears, before.quality.inArrears - 1);
        const hc = await as(app, sessions.national!, {
          method: "PATCH",
          url: `/api/workplaces/${f.workplaces.stJames}`,
          payload: { headcount: 500 },
        });
        assert.equal(hc.statusCode, 200);
        const later = (await as(app, sessions.national!, { url: "/api/members/summary" })).json();
        assert.equal(later.quality.workplacesOverHeadcount, before.quality.workplacesOverHeadcount - 1);
        await as(app, sessions.national!, {
          method: "PATCH",
          url: `/api/workplaces/${f.workplaces.stJames}`,
          payload: { headcount: 2 },
        });
        await as(app, sessions.national!, {
          method: "PATCH",
          url: `/api/members/${f.members.camden[1]}`,
          payload: { inArrears: true },
        });
      });

      test("the member export neutralises spreadsheet formulas in every text cell", async () => {
        // Input is trimmed, so tab and carriage return cannot arrive this way (shared/csv.test.ts has them).
        const payloads = ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)"];
        const ids: number[] = [];
        for (const [i, surname] of payloads.entries()) {
          const res = await as(app, sessions.national!, {
            method: "POST",
            url: "/api/members",
            payload: {
              membershipNumber: `F${i}`,
              forenames: "Formula",
              surname,
              employerId: f.employers.leedsTrust,
              workplaceId: f.workplaces.stJames,
            },
          });
          assert.equal(res.statusCode, 201, res.body);
          ids.push(res.json().id);
        }
        try {
          const res = await as(app, sessions.national!, { url: "/api/members/export.csv" });
          assert.equal(res.statusCode, 200);
          for (const [i, surname] of payloads.entries()) {
            const line = res.body.split("\r\n").find((l) => l.startsWith(`F${i},`));
            assert.ok(line, `row F${i}`);
            const cell = line.split(",")[1]!.replace(/^"|"$/g, "").replaceAll('""', '"');
            assert.equal(cell, `'${surname}`, `surname ${JSON.stringify(surname)} is neutralised`);
          }
        } finally {
          for (const id of ids)
            await as(app, sessions.national!, { method: "DELETE", url: `/api/members/${id}` });
        }
      });

      test("only the DPO reads the audit log", async () => {
        assert.equal((await as(app, sessions.dpo!, { url: "/api/audit" })).statusCode, 200);
        for (const role of ["national", "regional", "rep", "scrutineer", "observer"]) {
          assert.equal((await as(app, sessions[role]!, { url: "/api/audit" })).statusCode, 403, role);
        }
      });
    });
  });
}
