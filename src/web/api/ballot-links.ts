/**
 * A statutory ballot's member links and members' own reports (decision 0022): officers issue and
 * list links; the ballot's turnout counts reports; reps read who has not yet reported voted.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { ClaimByLinkInput, LinkListItemDto, LinkViewDto } from "../../memberlink/memberlink.model.js";
import type { ImportVotedDto, TurnoutStatusDto } from "../../turnout/turnout.model.js";
import { apiFetch, apiFetchBlob, apiFetchText } from "./client.js";

export type { ImportVotedDto, LinkListItemDto, TurnoutStatusDto };
export interface NotVotedDto {
  memberId: number;
  membershipNumber: string;
  name: string;
  workplace: string | null;
}

export function useBallotTurnout(id: number) {
  return useQuery({
    queryKey: ["ballots", id, "turnout"],
    queryFn: ({ signal }) => apiFetch<TurnoutStatusDto>(`/api/ballots/${id}/turnout`, { signal }),
    refetchInterval: 5000,
  });
}

export function useNotVoted(id: number, enabled: boolean) {
  return useQuery({
    queryKey: ["ballots", id, "not-voted"],
    queryFn: ({ signal }) => apiFetch<NotVotedDto[]>(`/api/ballots/${id}/turnout/not-voted`, { signal }),
    enabled,
    refetchInterval: enabled ? 5000 : false,
  });
}

/**
 * Imports the scrutineer's per-member feed of papers returned for the ballot's dispute: the members
 * named leave the lists of members not yet reported voted at once.
 */
export function useImportVotedFeed(id: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { fileName: string; csv: string }) =>
      apiFetch<ImportVotedDto>(`/api/ballots/${id}/turnout/voted`, { method: "POST", body: input }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ["ballots", id, "turnout"] });
      void client.invalidateQueries({ queryKey: ["ballots", id, "not-voted"] });
    },
  });
}

export function useBallotLinks(id: number, enabled: boolean) {
  return useQuery({
    queryKey: ["ballots", id, "links"],
    queryFn: ({ signal }) => apiFetch<LinkListItemDto[]>(`/api/ballots/${id}/links`, { signal }),
    enabled,
    refetchInterval: enabled ? 5000 : false,
  });
}

/** Issues links (this ballot, or every frozen ballot of its dispute); the CSV is their only copy. */
export function useIssueBallotLinks(id: number) {
  return useMutation({
    mutationFn: (scope: "ballot" | "dispute") =>
      apiFetchText(`/api/ballots/${id}/links?scope=${scope}`, { method: "POST" }),
  });
}

/** Issues links as a printable sheet (one member per page); the PDF is their only copy. */
export function useIssueBallotLinkSheet(id: number) {
  return useMutation({
    mutationFn: () => apiFetchBlob(`/api/ballots/${id}/links?format=pdf`, { method: "POST" }),
  });
}

/* ---------- The member's side: the token goes in the body, never in a URL. ---------- */

export function reportByLink(
  token: string,
  report: { kind: "voted" | "wrong_address" } | { kind: "needs_replacement"; reason: ReplacementReason },
) {
  return apiFetch<LinkViewDto>("/api/link/report", {
    method: "POST",
    body: { token, ...report },
  });
}
export type ReplacementReason = "lost" | "spoilt" | "not_received";

/** The member's own strike pay or hardship claim through their dispute's strike pay link. */
export function claimByLink(token: string, claim: Omit<ClaimByLinkInput, "token">) {
  return apiFetch<LinkViewDto>("/api/link/claim", { method: "POST", body: { token, ...claim } });
}

/** Issues strike pay links to the dispute's members in the officer's scope; the CSV is their only copy. */
export function useIssueStrikePayLinks(disputeId: number) {
  return useMutation({
    mutationFn: () => apiFetchText(`/api/disputes/${disputeId}/strike-pay/links`, { method: "POST" }),
  });
}
