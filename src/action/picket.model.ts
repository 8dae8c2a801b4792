/** What the picket plan and essential-service cover API takes and gives (zod), shared with the web client. */
import { z } from "zod";
import { LawDate as Day } from "../law/index.js";

const Time = z.string().regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, "a time as HH:MM");
const Name = z.string().trim().max(200);
const Count = z.number().int().min(0).max(100_000);
const RefId = z.number().int().positive().max(2_147_483_647);

/** A person named on a plan: a member (by id, the name taken from the register) or an officer by name. */
const Person = z
  .object({ memberId: RefId.nullable().default(null), name: Name.default("") })
  .strict()
  .refine((p) => p.memberId !== null || p.name.length > 0, { message: "a member or a name", path: ["name"] });

export const PlanInput = z
  .object({
    lead: Person.nullable().default(null),
    supervisor: Person.nullable().default(null),
    supervisorContact: z.string().trim().max(200).default(""),
  })
  .strict();
export type PlanInput = z.infer<typeof PlanInput>;

export const LineInput = z
  .object({
    location: z.string().trim().min(1).max(200),
    entrance: z.string().trim().max(200).default(""),
    startsAt: Time,
    endsAt: Time,
    expected: Count.nullable().default(null),
  })
  .strict()
  .refine((l) => l.startsAt < l.endsAt, { message: "ends after it starts", path: ["endsAt"] });
export type LineInput = z.infer<typeof LineInput>;

export const NumbersInput = z
  .object({ expected: Count.nullable().optional(), actual: Count.nullable().optional() })
  .strict()
  .refine((n) => n.expected !== undefined || n.actual !== undefined, {
    message: "expected or actual",
    path: ["actual"],
  });
export type NumbersInput = z.infer<typeof NumbersInput>;

export const PoliceContactInput = z
  .object({
    contactedAt: z.iso.datetime({ offset: true }),
    force: z.string().trim().min(1).max(200),
    officer: z.string().trim().max(200).default(""),
    method: z.enum(["phone", "email", "in_person", "letter", "other"]),
    notes: z.string().trim().max(2000).default(""),
  })
  .strict();
export type PoliceContactInput = z.infer<typeof PoliceContactInput>;

export const RotaInput = z
  .object({ memberId: RefId, startsAt: Time, endsAt: Time })
  .strict()
  .refine((r) => r.startsAt < r.endsAt, { message: "ends after it starts", path: ["endsAt"] });
export type RotaInput = z.infer<typeof RotaInput>;

const Rule = z.object({ summary: z.string(), citation: z.string(), unconfirmed: z.string().nullable() });

export const RotaEntryDto = z.object({
  id: z.number(),
  memberId: z.number(),
  name: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
});

export const LineDto = z.object({
  id: z.number(),
  location: z.string(),
  entrance: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
  expected: z.number().nullable(),
  actual: z.number().nullable(),
  actualRecordedAt: z.string().nullable(),
  overGuidance: z.boolean(),
  /** Null when the reader may not see who is on the line (counts only). */
  rota: z.array(RotaEntryDto).nullable(),
  rotaCount: z.number(),
});
export type LineDto = z.infer<typeof LineDto>;

export const PoliceContactDto = z.object({
  id: z.number(),
  contactedAt: z.string(),
  force: z.string(),
  officer: z.string(),
  method: z.string(),
  notes: z.string(),
});

export const PicketWorkplaceDto = z.object({
  workplaceId: z.number(),
  workplaceName: z.string(),
  employerId: z.number(),
  employerName: z.string(),
  jurisdiction: z.enum(["gb", "ni"]),
  planId: z.number().nullable(),
  /** Null when the reader sees counts only. */
  lead: z.object({ memberId: z.number().nullable(), name: z.string() }).nullable(),
  supervisor: z.object({ memberId: z.number().nullable(), name: z.string(), contact: z.string() }).nullable(),
  supervisorNamed: z.boolean(),
  supervisorRequired: z.boolean(),
  supervisorRule: Rule,
  lines: z.array(LineDto),
  policeContacts: z.array(PoliceContactDto).nullable(),
});
export type PicketWorkplaceDto = z.infer<typeof PicketWorkplaceDto>;

export const PicketDayDto = z.object({
  day: z.string(),
  numbersGuidance: Rule.extend({ perEntrance: z.number() }),
  workplaces: z.array(PicketWorkplaceDto),
});
export type PicketDayDto = z.infer<typeof PicketDayDto>;

// ---------------------------------------------------------------------------
// Essential-service cover

const CoverItem = z
  .object({
    service: z.string().trim().min(1).max(200),
    post: z.string().trim().max(200).default(""),
    number: z.number().int().min(1).max(100_000),
  })
  .strict();

export const CoverInput = z
  .object({
    employerId: RefId,
    items: z.array(CoverItem).min(1).max(100),
    unionAgreedName: z.string().trim().min(1).max(200),
    employerAgreedName: z.string().trim().min(1).max(200),
    employerAgreedRole: z.string().trim().max(200).default(""),
    agreedAt: z.iso.datetime({ offset: true }),
    namingAgreed: z.boolean().default(false),
    note: z.string().trim().max(2000).default(""),
  })
  .strict();
export type CoverInput = z.infer<typeof CoverInput>;

export const ExemptionInput = z
  .object({
    workplaceId: RefId.nullable().default(null),
    memberId: RefId.nullable().default(null),
    number: z.number().int().min(1).max(100_000).default(1),
    post: z.string().trim().max(200).default(""),
  })
  .strict()
  .refine((e) => e.memberId === null || e.number === 1, { message: "one named member", path: ["number"] });
export type ExemptionInput = z.infer<typeof ExemptionInput>;

export const CoverRequestInput = z
  .object({
    requestedAt: z.iso.datetime({ offset: true }),
    requestedByName: z.string().trim().min(1).max(200),
    details: z.string().trim().min(1).max(2000),
    postsRequested: z.number().int().min(0).max(100_000).nullable().default(null),
  })
  .strict();
export type CoverRequestInput = z.infer<typeof CoverRequestInput>;

export const CoverAnswerInput = z
  .object({
    answer: z.enum(["granted", "refused", "partly"]),
    postsGranted: z.number().int().min(0).max(100_000).nullable().default(null),
    note: z.string().trim().max(2000).default(""),
  })
  .strict();
export type CoverAnswerInput = z.infer<typeof CoverAnswerInput>;

export const CoverAgreementDto = z.object({
  id: z.number(),
  employerId: z.number(),
  employerName: z.string(),
  day: z.string(),
  items: z.array(z.object({ service: z.string(), post: z.string(), number: z.number() })),
  unionAgreedName: z.string(),
  employerAgreedName: z.string(),
  employerAgreedRole: z.string(),
  agreedAt: z.string(),
  namingAgreed: z.boolean(),
  note: z.string(),
  exemptTotal: z.number(),
  exemptions: z.array(
    z.object({
      id: z.number(),
      workplaceId: z.number().nullable(),
      workplaceName: z.string().nullable(),
      /** Set only where naming was agreed and the reader may see names. */
      memberId: z.number().nullable(),
      name: z.string().nullable(),
      number: z.number(),
      post: z.string(),
    }),
  ),
  requests: z.array(
    z.object({
      id: z.number(),
      requestedAt: z.string(),
      requestedByName: z.string(),
      details: z.string(),
      postsRequested: z.number().nullable(),
      answer: z.enum(["granted", "refused", "partly"]).nullable(),
      postsGranted: z.number().nullable(),
      answerNote: z.string(),
      answeredAt: z.string().nullable(),
    }),
  ),
});
export type CoverAgreementDto = z.infer<typeof CoverAgreementDto>;

export const CoverDayDto = z.object({ day: z.string(), agreements: z.array(CoverAgreementDto) });
export type CoverDayDto = z.infer<typeof CoverDayDto>;

export const PlanDayParams = z.object({
  id: z.coerce.number().int().positive().max(2_147_483_647),
  day: Day,
});
