import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { describe, test } from "node:test";
import { buildElectorate, type CandidateMember, decideElectorate, electorateHasher } from "./electorate.js";

const rules = {
  asAt: "2026-11-20",
  scope: [
    { employerId: 1, workplaceId: null },
    { employerId: 2, workplaceId: 20 },
  ],
  jobCategories: null,
  includeArrears: false,
};

function member(id: number, over: Partial<CandidateMember> = {}): CandidateMember {
  return {
    memberId: id,
    unionId: 1,
    membershipNumber: `M${String(id).padStart(4, "0")}`,
    status: "active",
    inArrears: false,
    joinedOn: "2020-01-01",
    leftOn: null,
    employerId: 1,
    workplaceId: 10,
    jobCategory: "Nursing",
    checkOff: false,
    name: `Member ${id}`,
    addressLines: ["1 High Street"],
    postcode: "LS1 1AA",
    ...over,
  };
}

describe("entitlement (s.227(1)): every member the scope reaches, in or out, with the reason", () => {
  const cases: [string, Partial<CandidateMember>, string][] = [
    ["an active member of a whole-employer scope", {}, "in_scope"],
    ["a lapsed member", { status: "lapsed" }, "lapsed"],
    ["a member recorded as left", { status: "left" }, "left"],
    ["a member who left before the ballot date", { leftOn: "2026-11-01" }, "left_before_ballot"],
    ["a member leaving after the ballot date is still entitled", { leftOn: "2027-01-31" }, "in_scope"],
    ["a member who joined after the ballot date", { joinedOn: "2026-11-21" }, "joined_after_ballot"],
    ["a member in arrears (the union's rule book excludes them)", { inArrears: true }, "in_arrears"],
    [
      "a member at a workplace outside a workplace-level scope",
      { employerId: 2, workplaceId: 21 },
      "workplace_not_balloted",
    ],
    ["a member at the balloted workplace of that employer", { employerId: 2, workplaceId: 20 }, "in_scope"],
    ["deceased", { status: "deceased" }, "deceased"],
  ];
  for (const [name, over, reason] of cases) {
    test(name, () => {
      assert.equal(decideElectorate([member(1, over)], rules)[0]!.reason, reason);
    });
  }

  test("the occupation test keeps only the listed categories, compared without case", () => {
    const d = decideElectorate([member(1), member(2, { jobCategory: "Porter" })], {
      ...rules,
      jobCategories: ["nursing"],
    });
    assert.deepEqual(
      d.map((x) => x.reason),
      ["in_scope", "category_not_balloted"],
    );
  });

  test("paper numbers run 1..n by employer, workplace and membership number, whatever order members come in", () => {
    const members = [
      member(5, { workplaceId: 11 }),
      member(3, { workplaceId: 10 }),
      member(4, { status: "left" }),
      member(9, { employerId: 2, workplaceId: 20 }),
    ];
    const d = decideElectorate(members, rules);
    assert.deepEqual(
      d.map((x) => x.paperNumber),
      [2, 1, null, 3],
    );
  });

  test("the fingerprint is SHA-256 over one line per row in member-id order, in batches or not", () => {
    // Enough rows to cross the hasher's batches (512 lines), with the fields that may be empty.
    const members = Array.from({ length: 1_100 }, (_, i) =>
      member(i + 1, {
        jobCategory: i % 3 ? "Nursing" : null,
        workplaceId: i % 5 ? 10 : null,
        addressLines: i % 7 ? ["1 High Street", "Leeds"] : [],
        postcode: i % 11 ? "LS1 1AA" : null,
      }),
    );
    const decisions = decideElectorate(members, rules);
    const reference = createHash("sha256").update(`mandate-electorate-v1|${rules.asAt}\n`);
    members.forEach((m, i) => {
      const d = decisions[i]!;
      reference.update(
        `${[m.memberId, m.unionId, m.membershipNumber, d.included ? 1 : 0, d.reason, m.employerId, m.workplaceId ?? "", m.jobCategory ?? "", m.checkOff ? 1 : 0, m.leftOn ?? "", d.paperNumber ?? "", m.name, m.addressLines.join("\u001f"), m.postcode ?? ""].join("|")}\n`,
      );
    });
    assert.equal(buildElectorate(members, rules).hash, reference.digest("hex"));
  });

  test("the fingerprint: the same whether built at once or streamed, and any change changes it", () => {
    const members = [member(1), member(2, { inArrears: true }), member(3, { workplaceId: 11 })];
    const whole = buildElectorate(members, rules);
    const decisions = decideElectorate(members, rules);
    const hasher = electorateHasher(rules.asAt);
    members.forEach((m, i) => {
      hasher.add({ ...m, ...decisions[i]! });
    });
    assert.equal(hasher.digest(), whole.hash);
    assert.notEqual(
      buildElectorate([member(1), member(2), member(3, { workplaceId: 11 })], rules).hash,
      whole.hash,
    );
    assert.notEqual(buildElectorate(members, { ...rules, asAt: "2026-11-21" }).hash, whole.hash);
    const outOfOrder = electorateHasher(rules.asAt);
    outOfOrder.add({ ...members[1]!, ...decisions[1]! });
    assert.throws(() => outOfOrder.add({ ...members[0]!, ...decisions[0]! }));
  });
});
