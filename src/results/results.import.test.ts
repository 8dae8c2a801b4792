import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import ExcelJS from "exceljs";
import { sql } from "kysely";
import { as, buildTestApp, signIn } from "../../test/helpers/app.js";
import { backends, createTestDb } from "../../test/helpers/db.js";
import { CLOCK, createDisputeBallots, type Fixture, seedFixture } from "../../test/helpers/fixtures.js";
import { getBallot } from "../ballots/index.js";
import type { Ctx } from "../context.js";
import type { OpenDatabase } from "../db/connect.js";
import { AppError } from "../shared/errors.js";
import { importDisputeResults } from "./results.service.js";

const refused = (code: string, message?: RegExp) => (e: unknown) =>
  e instanceof AppError && e.code === code && (!message || message.test(e.message));

const REPORT = [
  "Health union: result of the 2027 pay ballot,,,,,",
  "Question 1: Are you prepared to take part in strike action?,,,,,",
  "Employer,Members balloted,Votes cast,Yes,No,Spoilt",
  "Leeds Teaching Hospitals NHS Trust,10,6,5,1,0",
  "LONDON BOROUGH OF CAMDEN,10,4,3,1,0",
  "Total,20,10,8,2,0",
].join("\n");

for (const { backend, skip } of await backends()) {
  describe(`a dispute's results from one report on ${backend}`, { skip }, () => {
    let open: OpenDatabase;
    let f: Fixture;
    let national: Ctx;
    let disputeId: number;
    let leeds: number;
    let camden: number;

    before(async () => {
      open = await createTestDb(backend);
      f = await seedFixture(open.db);
      national = { db: open.db, actor: f.actors.national, clock: CLOCK };
      const { employers: e } = f;
      const { dispute, ballots } = await createDisputeBallots(national, f, {
        dispute: { title: "Pay 2027", mattersInIssue: "The 2027 pay offer." },
        ballots: [
          {
            key: "leeds",
            name: "Leeds Teaching Hospitals NHS Trust",
            employerId: e.leedsTrust,
            workplaceId: null,
          },
          { key: "camden", name: "London Borough of Camden", employerId: e.camden, workplaceId: null },
        ],
      });
      disputeId = dispute.id;
      leeds = ballots.leeds!;
      camden = ballots.camden!;
      // Each constituency's electorate as the freeze would have fixed it, and voting over.
      await sql`update ballots set state = 'notices_issued', electorate_entitled = 10 where dispute_id = ${disputeId}`.execute(
        open.db,
      );
    });
    after(async () => {
      await open?.close();
    });

    const file = (text: string) => ({
      filename: "result.csv",
      bytes: Buffer.from(text),
      declaredOn: "2027-01-05",
    });

    test("an unmatched name refuses the whole file, listing it; nothing is recorded", async () => {
      await assert.rejects(
        importDisputeResults(national, disputeId, file(REPORT.replace("LONDON BOROUGH OF CAMDEN", "Camden"))),
        refused("results.unmatched", /no ballot of the dispute is named "Camden"/),
      );
      assert.equal((await getBallot(national, leeds)).state, "notices_issued");
      const audit = await sql<{
        n: number;
      }>`select count(*)::int as n from audit_log where event = 'ballot.result_recorded'`.execute(open.db);
      assert.equal(audit.rows[0]!.n, 0);
    });

    test("a constituency given twice with different figures, or Yes + No above the votes cast, refuses the file by line", async () => {
      await assert.rejects(
        importDisputeResults(national, disputeId, file(`${REPORT}\nLondon Borough of Camden,10,5,3,2,0`)),
        refused(
          "results.file_invalid",
          /result\.csv:7: name: London Borough of Camden: the constituency is given twice/,
        ),
      );
      await assert.rejects(
        importDisputeResults(national, disputeId, file(REPORT.replace("10,6,5,1,0", "10,6,5,2,0"))),
        refused("results.file_invalid", /result\.csv:4: votes_cast: .*\(7\) is more than the 6 votes cast/),
      );
    });

    test("a rep may not record results", async () => {
      await assert.rejects(
        importDisputeResults({ ...national, actor: f.actors.rep }, disputeId, file(REPORT)),
        refused("auth.forbidden"),
      );
    });

    test("every constituency recorded in one go, matched by name whatever its case, with its verdict", async () => {
      const out = await importDisputeResults(national, disputeId, file(REPORT));
      assert.deepEqual(
        out.ballots.map((b) => [b.ballotId, b.reportName, b.votesCast, b.mandate]),
        [
          [leeds, "Leeds Teaching Hospitals NHS Trust", 6, true],
          // 4 of 10 entitled: short of the 50% turnout.
          [camden, "LONDON BOROUGH OF CAMDEN", 4, false],
        ],
      );
      assert.deepEqual(out.notInReport, []);
      assert.equal((await getBallot(national, camden)).state, "result_declared");
      const audit = await sql<{
        n: number;
      }>`select count(*)::int as n from audit_log where event = 'ballot.result_recorded'`.execute(open.db);
      assert.equal(audit.rows[0]!.n, 2);
    });

    test("over HTTP: an .xlsx report as base64; a broken file is a 422 naming it, never a 500", async () => {
      const app = await buildTestApp(open);
      try {
        const session = await signIn(app, f.users.national.email);
        const wb = new ExcelJS.Workbook();
        const ws = wb.addWorksheet("Results");
        ws.addRow(["Pay 2027 ballot: final result"]);
        ws.addRow(["Constituency", "Entitled", "Votes cast", "Strike Yes", "Strike No"]);
        ws.addRow(["The Leeds Teaching Hospitals NHS Trust", "10", "7", "6", "1"]);
        ws.addRow(["London Borough of Camden", 10, 5, 4, 1]);
        const content = Buffer.from(await wb.xlsx.writeBuffer()).toString("base64");
        const post = (body: object, who = session) =>
          as(app, who, { method: "POST", url: `/api/disputes/${disputeId}/results`, payload: body });
        const ok = await post({
          filename: "result.xlsx",
          content,
          encoding: "base64",
          declaredOn: "2027-01-06",
        });
        assert.equal(ok.statusCode, 200, ok.body);
        assert.deepEqual(
          ok.json().ballots.map((b: { ballotId: number; mandate: boolean }) => [b.ballotId, b.mandate]),
          [
            [leeds, true],
            [camden, true],
          ],
        );
        const broken = await post({
          filename: "result.xlsx",
          content: Buffer.from("PK\u0003\u0004 not a workbook").toString("base64"),
          encoding: "base64",
          declaredOn: "2027-01-06",
        });
        assert.equal(broken.statusCode, 422, broken.body);
        assert.match(broken.json().error.message, /result\.xlsx:1: file: .*not a readable \.xlsx/);
        const rep = await post(
          { filename: "r.csv", content: REPORT, declaredOn: "2027-01-06" },
          await signIn(app, f.users.rep.email),
        );
        assert.equal(rep.statusCode, 403, rep.body);
      } finally {
        await app.close();
      }
    });
  });
}
