/**
 * Contact lists while a ballot runs: the rep's list and one-tap contact logging, officers' assignments
 * and their progress, and the constituencies' turnout status beside them.
 */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type {
  AssignmentDto,
  AssignmentsDto,
  ContactType,
  CreateAssignmentInput,
  ListPageDto,
  ListRowDto,
  Outcome,
} from "../../canvass/canvass.model.js";
import type { SelfReportKind, TurnoutStatusDto } from "../../turnout/turnout.model.js";
import { apiFetch, queryString } from "./client.js";

export type { AssignmentDto, ContactType, ListRowDto, Outcome, SelfReportKind, TurnoutStatusDto };
export type Assignments = AssignmentsDto;
export type ContactList = ListPageDto;

const keys = {
  all: (ballotId: number) => ["ballots", ballotId, "canvass"] as const,
  list: (ballotId: number, q: Record<string, number | undefined>) =>
    ["ballots", ballotId, "canvass", "list", q] as const,
  assignments: (ballotId: number) => ["ballots", ballotId, "canvass", "assignments"] as const,
  turnout: (ballotId: number) => ["ballots", ballotId, "canvass", "turnout"] as const,
};

export function useContactList(
  ballotId: number,
  q: { page: number; pageSize: number; workplaceId?: number | undefined; assignmentId?: number | undefined },
) {
  return useQuery({
    queryKey: keys.list(ballotId, q),
    queryFn: ({ signal }) =>
      apiFetch<ListPageDto>(`/api/ballots/${ballotId}/canvass/list${queryString(q)}`, { signal }),
    placeholderData: keepPreviousData,
    // The list is what is left to do: always as it stands now.
    staleTime: 0,
  });
}

export function useAssignments(ballotId: number) {
  return useQuery({
    queryKey: keys.assignments(ballotId),
    queryFn: ({ signal }) =>
      apiFetch<AssignmentsDto>(`/api/ballots/${ballotId}/canvass/assignments`, { signal }),
    staleTime: 0,
  });
}

export function useTurnout(ballotId: number, enabled: boolean) {
  return useQuery({
    queryKey: keys.turnout(ballotId),
    queryFn: ({ signal }) => apiFetch<TurnoutStatusDto>(`/api/ballots/${ballotId}/turnout`, { signal }),
    enabled,
    staleTime: 0,
  });
}

export interface LogContact {
  memberId: number;
  contactType: ContactType;
  outcome: Outcome;
  report?: SelfReportKind;
}

export function useLogContact(ballotId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: LogContact) =>
      apiFetch<unknown>(`/api/ballots/${ballotId}/canvass/contacts`, { method: "POST", body: input }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: keys.all(ballotId) }),
  });
}

export function useCreateAssignment(ballotId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: CreateAssignmentInput) =>
      apiFetch<AssignmentDto>(`/api/ballots/${ballotId}/canvass/assignments`, {
        method: "POST",
        body: input,
      }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: keys.all(ballotId) }),
  });
}

export function useEndAssignment(ballotId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (assignmentId: number) =>
      apiFetch<AssignmentDto>(`/api/ballots/${ballotId}/canvass/assignments/${assignmentId}/end`, {
        method: "POST",
      }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: keys.all(ballotId) }),
  });
}

export function callSheetUrl(
  ballotId: number,
  format: "csv" | "pdf",
  q: { assignmentId?: number | undefined },
) {
  return `/api/ballots/${ballotId}/canvass/call-sheet.${format}${queryString(q)}`;
}

export interface MemberPosition {
  memberId: number;
  opposedInPrinciple: boolean;
  history: { opposedInPrinciple: boolean; recordedAt: string }[];
}

const positionKey = (memberId: number) => ["members", memberId, "position"] as const;

export function useMemberPosition(memberId: number, enabled: boolean) {
  return useQuery({
    queryKey: positionKey(memberId),
    queryFn: ({ signal }) => apiFetch<MemberPosition>(`/api/members/${memberId}/position`, { signal }),
    enabled,
  });
}

export function useRecordPosition(memberId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (opposedInPrinciple: boolean) =>
      apiFetch<MemberPosition>(`/api/members/${memberId}/position`, {
        method: "PUT",
        body: { opposedInPrinciple },
      }),
    onSuccess: (position) => {
      queryClient.setQueryData(positionKey(memberId), position);
      // Lists leave out members opposed in principle.
      void queryClient.invalidateQueries({ queryKey: ["ballots"] });
    },
  });
}
