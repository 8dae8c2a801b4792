import { z } from "zod";

const Id = z.number().int().positive().max(2_147_483_647);

/**
 * What a partner union may share about each of its members, beyond the facts
 * entitlement is decided on (membership number, status, arrears, joining and
 * leaving dates, employer and workplace), which every agreement implies.
 */
export const PARTNER_FIELDS = ["name", "address", "job_category", "check_off"] as const;
export type PartnerField = (typeof PARTNER_FIELDS)[number];

export const ProposePartnerAgreementInput = z
  .object({
    partnerUnionId: Id,
    ballotId: Id.optional(),
    disputeId: Id.optional(),
    /** Omitted: exactly what the ballot needs (name and address for the papers, category or check-off when used). */
    fields: z.array(z.enum(PARTNER_FIELDS)).min(1).max(PARTNER_FIELDS.length).optional(),
    purpose: z.string().trim().max(2000).default(""),
  })
  .refine((v) => (v.ballotId === undefined) !== (v.disputeId === undefined), {
    message: "Give either a ballot or a dispute.",
    path: ["ballotId"],
  });
export type ProposePartnerAgreementInput = z.input<typeof ProposePartnerAgreementInput>;

export const PartnerDecisionInput = z.object({ action: z.enum(["accept", "decline", "withdraw"]) });

export const PartnerAgreementDto = z.object({
  id: z.number(),
  /** Which side the reader's union is on. */
  side: z.enum(["requesting", "partner"]),
  unionId: z.number(),
  unionName: z.string(),
  partnerUnionId: z.number(),
  partnerUnionName: z.string(),
  ballotId: z.number().nullable(),
  disputeId: z.number().nullable(),
  /** The ballot's or dispute's name, so the partner knows what it is asked for. */
  subject: z.string(),
  fields: z.array(z.string()),
  purpose: z.string(),
  state: z.enum(["requested", "accepted", "declined", "withdrawn"]),
  requestedBy: z.string().nullable(),
  requestedAt: z.string(),
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  /** What the last freeze of each covered ballot copied of the partner's members. */
  shared: z.array(
    z.object({ ballotId: z.number(), ballotName: z.string(), listed: z.number(), entitled: z.number() }),
  ),
});
export type PartnerAgreementDto = z.infer<typeof PartnerAgreementDto>;

export const SharedMemberDto = z.object({
  ballotId: z.number(),
  membershipNumber: z.string(),
  included: z.boolean(),
  fields: z.array(z.string()),
});
