import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { sql } from "kysely";
import { backends, createTestDb } from "../../test/helpers/db.js";
import { ballotInput, CLOCK, type Fixture, seedFixture } from "../../test/helpers/fixtures.js";
import type { Ctx } from "../context.js";
import type { OpenDatabase } from "../db/connect.js";
import { copyValueDecoder } from "../db/copy.js";
import { createDispute } from "./disputes.service.js";
import { electorateHasher } from "./electorate.js";
import { freezeElectorate } from "./freeze.service.js";
import { createBallot } from "./setup.service.js";

/**
 * The snapshot's names and postal addresses, written with COPY, must be what
 * the rule says in JavaScript terms (String.prototype.trim, split at
 * /\r?\n|,/, at most four lines, the home address's non-blank lines as
 * written), whatever odd characters a register holds; and the fingerprint,
 * read back from the database, must be the one electorateHasher gives the rows.
 */
interface Odd {
  number: string;
  forenames: string;
  surname: string;
  postal_address?: string | null;
  postal_postcode?: string | null;
  address_line1?: string | null;
  address_line2?: string | null;
  town?: string | null;
  home_postcode?: string | null;
  job_category?: string | null;
  /** What the snapshot must hold. */
  name: string;
  lines: string[];
  postcode: string | null;
}

const ODD: Odd[] = [
  {
    number: "Z01",
    forenames: "  Ann\u00a0",
    surname: "Lee\t",
    address_line1: " 5 Mill Lane ",
    address_line2: "\t",
    town: "York",
    home_postcode: "YO1 7HH",
    name: "Ann\u00a0 Lee",
    lines: [" 5 Mill Lane ", "York"],
    postcode: "YO1 7HH",
  },
  {
    number: "Z02",
    forenames: "Zoë",
    surname: "O'Brien\\x|Pipe\u001fUnit",
    postal_address: "Flat 2, 10 High St\r\n\u3000\r\nLeeds,  ,West Yorks\nUK\nExtra",
    postal_postcode: "LS1 1AA",
    address_line1: "Ignored Road",
    home_postcode: "ZZ1 1ZZ",
    name: "Zoë O'Brien\\x|Pipe\u001fUnit",
    lines: ["Flat 2", "10 High St", "Leeds", "West Yorks"],
    postcode: "LS1 1AA",
  },
  {
    number: "Z03",
    forenames: "\u180eBo",
    surname: "Ray\u2028",
    postal_address: " \u2028\ufeff ",
    postal_postcode: "NOT USED",
    address_line1: "1 Tab\tStreet",
    address_line2: "Back\\slash\nNewline",
    town: "  ",
    home_postcode: null,
    name: "\u180eBo Ray",
    lines: ["1 Tab\tStreet", "Back\\slash\nNewline"],
    postcode: null,
  },
  {
    number: "Z04\\|",
    forenames: "Cy",
    surname: "Dee",
    postal_address: "A\rB,C",
    postal_postcode: null,
    job_category: "Tab\tCat\\",
    name: "Cy Dee",
    lines: ["A\rB", "C"],
    postcode: null,
  },
  {
    number: "Z05",
    forenames: "",
    surname: "Solo",
    name: "Solo",
    lines: [],
    postcode: null,
  },
  {
    number: "Z06",
    forenames: "Quo",
    surname: "Te",
    postal_address: 'The "Old" Mill {1}, NULL,\\N',
    postal_postcode: "QT1 1QT",
    name: "Quo Te",
    lines: ['The "Old" Mill {1}', "NULL", "\\N"],
    postcode: "QT1 1QT",
  },
];

for (const { backend, skip } of await backends()) {
  describe(`the snapshot the freeze writes on ${backend}`, { skip }, () => {
    let open: OpenDatabase;
    let f: Fixture;
    let ctx: Ctx;
    before(async () => {
      open = await createTestDb(backend);
      f = await seedFixture(open.db);
      ctx = { db: open.db, actor: f.actors.national, clock: CLOCK };
      await open.db
        .insertInto("members")
        .values(
          ODD.map((m) => ({
            union_id: f.unionId,
            membership_number: m.number,
            forenames: m.forenames,
            surname: m.surname,
            postal_address: m.postal_address ?? null,
            postal_postcode: m.postal_postcode ?? null,
            address_line1: m.address_line1 ?? null,
            address_line2: m.address_line2 ?? null,
            town: m.town ?? null,
            home_postcode: m.home_postcode ?? null,
            job_category: m.job_category ?? null,
            employer_id: f.employers.camden,
            workplace_id: f.workplaces.camdenHall,
            joined_on: "2020-01-01",
            status: "active" as const,
            in_arrears: false,
            check_off: true,
            consent_email: false,
            consent_sms: false,
          })),
        )
        .execute();
    });
    after(() => open?.close());

    const oddBallot = async (name: string) => {
      const dispute = await createDispute(ctx, {
        title: `Odd registers (${name})`,
        mattersInIssue: "Pay.",
        coalition: "",
        employerIds: [f.employers.camden],
      });
      return createBallot(
        ctx,
        dispute.id,
        ballotInput(f, { name, scope: [{ employerId: f.employers.camden, workplaceId: null }] }),
      );
    };
    const snapshotOf = (ballotId: number) =>
      open.db
        .selectFrom("ballot_electorate")
        .selectAll()
        .where("ballot_id", "=", ballotId)
        .orderBy("member_id")
        .execute();
    /** The ballot's own partitions of ballot_electorate, and how many of its rows the shared one holds. */
    const placeOf = async (ballotId: number) => {
      const own = await sql<{ name: string; n: number }>`
        select c.relname as name, (select count(*)::int from ballot_electorate where ballot_id = ${ballotId}) as n
        from pg_inherits i join pg_class c on c.oid = i.inhrelid
        where i.inhparent = 'ballot_electorate'::regclass
          and pg_get_expr(c.relpartbound, c.oid) = ${`FOR VALUES IN (${ballotId})`}`.execute(open.db);
      const shared = await sql<{ n: number }>`
        select count(*)::int as n from ballot_electorate_shared where ballot_id = ${ballotId}`.execute(
        open.db,
      );
      // The partition's foreign key is the parent's (attached, not a second one checked on its own).
      const keys = await sql<{ attached: boolean }>`
        select k.conparentid <> 0 as attached from pg_inherits i join pg_class c on c.oid = i.inhrelid
        join pg_constraint k on k.conrelid = c.oid and k.contype = 'f'
        where i.inhparent = 'ballot_electorate'::regclass
          and pg_get_expr(c.relpartbound, c.oid) = ${`FOR VALUES IN (${ballotId})`}`.execute(open.db);
      assert.deepEqual(
        keys.rows.map((k) => k.attached),
        own.rows.map(() => true),
      );
      return { own: own.rows.length, shared: shared.rows[0]!.n };
    };

    const checkSnapshot = async (ballotId: number, hash: string | null, asAt: string) => {
      const rows = await snapshotOf(ballotId);
      for (const m of ODD) {
        const row = rows.find((r) => r.membership_number === m.number);
        assert.ok(row, m.number);
        assert.deepEqual(
          { name: row.name, lines: row.address_lines, postcode: row.postcode, category: row.job_category },
          { name: m.name, lines: m.lines, postcode: m.postcode, category: m.job_category ?? null },
          m.number,
        );
      }
      const hasher = electorateHasher(asAt as never);
      for (const r of rows) {
        hasher.add({
          memberId: r.member_id,
          unionId: r.member_union_id,
          membershipNumber: r.membership_number,
          included: r.included,
          reason: r.reason as never,
          employerId: r.employer_id,
          workplaceId: r.workplace_id,
          jobCategory: r.job_category,
          checkOff: r.check_off,
          leftOn: r.left_on,
          paperNumber: r.paper_number,
          name: r.name,
          addressLines: r.address_lines,
          postcode: r.postcode,
        });
      }
      assert.equal(hash, hasher.digest());
      return rows.map(({ ballot_id: _, ...r }) => r);
    };

    test("names and addresses as the rule states them in JavaScript; the fingerprint of the rows", async () => {
      const ballot = await oddBallot("Odd");
      const summary = await freezeElectorate(ctx, ballot.id);
      await checkSnapshot(ballot.id, summary.hash, summary.asAt!);
      assert.deepEqual(await placeOf(ballot.id), { own: 0, shared: summary.entitled + summary.excluded });
    });

    test("in a table of the ballot's own, attached as its partition: the same rows and fingerprint", async () => {
      const shared = await oddBallot("Odd, shared");
      const own = await oddBallot("Odd, own table");
      const inShared = await freezeElectorate(ctx, shared.id);
      const inOwn = await freezeElectorate(ctx, own.id, { ownPartitionFrom: 0 });
      assert.equal(inOwn.hash, inShared.hash);
      assert.deepEqual(
        await checkSnapshot(own.id, inOwn.hash, inOwn.asAt!),
        await checkSnapshot(shared.id, inShared.hash, inShared.asAt!),
      );
      assert.deepEqual(await placeOf(own.id), { own: 1, shared: 0 });
    });

    test("in windows of a few members: the same rows and fingerprint", async () => {
      const whole = await oddBallot("Odd, one window");
      const windows = await oddBallot("Odd, windows of three");
      const inOne = await freezeElectorate(ctx, whole.id);
      const inThrees = await freezeElectorate(ctx, windows.id, { window: 3 });
      assert.ok(inThrees.entitled + inThrees.excluded > 6, "several windows");
      assert.equal(inThrees.hash, inOne.hash);
      assert.deepEqual(
        await checkSnapshot(windows.id, inThrees.hash, inThrees.asAt!),
        await checkSnapshot(whole.id, inOne.hash, inOne.asAt!),
      );
    });

    test("a re-freeze replaces the ballot's rows wherever they were, and a ballot with a table of its own keeps one", async () => {
      const ballot = await oddBallot("Odd, re-frozen");
      const first = await freezeElectorate(ctx, ballot.id);
      assert.deepEqual(await placeOf(ballot.id), { own: 0, shared: first.entitled + first.excluded });
      const second = await freezeElectorate(ctx, ballot.id, { ownPartitionFrom: 0 });
      assert.deepEqual(await placeOf(ballot.id), { own: 1, shared: 0 });
      const third = await freezeElectorate(ctx, ballot.id, { ownPartitionFrom: 0 });
      assert.deepEqual(await placeOf(ballot.id), { own: 1, shared: 0 });
      const fourth = await freezeElectorate(ctx, ballot.id);
      assert.deepEqual(await placeOf(ballot.id), { own: 1, shared: 0 });
      for (const s of [second, third, fourth]) {
        assert.equal(s.hash, first.hash);
        assert.equal(s.entitled + s.excluded, first.entitled + first.excluded);
      }
      await checkSnapshot(ballot.id, fourth.hash, fourth.asAt!);
    });
  });
}

describe("COPY's text escapes undone, chunk by chunk", () => {
  test("an escape split across two chunks, and chunks without a backslash passed through", () => {
    const bytes = (s: string) => new TextEncoder().encode(s);
    const decode = copyValueDecoder();
    const out = [bytes("a\\"), bytes("tb\\\\c\\nd\\"), bytes("re"), bytes("\\b\\f\\v|\u001f\n"), null].map(
      (c) => new TextDecoder().decode(decode(c)),
    );
    assert.equal(out.join(""), "a\tb\\c\nd\re\b\f\v|\u001f\n");
    const plain = bytes("no escapes\n");
    assert.equal(copyValueDecoder()(plain), plain);
    assert.throws(() => {
      const d = copyValueDecoder();
      d(bytes("x\\"));
      d(null);
    });
  });
});
