/** The materials library's shapes: what the API takes and gives (decisions/0029). */
import { z } from "zod";

export const MATERIAL_KINDS = ["leaflet", "poster", "faq", "social_card", "bulletin", "other"] as const;
export const MaterialKind = z.enum(MATERIAL_KINDS);
export type MaterialKind = z.infer<typeof MaterialKind>;

export const MATERIAL_KIND_LABELS: Record<MaterialKind, string> = {
  leaflet: "Leaflet",
  poster: "Poster",
  faq: "FAQ",
  social_card: "Social media card",
  bulletin: "Bulletin",
  other: "Other",
};

export const MATERIAL_LANGUAGES = ["en", "cy"] as const;
export const MaterialLanguage = z.enum(MATERIAL_LANGUAGES);
export type MaterialLanguage = z.infer<typeof MaterialLanguage>;

export const VERSION_STATES = ["draft", "approved", "superseded", "withdrawn"] as const;
export const VersionState = z.enum(VERSION_STATES);
export type VersionState = z.infer<typeof VersionState>;

/** The largest file the library keeps: a print-ready poster PDF fits; a video does not belong here. */
export const MAX_MATERIAL_BYTES = 20 * 1024 * 1024;

const Id = z.number().int().positive().max(2_147_483_647);

export const MaterialInput = z
  .object({
    title: z.string().trim().min(1).max(200),
    kind: MaterialKind,
    description: z.string().trim().max(2000).default(""),
    /** Empty: every region (or sector) the author reaches. */
    regionIds: z.array(Id).max(200).default([]),
    sectorIds: z.array(Id).max(200).default([]),
    ballotId: Id.nullable().default(null),
  })
  .strict();
export type MaterialInput = z.input<typeof MaterialInput>;

export const VersionUploadQuery = z.object({
  language: MaterialLanguage,
  note: z.string().trim().max(1000).default(""),
});

export const WithdrawInput = z.object({ reason: z.string().trim().min(1).max(500) }).strict();

export const MaterialVersionDto = z.object({
  id: z.number(),
  materialId: z.number(),
  language: MaterialLanguage,
  version: z.number(),
  fileName: z.string(),
  contentType: z.string(),
  bytes: z.number(),
  sha256: z.string(),
  note: z.string(),
  state: VersionState,
  createdBy: z.string().nullable(),
  createdAt: z.string(),
  approvedBy: z.string().nullable(),
  approvedAt: z.string().nullable(),
  withdrawnBy: z.string().nullable(),
  withdrawnAt: z.string().nullable(),
  withdrawnReason: z.string().nullable(),
});
export type MaterialVersionDto = z.infer<typeof MaterialVersionDto>;

export const MaterialDto = z.object({
  id: z.number(),
  title: z.string(),
  kind: MaterialKind,
  description: z.string(),
  audience: z.object({
    regions: z.array(z.object({ id: z.number(), name: z.string() })),
    sectors: z.array(z.object({ id: z.number(), name: z.string() })),
    ballot: z.object({ id: z.number(), name: z.string() }).nullable(),
  }),
  createdAt: z.string(),
  /** The versions the reader may see: approved ones to everyone in the audience, the rest to authors and approvers. */
  versions: z.array(MaterialVersionDto),
  /**
   * The version to offer the reader for download: the approved one in the language asked for,
   * else the approved English one (`fallback` true); null when nothing is approved.
   */
  offered: z.object({ versionId: z.number(), language: MaterialLanguage, fallback: z.boolean() }).nullable(),
  /** What the reader may do with it. */
  canUpload: z.boolean(),
  canApprove: z.boolean(),
});
export type MaterialDto = z.infer<typeof MaterialDto>;

export const MaterialFilters = z.object({
  kind: MaterialKind.optional(),
  language: MaterialLanguage.default("en"),
  state: z.enum(["approved", "draft", "withdrawn", "any"]).default("any"),
  regionId: z.coerce.number().int().positive().max(2_147_483_647).optional(),
  sectorId: z.coerce.number().int().positive().max(2_147_483_647).optional(),
  ballotId: z.coerce.number().int().positive().max(2_147_483_647).optional(),
  q: z.string().trim().max(100).optional(),
});
export type MaterialFilters = z.input<typeof MaterialFilters>;
