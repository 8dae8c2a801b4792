import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type {
  MaterialDto,
  MaterialInput,
  MaterialKind,
  MaterialLanguage,
  MaterialVersionDto,
} from "../../materials/materials.model.js";
import { apiFetch, apiUpload, queryString, type UploadProgress } from "./client.js";

export type { MaterialDto, MaterialKind, MaterialLanguage, MaterialVersionDto, UploadProgress };

export interface MaterialFilterValues {
  kind?: MaterialKind | undefined;
  language: MaterialLanguage;
  state: "approved" | "draft" | "withdrawn" | "any";
  q?: string | undefined;
}

export const materialKeys = {
  all: ["materials"] as const,
  list: (f: MaterialFilterValues) => ["materials", "list", f] as const,
};

export function useMaterials(filters: MaterialFilterValues) {
  return useQuery({
    queryKey: materialKeys.list(filters),
    queryFn: ({ signal }) =>
      apiFetch<MaterialDto[]>(
        `/api/materials${queryString({ kind: filters.kind, language: filters.language, state: filters.state, q: filters.q || undefined })}`,
        { signal },
      ),
  });
}

export function useCreateMaterial() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: MaterialInput) =>
      apiFetch<MaterialDto>("/api/materials", { method: "POST", body: input }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: materialKeys.all }),
  });
}

export function useUploadVersion(materialId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (p: {
      file: File;
      language: MaterialLanguage;
      note: string;
      onProgress?: (p: UploadProgress) => void;
    }) => {
      const form = new FormData();
      form.append("file", p.file);
      return apiUpload<MaterialVersionDto>(
        `/api/materials/${materialId}/versions${queryString({ language: p.language, note: p.note || undefined })}`,
        form,
        { onProgress: p.onProgress },
      );
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: materialKeys.all }),
  });
}

export function useApproveMaterialVersion() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (versionId: number) =>
      apiFetch<MaterialVersionDto>(`/api/materials/versions/${versionId}/approve`, { method: "POST" }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: materialKeys.all }),
  });
}

export function useWithdrawMaterialVersion() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (p: { versionId: number; reason: string }) =>
      apiFetch<MaterialVersionDto>(`/api/materials/versions/${p.versionId}/withdraw`, {
        method: "POST",
        body: { reason: p.reason },
      }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: materialKeys.all }),
  });
}

/** Where a version's file is downloaded from: a plain link, sent with the session cookie. */
export function materialFileUrl(versionId: number): string {
  return `/api/materials/versions/${versionId}/file`;
}
