import { z } from "zod";
import { isIsoDate } from "./dates.js";

export const LawDate = z.string().refine(isIsoDate, "a calendar date as YYYY-MM-DD");
const Count = z.number().int().min(0);
export const QuestionKindSchema = z.enum(["strike", "action_short_of_strike"]);

export const EvaluateBody = z.object({
  openingDate: LawDate,
  closingDate: LawDate.nullish(),
  entitled: Count,
  votesCast: Count.describe("every paper returned, spoilt ones included"),
  questions: z
    .array(z.object({ question: QuestionKindSchema, yes: Count, no: Count, spoilt: Count.nullish() }))
    .min(1)
    .max(2),
  importantPublicServices: z.boolean().default(false),
  walesDevolved: z.boolean().default(false),
  jurisdiction: z
    .enum(["gb", "ni"])
    .default("gb")
    .describe("gb: TULRCA 1992; ni: the Trade Union and Labour Relations (Northern Ireland) Order 1995"),
});

const Unconfirmed = z.string().nullable();

export const EvaluationDto = z.object({
  // Optional: results stored before decision 0013 do not have it (all Great Britain).
  jurisdiction: z.enum(["gb", "ni"]).optional(),
  regime: z.enum(["A", "B", "C", "NI"]),
  regimeName: z.string(),
  openingDate: z.string(),
  entitled: z.number(),
  votesCast: z.number(),
  turnoutPercent: z.number(),
  mandate: z.boolean(),
  mandateFor: z.array(QuestionKindSchema),
  tests: z.array(
    z.object({
      name: z.enum(["turnout", "majority", "important_public_services_40"]),
      question: QuestionKindSchema.nullable(),
      met: z.boolean(),
      figures: z.record(z.string(), z.number()),
      rule: z.string(),
      citation: z.string(),
      unconfirmed: Unconfirmed,
    }),
  ),
  notApplicable: z.array(z.object({ name: z.string(), reason: z.string(), citation: z.string() })),
  mandatePeriod: z.object({
    rule: z.string(),
    citation: z.string(),
    period: z.record(z.string(), z.unknown()),
    lastDay: z.string().nullable(),
    lastDayByAgreement: z.string().nullable(),
    courtLimit: z.string().nullable(),
    // Optional: results stored before decision 0012 do not have it.
    unconfirmed: z.string().nullable().optional(),
  }),
  scrutineerRequired: z.boolean(),
  legalReview: z.array(z.object({ rule: z.string(), reason: z.string() })),
  // Optional: results stored before decision 0013 do not have it.
  commencements: z
    .array(
      z.object({ id: z.string(), title: z.string(), commencedOn: z.string().nullable(), source: z.string() }),
    )
    .optional(),
});

export const RuleVersionDto = z.object({
  from: z.string(),
  regime: z.enum(["A", "B", "C", "NI"]),
  value: z.unknown(),
  summary: z.string(),
  citation: z.string(),
  unconfirmed: Unconfirmed,
});

export const JurisdictionSchema = z.enum(["gb", "ni"]);

export const LawAtDto = z.object({
  date: z.string(),
  jurisdiction: JurisdictionSchema,
  regime: z.object({
    id: z.enum(["A", "B", "C", "NI"]),
    from: z.string(),
    name: z.string(),
    legislation: z.string(),
  }),
  rules: z.array(
    z.object({ id: z.string(), title: z.string(), key: z.string(), version: RuleVersionDto.nullable() }),
  ),
  switches: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      commencedOn: z.string().nullable(),
      citation: z.string(),
      unconfirmed: z.string(),
      inForce: z.boolean(),
      recordedSource: z.string().nullable(),
    }),
  ),
});

export const TimetableQuery = z.object({
  jurisdiction: z.enum(["gb", "ni"]).default("gb"),
  openingDate: LawDate,
  closingDate: LawDate,
  resultDate: LawDate.optional(),
  noticeReceivedOn: LawDate.optional(),
  actionNoticeGivenOn: LawDate.optional(),
  shorterNoticeAgreed: z
    .enum(["true", "false"])
    .transform((v) => v === "true")
    .optional(),
});

export const DeadlineDto = z.object({
  id: z.string(),
  label: z.string(),
  date: z.string(),
  rule: z.string(),
  citation: z.string(),
  unconfirmed: z.string().nullable(),
});

export const TimetableResultDto = z.object({
  regime: z.enum(["A", "B", "C", "NI"]),
  ballotNoticeForm: z.enum(["lists_figures_explanation", "lists_total"]),
  actionNoticeForm: z.enum(["lists_figures_explanation", "lists_total"]),
  actionNoticeDays: z.number(),
  deadlines: z.array(DeadlineDto),
  warnings: z.array(z.string()),
});
