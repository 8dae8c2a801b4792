import { z } from "zod";
import { IsoDate } from "../shared/fields.js";

/** A report for a dispute, in a JSON body: CSV as text, or any file (an .xlsx) as base64. */
export const ImportResultsInput = z.object({
  filename: z.string().trim().min(1).max(200),
  content: z.string().min(1).max(1_000_000),
  encoding: z.enum(["text", "base64"]).default("text"),
  declaredOn: IsoDate,
});
export type ImportResultsInput = z.infer<typeof ImportResultsInput>;

export const ImportResultsDto = z.object({
  disputeId: z.number(),
  ballots: z.array(
    z.object({
      ballotId: z.number(),
      name: z.string(),
      /** The constituency's name as the report wrote it. */
      reportName: z.string(),
      votesCast: z.number(),
      mandate: z.boolean(),
    }),
  ),
  /** The dispute's ballots the report does not mention: nothing recorded for them. */
  notInReport: z.array(z.object({ ballotId: z.number(), name: z.string() })),
  warnings: z.array(z.string()),
});
export type ImportResultsDto = z.infer<typeof ImportResultsDto>;
