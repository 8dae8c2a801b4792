import path from "node:path";

/**
 * The real registers beside the project (`../shared/data`, see its README). Tests that read them skip
 * with the reason printed when they are not on the machine, unless MANDATE_REQUIRE_SHARED_DATA=1 (set
 * by CI, where they are always there): then a missing file is a failure, never a silent skip.
 */
export const SHARED_DATA = path.resolve(import.meta.dirname, "../../../shared/data");

/** False when nothing is missing, else the reason to skip (printed); throws where the data is required. */
export function sharedDataSkip(missing: string | readonly string[] | null | undefined): string | false {
  const names = typeof missing === "string" ? [missing] : [...(missing ?? [])];
  if (!names.length) return false;
  const reason = `${names.join(", ")} not found: the shared reference data is not on this machine`;
  if (process.env.MANDATE_REQUIRE_SHARED_DATA === "1")
    throw new Error(`${reason} (MANDATE_REQUIRE_SHARED_DATA=1)`);
  console.log(`# skipping: ${reason}`);
  return reason;
}
