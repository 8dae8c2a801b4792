/** Public shapes of the duplicate-member engine; re-exported by index.ts. */

export interface PersonRecord {
  /** The caller's id for the record (a member id or an import row key). */
  key: string;
  membershipNumber: string;
  forenames: string;
  surname: string;
  /** ISO date, "1985-03-12". */
  dateOfBirth: string | null;
  /** Normalised UK postcode, "LS9 7TF". */
  postcode: string | null;
  /** Lower case. */
  email: string | null;
  /** E.164, "+447700900123". */
  mobile: string | null;
}

export interface DuplicatePair {
  a: string;
  b: string;
  /** Probability that a and b are the same person. */
  probability: number;
  /** Match weight in bits: log2 of the Bayes factor, before the prior. */
  weight: number;
  /** Why, for the review screen: "same date of birth", "nickname Bob~Robert", "surname typo Smyth~Smith" ... */
  evidence: string[];
}

export interface DuplicateCluster {
  keys: string[];
  /** The weakest link on the cluster's strongest spanning tree. */
  confidence: number;
  /** Safe to link without a person: see findDuplicates for the conditions. */
  certain: boolean;
}

export interface DuplicateOptions {
  /** Pairs at or above this probability are linked automatically. */
  certainAt?: number;
  /** Pairs from here up to certainAt go to people for review. */
  reviewAt?: number;
}

export interface DuplicateResult {
  /** Pairs with probability >= reviewAt, strongest first. */
  pairs: DuplicatePair[];
  /** Connected components over those pairs, size >= 2. */
  clusters: DuplicateCluster[];
  /** Record pairs scored after blocking. */
  comparisons: number;
}
