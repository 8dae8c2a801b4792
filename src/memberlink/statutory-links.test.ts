import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { tokensOf } from "../../test/fixtures/indicative.js";
import { pdfPageTexts } from "../../test/fixtures/notices/pdf-text.js";
import { as, signIn } from "../../test/helpers/app.js";
import { backends, createTestDb } from "../../test/helpers/db.js";
import { CLOCK, createDisputeBallots, type Fixture, seedFixture } from "../../test/helpers/fixtures.js";
import type { Actor } from "../auth/index.js";
import type { Ctx } from "../context.js";
import type { OpenDatabase } from "../db/connect.js";
import { buildApp } from "../http/app.js";
import type { App } from "../http/types.js";
import { fixedClock } from "../shared/clock.js";
import { AppError } from "../shared/errors.js";
import { membersNotReportedVoted, recordSelfReport, turnoutStatus } from "../turnout/index.js";
import {
  issueBallotLinks,
  LINK_LIMITS,
  listBallotLinks,
  openLink,
  reportByLink,
} from "./memberlink.service.js";

const refused = (code: string) => (e: unknown) => e instanceof AppError && e.code === code;
/** Eight days into the ballot (it opens on 7 December 2026 and closes on 4 January 2027). */
const DURING = fixedClock("2026-12-15T10:00:00Z");

for (const { backend, skip } of await backends()) {
  describe(`statutory ballots' member links on ${backend}`, { skip }, () => {
    let open: OpenDatabase;
    let f: Fixture;
    let app: App;
    let ballots: Record<string, number>;
    let entitled: Record<string, number>;
    const numbers = new Map<number, string>();
    const ctx = (actor: Actor, clock = DURING): Ctx => ({ db: open.db, actor, clock });
    const deps = (clock = DURING) => ({ db: open.db, clock });

    before(async () => {
      open = await createTestDb(backend);
      f = await seedFixture(open.db);
      const national = ctx(f.actors.national, CLOCK);
      const { employers: e, workplaces: w } = f;
      ({ ballots, entitled } = await createDisputeBallots(national, f, {
        ballots: [
          { key: "stJames", name: "St James's", employerId: e.leedsTrust, workplaceId: w.stJames },
          { key: "camden", name: "Camden", employerId: e.camden, workplaceId: w.camdenHall },
          { key: "lgi", name: "Leeds General", employerId: e.leedsTrust, workplaceId: w.lgi },
        ],
        freeze: ["stJames", "camden"],
      }));
      for (const r of await open.db.selectFrom("members").select(["id", "membership_number"]).execute())
        numbers.set(r.id, r.membership_number);
      app = await buildApp({
        db: open.db,
        clock: DURING,
        secureCookies: false,
        webDir: null,
        logLevel: "silent",
      });
    });
    after(async () => {
      await app?.close();
      await open?.close();
    });

    let tokens = new Map<string, string>();
    const tokenOf = (memberId: number) => tokens.get(numbers.get(memberId)!)!;

    test("issuing: national officers only, a frozen electorate only; the CSV is the only copy; a reissue withdraws", async () => {
      for (const actor of [f.actors.regional, f.actors.rep, f.actors.sector])
        await assert.rejects(
          issueBallotLinks(ctx(actor), ballots.stJames!, "http://x"),
          refused("auth.forbidden"),
        );
      await assert.rejects(
        issueBallotLinks(ctx(f.actors.national), ballots.lgi!, "http://x"),
        refused("ballots.wrong_state"),
      );
      const first = await issueBallotLinks(
        ctx(f.actors.national, CLOCK),
        ballots.stJames!,
        "https://mandate.example/",
      );
      await first.trail.finished();
      assert.equal(first.count, entitled.stJames);
      const firstTokens = tokensOf(first.csv);
      assert.equal(firstTokens.size, entitled.stJames);
      assert.match(first.csv, /https:\/\/mandate\.example\/m#[A-Za-z0-9_-]{43},2027-01-04/);
      const stored = await open.db
        .selectFrom("member_links")
        .select(["token_hash", "ballot_id", "expires_at"])
        .execute();
      assert.ok(stored.every((s) => s.ballot_id === ballots.stJames));
      assert.ok(stored.every((s) => s.expires_at.toISOString() === "2027-01-04T23:59:59.999Z"));
      for (const t of firstTokens.values())
        assert.ok(!stored.some((s) => s.token_hash === t), "token stored");

      // The whole dispute: every frozen ballot (not Leeds General, not frozen); St James's links replaced.
      const all = await issueBallotLinks(ctx(f.actors.national, CLOCK), ballots.stJames!, "http://x", true);
      assert.equal(all.count, entitled.stJames! + entitled.camden!);
      tokens = tokensOf(all.csv);
      const old = [...firstTokens.values()][0]!;
      await assert.rejects(openLink(deps(), old, "10.0.0.1"), refused("memberlink.not_found"));
      const listed = await listBallotLinks(ctx(f.actors.national), ballots.stJames!);
      assert.equal(listed.filter((l) => l.status === "withdrawn").length, entitled.stJames);
      assert.equal(listed.filter((l) => l.status === "live").length, entitled.stJames);
      assert.ok(!JSON.stringify(listed).includes(old));
      await assert.rejects(
        listBallotLinks(ctx(f.actors.regional), ballots.stJames!),
        refused("auth.forbidden"),
      );
      const audit = await open.db
        .selectFrom("audit_log")
        .select(["event", "subject_type", "details"])
        .where("event", "in", ["memberlink.issued", "export.started"])
        .execute();
      assert.equal(audit.filter((a) => a.event === "memberlink.issued").length, 2);
      assert.equal(audit.filter((a) => a.event === "export.started").length, 2);
      assert.ok(audit.every((a) => a.subject_type === "ballot"));
    });

    test("closed loop: 'I have voted' through the link takes the member off the rep's list, once", async () => {
      const member = f.members.stJames[0]!;
      const token = tokenOf(member);
      const view = await openLink(deps(), token, "10.0.0.2");
      assert.equal(view.ballot, null);
      assert.deepEqual(
        { id: view.statutory?.id, open: view.statutory?.open, voted: view.statutory?.voted },
        { id: ballots.stJames, open: true, voted: false },
      );
      // Before the ballot opens there are no papers to have voted with.
      await assert.rejects(
        reportByLink(deps(CLOCK), { token, kind: "voted" }, "10.0.0.2"),
        refused("turnout.not_open"),
      );
      const before = await membersNotReportedVoted(ctx(f.actors.rep), ballots.stJames!);
      assert.ok(before.some((m) => m.memberId === member));
      assert.equal(before.length, entitled.stJames);

      const after1 = await reportByLink(deps(), { token, kind: "voted" }, "10.0.0.2");
      assert.equal(after1.statutory?.voted, true);
      const list = await membersNotReportedVoted(ctx(f.actors.rep), ballots.stJames!);
      assert.ok(!list.some((m) => m.memberId === member), "still on the rep's list");
      assert.equal(list.length, entitled.stJames! - 1);
      // The officer's turnout counts the report.
      const status = await turnoutStatus(ctx(f.actors.national), ballots.stJames!);
      assert.equal(status.constituencies.find((c) => c.ballotId === ballots.stJames)!.reports.voted, 1);

      // A second tap: no second report, but the use is audited.
      await reportByLink(deps(), { token, kind: "voted" }, "10.0.0.2");
      const rows = await open.db
        .selectFrom("turnout_self_reports")
        .select(["kind", "source", "recorded_by", "reason"])
        .where("member_id", "=", member)
        .execute();
      assert.deepEqual(rows, [{ kind: "voted", source: "member_link", recorded_by: null, reason: null }]);
      const audit = await open.db
        .selectFrom("audit_log")
        .select(["event", "subject_id", "details", "actor_label"])
        .where("event", "in", ["memberlink.reported", "turnout.self_report_recorded"])
        .orderBy("seq")
        .execute();
      assert.deepEqual(
        audit.map((a) => [
          a.event,
          a.subject_id,
          (a.details as { kind?: string }).kind,
          (a.details as { recorded?: boolean }).recorded,
        ]),
        [
          ["turnout.self_report_recorded", String(member), undefined, undefined],
          ["memberlink.reported", String(member), "voted", true],
          ["memberlink.reported", String(member), "voted", false],
        ],
      );
      assert.ok(audit.every((a) => String(a.actor_label).startsWith("member-link:")));
    });

    test("a rep's 'voted' takes a member off the list too; other members' lists are their own ballot's", async () => {
      const member = f.members.stJames[1]!;
      await recordSelfReport(ctx(f.actors.rep), ballots.stJames!, {
        memberId: member,
        kind: "voted",
        source: "rep_conversation",
      });
      const list = await membersNotReportedVoted(ctx(f.actors.rep), ballots.stJames!);
      assert.ok(!list.some((m) => m.memberId === member));
      // The rep of St James's does not reach Camden's ballot, nor its members.
      await assert.rejects(
        membersNotReportedVoted(ctx(f.actors.rep), ballots.camden!),
        refused("ballots.not_found"),
      );
      assert.equal(
        (await membersNotReportedVoted(ctx(f.actors.national), ballots.camden!)).length,
        entitled.camden,
      );
      await assert.rejects(
        membersNotReportedVoted(ctx(f.actors.sector), ballots.camden!),
        refused("auth.forbidden"),
      );
    });

    test("over HTTP: a replacement paper with its reason, a wrong address; bad input is a 400; rate-limited", async () => {
      const member = f.members.camden[0]!;
      const token = tokenOf(member);
      const post = (payload: object, remoteAddress = "10.0.0.3") =>
        app.inject({ method: "POST", url: "/api/link/report", payload, remoteAddress });
      assert.equal((await post({ token, kind: "needs_replacement" })).statusCode, 400);
      assert.equal((await post({ token, kind: "voted", reason: "lost" })).statusCode, 400);
      const bad = await post({ token, kind: "voted_yes" });
      assert.equal(bad.statusCode, 400);
      assert.equal(bad.json().error.code, "request.invalid");
      const replaced = await post({ token, kind: "needs_replacement", reason: "spoilt" });
      assert.equal(replaced.statusCode, 200, replaced.body);
      assert.equal(replaced.json().statutory.replacement, "spoilt");
      const wrong = await post({ token, kind: "wrong_address" });
      assert.equal(wrong.json().statutory.wrongAddress, true);
      const rows = await open.db
        .selectFrom("turnout_self_reports")
        .select(["kind", "reason"])
        .where("member_id", "=", member)
        .orderBy("id")
        .execute();
      assert.deepEqual(rows, [
        { kind: "needs_replacement", reason: "spoilt" },
        { kind: "wrong_address", reason: null },
      ]);
      // Still on the list: asking for a paper is not having voted.
      assert.ok(
        (await membersNotReportedVoted(ctx(f.actors.national), ballots.camden!)).some(
          (m) => m.memberId === member,
        ),
      );
      const unknown = await post({ token: "A".repeat(43), kind: "voted" });
      assert.equal(unknown.statusCode, 404);

      // The officers' side over HTTP: the CSV for the national officer, 403 for a regional one.
      const national = await signIn(app, f.users.national.email);
      const regional = await signIn(app, f.users.regional.email);
      const csv = await as(app, national, { method: "POST", url: `/api/ballots/${ballots.camden}/links` });
      assert.equal(csv.statusCode, 200);
      assert.match(String(csv.headers["content-type"]), /text\/csv/);
      tokens = new Map([...tokens, ...tokensOf(csv.body)]);
      // The printable sheet: one member per page with their link, the only copy (Camden's reissued again).
      const pdf = await as(app, national, {
        method: "POST",
        url: `/api/ballots/${ballots.camden}/links?format=pdf`,
      });
      assert.equal(pdf.statusCode, 200);
      assert.equal(pdf.headers["content-type"], "application/pdf");
      const pages = await pdfPageTexts(pdf.rawPayload);
      assert.equal(pages.length, entitled.camden);
      const camdenMember = f.members.camden[0]!;
      const pageOf = pages.find((p) => p.includes(`Membership number ${numbers.get(camdenMember)}`))!;
      assert.ok(pageOf, "the member's page");
      const printed = /\/m#([A-Za-z0-9_-]{43})/.exec(pageOf.replace(/\s+/g, ""))?.[1];
      assert.ok(printed, "the link is printed");
      assert.equal((await openLink(deps(), printed!, "10.0.0.5")).forenames.length > 0, true);
      assert.ok(pageOf.includes("4 January 2027"), pageOf);
      const exports = await open.db
        .selectFrom("audit_log")
        .select("details")
        .where("event", "=", "export.started")
        .execute();
      assert.ok(exports.some((e) => (e.details as { kind?: string }).kind === "member_links_pdf"));
      const forbidden = await as(app, regional, {
        method: "POST",
        url: `/api/ballots/${ballots.camden}/links`,
      });
      assert.equal(forbidden.statusCode, 403);
      const rep = await signIn(app, f.users.rep.email);
      const notVoted = await as(app, rep, {
        method: "GET",
        url: `/api/ballots/${ballots.stJames}/turnout/not-voted`,
      });
      assert.equal(notVoted.statusCode, 200);
      assert.ok(!notVoted.json().some((m: { memberId: number }) => m.memberId === f.members.stJames[0]));

      // Past the limit, every use of the token is refused, whatever the address.
      const fresh = tokenOf(f.members.stJames[2]!);
      assert.ok(fresh);
      let last = 0;
      for (let i = 0; i <= LINK_LIMITS.perToken; i++)
        last = (await post({ token: fresh, kind: "wrong_address" }, `10.1.0.${i}`)).statusCode;
      assert.equal(last, 429);
    });
  });
}
