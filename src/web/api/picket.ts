/**
 * Picket plans and essential-service cover for a dispute's day of action: lines, lead and supervisor,
 * police contacts, the rota and numbers; cover agreed with employers, exemptions, employer requests.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type {
  CoverAnswerInput,
  CoverDayDto,
  CoverInput,
  CoverRequestInput,
  ExemptionInput,
  LineInput,
  NumbersInput,
  PicketDayDto,
  PlanInput,
  PoliceContactInput,
  RotaInput,
} from "../../action/picket.model.js";
import { apiFetch } from "./client.js";

export type { CoverDayDto, PicketDayDto };
export type PicketWorkplace = PicketDayDto["workplaces"][number];
export type PicketLine = PicketWorkplace["lines"][number];
export type CoverAgreement = CoverDayDto["agreements"][number];

const keys = {
  all: (disputeId: number) => ["disputes", disputeId, "action"] as const,
  pickets: (disputeId: number, day: string) => ["disputes", disputeId, "action", "pickets", day] as const,
  cover: (disputeId: number, day: string) => ["disputes", disputeId, "action", "cover", day] as const,
};

export function usePickets(disputeId: number, day: string) {
  return useQuery({
    queryKey: keys.pickets(disputeId, day),
    queryFn: ({ signal }) =>
      apiFetch<PicketDayDto>(`/api/disputes/${disputeId}/action/pickets/${day}`, { signal }),
    enabled: day !== "",
  });
}

export function useCover(disputeId: number, day: string) {
  return useQuery({
    queryKey: keys.cover(disputeId, day),
    queryFn: ({ signal }) =>
      apiFetch<CoverDayDto>(`/api/disputes/${disputeId}/action/cover/${day}`, { signal }),
    enabled: day !== "",
  });
}

/** Every change here refreshes the dispute's day-of-action reads. */
function useActionMutation<I, O>(disputeId: number, fn: (input: I) => Promise<O>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.all(disputeId) }),
  });
}

export const useSetPlan = (disputeId: number, day: string, workplaceId: number) =>
  useActionMutation(disputeId, (input: Partial<PlanInput>) =>
    apiFetch<{ id: number }>(`/api/disputes/${disputeId}/action/pickets/${day}/workplaces/${workplaceId}`, {
      method: "PUT",
      body: input,
    }),
  );

export const useAddLine = (disputeId: number, day: string, workplaceId: number) =>
  useActionMutation(disputeId, (input: Partial<LineInput>) =>
    apiFetch<{ id: number }>(
      `/api/disputes/${disputeId}/action/pickets/${day}/workplaces/${workplaceId}/lines`,
      {
        method: "POST",
        body: input,
      },
    ),
  );

export const useRemoveLine = (disputeId: number) =>
  useActionMutation(disputeId, (lineId: number) =>
    apiFetch<void>(`/api/picket-lines/${lineId}`, { method: "DELETE" }),
  );

export const useLineNumbers = (disputeId: number, lineId: number) =>
  useActionMutation(disputeId, (input: NumbersInput) =>
    apiFetch<{ overGuidance: boolean }>(`/api/picket-lines/${lineId}/numbers`, {
      method: "PUT",
      body: input,
    }),
  );

export const useAddRota = (disputeId: number, lineId: number) =>
  useActionMutation(disputeId, (input: RotaInput) =>
    apiFetch<{ id: number }>(`/api/picket-lines/${lineId}/rota`, { method: "POST", body: input }),
  );

export const useRemoveRota = (disputeId: number) =>
  useActionMutation(disputeId, (rotaId: number) =>
    apiFetch<void>(`/api/picket-rota/${rotaId}`, { method: "DELETE" }),
  );

export const usePoliceContact = (disputeId: number, planId: number) =>
  useActionMutation(disputeId, (input: Partial<PoliceContactInput>) =>
    apiFetch<{ id: number }>(`/api/picket-plans/${planId}/police-contacts`, { method: "POST", body: input }),
  );

export const supervisorLetterUrl = (planId: number) => `/api/picket-plans/${planId}/supervisor-letter.pdf`;
export const rotaCsvUrl = (disputeId: number, day: string) =>
  `/api/disputes/${disputeId}/action/pickets/${day}/rota.csv`;

export const useRecordCover = (disputeId: number, day: string) =>
  useActionMutation(disputeId, (input: Partial<CoverInput>) =>
    apiFetch<{ id: number }>(`/api/disputes/${disputeId}/action/cover/${day}`, {
      method: "POST",
      body: input,
    }),
  );

export const useAddExemption = (disputeId: number, agreementId: number) =>
  useActionMutation(disputeId, (input: Partial<ExemptionInput>) =>
    apiFetch<{ id: number; removedFromRota: number }>(`/api/cover-agreements/${agreementId}/exemptions`, {
      method: "POST",
      body: input,
    }),
  );

export const useCoverRequest = (disputeId: number, agreementId: number) =>
  useActionMutation(disputeId, (input: Partial<CoverRequestInput>) =>
    apiFetch<{ id: number }>(`/api/cover-agreements/${agreementId}/requests`, {
      method: "POST",
      body: input,
    }),
  );

export const useAnswerRequest = (disputeId: number) =>
  useActionMutation(disputeId, ({ id, ...input }: Partial<CoverAnswerInput> & { id: number }) =>
    apiFetch<void>(`/api/cover-requests/${id}/answer`, { method: "POST", body: input }),
  );
