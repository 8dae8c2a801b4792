/**
 * Blocking: which record pairs get scored at all.
 *
 * Scoring every pair of 2M records is 2 * 10^12 comparisons; blocking
 * scores only pairs that agree on at least one cheap key. The rules are a
 * union (Splink's design): a pair is a candidate if any rule puts both
 * records in one block. Each pair is scored once: when rule r produces a
 * pair, it is skipped if an earlier rule already put the two records in a
 * common block. That test needs only each record's key under each rule (an
 * Int32Array per rule), never a set of seen pairs, so memory stays linear
 * in the number of records.
 *
 * Block-size caps. A value shared by many records (an office postcode, a
 * placeholder email, 1 January 1970, "John Smith" in a national list) would
 * make its block quadratic. Blocks over the rule's cap (BLOCK_CAP for
 * identifier-like keys, LOOSE_BLOCK_CAP for keys strangers share by chance)
 * are split by the rule's sub-keys in turn (postcode -> postcode + surname
 * sound -> + forename); whatever is still too large is dropped for that
 * rule only. A value shared by that many records is weak evidence anyway
 * (term frequency), so the pairs lost there are pairs the model could not
 * have linked from that value alone, and the other rules still see them.
 */

import {
  type BlockingValues,
  COL_DOB,
  COL_EMAIL,
  COL_FORENAME,
  COL_MOBILE,
  COL_POSTCODE,
  COL_SURNAME,
  COL_YMD,
  type Prepared,
  STRIDE,
} from "./model.js";

export const BLOCK_CAP = 200;

/** A key per record, -1 for none. Numbers so that no strings are built per record. */
type KeyFn = (p: Prepared, i: number) => number;

export interface BlockingRule {
  name: string;
  key: KeyFn;
  /** Keys are dictionary ids below the record count, so blocks can be numbered without a map. */
  dense: boolean;
  /** Finer keys for blocks over the cap, tried in order. */
  subKeys: readonly KeyFn[];
  /** Largest block compared whole; default BLOCK_CAP. */
  cap?: number;
  /** The normalised values the key is made of: records share the key exactly when these are equal. */
  fields: readonly (keyof BlockingValues)[];
}

const col = (p: Prepared, i: number, c: number): number => p.rows[i * STRIDE + c]!;
const forenameLetter: KeyFn = (p, i) => {
  const f = col(p, i, COL_FORENAME);
  return f < 0 ? -1 : p.forenames[f]!.blockLetter;
};
const forenameFirst: KeyFn = (p, i) => {
  const f = col(p, i, COL_FORENAME);
  return f < 0 ? -1 : p.forenames[f]!.firstId;
};
const surnameSound: KeyFn = (p, i) => {
  const s = col(p, i, COL_SURNAME);
  return s < 0 ? -1 : p.surnames[s]!.dmId;
};
const birthYear: KeyFn = (p, i) => {
  const ymd = col(p, i, COL_YMD);
  return ymd > 0 ? (ymd / 10_000) | 0 : -1;
};
const dateOfBirth: KeyFn = (p, i) => col(p, i, COL_DOB);

/** 2^21: forename ids stay below it (there are far fewer distinct first names). */
const SHIFT = 2_097_152;

/**
 * Cap for keys that strangers share by chance (a date of birth, a common
 * name, a surname sound): past 50 records such a block is mostly pairs that
 * agree on that key alone, and its size grows with the list. A date of
 * birth is held by about N / 17,000 members: 6 in a 100k list but 120 in a
 * 2M list, where unsplit date blocks would be 1.2 * 10^8 pairs. Measured on
 * 500k synthetic records: 37% fewer comparisons, 2 of 17,449 linkable pairs
 * lost. Identifier-like keys (email, mobile, postcode) keep BLOCK_CAP.
 */
export const LOOSE_BLOCK_CAP = 50;

export const RULES: readonly BlockingRule[] = [
  {
    name: "email",
    key: (p, i) => col(p, i, COL_EMAIL),
    dense: true,
    subKeys: [forenameLetter, birthYear],
    fields: ["email"],
  },
  {
    name: "mobile",
    key: (p, i) => col(p, i, COL_MOBILE),
    dense: true,
    subKeys: [forenameLetter, birthYear],
    fields: ["mobile"],
  },
  {
    name: "forename + surname",
    key: (p, i) => {
      const f = col(p, i, COL_FORENAME);
      const s = col(p, i, COL_SURNAME);
      return f < 0 || s < 0 ? -1 : s * SHIFT + p.forenames[f]!.firstId;
    },
    dense: false,
    subKeys: [birthYear, dateOfBirth],
    cap: LOOSE_BLOCK_CAP,
    fields: ["surname", "first"],
  },
  {
    name: "date of birth",
    key: dateOfBirth,
    dense: true,
    subKeys: [forenameLetter, surnameSound],
    cap: LOOSE_BLOCK_CAP,
    fields: ["ymd"],
  },
  {
    // Catches surname typos that sound alike (Smyth/Smith) with a nickname (Bob/Robert).
    name: "surname sound + forename letter",
    key: (p, i) => {
      const s = col(p, i, COL_SURNAME);
      const l = forenameLetter(p, i);
      return s < 0 || l < 0 ? -1 : p.surnames[s]!.dmId * 32 + l;
    },
    dense: false,
    subKeys: [birthYear, forenameFirst],
    cap: LOOSE_BLOCK_CAP,
    fields: ["sound", "letter"],
  },
  {
    name: "postcode",
    key: (p, i) => col(p, i, COL_POSTCODE),
    dense: true,
    subKeys: [surnameSound, forenameFirst],
    fields: ["postcode"],
  },
];

export interface BlockStats {
  rule: string;
  blocks: number;
  /** Records left out of this rule because their block stayed over the cap. */
  dropped: number;
  /** Pairs this rule added to the union (not met under an earlier rule). */
  pairs: number;
}

/**
 * Each record's block id under one rule after capping: dense ids, -1 for no
 * block. Sub-keys are combined with the current block id through a map, so
 * only records in oversized blocks pay for it.
 */
export function blockKeys(
  p: Prepared,
  rule: BlockingRule,
  defaultCap: number,
): { keys: Int32Array; stats: BlockStats } {
  const n = p.n;
  const cap = rule.cap ?? defaultCap;
  const keys = new Int32Array(n);
  let sizes: number[] = [];
  if (rule.dense) {
    // Dictionary ids: number the blocks through an array, not a hash map.
    const ids = new Int32Array(n).fill(-1);
    for (let i = 0; i < n; i++) {
      const k = rule.key(p, i);
      if (k < 0) {
        keys[i] = -1;
        continue;
      }
      let id = ids[k]!;
      if (id < 0) {
        id = sizes.length;
        ids[k] = id;
        sizes.push(0);
      }
      sizes[id]!++;
      keys[i] = id;
    }
  } else {
    const ids = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      const k = rule.key(p, i);
      if (k < 0) {
        keys[i] = -1;
        continue;
      }
      let id = ids.get(k);
      if (id === undefined) {
        id = sizes.length;
        ids.set(k, id);
        sizes.push(0);
      }
      sizes[id]!++;
      keys[i] = id;
    }
  }

  for (const sub of rule.subKeys) {
    // Which blocks to split is fixed before moving anyone, so a block is split whole.
    const oversized = new Set<number>();
    for (let id = 0; id < sizes.length; id++) if (sizes[id]! > cap) oversized.add(id);
    if (oversized.size === 0) break;
    const split = new Map<string, number>();
    for (let i = 0; i < n; i++) {
      const id = keys[i]!;
      if (id < 0 || !oversized.has(id)) continue;
      const composite = `${id}:${sub(p, i)}`;
      let next = split.get(composite);
      if (next === undefined) {
        next = sizes.length;
        split.set(composite, next);
        sizes.push(0);
      }
      sizes[id]!--;
      sizes[next]!++;
      keys[i] = next;
    }
  }

  let dropped = 0;
  for (let i = 0; i < n; i++) {
    const id = keys[i]!;
    if (id >= 0 && sizes[id]! > cap) {
      keys[i] = -1;
      dropped++;
    }
  }
  let blocks = 0;
  for (const size of sizes) if (size > 1 && size <= cap) blocks++;
  sizes = [];
  return { keys, stats: { rule: rule.name, blocks, dropped, pairs: 0 } };
}

/**
 * One block of a rule before capping (records sharing the rule's key, as
 * indices into `p`) split as `blockKeys` splits it within the whole list:
 * while a block is over the cap, by the rule's next sub-key. Returns the
 * blocks compared (over the cap after the last sub-key: left out), each in
 * the given order, and writes each record's depth into `depth` (by index
 * into `p`): how many sub-keys its block was split by, or -1 when left out.
 * Two records with the same key share a capped block exactly when they
 * have the same depth and agree on that many sub-keys.
 */
export function splitBlock(
  p: Prepared,
  rule: BlockingRule,
  records: readonly number[],
  defaultCap: number,
  depth: Int8Array,
): number[][] {
  const cap = rule.cap ?? defaultCap;
  for (const i of records) depth[i] = 0;
  let blocks: number[][] = [records.slice()];
  let level = 0;
  for (const sub of rule.subKeys) {
    if (!blocks.some((b) => b.length > cap)) break;
    level++;
    const next: number[][] = [];
    for (const block of blocks) {
      if (block.length <= cap) {
        next.push(block);
        continue;
      }
      const split = new Map<number, number[]>();
      for (const i of block) {
        const k = sub(p, i);
        const list = split.get(k);
        if (list) list.push(i);
        else split.set(k, [i]);
        depth[i] = level;
      }
      for (const list of split.values()) next.push(list);
    }
    blocks = next;
  }
  const kept: number[][] = [];
  for (const block of blocks) {
    if (block.length > cap) for (const i of block) depth[i] = -1;
    else kept.push(block);
  }
  return kept;
}

/**
 * Calls `visit(i, j)` (i < j) once for every candidate pair in the union of
 * the rules. Returns per-rule statistics.
 */
export function forEachCandidatePair(
  p: Prepared,
  visit: (i: number, j: number) => void,
  rules: readonly BlockingRule[] = RULES,
  cap: number = BLOCK_CAP,
): BlockStats[] {
  const n = p.n;
  const R = rules.length;
  // Every record's block under every rule, interleaved: the "already met
  // under an earlier rule?" test reads two short runs instead of 2R arrays.
  const table = new Int32Array(n * R);
  const stats: BlockStats[] = [];
  const order = new Int32Array(n);
  let starts: Int32Array[] = [];
  for (let r = 0; r < R; r++) {
    const { keys, stats: s } = blockKeys(p, rules[r]!, cap);
    stats.push(s);
    let max = -1;
    for (let i = 0; i < n; i++) {
      const k = keys[i]!;
      table[i * R + r] = k;
      if (k > max) max = k;
    }
    // Counting sort: block k's records are order[start[k] .. start[k+1]), in index order.
    const start = new Int32Array(max + 2);
    for (let i = 0; i < n; i++) if (keys[i]! >= 0) start[keys[i]! + 1]!++;
    for (let k = 0; k <= max; k++) start[k + 1]! += start[k]!;
    starts.push(start);
  }

  for (let r = 0; r < R; r++) {
    const start = starts[r]!;
    const blocks = start.length - 1;
    const fill = start.slice(0, blocks);
    let added = 0;
    for (let i = 0; i < n; i++) {
      const k = table[i * R + r]!;
      if (k >= 0) order[fill[k]!++] = i;
    }
    for (let k = 0; k < blocks; k++) {
      const lo = start[k]!;
      const hi = start[k + 1]!;
      if (hi - lo < 2) continue;
      for (let x = lo; x < hi; x++) {
        const i = order[x]!;
        const ti = i * R;
        for (let y = x + 1; y < hi; y++) {
          const j = order[y]!;
          const tj = j * R;
          let seen = false;
          for (let q = 0; q < r; q++) {
            const key = table[ti + q]!;
            if (key >= 0 && key === table[tj + q]) {
              seen = true;
              break;
            }
          }
          if (!seen) {
            added++;
            visit(i, j);
          }
        }
      }
    }
    stats[r]!.pairs = added;
  }
  starts = [];
  return stats;
}
