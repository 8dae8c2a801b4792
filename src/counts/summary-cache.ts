import type { Db } from "../db/database.js";

/**
 * Summaries are cached per database, per reader scope, and per version of
 * the union's member counts. The version is bumped by the members trigger in
 * the same transaction as the change (and by register changes that alter a
 * summary), so a cached answer is never older than the data it was read with;
 * reading the version is one primary-key lookup, which every process sees.
 */
interface Entry<T> {
  version: number;
  value: Promise<T>;
}

const MAX_ENTRIES = 2000;
const caches = new WeakMap<object, Map<string, Entry<unknown>>>();

export async function cachedByVersion<T>(
  db: Db,
  key: string,
  version: number,
  compute: () => Promise<T>,
): Promise<T> {
  // Inside a transaction the reader may see its own uncommitted changes: never share those.
  if (db.isTransaction) return compute();
  let cache = caches.get(db);
  if (!cache) {
    cache = new Map();
    caches.set(db, cache);
  }
  const hit = cache.get(key) as Entry<T> | undefined;
  if (hit && hit.version === version) return hit.value;
  // Concurrent readers of the same key share one computation.
  const value = compute();
  cache.set(key, { version, value });
  value.catch(() => cache.delete(key));
  if (cache.size > MAX_ENTRIES) {
    const oldest = cache.keys().next().value;
    if (oldest !== undefined) cache.delete(oldest);
  }
  return value;
}
