/**
 * The union's commencement dates for changes in the law (decision 0013):
 * everyone signed in reads them; national officers record them with their
 * legal source.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { CommencementSetting, RecordCommencementInput } from "../../settings/law-commencements.js";
import { apiFetch } from "./client.js";

export type { CommencementSetting };

const commencementsKey = ["law", "commencements"] as const;

export function useCommencements() {
  return useQuery({
    queryKey: commencementsKey,
    queryFn: ({ signal }) => apiFetch<CommencementSetting[]>("/api/law/commencements", { signal }),
  });
}

export function useRecordCommencement() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...input }: RecordCommencementInput & { id: string }) =>
      apiFetch<CommencementSetting[]>(`/api/law/commencements/${encodeURIComponent(id)}`, {
        method: "PUT",
        body: input,
      }),
    onSuccess: (list) => {
      queryClient.setQueryData(commencementsKey, list);
      // Verdicts and deadlines depend on these dates.
      return queryClient.invalidateQueries({ queryKey: ["ballots"] });
    },
  });
}
