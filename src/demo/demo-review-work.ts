/**
 * Work for the demo union's review queues, so a newcomer sees the matching
 * and de-duplication workflows with something in them: members whose
 * employer text the matcher could not settle (with its candidates), and
 * records that may be one person under two membership numbers. Made by the
 * real engines from the seeded members, deterministic by seed, and kept away
 * from the demo ballot's employers so its frozen electorate stays as it was.
 */
import { sql } from "kysely";
import type { Ctx } from "../context.js";
import { generateVariants, matchOrganisation, seededRandom } from "../matching/index.js";
import {
  comparePeople,
  DEFAULT_CERTAIN_AT,
  DEFAULT_REVIEW_AT,
  loadMatchIndex,
  loadRegisterEntries,
  matchKey,
  type OrgStringMatch,
  resolveOrgStrings,
} from "../members/index.js";

/** Distinct employer texts left for review, and pairs of records offered as possible duplicates. */
const REVIEW_STRINGS = 12;
const DUPLICATE_PAIRS = 9;

export interface DemoReviewWork {
  orgStrings: number;
  members: number;
  duplicateGroups: { linked: number; review: number };
}

export async function seedDemoReviewWork(
  ctx: Ctx,
  options: { seed: number; avoidEmployerIds: readonly number[] },
): Promise<DemoReviewWork> {
  const unionId = ctx.actor.unionId;
  const rand = seededRandom(options.seed ^ 0x2f6b1d3);
  const avoid = new Set(options.avoidEmployerIds);
  const candidates = await ctx.db
    .selectFrom("members")
    .select([
      "id",
      "employer_id",
      "membership_number",
      "forenames",
      "surname",
      "date_of_birth",
      "home_postcode",
      "email",
      "mobile",
    ])
    .where("union_id", "=", unionId)
    .where("status", "=", "active")
    .where("employer_id", "is not", null)
    .orderBy("id")
    .execute();
  const pool = candidates.filter((m) => !avoid.has(m.employer_id!));
  const used = new Set<number>();

  // 1. Employer texts the matcher sends to review, written by members of the employer they mean.
  const entries = await loadRegisterEntries(ctx.db, unionId);
  const index = await loadMatchIndex(ctx.db, unionId);
  const byEmployer = new Map<number, typeof pool>();
  for (const m of pool) {
    const list = byEmployer.get(m.employer_id!);
    if (list) list.push(m);
    else byEmployer.set(m.employer_id!, [m]);
  }
  const variants = entries.length
    ? generateVariants(entries, { seed: options.seed, count: 600 }).filter(
        (v) => v.employerId !== null && byEmployer.has(v.employerId),
      )
    : [];
  const chosen = new Map<
    string,
    { employerText: string | null; workplaceText: string | null; memberIds: number[] }
  >();
  for (const v of variants) {
    if (chosen.size >= REVIEW_STRINGS) break;
    const key = matchKey(v.query.employer, v.query.workplace);
    if (chosen.has(key)) continue;
    const result = matchOrganisation(index, v.query);
    if (result.status !== "review" || result.candidates.length === 0) continue;
    const free = byEmployer.get(v.employerId!)!.filter((m) => !used.has(m.id));
    const take = free.slice(0, 1 + Math.floor(rand() * 4));
    if (!take.length) continue;
    for (const m of take) used.add(m.id);
    chosen.set(key, {
      employerText: v.query.employer,
      workplaceText: v.query.workplace,
      memberIds: take.map((m) => m.id),
    });
  }
  const cache = new Map<string, OrgStringMatch>();
  await resolveOrgStrings(
    ctx.db,
    unionId,
    async () => index,
    cache,
    [...chosen].map(([key, c]) => ({
      key,
      employerText: c.employerText,
      workplaceText: c.workplaceText,
      postcode: null,
    })),
  );
  let members = 0;
  for (const [key, c] of chosen) {
    const org = cache.get(key)!;
    // Until a reviewer decides, the member's employer is not known: as an import leaves them.
    await ctx.db
      .updateTable("members")
      .set({
        employer_text: c.employerText,
        workplace_text: c.workplaceText,
        org_string_id: org.id,
        employer_id: org.employerId,
        workplace_id: org.workplaceId,
      })
      .where("id", "in", c.memberIds)
      .execute();
    await sql`update member_history set employer_id = ${org.employerId}, workplace_id = ${org.workplaceId}
      where member_id = any(${c.memberIds}::int[]) and valid_to is null`.execute(ctx.db);
    members += c.memberIds.length;
  }

  // 2. One person under two numbers: a second record takes the first's details, with the slips membership systems make.
  const free = pool.filter((m) => !used.has(m.id));
  const duplicateGroups = { linked: 0, review: 0 };
  for (let i = 0; i < DUPLICATE_PAIRS && free.length >= 2; i++) {
    const a = free.splice(Math.floor(rand() * free.length), 1)[0]!;
    const b = free.splice(Math.floor(rand() * free.length), 1)[0]!;
    const kind = i % 3;
    const copy = {
      forenames: a.forenames,
      surname: kind === 1 ? swapLetters(a.surname, rand) : a.surname,
      date_of_birth: kind === 2 ? null : a.date_of_birth,
      home_postcode: kind === 1 ? b.home_postcode : a.home_postcode,
      email: kind === 0 ? a.email : null,
      mobile: kind === 0 ? a.mobile : b.mobile,
    };
    const pair = comparePeople(person(a), person({ ...b, ...copy }));
    if (pair.probability < DEFAULT_REVIEW_AT) continue;
    const status = pair.probability >= DEFAULT_CERTAIN_AT ? "linked" : "review";
    const group = await ctx.db
      .insertInto("duplicate_groups")
      .values({
        union_id: unionId,
        status,
        confidence: pair.probability,
        evidence: JSON.stringify(pair.evidence),
        created_at: ctx.clock.now(),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await ctx.db.updateTable("members").set(copy).where("id", "=", b.id).execute();
    await ctx.db
      .updateTable("members")
      .set({ duplicate_group_id: group.id })
      .where("id", "in", [a.id, b.id])
      .execute();
    duplicateGroups[status]++;
  }
  return { orgStrings: chosen.size, members, duplicateGroups };
}

function person(m: {
  id: number;
  membership_number: string;
  forenames: string;
  surname: string;
  date_of_birth: string | null;
  home_postcode: string | null;
  email: string | null;
  mobile: string | null;
}) {
  return {
    key: String(m.id),
    membershipNumber: m.membership_number,
    forenames: m.forenames,
    surname: m.surname,
    dateOfBirth: m.date_of_birth,
    postcode: m.home_postcode,
    email: m.email,
    mobile: m.mobile,
  };
}

/** "Smtih" for "Smith": two neighbouring letters swapped, as typists do. */
function swapLetters(text: string, rand: () => number): string {
  if (text.length < 4) return text;
  const i = 1 + Math.floor(rand() * (text.length - 3));
  return text.slice(0, i) + text[i + 1] + text[i] + text.slice(i + 2);
}
