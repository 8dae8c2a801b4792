/** Public shapes of the employer/workplace matcher (re-exported by index.ts). */

export type AliasKind = "former_name" | "alternative_name" | "acronym" | "reviewer" | "site_name";

export interface RegisterEntry {
  employerId: number;
  /** null: the entry is the employer itself. */
  workplaceId: number | null;
  /** Official name of the workplace (or of the employer when workplaceId is null). */
  name: string;
  /** The employer's official name (same as name for employer entries). */
  employerName: string;
  aliases: { text: string; kind: AliasKind }[];
  /** Of the site / head office. */
  postcode: string | null;
  /** ISO; closed entries can still be matched (members keep writing old names) but the result says so. */
  closedOn: string | null;
  /** Register codes, e.g. ["RR8"] or ["RR813"]: a member who writes the code matches exactly. */
  codes: string[];
  /** Town of the site (the register's address), when known: members add it ("St James's, Leeds"). */
  town?: string | null;
  /** ISO; an employer entry not yet open on the member's date is not a candidate then. */
  openedOn?: string | null;
  /**
   * Of a closed employer's own entry: the employers that took over its work
   * (a council abolished in a reorganisation). One successor: members who
   * name it on or after the closing date are matched to the successor; two
   * or more (a county split in two): such members go to review with each.
   */
  successorIds?: number[];
}

export interface MatchQuery {
  employer: string | null;
  workplace: string | null;
  postcode: string | null;
  /**
   * ISO date the employment is as at (the member's date): which employer ran
   * a site, or had succeeded an abolished council, then. Absent: as things
   * stand in the register now.
   */
  asOf?: string | null;
}

export interface MatchCandidate {
  employerId: number;
  workplaceId: number | null;
  /** What matched, for the reviewer. */
  name: string;
  /** Raw score. */
  score: number;
  /** Calibrated probability that this candidate is right, 0..1. */
  confidence: number;
  /** Short human reasons: "acronym LTHT", "former name", "postcode district LS9", "typo: hosps~hospitals". */
  evidence: string[];
  closed: boolean;
}

export type MatchStatus = "auto" | "review" | "unmatched";

export interface MatchResult {
  status: MatchStatus;
  confidence: number;
  best: MatchCandidate | null;
  candidates: MatchCandidate[];
  reason: string;
}
