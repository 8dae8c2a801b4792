import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { BranchDto, RegionDto, SectorDto } from "../../org/org.model.js";
import type { UnionSettingsDto, UpdateUnionSettingsInput } from "../../org/union-settings.js";
import { apiFetch } from "./client.js";

export type { BranchDto, RegionDto, SectorDto };

export const orgKeys = {
  regions: ["org", "regions"] as const,
  sectors: ["org", "sectors"] as const,
  branches: ["org", "branches"] as const,
};

/** Reference lists change rarely: fetched once per session. */
const LIST_STALE_MS = 30 * 60_000;

export function useRegions(enabled = true) {
  return useQuery({
    queryKey: orgKeys.regions,
    queryFn: ({ signal }) => apiFetch<RegionDto[]>("/api/regions", { signal }),
    staleTime: LIST_STALE_MS,
    enabled,
  });
}

export function useSectors(enabled = true) {
  return useQuery({
    queryKey: orgKeys.sectors,
    queryFn: ({ signal }) => apiFetch<SectorDto[]>("/api/sectors", { signal }),
    staleTime: LIST_STALE_MS,
    enabled,
  });
}

export function useBranches(enabled = true) {
  return useQuery({
    queryKey: orgKeys.branches,
    queryFn: ({ signal }) => apiFetch<BranchDto[]>("/api/branches", { signal }),
    staleTime: LIST_STALE_MS,
    enabled,
  });
}

/** Who the union's notices come from (letterhead and signatory). */
export function useUnionSettings() {
  return useQuery({
    queryKey: ["org", "union-settings"],
    queryFn: ({ signal }) => apiFetch<UnionSettingsDto>("/api/union/settings", { signal }),
  });
}

export function useSaveUnionSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: UpdateUnionSettingsInput) =>
      apiFetch<UnionSettingsDto>("/api/union/settings", { method: "PATCH", body: input }),
    onSuccess: (answer) => queryClient.setQueryData(["org", "union-settings"], answer),
  });
}
