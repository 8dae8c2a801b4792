import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { backends, createTestDb } from "../../test/helpers/db.js";
import { CLOCK, seedFixture } from "../../test/helpers/fixtures.js";
import type { Ctx } from "../context.js";
import { insertRowsAsJson } from "../db/bulk.js";
import type { OpenDatabase } from "../db/connect.js";
import { findDuplicates, type PersonRecord } from "./duplicates/index.js";
import { generateSynthetic } from "./duplicates/synthetic.js";
import { detectDuplicates } from "./duplicates.service.js";

/**
 * The import's duplicate search runs block by block over the database (a
 * working table read back in order of each blocking rule's key); the groups
 * it records are those findDuplicates finds with the whole union in memory.
 */
for (const { backend, skip } of await backends()) {
  describe(`duplicate search block by block (${backend})`, { skip }, () => {
    let open: OpenDatabase;
    let ctx: Ctx;
    before(async () => {
      open = await createTestDb(backend);
      const f = await seedFixture(open.db);
      ctx = { db: open.db, actor: f.actors.national, clock: CLOCK };
      const list = generateSynthetic({ people: 2_500, duplicateRate: 0.05, seed: 3 });
      const numbers = new Set<string>();
      const rows = list.records
        .filter((r) => !numbers.has(r.membershipNumber) && numbers.add(r.membershipNumber))
        .map((r) => ({
          union_id: f.unionId,
          membership_number: `S${r.membershipNumber}`.slice(0, 32),
          forenames: r.forenames,
          surname: r.surname,
          date_of_birth: r.dateOfBirth,
          home_postcode: r.postcode,
          email: r.email,
          mobile: r.mobile,
        }));
      for (let i = 0; i < rows.length; i += 1_000)
        await insertRowsAsJson(open.db, "members", rows.slice(i, i + 1_000), null);
    });
    after(async () => open?.close());

    test("the groups recorded are the clusters of the whole union in memory, with their confidence and evidence", async () => {
      const found = await detectDuplicates(ctx);
      const members = await open.db
        .selectFrom("members")
        .select([
          "id",
          "membership_number",
          "forenames",
          "surname",
          "date_of_birth",
          "home_postcode",
          "email",
          "mobile",
        ])
        .where("union_id", "=", ctx.actor.unionId!)
        .where("status", "!=", "deceased")
        .orderBy("id")
        .execute();
      const records: PersonRecord[] = members.map((m) => ({
        key: String(m.id),
        membershipNumber: m.membership_number,
        forenames: m.forenames,
        surname: m.surname,
        dateOfBirth: m.date_of_birth,
        postcode: m.home_postcode,
        email: m.email,
        mobile: m.mobile,
      }));
      const whole = findDuplicates(records);
      const evidence = new Map<string, string[]>();
      for (const p of whole.pairs) {
        for (const k of [p.a, p.b])
          evidence.set(k, [...new Set([...(evidence.get(k) ?? []), ...p.evidence])].slice(0, 8));
      }
      const expected = whole.clusters
        .map((c) => ({
          members: c.keys.map(Number),
          status: c.certain ? "linked" : "review",
          confidence: Math.fround(c.confidence),
          evidence: evidence.get(c.keys[0]!) ?? [],
        }))
        .sort((x, y) => x.members[0]! - y.members[0]!);
      assert.ok(expected.length > 50, `${expected.length} clusters`);
      assert.ok(expected.some((c) => c.status === "review") && expected.some((c) => c.members.length > 2));

      const groups = await open.db
        .selectFrom("duplicate_groups")
        .select(["id", "status", "confidence", "evidence"])
        .where("union_id", "=", ctx.actor.unionId!)
        .execute();
      const grouped = await open.db
        .selectFrom("members")
        .select(["id", "duplicate_group_id"])
        .where("duplicate_group_id", "is not", null)
        .orderBy("id")
        .execute();
      const actual = groups
        .map((g) => ({
          members: grouped.filter((m) => m.duplicate_group_id === g.id).map((m) => m.id),
          status: g.status,
          confidence: Math.fround(g.confidence),
          evidence: g.evidence as string[],
        }))
        .sort((x, y) => x.members[0]! - y.members[0]!);
      assert.deepEqual(actual, expected);
      assert.deepEqual(found, {
        linked: expected.filter((c) => c.status === "linked").length,
        review: expected.filter((c) => c.status === "review").length,
      });
      const audit = await open.db
        .selectFrom("audit_log")
        .select("details")
        .where("event", "=", "duplicates.detected")
        .executeTakeFirstOrThrow();
      const details = audit.details as { comparisons: number; members: number };
      assert.equal(details.comparisons, whole.comparisons);
      assert.equal(details.members, records.length);
    });
  });
}
