/**
 * The duplicate search one block at a time, for lists too large to hold in
 * memory: the same blocking rules, caps and scoring as findDuplicates, so
 * the same pairs and clusters, fed by a caller that reads the list in
 * order of each rule's key (the database sorts it; nothing here does I/O).
 *
 * What is global and what is per block:
 * - the prior and the term frequencies need the whole list's size and the
 *   counts of its common values: `ListCounts`, counted by the caller over
 *   `BlockingValues` (see `listCounts` for the same count in memory);
 * - a block under a rule, and its split past the cap, needs only the
 *   records sharing that rule's key: they arrive together;
 * - "each pair is scored once" needs, for a pair met under rule r, whether
 *   an earlier rule put both records in one capped block: one byte per
 *   record and rule (its depth in the split, -1 when left out), written when
 *   that rule's blocks were split, and the two records' own values;
 * - clustering needs only the kept pairs (probability >= reviewAt, few), and
 *   the certain test scores the pairs inside small clusters: `pendingRecords`
 *   names the records it needs, `finish` takes them.
 *
 * Records are numbered 0 .. size-1 by the caller (`ord`); a pair is (lower,
 * higher) ord, as findDuplicates orders a pair by index in its input.
 */

import { BLOCK_CAP, type BlockingRule, RULES, splitBlock } from "./blocking.js";
import {
  type Component,
  checkOptions,
  clustersOf,
  components,
  needsInnerCheck,
  odds,
  probability,
} from "./find.js";
import {
  type BlockingValues,
  type ListCounts,
  MIN_COUNT_FOR_LIST_FREQUENCY,
  NameCache,
  Prepared,
} from "./model.js";
import type { DuplicateOptions, DuplicatePair, DuplicateResult, PersonRecord } from "./types.js";

/** One record as a rule's reader gives it: its number, the record, and its values of the rule's key fields. */
export interface BlockRow {
  ord: number;
  record: PersonRecord;
  /** The rule's `fields`, in order (never null: records without the key are not read for that rule). */
  key: readonly (string | number)[];
}

/** The blocking rules, in the order the search must be fed; `fields` says how to order each one's records. */
export const BLOCKING_RULES: readonly Pick<BlockingRule, "name" | "fields">[] = RULES;

/** Records scored together: at least this many rows of whole blocks make one window. */
export const WINDOW_ROWS = 20_000;

/** Each record's blocking values, for the caller to store and count (a window of records at a time). */
export function blockingValuesOf(records: readonly PersonRecord[], names: NameCache): BlockingValues[] {
  const p = new Prepared(records, records.length, { names });
  return records.map((_r, i) => p.blockingValues(i));
}

/** The counts `ListCounts` holds, over values in memory (the database counts the same with GROUP BY). */
export function listCounts(values: readonly BlockingValues[]): ListCounts {
  const count = <K>(field: (v: BlockingValues) => K | null): Map<K, number> => {
    const all = new Map<K, number>();
    for (const v of values) {
      const k = field(v);
      if (k !== null) all.set(k, (all.get(k) ?? 0) + 1);
    }
    for (const [k, n] of all) if (n < MIN_COUNT_FOR_LIST_FREQUENCY) all.delete(k);
    return all;
  };
  return {
    size: values.length,
    first: count((v) => v.first),
    surname: count((v) => v.surname),
    ymd: count((v) => v.ymd),
    postcode: count((v) => v.postcode),
    email: count((v) => v.email),
    mobile: count((v) => v.mobile),
  };
}

interface Kept {
  i: number;
  j: number;
  odds: number;
  pair: DuplicatePair;
}

const sameKey = (a: BlockRow, b: BlockRow): boolean => {
  for (let k = 0; k < a.key.length; k++) if (a.key[k] !== b.key[k]) return false;
  return true;
};

export class BlockedSearch {
  readonly certainAt: number;
  readonly reviewAt: number;
  private readonly minOdds: number;
  private readonly names = new NameCache();
  /** Per record and rule: its depth in that rule's split (-1: no block). */
  private readonly depth: Int8Array;
  private readonly kept: Kept[] = [];
  private comparisons = 0;
  private rule = 0;
  private pending: BlockRow[] = [];
  private comps: Component[] | null = null;

  constructor(
    private readonly counts: ListCounts,
    options: DuplicateOptions = {},
    private readonly windowRows = WINDOW_ROWS,
  ) {
    ({ certainAt: this.certainAt, reviewAt: this.reviewAt } = checkOptions(options));
    this.minOdds = odds(this.reviewAt);
    this.depth = new Int8Array(counts.size * RULES.length).fill(-1);
  }

  /** The rule whose records `add` expects next (0 .. BLOCKING_RULES.length - 1). */
  get currentRule(): number {
    return this.rule;
  }

  /**
   * The next rows of the current rule, grouped by its key (records sharing
   * the key together, in any order of keys and within a key), in pieces of
   * any size: a block may span two calls. Records alone under their key may
   * be left out: they are in no pair under this rule.
   */
  add(rows: readonly BlockRow[]): void {
    if (this.rule >= RULES.length) throw new Error("every rule has been read");
    for (const r of rows) this.pending.push(r);
    if (this.pending.length < this.windowRows) return;
    // Whole blocks only: the last key may go on in the next rows.
    const last = this.pending[this.pending.length - 1]!;
    let cut = this.pending.length - 1;
    while (cut > 0 && sameKey(this.pending[cut - 1]!, last)) cut--;
    if (cut === 0) return;
    this.scoreWindow(this.pending.slice(0, cut));
    this.pending = this.pending.slice(cut);
  }

  /** The current rule's rows are all given: score what is left and move to the next rule. */
  endRule(): void {
    if (this.pending.length) this.scoreWindow(this.pending);
    this.pending = [];
    this.rule++;
  }

  /** After the last rule: the records whose pairs the certain test still needs scored (ords). */
  pendingRecords(): number[] {
    if (this.rule < RULES.length) throw new Error("not every rule has been read");
    const ords = new Set<number>();
    for (const c of this.components())
      if (needsInnerCheck(c, this.certainAt)) for (const x of c.members) ords.add(x);
    return [...ords].sort((a, b) => a - b);
  }

  /** Pairs and clusters, given the records `pendingRecords` named (by ord). */
  finish(records: ReadonlyMap<number, PersonRecord>): DuplicateResult {
    const kept = [...this.kept].sort((x, y) => y.odds - x.odds || x.i - y.i || x.j - y.j);
    const keyOf = new Map<number, string>();
    for (const k of kept) {
      keyOf.set(k.i, k.pair.a);
      keyOf.set(k.j, k.pair.b);
    }
    const ords = [...records.keys()];
    const local = new Map(ords.map((o, x) => [o, x]));
    const p = new Prepared(
      ords.map((o) => records.get(o)!),
      this.counts.size,
      { counts: this.counts, names: this.names },
    );
    const clusters = clustersOf(
      this.components(),
      this.certainAt,
      this.minOdds,
      (x) => keyOf.get(x)!,
      (x, y) => {
        const a = local.get(x);
        const b = local.get(y);
        if (a === undefined || b === undefined)
          throw new Error(`record ${a === undefined ? x : y} not given`);
        return p.score(a, b);
      },
    );
    return { pairs: kept.map((k) => k.pair), clusters, comparisons: this.comparisons };
  }

  private components(): Component[] {
    if (!this.comps) {
      const kept = [...this.kept].sort((x, y) => y.odds - x.odds || x.i - y.i || x.j - y.j);
      this.comps = components(
        kept.map((k) => k.i),
        kept.map((k) => k.j),
        kept.map((k) => k.pair.probability),
      );
    }
    return this.comps;
  }

  /** Scores the blocks of whole keys in `rows` under the current rule. */
  private scoreWindow(rows: readonly BlockRow[]): void {
    const r = this.rule;
    const R = RULES.length;
    const rule = RULES[r]!;
    const n = rows.length;
    const p = new Prepared(
      rows.map((row) => row.record),
      this.counts.size,
      { counts: this.counts, names: this.names },
    );
    const ord = Int32Array.from(rows, (row) => row.ord);

    // Earlier rules' keys and sub-keys, for "already met in one block under an earlier rule?".
    const keys: Float64Array[] = [];
    const subs: Float64Array[][] = [];
    const column = (fn: (p: Prepared, i: number) => number): Float64Array => {
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) out[i] = fn(p, i);
      return out;
    };
    for (let q = 0; q < r; q++) {
      keys.push(column(RULES[q]!.key));
      subs.push(RULES[q]!.subKeys.map(column));
    }
    const depth = this.depth;
    const seen = (i: number, j: number): boolean => {
      const oi = ord[i]! * R;
      const oj = ord[j]! * R;
      for (let q = 0; q < r; q++) {
        const d = depth[oi + q]!;
        if (d < 0 || d !== depth[oj + q]) continue;
        const key = keys[q]!;
        if (key[i]! < 0 || key[i] !== key[j]) continue;
        let same = true;
        for (let s = 0; s < d; s++) {
          const sub = subs[q]![s]!;
          if (sub[i] !== sub[j]) {
            same = false;
            break;
          }
        }
        if (same) return true;
      }
      return false;
    };

    const local = new Int8Array(n).fill(-1);
    let start = 0;
    for (let x = 1; x <= n; x++) {
      if (x < n && sameKey(rows[x]!, rows[start]!)) continue;
      const group: number[] = [];
      for (let i = start; i < x; i++) group.push(i);
      start = x;
      // A pair is (lower ord, higher ord), as findDuplicates orders it by index.
      group.sort((i, j) => ord[i]! - ord[j]!);
      const blocks = splitBlock(p, rule, group, BLOCK_CAP, local);
      for (const i of group) depth[ord[i]! * R + r] = local[i]!;
      for (const block of blocks) {
        for (let a = 0; a < block.length; a++) {
          const i = block[a]!;
          for (let b = a + 1; b < block.length; b++) {
            const j = block[b]!;
            if (r > 0 && seen(i, j)) continue;
            if (p.membership[i] === p.membership[j]) continue;
            this.comparisons++;
            const o = p.score(i, j);
            if (o < this.minOdds) continue;
            this.kept.push({
              i: ord[i]!,
              j: ord[j]!,
              odds: o,
              pair: {
                a: rows[i]!.record.key,
                b: rows[j]!.record.key,
                probability: probability(o),
                weight: p.weight(),
                evidence: p.evidence(i, j),
              },
            });
          }
        }
      }
    }
  }
}
