/**
 * Indicative ballots (officers) and member links (members, no session):
 * decision 0022.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type {
  CreateIndicativeInput,
  IndicativeDto,
  IndicativeResultsDto,
  NonVoterDto,
} from "../../indicative/indicative.model.js";
import type { LinkViewDto } from "../../memberlink/memberlink.model.js";
import { apiFetch, apiFetchText } from "./client.js";

export type { IndicativeDto, IndicativeResultsDto, LinkViewDto, NonVoterDto };
export type CreateIndicative = Omit<CreateIndicativeInput, "minimumCell" | "constituencyKind"> &
  Partial<Pick<CreateIndicativeInput, "minimumCell" | "constituencyKind">>;

const keys = {
  all: ["indicative"] as const,
  one: (id: number) => ["indicative", id] as const,
  results: (id: number) => ["indicative", id, "results"] as const,
  nonVoters: (id: number) => ["indicative", id, "non-voters"] as const,
};

export function useIndicatives() {
  return useQuery({
    queryKey: keys.all,
    queryFn: ({ signal }) => apiFetch<IndicativeDto[]>("/api/indicative", { signal }),
  });
}

export function useIndicative(id: number) {
  return useQuery({
    queryKey: keys.one(id),
    queryFn: ({ signal }) => apiFetch<IndicativeDto>(`/api/indicative/${id}`, { signal }),
  });
}

/** Turnout moves while the ballot is open: read again every few seconds. */
export function useIndicativeResults(id: number, live: boolean) {
  return useQuery({
    queryKey: keys.results(id),
    queryFn: ({ signal }) => apiFetch<IndicativeResultsDto>(`/api/indicative/${id}/results`, { signal }),
    refetchInterval: live ? 5000 : false,
  });
}

/** Who is still to vote, in the reader's scope; read again with the turnout while the ballot is open. */
export function useNonVoters(id: number, enabled: boolean) {
  return useQuery({
    queryKey: keys.nonVoters(id),
    queryFn: ({ signal }) => apiFetch<NonVoterDto[]>(`/api/indicative/${id}/non-voters`, { signal }),
    enabled,
    refetchInterval: enabled ? 5000 : false,
  });
}

export function useCreateIndicative() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: CreateIndicative) =>
      apiFetch<IndicativeDto>("/api/indicative", { method: "POST", body: input }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: keys.all }),
  });
}

export function useIndicativeAction(id: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (action: "open" | "close") =>
      apiFetch<IndicativeDto>(`/api/indicative/${id}/${action}`, { method: "POST" }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: keys.all }),
  });
}

/** Issues links to every voter; the CSV answered is the only copy of them. */
export function useIssueLinks(id: number) {
  return useMutation({
    mutationFn: () => apiFetchText(`/api/indicative/${id}/links`, { method: "POST" }),
  });
}

/* ---------- The member's side: the token goes in the body, never in a URL. ---------- */

export function openLink(token: string) {
  return apiFetch<LinkViewDto>("/api/link/open", { method: "POST", body: { token } });
}

export function confirmLinkAddress(token: string) {
  return apiFetch<LinkViewDto>("/api/link/address/confirm", { method: "POST", body: { token } });
}

export function correctLinkAddress(
  token: string,
  address: { addressLine1: string; addressLine2: string; town: string; postcode: string },
) {
  return apiFetch<LinkViewDto>("/api/link/address", { method: "POST", body: { token, ...address } });
}

export function voteByLink(token: string, answers: number[]) {
  return apiFetch<LinkViewDto>("/api/link/vote", { method: "POST", body: { token, answers } });
}
