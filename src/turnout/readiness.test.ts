import assert from "node:assert/strict";
import { test } from "node:test";
import { type ReadinessProfile, readiness, voteProbability } from "./readiness.js";

type Shares = { postal: number; digital: number; rep: number; contacted: number; pledged: number };
const KEYS = ["postal", "digital", "rep", "contacted", "pledged"] as const;

/** 10,000 members whose five facts are independent with these shares. */
function profiles(s: Shares, members = 10_000): ReadinessProfile[] {
  const out: ReadinessProfile[] = [];
  for (let mask = 0; mask < 32; mask++) {
    const facts = Object.fromEntries(KEYS.map((k, i) => [k, Boolean(mask & (1 << i))])) as Omit<
      ReadinessProfile,
      "members"
    >;
    const p = KEYS.reduce((acc, k) => acc * (facts[k] ? s[k] : 1 - s[k]), 1);
    out.push({ ...facts, members: Math.round(p * members) });
  }
  return out;
}

test("calibration: a thin campaign implies 40-44% (PCS 2018 41%, RCN 2023 43.4%)", () => {
  const r = readiness(
    profiles({ postal: 0.92, digital: 0.5, rep: 0.3, contacted: 0.05, pledged: 0 }),
    40,
    50,
  );
  assert.ok(r.impliedTurnout >= 40 && r.impliedTurnout <= 44, String(r.impliedTurnout));
  assert.equal(r.flag, "cannot_reach");
  assert.ok(r.margin! < 0);
  assert.equal(r.membersPerRep, Math.round(r.members / 40));
});

test("calibration: an organised campaign after an indicative ballot implies 53-60% (NEU 2023 53.3%, 58.1%)", () => {
  const r = readiness(
    profiles({ postal: 0.95, digital: 0.8, rep: 0.8, contacted: 0.5, pledged: 0.2 }),
    200,
    50,
  );
  assert.ok(r.impliedTurnout >= 53 && r.impliedTurnout <= 60, String(r.impliedTurnout));
  assert.equal(r.flag, "on_course");
  assert.equal(r.pledgedShare, 20);
});

test("calibration: reaching nearly everyone with most pledged implies 75-80% (BMA junior doctors 2023 77.5%)", () => {
  const r = readiness(
    profiles({ postal: 0.98, digital: 0.98, rep: 0.9, contacted: 0.9, pledged: 0.7 }),
    500,
    50,
  );
  assert.ok(r.impliedTurnout >= 75 && r.impliedTurnout <= 80, String(r.impliedTurnout));
});

test("no postal address, no vote; a pledge outweighs everything else; the marginal band", () => {
  const none = { postal: false, digital: true, rep: true, contacted: true, pledged: true };
  assert.equal(voteProbability(none), 0);
  assert.equal(voteProbability({ ...none, postal: true }), 0.85);
  assert.equal(
    voteProbability({ postal: true, digital: false, rep: false, contacted: false, pledged: false }),
    0.35,
  );
  const marginal = readiness(
    [
      { postal: true, digital: true, rep: true, contacted: true, pledged: false, members: 50 },
      { postal: true, digital: false, rep: false, contacted: false, pledged: false, members: 50 },
    ],
    1,
    50,
  );
  // 50 x 0.65 + 50 x 0.35 = 50 votes of 100: the threshold exactly, within 5 points of it.
  assert.equal(marginal.impliedVotes, 50);
  assert.equal(marginal.margin, 0);
  assert.equal(marginal.flag, "marginal");
  assert.equal(readiness([], 0, 50).flag, "no_members");
  assert.equal(readiness([], 0, 50).membersPerRep, null);
  assert.equal(
    readiness(profiles({ postal: 1, digital: 0, rep: 0, contacted: 0, pledged: 0 }), 0, null).flag,
    "no_threshold",
  );
});
