import { z } from "zod";
import { pageSchema } from "../shared/paging.js";

export const AuditRowDto = z.object({
  seq: z.number().int(),
  at: z.string(),
  unionId: z.number().int().nullable(),
  actorUserId: z.number().int().nullable(),
  actorLabel: z.string(),
  event: z.string(),
  subjectType: z.string().nullable(),
  subjectId: z.string().nullable(),
  outcome: z.string(),
  details: z.record(z.string(), z.unknown()),
  hash: z.string(),
});
export type AuditRowDto = z.infer<typeof AuditRowDto>;

export const AuditPageDto = pageSchema(AuditRowDto);

export const AuditListQuery = z.object({
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
  event: z.string().max(64).optional(),
  subjectType: z.string().max(64).optional(),
  subjectId: z.string().max(64).optional(),
});
export type AuditListQuery = z.infer<typeof AuditListQuery>;

export const AuditVerifyDto = z.object({
  ok: z.boolean(),
  rows: z.number().int(),
  headSeq: z.number().int(),
  headHash: z.string(),
  brokenAtSeq: z.number().int().nullable(),
  reason: z.string().nullable(),
  /** The comparison with the signed checkpoints kept outside the database. */
  checkpoints: z.object({
    compared: z.number().int(),
    latestSeq: z.number().int().nullable(),
    latestAt: z.string().nullable(),
    /** Something to look at that is not tampering, e.g. a last checkpoint line cut short by a crash. */
    warning: z.string().nullable().optional(),
  }),
});
export type AuditVerifyDto = z.infer<typeof AuditVerifyDto>;
