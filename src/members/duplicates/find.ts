/**
 * findDuplicates: block, score, keep pairs above the review threshold,
 * cluster. comparePeople: the same scoring for one pair.
 *
 * Nothing here deletes or merges: the result says which records are the
 * same person and how sure we are; the caller links certain clusters and
 * queues the rest for people.
 */

import { forEachCandidatePair } from "./blocking.js";
import { Prepared } from "./model.js";
import type {
  DuplicateCluster,
  DuplicateOptions,
  DuplicatePair,
  DuplicateResult,
  PersonRecord,
} from "./types.js";

/**
 * Calibrated on the seeded synthetic lists (synthetic.test.ts, README.md):
 * at 0.99 the certain pairs were 99.94-100% precise over six seeds with
 * about 91% of true pairs certain; 0.999 removed the one wrong pair a seed
 * at most, but sent an eighth of the certain pairs to review. 0.99 is also
 * what the probability itself says: at most 1 certain pair in 100 wrong if
 * the model is calibrated, and fewer on lists under PRIOR_MIN_RECORDS,
 * where the prior is deliberately pessimistic.
 */
export const DEFAULT_CERTAIN_AT = 0.99;
/**
 * More likely the same person than not: worth a person's look. On the
 * synthetic lists about 72% of the review queue are true duplicates; 0.2
 * would add about 0.6% recall for a queue 75% longer, half of it wrong.
 */
export const DEFAULT_REVIEW_AT = 0.5;
/**
 * Clusters larger than this are never certain: one person rarely holds more
 * than a handful of membership numbers, so a big component means a chain of
 * links through shared values, which a person must untangle.
 */
export const MAX_CERTAIN_CLUSTER = 8;

export const odds = (p: number): number => (p >= 1 ? Infinity : p / (1 - p));
export const probability = (o: number): number => (o === Infinity ? 1 : o / (1 + o));

export function checkOptions(options: DuplicateOptions): { certainAt: number; reviewAt: number } {
  const certainAt = options.certainAt ?? DEFAULT_CERTAIN_AT;
  const reviewAt = options.reviewAt ?? Math.min(DEFAULT_REVIEW_AT, certainAt);
  if (!(certainAt >= 0 && certainAt <= 1) || !(reviewAt >= 0 && reviewAt <= 1)) {
    throw new RangeError("certainAt and reviewAt are probabilities between 0 and 1.");
  }
  if (reviewAt > certainAt) throw new RangeError("reviewAt must not be above certainAt.");
  return { certainAt, reviewAt };
}

/**
 * Finds records that are probably the same person.
 *
 * - Pairs: every candidate pair from the blocking rules is scored once;
 *   pairs with probability >= reviewAt are returned, strongest first. Two
 *   records with the same membership number are never paired (that is the
 *   importer's idempotency, not a duplicate person).
 * - Clusters: connected components over those pairs. `confidence` is the
 *   weakest link of the maximum spanning tree, i.e. the best chain of
 *   evidence holding the cluster together is at least this strong.
 * - `certain` is true when confidence >= certainAt and nothing inside the
 *   cluster contradicts it: every pair in the cluster, linked or not, must
 *   itself score >= reviewAt (A=B and B=C but A clearly not C means a person
 *   must look), and the cluster has at most MAX_CERTAIN_CLUSTER records.
 *
 * Memory: besides the input, about 100 bytes per record (a 64-byte row,
 * one Int32 block id per blocking rule, sorting space) and one dictionary
 * entry per distinct name, date, postcode, email and mobile; see README.md
 * for the figures measured on 2M records.
 */
export function findDuplicates(
  records: readonly PersonRecord[],
  options: DuplicateOptions = {},
): DuplicateResult {
  const { certainAt, reviewAt } = checkOptions(options);
  const p = new Prepared(records, records.length);
  const minOdds = odds(reviewAt);

  const keptI: number[] = [];
  const keptJ: number[] = [];
  const keptOdds: number[] = [];
  let comparisons = 0;
  forEachCandidatePair(p, (i, j) => {
    if (p.membership[i] === p.membership[j]) return;
    comparisons++;
    const o = p.score(i, j);
    if (o >= minOdds) {
      keptI.push(i);
      keptJ.push(j);
      keptOdds.push(o);
    }
  });

  // Strongest first; ties in the records' order, so the result does not depend on the order pairs were met in.
  const order = keptOdds
    .map((_o, k) => k)
    .sort((x, y) => keptOdds[y]! - keptOdds[x]! || keptI[x]! - keptI[y]! || keptJ[x]! - keptJ[y]!);
  const pairs: DuplicatePair[] = order.map((k) => {
    const i = keptI[k]!;
    const j = keptJ[k]!;
    const o = p.score(i, j);
    return {
      a: records[i]!.key,
      b: records[j]!.key,
      probability: probability(o),
      weight: p.weight(),
      evidence: p.evidence(i, j),
    };
  });

  const clusters = clustersOf(
    components(
      order.map((k) => keptI[k]!),
      order.map((k) => keptJ[k]!),
      order.map((k) => probability(keptOdds[k]!)),
    ),
    certainAt,
    minOdds,
    (i) => records[i]!.key,
    (i, j) => p.score(i, j),
  );
  return { pairs, clusters, comparisons };
}

export interface Component {
  /** Record numbers, ascending. */
  members: number[];
  /** The weakest edge of the component's maximum spanning tree. */
  confidence: number;
}

/**
 * Kruskal over edges sorted strongest first: components and, for each, the
 * weakest edge of its maximum spanning tree (the last edge that joined it).
 * Records are numbered by the caller (an index into the list, or a row
 * number); edges are (ei[k], ej[k]) with probability ep[k].
 */
export function components(ei: readonly number[], ej: readonly number[], ep: readonly number[]): Component[] {
  const parent = new Map<number, number>();
  const weakest = new Map<number, number>();
  const find = (x: number): number => {
    let r = x;
    for (let q = parent.get(r)!; q !== r; q = parent.get(r)!) r = q;
    for (let y = x, q = parent.get(y)!; q !== r; y = q, q = parent.get(y)!) parent.set(y, r);
    return r;
  };
  for (let k = 0; k < ei.length; k++) {
    const a = ei[k]!;
    const b = ej[k]!;
    if (!parent.has(a)) parent.set(a, a);
    if (!parent.has(b)) parent.set(b, b);
    const ra = find(a);
    const rb = find(b);
    if (ra === rb) continue;
    parent.set(rb, ra);
    const w = Math.min(ep[k]!, weakest.get(ra) ?? 1, weakest.get(rb) ?? 1);
    weakest.set(ra, w);
    weakest.delete(rb);
  }

  const members = new Map<number, number[]>();
  for (const x of parent.keys()) {
    const r = find(x);
    const list = members.get(r);
    if (list) list.push(x);
    else members.set(r, [x]);
  }
  const out: Component[] = [];
  for (const [root, list] of members) {
    list.sort((x, y) => x - y);
    out.push({ members: list, confidence: weakest.get(root) ?? 0 });
  }
  return out;
}

/** Whether a component may be certain only if every pair inside it scores at least reviewAt. */
export function needsInnerCheck(c: Component, certainAt: number): boolean {
  return c.confidence >= certainAt && c.members.length > 2 && c.members.length <= MAX_CERTAIN_CLUSTER;
}

/**
 * Clusters from components: `certain` when confidence >= certainAt, at most
 * MAX_CERTAIN_CLUSTER records, and every pair inside scores at least
 * reviewAt (`oddsOf` is asked only for components where needsInnerCheck).
 * Most certain first; ties smaller first, then by first record.
 */
export function clustersOf(
  comps: readonly Component[],
  certainAt: number,
  minOdds: number,
  keyOf: (x: number) => string,
  oddsOf: (x: number, y: number) => number,
): DuplicateCluster[] {
  const sorted = [...comps].sort(
    (x, y) =>
      y.confidence - x.confidence || x.members.length - y.members.length || x.members[0]! - y.members[0]!,
  );
  return sorted.map((c) => {
    const list = c.members;
    let certain = c.confidence >= certainAt && list.length <= MAX_CERTAIN_CLUSTER;
    if (certain && list.length > 2) {
      outer: for (let x = 0; x < list.length; x++) {
        for (let y = x + 1; y < list.length; y++) {
          if (oddsOf(list[x]!, list[y]!) < minOdds) {
            certain = false;
            break outer;
          }
        }
      }
    }
    return { keys: list.map(keyOf), confidence: c.confidence, certain };
  });
}

/**
 * The score of one pair, as findDuplicates would give it in a list of up to
 * PRIOR_MIN_RECORDS records using reference name frequencies (findDuplicates
 * also counts values in the list, so a value common there scores lower).
 */
export function comparePeople(a: PersonRecord, b: PersonRecord): DuplicatePair {
  const p = new Prepared([a, b], 2);
  const o = p.score(0, 1);
  return { a: a.key, b: b.key, probability: probability(o), weight: p.weight(), evidence: p.evidence(0, 1) };
}
