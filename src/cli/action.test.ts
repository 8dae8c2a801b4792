import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, test } from "node:test";
import { createTestCli, type TestCli } from "../../test/helpers/cli.js";
import {
  CLOCK,
  createDisputeBallots,
  type Fixture,
  seedFixture,
  systemActor,
} from "../../test/helpers/fixtures.js";
import { planActionDay } from "../action/calendar.service.js";
import { decideStrikePayClaim, setPayRules, submitClaim } from "../action/pay.service.js";
import { recordActionReport } from "../action/reports.service.js";

let cli: TestCli;
let f: Fixture;
let disputeId: number;

before(async () => {
  cli = await createTestCli();
  f = await seedFixture(cli.open.db);
  const ctx = { db: cli.open.db, actor: systemActor(f.unionId), clock: CLOCK };
  disputeId = (
    await createDisputeBallots(ctx, f, {
      ballots: [
        {
          key: "a",
          name: "St James's",
          employerId: f.employers.leedsTrust,
          workplaceId: f.workplaces.stJames,
        },
      ],
    })
  ).dispute.id;
  await planActionDay(ctx, disputeId, { day: "2027-01-20", kind: "strike", types: [], note: "" });
  await setPayRules(ctx, disputeId, {
    ratePence: 4250,
    unpaidDays: 0,
    maxPaidDays: null,
    maxPencePerMember: null,
    hardshipMaxPence: 0,
    hardshipCriteria: [],
  });
  const c = await submitClaim(ctx, disputeId, {
    memberId: f.members.stJames[0]!,
    kind: "strike_pay",
    days: ["2027-01-20"],
    requestedPence: null,
    evidenceNote: "",
    evidence: null,
    reference: null,
  });
  await decideStrikePayClaim(ctx, disputeId, c.id, { decision: "approve", criteriaMet: [], note: "" });
});
after(async () => cli?.close());

test("mandate action calendar shows each day and place, lawful or why not", async () => {
  const human = await cli.run("action", "calendar", "--dispute", String(disputeId));
  assert.equal(human.code, 0, human.stderr);
  assert.match(human.stdout, /2027-01-20/);
  assert.match(human.stdout, /No result is recorded/);
  const json = await cli.run("--json", "action", "calendar", "--dispute", String(disputeId));
  assert.equal(JSON.parse(json.stdout).days[0].places[0].lawful, false);
  const missing = await cli.run("action", "calendar", "--dispute", "9999");
  assert.notEqual(missing.code, 0);
});

test("mandate action pay export writes the due payments once", async () => {
  const out = path.join(cli.dir, "pay.csv");
  const first = await cli.run(
    "action",
    "pay",
    "export",
    "--from",
    "2027-01-01",
    "--to",
    "2027-01-31",
    "--out",
    out,
  );
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stdout, /Wrote 1 payment line\(s\), £42\.50/);
  const csv = fs.readFileSync(out, "utf8");
  assert.match(csv, /^\uFEFFpayment_reference,membership_number/);
  assert.match(csv, /M100,Ahmed,Alex,,\d+,strike_pay,2027-01-20,4250,42\.50/);
  const out2 = path.join(cli.dir, "pay2.csv");
  const second = await cli.run(
    "--json",
    "action",
    "pay",
    "export",
    "--from",
    "2027-01-01",
    "--to",
    "2027-01-31",
    "--out",
    out2,
  );
  assert.equal(JSON.parse(second.stdout).lines, 0);
  const bad = await cli.run(
    "action",
    "pay",
    "export",
    "--from",
    "2027-13-01",
    "--to",
    "2027-01-31",
    "--out",
    out2,
  );
  assert.notEqual(bad.code, 0);
});

test("mandate action board prints the day's totals and workplaces, or JSON", async () => {
  const ctx = { db: cli.open.db, actor: systemActor(f.unionId), clock: CLOCK };
  await recordActionReport(ctx, {
    day: "2027-01-20",
    workplaceId: f.workplaces.stJames,
    outCount: 31,
    atWorkCount: 2,
    exemptCount: 1,
    picketUp: true,
  });
  const human = await cli.run("action", "board", "--date", "2027-01-20");
  assert.equal(human.code, 0, human.stderr);
  assert.match(human.stdout, /1 workplace\(s\) reporting, 31 out/);
  assert.match(human.stdout, /St James/);
  const json = await cli.run("action", "board", "--date", "2027-01-20", "--json");
  assert.equal(json.code, 0, json.stderr);
  const board = JSON.parse(json.stdout);
  assert.equal(board.totals.out, 31);
  assert.equal(board.workplaces[0].status, "picket");
  const bad = await cli.run("action", "board", "--date", "2027-02-30");
  assert.notEqual(bad.code, 0);
});
