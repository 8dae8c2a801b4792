import { z } from "zod";
import { MemberStrikePayDto, OwnClaimInput } from "../action/index.js";
import { UkPostcode } from "../shared/fields.js";

/** A link's token: 32 random bytes in base64url (43 characters). */
export const LinkToken = z.string().regex(/^[A-Za-z0-9_-]{43}$/, "Not a member link.");

export const LinkBody = z.object({ token: LinkToken });

export const CorrectAddressInput = z.object({
  token: LinkToken,
  addressLine1: z.string().trim().min(1).max(200),
  addressLine2: z.string().trim().max(200).default(""),
  town: z.string().trim().max(100).default(""),
  postcode: UkPostcode,
});
export type CorrectAddressInput = z.infer<typeof CorrectAddressInput>;

export const VoteInput = z.object({
  token: LinkToken,
  answers: z.array(z.number().int().min(0).max(9)).min(1).max(20),
});

/** What a member reports through a statutory ballot's link: never how they voted. */
export const ReportInput = z
  .object({
    token: LinkToken,
    kind: z.enum(["voted", "needs_replacement", "wrong_address"]),
    reason: z.enum(["lost", "spoilt", "not_received"]).optional(),
  })
  .refine((r) => (r.kind === "needs_replacement") === (r.reason !== undefined), {
    message: "A replacement paper needs its reason (lost, spoilt, not_received), and only it.",
    path: ["reason"],
  });
export type ReportInput = z.infer<typeof ReportInput>;

/** A member's own strike pay or hardship claim through their dispute's link. */
export const ClaimByLinkInput = OwnClaimInput.extend({ token: LinkToken }).strict();
export type ClaimByLinkInput = z.infer<typeof ClaimByLinkInput>;

export const LinkViewDto = z.object({
  forenames: z.string(),
  /** Where ballot papers go: the separate postal address the member asked for, else home. */
  address: z.object({
    kind: z.enum(["home", "postal"]),
    lines: z.array(z.string()),
    postcode: z.string().nullable(),
  }),
  expiresAt: z.string(),
  ballot: z
    .object({
      id: z.number().int(),
      title: z.string(),
      questions: z.array(z.object({ text: z.string(), choices: z.array(z.string()) })),
      state: z.string(),
      opensOn: z.string(),
      closesOn: z.string(),
      onRoll: z.boolean(),
      voted: z.boolean(),
      canVote: z.boolean(),
    })
    .nullable(),
  /** A statutory ballot's link: what the member has reported (never how they voted). */
  statutory: z
    .object({
      id: z.number().int(),
      name: z.string(),
      opensOn: z.string(),
      closesOn: z.string(),
      inElectorate: z.boolean(),
      open: z.boolean(),
      voted: z.boolean(),
      replacement: z.enum(["lost", "spoilt", "not_received"]).nullable(),
      wrongAddress: z.boolean(),
    })
    .nullable(),
  /** A dispute's strike pay link: the strike days so far and the member's own claims. */
  strikePay: MemberStrikePayDto.nullable(),
});
export type LinkViewDto = z.infer<typeof LinkViewDto>;

export const LinkListItemDto = z.object({
  id: z.number().int(),
  memberId: z.number().int(),
  membershipNumber: z.string(),
  name: z.string(),
  /** The statutory ballot (constituency) of the link, when issued for a dispute's ballots. */
  ballotId: z.number().int().nullable(),
  status: z.enum(["live", "expired", "withdrawn"]),
  createdAt: z.string(),
  expiresAt: z.string(),
  lastUsedAt: z.string().nullable(),
});
export type LinkListItemDto = z.infer<typeof LinkListItemDto>;
