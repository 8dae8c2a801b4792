/** The disputes unit board: kept figures, asked again at the board's interval with If-None-Match. */
import { useMutation, useQuery } from "@tanstack/react-query";
import type { BoardDto } from "../../board/board.model.js";
import { apiFetchBlob, apiFetchHeld } from "./client.js";

export type { BoardDto };

/** How often the page asks again; the server keeps the figures for as long (a 304 when unchanged). */
export const BOARD_REFRESH_MS = 60_000;

export function useBoard() {
  return useQuery({
    queryKey: ["board"],
    queryFn: ({ signal }) => apiFetchHeld<BoardDto>("/api/board", { signal }),
    refetchInterval: BOARD_REFRESH_MS,
  });
}

export function useBriefingPdf() {
  return useMutation({ mutationFn: () => apiFetchBlob("/api/board/briefing.pdf") });
}
