import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { createTestCli, type TestCli } from "../../test/helpers/cli.js";
import { CLOCK, createDisputeBallots, type Fixture, seedFixture } from "../../test/helpers/fixtures.js";
import type { Ctx } from "../context.js";
import { fixedClock } from "../shared/clock.js";

/** `mandate turnout`, run in-process: import-returns refuses a bad file whole; status as a table and as JSON. */
describe("mandate turnout", () => {
  let cli: TestCli;
  let f: Fixture;
  let ids: Record<string, number>;
  let disputeId = 0;
  let entitled = 0;

  before(async () => {
    cli = await createTestCli({ clock: fixedClock("2026-12-15T10:00:00Z") });
    f = await seedFixture(cli.open.db);
    const national: Ctx = { db: cli.open.db, actor: f.actors.national, clock: CLOCK };
    const { employers: e, workplaces: w } = f;
    const made = await createDisputeBallots(national, f, {
      dispute: { mattersInIssue: "" },
      ballots: [
        { key: "stJames", name: "St James's", employerId: e.leedsTrust, workplaceId: w.stJames },
        { key: "camden", name: "Camden Town Hall", employerId: e.camden, workplaceId: w.camdenHall },
      ],
      freeze: ["stJames", "camden"],
    });
    ids = made.ballots;
    disputeId = made.dispute.id;
    entitled = made.entitled.stJames!;
  });
  after(() => cli?.close());

  const file = (name: string, text: string) => {
    const p = path.join(cli.dir, name);
    fs.writeFileSync(p, text);
    return p;
  };

  test("a file with an unmatched constituency is refused, naming file, line and field; nothing recorded", async () => {
    const bad = file(
      "bad.csv",
      "constituency,date,papers_returned\nSt James's,2026-12-14,1\nNowhere,2026-12-14,1\n",
    );
    const run = await cli.run("turnout", "import-returns", bad, "--ballot", String(ids.stJames));
    assert.equal(run.code, 1);
    assert.match(run.stderr, /bad\.csv:3: constituency: "Nowhere" is not a constituency of this dispute/);
    assert.match(run.stderr, /turnout\.invalid_returns/);
    const rows = await cli.open.db.selectFrom("turnout_returns").select("id").execute();
    assert.equal(rows.length, 0);
    const missing = await cli.run(
      "turnout",
      "import-returns",
      path.join(cli.dir, "none.csv"),
      "--ballot",
      "1",
    );
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /No such file/);
  });

  test("--ballot covers the dispute's every constituency: import, then status as JSON and as a table", async () => {
    const good = file(
      "returns.csv",
      "constituency,date,papers_returned\nSt James's University Hospital,2026-12-14,1\nCamden Town Hall,14/12/2026,0\n",
    );
    const run = await cli.run("turnout", "import-returns", good, "--ballot", String(ids.camden));
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /Recorded 2 returns for 2 constituencies/);

    const json = await cli.run("--json", "turnout", "status", "--ballot", String(ids.stJames));
    assert.equal(json.code, 0, json.stderr);
    const out = JSON.parse(json.stdout);
    assert.equal(out.ballot, ids.stJames);
    assert.equal(out.constituencies.length, 2);
    const st = out.constituencies.find((c: { name: string }) => c.name === "St James's");
    for (const key of [
      "name",
      "entitled",
      "returned",
      "turnout",
      "votes_needed_50",
      "yes_needed_40",
      "forecast",
      "prior_source",
      "status",
    ])
      assert.ok(key in st, key);
    assert.equal(st.entitled, entitled);
    assert.equal(st.returned, 1);
    assert.equal(st.votes_needed_50, Math.ceil(entitled / 2) - 1);
    assert.equal(st.yes_needed_40, null);
    assert.equal(st.prior_source, null);
    assert.ok(["safe", "on_track", "at_risk", "lost"].includes(st.status));

    const human = await cli.run("turnout", "status", "--ballot", String(ids.stJames));
    assert.equal(human.code, 0, human.stderr);
    assert.match(human.stdout, /Pay 2026: turnout as at 2026-12-15/);
    assert.match(human.stdout, /Camden Town Hall/);
  });

  test("import-voted: the scrutineer's per-member feed, refused whole with file, line and field, then recorded", async () => {
    const electorate = await cli.open.db
      .selectFrom("ballot_electorate")
      .select(["member_id", "membership_number"])
      .where("ballot_id", "=", ids.stJames!)
      .where("included", "=", true)
      .orderBy("member_id")
      .execute();
    const bad = file("voted-bad.csv", `membership_number\n${electorate[0]!.membership_number}\nZZ-NONE\n`);
    const refused = await cli.run("turnout", "import-voted", bad, "--ballot", String(ids.stJames));
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /voted-bad\.csv:3: membership_number: "ZZ-NONE" is not a member/);
    assert.match(refused.stderr, /turnout\.invalid_voted_feed/);
    const none = await cli.open.db
      .selectFrom("turnout_self_reports")
      .select("id")
      .where("source", "=", "scrutineer")
      .execute();
    assert.equal(none.length, 0);

    const good = file("voted.csv", `membership_number\n${electorate[0]!.membership_number}\n`);
    const run = await cli.run("--json", "turnout", "import-voted", good, "--ballot", String(ids.camden));
    assert.equal(run.code, 0, run.stderr);
    const out = JSON.parse(run.stdout);
    assert.equal(out.recorded, 1);
    assert.equal(out.members, 1);
    const again = await cli.run("turnout", "import-voted", good, "--ballot", String(ids.stJames));
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /Recorded 0 members as having voted .* \(1 named, 1 already reported\)/);
  });

  test("readiness: each constituency's facts and implied turnout, as JSON and as a table", async () => {
    const json = await cli.run("--json", "turnout", "readiness", "--ballot", String(ids.stJames));
    assert.equal(json.code, 0, json.stderr);
    const out = JSON.parse(json.stdout);
    assert.equal(out.ballot, ids.stJames);
    assert.equal(out.dispute.id, disputeId);
    assert.equal(out.model.pledged, 0.85);
    assert.equal(out.constituencies.length, 2);
    const st = out.constituencies.find((c: { ballot_id: number }) => c.ballot_id === ids.stJames);
    assert.equal(st.frozen, true);
    assert.equal(st.members, entitled);
    for (const key of ["postal_share", "digital_share", "rep_share", "contacted_share", "pledged_share"])
      assert.ok(st[key] >= 0 && st[key] <= 100, key);
    assert.ok(typeof st.implied_turnout === "number");
    assert.ok(["cannot_reach", "marginal", "on_course", "no_threshold", "no_members"].includes(st.flag));
    const human = await cli.run("turnout", "readiness", "--ballot", String(ids.stJames));
    assert.equal(human.code, 0, human.stderr);
    assert.match(human.stdout, /Pay 2026: readiness as at 2026-12-15/);
    assert.match(human.stdout, /Camden Town Hall/);
    assert.match(human.stdout, /implied/);
  });

  test("advisor --dispute: each way of balloting with its constituencies and legal tests, as JSON and a table", async () => {
    const json = await cli.run(
      "--json",
      "turnout",
      "advisor",
      "--dispute",
      String(disputeId),
      "--yes-share",
      "75",
    );
    assert.equal(json.code, 0, json.stderr);
    const out = JSON.parse(json.stdout);
    assert.equal(out.dispute.id, disputeId);
    const options = out.options.map((o: { option: string }) => o.option);
    assert.deepEqual(options.slice().sort(), [
      "common_dispute",
      "employer",
      "occupation",
      "separate_workplaces",
    ]);
    const separate = out.options.find((o: { option: string }) => o.option === "separate_workplaces");
    assert.equal(separate.available, true);
    assert.ok(separate.legal_tests.some((t: { citation: string }) => /s\.228/.test(t.citation)));
    for (const c of separate.constituencies) assert.ok(c.yes <= c.votes && c.votes <= c.entitled, c.name);
    // Every workplace but one unaffected: all in one ballot (s.228A(2)) is not available.
    const unaffected = await cli.run(
      "--json",
      "turnout",
      "advisor",
      "--dispute",
      String(disputeId),
      "--unaffected",
      String(f.workplaces.camdenHall),
    );
    assert.equal(unaffected.code, 0, unaffected.stderr);
    const all = JSON.parse(unaffected.stdout).options.find(
      (o: { option: string }) => o.option === "common_dispute",
    );
    assert.equal(all.available, false);
    assert.ok(all.unavailable_reason);
    const human = await cli.run("turnout", "advisor", "--dispute", String(disputeId));
    assert.equal(human.code, 0, human.stderr);
    assert.match(human.stdout, /a ballot per workplace/);
    assert.match(human.stdout, /Legal tests:/);
    const none = await cli.run("turnout", "advisor", "--dispute", "9999");
    assert.equal(none.code, 1);
    assert.match(none.stderr, /disputes\.not_found/);
    for (const bad of [
      ["--yes-share", "120"],
      ["--unaffected", "1,x"],
    ]) {
      const usage = await cli.run("turnout", "advisor", "--dispute", String(disputeId), ...bad);
      assert.equal(usage.code, 2, `${bad.join(" ")}: ${usage.stderr}`);
    }
  });

  test("a ballot that does not exist answers not found; a missing --ballot is a usage error", async () => {
    const none = await cli.run("turnout", "status", "--ballot", "9999");
    assert.equal(none.code, 1);
    assert.match(none.stderr, /ballots\.not_found/);
    const usage = await cli.run("turnout", "status");
    assert.equal(usage.code, 2);
  });
});
