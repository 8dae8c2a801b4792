/**
 * The day of action: a dispute's calendar (each day checked at each place), strike pay and hardship
 * claims (entered by reps and officers, decided by officers) and the payment export for finance.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type {
  CalendarDto,
  ClaimDto,
  ClaimInput,
  DecisionInput,
  PlanDayInput,
} from "../../action/action.model.js";
import type { PayRules } from "../../action/strike-pay.js";
import { apiFetch, apiFetchBlob, queryString } from "./client.js";

export type { CalendarDto, ClaimDto, PayRules };

const keys = {
  all: (disputeId: number) => ["disputes", disputeId, "action"] as const,
  calendar: (disputeId: number) => ["disputes", disputeId, "action", "calendar"] as const,
  claims: (disputeId: number, state: string) => ["disputes", disputeId, "action", "claims", state] as const,
  rules: (disputeId: number) => ["disputes", disputeId, "action", "rules"] as const,
};

export function useCalendar(disputeId: number) {
  return useQuery({
    queryKey: keys.calendar(disputeId),
    queryFn: ({ signal }) => apiFetch<CalendarDto>(`/api/disputes/${disputeId}/action/calendar`, { signal }),
  });
}

export function usePlanDay(disputeId: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: PlanDayInput) =>
      apiFetch<{ id: number }>(`/api/disputes/${disputeId}/action/days`, { method: "POST", body: input }),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.all(disputeId) }),
  });
}

export function usePayRules(disputeId: number, enabled: boolean) {
  return useQuery({
    queryKey: keys.rules(disputeId),
    queryFn: ({ signal }) => apiFetch<PayRules>(`/api/disputes/${disputeId}/strike-pay/rules`, { signal }),
    enabled,
  });
}

export function useSetPayRules(disputeId: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: PayRules) =>
      apiFetch<PayRules>(`/api/disputes/${disputeId}/strike-pay/rules`, { method: "PUT", body: input }),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.all(disputeId) }),
  });
}

export function useClaims(disputeId: number, state: string, enabled: boolean) {
  return useQuery({
    queryKey: keys.claims(disputeId, state),
    queryFn: ({ signal }) =>
      apiFetch<ClaimDto[]>(`/api/disputes/${disputeId}/strike-pay/claims${queryString({ state })}`, {
        signal,
      }),
    enabled,
    staleTime: 0,
  });
}

export function useSubmitClaim(disputeId: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: Partial<ClaimInput> & Pick<ClaimInput, "memberId" | "kind">) =>
      apiFetch<ClaimDto>(`/api/disputes/${disputeId}/strike-pay/claims`, { method: "POST", body: input }),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.all(disputeId) }),
  });
}

export function useDecideClaim(disputeId: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({
      claimId,
      ...input
    }: Partial<DecisionInput> & { claimId: number; decision: DecisionInput["decision"] }) =>
      apiFetch<ClaimDto>(`/api/disputes/${disputeId}/strike-pay/claims/${claimId}/decision`, {
        method: "POST",
        body: input,
      }),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.all(disputeId) }),
  });
}

/** Exports what is due in the period and saves the CSV; the lines are paid from then on. */
export function useExportPay(disputeId: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (range: { from: string; to: string }) => {
      const blob = await apiFetchBlob(`/api/strike-pay/export${queryString(range)}`, { method: "POST" });
      const url = URL.createObjectURL(blob);
      const a = document.createElement("a");
      a.href = url;
      a.download = `strike-pay-${range.from}-${range.to}.csv`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      return blob.size;
    },
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.all(disputeId) }),
  });
}
