import { recordAudit } from "../audit/index.js";
import { authorize } from "../auth/index.js";
import type { Ctx } from "../context.js";
import { bumpCountsVersion } from "../counts/index.js";
import type { Db } from "../db/database.js";
import { withTx } from "../db/tx.js";
import {
  buildMatchIndex,
  type MatchIndex,
  type MatchResult,
  matchOrganisation,
  normaliseOrganisationName,
  type RegisterEntry,
} from "../matching/index.js";
import { ukDate } from "../shared/clock.js";
import { AppError } from "../shared/errors.js";
import { recordEmploymentChanges } from "./member-history.store.js";
import {
  addReviewerAlias,
  closedEmployers,
  decidedStrings,
  employerNamesOf,
  employerOfUnion,
  knownStrings,
  moveStringMembers,
  recordStringDecision,
  registerRows,
  selectOrgString,
  selectStringsPage,
  upsertStrings,
  workplaceEmployer,
  workplaceNamesOf,
} from "./org-strings.store.js";

/**
 * The distinct employer/workplace strings members wrote, each matched once
 * against the registers. A string's match (automatic, or a reviewer's
 * decision) applies to every member who wrote it; reviewers' decisions are
 * kept as aliases so later imports reuse them.
 */
export function matchKey(employerText: string | null, workplaceText: string | null): string {
  return `${normaliseOrganisationName(employerText ?? "")}|${normaliseOrganisationName(workplaceText ?? "")}`;
}

/** Builds the matcher over the union's employers, workplaces and aliases. */
export async function loadMatchIndex(db: Db, unionId: number): Promise<MatchIndex> {
  return buildMatchIndex(await loadRegisterEntries(db, unionId));
}

/**
 * The union's employers and workplaces, with their aliases and codes, as the
 * matcher sees them: with the dates employers opened and closed, the
 * successors of closed ones, and sites' towns, so a match can be as at the
 * member's date.
 */
export async function loadRegisterEntries(db: Db, unionId: number): Promise<RegisterEntry[]> {
  const [employers, workplaces, aliases, successions] = await registerRows(db, unionId);
  const successorsOf = new Map<number, number[]>();
  for (const s of successions)
    successorsOf.set(s.employer_id, [...(successorsOf.get(s.employer_id) ?? []), s.successor_id]);
  const employerName = new Map(employers.map((e) => [e.id, e.name]));
  const employerClosed = new Map(employers.map((e) => [e.id, e.closed_on]));
  const aliasesOf = new Map<string, { text: string; kind: RegisterEntry["aliases"][number]["kind"] }[]>();
  for (const a of aliases) {
    const key = `${a.employer_id}:${a.workplace_id ?? ""}`;
    const list = aliasesOf.get(key) ?? [];
    list.push({ text: a.alias, kind: a.kind as RegisterEntry["aliases"][number]["kind"] });
    aliasesOf.set(key, list);
  }
  const entries: RegisterEntry[] = [
    ...employers.map((e) => ({
      employerId: e.id,
      workplaceId: null,
      name: e.name,
      employerName: e.name,
      aliases: aliasesOf.get(`${e.id}:`) ?? [],
      postcode: null,
      openedOn: e.opened_on,
      closedOn: e.closed_on,
      successorIds: successorsOf.get(e.id) ?? [],
      codes: [
        e.ods_code,
        e.gss_code,
        e.dfe_urn,
        e.dfe_group_id,
        e.la_code,
        e.local_code,
        e.companies_house_number,
      ].filter((c): c is string => !!c),
    })),
    ...workplaces.map((w) => ({
      employerId: w.employer_id,
      workplaceId: w.id,
      name: w.name,
      employerName: employerName.get(w.employer_id) ?? "",
      aliases: aliasesOf.get(`${w.employer_id}:${w.id}`) ?? [],
      postcode: w.postcode,
      town: w.town,
      // A site of a merged trust, kept under the old trust: closed with it, so the date picks the trust that ran it.
      closedOn: w.closed_on ?? employerClosed.get(w.employer_id) ?? null,
      codes: w.site_code ? [w.site_code] : [],
    })),
  ];
  return entries;
}

export interface OrgStringMatch {
  id: number;
  status: "auto" | "reviewed" | "review" | "unmatched";
  employerId: number | null;
  workplaceId: number | null;
  confidence: number | null;
}

/**
 * Finds or creates the org string for each distinct key, matching new ones.
 * Known strings keep their status: a reviewer's decision is never overwritten
 * by a later automatic match.
 *
 * `asOf` is the members' date (ISO). A string whose match depends on it, one
 * with an abolished employer among its candidates, is kept once per period,
 * from one of those employers' closing dates to the next (its match_key
 * suffixed "@" and the date the period starts, "@" alone before the first);
 * every other string is kept once, as without a date. `cache` is keyed by
 * matchKey and holds the matches of one date: one per call of the import.
 * Without `asOf`, strings are matched as the register stands now.
 */
export async function resolveOrgStrings(
  db: Db,
  unionId: number,
  index: () => Promise<MatchIndex>,
  cache: Map<string, OrgStringMatch>,
  wanted: {
    key: string;
    employerText: string | null;
    workplaceText: string | null;
    postcode: string | null;
  }[],
  asOf: string | null = null,
): Promise<void> {
  const missing = wanted.filter((w) => !cache.has(w.key));
  if (!missing.length) return;
  const keys = [...new Set(missing.map((m) => m.key))];
  const known = await knownStrings(db, unionId, keys);
  const closedOn =
    asOf === null ? new Map<number, string>() : await closingDates(db, unionId, known.map(storedCandidates));
  const chosen = new Map<string, { row: (typeof known)[number]; rank: string }>();
  for (const k of known) {
    const textKey = k.text_key ?? k.match_key;
    const from = k.match_key === textKey ? null : k.match_key.slice(textKey.length + 1);
    let rank: string | null;
    if (asOf === null) rank = from === null ? "" : null;
    else {
      const dates = periodDates(storedCandidates(k), closedOn);
      const since = from ?? "";
      const valid =
        (from === null && k.decided_by !== null) ||
        (since <= asOf && !dates.some((d) => d > since && d <= asOf));
      // A reviewer's decision first, then the latest period.
      rank = valid ? `${k.decided_by !== null ? 1 : 0}${from ?? ""}` : null;
    }
    const current = chosen.get(textKey);
    if (rank !== null && (!current || rank > current.rank)) chosen.set(textKey, { row: k, rank });
  }
  for (const [textKey, { row: k }] of chosen) {
    cache.set(textKey, {
      id: k.id,
      status: k.status as OrgStringMatch["status"],
      employerId: k.employer_id,
      workplaceId: k.workplace_id,
      confidence: k.confidence,
    });
  }
  const fresh = new Map<string, (typeof missing)[number]>();
  for (const m of missing) if (!cache.has(m.key) && !fresh.has(m.key)) fresh.set(m.key, m);
  if (!fresh.size) return;
  const matcher = await index();
  const matched = [...fresh.values()].map((m) => {
    const result: MatchResult = matchOrganisation(matcher, {
      employer: m.employerText,
      workplace: m.workplaceText,
      postcode: m.postcode,
      asOf,
    });
    // Every successor of a split employer stays before the reviewer, however many.
    const candidates = result.candidates.filter(
      (c, i) => i < 5 || c.evidence.some((e) => e.startsWith("successor of ")),
    );
    return { m, result, candidates };
  });
  const closedNow =
    asOf === null
      ? new Map<number, string>()
      : await closingDates(
          db,
          unionId,
          matched.map((x) => x.candidates),
        );
  const rows = matched.map(({ m, result, candidates }) => {
    let matchKey = m.key;
    if (asOf !== null) {
      const dates = periodDates(candidates, closedNow);
      if (dates.length) matchKey = `${m.key}@${dates.filter((d) => d <= asOf).at(-1) ?? ""}`;
    }
    return {
      union_id: unionId,
      match_key: matchKey,
      text_key: m.key,
      employer_text: m.employerText ?? "",
      workplace_text: m.workplaceText ?? "",
      status: result.status,
      employer_id: result.status === "auto" ? (result.best?.employerId ?? null) : null,
      workplace_id: result.status === "auto" ? (result.best?.workplaceId ?? null) : null,
      confidence: result.confidence,
      reason: result.reason,
      candidates,
    };
  });
  // A period's row can exist already (made before the register changed): the new match replaces
  // an automatic one, never a reviewer's decision.
  const inserted = await upsertStrings(db, rows);
  const idByKey = new Map(inserted.rows.map((r) => [r.match_key, r.id]));
  const kept = rows.filter((r) => !idByKey.has(r.match_key)).map((r) => r.match_key);
  const decided = kept.length ? await decidedStrings(db, unionId, kept) : [];
  const decidedByKey = new Map(decided.map((d) => [d.match_key, d]));
  for (const r of rows) {
    const d = decidedByKey.get(r.match_key);
    cache.set(r.text_key, {
      id: d?.id ?? idByKey.get(r.match_key)!,
      status: (d?.status as OrgStringMatch["status"] | undefined) ?? r.status,
      employerId: d ? d.employer_id : r.employer_id,
      workplaceId: d ? d.workplace_id : r.workplace_id,
      confidence: d ? d.confidence : r.confidence,
    });
  }
}

type StoredCandidate = { employerId: number; evidence?: string[] };

function storedCandidates(row: { candidates: unknown }): StoredCandidate[] {
  return Array.isArray(row.candidates) ? (row.candidates as StoredCandidate[]) : [];
}

/** Closing dates of the closed employers among these candidates. */
async function closingDates(
  db: Db,
  unionId: number,
  lists: StoredCandidate[][],
): Promise<Map<number, string>> {
  const ids = [...new Set(lists.flat().map((c) => c.employerId))];
  const out = new Map<number, string>();
  for (let i = 0; i < ids.length; i += 5000) {
    const rows = await closedEmployers(db, unionId, ids.slice(i, i + 5000));
    for (const r of rows) out.set(r.id, r.closed_on!);
  }
  return out;
}

/**
 * The dates on which a string's match can change: its candidates' closing
 * dates, and those of abolished employers its match was moved on from
 * (named in the evidence). Sorted.
 */
function periodDates(candidates: StoredCandidate[], closedOn: Map<number, string>): string[] {
  const dates = new Set<string>();
  for (const c of candidates) {
    const d = closedOn.get(c.employerId);
    if (d) dates.add(d);
    for (const e of c.evidence ?? [])
      for (const m of e.matchAll(/abolished (\d{4}-\d{2}-\d{2})/g)) dates.add(m[1]!);
  }
  return [...dates].sort();
}

export type OrgDecision =
  | { action: "accept" }
  | { action: "choose"; employerId: number; workplaceId: number | null }
  | { action: "unknown" };

/**
 * A reviewer's decision on a string: accept the top candidate, choose another
 * employer (and workplace), or mark it unknown. Applied to every member with
 * that string, remembered as an alias, audited.
 */
export async function decideOrgString(
  ctx: Ctx,
  id: number,
  decision: OrgDecision,
): Promise<{ membersUpdated: number }> {
  const grant = authorize(ctx.actor, "org.write");
  return withTx(ctx.db, async (tx) => {
    const s = await selectOrgString(tx, grant.unionId, id);
    if (!s) throw new AppError("org.not_found", `No employer string ${id}.`);
    let employerId: number | null = null;
    let workplaceId: number | null = null;
    if (decision.action === "accept") {
      const best = (s.candidates as { employerId: number; workplaceId: number | null }[])[0];
      if (!best)
        throw new AppError("request.invalid", "This string has no candidate to accept; choose an employer.");
      employerId = best.employerId;
      workplaceId = best.workplaceId;
    } else if (decision.action === "choose") {
      const e = await employerOfUnion(tx, grant.unionId, decision.employerId);
      if (!e) throw new AppError("employers.not_found", `No employer ${decision.employerId}.`);
      if (decision.workplaceId !== null) {
        const w = await workplaceEmployer(tx, grant.unionId, decision.workplaceId);
        if (!w || w.employer_id !== decision.employerId)
          throw new AppError(
            "workplaces.wrong_employer",
            "That workplace is not one of the chosen employer's.",
          );
      }
      employerId = decision.employerId;
      workplaceId = decision.workplaceId;
    }
    const status = decision.action === "unknown" ? "unmatched" : "reviewed";
    await recordStringDecision(tx, id, {
      status,
      employerId,
      workplaceId,
      confidence: decision.action === "unknown" ? null : 1,
      decidedBy: ctx.actor.userId,
      now: ctx.clock.now(),
    });
    if (employerId !== null) {
      const texts = [s.employer_text, s.workplace_text].filter((t) => t.trim().length > 0);
      for (const text of texts) {
        await addReviewerAlias(tx, {
          unionId: grant.unionId,
          employerId,
          workplaceId: text === s.workplace_text ? workplaceId : null,
          alias: text,
          normalised: normaliseOrganisationName(text),
          source: `decision on string ${id}`,
        });
      }
    }
    // The region follows the decided workplace (else employer), as a move of a member does, so the
    // members land with the officer of the region they work in, not where an old guess put them.
    const updated = await moveStringMembers(tx, grant.unionId, id, {
      employerId,
      workplaceId,
      now: ctx.clock.now(),
    });
    await recordEmploymentChanges(
      tx,
      updated.map((m) => m.id),
      ukDate(ctx.clock.now()),
    );
    await bumpCountsVersion(tx, grant.unionId);
    await recordAudit({ ...ctx, db: tx }, "org_string.decided", {
      subjectType: "org_string",
      subjectId: id,
      details: { action: decision.action, employerId, workplaceId, members: updated.length },
    });
    return { membersUpdated: updated.length };
  });
}

export interface OrgStringDto {
  id: number;
  employerText: string;
  workplaceText: string;
  status: "auto" | "reviewed" | "review" | "unmatched";
  employerId: number | null;
  employerName: string | null;
  workplaceId: number | null;
  workplaceName: string | null;
  confidence: number | null;
  reason: string | null;
  candidates: {
    employerId: number;
    workplaceId: number | null;
    name: string;
    employerName: string;
    workplaceName: string | null;
    confidence: number;
    evidence: string[];
    closed: boolean;
  }[];
  members: number;
}

/** The review queue: distinct strings with the number of members who wrote each, largest first. */
export async function listOrgStrings(
  ctx: Ctx,
  query: { status?: OrgStringDto["status"]; search?: string; page: number; pageSize: number },
): Promise<{
  items: OrgStringDto[];
  total: number;
  page: number;
  pageSize: number;
  counts: Record<string, number>;
}> {
  const grant = authorize(ctx.actor, "org.write");
  const [rows, total, counts] = await selectStringsPage(ctx.db, grant.unionId, query);
  // Candidates name the employer and the workplace separately: "Town Hall" alone says little.
  type Stored = {
    employerId: number;
    workplaceId: number | null;
    name: string;
    confidence: number;
    evidence: string[];
    closed: boolean;
  };
  const stored = rows.flatMap((r) => r.candidates as Stored[]);
  const employerIds = [...new Set(stored.map((c) => c.employerId))];
  const workplaceIds = [...new Set(stored.flatMap((c) => (c.workplaceId === null ? [] : [c.workplaceId])))];
  const [employerNames, workplaceNames] = await Promise.all([
    employerIds.length ? employerNamesOf(ctx.db, employerIds) : [],
    workplaceIds.length ? workplaceNamesOf(ctx.db, workplaceIds) : [],
  ]);
  const employerName = new Map(employerNames.map((e) => [e.id, e.name]));
  const workplaceName = new Map(workplaceNames.map((w) => [w.id, w.name]));
  return {
    items: rows.map((r) => ({
      id: r.id,
      employerText: r.employer_text,
      workplaceText: r.workplace_text,
      status: r.status as OrgStringDto["status"],
      employerId: r.employer_id,
      employerName: r.employer_name,
      workplaceId: r.workplace_id,
      workplaceName: r.workplace_name,
      confidence: r.confidence,
      reason: r.reason,
      candidates: [...(r.candidates as Stored[])]
        .sort((x, y) => y.confidence - x.confidence)
        .map((c) => ({
          ...c,
          employerName: employerName.get(c.employerId) ?? c.name,
          workplaceName: c.workplaceId === null ? null : (workplaceName.get(c.workplaceId) ?? null),
        })),
      members: Number(r.members),
    })),
    total: Number(total.n),
    page: query.page,
    pageSize: query.pageSize,
    counts: Object.fromEntries(counts.map((c) => [c.status, Number(c.n)])),
  };
}
