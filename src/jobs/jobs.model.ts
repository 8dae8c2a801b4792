import { z } from "zod";

export const JOB_STATES = ["queued", "running", "succeeded", "failed", "cancelled"] as const;

export const JobDto = z.object({
  id: z.number().int(),
  kind: z.string(),
  state: z.enum(JOB_STATES),
  done: z.number(),
  total: z.number().nullable(),
  /** Items per second since the job started (null before it has a rate). */
  rate: z.number().nullable(),
  /** Seconds left at that rate (null when unknown). */
  etaSeconds: z.number().nullable(),
  attempts: z.number().int(),
  cancelRequested: z.boolean(),
  errorCode: z.string().nullable(),
  errorMessage: z.string().nullable(),
  result: z.unknown(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  problems: z.number().int().optional(),
});
export type JobDto = z.infer<typeof JobDto>;

export const JobProblemDto = z.object({ at: z.string(), message: z.string() });

export const ListJobsQuery = z.object({
  state: z.enum(JOB_STATES).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/** Each kind of job in the users' words, for the Jobs screen and the worker's log. */
export const JOB_KIND_NAMES: Record<string, string> = {
  member_import: "Member import",
  register_import: "Register import",
  electorate_freeze: "Electorate freeze",
  ballot_documents: "Ballot documents",
  coalition_publish: "Coalition publication",
  bulletin_digests: "Scheduled digests",
};

export function jobKindName(kind: string): string {
  return JOB_KIND_NAMES[kind] ?? kind.replace(/_/g, " ");
}
