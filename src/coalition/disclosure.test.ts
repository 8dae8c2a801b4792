import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  type CellInput,
  cellNoise,
  discloseAggregates,
  protectedCount,
  SUPPRESS_AT_OR_BELOW,
} from "./disclosure.js";

/**
 * The privacy attack suite against the disclosure rules, run directly on the pure module (the API's
 * attack tests are in coalition.api.test.ts). Each attack is what an observer holding the releases
 * could try; each must fail to give back a count of 7 or fewer. Random sets come from a seeded
 * generator, so the figures below are the same on every run.
 */
const SECRET = new Uint8Array(32).fill(7);

function generator(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}
const rnd = generator(42);
const ids = (n: number, base: number) =>
  Array.from({ length: n }, (_, i) => base + i * 3 + Math.floor(rnd() * 3));
const tally = (m: Map<number, number>, k: number) => m.set(k, (m.get(k) ?? 0) + 1);

/** The best an attacker can do: guess, for each observation, the hypothesis seen most often with it. */
function bayesAccuracy(byHypothesis: Map<number, number>[]): number {
  const observations = new Set(byHypothesis.flatMap((m) => [...m.keys()]));
  let right = 0;
  let all = 0;
  for (const o of observations) right += Math.max(...byHypothesis.map((m) => m.get(o) ?? 0));
  for (const m of byHypothesis) for (const v of m.values()) all += v;
  return right / all;
}

describe("disclosure rules", () => {
  test("counts of 7 or fewer are suppressed, other counts are multiples of 5 and never below 10", () => {
    for (let n = 0; n <= 300; n++) {
      for (let t = 0; t < 5; t++) {
        const v = protectedCount(ids(n, 10_000 * t + n * 1000), SECRET);
        if (n <= SUPPRESS_AT_OR_BELOW) assert.equal(v, null);
        else if (v !== null) {
          assert.equal(v % 5, 0);
          assert.ok(v >= 10, `${n} published as ${v}`);
          assert.ok(Math.abs(v - n) <= 4, `${n} published as ${v}`);
        }
      }
    }
  });

  test("the noise is the same for the same members, whatever their order, and needs the union's key", () => {
    const set = ids(40, 5);
    assert.equal(cellNoise(set, SECRET), cellNoise([...set].reverse(), SECRET));
    const other = new Uint8Array(32).fill(8);
    const differs = Array.from({ length: 50 }, (_, t) => ids(40, t * 1000)).filter(
      (s) => cellNoise(s, SECRET) !== cellNoise(s, other),
    );
    assert.ok(differs.length > 25);
  });

  test("totals are the sum of the published cells", () => {
    const cells: CellInput[] = [
      { key: "a", label: "A", entitled: ids(30, 0), returned: ids(12, 0), results: [], pendingBallots: 1 },
      { key: "b", label: "B", entitled: ids(3, 500), returned: ids(1, 500), results: [], pendingBallots: 1 },
      {
        key: "c",
        label: "C",
        entitled: ids(52, 900),
        returned: ids(20, 900),
        results: [],
        pendingBallots: 1,
      },
    ];
    const r = discloseAggregates({ employer: cells, sector: [], region: [] }, SECRET);
    const e = r.breakdowns.employer;
    assert.equal(e.find((c) => c.key === "b")!.entitled, null);
    assert.equal(
      r.totals.employer.entitled,
      e.reduce((s, c) => s + (c.entitled ?? 0), 0),
    );
    assert.equal(r.totals.employer.suppressedCells, 1);
  });

  test("yes share from whole ballots' declared results, never from a handful of votes; mandate side by side", () => {
    const base = { key: "x", label: "X", entitled: ids(40, 0), returned: ids(20, 0) };
    const r = discloseAggregates(
      {
        employer: [
          { ...base, results: [{ yes: 300, no: 100, mandate: true }], pendingBallots: 0 },
          { ...base, key: "y", results: [{ yes: 3, no: 2, mandate: true }], pendingBallots: 0 },
          { ...base, key: "z", results: [{ yes: 300, no: 100, mandate: true }], pendingBallots: 1 },
        ],
        sector: [],
        region: [],
      },
      SECRET,
    );
    const [x, y, z] = r.breakdowns.employer;
    assert.deepEqual([x!.yesShare, x!.mandate], [75, "yes"]);
    assert.deepEqual([y!.yesShare, y!.mandate], [null, "yes"]);
    assert.equal(z!.mandate, "mixed");
  });
});

describe("privacy attack suite", () => {
  test("small cells: every cell of 1 to 7 members is withheld, and so is its turnout", () => {
    for (let n = 1; n <= 7; n++) {
      const r = discloseAggregates(
        {
          employer: [
            {
              key: "e",
              label: "E",
              entitled: ids(n, 0),
              returned: ids(n, 0),
              results: [],
              pendingBallots: 1,
            },
          ],
          sector: [],
          region: [],
        },
        SECRET,
      );
      const cell = r.breakdowns.employer[0]!;
      assert.deepEqual([cell.entitled, cell.returned, cell.turnout], [null, null, null]);
      assert.equal(r.totals.employer.entitled, 0);
    }
  });

  test("repeated queries: the same members give the same figure every time, so averaging learns nothing", () => {
    const set = ids(23, 77);
    const seen = new Set(
      Array.from({ length: 100 }, () =>
        protectedCount(
          [...set].sort(() => rnd() - 0.5),
          SECRET,
        ),
      ),
    );
    assert.equal(seen.size, 1);
  });

  test("differencing two releases: one member joining cannot be told from one leaving and one joining", () => {
    const joined = new Map<number, number>();
    const swapped = new Map<number, number>();
    let exact = 0;
    for (let t = 0; t < 3000; t++) {
      const s = ids(20 + Math.floor(rnd() * 200), 1000 * t);
      const before = protectedCount(s, SECRET)!;
      const d = protectedCount([...s, 9_000_000 + t], SECRET)! - before;
      if (d === 1) exact++;
      tally(joined, d);
      tally(swapped, protectedCount([...s.slice(1), 9_000_000 + t], SECRET)! - before);
    }
    assert.equal(exact, 0, "a difference of exactly one member was published");
    const accuracy = bayesAccuracy([joined, swapped]);
    console.log(`# differencing: attacker's best accuracy ${(accuracy * 100).toFixed(1)}% (a coin: 50%)`);
    assert.ok(accuracy < 0.62, `attacker tells join from swap ${accuracy}`);
  });

  test("30 daily releases with members joining and leaving: the day's joiners cannot be counted", () => {
    // Hypotheses: 0 to 3 net joiners on a day. The attacker sees every day's published figure.
    const byJoiners = [0, 1, 2, 3].map(() => new Map<number, number>());
    let next = 50_000_000;
    for (let run = 0; run < 60; run++) {
      let members = ids(30 + Math.floor(rnd() * 100), run * 100_000);
      let published = protectedCount(members, SECRET)!;
      for (let day = 0; day < 30; day++) {
        const joiners = Math.floor(rnd() * 4);
        const leavers = Math.floor(rnd() * 3);
        members = [...members.slice(leavers), ...Array.from({ length: joiners + leavers }, () => next++)];
        const today = protectedCount(members, SECRET)!;
        tally(byJoiners[joiners]!, today - published);
        published = today;
      }
    }
    const accuracy = bayesAccuracy(byJoiners);
    console.log(
      `# 30 daily releases: net joiners guessed right ${(accuracy * 100).toFixed(1)}% (blind: 25%)`,
    );
    assert.ok(accuracy < 0.45, `net joiners recovered ${accuracy}`);
  });

  test("a small employer over 30 daily releases stays withheld every day", () => {
    let members = ids(5, 0);
    let next = 1_000_000;
    for (let day = 0; day < 30; day++) {
      members = rnd() < 0.5 && members.length < 7 ? [...members, next++] : members.slice(rnd() < 0.5 ? 1 : 0);
      assert.equal(protectedCount(members, SECRET), null);
    }
  });

  test("totals minus parts, and joins of breakdowns: a suppressed employer's count is not given back", () => {
    // The attacker subtracts the published employers of a region from the region's own published cell.
    const byCount = [1, 2, 3, 4, 5, 6, 7].map(() => new Map<number, number>());
    for (let k = 1; k <= 7; k++) {
      for (let t = 0; t < 1500; t++) {
        const base = 10_000_000 * k + 10_000 * t;
        const e1 = ids(30 + Math.floor(rnd() * 50), base);
        const e3 = ids(25 + Math.floor(rnd() * 50), base + 3000);
        const small = ids(k, base + 6000);
        const region = protectedCount([...e1, ...small, ...e3], SECRET)!;
        const estimate = region - protectedCount(e1, SECRET)! - protectedCount(e3, SECRET)!;
        tally(byCount[k - 1]!, estimate);
      }
    }
    const accuracy = bayesAccuracy(byCount);
    console.log(`# totals minus parts: exact count guessed ${(accuracy * 100).toFixed(1)}% (blind: 14.3%)`);
    assert.ok(accuracy < 0.3, `small count recovered ${accuracy}`);
    // And within one breakdown the totals are the sum of what is published: subtraction gives 0.
    const r = discloseAggregates(
      {
        employer: [
          { key: "e1", label: "E1", entitled: ids(40, 0), returned: [], results: [], pendingBallots: 1 },
          { key: "e2", label: "E2", entitled: ids(4, 900), returned: [], results: [], pendingBallots: 1 },
        ],
        sector: [],
        region: [],
      },
      SECRET,
    );
    assert.equal(r.totals.employer.entitled - (r.breakdowns.employer[0]!.entitled ?? 0), 0);
  });
});
