import { z } from "zod";
import { IsoDate, UkPostcode } from "../shared/fields.js";
import { pageSchema } from "../shared/paging.js";

export const MEMBER_STATUSES = ["active", "lapsed", "left", "deceased"] as const;
export const MemberStatusSchema = z.enum(MEMBER_STATUSES);
export type MemberStatus = z.infer<typeof MemberStatusSchema>;

const Text = (max: number) => z.string().trim().max(max);
const OptText = (max: number) => Text(max).nullable().optional();
const OptId = z.number().int().positive().max(2_147_483_647).nullable().optional();

export const MemberFields = z.object({
  membershipNumber: z
    .string()
    .trim()
    .min(1)
    .max(32)
    .regex(/^[A-Za-z0-9][A-Za-z0-9/-]*$/, "Membership numbers use letters, digits, '-' and '/'."),
  forenames: Text(100).min(1),
  surname: Text(100).min(1),
  dateOfBirth: IsoDate.nullable().optional(),
  addressLine1: OptText(200),
  addressLine2: OptText(200),
  town: OptText(100),
  homePostcode: UkPostcode.nullable().optional(),
  postalAddress: OptText(500),
  postalPostcode: UkPostcode.nullable().optional(),
  postalRequestedOn: IsoDate.nullable().optional(),
  postalRequestEvidence: OptText(500),
  email: z.string().trim().toLowerCase().email().max(254).nullable().optional(),
  mobile: z
    .string()
    .trim()
    .regex(/^\+[1-9]\d{6,14}$/, "Give mobiles in international form, e.g. +447700900123.")
    .nullable()
    .optional(),
  employerId: OptId,
  workplaceId: OptId,
  jobTitle: OptText(200),
  jobCategory: OptText(200),
  branchId: OptId,
  regionId: OptId,
  status: MemberStatusSchema.default("active"),
  inArrears: z.boolean().default(false),
  checkOff: z.boolean().default(false),
  joinedOn: IsoDate.nullable().optional(),
  leftOn: IsoDate.nullable().optional(),
  consentEmail: z.boolean().default(false),
  consentSms: z.boolean().default(false),
});

export const CreateMemberInput = MemberFields;
export type CreateMemberInput = z.infer<typeof CreateMemberInput>;

export const UpdateMemberInput = MemberFields.partial().extend({
  status: MemberStatusSchema.optional(),
  inArrears: z.boolean().optional(),
  checkOff: z.boolean().optional(),
  consentEmail: z.boolean().optional(),
  consentSms: z.boolean().optional(),
  /** When a change of employer, workplace or job category took effect (default: today). */
  effectiveFrom: IsoDate.optional(),
});
export type UpdateMemberInput = z.infer<typeof UpdateMemberInput>;

export const MemberDto = z.object({
  id: z.number().int(),
  membershipNumber: z.string(),
  forenames: z.string(),
  surname: z.string(),
  dateOfBirth: z.string().nullable(),
  addressLine1: z.string().nullable(),
  addressLine2: z.string().nullable(),
  town: z.string().nullable(),
  homePostcode: z.string().nullable(),
  postalAddress: z.string().nullable(),
  postalPostcode: z.string().nullable(),
  postalRequestedOn: z.string().nullable(),
  postalRequestEvidence: z.string().nullable(),
  email: z.string().nullable(),
  mobile: z.string().nullable(),
  employerId: z.number().int().nullable(),
  workplaceId: z.number().int().nullable(),
  jobTitle: z.string().nullable(),
  jobCategory: z.string().nullable(),
  branchId: z.number().int().nullable(),
  regionId: z.number().int().nullable(),
  status: MemberStatusSchema,
  inArrears: z.boolean(),
  checkOff: z.boolean(),
  joinedOn: z.string().nullable(),
  leftOn: z.string().nullable(),
  consentEmail: z.boolean(),
  consentSms: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type MemberDto = z.infer<typeof MemberDto>;

export const EmploymentPeriodDto = z.object({
  validFrom: z.string(),
  validTo: z.string().nullable(),
  employerId: z.number().int().nullable(),
  employerName: z.string().nullable(),
  workplaceId: z.number().int().nullable(),
  workplaceName: z.string().nullable(),
  jobCategory: z.string().nullable(),
});
export type EmploymentPeriodDto = z.infer<typeof EmploymentPeriodDto>;

export const MemberDetailDto = MemberDto.extend({
  employerName: z.string().nullable(),
  workplaceName: z.string().nullable(),
  workplaceClosedOn: z.string().nullable(),
  branchName: z.string().nullable(),
  regionName: z.string().nullable(),
  history: z.array(EmploymentPeriodDto),
});
export type MemberDetailDto = z.infer<typeof MemberDetailDto>;

export const MemberListItemDto = z.object({
  id: z.number().int(),
  membershipNumber: z.string(),
  forenames: z.string(),
  surname: z.string(),
  status: MemberStatusSchema,
  jobTitle: z.string().nullable(),
  homePostcode: z.string().nullable(),
  employerId: z.number().int().nullable(),
  employerName: z.string().nullable(),
  workplaceId: z.number().int().nullable(),
  workplaceName: z.string().nullable(),
  regionName: z.string().nullable(),
});
export type MemberListItemDto = z.infer<typeof MemberListItemDto>;
export const MemberPageDto = pageSchema(MemberListItemDto);

/**
 * The data-quality problems a member list can be narrowed to: one per card on
 * the overview and column on the register-quality report, counted the same way
 * (active members only where the card says so).
 */
export const MEMBER_PROBLEMS = [
  "no_address",
  "no_workplace",
  "no_employer",
  "in_arrears",
  "closed_workplace",
  "over_headcount",
  "in_review",
  "unmatched",
  "changed_recently",
  "duplicate_pending",
  "email_undeliverable",
  "mobile_undeliverable",
] as const;
export const MemberProblem = z.enum(MEMBER_PROBLEMS);
export type MemberProblem = z.infer<typeof MemberProblem>;

/** Members changed employer, workplace or job category within this many days count as "changed recently". */
export const RECENT_DAYS = 90;

export const MemberListQuery = z.object({
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
  /** Surname, forename, membership number or postcode; several words narrow the search. */
  search: z.string().trim().max(100).optional(),
  regionId: z.coerce.number().int().positive().optional(),
  sectorId: z.coerce.number().int().positive().optional(),
  employerId: z.coerce.number().int().positive().optional(),
  workplaceId: z.coerce.number().int().positive().optional(),
  branchId: z.coerce.number().int().positive().optional(),
  status: MemberStatusSchema.optional(),
  /** Only members with this data-quality problem (the cards on the overview and the quality report). */
  problem: MemberProblem.optional(),
});
export type MemberListQuery = z.infer<typeof MemberListQuery>;

const CountRow = z.object({
  id: z.number().int().nullable(),
  name: z.string(),
  count: z.number().int(),
  active: z.number().int(),
});

export const MembersSummaryDto = z.object({
  /** "counts" can break down by employer; "aggregate" (observers) sees region, sector and status only. */
  view: z.enum(["counts", "aggregate"]),
  total: z.number().int(),
  active: z.number().int(),
  byStatus: z.array(z.object({ status: MemberStatusSchema, count: z.number().int() })),
  byRegion: z.array(CountRow),
  bySector: z.array(CountRow),
  /** The largest employers in scope (counts view only). */
  topEmployers: z.array(CountRow).nullable(),
  employersWithMembers: z.number().int().nullable(),
  /** Data-quality counters over active members: each one a reason a ballot could be challenged. */
  quality: z.object({
    noHomeAddress: z.number().int(),
    noWorkplace: z.number().int(),
    noEmployer: z.number().int(),
    inArrears: z.number().int(),
    atClosedWorkplaces: z.number().int(),
    workplacesOverHeadcount: z.number().int(),
  }),
});
export type MembersSummaryDto = z.infer<typeof MembersSummaryDto>;
