/**
 * Documents generated from a ballot's frozen electorate: notices of ballot
 * with their annexes and the sample voting paper, the scrutineer's voter file,
 * and result notices (notices of industrial action: action-notices.service.ts).
 * Each is stored with its content hash and the exact input it was rendered
 * from, so it can be re-rendered byte for byte and shown to a court as what
 * was sent.
 */
import fs from "node:fs";
import path from "node:path";
import {
  type ExportTrail,
  failureReason,
  recordAudit,
  startExport,
  writeCheckpoint,
} from "../audit/index.js";
import { authorize, can } from "../auth/index.js";
import type { Ctx } from "../context.js";
import type { Db } from "../db/database.js";
import { withTx } from "../db/tx.js";
import {
  BALLOT_NOTICE_DAYS,
  BALLOT_NOTICE_FORM,
  DISMISSAL_STATEMENT,
  type Evaluation,
  type IsoDate,
  NI_RESULT_CONTENTS,
  type NoticeForm,
  RESULT_CONTENTS,
  regimeAt,
  ruleAt,
  VOTING_PAPER,
} from "../law/index.js";
import {
  type ActionNoticeInput as ActionNoticeDoc,
  type Annex,
  type ArtworkSpecInput,
  type BallotNoticeInput,
  ballotNoticeAnnexes,
  type DocumentBase,
  type EmployerParty,
  isDraft,
  type LegalText,
  type ResultNoticeInput,
  renderActionNotice,
  renderArtworkSpec,
  renderBallotNotice,
  renderResultNotice,
  renderVotingPaper,
  type UnionParty,
  type VotingPaperInput,
  voterFileCsv,
} from "../notices/index.js";
import { unionLetterhead } from "../org/index.js";
import { ukDate } from "../shared/clock.js";
import { AppError } from "../shared/errors.js";
import { canonicalJson, sha256Hex, sha256OfBytes } from "../shared/hash.js";
import { type BallotRow, loadBallotRow, loadVisibleBallot, refuseUnless } from "./ballot-access.js";
import { ballotReach } from "./ballot-scope.js";
import type { DocumentDto } from "./ballots.model.js";
import { ballotScopeEntries } from "./ballots.store.js";
import {
  documentInputs,
  documentInUnion,
  employerCodes,
  employerReached,
  excludedCounts,
  insertDocuments,
  markNoticesIssued,
  PDF,
  selectDeclaredResult,
  selectDocuments,
  storedDocumentKeys,
  voterFileEntries,
  workplaceDetails,
} from "./documents.store.js";
import { loadEntitled } from "./electorate.service.js";
import { type EmployerFigures, explainFigures, figuresByEmployer } from "./figures.js";
import { type SignOffState, signOffFor, signOffState } from "./legal-signoff.service.js";
import type { SnapshotMember } from "./preflight.js";
import { isBlocking } from "./preflight.js";
import { runBallotPreflight, statementBlock } from "./preflight.service.js";
import { getBallot } from "./setup.service.js";

export type Kind = DocumentDto["kind"];

export interface Rendered {
  kind: Kind;
  employerId: number | null;
  filename: string;
  contentType: string;
  content: Buffer;
  sha256: string;
  input: unknown;
  /** Produced before the legal sign-off: for the union's staff, never to be sent. */
  draft: boolean;
  /** Documents with the same key are one document (see contentKey). */
  sameAs: string;
}

const CSV = "text/csv; charset=utf-8";

/** How each kind is rendered from its stored input: the one place that maps kinds to renderers. */
const RENDERERS: Record<Kind, (input: never) => Promise<Buffer> | Buffer> = {
  ballot_notice: (i: BallotNoticeInput) => renderBallotNotice(i),
  ballot_notice_annex: (i: Annex) => Buffer.from(i.csv, "utf8"),
  sample_paper: (i: VotingPaperInput) => renderVotingPaper(i),
  artwork_spec: (i: ArtworkSpecInput) => renderArtworkSpec(i),
  voter_file: (i: { csv: string }) => Buffer.from(i.csv, "utf8"),
  result_members: (i: ResultNoticeInput) => renderResultNotice(i),
  result_employer: (i: ResultNoticeInput) => renderResultNotice(i),
  action_notice: (i: ActionNoticeDoc) => renderActionNotice(i),
  action_notice_annex: (i: Annex) => Buffer.from(i.csv, "utf8"),
};

async function render(kind: Kind, input: unknown): Promise<Buffer> {
  return Buffer.from(await (RENDERERS[kind] as (input: unknown) => Promise<Buffer> | Buffer)(input));
}

// ---------------------------------------------------------------------------
// What every document is built from

export interface Facts {
  row: BallotRow;
  union: UnionParty;
  employers: Map<number, EmployerParty & { id: number }>;
  workplaces: Map<
    number,
    { name: string; siteCode: string | null; address: string | null; postcode: string | null }
  >;
  figures: Map<number, EmployerFigures>;
  reviewReasons: string[];
  /** The legal sign-off state: documents carry it when it covers their reasons, else they are drafts. */
  signOff: SignOffState;
  /** Workplaces the ballot is limited to, per employer (absent: the whole employer). */
  scopeWorkplaces: Map<number, number[]>;
  /** Members of each employer left out of the electorate, by reason: each notice explains its own figures only. */
  excludedByEmployer: Map<number, { reason: string; count: number }[]>;
}

/** Notices come from the union: its letter name, address and signatory must be set (union settings). */
function requireLetterhead(facts: Facts): void {
  const u = facts.union;
  if (!u.name.trim() || !u.address.trim() || !u.signatory?.name.trim() || !u.signatory.title.trim()) {
    throw new AppError(
      "documents.union_settings_incomplete",
      "Fill in the union's letter name, address and signatory under Settings before producing notices.",
    );
  }
}

function registerCode(e: {
  ods_code: string | null;
  dfe_urn: string | null;
  gss_code: string | null;
  companies_house_number: string | null;
  local_code: string | null;
}): string | null {
  if (e.ods_code) return `ODS ${e.ods_code}`;
  if (e.dfe_urn) return `URN ${e.dfe_urn}`;
  if (e.gss_code) return `GSS ${e.gss_code}`;
  if (e.companies_house_number) return `Company ${e.companies_house_number}`;
  return e.local_code;
}

export async function loadFacts(
  ctx: Ctx,
  row: BallotRow,
  loaded: SnapshotMember[] | null = null,
): Promise<Facts> {
  const union = await unionLetterhead(ctx.db, row.union_id);
  const included = loaded ?? (await loadEntitled(ctx.db, row.id));
  const scope = await ballotScopeEntries(ctx.db, row.id);
  const scopeWorkplaces = new Map<number, number[]>();
  for (const s of scope) {
    if (s.workplace_id === null) continue;
    scopeWorkplaces.set(s.employer_id, [...(scopeWorkplaces.get(s.employer_id) ?? []), s.workplace_id]);
  }
  const employerIds = [
    ...new Set([...scope.map((s) => s.employer_id), ...included.map((e) => e.employerId)]),
  ];
  const employerRows = await employerCodes(ctx.db, employerIds);
  const workplaceIds = [
    ...new Set([
      ...included.flatMap((e) => (e.workplaceId ? [e.workplaceId] : [])),
      ...[...scopeWorkplaces.values()].flat(),
    ]),
  ];
  const workplaces = new Map<
    number,
    { name: string; siteCode: string | null; address: string | null; postcode: string | null }
  >();
  for (let i = 0; i < workplaceIds.length; i += 10_000) {
    const rows = await workplaceDetails(ctx.db, workplaceIds.slice(i, i + 10_000));
    for (const w of rows)
      workplaces.set(w.id, { name: w.name, siteCode: w.site_code, address: w.address, postcode: w.postcode });
  }
  const ballot = await getBallot(ctx, row.id);
  const excluded = await excludedByEmployer(ctx.db, row.id);
  const reviewReasons = ballot.legalReview.map((r) => r.reason);
  return {
    row,
    union: {
      name: union.name,
      address: union.address,
      contact: union.contact,
      signatory: union.signatory,
    },
    employers: new Map(
      employerRows.map((e) => [
        e.id,
        { id: e.id, name: e.name, address: null, registerCode: registerCode(e) },
      ]),
    ),
    workplaces,
    figures: figuresByEmployer(included),
    reviewReasons,
    signOff: await signOffState(ctx.db, row.id, reviewReasons),
    scopeWorkplaces,
    excludedByEmployer: excluded,
  };
}

/**
 * How many of each employer's members in the snapshot were left out, by
 * reason, in one grouped query. An employer's explanation of the figures
 * (s.226A(2)(c)(i)) must speak of that employer's members only: ballot-wide
 * counts are wrong for each employer and tell one employer about another's
 * workforce.
 */
async function excludedByEmployer(
  db: Db,
  ballotId: number,
): Promise<Map<number, { reason: string; count: number }[]>> {
  const rows = await excludedCounts(db, ballotId);
  const out = new Map<number, { reason: string; count: number }[]>();
  for (const r of rows) {
    const list = out.get(r.employer_id) ?? [];
    list.push({ reason: r.reason, count: Number(r.n) });
    out.set(r.employer_id, list);
  }
  return out;
}

/** Workplaces in print order: by name, then site code; members with no workplace last. */
function workplaceLines(facts: Facts, figures: EmployerFigures) {
  return figures.workplaces
    .map((w) => {
      const place = w.workplaceId ? facts.workplaces.get(w.workplaceId) : undefined;
      return {
        workplace: place?.name ?? "Workplace not recorded",
        siteCode: place?.siteCode ?? null,
        address: place?.address ?? null,
        postcode: place?.postcode ?? null,
        count: w.count,
      };
    })
    .sort(
      (a, b) =>
        a.workplace.localeCompare(b.workplace, "en-GB") || (a.siteCode ?? "").localeCompare(b.siteCode ?? ""),
    );
}

/** The lists, numbers and explanation for one employer, in the form the law in force asks for. */
export function employeeLists(facts: Facts, employerId: number, figures: EmployerFigures, form: NoticeForm) {
  const employer = facts.employers.get(employerId)!;
  return {
    form,
    categories: figures.categories,
    workplaces: workplaceLines(facts, figures),
    total: figures.total,
    explanation:
      form === "lists_figures_explanation"
        ? explainFigures({
            unionName: facts.union.name,
            asAt: facts.row.electorate_as_at!,
            employerName: employer.name,
            total: figures.total,
            excludedByReason: facts.excludedByEmployer.get(employerId) ?? [],
            registerSource: employer.registerCode?.startsWith("ODS") ? "NHS ODS" : null,
            electorateHash: facts.row.electorate_hash!,
          })
        : null,
  };
}

/**
 * The sign-off a document records: the latest, when it covers every item of
 * the ballot needing legal review; otherwise null, and the document is a draft.
 */
export function finalSignOff(facts: Facts): { reviewer: string; on: string } | null {
  return facts.signOff.outstanding.length === 0 ? signOffFor(facts.signOff, facts.signOff.items) : null;
}

export function text(t: string, citation: string, unconfirmed: string | null = null): LegalText {
  return { text: t, citation, unconfirmed };
}

export function slug(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "")
      .slice(0, 60) || "employer"
  );
}

// ---------------------------------------------------------------------------
// Notices of ballot and the sample voting paper

function ballotNoticeInput(facts: Facts, employerId: number, issuedOn: IsoDate): BallotNoticeInput {
  const { row } = facts;
  const employer = facts.employers.get(employerId)!;
  const figures = facts.figures.get(employerId) ?? { employerId, total: 0, categories: [], workplaces: [] };
  const form = ruleAt(BALLOT_NOTICE_FORM, issuedOn)!;
  const days = ruleAt(BALLOT_NOTICE_DAYS, row.opening_date)!;
  const hash = row.electorate_hash!;
  return {
    union: facts.union,
    legalSignOff: finalSignOff(facts),
    issuedOn,
    regime: form.regime === "A" ? regimeAt(issuedOn).id : form.regime,
    reviewReasons: facts.reviewReasons,
    employer: { name: employer.name, address: employer.address, registerCode: employer.registerCode },
    disputeTitle: row.dispute_title,
    constituencyName: row.name,
    ballotKind: row.kind as BallotNoticeInput["ballotKind"],
    aggregationTest: row.aggregation_test as BallotNoticeInput["aggregationTest"],
    openingDate: row.opening_date,
    questions: row.questions as BallotNoticeInput["questions"],
    reballot: row.reballot,
    ...employeeLists(facts, employerId, figures, form.value),
    checkOff: row.check_off_route
      ? {
          asAt: row.electorate_as_at!,
          categories: row.job_categories,
          workplaces: facts.scopeWorkplaces.has(employerId)
            ? facts.scopeWorkplaces
                .get(employerId)!
                .map((id) => facts.workplaces.get(id)?.name ?? `workplace ${id}`)
                .sort((a, b) => a.localeCompare(b, "en-GB"))
            : null,
        }
      : null,
    electorateFingerprint: hash,
    // Provisions relied on (citations and review status); the renderer words the letter itself.
    legal: [
      text("The union intends to hold a ballot of its members employed by you.", "TULRCA 1992 s.226A(2)(a)"),
      text("The opening day of the ballot.", "TULRCA 1992 s.226A(2)(b)"),
      text(days.summary, days.citation, days.unconfirmed),
      text(form.summary, form.citation, form.unconfirmed),
      text(
        "The lists and figures are as accurate as is reasonably practicable in the light of the information in the union's possession.",
        "TULRCA 1992 s.226A(2D)",
      ),
    ],
    reference: `MANDATE-${row.id}-${employerId}-${hash.slice(0, 8).toUpperCase()}`,
  };
}

function statementText(row: BallotRow): LegalText {
  const rule = ruleAt(DISMISSAL_STATEMENT, row.opening_date)!;
  if (rule.value !== null) return text(rule.value, rule.citation, rule.unconfirmed);
  return text(
    row.dismissal_statement_reviewed ?? "",
    rule.citation,
    "Wording recorded by the union after legal review; the statutory text is not confirmed in Mandate's law data.",
  );
}

const QUESTION_TEXT = {
  strike: "Are you prepared to take part in a strike?",
  action_short_of_strike: "Are you prepared to take part in industrial action short of a strike?",
} as const;

/** A re-ballot asks whether members will "take part or continue to take part" (s.229(2)). */
const REBALLOT_QUESTION_TEXT = {
  strike: "Are you prepared to take part or to continue to take part in a strike?",
  action_short_of_strike:
    "Are you prepared to take part or to continue to take part in industrial action short of a strike?",
} as const;

function votingPaperInput(facts: Facts, issuedOn: IsoDate): VotingPaperInput {
  const { row } = facts;
  const items = ruleAt(VOTING_PAPER, row.opening_date)!;
  const withExtras = items.value.includes("summary_of_matters");
  const entitled = row.electorate_entitled ?? 0;
  return {
    union: facts.union,
    legalSignOff: finalSignOff(facts),
    issuedOn,
    regime: regimeAt(row.opening_date).id,
    reviewReasons: facts.reviewReasons,
    scrutineer: entitled > 50 ? { name: row.scrutineer_name, address: row.scrutineer_address } : null,
    returnAddress: row.return_address,
    returnBy: row.closing_date,
    paperNumber: "SAMPLE",
    questions: (row.questions as (keyof typeof QUESTION_TEXT)[]).map((kind) => ({
      kind,
      text: (row.reballot ? REBALLOT_QUESTION_TEXT : QUESTION_TEXT)[kind],
      actionTypes: kind === "action_short_of_strike" ? row.action_short_types : [],
    })),
    authorisedPerson: row.authorised_person,
    dismissalStatement: statementText(row),
    summaryOfMatters: withExtras ? row.matters_in_issue : null,
    expectedPeriods: withExtras ? [row.expected_periods].filter(Boolean) : null,
    sample: true,
    legal: [text(items.summary, items.citation, items.unconfirmed)],
  };
}

/**
 * The artwork specification for the scrutineer's printer, from the sample
 * paper's own input (so the printed papers match the sample) and the frozen
 * electorate's paper numbers 1..n. Postal ballots only: null otherwise.
 */
function artworkSpecInput(facts: Facts, sample: VotingPaperInput): ArtworkSpecInput | null {
  const { row } = facts;
  if (row.voting_method !== "postal") return null;
  const hash = row.electorate_hash!;
  return {
    union: facts.union,
    legalSignOff: sample.legalSignOff ?? null,
    issuedOn: sample.issuedOn,
    regime: sample.regime,
    reviewReasons: facts.reviewReasons,
    sample,
    votingMethod: "postal",
    reballot: row.reballot,
    numbering: { first: 1, last: Math.max(1, row.electorate_entitled ?? 0), digits: 7 },
    electorateFingerprint: hash,
    reference: `MANDATE-${row.id}-ARTWORK-${hash.slice(0, 8).toUpperCase()}`,
  };
}

/**
 * Renders documents. PDFs carry the audit chain's current checkpoint in their
 * Keywords (kept in their stored input, so a re-render gives the same bytes),
 * anchoring the log in every copy that leaves the system.
 */
export async function renderAll(
  ctx: Ctx,
  specs: DocumentSpec[],
  /** The checkpoint to carry: a job rendering one document per step keeps the one it started with. */
  fixedCheckpoint?: string | null,
) {
  const checkpoint = fixedCheckpoint !== undefined ? fixedCheckpoint : await checkpointFor(ctx, specs);
  const out: Rendered[] = [];
  for (const s of specs) {
    const pdf = s.filename.endsWith(".pdf");
    const input = pdf && checkpoint ? { ...(s.input as object), auditCheckpoint: checkpoint } : s.input;
    const content = await render(s.kind, input);
    const draft = pdf && isDraftInput(s.input);
    out.push({
      ...s,
      filename: draft ? s.filename.replace(/\.pdf$/, "-DRAFT.pdf") : s.filename,
      draft,
      input,
      contentType: pdf ? PDF : CSV,
      content,
      sha256: sha256OfBytes(content),
      sameAs: sameAsKey(s.kind, s.employerId, pdf ? contentKey(input) : sha256OfBytes(content)),
    });
  }
  return out;
}

/** The audit checkpoint PDFs carry (null when none of the documents is a PDF). */
export async function checkpointFor(ctx: Ctx, specs: DocumentSpec[]): Promise<string | null> {
  return specs.some((s) => s.filename.endsWith(".pdf"))
    ? JSON.stringify(await writeCheckpoint(ctx.db, ctx.clock.now()))
    : null;
}

/** A PDF input with items needing legal review and no sign-off covering them renders as a draft. */
function isDraftInput(input: unknown): boolean {
  const i = input as {
    reviewReasons?: string[];
    legalSignOff?: unknown;
    legal?: LegalText[];
    dismissalStatement?: LegalText;
    noticePeriodStatement?: LegalText;
    /** The artwork specification relies on its sample paper's texts. */
    sample?: { legal?: LegalText[]; dismissalStatement?: LegalText };
  };
  const texts = [
    ...(i.legal ?? []),
    i.dismissalStatement,
    i.noticePeriodStatement,
    ...(i.sample?.legal ?? []),
    i.sample?.dismissalStatement,
  ].filter((t): t is LegalText => !!t);
  return isDraft(texts, i as DocumentBase);
}

/**
 * What makes two documents the same one: CSVs by their bytes; PDFs by what
 * they were rendered from, less the audit checkpoint, which moves with every
 * audited action and is not part of what the document says.
 */
function contentKey(input: unknown): string {
  const { auditCheckpoint: _, ...rest } = input as { auditCheckpoint?: string };
  return sha256Hex(canonicalJson(rest));
}

function sameAsKey(kind: string, employerId: number | null, key: string): string {
  return `${kind}:${employerId ?? ""}:${key}`;
}

/** Stores documents in one transaction; a document identical to one already stored is not stored twice. */
export async function store(ctx: Ctx, tx: Db, row: BallotRow, docs: Rendered[]): Promise<number[]> {
  return storeRendered(ctx, tx, row, docs, await knownDocuments(tx, row.id));
}

/** The ballot's stored documents by what makes two the same one (sameAsKey). */
export async function knownDocuments(db: Db, ballotId: number): Promise<Map<string, number>> {
  const existing = await storedDocumentKeys(db, ballotId);
  return new Map(
    existing.map((d) => [
      sameAsKey(d.kind, d.employer_id, d.content_type === PDF ? contentKey(d.pdf_input) : d.sha256),
      d.id,
    ]),
  );
}

/** Stores what `known` does not hold yet, and adds it there. */
export async function storeRendered(
  ctx: Ctx,
  tx: Db,
  row: BallotRow,
  docs: Rendered[],
  known: Map<string, number>,
): Promise<number[]> {
  const ids: number[] = [];
  const fresh: Rendered[] = [];
  docs.forEach((d) => {
    const id = known.get(d.sameAs);
    if (id) ids.push(id);
    else fresh.push(d);
  });
  const now = ctx.clock.now();
  for (let i = 0; i < fresh.length; i += 200) {
    const batch = fresh.slice(i, i + 200);
    const inserted = await insertDocuments(tx, row.id, row.electorate_hash!, batch, now, ctx.actor.userId);
    ids.push(...inserted.map((r) => r.id));
    batch.forEach((d, j) => {
      known.set(d.sameAs, inserted[j]!.id);
    });
  }
  return ids;
}

/**
 * Notices of ballot for every employer in the ballot, their CSV annexes and
 * the sample voting paper, from the frozen electorate. Refused while
 * pre-flight checks block.
 */
export async function generateBallotNotices(ctx: Ctx, id: number): Promise<DocumentDto[]> {
  return generatePlanned(ctx, id, await planBallotNotices(ctx, id));
}

/** One document to render: what it is, its file name and what it is rendered from. */
export interface DocumentSpec {
  kind: Kind;
  employerId: number | null;
  filename: string;
  input: unknown;
}

/**
 * What generating one set of a ballot's documents produces, worked out before
 * anything is rendered: the documents in order, and what ends the set (the
 * ballot's next state, the audit entry) once they are all stored. The same
 * facts and date give the same plan, so a job resumed after its worker died
 * renders the rest of the very same documents.
 */
export interface DocumentPlan {
  row: BallotRow;
  issuedOn: IsoDate;
  specs: DocumentSpec[];
  finish(ctx: Ctx, tx: Db, documents: number): Promise<void>;
}

export type DocumentSet = "notices" | "results";

export function planDocuments(ctx: Ctx, id: number, set: DocumentSet, issuedOn?: IsoDate) {
  return set === "notices" ? planBallotNotices(ctx, id, issuedOn) : planResultNotices(ctx, id);
}

/** Renders every document of the plan, then stores them and ends the set in one transaction. */
async function generatePlanned(ctx: Ctx, id: number, plan: DocumentPlan): Promise<DocumentDto[]> {
  const rendered = await renderAll(ctx, plan.specs);
  const ids = await withTx(ctx.db, async (tx) => {
    const stored = await store(ctx, tx, plan.row, rendered);
    await plan.finish(ctx, tx, rendered.length);
    return stored;
  });
  return listDocuments(ctx, id, ids);
}

/** The notices of ballot, their annexes and the sample paper (and artwork specification), dated `issuedOn` (today). */
async function planBallotNotices(ctx: Ctx, id: number, issuedOn?: IsoDate): Promise<DocumentPlan> {
  authorize(ctx.actor, "ballots.manage");
  const { row, checks, entitled } = await runBallotPreflight(ctx, id);
  refuseUnless(row.state, "generate_notices");
  if (isBlocking(checks)) {
    const blocking = checks.filter((c) => c.severity === "block" && c.count > 0);
    throw new AppError(
      "ballots.preflight_blocked",
      `Pre-flight checks block the notices: ${blocking.map((c) => `${c.title} (${c.count})`).join("; ")}.`,
      { checks: blocking.map((c) => ({ code: c.code, count: c.count, citation: c.citation })) },
    );
  }
  const facts = await loadFacts(ctx, row, entitled);
  requireLetterhead(facts);
  issuedOn ??= ukDate(ctx.clock.now());
  const specs: DocumentSpec[] = [];
  // s.226A(1): a notice to every employer of members entitled to vote (none to an employer without any).
  const employerIds = [...facts.figures.keys()].sort((a, b) => a - b);
  for (const employerId of employerIds) {
    const input = ballotNoticeInput(facts, employerId, issuedOn);
    const base = `ballot-${id}-notice-${slug(input.employer.name)}-${employerId}`;
    specs.push({ kind: "ballot_notice", employerId, filename: `${base}.pdf`, input });
    for (const annex of ballotNoticeAnnexes(input)) {
      specs.push({
        kind: "ballot_notice_annex",
        employerId,
        filename: `${base}-${annex.filename}`,
        input: annex,
      });
    }
  }
  const sample = votingPaperInput(facts, issuedOn);
  specs.push({
    kind: "sample_paper",
    employerId: null,
    filename: `ballot-${id}-sample-voting-paper.pdf`,
    input: sample,
  });
  const artwork = artworkSpecInput(facts, sample);
  if (artwork) {
    specs.push({
      kind: "artwork_spec",
      employerId: null,
      filename: `ballot-${id}-voting-paper-artwork-specification.pdf`,
      input: artwork,
    });
  }
  return {
    row,
    issuedOn,
    specs,
    async finish(ctx, tx, documents) {
      await markNoticesIssued(tx, id, ctx.clock.now());
      await recordAudit({ ...ctx, db: tx }, "ballot.documents_generated", {
        subjectType: "ballot",
        subjectId: id,
        details: {
          kinds: ["ballot_notice", "sample_paper", ...(artwork ? ["artwork_spec"] : [])],
          documents,
          electorate: row.electorate_hash,
        },
      });
    },
  };
}

// ---------------------------------------------------------------------------
// Voter file

export async function generateVoterFile(ctx: Ctx, id: number): Promise<DocumentDto> {
  authorize(ctx.actor, "ballots.voter_file");
  const row = await loadBallotRow(ctx.db, ctx.actor.unionId, id);
  refuseUnless(row.state, "produce_voter_file");
  const blocked = statementBlock(row.opening_date, row.dismissal_statement_reviewed);
  if (blocked) throw new AppError("law.rule_unconfirmed", blocked, { rule: DISMISSAL_STATEMENT.id });
  // Data minimisation: the paper number, name and postal address of the entitled, nothing else.
  const entries = await voterFileEntries(ctx.db, id);
  const input = {
    csv: voterFileCsv(
      entries.map((e) => ({
        paperNumber: String(e.paper_number).padStart(7, "0"),
        name: e.name,
        addressLines: e.address_lines,
        postcode: e.postcode ?? "",
      })),
    ),
  };
  const [doc] = await renderAll(ctx, [
    { kind: "voter_file", employerId: null, filename: `ballot-${id}-voter-file.csv`, input },
  ]);
  const ids = await withTx(ctx.db, async (tx) => {
    const stored = await store(ctx, tx, row, [doc!]);
    await recordAudit({ ...ctx, db: tx }, "ballot.voter_file_exported", {
      subjectType: "ballot",
      subjectId: id,
      details: { rows: entries.length, electorate: row.electorate_hash },
    });
    return stored;
  });
  return (await listDocuments(ctx, id, ids))[0]!;
}

// ---------------------------------------------------------------------------
// Result notices

function resultInput(
  facts: Facts,
  evaluation: Evaluation,
  questions: { question: string; yes: number; no: number; spoilt?: number | null }[],
  audience: "members" | "employer",
  employerId: number | null,
  issuedOn: IsoDate,
): ResultNoticeInput {
  const { row } = facts;
  const contents = ruleAt(
    evaluation.jurisdiction === "ni" ? NI_RESULT_CONTENTS : RESULT_CONTENTS,
    row.opening_date,
  )!;
  const turnout = evaluation.tests.find((t) => t.name === "turnout");
  const support = evaluation.tests.filter((t) => t.name === "important_public_services_40");
  const employer = employerId ? facts.employers.get(employerId)! : null;
  const m = evaluation.mandatePeriod;
  return {
    union: facts.union,
    legalSignOff: finalSignOff(facts),
    issuedOn,
    // Northern Ireland's Order asks for the pre-2016 result contents: the layout of regime A (decision 0013).
    regime: evaluation.regime === "NI" ? "A" : evaluation.regime,
    reviewReasons: [...facts.reviewReasons, ...evaluation.legalReview.map((r) => r.reason)],
    audience,
    employer: employer
      ? { name: employer.name, address: employer.address, registerCode: employer.registerCode }
      : null,
    constituencyName: row.name,
    closingDate: row.closing_date,
    entitled: evaluation.entitled,
    votesCast: evaluation.votesCast,
    questions: questions.map((q) => ({
      kind: q.question as "strike" | "action_short_of_strike",
      yes: q.yes,
      no: q.no,
      spoilt: q.spoilt ?? evaluation.votesCast - q.yes - q.no,
    })),
    turnout: {
      applies: turnout !== undefined,
      met: turnout?.met ?? null,
      percent: evaluation.turnoutPercent,
    },
    support40: { applies: support.length > 0, met: support.length ? support.map((t) => t.met) : null },
    mandate: evaluation.mandate,
    mandateFor: evaluation.mandateFor,
    mandatePeriod:
      evaluation.mandate && m.lastDay
        ? { kind: m.period.kind, lastDay: m.lastDay, lastDayByAgreement: m.lastDayByAgreement }
        : null,
    legal: [
      text(contents.summary, contents.citation, contents.unconfirmed),
      ...evaluation.tests.map((t) => text(t.rule, t.citation, t.unconfirmed)),
    ],
  };
}

export async function declaredResult(db: Db, ballotId: number) {
  const result = await selectDeclaredResult(db, ballotId);
  return { result, evaluation: result.evaluation as Evaluation };
}

export async function generateResultNotices(ctx: Ctx, id: number): Promise<DocumentDto[]> {
  return generatePlanned(ctx, id, await planResultNotices(ctx, id));
}

/** The result to the members and to every employer, dated the day it was declared. */
async function planResultNotices(ctx: Ctx, id: number): Promise<DocumentPlan> {
  authorize(ctx.actor, "ballots.manage");
  const row = await loadBallotRow(ctx.db, ctx.actor.unionId, id);
  refuseUnless(row.state, "produce_result_notices");
  const { result, evaluation } = await declaredResult(ctx.db, id);
  const questions = result.questions as {
    question: string;
    yes: number;
    no: number;
    spoilt?: number | null;
  }[];
  const facts = await loadFacts(ctx, row);
  requireLetterhead(facts);
  // s.231A: the result goes to every employer on the day it is known (Metrobus v Unite).
  const issuedOn = result.declared_on;
  const specs: DocumentSpec[] = [
    {
      kind: "result_members",
      employerId: null,
      filename: `ballot-${id}-result-members.pdf`,
      input: resultInput(facts, evaluation, questions, "members", null, issuedOn),
    },
  ];
  for (const employerId of [...facts.figures.keys()].sort((a, b) => a - b)) {
    specs.push({
      kind: "result_employer",
      employerId,
      filename: `ballot-${id}-result-${slug(facts.employers.get(employerId)!.name)}-${employerId}.pdf`,
      input: resultInput(facts, evaluation, questions, "employer", employerId, issuedOn),
    });
  }
  return {
    row,
    issuedOn,
    specs,
    async finish(ctx, tx, documents) {
      await recordAudit({ ...ctx, db: tx }, "ballot.documents_generated", {
        subjectType: "ballot",
        subjectId: id,
        details: { kinds: ["result_members", "result_employer"], documents },
      });
    },
  };
}

// ---------------------------------------------------------------------------
// Listing, download, verification

export async function listDocuments(ctx: Ctx, ballotId: number, ids?: number[]): Promise<DocumentDto[]> {
  const grant = authorize(ctx.actor, "ballots.read");
  const { reach } = await loadVisibleBallot(ctx, grant, ballotId);
  const rows = await selectDocuments(ctx.db, ballotId, reach, {
    ids,
    resultsOnly: grant.view === "aggregate",
    // The voter file (names and addresses) is listed only to those who may export it.
    withVoterFile: can(ctx.actor, "ballots.voter_file"),
  });
  return rows.map((r) => ({
    id: r.id,
    ballotId: r.ballot_id,
    kind: r.kind as Kind,
    employerId: r.employer_id,
    employerName: r.employer_name,
    filename: r.filename,
    contentType: r.content_type,
    bytes: Number(r.bytes),
    sha256: r.sha256,
    electorateHash: r.electorate_hash,
    draft: r.draft,
    createdAt: r.created_at.toISOString(),
  }));
}

export async function downloadDocument(
  ctx: Ctx,
  documentId: number,
): Promise<{ filename: string; contentType: string; content: Buffer; draft: boolean; trail: ExportTrail }> {
  const grant = authorize(ctx.actor, "ballots.read");
  const doc = await documentInUnion(ctx.db, grant.unionId, documentId, ballotReach(ctx.actor, grant));
  const reach = ballotReach(ctx.actor, grant);
  const employerSeen =
    !doc || doc.employer_id === null
      ? true
      : !!(await employerReached(ctx.db, doc.employer_id, doc.ballot_id, reach));
  if (!doc || !employerSeen)
    throw new AppError("documents.not_found", `No document ${documentId}.`, { id: documentId });
  if (grant.view === "aggregate" && doc.kind !== "result_members") {
    throw new AppError("documents.not_found", `No document ${documentId}.`, { id: documentId });
  }
  // The voter file holds names and addresses: only for those who may export them.
  if (doc.kind === "voter_file") authorize(ctx.actor, "ballots.voter_file");
  const content = Buffer.from(doc.content);
  // Every download is audited as it starts; the caller ends the trail when the bytes are handed over.
  const trail = await startExport(ctx, "document", {
    subjectType: "ballot",
    subjectId: doc.ballot_id,
    details: { document: doc.id, documentKind: doc.kind, bytes: content.length },
  });
  return { filename: doc.filename, contentType: doc.content_type, content, draft: doc.draft, trail };
}

/**
 * Writes documents to a folder (`mandate ballots notices --out`). Each is an
 * audited export: its trail ends finished with the bytes written, or failed
 * when the write fails, so no export is left started for ever.
 */
export async function writeDocumentsToFolder(
  ctx: Ctx,
  docs: readonly { id: number; filename: string }[],
  folder: string,
): Promise<void> {
  fs.mkdirSync(folder, { recursive: true });
  for (const d of docs) {
    const file = await downloadDocument(ctx, d.id);
    try {
      fs.writeFileSync(path.join(folder, path.basename(d.filename)), file.content);
    } catch (e) {
      await file.trail.failed(failureReason(e));
      throw e;
    }
    await file.trail.finished({ bytes: file.content.length });
  }
}

/** Re-renders every stored document from its stored input and compares the bytes. */
export async function verifyDocuments(
  ctx: Ctx,
  ballotId: number,
): Promise<{ checked: number; identical: number; differing: number[] }> {
  const grant = authorize(ctx.actor, "ballots.manage");
  await loadBallotRow(ctx.db, grant.unionId, ballotId);
  const docs = await documentInputs(ctx.db, ballotId);
  const differing: number[] = [];
  for (const d of docs) {
    const again = await render(d.kind as Kind, d.input);
    if (sha256OfBytes(again) !== d.sha256) differing.push(d.id);
  }
  return { checked: docs.length, identical: docs.length - differing.length, differing };
}
