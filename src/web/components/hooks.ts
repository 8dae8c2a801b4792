import { useEffect } from "react";
import { useSearchParams } from "react-router";

/** Sets `document.title` for the screen: "Members · Mandate". */
export function usePageTitle(title: string): void {
  useEffect(() => {
    document.title = title ? `${title} · Mandate` : "Mandate";
  }, [title]);
}

/** A positive integer from the query string, or undefined. */
export function intParam(params: URLSearchParams, name: string): number | undefined {
  const raw = params.get(name);
  if (!raw || !/^\d{1,9}$/.test(raw)) return undefined;
  const n = Number(raw);
  return n > 0 ? n : undefined;
}

export function textParam(params: URLSearchParams, name: string): string | undefined {
  const raw = params.get(name)?.trim();
  return raw ? raw : undefined;
}

/**
 * The screen's filters live in the URL query string, so they survive a reload
 * and can be shared. `update` merges changes (empty values remove the key) and
 * goes back to page 1 unless the page itself is being changed.
 */
export function useQueryParams() {
  const [params, setParams] = useSearchParams();
  const update = (changes: Record<string, string | number | boolean | undefined | null>) => {
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        for (const [key, value] of Object.entries(changes)) {
          if (value === undefined || value === null || value === "" || value === false) next.delete(key);
          else next.set(key, String(value));
        }
        if (!("page" in changes)) next.delete("page");
        return next;
      },
      { replace: false },
    );
  };
  return [params, update] as const;
}
