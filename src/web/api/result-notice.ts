import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { ResultNoticeDto } from "../../comms/result-notice.service.js";
import { apiFetch } from "./client.js";

export type { ResultNoticeDto };

export const resultNoticeKeys = {
  of: (ballotId: number) => ["ballots", ballotId, "result-notice"] as const,
};

/** Where the statutory result notice stands for a constituency; looked at again while it is being sent. */
export function useResultNotice(ballotId: number) {
  return useQuery({
    queryKey: resultNoticeKeys.of(ballotId),
    queryFn: ({ signal }) => apiFetch<ResultNoticeDto>(`/api/ballots/${ballotId}/result-notice`, { signal }),
    refetchInterval: (q) => (q.state.data && q.state.data.inProgress > 0 ? 2000 : false),
    staleTime: 0,
  });
}

export function useSendResultNotice(ballotId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => apiFetch<ResultNoticeDto>(`/api/ballots/${ballotId}/result-notice`, { method: "POST" }),
    onSuccess: (data) => {
      queryClient.setQueryData(resultNoticeKeys.of(ballotId), data);
      void queryClient.invalidateQueries({ queryKey: resultNoticeKeys.of(ballotId) });
    },
  });
}
