/**
 * The SQL of a ballot's documents: what they are rendered from (scope,
 * employers' codes, workplaces, exclusions, the voter file's entries, the
 * declared result), the documents stored and read back, and the ballot marked
 * as having its notices issued. Reads of documents are bound to the union and
 * the reader's reach (ballot-scope.ts).
 */
import type { Db } from "../db/database.js";
import { type BallotReach, ballotInReach, employerInReach } from "./ballot-scope.js";
import type { Rendered } from "./documents.service.js";

export const PDF = "application/pdf";

/** The employers' names and register codes. */
export async function employerCodes(db: Db, employerIds: number[]) {
  return db
    .selectFrom("employers")
    .select(["id", "name", "ods_code", "dfe_urn", "gss_code", "companies_house_number", "local_code"])
    .where("id", "in", employerIds.length ? employerIds : [0])
    .execute();
}

/** The workplaces' names, site codes and addresses. */
export async function workplaceDetails(db: Db, workplaceIds: number[]) {
  return db
    .selectFrom("workplaces")
    .select(["id", "name", "site_code", "address", "postcode"])
    .where("id", "in", workplaceIds)
    .execute();
}

/** The members left out of the snapshot counted by employer and reason. */
export async function excludedCounts(db: Db, ballotId: number) {
  return db
    .selectFrom("ballot_electorate")
    .select(["employer_id", "reason", (eb) => eb.fn.countAll<number>().as("n")])
    .where("ballot_id", "=", ballotId)
    .where("included", "=", false)
    .groupBy(["employer_id", "reason"])
    .orderBy("employer_id")
    .orderBy("reason")
    .execute();
}

/** What tells the ballot's stored documents apart: kind, employer, hash, and a PDF's input. */
export async function storedDocumentKeys(db: Db, ballotId: number) {
  return (
    db
      .selectFrom("ballot_documents")
      .select(["id", "sha256", "kind", "employer_id", "content_type"])
      // Only PDFs' inputs are read back (small); CSV annexes and the voter file compare by hash.
      .select((eb) =>
        eb.case().when("content_type", "=", PDF).then(eb.ref("input")).else(null).end().as("pdf_input"),
      )
      .where("ballot_id", "=", ballotId)
      .execute()
  );
}

/** Rendered documents stored; returns their ids in the same order. */
export async function insertDocuments(
  db: Db,
  ballotId: number,
  electorateHash: string,
  docs: Rendered[],
  createdAt: Date,
  createdBy: number | null,
) {
  return db
    .insertInto("ballot_documents")
    .values(
      docs.map((d) => ({
        ballot_id: ballotId,
        employer_id: d.employerId,
        kind: d.kind,
        filename: d.filename,
        content_type: d.contentType,
        content: d.content,
        sha256: d.sha256,
        input: JSON.stringify(d.input),
        electorate_hash: electorateHash,
        draft: d.draft,
        created_at: createdAt,
        created_by: createdBy,
      })),
    )
    .returning("id")
    .execute();
}

/** The ballot's notices are issued. */
export async function markNoticesIssued(db: Db, ballotId: number, now: Date) {
  return db
    .updateTable("ballots")
    .set({ state: "notices_issued", updated_at: now })
    .where("id", "=", ballotId)
    .execute();
}

/** The entitled's paper numbers, names and postal addresses (only what the voter file needs). */
export async function voterFileEntries(db: Db, ballotId: number) {
  return db
    .selectFrom("ballot_electorate")
    .select(["paper_number", "name", "address_lines", "postcode"])
    .where("ballot_id", "=", ballotId)
    .where("included", "=", true)
    .orderBy("paper_number")
    .execute();
}

/** The ballot's result (it must be declared). */
export async function selectDeclaredResult(db: Db, ballotId: number) {
  return db
    .selectFrom("ballot_results")
    .selectAll()
    .where("ballot_id", "=", ballotId)
    .executeTakeFirstOrThrow();
}

/** A document of a ballot of the union the reader reaches, with its content. */
export async function documentInUnion(db: Db, unionId: number, documentId: number, reach: BallotReach) {
  return db
    .selectFrom("ballot_documents as d")
    .innerJoin("ballots as b", "b.id", "d.ballot_id")
    .select([
      "d.id",
      "d.ballot_id",
      "d.kind",
      "d.employer_id",
      "d.filename",
      "d.content_type",
      "d.content",
      "d.draft",
    ])
    .where("b.union_id", "=", unionId)
    .where("d.id", "=", documentId)
    .where(ballotInReach(reach, "b.id"))
    .executeTakeFirst();
}

/** The employer, when the reader reaches it in the ballot. */
export async function employerReached(db: Db, employerId: number, ballotId: number, reach: BallotReach) {
  return db
    .selectFrom("employers")
    .select("employers.id")
    .where("employers.id", "=", employerId)
    .where(employerInReach(reach, ballotId, "employers.id"))
    .executeTakeFirst();
}

/** Every stored document's kind, hash and input, to render again. */
export async function documentInputs(db: Db, ballotId: number) {
  return db
    .selectFrom("ballot_documents")
    .select(["id", "kind", "sha256", "input"])
    .where("ballot_id", "=", ballotId)
    .orderBy("id")
    .execute();
}

/** The ballot's documents (all, or those with the given ids) with the employer's name and size; an employer's only when the reader reaches it. */
export async function selectDocuments(
  db: Db,
  ballotId: number,
  reach: BallotReach,
  which: { ids?: number[]; resultsOnly: boolean; withVoterFile: boolean },
) {
  let q = db
    .selectFrom("ballot_documents as d")
    .leftJoin("employers as e", "e.id", "d.employer_id")
    .select([
      "d.id",
      "d.ballot_id",
      "d.kind",
      "d.employer_id",
      "e.name as employer_name",
      "d.filename",
      "d.content_type",
      "d.sha256",
      "d.electorate_hash",
      "d.draft",
      "d.created_at",
      (eb) => eb.fn<number>("octet_length", ["d.content"]).as("bytes"),
    ])
    .where("d.ballot_id", "=", ballotId)
    .orderBy("d.kind")
    .orderBy("e.name")
    .orderBy("d.id");
  if (which.ids) q = q.where("d.id", "in", which.ids.length ? which.ids : [0]);
  if (which.resultsOnly) q = q.where("d.kind", "in", ["result_members"]);
  if (!which.withVoterFile) q = q.where("d.kind", "!=", "voter_file");
  // An employer's documents carry its figures: only for employers the reader reaches.
  q = q.where((eb) =>
    eb.or([eb("d.employer_id", "is", null), employerInReach(reach, ballotId, "d.employer_id")]),
  );
  return q.execute();
}
