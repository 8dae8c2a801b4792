import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { QualityDimension, QualityReportDto, QualityRowDto } from "../../members/quality.service.js";
import { apiFetch, queryString } from "./client.js";

export type { QualityDimension, QualityReportDto, QualityRowDto };

export const QUALITY_DIMENSIONS: readonly QualityDimension[] = ["employer", "region", "sector"];

export const qualityKeys = {
  all: ["quality"] as const,
  report: (by: QualityDimension, page: number) => [...qualityKeys.all, by, page] as const,
};

// On a phone each row is a card of a dozen figures: ten keep a page within a few screens.
export const QUALITY_PAGE_SIZE = 10;

/** One page of the report (largest rows first), with totals over every row. */
export function useQualityReport(by: QualityDimension, page: number) {
  return useQuery({
    queryKey: qualityKeys.report(by, page),
    queryFn: ({ signal }) =>
      apiFetch<QualityReportDto>(`/api/quality${queryString({ by, page, pageSize: QUALITY_PAGE_SIZE })}`, {
        signal,
      }),
    placeholderData: keepPreviousData,
  });
}
