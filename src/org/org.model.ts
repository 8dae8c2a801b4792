import { z } from "zod";

const Code = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, "Codes use letters, digits, '-', '_' or '.'.");
const Name = z.string().trim().min(1).max(200);
export const NationSchema = z.enum(["england", "wales", "scotland", "northern_ireland"]);
export type Nation = z.infer<typeof NationSchema>;

export const UnionDto = z.object({ id: z.number().int(), slug: z.string(), name: z.string() });
export type UnionDto = z.infer<typeof UnionDto>;
export const UpdateUnionInput = z.object({ name: Name });

export const RegionDto = z.object({
  id: z.number().int(),
  code: z.string(),
  name: z.string(),
  nation: NationSchema,
});
export type RegionDto = z.infer<typeof RegionDto>;
export const CreateRegionInput = z.object({
  code: Code,
  name: Name,
  nation: NationSchema.default("england"),
});
export const UpdateRegionInput = CreateRegionInput.partial();

export const SectorDto = z.object({ id: z.number().int(), code: z.string(), name: z.string() });
export type SectorDto = z.infer<typeof SectorDto>;
export const CreateSectorInput = z.object({ code: Code, name: Name });
export const UpdateSectorInput = CreateSectorInput.partial();

export const BranchDto = z.object({
  id: z.number().int(),
  code: z.string(),
  name: z.string(),
  regionId: z.number().int().nullable(),
});
export type BranchDto = z.infer<typeof BranchDto>;
export const CreateBranchInput = z.object({
  code: Code,
  name: Name,
  regionId: z.number().int().positive().nullable().default(null),
});
export const UpdateBranchInput = CreateBranchInput.partial();
