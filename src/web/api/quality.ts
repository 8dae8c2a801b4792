import { useQuery } from "@tanstack/react-query";
import type { QualityDimension, QualityReportDto, QualityRowDto } from "../../members/quality.service.js";
import { apiFetch, queryString } from "./client.js";

export type { QualityDimension, QualityReportDto, QualityRowDto };

export const QUALITY_DIMENSIONS: readonly QualityDimension[] = ["employer", "region", "sector"];

export const qualityKeys = {
  all: ["quality"] as const,
  report: (by: QualityDimension) => [...qualityKeys.all, by] as const,
};

export function useQualityReport(by: QualityDimension) {
  return useQuery({
    queryKey: qualityKeys.report(by),
    queryFn: ({ signal }) => apiFetch<QualityReportDto>(`/api/quality${queryString({ by })}`, { signal }),
  });
}
