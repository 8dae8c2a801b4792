import { z } from "zod";
import { IsoDate } from "../shared/fields.js";

/** The smallest minimum a union may set for showing a constituency's answers (disclosure control). */
export const MINIMUM_CELL_FLOOR = 5;

export const IndicativeQuestion = z.object({
  text: z.string().trim().min(1).max(500),
  /** Two to ten answers; a yes/no question is ["Yes", "No"]. */
  choices: z.array(z.string().trim().min(1).max(200)).min(2).max(10),
});
export type IndicativeQuestion = z.infer<typeof IndicativeQuestion>;

export const CONSTITUENCY_KINDS = ["workplace", "ballot"] as const;
export const ConstituencyKind = z.enum(CONSTITUENCY_KINDS);

export const CreateIndicativeInput = z
  .object({
    disputeId: z.number().int().positive().max(2_147_483_647),
    title: z.string().trim().min(1).max(200),
    questions: z.array(IndicativeQuestion).min(1).max(20),
    /** Results per workplace of the members, or per ballot (constituency) of the dispute whose electorate they are in. */
    constituencyKind: ConstituencyKind.default("workplace"),
    opensOn: IsoDate,
    closesOn: IsoDate,
    /** A constituency with fewer votes than this has its answers suppressed. */
    minimumCell: z.number().int().min(MINIMUM_CELL_FLOOR).max(1000).default(10),
  })
  .refine((v) => v.opensOn <= v.closesOn, {
    message: "closesOn must not be before opensOn.",
    path: ["closesOn"],
  });
export type CreateIndicativeInput = z.infer<typeof CreateIndicativeInput>;

export const INDICATIVE_STATES = ["draft", "open", "closed"] as const;

export const IndicativeDto = z.object({
  id: z.number().int(),
  disputeId: z.number().int(),
  title: z.string(),
  questions: z.array(IndicativeQuestion),
  constituencyKind: ConstituencyKind,
  opensOn: z.string(),
  closesOn: z.string(),
  minimumCell: z.number().int(),
  state: z.enum(INDICATIVE_STATES),
  /** Members on the roll (0 until it opens) and how many of them have voted. */
  roll: z.number().int(),
  voted: z.number().int(),
});
export type IndicativeDto = z.infer<typeof IndicativeDto>;

export const ChoiceCount = z.object({ choice: z.string(), votes: z.number().int() });
export const QuestionResult = z.object({ text: z.string(), choices: z.array(ChoiceCount) });

export const ConstituencyResult = z.object({
  key: z.string(),
  label: z.string(),
  roll: z.number().int(),
  voted: z.number().int(),
  /** Null when the answers are not shown: `withheld` says why. */
  questions: z.array(QuestionResult).nullable(),
  withheld: z.enum(["open", "below_minimum", "complementary"]).nullable(),
});
export type ConstituencyResult = z.infer<typeof ConstituencyResult>;

export const IndicativeResultsDto = z.object({
  id: z.number().int(),
  state: z.enum(INDICATIVE_STATES),
  minimumCell: z.number().int(),
  overall: ConstituencyResult,
  constituencies: z.array(ConstituencyResult),
  /** Why some answers are not shown, in words. */
  notes: z.array(z.string()),
});
export type IndicativeResultsDto = z.infer<typeof IndicativeResultsDto>;

export const NonVoterDto = z.object({
  memberId: z.number().int(),
  membershipNumber: z.string(),
  name: z.string(),
  workplace: z.string().nullable(),
  constituency: z.string(),
});
export type NonVoterDto = z.infer<typeof NonVoterDto>;

export const CastVoteInput = z.object({
  /** One answer per question, in order: the index of the choice. */
  answers: z.array(z.number().int().min(0).max(9)).min(1).max(20),
});
