/**
 * Contact records in the shape of the Open Supporter Data Interface canvass
 * (https://opensupporter.github.io/osdi-docs/canvasses.html), so they can be
 * exchanged with other organising tools. Pure: no I/O.
 *
 * Mapping (decisions/0023):
 * - action_date: when the contact happened (ISO 8601, UTC);
 * - contact_type: conversation "in-person", phone "phone" (also read: "phoneCall"), text "text", email "email";
 * - input_type: "mobile" (logged on the rep's screen);
 * - success: true for "reached" only; status_code: reached "success" (also read: empty), not in "not-home",
 *   wrong number "wrong-number", refused "refused", moved "moved";
 * - target: the member, identified by membership number ("mandate_member:<number>"); canvasser: the rep
 *   ("mandate_user:<id>");
 * - answers: the member's own report, as one answer to the question "ballot_return" (voted, will_vote,
 *   wont_vote, needs_replacement, wrong_address). Never how anyone voted.
 */
import { z } from "zod";
import type { ContactType, Outcome } from "./canvass.model.js";

const CONTACT_TYPE_OUT: Record<ContactType, string> = {
  conversation: "in-person",
  phone: "phone",
  text: "text",
  email: "email",
};
const CONTACT_TYPE_IN: Record<string, ContactType> = {
  "in-person": "conversation",
  phone: "phone",
  phonecall: "phone",
  text: "text",
  sms: "text",
  email: "email",
};
const STATUS_OUT: Record<Outcome, string> = {
  reached: "success",
  not_in: "not-home",
  wrong_number: "wrong-number",
  refused: "refused",
  moved: "moved",
};
const STATUS_IN: Record<string, Outcome> = {
  "": "reached",
  success: "reached",
  "not-home": "not_in",
  "wrong-number": "wrong_number",
  refused: "refused",
  moved: "moved",
};
export const REPORT_QUESTION = "ballot_return";
const REPORTS = ["voted", "will_vote", "wont_vote", "needs_replacement", "wrong_address"] as const;
type Report = (typeof REPORTS)[number];

export interface ContactRecord {
  id: number;
  membershipNumber: string;
  repUserId: number | null;
  contactType: ContactType;
  outcome: Outcome;
  report: Report | null;
  occurredAt: Date;
}

export interface OsdiCanvass {
  identifiers: string[];
  origin_system: string;
  action_date: string;
  contact_type: string;
  input_type: string;
  success: boolean;
  status_code: string;
  target: { identifiers: string[] };
  canvasser?: { identifiers: string[] };
  answers?: { question: string; responses: string[] }[];
}

export const ORIGIN_SYSTEM = "Mandate";

export function toOsdi(record: ContactRecord): OsdiCanvass {
  return {
    identifiers: [`mandate_contact:${record.id}`],
    origin_system: ORIGIN_SYSTEM,
    action_date: record.occurredAt.toISOString(),
    contact_type: CONTACT_TYPE_OUT[record.contactType],
    input_type: "mobile",
    success: record.outcome === "reached",
    status_code: STATUS_OUT[record.outcome],
    target: { identifiers: [`mandate_member:${record.membershipNumber}`] },
    ...(record.repUserId !== null
      ? { canvasser: { identifiers: [`mandate_user:${record.repUserId}`] } }
      : {}),
    ...(record.report ? { answers: [{ question: REPORT_QUESTION, responses: [record.report] }] } : {}),
  };
}

const OsdiIn = z.object({
  action_date: z.string().datetime({ offset: true }),
  contact_type: z.string().max(40),
  success: z.boolean().optional(),
  status_code: z.string().max(40).optional(),
  target: z.object({ identifiers: z.array(z.string().max(200)).min(1).max(20) }),
  answers: z
    .array(z.object({ question: z.string().max(100), responses: z.array(z.string().max(100)).max(10) }))
    .max(20)
    .optional(),
});

export interface ParsedCanvass {
  membershipNumber: string;
  contactType: ContactType;
  outcome: Outcome;
  report: Report | null;
  occurredAt: Date;
}

/** Reads one OSDI canvass from another system; every problem is named by field. */
export function fromOsdi(value: unknown): { canvass: ParsedCanvass } | { problems: string[] } {
  const parsed = OsdiIn.safeParse(value);
  if (!parsed.success) {
    return { problems: parsed.error.issues.map((i) => `${i.path.join(".") || "(record)"}: ${i.message}`) };
  }
  const v = parsed.data;
  const problems: string[] = [];
  const contactType = CONTACT_TYPE_IN[v.contact_type.toLowerCase()];
  if (!contactType) problems.push(`contact_type: "${v.contact_type}" is not one Mandate records`);
  const status = v.status_code ?? "";
  let outcome = STATUS_IN[status.toLowerCase()];
  if (status === "" && v.success === false) outcome = undefined;
  if (!outcome) problems.push(`status_code: "${status}" is not one Mandate records`);
  if (outcome && v.success !== undefined && v.success !== (outcome === "reached")) {
    problems.push(`success: ${v.success} contradicts status_code "${status}"`);
  }
  const member = v.target.identifiers.find((i) => i.startsWith("mandate_member:"));
  const membershipNumber = member?.slice("mandate_member:".length) ?? "";
  if (!membershipNumber) problems.push("target.identifiers: no mandate_member identifier");
  const responses = v.answers?.find((a) => a.question === REPORT_QUESTION)?.responses ?? [];
  if (responses.length > 1) problems.push(`answers: more than one response to ${REPORT_QUESTION}`);
  const report = responses[0] ?? null;
  if (report !== null && !(REPORTS as readonly string[]).includes(report)) {
    problems.push(`answers: "${report}" is not a report Mandate records`);
  }
  if (report !== null && outcome && outcome !== "reached") {
    problems.push("answers: a report needs the member to have been reached");
  }
  if (problems.length || !contactType || !outcome) return { problems };
  return {
    canvass: {
      membershipNumber,
      contactType,
      outcome,
      report: report as Report | null,
      occurredAt: new Date(v.action_date),
    },
  };
}
