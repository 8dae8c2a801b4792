/**
 * The register's own history of NHS trust mergers. ODS publishes no
 * "replaced by" for trusts, but when an older trusts-and-sites file has been
 * loaded, a closed trust's sites are still on record under it, and the same
 * hospitals reappear, by name, under the trust that took them over. A closed
 * trust whose sites mostly reappear under one trust has that trust as its
 * successor. Pure: the loader reads the sites.
 */

/** A site of a closed trust, as an older file listed it. */
export interface FormerSite {
  trustId: number;
  name: string;
}

/** A site as the register lists it now, under the trust that runs it. */
export interface CurrentSite {
  employerId: number;
  name: string;
}

/** Share of a closed trust's sites that must reappear under one trust, and how many at least. */
export const SUCCESSOR_SHARE = 0.5;
export const SUCCESSOR_MIN_SITES = 3;

/** Each closed trust's successor, where its sites say so clearly. */
export function successorsFromSiteHistory(
  former: readonly FormerSite[],
  current: readonly CurrentSite[],
): Map<number, number> {
  const nowUnder = new Map<string, Set<number>>();
  for (const s of current) {
    let set = nowUnder.get(s.name);
    if (!set) {
      set = new Set();
      nowUnder.set(s.name, set);
    }
    set.add(s.employerId);
  }
  const moved = new Map<number, { total: number; to: Map<number, number> }>();
  for (const s of former) {
    const counts = moved.get(s.trustId) ?? { total: 0, to: new Map<number, number>() };
    for (const to of nowUnder.get(s.name) ?? [])
      if (to !== s.trustId) counts.to.set(to, (counts.to.get(to) ?? 0) + 1);
    counts.total++;
    moved.set(s.trustId, counts);
  }
  const successors = new Map<number, number>();
  for (const [id, { total, to }] of moved) {
    let best = -1;
    let n = 0;
    for (const [other, c] of to) if (c > n) [best, n] = [other, c];
    if (best !== -1 && n >= SUCCESSOR_MIN_SITES && n >= SUCCESSOR_SHARE * total) successors.set(id, best);
  }
  return successors;
}
