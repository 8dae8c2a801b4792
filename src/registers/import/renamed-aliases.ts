import type { RegisterAlias, RegisterRecord } from "./register-records.js";

/**
 * Renames between two snapshots of one register (etr 2016 against etr 2026):
 * for each code in both whose name changed, the older name becomes a
 * former_name alias, because members keep writing the name they knew.
 * Only the name is compared, ignoring case and spacing, so a re-typed
 * capitalisation is not taken for a rename. Codes of a different kind are not
 * the same organisation, whatever their text.
 *
 * @param olderFile names the older snapshot in each alias's source, e.g. "etr.csv".
 */
export function renamedAliases(
  older: readonly RegisterRecord[],
  newer: readonly RegisterRecord[],
  olderFile = "older register",
): Map<string, RegisterAlias[]> {
  const newerByCode = new Map<string, RegisterRecord>();
  for (const r of newer) newerByCode.set(`${r.codeKind}:${r.code}`, r);

  const renamed = new Map<string, RegisterAlias[]>();
  for (const was of older) {
    const now = newerByCode.get(`${was.codeKind}:${was.code}`);
    if (!now || sameName(was.name, now.name)) continue;
    const aliases = renamed.get(was.code) ?? [];
    if (aliases.some((a) => sameName(a.name, was.name))) continue;
    aliases.push({ name: was.name, kind: "former_name", source: `${olderFile} line ${was.line} (renamed)` });
    renamed.set(was.code, aliases);
  }
  return renamed;
}

function sameName(a: string, b: string): boolean {
  const norm = (s: string) => s.trim().replace(/\s+/g, " ").toUpperCase();
  return norm(a) === norm(b);
}
