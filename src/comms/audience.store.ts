/**
 * Audiences and the one suppression rule (decisions/0027), as SQL over `members`. The rule is applied
 * when a send's ledger is written and again each time a message is claimed, so what happened since
 * (an opt-out, a bounce, a report of having voted, a member leaving) stops a message already queued.
 */
import { type Expression, type ExpressionBuilder, type RawBuilder, type SqlBool, sql } from "kysely";
import { type Grant, memberInScope } from "../auth/index.js";
import type { Database, Db } from "../db/database.js";
import type { Channel, Purpose, SegmentDefinition, SuppressionReason } from "./comms.model.js";

/** A definition whose ballot part is resolved to the constituencies (ballots) it means now. */
export interface ResolvedAudience {
  definition: SegmentDefinition;
  /** The ballots whose frozen electorates the audience is drawn from (null: no ballot part). */
  ballotIds: number[] | null;
  /**
   * Only the members whose first channel this is, for a statutory message sent once to each member
   * by the first channel that reaches them: email, else SMS, else a letter (result notices,
   * decisions/0030). A member reached by none falls to letters, whose rule says why not.
   */
  firstChannel?: Channel | null;
  /** The channels tried, in order (the installation's; default email, SMS, letter). */
  channelOrder?: Channel[] | null;
  /** Leave out members already sent a message by one of these sends (a later round of a notice). */
  notToldIn?: number[] | null;
  /**
   * A send of a notice's round: leave out members another send of the same round has written and
   * not given up on, so a member is told once per round even when the round's sends run at once.
   */
  roundOf?: { noticeId: number; sendId: number } | null;
}

export interface MessageRule {
  channel: Channel;
  purpose: Purpose;
  /** The ballot whose "voted" reports stop reminders (the send's ballot), if any. */
  ballotIds: number[] | null;
}

const NOTHING = sql<SqlBool>`false`;

/** The audience's own filters on `members` (the grant's reach is applied beside it). */
export function inAudience(a: ResolvedAudience) {
  return (eb: ExpressionBuilder<Database, "members">): Expression<SqlBool> => {
    const d = a.definition;
    const parts: Expression<SqlBool>[] = [eb("members.status", "in", d.memberStatuses)];
    if (d.regionIds) parts.push(eb("members.region_id", "in", d.regionIds));
    if (d.employerIds) parts.push(eb("members.employer_id", "in", d.employerIds));
    if (d.workplaceIds) parts.push(eb("members.workplace_id", "in", d.workplaceIds));
    if (d.languages) parts.push(eb("members.language", "in", d.languages));
    if (d.sectorIds) {
      parts.push(
        eb(
          "members.employer_id",
          "in",
          eb.selectFrom("employers").select("employers.id").where("employers.sector_id", "in", d.sectorIds),
        ),
      );
    }
    if (a.firstChannel)
      parts.push(firstChannelIs(a.firstChannel, a.channelOrder ?? ["email", "sms", "letter"]));
    if (a.notToldIn?.length) {
      parts.push(
        sql<SqlBool>`not exists (select 1 from comms_messages told where told.send_id in (${sql.join(a.notToldIn)})
          and told.member_id = members.id and told.state = 'sent')`,
      );
    }
    if (a.roundOf) {
      parts.push(
        sql<SqlBool>`not exists (select 1 from comms_messages other join result_notice_sends rs on rs.send_id = other.send_id
          where rs.notice_id = ${a.roundOf.noticeId} and other.send_id <> ${a.roundOf.sendId}
          and other.member_id = members.id and other.state in ('pending', 'sending', 'sent'))`,
      );
    }
    if (a.ballotIds !== null) {
      if (!a.ballotIds.length) return NOTHING;
      parts.push(
        sql<SqlBool>`exists (select 1 from ballot_electorate e where e.ballot_id in (${sql.join(a.ballotIds)})
          and e.member_id = members.id and e.included)`,
      );
      const turnout = d.ballot?.turnout ?? "any";
      if (turnout !== "any") {
        const voted = sql<SqlBool>`exists (select 1 from turnout_self_reports r where r.ballot_id in (${sql.join(a.ballotIds)})
          and r.member_id = members.id and r.kind = 'voted')`;
        parts.push(turnout === "reported_voting" ? voted : sql<SqlBool>`not ${voted}`);
      }
    }
    return eb.and(parts);
  };
}

/** A statutory message on this channel would reach the member (`members`) now. */
function reachesBy(channel: Channel): RawBuilder<SqlBool> {
  return sql<SqlBool>`(${suppressionReason({ channel, purpose: "statutory", ballotIds: null })} is null)`;
}

/**
 * The member's first channel, in this order, that a statutory message reaches is this one; the last
 * channel (letters) takes everyone no earlier one reaches.
 */
function firstChannelIs(channel: Channel, order: readonly Channel[]): RawBuilder<SqlBool> {
  const at = order.indexOf(channel);
  if (at < 0) return NOTHING;
  const earlier = order.slice(0, at).map((c) => sql<SqlBool>`not ${reachesBy(c)}`);
  const parts = at === order.length - 1 ? earlier : [...earlier, reachesBy(channel)];
  return parts.length ? sql<SqlBool>`(${sql.join(parts, sql` and `)})` : sql<SqlBool>`true`;
}

/** The member's address on the channel now (null when none). */
export function addressSql(channel: Channel): RawBuilder<string | null> {
  switch (channel) {
    case "email":
      return sql<string | null>`nullif(btrim(members.email), '')`;
    case "sms":
      return sql<string | null>`nullif(btrim(members.mobile), '')`;
    case "letter":
      return LETTER_ADDRESS;
  }
}

const blank = (v: RawBuilder<unknown>) => sql`coalesce(btrim(${v}, E' \t\r\n'), '') = ''`;
const line = (column: "address_line1" | "address_line2" | "town") =>
  sql`nullif(btrim(${sql.ref(`members.${column}`)}, E' \t\r\n'), '')`;

/**
 * The postal address a letter goes to, as the electorate freeze builds it (ballots/freeze.store.ts):
 * the address the member asked in writing to be used (s.230(2)) when it is not blank, its lines split
 * at line breaks and commas, trimmed, blank ones dropped, at most four, with its postcode; else the
 * home address's non-blank lines and postcode. One text, a line each, the postcode last. A letter
 * needs a postcode and a line: without them the member has no address on this channel.
 */
const LETTER_ADDRESS = sql<string | null>`(case
    when not ${blank(sql`members.postal_address`)} then
      case when ${blank(sql`members.postal_postcode`)} then null
      else array_to_string(array(
          select btrim(p.part, E' \t\r\n')
          from unnest(regexp_split_to_array(members.postal_address, '\r?\n|,')) with ordinality as p(part, n)
          where btrim(p.part, E' \t\r\n') <> ''
          order by p.n limit 4), E'\n') || E'\n' || btrim(members.postal_postcode, E' \t\r\n')
      end
    when ${blank(sql`members.home_postcode`)}
      or coalesce(${line("address_line1")}, ${line("address_line2")}, ${line("town")}) is null then null
    else concat_ws(E'\n', ${line("address_line1")}, ${line("address_line2")}, ${line("town")},
      btrim(members.home_postcode, E' \t\r\n'))
  end)`;

/**
 * Why the member of the row (`members`) gets no message of this kind on this channel, or null: the
 * first reason that applies, in this order. Explicit suppressions apply to the address they name, or
 * to every address of the member on the channel. Unsubscribing is from campaign messages: statutory
 * and service messages (the result, s.231) still go (decisions/0030); a STOP, a bounce or an
 * officer's suppression stops them too.
 */
export function suppressionReason(rule: MessageRule): RawBuilder<SuppressionReason | null> {
  const address = addressSql(rule.channel);
  const campaign =
    rule.purpose === "campaign" || rule.purpose === "persuasion" || rule.purpose === "reminder";
  const consent =
    rule.channel === "email"
      ? sql`members.consent_email`
      : rule.channel === "sms"
        ? sql`members.consent_sms`
        : sql`true`;
  const voted =
    rule.purpose === "reminder" && rule.ballotIds?.length
      ? sql`when exists (select 1 from turnout_self_reports r where r.ballot_id in (${sql.join(rule.ballotIds)})
          and r.member_id = members.id and r.kind = 'voted') then 'reported_voting'`
      : sql``;
  const opposed =
    rule.purpose === "persuasion"
      ? sql`when (select p.opposed_in_principle from member_positions p where p.member_id = members.id
          order by p.recorded_at desc, p.id desc limit 1) is true then 'opposed_in_principle'`
      : sql``;
  return sql<SuppressionReason | null>`coalesce(
      case when members.status in ('left', 'deceased') then 'left' when ${address} is null then 'no_address' end,
      (select s.reason from comms_suppressions s where s.member_id = members.id and s.lifted_at is null
        and s.channel in (${rule.channel}, 'all') and (s.address is null or s.address = ${address})
        ${campaign ? sql`` : sql`and s.reason <> 'unsubscribed'`}
        order by s.id limit 1),
      case ${campaign ? sql`when not ${consent} then 'no_consent'` : sql`when false then null`} ${voted} ${opposed} end
    )`;
}

/** How many members an audience holds in the grant's reach, and why those not reachable are not. */
export async function countAudience(db: Db, grant: Grant, a: ResolvedAudience, rule: MessageRule) {
  return db
    .selectFrom("members")
    .select([
      sql<SuppressionReason | null>`${suppressionReason(rule)}`.as("reason"),
      "members.language",
      sql<number>`count(*)::int`.as("n"),
    ])
    .where(memberInScope(grant))
    .where(inAudience(a))
    .groupBy([sql`1`, "members.language"])
    .execute();
}
