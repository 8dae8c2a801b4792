import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { AppError } from "../shared/errors.js";
import {
  ACTIONS,
  type Action,
  type Actor,
  authorize,
  can,
  ROLES,
  type Role,
  rowInScope,
} from "./permissions.js";

function actor(role: Role, scope: Partial<Actor> = {}): Actor {
  return {
    kind: "user",
    userId: 1,
    unionId: 1,
    role,
    label: role,
    regionIds: [],
    sectorIds: [],
    workplaceIds: [],
    ...scope,
  };
}

/** The matrix as the union's data protection policy states it: who may do what. */
const EXPECTED: Record<Role, Action[]> = {
  national: [
    "members.read",
    "members.write",
    "members.delete",
    "members.export",
    "members.summary",
    "members.import",
    "org.read",
    "org.write",
    "users.manage",
    "ballots.read",
    "ballots.manage",
    "ballots.results",
    "ballots.voter_file",
    "law.commencements",
    "turnout.read",
    "turnout.returns",
    "turnout.reports",
    "indicative.read",
    "indicative.manage",
    "canvass.contact",
    "canvass.assign",
    "canvass.positions",
    "canvass.export",
    "comms.read",
    "comms.write",
    "comms.approve",
    "comms.preview",
    "comms.send",
    "plans.read",
    "plans.write",
    "plans.tasks",
    "plans.rollup",
    "requests.read",
    "requests.raise",
    "requests.answer",
    "requests.configure",
    "requests.reports",
    "coalition.read",
    "coalition.manage",
    "coalition.publish",
    "board.read",
    "materials.read",
    "materials.write",
    "materials.approve",
    "bulletins.read",
    "bulletins.publish",
    "action.read",
    "action.plan",
    "action.claims",
    "action.approve",
    "action.pay_export",
    "action.report",
    "action.picket_plan",
    "action.picket_rota",
    "action.cover",
    "action.incidents",
  ],
  regional: [
    "members.read",
    "members.write",
    "members.export",
    "members.summary",
    "org.read",
    "ballots.read",
    "turnout.read",
    "turnout.reports",
    "indicative.read",
    "canvass.contact",
    "canvass.assign",
    "canvass.positions",
    "canvass.export",
    "comms.read",
    "comms.write",
    "comms.preview",
    "comms.send",
    "plans.read",
    "plans.write",
    "plans.tasks",
    "requests.read",
    "requests.raise",
    "requests.answer",
    "materials.read",
    "materials.write",
    "bulletins.read",
    "action.read",
    "action.claims",
    "action.approve",
    "action.report",
    "action.picket_plan",
    "action.picket_rota",
    "action.cover",
    "action.incidents",
  ],
  sector: [
    "members.read",
    "members.summary",
    "org.read",
    "ballots.read",
    "turnout.read",
    "indicative.read",
    "comms.read",
    "comms.write",
    "comms.preview",
    "comms.send",
    "plans.read",
    "plans.write",
    "plans.tasks",
    "requests.read",
    "requests.raise",
    "requests.answer",
    "materials.read",
    "materials.write",
    "bulletins.read",
    "action.read",
  ],
  rep: [
    "members.read",
    "members.summary",
    "org.read",
    "ballots.read",
    "turnout.read",
    "turnout.reports",
    "indicative.read",
    "canvass.contact",
    "canvass.positions",
    "comms.read",
    "plans.read",
    "plans.tasks",
    "requests.read",
    "requests.raise",
    "materials.read",
    "bulletins.read",
    "action.read",
    "action.claims",
    "action.report",
    "action.picket_rota",
  ],
  scrutineer: ["members.summary", "org.read", "ballots.read", "ballots.results", "turnout.read"],
  observer: ["members.summary", "ballots.read", "turnout.read", "coalition.read", "board.read"],
  dpo: ["audit.read", "members.summary"],
};

describe("permission matrix", () => {
  for (const role of ROLES) {
    for (const action of ACTIONS) {
      const allowed = EXPECTED[role].includes(action);
      test(`${role} ${allowed ? "may" : "may not"} ${action}`, () => {
        assert.equal(can(actor(role), action), allowed);
        if (allowed) assert.equal(authorize(actor(role), action).unionId, 1);
        else
          assert.throws(
            () => authorize(actor(role), action),
            (e: unknown) => e instanceof AppError && e.code === "auth.forbidden" && e.status === 403,
          );
      });
    }
  }

  test("no role but the national officer and the DPO is unrestricted in rows it can reach with personal data", () => {
    for (const role of ROLES) {
      if (!can(actor(role), "members.read")) continue;
      const grant = authorize(
        actor(role, { regionIds: [5], sectorIds: [6], workplaceIds: [7] }),
        "members.read",
      );
      assert.equal(grant.view, "personal");
      assert.equal(grant.rows.kind === "all", role === "national", role);
    }
  });

  test("scrutineers see counts and observers aggregates, never personal data", () => {
    assert.equal(authorize(actor("scrutineer"), "members.summary").view, "counts");
    assert.equal(authorize(actor("observer"), "members.summary").view, "aggregate");
    assert.equal(authorize(actor("dpo"), "members.summary").view, "aggregate");
    for (const role of ["scrutineer", "observer", "dpo"] as const) {
      assert.equal(can(actor(role), "members.read"), false);
      assert.equal(can(actor(role), "members.export"), false);
    }
  });
});

describe("row scope", () => {
  const at = (regionId: number | null, sectorId: number | null, workplaceId: number | null, unionId = 1) => ({
    unionId,
    regionId,
    sectorId,
    workplaceId,
  });

  test("a rep reaches members of their listed workplaces only", () => {
    const grant = authorize(actor("rep", { workplaceIds: [10, 11] }), "members.read");
    assert.equal(rowInScope(grant, at(1, 1, 10)), true);
    assert.equal(rowInScope(grant, at(1, 1, 11)), true);
    assert.equal(rowInScope(grant, at(1, 1, 12)), false);
    assert.equal(
      rowInScope(grant, at(1, 1, null)),
      false,
      "a member with no workplace is not in any rep's scope",
    );
  });

  test("a regional officer reaches their region only", () => {
    const grant = authorize(actor("regional", { regionIds: [3] }), "members.read");
    assert.equal(rowInScope(grant, at(3, null, null)), true);
    assert.equal(rowInScope(grant, at(4, null, null)), false);
    assert.equal(rowInScope(grant, at(null, null, null)), false);
  });

  test("a sector officer reaches their sector only", () => {
    const grant = authorize(actor("sector", { sectorIds: [2] }), "members.read");
    assert.equal(rowInScope(grant, at(9, 2, null)), true);
    assert.equal(rowInScope(grant, at(9, 3, null)), false);
  });

  test("nobody reaches another union's rows, whatever the role", () => {
    for (const role of ROLES) {
      const grant = authorize(
        actor(role, { regionIds: [1], sectorIds: [1], workplaceIds: [1] }),
        "members.summary",
      );
      assert.equal(rowInScope(grant, at(1, 1, 1, 2)), false, role);
    }
  });

  test("a scoped role with an empty scope reaches nothing", () => {
    const grant = authorize(actor("regional"), "members.read");
    assert.equal(rowInScope(grant, at(1, 1, 1)), false);
  });
});
