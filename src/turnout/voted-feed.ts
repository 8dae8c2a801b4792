/**
 * The scrutineer's per-member feed of papers returned: one row per member whose paper came back, named
 * by membership number or by the ballot's paper number (an original paper or a replacement), with the
 * constituency where the file covers several ballots of the dispute. Nothing in it says how anyone
 * voted: a returned paper is a report of having voted, recorded under the source `scrutineer`.
 *
 *   membership_number            paper_number,constituency          ballot_id,membership_number
 *   A100234                      412,St James's University Hospital  17,A100234
 *
 * Pure, in two steps (the matching needs the database in between): `parseVotedFeed` reads the file
 * and `resolveVotedFeed` decides each row's member from what the store found. Every problem is
 * returned with its line and field, none thrown; the caller refuses the whole file if there is any.
 */
import type { Problem } from "../shared/problems.js";
import { constituencyFinder, readCsvRecords } from "./returns-csv.js";

/** A national ballot's papers and then some: the file is refused beyond it. */
export const MAX_VOTED_ROWS = 1_000_000;
/** The feed's size limit (CSV text): 1,000,000 membership numbers of up to 15 characters. */
export const MAX_VOTED_BYTES = 16 * 1024 * 1024;

type Column = "ballot_id" | "constituency" | "membership_number" | "paper_number";

const HEADERS: Record<string, Column> = {
  ballot_id: "ballot_id",
  ballot: "ballot_id",
  constituency: "constituency",
  constituency_name: "constituency",
  workplace: "constituency",
  workplace_name: "constituency",
  ballot_name: "constituency",
  membership_number: "membership_number",
  membership_no: "membership_number",
  member_number: "membership_number",
  member_no: "membership_number",
  membership: "membership_number",
  member: "membership_number",
  paper_number: "paper_number",
  paper_no: "paper_number",
  paper: "paper_number",
  ballot_paper: "paper_number",
  ballot_paper_number: "paper_number",
  voting_paper: "paper_number",
  voting_paper_number: "paper_number",
};

/** A constituency the feed may name, with its ballot's dates. */
export interface VotedTarget {
  ballotId: number;
  name: string;
  /** The workplace names that also name this constituency (its only workplace). */
  aliases: string[];
  openingDate: string;
  /** Whether its electorate is frozen (a feed names members of the frozen electorate only). */
  frozen: boolean;
}

export interface VotedRow {
  line: number;
  /** The constituency the row names, if the file has a column for it. */
  ballotId: number | null;
  membershipNumber: string | null;
  paperNumber: number | null;
}

/** A member of a frozen electorate found by the store for a membership number or a paper number. */
export interface ElectorateMatch {
  ballotId: number;
  memberId: number;
  membershipNumber: string;
  /** The paper number found, when the match is by paper (the original or a replacement). */
  paperNumber?: number;
}

export interface ResolvedVote {
  line: number;
  ballotId: number;
  memberId: number;
}

const headerKey = (h: string) =>
  h
    .toLowerCase()
    .replace(/[^a-z]+/g, "_")
    .replace(/^_|_$/g, "");

/** Reads the feed: rows with the member's number or paper and the constituency, if named. */
export function parseVotedFeed(
  text: string,
  file: string,
  targets: readonly VotedTarget[],
): { rows: VotedRow[]; problems: Problem[] } {
  const problems: Problem[] = [];
  const problem = (line: number, field: string, code: string, message: string) => {
    if (problems.length < 200) problems.push({ file, line, field, code, message });
  };
  const records = readCsvRecords(text, MAX_VOTED_ROWS, "rows", problem);
  if (!records) return { rows: [], problems };
  const header = (records[0]?.record ?? []).map((h) => HEADERS[headerKey(h)]);
  if (!header.includes("membership_number") && !header.includes("paper_number")) {
    problem(
      1,
      "membership_number",
      "header.missing",
      'No "membership_number" (or "paper_number") column: the feed names each member whose paper was returned.',
    );
    return { rows: [], problems };
  }

  const find = constituencyFinder(targets);

  const rows: VotedRow[] = [];
  for (const { record, info } of records.slice(1)) {
    const line = info.lines;
    const col = (name: Column) => (header.includes(name) ? (record[header.indexOf(name)] ?? "") : "");
    let target: VotedTarget | undefined;
    let bad = false;
    if (col("ballot_id") !== "") {
      target = find.byBallotId(col("ballot_id"), line, problem);
      bad = !target;
    } else if (col("constituency") !== "") {
      target = find.byName(col("constituency"), line, problem);
      bad = !target;
    }
    if (target && !target.frozen) {
      bad = true;
      problem(
        line,
        header.includes("ballot_id") && col("ballot_id") !== "" ? "ballot_id" : "constituency",
        "ballot.not_frozen",
        `${target.name}: the electorate is not frozen, so it has no papers yet.`,
      );
    }
    const number = col("membership_number");
    const rawPaper = col("paper_number").replace(/,/g, "");
    const paper = /^\d{1,9}$/.test(rawPaper) && Number(rawPaper) > 0 ? Number(rawPaper) : null;
    if (rawPaper !== "" && paper === null) {
      bad = true;
      problem(
        line,
        "paper_number",
        "number.invalid",
        `"${col("paper_number").slice(0, 60)}" is not a paper number (a whole number from 1).`,
      );
    }
    if (number.length > 64) {
      bad = true;
      problem(line, "membership_number", "value.too_long", "A membership number is at most 64 characters.");
    }
    if (number === "" && rawPaper === "") {
      bad = true;
      problem(
        line,
        header.includes("membership_number") ? "membership_number" : "paper_number",
        "member.missing",
        "No membership number or paper number.",
      );
    }
    if (bad) continue;
    rows.push({
      line,
      ballotId: target?.ballotId ?? null,
      membershipNumber: number === "" ? null : number,
      paperNumber: paper,
    });
  }
  if (records.length < 2) problem(2, "membership_number", "rows.missing", "No members after the header.");
  return { rows, problems };
}

/**
 * Each row's member, from the store's matches: a membership number in the frozen electorate of the
 * named constituency, else of the ballot the feed was imported for, else of exactly one constituency of
 * the dispute; a paper number in the named constituency's papers, else the ballot's. A member named
 * twice (the original paper and a replacement, say) is one report. The ballot must have opened.
 */
export function resolveVotedFeed(
  file: string,
  rows: readonly VotedRow[],
  matches: { byNumber: readonly ElectorateMatch[]; byPaper: readonly ElectorateMatch[] },
  context: { ballotId: number; targets: readonly VotedTarget[]; today: string },
): { votes: ResolvedVote[]; repeated: number; problems: Problem[] } {
  const problems: Problem[] = [];
  const problem = (line: number, field: string, code: string, message: string) => {
    if (problems.length < 200) problems.push({ file, line, field, code, message });
  };
  const numberMatches = new Map<string, ElectorateMatch[]>();
  for (const m of matches.byNumber)
    numberMatches.set(m.membershipNumber, [...(numberMatches.get(m.membershipNumber) ?? []), m]);
  const paperMatch = new Map<string, ElectorateMatch>();
  for (const m of matches.byPaper)
    if (m.paperNumber !== undefined) paperMatch.set(`${m.ballotId}|${m.paperNumber}`, m);
  const targetOf = new Map(context.targets.map((t) => [t.ballotId, t]));
  const nameOf = (id: number) => targetOf.get(id)?.name ?? `ballot ${id}`;

  const votes: ResolvedVote[] = [];
  const seen = new Set<string>();
  let repeated = 0;
  for (const row of rows) {
    let byNumber: ElectorateMatch | undefined;
    let byPaper: ElectorateMatch | undefined;
    if (row.membershipNumber !== null) {
      const all = numberMatches.get(row.membershipNumber) ?? [];
      const within = row.ballotId !== null ? all.filter((m) => m.ballotId === row.ballotId) : all;
      const own = within.filter((m) => m.ballotId === context.ballotId);
      byNumber = within.length === 1 ? within[0] : own.length === 1 ? own[0] : undefined;
      if (within.length === 0) {
        problem(
          row.line,
          "membership_number",
          "member.unmatched",
          row.ballotId !== null
            ? `"${row.membershipNumber.slice(0, 60)}" is not a member of the frozen electorate of ${nameOf(row.ballotId)}.`
            : `"${row.membershipNumber.slice(0, 60)}" is not a member of the frozen electorate of any ballot of this dispute.`,
        );
        continue;
      }
      if (!byNumber) {
        problem(
          row.line,
          "membership_number",
          "member.ambiguous",
          `"${row.membershipNumber.slice(0, 60)}" is in ${within.length} constituencies of this dispute; give the ballot_id or constituency.`,
        );
        continue;
      }
    }
    if (row.paperNumber !== null) {
      const ballotId = row.ballotId ?? context.ballotId;
      byPaper = paperMatch.get(`${ballotId}|${row.paperNumber}`);
      if (!byPaper) {
        problem(
          row.line,
          "paper_number",
          "paper.unmatched",
          `Paper ${row.paperNumber} is not a paper (nor a replacement paper) of the frozen electorate of ${nameOf(ballotId)}.`,
        );
        continue;
      }
      if (byNumber && (byNumber.memberId !== byPaper.memberId || byNumber.ballotId !== byPaper.ballotId)) {
        problem(
          row.line,
          "paper_number",
          "paper.other_member",
          `Paper ${row.paperNumber} is not the paper of membership number "${row.membershipNumber?.slice(0, 60)}".`,
        );
        continue;
      }
    }
    const found = (byNumber ?? byPaper)!;
    const opens = targetOf.get(found.ballotId)?.openingDate;
    if (opens !== undefined && opens > context.today) {
      problem(
        row.line,
        row.paperNumber !== null && row.membershipNumber === null ? "paper_number" : "membership_number",
        "ballot.not_open",
        `${nameOf(found.ballotId)} opens on ${opens}: no paper can have been returned yet.`,
      );
      continue;
    }
    const key = `${found.ballotId}|${found.memberId}`;
    if (seen.has(key)) {
      repeated++;
      continue;
    }
    seen.add(key);
    votes.push({ line: row.line, ballotId: found.ballotId, memberId: found.memberId });
  }
  return { votes, repeated, problems };
}
