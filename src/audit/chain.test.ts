import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { type ChainedRow, GENESIS_HASH, hashRow, keyedHashRow, verifyChain } from "./chain.js";

function buildChain(n: number): ChainedRow[] {
  const rows: ChainedRow[] = [];
  let prev = GENESIS_HASH;
  for (let i = 1; i <= n; i++) {
    const unhashed = {
      seq: i,
      at: new Date(Date.UTC(2026, 10, 27, 9, 0, i)),
      unionId: 1,
      actorUserId: 7,
      actorLabel: "officer@example.org",
      event: i % 2 ? "member.updated" : "auth.login_succeeded",
      subjectType: "member",
      subjectId: String(100 + i),
      outcome: "success",
      details: { fields: ["email", "mobile"], n: i },
      prevHash: prev,
    };
    const row = { ...unhashed, hash: hashRow(unhashed) };
    rows.push(row);
    prev = row.hash;
  }
  return rows;
}

describe("audit hash chain", () => {
  test("an intact chain verifies and reports its head", () => {
    const rows = buildChain(5);
    assert.deepEqual(verifyChain(rows), { ok: true, rows: 5, headHash: rows[4]!.hash, keyed: false });
  });

  test("the hash does not depend on the order of keys in details", () => {
    const [row] = buildChain(1);
    const reordered = { ...row!, details: { n: 1, fields: ["email", "mobile"] } };
    assert.equal(hashRow(reordered), row!.hash);
  });

  test("changing a field of a row is detected at that row", () => {
    const rows = buildChain(5);
    rows[2] = { ...rows[2]!, details: { fields: ["surname"], n: 3 } };
    const v = verifyChain(rows);
    assert.equal(v.ok, false);
    assert.equal(!v.ok && v.brokenAtSeq, 3);
  });

  test("recomputing the altered row's hash breaks the next link", () => {
    const rows = buildChain(5);
    const altered = { ...rows[1]!, actorLabel: "someone-else" };
    rows[1] = { ...altered, hash: hashRow(altered) };
    const v = verifyChain(rows);
    assert.equal(!v.ok && v.brokenAtSeq, 3);
    assert.match(!v.ok ? v.reason : "", /previous row/);
  });

  test("a removed row is detected", () => {
    const rows = buildChain(5);
    rows.splice(3, 1);
    const v = verifyChain(rows);
    assert.equal(!v.ok && v.brokenAtSeq, 4);
  });

  test("a changed timestamp is detected", () => {
    const rows = buildChain(3);
    rows[0] = { ...rows[0]!, at: new Date(rows[0]!.at.getTime() + 1) };
    assert.equal(verifyChain(rows).ok, false);
  });
});

describe("keyed audit chain", () => {
  const key = Buffer.alloc(32, 1);
  function keyedChain(n: number): ChainedRow[] {
    return buildChain(n).reduce<ChainedRow[]>((rows, r) => {
      const unhashed = { ...r, prevHash: rows.at(-1)?.hash ?? GENESIS_HASH, chainVersion: 2 };
      rows.push({ ...unhashed, hash: keyedHashRow(unhashed, key) });
      return rows;
    }, []);
  }

  test("keyed rows verify with the key, and not without it or with another", () => {
    const rows = keyedChain(3);
    assert.equal(verifyChain(rows, { key }).ok, true);
    assert.match(verifyChain(rows).ok ? "" : "no key", /no key/);
    assert.equal(verifyChain(rows, { key: Buffer.alloc(32, 2) }).ok, false);
  });

  test("a keyed row rehashed with plain SHA-256 is refused", () => {
    const rows = keyedChain(3);
    const altered = { ...rows[2]!, actorLabel: "someone-else" };
    rows[2] = { ...altered, hash: hashRow(altered) };
    const v = verifyChain(rows, { key });
    assert.equal(!v.ok && v.brokenAtSeq, 3);
  });

  test("plain rows may come before keyed rows, never after", () => {
    const plain = buildChain(2);
    const keyed = { ...buildChain(3)[2]!, prevHash: plain[1]!.hash, chainVersion: 2 };
    const third = { ...keyed, hash: keyedHashRow(keyed, key) };
    assert.equal(verifyChain([...plain, third], { key }).ok, true);
    const fourth = { ...third, seq: 4, prevHash: third.hash, chainVersion: 1 };
    const v = verifyChain([...plain, third, { ...fourth, hash: hashRow(fourth) }], { key });
    assert.equal(!v.ok && v.brokenAtSeq, 4);
    assert.match(!v.ok ? v.reason : "", /follows keyed rows/);
  });
});
