import { z } from "zod";
import { NationSchema } from "../org/index.js";
import { IsoDate, OptionalText, UkPostcode } from "../shared/fields.js";
import { pageSchema } from "../shared/paging.js";

export const IMPORTANT_PUBLIC_SERVICES = [
  "health",
  "education",
  "fire",
  "transport",
  "border_security",
  "nuclear_decommissioning",
] as const;
export const ImportantPublicServiceSchema = z.enum(IMPORTANT_PUBLIC_SERVICES);

export const EmployerDto = z.object({
  id: z.number().int(),
  name: z.string(),
  odsCode: z.string().nullable(),
  dfeUrn: z.string().nullable(),
  gssCode: z.string().nullable(),
  companiesHouseNumber: z.string().nullable(),
  sectorId: z.number().int().nullable(),
  regionId: z.number().int().nullable(),
  nation: NationSchema,
  importantPublicService: ImportantPublicServiceSchema.nullable(),
  devolvedWelshAuthority: z.boolean(),
  openedOn: z.string().nullable(),
  closedOn: z.string().nullable(),
  parentId: z.number().int().nullable(),
});
export type EmployerDto = z.infer<typeof EmployerDto>;

export const EmployerListItemDto = EmployerDto.extend({
  sectorName: z.string().nullable(),
  regionName: z.string().nullable(),
  workplaceCount: z.number().int(),
  /** Members in the reader's scope, all statuses. */
  memberCount: z.number().int(),
  activeMemberCount: z.number().int(),
});
export type EmployerListItemDto = z.infer<typeof EmployerListItemDto>;
export const EmployerPageDto = pageSchema(EmployerListItemDto);

const Code = (max: number) =>
  z
    .string()
    .trim()
    .toUpperCase()
    .max(max)
    .regex(/^[A-Z0-9]+$/, "Register codes are letters and digits.")
    .nullable()
    .optional();

export const CreateEmployerInput = z.object({
  name: z.string().trim().min(1).max(300),
  odsCode: Code(10),
  dfeUrn: z
    .string()
    .trim()
    .regex(/^\d{5,7}$/, "A DfE URN is 5 to 7 digits.")
    .nullable()
    .optional(),
  gssCode: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[ENSW]\d{8}$/, "A GSS code is a letter and 8 digits, e.g. E08000035.")
    .nullable()
    .optional(),
  companiesHouseNumber: Code(8),
  sectorId: z.number().int().positive().nullable().optional(),
  regionId: z.number().int().positive().nullable().optional(),
  nation: NationSchema.default("england"),
  importantPublicService: ImportantPublicServiceSchema.nullable().optional(),
  devolvedWelshAuthority: z.boolean().default(false),
  openedOn: IsoDate.nullable().optional(),
  closedOn: IsoDate.nullable().optional(),
  parentId: z.number().int().positive().nullable().optional(),
});
export type CreateEmployerInput = z.infer<typeof CreateEmployerInput>;
export const UpdateEmployerInput = CreateEmployerInput.partial().extend({
  nation: NationSchema.optional(),
  devolvedWelshAuthority: z.boolean().optional(),
});
export type UpdateEmployerInput = z.infer<typeof UpdateEmployerInput>;

export const EmployerListQuery = z.object({
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
  search: z.string().trim().max(100).optional(),
  sectorId: z.coerce.number().int().positive().optional(),
  regionId: z.coerce.number().int().positive().optional(),
  /** Only employers with members in the reader's scope (always so for a role scoped to regions, sectors or workplaces). */
  withMembers: z
    .enum(["true", "false"])
    .transform((v) => v === "true")
    .optional(),
});
export type EmployerListQuery = z.infer<typeof EmployerListQuery>;

export const WorkplaceDto = z.object({
  id: z.number().int(),
  employerId: z.number().int(),
  regionId: z.number().int().nullable(),
  siteCode: z.string().nullable(),
  name: z.string(),
  address: z.string().nullable(),
  postcode: z.string().nullable(),
  openedOn: z.string().nullable(),
  closedOn: z.string().nullable(),
  headcount: z.number().int().nullable(),
  headcountOn: z.string().nullable(),
  headcountSource: z.string().nullable(),
});
export type WorkplaceDto = z.infer<typeof WorkplaceDto>;

export const WorkplaceListItemDto = WorkplaceDto.extend({
  employerName: z.string(),
  memberCount: z.number().int(),
  activeMemberCount: z.number().int(),
});
export type WorkplaceListItemDto = z.infer<typeof WorkplaceListItemDto>;
export const WorkplacePageDto = pageSchema(WorkplaceListItemDto);

export const CreateWorkplaceInput = z.object({
  employerId: z.number().int().positive(),
  regionId: z.number().int().positive().nullable().optional(),
  siteCode: z.string().trim().toUpperCase().min(1).max(20).nullable().optional(),
  name: z.string().trim().min(1).max(300),
  address: OptionalText(500),
  postcode: UkPostcode.nullable().optional(),
  openedOn: IsoDate.nullable().optional(),
  closedOn: IsoDate.nullable().optional(),
  headcount: z.number().int().min(0).max(1_000_000).nullable().optional(),
  headcountOn: IsoDate.nullable().optional(),
  headcountSource: OptionalText(200),
});
export type CreateWorkplaceInput = z.infer<typeof CreateWorkplaceInput>;
export const UpdateWorkplaceInput = CreateWorkplaceInput.partial();
export type UpdateWorkplaceInput = z.infer<typeof UpdateWorkplaceInput>;

export const WorkplaceListQuery = z.object({
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(50),
  employerId: z.coerce.number().int().positive().optional(),
  regionId: z.coerce.number().int().positive().optional(),
  search: z.string().trim().max(100).optional(),
});
export type WorkplaceListQuery = z.infer<typeof WorkplaceListQuery>;

export const EmployerDetailDto = EmployerListItemDto.extend({
  workplaces: z.array(WorkplaceListItemDto),
  /** Members in scope with no workplace recorded at this employer. */
  membersWithoutWorkplace: z.number().int(),
});
export type EmployerDetailDto = z.infer<typeof EmployerDetailDto>;
