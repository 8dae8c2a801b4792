/**
 * Documents generated from a ballot's frozen electorate: notices of ballot
 * with their annexes and the sample voting paper, the scrutineer's voter file,
 * result notices and notices of industrial action. Each is stored with its
 * content hash and the exact input it was rendered from, so it can be
 * re-rendered byte for byte and shown to a court as what was sent.
 */
import fs from "node:fs";
import path from "node:path";
import { writeCheckpoint } from "../audit/anchor.js";
import { type ExportTrail, failureReason, startExport } from "../audit/exports.js";
import { recordAudit } from "../audit/record.js";
import { authorize, can } from "../auth/permissions.js";
import type { Ctx } from "../context.js";
import type { Db } from "../db/database.js";
import { withTx } from "../db/tx.js";
import {
  ACTION_NOTICE_FORM,
  ACTION_NOTICE_PERIOD,
  addDays,
  BALLOT_NOTICE_DAYS,
  BALLOT_NOTICE_FORM,
  DISMISSAL_STATEMENT,
  type Evaluation,
  type IsoDate,
  MINIMUM_SERVICE_STATEMENT,
  type NoticeForm,
  RESULT_CONTENTS,
  regimeAt,
  ruleAt,
  VOTING_PAPER,
} from "../law/index.js";
import {
  type ActionNoticeInput as ActionNoticeDoc,
  type Annex,
  actionNoticeAnnexes,
  type BallotNoticeInput,
  ballotNoticeAnnexes,
  type EmployerParty,
  type LegalText,
  type ResultNoticeInput,
  renderActionNotice,
  renderBallotNotice,
  renderResultNotice,
  renderVotingPaper,
  type UnionParty,
  type VotingPaperInput,
  voterFileCsv,
} from "../notices/index.js";
import { ukDate } from "../shared/clock.js";
import { AppError } from "../shared/errors.js";
import { canonicalJson, sha256Hex, sha256OfBytes } from "../shared/hash.js";
import { ballotInReach, ballotReach, employerInReach } from "./ballot-scope.js";
import type { ActionNoticeInput, DocumentDto } from "./ballots.model.js";
import {
  type BallotRow,
  excludedByReason,
  getBallot,
  isBlocking,
  loadBallotRow,
  loadEntitled,
  loadVisibleBallot,
  requireState,
  runBallotPreflight,
  statementBlock,
} from "./ballots.service.js";
import { REASONS } from "./electorate.js";
import { type EmployerFigures, explainFigures, figuresByEmployer } from "./figures.js";
import type { SnapshotMember } from "./preflight.js";

type Kind = DocumentDto["kind"];

interface Rendered {
  kind: Kind;
  employerId: number | null;
  filename: string;
  contentType: string;
  content: Buffer;
  sha256: string;
  input: unknown;
  /** Documents with the same key are one document (see contentKey). */
  sameAs: string;
}

const PDF = "application/pdf";
const CSV = "text/csv; charset=utf-8";

/** How each kind is rendered from its stored input: the one place that maps kinds to renderers. */
const RENDERERS: Record<Kind, (input: never) => Promise<Buffer> | Buffer> = {
  ballot_notice: (i: BallotNoticeInput) => renderBallotNotice(i),
  ballot_notice_annex: (i: Annex) => Buffer.from(i.csv, "utf8"),
  sample_paper: (i: VotingPaperInput) => renderVotingPaper(i),
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

interface Facts {
  row: BallotRow;
  union: UnionParty;
  employers: Map<number, EmployerParty & { id: number }>;
  workplaces: Map<
    number,
    { name: string; siteCode: string | null; address: string | null; postcode: string | null }
  >;
  figures: Map<number, EmployerFigures>;
  reviewReasons: string[];
  excludedByReason: { label: string; count: number }[];
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

async function loadFacts(ctx: Ctx, row: BallotRow, loaded: SnapshotMember[] | null = null): Promise<Facts> {
  const union = await ctx.db
    .selectFrom("unions")
    .select("name")
    .where("id", "=", row.union_id)
    .executeTakeFirstOrThrow();
  const included = loaded ?? (await loadEntitled(ctx.db, row.id));
  const scope = await ctx.db
    .selectFrom("ballot_scope")
    .select("employer_id")
    .where("ballot_id", "=", row.id)
    .execute();
  const employerIds = [
    ...new Set([...scope.map((s) => s.employer_id), ...included.map((e) => e.employerId)]),
  ];
  const employerRows = await ctx.db
    .selectFrom("employers")
    .select(["id", "name", "ods_code", "dfe_urn", "gss_code", "companies_house_number", "local_code"])
    .where("id", "in", employerIds.length ? employerIds : [0])
    .execute();
  const workplaceIds = [...new Set(included.flatMap((e) => (e.workplaceId ? [e.workplaceId] : [])))];
  const workplaces = new Map<
    number,
    { name: string; siteCode: string | null; address: string | null; postcode: string | null }
  >();
  for (let i = 0; i < workplaceIds.length; i += 10_000) {
    const rows = await ctx.db
      .selectFrom("workplaces")
      .select(["id", "name", "site_code", "address", "postcode"])
      .where("id", "in", workplaceIds.slice(i, i + 10_000))
      .execute();
    for (const w of rows)
      workplaces.set(w.id, { name: w.name, siteCode: w.site_code, address: w.address, postcode: w.postcode });
  }
  const ballot = await getBallot(ctx, row.id);
  const excluded = await excludedByReason(ctx.db, row.id);
  return {
    row,
    union: { name: union.name, address: row.return_address, contact: row.authorised_person },
    employers: new Map(
      employerRows.map((e) => [
        e.id,
        { id: e.id, name: e.name, address: null, registerCode: registerCode(e) },
      ]),
    ),
    workplaces,
    figures: figuresByEmployer(included),
    reviewReasons: ballot.legalReview.map((r) => r.reason),
    excludedByReason: excluded.map(({ reason, count }) => ({
      label: REASONS[reason]?.label ?? reason,
      count,
    })),
  };
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
function employeeLists(facts: Facts, employerId: number, figures: EmployerFigures, form: NoticeForm) {
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
            excludedByReason: facts.excludedByReason,
            registerSource: employer.registerCode?.startsWith("ODS") ? "NHS ODS" : null,
            electorateHash: facts.row.electorate_hash!,
          })
        : null,
  };
}

function text(t: string, citation: string, unconfirmed: string | null = null): LegalText {
  return { text: t, citation, unconfirmed };
}

function slug(name: string): string {
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
    ...employeeLists(facts, employerId, figures, form.value),
    electorateFingerprint: hash,
    legal: [
      text(
        `${facts.union.name} intends to hold a ballot of its members employed by you.`,
        "TULRCA 1992 s.226A(2)(a)",
      ),
      text(
        `The union reasonably believes the opening day of the ballot will be ${row.opening_date}.`,
        "TULRCA 1992 s.226A(2)(b)",
      ),
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

function votingPaperInput(facts: Facts, issuedOn: IsoDate): VotingPaperInput {
  const { row } = facts;
  const items = ruleAt(VOTING_PAPER, row.opening_date)!;
  const withExtras = items.value.includes("summary_of_matters");
  const entitled = row.electorate_entitled ?? 0;
  return {
    union: facts.union,
    issuedOn,
    regime: regimeAt(row.opening_date).id,
    reviewReasons: facts.reviewReasons,
    scrutineer: entitled > 50 ? { name: row.scrutineer_name, address: row.scrutineer_address } : null,
    returnAddress: row.return_address,
    returnBy: row.closing_date,
    paperNumber: "SAMPLE",
    questions: (row.questions as (keyof typeof QUESTION_TEXT)[]).map((kind) => ({
      kind,
      text: QUESTION_TEXT[kind],
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
 * Renders documents. PDFs carry the audit chain's current checkpoint in their
 * Keywords (kept in their stored input, so a re-render gives the same bytes),
 * anchoring the log in every copy that leaves the system.
 */
async function renderAll(
  ctx: Ctx,
  specs: { kind: Kind; employerId: number | null; filename: string; input: unknown }[],
) {
  const checkpoint = specs.some((s) => s.filename.endsWith(".pdf"))
    ? JSON.stringify(await writeCheckpoint(ctx.db, ctx.clock.now()))
    : null;
  const out: Rendered[] = [];
  for (const s of specs) {
    const pdf = s.filename.endsWith(".pdf");
    const input = pdf && checkpoint ? { ...(s.input as object), auditCheckpoint: checkpoint } : s.input;
    const content = await render(s.kind, input);
    out.push({
      ...s,
      input,
      contentType: pdf ? PDF : CSV,
      content,
      sha256: sha256OfBytes(content),
      sameAs: sameAsKey(s.kind, s.employerId, pdf ? contentKey(input) : sha256OfBytes(content)),
    });
  }
  return out;
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
async function store(ctx: Ctx, tx: Db, row: BallotRow, docs: Rendered[]): Promise<number[]> {
  const existing = await tx
    .selectFrom("ballot_documents")
    .select(["id", "sha256", "kind", "employer_id", "content_type"])
    // Only PDFs' inputs are read back (small); CSV annexes and the voter file compare by hash.
    .select((eb) =>
      eb.case().when("content_type", "=", PDF).then(eb.ref("input")).else(null).end().as("pdf_input"),
    )
    .where("ballot_id", "=", row.id)
    .execute();
  const known = new Map(
    existing.map((d) => [
      sameAsKey(d.kind, d.employer_id, d.content_type === PDF ? contentKey(d.pdf_input) : d.sha256),
      d.id,
    ]),
  );
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
    const inserted = await tx
      .insertInto("ballot_documents")
      .values(
        batch.map((d) => ({
          ballot_id: row.id,
          employer_id: d.employerId,
          kind: d.kind,
          filename: d.filename,
          content_type: d.contentType,
          content: d.content,
          sha256: d.sha256,
          input: JSON.stringify(d.input),
          electorate_hash: row.electorate_hash!,
          created_at: now,
          created_by: ctx.actor.userId,
        })),
      )
      .returning("id")
      .execute();
    ids.push(...inserted.map((r) => r.id));
  }
  return ids;
}

/**
 * Notices of ballot for every employer in the ballot, their CSV annexes and
 * the sample voting paper, from the frozen electorate. Refused while
 * pre-flight checks block.
 */
export async function generateBallotNotices(ctx: Ctx, id: number): Promise<DocumentDto[]> {
  authorize(ctx.actor, "ballots.manage");
  const { row, checks, entitled } = await runBallotPreflight(ctx, id);
  requireState(row, ["frozen", "notices_issued"], "generating notices");
  if (isBlocking(checks)) {
    const blocking = checks.filter((c) => c.severity === "block" && c.count > 0);
    throw new AppError(
      "ballots.preflight_blocked",
      `Pre-flight checks block the notices: ${blocking.map((c) => `${c.title} (${c.count})`).join("; ")}.`,
      { checks: blocking.map((c) => ({ code: c.code, count: c.count, citation: c.citation })) },
    );
  }
  const facts = await loadFacts(ctx, row, entitled);
  const issuedOn = ukDate(ctx.clock.now());
  const specs: { kind: Kind; employerId: number | null; filename: string; input: unknown }[] = [];
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
  specs.push({
    kind: "sample_paper",
    employerId: null,
    filename: `ballot-${id}-sample-voting-paper.pdf`,
    input: votingPaperInput(facts, issuedOn),
  });
  const rendered = await renderAll(ctx, specs);
  const ids = await withTx(ctx.db, async (tx) => {
    const stored = await store(ctx, tx, row, rendered);
    await tx
      .updateTable("ballots")
      .set({ state: "notices_issued", updated_at: ctx.clock.now() })
      .where("id", "=", id)
      .execute();
    await recordAudit({ ...ctx, db: tx }, "ballot.documents_generated", {
      subjectType: "ballot",
      subjectId: id,
      details: {
        kinds: ["ballot_notice", "sample_paper"],
        documents: rendered.length,
        electorate: row.electorate_hash,
      },
    });
    return stored;
  });
  return listDocuments(ctx, id, ids);
}

// ---------------------------------------------------------------------------
// Voter file

export async function generateVoterFile(ctx: Ctx, id: number): Promise<DocumentDto> {
  authorize(ctx.actor, "ballots.voter_file");
  const row = await loadBallotRow(ctx.db, ctx.actor.unionId, id);
  requireState(row, ["notices_issued", "open", "closed", "result_declared"], "producing the voter file");
  const blocked = statementBlock(row.opening_date, row.dismissal_statement_reviewed);
  if (blocked) throw new AppError("law.rule_unconfirmed", blocked, { rule: DISMISSAL_STATEMENT.id });
  // Data minimisation: the paper number, name and postal address of the entitled, nothing else.
  const entries = await ctx.db
    .selectFrom("ballot_electorate")
    .select(["paper_number", "name", "address_lines", "postcode"])
    .where("ballot_id", "=", id)
    .where("included", "=", true)
    .orderBy("paper_number")
    .execute();
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
  const contents = ruleAt(RESULT_CONTENTS, row.opening_date)!;
  const turnout = evaluation.tests.find((t) => t.name === "turnout");
  const support = evaluation.tests.filter((t) => t.name === "important_public_services_40");
  const employer = employerId ? facts.employers.get(employerId)! : null;
  const m = evaluation.mandatePeriod;
  return {
    union: facts.union,
    issuedOn,
    regime: evaluation.regime,
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
    mandateNote: m.lastDay
      ? `${m.rule} Last day: ${m.lastDay}${m.lastDayByAgreement ? ` (${m.lastDayByAgreement} if the employer agrees)` : ""}.`
      : m.rule,
    legal: [
      text(contents.summary, contents.citation, contents.unconfirmed),
      ...evaluation.tests.map((t) => text(t.rule, t.citation, t.unconfirmed)),
    ],
  };
}

async function declaredResult(db: Db, ballotId: number) {
  const result = await db
    .selectFrom("ballot_results")
    .selectAll()
    .where("ballot_id", "=", ballotId)
    .executeTakeFirstOrThrow();
  return { result, evaluation: result.evaluation as Evaluation };
}

export async function generateResultNotices(ctx: Ctx, id: number): Promise<DocumentDto[]> {
  authorize(ctx.actor, "ballots.manage");
  const row = await loadBallotRow(ctx.db, ctx.actor.unionId, id);
  requireState(row, ["result_declared"], "producing result notices");
  const { result, evaluation } = await declaredResult(ctx.db, id);
  const questions = result.questions as {
    question: string;
    yes: number;
    no: number;
    spoilt?: number | null;
  }[];
  const facts = await loadFacts(ctx, row);
  // s.231A: the result goes to every employer on the day it is known (Metrobus v Unite).
  const issuedOn = result.declared_on;
  const specs: { kind: Kind; employerId: number | null; filename: string; input: unknown }[] = [
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
  const rendered = await renderAll(ctx, specs);
  const ids = await withTx(ctx.db, async (tx) => {
    const stored = await store(ctx, tx, row, rendered);
    await recordAudit({ ...ctx, db: tx }, "ballot.documents_generated", {
      subjectType: "ballot",
      subjectId: id,
      details: { kinds: ["result_members", "result_employer"], documents: rendered.length },
    });
    return stored;
  });
  return listDocuments(ctx, id, ids);
}

// ---------------------------------------------------------------------------
// Notices of industrial action

export async function createActionNotices(
  ctx: Ctx,
  id: number,
  input: ActionNoticeInput,
): Promise<DocumentDto[]> {
  authorize(ctx.actor, "ballots.manage");
  const row = await loadBallotRow(ctx.db, ctx.actor.unionId, id);
  requireState(row, ["result_declared"], "giving notice of industrial action");
  const { result, evaluation } = await declaredResult(ctx.db, id);
  const fail = (message: string, details: Record<string, unknown> = {}): never => {
    throw new AppError("ballots.invalid", message, details);
  };
  const unsupported = input.kinds.filter((k) => !evaluation.mandateFor.includes(k));
  if (unsupported.length)
    fail(`The ballot gives no mandate for ${unsupported.join(" or ").replaceAll("_", " ")}.`);
  if (input.givenOn < result.declared_on) {
    fail(`Notice of action can be given only once the employer has the result (${result.declared_on}).`);
  }
  const period = ruleAt(ACTION_NOTICE_PERIOD, input.givenOn)!;
  const days =
    input.shorterNoticeAgreed && period.value.byAgreementDays !== null
      ? period.value.byAgreementDays
      : period.value.days;
  if (input.shorterNoticeAgreed && period.value.byAgreementDays !== null && !input.agreementEvidence.trim()) {
    fail("Record the evidence of the employer's agreement to the shorter notice period.");
  }
  const dates = input.continuous ? [input.startDate!] : [...new Set(input.dates)].sort();
  const earliest = addDays(input.givenOn, days);
  if (dates[0]! < earliest) {
    fail(
      `With notice given on ${input.givenOn}, the first day of action can be ${earliest} at the earliest (${period.summary})`,
      {
        earliest,
      },
    );
  }
  const m = evaluation.mandatePeriod;
  const lastDay = m.lastDay;
  if (lastDay) {
    const tooLate = m.period.kind === "begin_within" ? dates[0]! > lastDay : dates.some((d) => d > lastDay);
    if (tooLate) fail(`The mandate does not reach that far: ${m.rule} Last day ${lastDay}.`, { lastDay });
  }
  const facts = await loadFacts(ctx, row);
  const form = ruleAt(ACTION_NOTICE_FORM, input.givenOn)!;
  const mss = ruleAt(MINIMUM_SERVICE_STATEMENT, input.givenOn)!;
  const actions = input.kinds.map((kind) => ({
    kind,
    types: kind === "action_short_of_strike" ? row.action_short_types : [],
  }));
  const specs: { kind: Kind; employerId: number | null; filename: string; input: unknown }[] = [];
  for (const [employerId, figures] of [...facts.figures].sort((a, b) => a[0] - b[0])) {
    const employer = facts.employers.get(employerId)!;
    const lists = employeeLists(facts, employerId, figures, form.value);
    const timing = input.continuous
      ? { continuous: true as const, startDate: input.startDate!, actions }
      : { continuous: false as const, dates: dates.map((date) => ({ date, actions })) };
    const doc: ActionNoticeDoc = {
      union: facts.union,
      issuedOn: input.givenOn,
      regime: regimeAt(input.givenOn).id,
      reviewReasons: [
        ...facts.reviewReasons,
        ...(mss.value
          ? ["Where a relevant service is affected, state whether each day is a strike for s.234C purposes."]
          : []),
      ],
      ...lists,
      ...timing,
      employer: { name: employer.name, address: employer.address, registerCode: employer.registerCode },
      noticePeriodDays: days,
      noticePeriodStatement: text(period.summary, period.citation, period.unconfirmed),
      legal: [text(form.summary, form.citation, form.unconfirmed)],
      reference: `MANDATE-ACTION-${row.id}-${employerId}-${input.givenOn}`,
    };
    const base = `ballot-${id}-action-notice-${slug(employer.name)}-${employerId}`;
    specs.push({ kind: "action_notice", employerId, filename: `${base}.pdf`, input: doc });
    for (const annex of actionNoticeAnnexes(doc)) {
      specs.push({
        kind: "action_notice_annex",
        employerId,
        filename: `${base}-${annex.filename}`,
        input: annex,
      });
    }
  }
  const rendered = await renderAll(ctx, specs);
  const ids = await withTx(ctx.db, async (tx) => {
    await tx
      .insertInto("action_notices")
      .values({
        ballot_id: id,
        continuous: input.continuous,
        start_date: input.continuous ? input.startDate : null,
        dates: JSON.stringify(dates),
        kinds: input.kinds,
        given_on: input.givenOn,
        shorter_notice_agreed: input.shorterNoticeAgreed,
        agreement_evidence: input.agreementEvidence,
        created_at: ctx.clock.now(),
        created_by: ctx.actor.userId,
      })
      .execute();
    const stored = await store(ctx, tx, row, rendered);
    await recordAudit({ ...ctx, db: tx }, "ballot.action_notice_created", {
      subjectType: "ballot",
      subjectId: id,
      details: { givenOn: input.givenOn, firstDay: dates[0], days, documents: rendered.length },
    });
    return stored;
  });
  return listDocuments(ctx, id, ids);
}

// ---------------------------------------------------------------------------
// Listing, download, verification

export async function listDocuments(ctx: Ctx, ballotId: number, ids?: number[]): Promise<DocumentDto[]> {
  const grant = authorize(ctx.actor, "ballots.read");
  const { reach } = await loadVisibleBallot(ctx, grant, ballotId);
  let q = ctx.db
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
      "d.created_at",
      (eb) => eb.fn<number>("octet_length", ["d.content"]).as("bytes"),
    ])
    .where("d.ballot_id", "=", ballotId)
    .orderBy("d.kind")
    .orderBy("e.name")
    .orderBy("d.id");
  if (ids) q = q.where("d.id", "in", ids.length ? ids : [0]);
  if (grant.view === "aggregate") q = q.where("d.kind", "in", ["result_members"]);
  // The voter file (names and addresses) is listed only to those who may export it.
  if (!can(ctx.actor, "ballots.voter_file")) q = q.where("d.kind", "!=", "voter_file");
  // An employer's documents carry its figures: only for employers the reader reaches.
  q = q.where((eb) =>
    eb.or([eb("d.employer_id", "is", null), employerInReach(reach, ballotId, "d.employer_id")]),
  );
  const rows = await q.execute();
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
    createdAt: r.created_at.toISOString(),
  }));
}

export async function downloadDocument(
  ctx: Ctx,
  documentId: number,
): Promise<{ filename: string; contentType: string; content: Buffer; trail: ExportTrail }> {
  const grant = authorize(ctx.actor, "ballots.read");
  const doc = await ctx.db
    .selectFrom("ballot_documents as d")
    .innerJoin("ballots as b", "b.id", "d.ballot_id")
    .select(["d.id", "d.ballot_id", "d.kind", "d.employer_id", "d.filename", "d.content_type", "d.content"])
    .where("b.union_id", "=", grant.unionId)
    .where("d.id", "=", documentId)
    .where(ballotInReach(ballotReach(ctx.actor, grant), "b.id"))
    .executeTakeFirst();
  const reach = ballotReach(ctx.actor, grant);
  const employerSeen =
    !doc || doc.employer_id === null
      ? true
      : !!(await ctx.db
          .selectFrom("employers")
          .select("employers.id")
          .where("employers.id", "=", doc.employer_id)
          .where(employerInReach(reach, doc.ballot_id, "employers.id"))
          .executeTakeFirst());
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
  return { filename: doc.filename, contentType: doc.content_type, content, trail };
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
  const docs = await ctx.db
    .selectFrom("ballot_documents")
    .select(["id", "kind", "sha256", "input"])
    .where("ballot_id", "=", ballotId)
    .orderBy("id")
    .execute();
  const differing: number[] = [];
  for (const d of docs) {
    const again = await render(d.kind as Kind, d.input);
    if (sha256OfBytes(again) !== d.sha256) differing.push(d.id);
  }
  return { checked: docs.length, identical: docs.length - differing.length, differing };
}
