import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { type ElectorateMatch, parseVotedFeed, resolveVotedFeed, type VotedTarget } from "./voted-feed.js";

const targets: VotedTarget[] = [
  {
    ballotId: 1,
    name: "St James's",
    aliases: ["St James's University Hospital"],
    openingDate: "2026-12-07",
    frozen: true,
  },
  { ballotId: 2, name: "Camden", aliases: [], openingDate: "2026-12-07", frozen: true },
  { ballotId: 3, name: "Leeds General", aliases: [], openingDate: "2026-12-07", frozen: false },
  { ballotId: 4, name: "Bradford", aliases: [], openingDate: "2027-01-04", frozen: true },
];
const at = (problems: { line: number; field: string; code: string }[]) =>
  problems.map((p) => `${p.line}:${p.field}:${p.code}`);

describe("the scrutineer's feed of papers returned: reading the file", () => {
  test("membership numbers alone, or paper numbers with the constituency by name, workplace or ballot id", () => {
    const a = parseVotedFeed("Membership No\nA1\n\nA2\n", "f.csv", targets);
    assert.deepEqual(a.problems, []);
    assert.deepEqual(
      a.rows.map((r) => [r.line, r.membershipNumber, r.paperNumber, r.ballotId]),
      [
        [2, "A1", null, null],
        [4, "A2", null, null],
      ],
    );
    const b = parseVotedFeed(
      'Constituency,Ballot paper number,ballot_id\nst james\'s university hospital,12,\n,"1,204",2\n',
      "f.csv",
      targets,
    );
    assert.deepEqual(b.problems, []);
    assert.deepEqual(
      b.rows.map((r) => [r.paperNumber, r.ballotId]),
      [
        [12, 1],
        [1204, 2],
      ],
    );
  });

  test("every bad row named by file, line and field; the header's absence alone when it is missing", () => {
    assert.deepEqual(at(parseVotedFeed("name,date\nA,2026-12-14\n", "f.csv", targets).problems), [
      "1:membership_number:header.missing",
    ]);
    const { rows, problems } = parseVotedFeed(
      [
        "membership_number,paper_number,constituency,ballot_id",
        "A1,,Nowhere,",
        ",12a,Camden,",
        ",,Camden,",
        "A4,,,99",
        "A5,,Leeds General,",
        "A6,,,2",
      ].join("\n"),
      "f.csv",
      targets,
    );
    assert.deepEqual(at(problems), [
      "2:constituency:constituency.unmatched",
      "3:paper_number:number.invalid",
      "4:membership_number:member.missing",
      "5:ballot_id:ballot.unmatched",
      "6:constituency:ballot.not_frozen",
    ]);
    assert.deepEqual(
      rows.map((r) => r.line),
      [7],
    );
    assert.deepEqual(at(parseVotedFeed("membership_number\n", "f.csv", targets).problems), [
      "2:membership_number:rows.missing",
    ]);
    assert.deepEqual(at(parseVotedFeed('membership_number\n"A1\n', "f.csv", targets).problems).length, 1);
  });
});

describe("the scrutineer's feed of papers returned: each row's member", () => {
  const byNumber: ElectorateMatch[] = [
    { ballotId: 1, memberId: 10, membershipNumber: "A1" },
    { ballotId: 2, memberId: 20, membershipNumber: "A2" },
    // One member in two constituencies of the dispute (two jobs).
    { ballotId: 1, memberId: 30, membershipNumber: "A3" },
    { ballotId: 2, memberId: 30, membershipNumber: "A3" },
    { ballotId: 4, memberId: 40, membershipNumber: "A4" },
  ];
  const byPaper: ElectorateMatch[] = [
    { ballotId: 1, memberId: 10, membershipNumber: "A1", paperNumber: 1 },
    // A replacement paper of the same member.
    { ballotId: 1, memberId: 10, membershipNumber: "A1", paperNumber: 501 },
    { ballotId: 2, memberId: 20, membershipNumber: "A2", paperNumber: 7 },
  ];
  const resolve = (csv: string, ballotId = 2) =>
    resolveVotedFeed(
      "f.csv",
      parseVotedFeed(csv, "f.csv", targets).rows,
      { byNumber, byPaper },
      {
        ballotId,
        targets,
        today: "2026-12-15",
      },
    );

  test("a member named by number, by paper or by a replacement paper is one report; repeats counted, not refused", () => {
    const r = resolve("membership_number,paper_number,ballot_id\nA1,,\n,1,1\n,501,1\nA2,7,\n");
    assert.deepEqual(r.problems, []);
    assert.deepEqual(
      r.votes.map((v) => [v.ballotId, v.memberId]),
      [
        [1, 10],
        [2, 20],
      ],
    );
    assert.equal(r.repeated, 2);
  });

  test("a member in two constituencies: the ballot imported for decides, else the file must say which", () => {
    assert.deepEqual(
      resolve("membership_number\nA3\n", 2).votes.map((v) => v.ballotId),
      [2],
    );
    const other = resolveVotedFeed(
      "f.csv",
      parseVotedFeed("membership_number\nA3\n", "f.csv", targets).rows,
      { byNumber, byPaper },
      { ballotId: 4, targets, today: "2026-12-15" },
    );
    assert.deepEqual(at(other.problems), ["2:membership_number:member.ambiguous"]);
    assert.deepEqual(
      resolve("membership_number,ballot_id\nA3,1\n", 4).votes.map((v) => v.ballotId),
      [1],
    );
  });

  test("unknown numbers and papers, a paper of another member, a ballot not yet open: each named", () => {
    const r = resolve("membership_number,paper_number,ballot_id\nZ9,,\n,8,\n,7,1\nA1,7,\nA4,,\nA2,,1\n");
    assert.deepEqual(at(r.problems), [
      "2:membership_number:member.unmatched",
      "3:paper_number:paper.unmatched",
      "4:paper_number:paper.unmatched",
      "5:paper_number:paper.other_member",
      "6:membership_number:ballot.not_open",
      "7:membership_number:member.unmatched",
    ]);
    assert.match(r.problems[5]!.message, /frozen electorate of St James's/);
    assert.deepEqual(r.votes, []);
  });
});
