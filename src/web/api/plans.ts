/** Regional plans and sector strategies: the list, one plan, its changes, and the disputes unit's roll-up. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type {
  AddMeetingInput,
  AddObjectiveInput,
  AddResourceInput,
  AddTaskInput,
  ConstituencyDto,
  CreatePlanInput,
  PeopleDto,
  PlanDto,
  PlanListDto,
  PlanPlacesDto,
  RollupDto,
  TaskDto,
  TaskStatus,
  UpdateTaskInput,
} from "../../plans/plans.model.js";
import { apiFetch } from "./client.js";

export type { ConstituencyDto, PlanDto, PlanListDto, RollupDto, TaskDto, TaskStatus };

const keys = {
  all: ["plans"] as const,
  list: ["plans", "list"] as const,
  plan: (id: number) => ["plans", "one", id] as const,
  rollup: ["plans", "rollup"] as const,
  places: ["plans", "places"] as const,
  people: ["plans", "people"] as const,
  constituencies: ["plans", "constituencies"] as const,
};

export function usePlans() {
  return useQuery({
    queryKey: keys.list,
    queryFn: ({ signal }) => apiFetch<PlanListDto>("/api/plans", { signal }),
  });
}

export function usePlan(id: number) {
  return useQuery({
    queryKey: keys.plan(id),
    queryFn: ({ signal }) => apiFetch<PlanDto>(`/api/plans/${id}`, { signal }),
  });
}

export function useRollup(enabled: boolean) {
  return useQuery({
    queryKey: keys.rollup,
    queryFn: ({ signal }) => apiFetch<RollupDto>("/api/plans/rollup", { signal }),
    enabled,
  });
}

export function usePlanPlaces(enabled: boolean) {
  return useQuery({
    queryKey: keys.places,
    queryFn: ({ signal }) => apiFetch<PlanPlacesDto>("/api/plans/places", { signal }),
    enabled,
  });
}

export function usePeople(enabled: boolean) {
  return useQuery({
    queryKey: keys.people,
    queryFn: ({ signal }) => apiFetch<PeopleDto>("/api/plans/people", { signal }),
    enabled,
    staleTime: 300_000,
  });
}

export function useConstituencies(enabled: boolean) {
  return useQuery({
    queryKey: keys.constituencies,
    queryFn: ({ signal }) => apiFetch<ConstituencyDto[]>("/api/plans/constituencies", { signal }),
    enabled,
  });
}

export function useCreatePlan() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: Omit<CreatePlanInput, "summary"> & { summary?: string }) =>
      apiFetch<PlanDto>("/api/plans", { method: "POST", body: input }),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.all }),
  });
}

type Part = "objectives" | "tasks" | "resources" | "meetings";
type PartInput = {
  objectives: Partial<AddObjectiveInput> & Pick<AddObjectiveInput, "text">;
  tasks: Partial<AddTaskInput> & Pick<AddTaskInput, "title">;
  resources: Partial<AddResourceInput> & Pick<AddResourceInput, "kind" | "quantity">;
  meetings: Partial<AddMeetingInput> & Pick<AddMeetingInput, "heldOn" | "title">;
};

/** Adds an objective, a task, a resource or a meeting to a plan; answers the plan as it now is. */
export function useAddToPlan<P extends Part>(planId: number, part: P) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: PartInput[P]) =>
      apiFetch<PlanDto>(`/api/plans/${planId}/${part}`, { method: "POST", body: input }),
    onSuccess: (plan) => {
      qc.setQueryData(keys.plan(planId), plan);
      void qc.invalidateQueries({ queryKey: keys.all });
    },
  });
}

export function useUpdateTask() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...input }: { id: number } & UpdateTaskInput) =>
      apiFetch<TaskDto>(`/api/plans/tasks/${id}`, { method: "PATCH", body: input }),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.all }),
  });
}
