/**
 * Seeded generator of members' employer and workplace strings with known
 * truth (record-linkage.md §4.2 point 4, the employer-string grammar), and
 * the metrics of §4.2 point 8 (auto-accept precision, coverage of matchable
 * strings, review-queue size), broken down by variant kind. Used by the
 * matcher's tests and by the benchmark; pure (give it register entries).
 *
 * "Matchable" is decided by an oracle that knows the register but not the
 * matcher: a string is matchable when the words it was made from (before
 * case, abbreviation and typo noise) single out one employer: no other
 * employer has a name or alias containing all of them, or, for a string
 * that is a whole name, no other employer has that same name. Coverage is
 * measured on matchable strings only; precision on every auto-accept, so a
 * string naming nobody in the register that gets auto-accepted is an error.
 */
import {
  coreBounds,
  coreName,
  normaliseOrganisationName,
  normaliseWords,
  STOPWORDS,
  tokenKey,
  words,
} from "./normalise.js";
import type { MatchQuery, MatchResult, RegisterEntry } from "./types.js";

export const VARIANT_KINDS = [
  "official",
  "case",
  "abbreviation",
  "suffix_dropped",
  "short_name",
  "acronym",
  "former_name",
  "typo",
  "code",
  "site_only",
  "site_town",
  "apostrophe",
  "ward_prefix",
  "site_acronym",
  "employer_and_site",
  "place_and_site",
  "not_in_register",
  "wrong_level",
  "conflict",
  "generic",
] as const;
export type VariantKind = (typeof VARIANT_KINDS)[number];

export interface Variant {
  kind: VariantKind;
  query: MatchQuery;
  /** The employer the member means; null when it is no employer in the register (or unknowable). */
  employerId: number | null;
  /** The workplace the member means, when the string names one. */
  workplaceId: number | null;
  /** The register alone singles out the employer (coverage denominator). */
  matchable: boolean;
  /** The register text the variant was made from, for error reports. */
  source: string;
}

export interface VariantOptions {
  seed: number;
  count: number;
  /** Town of an entry, by index in `entries` (ODS address line), for "site + town". */
  towns?: ReadonlyMap<number, string>;
  /** Employers (and their sites) left out of the index: strings naming them must not auto-match. */
  absent?: readonly RegisterEntry[];
  /** Organisations at another level that the register does not hold (councils, ICBs). */
  otherOrganisations?: readonly string[];
  /** Relative frequency of each kind; kinds left out use DEFAULT_KIND_WEIGHTS. */
  weights?: Partial<Record<VariantKind, number>>;
}

export const DEFAULT_KIND_WEIGHTS: Readonly<Record<VariantKind, number>> = {
  official: 6,
  case: 6,
  abbreviation: 7,
  suffix_dropped: 7,
  short_name: 5,
  acronym: 5,
  former_name: 4,
  typo: 8,
  code: 2,
  site_only: 10,
  site_town: 6,
  apostrophe: 3,
  ward_prefix: 6,
  site_acronym: 3,
  employer_and_site: 8,
  place_and_site: 4,
  not_in_register: 7,
  wrong_level: 4,
  conflict: 3,
  generic: 3,
};

/** Strings that name no employer: what member lists hold instead of one. */
export const GENERIC_STRINGS: readonly string[] = [
  "NHS",
  "Agency",
  "Council",
  "Bank staff",
  "N/A",
  "n/a",
  "unknown",
  "Various",
  "supply",
  "NHS Trust",
  "Locum",
  "Bank",
  "NHSP",
  "-",
  "",
  "Not known",
  "Various sites",
  "Hospital",
  "Self employed",
  "Retired",
  "Agency nurse",
  "Supply teacher",
  "TBC",
  "NHS Foundation Trust",
  "The Hospital",
  "Community",
  "Local Authority",
  "County Council",
  "See above",
  "none",
];

const WARD_PREFIXES: readonly string[] = [
  "Ward 12 ",
  "Ward 7, ",
  "Ward 31 - ",
  "A&E ",
  "A&E, ",
  "Theatres - ",
  "Maternity Unit, ",
  "Outpatients ",
  "Pharmacy Dept ",
  "Unit 4 ",
  "ICU, ",
  "Radiology dept, ",
  "Ward B ",
  "Level 2 ",
];

/** Small, fast, seedable PRNG (mulberry32). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const KEYBOARD_ROWS = ["qwertyuiop", "asdfghjkl", "zxcvbnm"];
function keyboardNeighbour(ch: string, rand: () => number): string {
  for (let r = 0; r < KEYBOARD_ROWS.length; r++) {
    const row = KEYBOARD_ROWS[r]!;
    const i = row.indexOf(ch);
    if (i < 0) continue;
    const options = [row[i - 1], row[i + 1], KEYBOARD_ROWS[r - 1]?.[i], KEYBOARD_ROWS[r + 1]?.[i]].filter(
      (x): x is string => !!x,
    );
    return options[Math.floor(rand() * options.length)] ?? ch;
  }
  return ch;
}

const UPPER_WORDS = new Set(["nhs", "ft", "uk", "gp", "ae", "icb", "ccg"]);
/** "LEEDS TEACHING HOSPITALS NHS TRUST" -> "Leeds Teaching Hospitals NHS Trust", as members type it. */
export function titleCase(s: string): string {
  return s
    .toLowerCase()
    .split(/(\s+|-|\/|\()/)
    .map((w) => {
      if (UPPER_WORDS.has(w) || (/^[a-z]{2,5}$/.test(w) && !/[aeiouy]/.test(w))) return w.toUpperCase();
      return w.replace(/^[a-z]/, (c) => c.toUpperCase());
    })
    .join("");
}

/**
 * Words that say what kind of place a name is, not which one. A string
 * naming no employer in the register is only a fair test when its
 * distinctive words do not all appear in one register name: "Alder Hey
 * Children's Hospital" against the register's "Alder Hey Hospital" is the
 * register naming it, whatever the truth.
 */
const TYPE_WORDS = new Set(
  [
    "hospital",
    "centre",
    "health",
    "healthcare",
    "clinic",
    "house",
    "surgery",
    "practice",
    "unit",
    "medical",
    "community",
    "childrens",
    "children",
    "care",
    "service",
    "team",
    "nhs",
    "trust",
    "foundation",
    "general",
    "district",
    "memorial",
    "university",
    "peripheral",
    "annexe",
    "building",
    "county",
    "day",
    "site",
  ].map(tokenKey),
);

interface OracleForm {
  employerId: number;
  entry: number;
  employerLevel: boolean;
  core: string[];
  coreSet: Set<string>;
  /** Core keys without type words ("hospital", "centre"): what tells one place from another. */
  dist: string[];
  distSet: Set<string>;
}

function distinctive(core: readonly string[]): string[] {
  const d = core.filter((k) => !TYPE_WORDS.has(k));
  return d.length ? d : [...core];
}

/** Optimal string alignment distance up to 1 (the oracle's own, for typo'd names). */
function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (a.length === b.length) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true; // substitution
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2); // transposition
  }
  return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

/** Core keys of a string, as sets are compared: stopwords out, legal suffix out. */
function coreKeys(text: string): string[] {
  const out: string[] = [];
  for (const w of words(coreName(normaliseOrganisationName(text)))) {
    if (STOPWORDS.has(w)) continue;
    const k = tokenKey(w);
    if (!out.includes(k)) out.push(k);
  }
  return out;
}

/** The generator's own acronym rules (kept apart from the matcher's on purpose). */
function memberAcronyms(text: string, level: "employer" | "site"): string[] {
  const ws = words(normaliseOrganisationName(text)).filter((w) => !STOPWORDS.has(w));
  const out = new Set<string>();
  const ini = (drop: string[]) =>
    ws
      .filter((w) => !drop.includes(w))
      .map((w) => w[0])
      .join("");
  if (level === "employer") {
    out.add(ini(["nhs"]));
    out.add(ini(["nhs", "foundation"]));
  } else if (/(hospital|infirmary)$/.test(ws.join(" "))) {
    out.add(ini([]));
  }
  return [...out].filter((a) => a.length >= 3 && a.length <= 6);
}

class Oracle {
  readonly forms: OracleForm[] = [];
  readonly formsOfEntry = new Map<number, OracleForm[]>();
  readonly byKey = new Map<string, OracleForm[]>();
  readonly context = new Map<number, Set<string>>();
  readonly acronymEmployers = new Map<string, Set<number>>();
  readonly employerForms: OracleForm[] = [];
  /** Postcode area of each entry ("LS"), for whether a town tells sites apart. */
  readonly areaOf: (string | null)[] = [];
  private keysByLength: Map<number, string[]> | null = null;
  private readonly nearCache = new Map<string, string[]>();

  constructor(entries: readonly RegisterEntry[]) {
    entries.forEach((e, i) => {
      this.areaOf.push(/^[A-Z]+/.exec(e.postcode?.trim().toUpperCase() ?? "")?.[0] ?? null);
      const texts = [e.name, ...e.aliases.filter((a) => a.kind !== "acronym").map((a) => a.text)];
      for (const text of texts) {
        const core = coreKeys(text);
        if (!core.length) continue;
        const dist = distinctive(core);
        const f: OracleForm = {
          employerId: e.employerId,
          entry: i,
          employerLevel: e.workplaceId === null,
          core,
          coreSet: new Set(core),
          dist,
          distSet: new Set(dist),
        };
        this.forms.push(f);
        if (f.employerLevel) this.employerForms.push(f);
        const own = this.formsOfEntry.get(i);
        if (own) own.push(f);
        else this.formsOfEntry.set(i, [f]);
        for (const k of core) {
          const list = this.byKey.get(k);
          if (list) list.push(f);
          else this.byKey.set(k, [f]);
        }
        for (const a of memberAcronyms(text, e.workplaceId === null ? "employer" : "site")) {
          this.addAcronym(a, e.employerId);
        }
      }
      for (const a of e.aliases) {
        if (a.kind === "acronym")
          this.addAcronym(normaliseOrganisationName(a.text).replace(/ /g, ""), e.employerId);
      }
      let ctx = this.context.get(e.employerId);
      if (!ctx) {
        ctx = new Set();
        this.context.set(e.employerId, ctx);
      }
      for (const k of coreKeys(e.employerName)) ctx.add(k);
    });
  }

  private addAcronym(a: string, employerId: number): void {
    let set = this.acronymEmployers.get(a);
    if (!set) {
      set = new Set();
      this.acronymEmployers.set(a, set);
    }
    set.add(employerId);
  }

  /**
   * Employers other than `truth` that a string with core keys `core` could
   * equally mean: another employer with a name holding all its distinctive
   * words ("Trowbridge Hospital" and "Trowbridge Community Hospital" are one
   * place to a member), or, when the string is a whole name (`full`),
   * another employer with that same name. A string with a legal suffix
   * means an employer, so only employers' own names compete with it. A town
   * the truth's employer carries narrows competitors to those carrying it.
   */
  competitors(
    core: readonly string[],
    truth: number | null,
    opts: {
      full?: boolean;
      town?: string | null;
      townArea?: string | null;
      employerOnly?: boolean;
      fuzzy?: boolean;
    } = {},
  ): Set<number> {
    const out = new Set<number>();
    if (!core.length) return out;
    const t = distinctive(core);
    // Each word, and (fuzzy) the register words one typo from it.
    const accept = t.map((k) => (opts.fuzzy ? new Set([k, ...this.nearKeys(k)]) : new Set([k])));
    // Candidate forms: those holding the word with the fewest forms.
    let best: OracleForm[] = [];
    let bestSize = Number.POSITIVE_INFINITY;
    for (const keys of accept) {
      let size = 0;
      for (const k of keys) size += this.byKey.get(k)?.length ?? 0;
      if (size < bestSize) {
        bestSize = size;
        best = [...keys].flatMap((k) => this.byKey.get(k) ?? []);
      }
    }
    for (const f of best) {
      if (f.employerId === truth || out.has(f.employerId)) continue;
      if (opts.employerOnly && !f.employerLevel) continue;
      if (!accept.every((keys) => f.dist.some((x) => keys.has(x)))) continue;
      if (opts.full && f.dist.length !== t.length) continue;
      // A town tells two employers' sites apart only if one of them is not there.
      if (
        opts.town &&
        !f.coreSet.has(opts.town) &&
        !this.context.get(f.employerId)?.has(opts.town) &&
        this.areaOf[f.entry] !== opts.townArea
      ) {
        continue;
      }
      out.add(f.employerId);
    }
    return out;
  }

  /** Register keys one edit from `k` (five letters or more). */
  private nearKeys(k: string): string[] {
    if (k.length < 5) return [];
    const cached = this.nearCache.get(k);
    if (cached) return cached;
    if (!this.keysByLength) {
      this.keysByLength = new Map();
      for (const key of this.byKey.keys()) {
        const list = this.keysByLength.get(key.length);
        if (list) list.push(key);
        else this.keysByLength.set(key.length, [key]);
      }
    }
    const out: string[] = [];
    for (let len = k.length - 1; len <= k.length + 1; len++) {
      for (const key of this.keysByLength.get(len) ?? [])
        if (key !== k && withinOneEdit(key, k)) out.push(key);
    }
    this.nearCache.set(k, out);
    return out;
  }

  /** Another employer whose own name's distinctive words are all in `keys` (a site named after another trust). */
  namesAnotherEmployer(keys: ReadonlySet<string>, truth: number): boolean {
    return this.employerForms.some((f) => f.employerId !== truth && f.dist.every((k) => keys.has(k)));
  }

  /** An acronym is matchable when only one employer's names give it and no name uses it as a word. */
  acronymUnique(a: string, truth: number): boolean {
    const emps = this.acronymEmployers.get(a);
    if (emps?.size !== 1 || !emps.has(truth)) return false;
    return !(this.byKey.get(tokenKey(a)) ?? []).some((f) => f.employerId !== truth);
  }
}

const SUFFIXES = [
  / NHS Foundation Trust$/i,
  / NHS Trust$/i,
  / Foundation Trust$/i,
  / NHS FT$/i,
  / Trust$/i,
  /, NHS Foundation Trust$/i,
];

function dropSuffix(s: string): string {
  let out = s.replace(/^The /i, "");
  for (const re of SUFFIXES) out = out.replace(re, "");
  return out.replace(/,$/, "").trim();
}

const ABBREVIATION_RULES: [RegExp, string[]][] = [
  [/\bHospitals\b/i, ["Hosps", "Hosp"]],
  [/\bHospital\b/i, ["Hosp", "Hosp."]],
  [/\bNHS Foundation Trust\b/i, ["NHS FT", "NHS Fdn Trust", "NHS Fdn Tr"]],
  [/\bNHS Trust\b/i, ["NHS Tr", "NHS Trst"]],
  [/\bFoundation\b/i, ["Fdn"]],
  [/\bUniversity\b/i, ["Univ", "Uni"]],
  [/\bGeneral\b/i, ["Gen"]],
  [/\bInfirmary\b/i, ["Inf"]],
  [/\bTeaching\b/i, ["Teach"]],
  [/ and /i, [" & "]],
  [/\bCentre\b/i, ["Ctr"]],
  [/\bCommunity\b/i, ["Comm"]],
  [/\bServices\b/i, ["Svcs"]],
  [/\bPartnership\b/i, ["Pship"]],
  [/\bHealthcare\b/i, ["Hlthcare"]],
  [/\bSaint\b/i, ["St"]],
  [/\bSt /i, ["St. "]],
];

/** Words a member drops to shorten a name: they say what kind of place, not which. */
const SHORTENABLE =
  / (University|Teaching|General|District|Community|Memorial|County|Integrated|Children's|Upon Tyne)(?= |$)/gi;

/** Words members drop from site names ("St James's University Hospital" -> "St James's Hospital"). */
const DROPPABLE = /\b(University|General|District|Community|Memorial|Royal|County)\s/i;

export function generateVariants(entries: readonly RegisterEntry[], options: VariantOptions): Variant[] {
  const rand = seededRandom(options.seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const chance = (p: number) => rand() < p;
  const oracle = new Oracle(entries);
  const weights = { ...DEFAULT_KIND_WEIGHTS, ...options.weights };

  const employerEntries: number[] = [];
  const sitesOf = new Map<number, number[]>();
  const employerEntryOf = new Map<number, number>();
  const districts: string[] = [];
  entries.forEach((e, i) => {
    if (e.workplaceId === null) {
      employerEntries.push(i);
      employerEntryOf.set(e.employerId, i);
    } else {
      const list = sitesOf.get(e.employerId);
      if (list) list.push(i);
      else sitesOf.set(e.employerId, [i]);
    }
    const d = e.postcode?.trim().toUpperCase().split(/\s+/)[0];
    if (d) districts.push(d);
  });
  // Members work at real places: hospitals and named buildings far more than
  // at "Prescriber 412" or a vaccination-trial code, which the register also lists.
  const siteWeight = (e: RegisterEntry): number => {
    const n = e.name.toUpperCase();
    if (/PRESCRIBER|\bNMP\b|COVID|TRIAL|VACCINATION|\bPGD\b/.test(n)) return 0.1;
    if (/HOSPITAL|INFIRMARY/.test(n)) return 4;
    if (/CENTRE|HOUSE|CLINIC|UNIT|HOSPICE/.test(n)) return 1.5;
    return 1;
  };
  const siteIdx: number[] = [];
  const siteCum: number[] = [];
  let total = 0;
  entries.forEach((e, i) => {
    if (e.workplaceId === null || e.closedOn) return;
    total += siteWeight(e);
    siteIdx.push(i);
    siteCum.push(total);
  });
  const pickSite = (): number => {
    const x = rand() * total;
    let lo = 0;
    let hi = siteCum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (siteCum[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return siteIdx[lo]!;
  };
  const pickEmployer = (): number => {
    // Open employers mostly; closed ones still turn up under their old names.
    for (let i = 0; i < 20; i++) {
      const e = pick(employerEntries);
      if (!entries[e]!.closedOn || chance(0.15)) return e;
    }
    return pick(employerEntries);
  };

  /** A member's home postcode: often near the workplace, sometimes not, often missing. */
  const memberPostcode = (entry: RegisterEntry): string | null => {
    const pc = entry.postcode?.trim().toUpperCase();
    const x = rand();
    if (!pc || x < 0.35) return null;
    const incode = `${Math.floor(rand() * 10)}${pick("ABDEFGHJLNPQRSTUWXYZ".split(""))}${pick("ABDEFGHJLNPQRSTUWXYZ".split(""))}`;
    const district = pc.split(/\s+/)[0]!;
    if (x < 0.7) return `${district} ${incode}`;
    const area = /^[A-Z]+/.exec(district)?.[0] ?? district;
    if (x < 0.9) return `${area}${1 + Math.floor(rand() * 20)} ${incode}`;
    return `${pick(districts)} ${incode}`;
  };

  const caseNoise = (s: string): string => {
    const x = rand();
    if (x < 0.3) return s.toLowerCase();
    if (x < 0.5) return s.toUpperCase();
    if (x < 0.65) return s.replace(/ /g, "  ");
    if (x < 0.8) return `${s}.`;
    if (x < 0.9) return ` ${s.toLowerCase()} `;
    return s
      .split("")
      .map((c) => (chance(0.3) ? c.toUpperCase() : c.toLowerCase()))
      .join("");
  };

  const abbreviate = (s: string): string | null => {
    let out = s;
    let applied = 0;
    for (const [re, alts] of ABBREVIATION_RULES) {
      if (re.test(out) && (applied === 0 || chance(0.5))) {
        out = out.replace(re, pick(alts));
        applied++;
      }
    }
    return applied ? out : null;
  };

  const typo = (s: string): string | null => {
    const parts = s.split(" ");
    const candidates = parts.map((w, i) => ({ w, i })).filter(({ w }) => /^[A-Za-z']{5,}$/.test(w));
    if (!candidates.length) return null;
    // The rarest word is the one that identifies the name, and the one a typo hurts most.
    const target = chance(0.6)
      ? candidates.reduce((a, b) =>
          (oracle.byKey.get(tokenKey(b.w.toLowerCase()))?.length ?? 0) <
          (oracle.byKey.get(tokenKey(a.w.toLowerCase()))?.length ?? 0)
            ? b
            : a,
        )
      : pick(candidates);
    const w = target.w;
    const p = 1 + Math.floor(rand() * (w.length - 2));
    const x = rand();
    let t: string;
    if (x < 0.3) t = w.slice(0, p) + w[p + 1] + w[p] + w.slice(p + 2);
    else if (x < 0.55) t = w.slice(0, p) + w.slice(p + 1);
    else if (x < 0.75) t = w.slice(0, p) + w[p] + w.slice(p);
    else t = w.slice(0, p) + keyboardNeighbour(w[p]!.toLowerCase(), rand) + w.slice(p + 1);
    if (t.toLowerCase() === w.toLowerCase()) return null;
    parts[target.i] = t;
    return parts.join(" ");
  };

  const out: Variant[] = [];
  const kinds = VARIANT_KINDS.filter((k) => (weights[k] ?? 0) > 0);
  const kindTotal = kinds.reduce((a, k) => a + weights[k]!, 0);
  const pickKind = (): VariantKind => {
    let x = rand() * kindTotal;
    for (const k of kinds) {
      x -= weights[k]!;
      if (x < 0) return k;
    }
    return kinds[kinds.length - 1]!;
  };

  /** Matchability of a string made from `text` (before noise) meaning `entry`'s employer. */
  const matchableText = (text: string, entryIndex: number, town: string | null = null): boolean => {
    const e = entries[entryIndex]!;
    const ws = normaliseWords(text);
    const t = coreKeys(text);
    if (!t.length) return false;
    // A whole name (legal suffix and stopwords aside) competes only with
    // names whose distinctive words are the same; a shortened one with any
    // name holding its distinctive words ("Manchester" is not only
    // Manchester University NHS FT's, whatever "University" says).
    const forms = oracle.formsOfEntry.get(entryIndex) ?? [];
    const full = forms.some((f) => f.core.length === t.length && t.every((k) => f.coreSet.has(k)));
    // A town the employer's name carries narrows the field to employers that carry it too.
    const townKey = town ? tokenKey(normaliseOrganisationName(town).split(" ").pop() ?? "") : null;
    const useTown = townKey && oracle.context.get(e.employerId)?.has(townKey) ? townKey : null;
    const employerOnly = coreBounds(ws)[1] < ws.length;
    return (
      oracle.competitors(t, e.employerId, {
        full,
        town: useTown,
        townArea: oracle.areaOf[entryIndex],
        employerOnly,
      }).size === 0
    );
  };

  /** A site string that spells out another employer's name is that employer's, whatever the site list says. */
  const namesOtherEmployer = (text: string, entryIndex: number): boolean =>
    oracle.namesAnotherEmployer(new Set(coreKeys(text)), entries[entryIndex]!.employerId);

  const emit = (
    v: Omit<Variant, "query"> & { employer?: string | null; workplace?: string | null },
    pcOf: RegisterEntry | null,
  ) => {
    out.push({
      kind: v.kind,
      query: {
        employer: v.employer ?? null,
        workplace: v.workplace ?? null,
        postcode: pcOf ? memberPostcode(pcOf) : null,
      },
      employerId: v.employerId,
      workplaceId: v.workplaceId,
      matchable: v.matchable,
      source: v.source,
    });
  };

  /** Put a site string where members put it: the workplace column, or the employer column. */
  const sitePlacement = (s: string) => (chance(0.5) ? { workplace: s } : { employer: s });

  const makers: Record<VariantKind, () => boolean> = {
    official: () => {
      const i = pickEmployer();
      const e = entries[i]!;
      emit(
        {
          kind: "official",
          ...{ employer: titleCase(e.name) },
          employerId: e.employerId,
          workplaceId: null,
          matchable: matchableText(e.name, i),
          source: e.name,
        },
        e,
      );
      return true;
    },
    case: () => {
      const i = pickEmployer();
      const e = entries[i]!;
      const base = chance(0.5) ? titleCase(e.name) : dropSuffix(titleCase(e.name));
      emit(
        {
          kind: "case",
          employer: caseNoise(base),
          employerId: e.employerId,
          workplaceId: null,
          matchable: matchableText(base, i),
          source: e.name,
        },
        e,
      );
      return true;
    },
    abbreviation: () => {
      const i = pickEmployer();
      const e = entries[i]!;
      const s = abbreviate(titleCase(e.name));
      if (!s) return false;
      emit(
        {
          kind: "abbreviation",
          employer: s,
          employerId: e.employerId,
          workplaceId: null,
          matchable: matchableText(e.name, i),
          source: e.name,
        },
        e,
      );
      return true;
    },
    suffix_dropped: () => {
      const i = pickEmployer();
      const e = entries[i]!;
      const s = dropSuffix(titleCase(e.name));
      if (s.toLowerCase() === titleCase(e.name).toLowerCase()) return false;
      emit(
        {
          kind: "suffix_dropped",
          employer: s,
          employerId: e.employerId,
          workplaceId: null,
          matchable: matchableText(s, i),
          source: e.name,
        },
        e,
      );
      return true;
    },
    short_name: () => {
      // Members shorten names, mostly from the end ("Alder Hey", "Tameside
      // and Glossop", "Sheffield Teaching"), sometimes by dropping a word
      // that only says what kind of place it is ("Newcastle Hospitals",
      // "St James's Hospital"). At least one word must still say which.
      // Well-known names get shortened: trusts and hospitals, not "Prescriber 12".
      const i = chance(0.6) ? pickEmployer() : pickSite();
      const e = entries[i]!;
      if (
        e.workplaceId !== null &&
        (!/(HOSPITAL|INFIRMARY)$/.test(e.name.toUpperCase()) || namesOtherEmployer(e.name, i))
      ) {
        return false;
      }
      const words = dropSuffix(titleCase(e.name)).split(" ");
      if (words.length < 3) return false;
      let s: string;
      if (chance(0.7)) {
        // At least two words: one word alone ("Manchester", "Lutterworth") is a place, not a name.
        const k = 2 + Math.floor(rand() * (words.length - 2));
        s = words.slice(0, k).join(" ").replace(/,$/, "");
        // Not cut after a word that only qualifies the next ("Suffolk Mental", "South").
        if (
          / (And|Of|&|The|Upon|On|At|For)$/i.test(s) ||
          /(^| )(North|South|East|West|Mid|Central|Mental|Royal|Integrated|Community|Acute|Specialist|Greater|United|New|Old|St)$/i.test(
            s,
          )
        ) {
          return false;
        }
      } else {
        s = words.join(" ").replace(SHORTENABLE, " ").replace(/\s+/g, " ").trim();
      }
      if (!coreKeys(s).some((k) => !TYPE_WORDS.has(k)) || s.toLowerCase() === words.join(" ").toLowerCase())
        return false;
      // "North London" shortened from North East London is North London's name: no test of shortening.
      if (oracle.competitors(coreKeys(s), e.employerId, { full: true }).size > 0) return false;
      const placement = e.workplaceId === null ? { employer: s } : sitePlacement(s);
      emit(
        {
          kind: "short_name",
          ...placement,
          employerId: e.employerId,
          workplaceId: e.workplaceId,
          matchable: matchableText(s, i),
          source: e.name,
        },
        e,
      );
      return true;
    },
    acronym: () => {
      const i = pickEmployer();
      const e = entries[i]!;
      const acrs = memberAcronyms(e.name, "employer");
      if (!acrs.length) return false;
      const a = pick(acrs);
      emit(
        {
          kind: "acronym",
          employer: chance(0.8) ? a.toUpperCase() : a,
          employerId: e.employerId,
          workplaceId: null,
          matchable: oracle.acronymUnique(a, e.employerId),
          source: e.name,
        },
        e,
      );
      return true;
    },
    former_name: () => {
      const withFormer = employerEntries.filter((i) =>
        entries[i]!.aliases.some((a) => a.kind === "former_name"),
      );
      if (!withFormer.length) return false;
      const i = pick(withFormer);
      const e = entries[i]!;
      const old = pick(e.aliases.filter((a) => a.kind === "former_name")).text;
      const x = rand();
      const s = x < 0.5 ? titleCase(old) : x < 0.8 ? dropSuffix(titleCase(old)) : caseNoise(titleCase(old));
      emit(
        {
          kind: "former_name",
          employer: s,
          employerId: e.employerId,
          workplaceId: null,
          matchable: matchableText(s.trim().replace(/\.$/, ""), i),
          source: old,
        },
        e,
      );
      return true;
    },
    typo: () => {
      if (chance(0.5)) {
        const i = pickEmployer();
        const e = entries[i]!;
        const base = chance(0.5) ? titleCase(e.name) : dropSuffix(titleCase(e.name));
        const s = typo(base);
        if (!s) return false;
        emit(
          {
            kind: "typo",
            employer: s,
            employerId: e.employerId,
            workplaceId: null,
            matchable: matchableText(base, i),
            source: e.name,
          },
          e,
        );
      } else {
        const i = pickSite();
        const e = entries[i]!;
        const base = titleCase(e.name);
        if (namesOtherEmployer(base, i)) return false;
        const s = typo(base);
        if (!s) return false;
        emit(
          {
            kind: "typo",
            ...sitePlacement(s),
            employerId: e.employerId,
            workplaceId: e.workplaceId,
            matchable: matchableText(base, i),
            source: e.name,
          },
          e,
        );
      }
      return true;
    },
    code: () => {
      const i = chance(0.5) ? pickEmployer() : pickSite();
      const e = entries[i]!;
      const c = e.codes[0];
      if (!c) return false;
      emit(
        {
          kind: "code",
          employer: chance(0.7) ? c : c.toLowerCase(),
          employerId: e.employerId,
          workplaceId: e.workplaceId,
          matchable: true,
          source: c,
        },
        e,
      );
      return true;
    },
    site_only: () => {
      const i = pickSite();
      const e = entries[i]!;
      const s = titleCase(e.name);
      if (namesOtherEmployer(s, i)) return false;
      emit(
        {
          kind: "site_only",
          ...sitePlacement(s),
          employerId: e.employerId,
          workplaceId: e.workplaceId,
          matchable: matchableText(e.name, i),
          source: e.name,
        },
        e,
      );
      return true;
    },
    site_town: () => {
      const i = pickSite();
      const e = entries[i]!;
      const town = options.towns?.get(i);
      if (!town) return false;
      let base = titleCase(e.name);
      if (chance(0.5)) base = base.replace(DROPPABLE, "");
      if (coreKeys(base).includes(tokenKey(town.toLowerCase().split(" ").pop() ?? ""))) return false;
      const s = `${base}${chance(0.5) ? " " : ", "}${titleCase(town)}`;
      if (namesOtherEmployer(s, i)) return false;
      emit(
        {
          kind: "site_town",
          ...sitePlacement(s),
          employerId: e.employerId,
          workplaceId: e.workplaceId,
          matchable: matchableText(base, i, town),
          source: `${e.name}, ${town}`,
        },
        e,
      );
      return true;
    },
    apostrophe: () => {
      for (let tries = 0; tries < 30; tries++) {
        const i = chance(0.3) ? pickEmployer() : pickSite();
        const e = entries[i]!;
        if (!e.name.includes("'") || (e.workplaceId !== null && namesOtherEmployer(e.name, i))) continue;
        let s = titleCase(e.name);
        s = chance(0.5) ? s.replace(/'/g, "") : s.replace(/'s\b/gi, "").replace(/'/g, "");
        const placement = e.workplaceId === null ? { employer: s } : sitePlacement(s);
        emit(
          {
            kind: "apostrophe",
            ...placement,
            employerId: e.employerId,
            workplaceId: e.workplaceId,
            matchable: matchableText(e.name, i),
            source: e.name,
          },
          e,
        );
        return true;
      }
      return false;
    },
    ward_prefix: () => {
      const i = pickSite();
      const e = entries[i]!;
      if (namesOtherEmployer(e.name, i)) return false;
      const acrs = memberAcronyms(e.name, "site");
      const useAcr = acrs.length > 0 && chance(0.4);
      const body = useAcr ? acrs[0]!.toUpperCase() : titleCase(e.name);
      const s = `${pick(WARD_PREFIXES)}${body}`;
      const matchable = useAcr ? oracle.acronymUnique(acrs[0]!, e.employerId) : matchableText(e.name, i);
      emit(
        {
          kind: "ward_prefix",
          ...sitePlacement(s),
          employerId: e.employerId,
          workplaceId: e.workplaceId,
          matchable,
          source: e.name,
        },
        e,
      );
      return true;
    },
    site_acronym: () => {
      for (let tries = 0; tries < 30; tries++) {
        const i = pickSite();
        const e = entries[i]!;
        const acrs = memberAcronyms(e.name, "site");
        if (!acrs.length || namesOtherEmployer(e.name, i)) continue;
        const a = acrs[0]!;
        emit(
          {
            kind: "site_acronym",
            ...sitePlacement(a.toUpperCase()),
            employerId: e.employerId,
            workplaceId: e.workplaceId,
            matchable: oracle.acronymUnique(a, e.employerId),
            source: e.name,
          },
          e,
        );
        return true;
      }
      return false;
    },
    employer_and_site: () => {
      const i = pickSite();
      const site = entries[i]!;
      const ei = employerEntryOf.get(site.employerId);
      if (ei === undefined) return false;
      const emp = entries[ei]!;
      const acrs = memberAcronyms(emp.name, "employer").filter((a) =>
        oracle.acronymUnique(a, emp.employerId),
      );
      const x = rand();
      const employer =
        x < 0.3 && acrs.length
          ? pick(acrs).toUpperCase()
          : x < 0.6
            ? dropSuffix(titleCase(emp.name))
            : x < 0.8
              ? (abbreviate(titleCase(emp.name)) ?? titleCase(emp.name))
              : titleCase(emp.name);
      const siteAcrs = memberAcronyms(site.name, "site");
      const y = rand();
      const workplace =
        y < 0.5
          ? titleCase(site.name)
          : y < 0.7
            ? `${pick(WARD_PREFIXES)}${titleCase(site.name)}`
            : y < 0.85 && siteAcrs.length
              ? siteAcrs[0]!.toUpperCase()
              : titleCase(site.name).replace(DROPPABLE, "");
      const matchable = acrs.includes(employer.toLowerCase()) || matchableText(employer, ei);
      emit(
        {
          kind: "employer_and_site",
          employer,
          workplace,
          employerId: emp.employerId,
          workplaceId: site.workplaceId,
          matchable,
          source: `${emp.name} / ${site.name}`,
        },
        site,
      );
      return true;
    },
    place_and_site: () => {
      // Employer written vaguely ("Leeds", "Leeds NHS"), workplace a site:
      // the pair names one employer when the site does, or when the place
      // does; a site several trusts list ("St James's University Hospital"
      // under three Leeds trusts) with a place they share names none.
      const i = pickSite();
      const site = entries[i]!;
      if (namesOtherEmployer(site.name, i)) return false;
      // The employer's first word that is a place ("Leeds", "Lewisham"), not a direction or a title.
      const place = dropSuffix(titleCase(site.employerName))
        .split(" ")
        .find(
          (w) =>
            !/^(the|north|south|east|west|central|mid|greater|united|royal|university|hospitals?|and|of|nhs|&)$/i.test(
              w,
            ) && coreKeys(w).some((k) => !TYPE_WORDS.has(k)),
        );
      if (!place) return false;
      const employer = pick([place, `${place} NHS`, `NHS ${place}`, `${place} Trust`]);
      const workplace = chance(0.7) ? titleCase(site.name) : `${pick(WARD_PREFIXES)}${titleCase(site.name)}`;
      const matchable = matchableText(site.name, i) || matchableText(place, i);
      emit(
        {
          kind: "place_and_site",
          employer,
          workplace,
          employerId: site.employerId,
          workplaceId: site.workplaceId,
          matchable,
          source: `${place} / ${site.name}`,
        },
        site,
      );
      return true;
    },
    not_in_register: () => {
      const absent = options.absent ?? [];
      if (!absent.length) return false;
      for (let tries = 0; tries < 30; tries++) {
        const e = pick(absent);
        if (e.workplaceId !== null && siteWeight(e) < 1) continue;
        const x = rand();
        const s =
          e.workplaceId === null
            ? x < 0.5
              ? titleCase(e.name)
              : dropSuffix(titleCase(e.name))
            : titleCase(e.name);
        // Skip strings the register does hold under another employer (up to a typo): the register is right to match them.
        if (oracle.competitors(coreKeys(s), null, { fuzzy: true }).size > 0) continue;
        let placement: { employer?: string; workplace?: string } =
          e.workplaceId === null ? { employer: s } : sitePlacement(s);
        // Often with a workplace too: one of the absent employer's own sites.
        const ownSites = absent.filter((x) => x.employerId === e.employerId && x.workplaceId !== null);
        if (e.workplaceId === null && ownSites.length && chance(0.4)) {
          placement = { employer: s, workplace: titleCase(pick(ownSites).name) };
        }
        emit(
          {
            kind: "not_in_register",
            ...placement,
            employerId: null,
            workplaceId: null,
            matchable: false,
            source: e.name,
          },
          e,
        );
        return true;
      }
      return false;
    },
    wrong_level: () => {
      const others = options.otherOrganisations ?? [];
      let s: string;
      if (others.length && chance(0.6)) s = pick(others);
      else {
        // An ICB or CCG named after a trust's place ("NHS West Yorkshire ICB").
        const e = entries[pickEmployer()]!;
        const place = dropSuffix(titleCase(e.name))
          .replace(
            /\b(Teaching|Hospitals?|University|Community|Healthcare|Health|Mental|Partnership|Care|Ambulance|Service|Services|Integrated|Social|And|Of|The|Children's|Women's|Specialist|Royal|Foundation|Trust|NHS)\b/gi,
            " ",
          )
          .replace(/\s+/g, " ")
          .trim();
        if (!place) return false;
        s = pick([
          `NHS ${place} ICB`,
          `NHS ${place} Integrated Care Board`,
          `${place} CCG`,
          `NHS ${place} CCG`,
          `${place} Council`,
        ]);
      }
      // A council the register lists as a site (a clinic in the council offices) is the register's to match.
      if (oracle.competitors(coreKeys(s), null, { fuzzy: true }).size > 0) return false;
      emit(
        {
          kind: "wrong_level",
          employer: s,
          employerId: null,
          workplaceId: null,
          matchable: false,
          source: s,
        },
        null,
      );
      return true;
    },
    conflict: () => {
      for (let tries = 0; tries < 30; tries++) {
        const ai = pickEmployer();
        const a = entries[ai]!;
        const si = pickSite();
        const site = entries[si]!;
        if (site.employerId === a.employerId || siteWeight(site) < 4) continue;
        // The site's name must be unique to its own employer, or it is no conflict.
        // A conflict needs a workplace that says which site: "University Hospital" says nothing.
        if (!coreKeys(site.name).some((k) => !TYPE_WORDS.has(k))) continue;
        if (!matchableText(site.name, si) || namesOtherEmployer(site.name, si)) continue;
        const employer = chance(0.5) ? titleCase(a.name) : dropSuffix(titleCase(a.name));
        emit(
          {
            kind: "conflict",
            employer,
            workplace: titleCase(site.name),
            employerId: null,
            workplaceId: null,
            matchable: false,
            source: `${a.name} / ${site.name}`,
          },
          site,
        );
        return true;
      }
      return false;
    },
    generic: () => {
      const s = pick(GENERIC_STRINGS);
      const both = chance(0.3);
      emit(
        {
          kind: "generic",
          employer: s,
          workplace: both ? pick(GENERIC_STRINGS) : null,
          employerId: null,
          workplaceId: null,
          matchable: false,
          source: s,
        },
        null,
      );
      return true;
    },
  };

  let guard = 0;
  while (out.length < options.count && guard++ < options.count * 50) {
    makers[pickKind()]();
  }
  return out;
}

export interface KindMetrics {
  n: number;
  matchable: number;
  auto: number;
  autoCorrect: number;
  autoWrong: number;
  review: number;
  unmatched: number;
  /** Auto-accepted matchable variants / matchable variants. */
  coverage: number;
  /** Correct auto-accepts / auto-accepts. */
  precision: number;
  /** Of auto-accepted variants naming a workplace, the share that got that workplace (or a same-named one). */
  workplaceAccuracy: number;
}

export interface VariantError {
  variant: Variant;
  result: MatchResult;
}

function emptyMetrics(): KindMetrics {
  return {
    n: 0,
    matchable: 0,
    auto: 0,
    autoCorrect: 0,
    autoWrong: 0,
    review: 0,
    unmatched: 0,
    coverage: 0,
    precision: 0,
    workplaceAccuracy: 0,
  };
}

/**
 * Run every variant through `match` and tally, per kind and overall, the
 * metrics of record-linkage.md §4.2 point 8. `sameWorkplace` says whether a
 * matched workplace is the one meant (or a same-named duplicate of it).
 */
export function evaluateVariants(
  variants: readonly Variant[],
  match: (q: MatchQuery) => MatchResult,
  sameWorkplace: (expected: number, got: number | null) => boolean = (a, b) => a === b,
): { byKind: Map<VariantKind | "all", KindMetrics>; wrong: VariantError[]; missed: VariantError[] } {
  const byKind = new Map<VariantKind | "all", KindMetrics>();
  const wpTotals = new Map<VariantKind | "all", { n: number; ok: number }>();
  const wrong: VariantError[] = [];
  const missed: VariantError[] = [];
  const missedByKind = new Map<VariantKind | "all", number>();
  for (const v of variants) {
    const r = match(v.query);
    const correct = r.best !== null && v.employerId !== null && r.best.employerId === v.employerId;
    for (const key of [v.kind, "all"] as const) {
      let m = byKind.get(key);
      if (!m) {
        m = emptyMetrics();
        byKind.set(key, m);
      }
      m.n++;
      if (v.matchable) m.matchable++;
      if (r.status === "auto") {
        m.auto++;
        if (correct) m.autoCorrect++;
        else m.autoWrong++;
        if (correct && v.workplaceId !== null && r.best?.workplaceId !== null) {
          const w = wpTotals.get(key) ?? { n: 0, ok: 0 };
          w.n++;
          if (sameWorkplace(v.workplaceId, r.best?.workplaceId ?? null)) w.ok++;
          wpTotals.set(key, w);
        }
      } else if (r.status === "review") m.review++;
      else m.unmatched++;
    }
    if (r.status === "auto" && !correct) wrong.push({ variant: v, result: r });
    // Coverage: a matchable variant counts only when auto-accepted to the right employer.
    if (v.matchable && !(r.status === "auto" && correct)) {
      missed.push({ variant: v, result: r });
      for (const key of [v.kind, "all"] as const) missedByKind.set(key, (missedByKind.get(key) ?? 0) + 1);
    }
  }
  for (const [key, m] of byKind) {
    const w = wpTotals.get(key);
    m.workplaceAccuracy = w?.n ? w.ok / w.n : 1;
    m.precision = m.auto ? m.autoCorrect / m.auto : 1;
    m.coverage = m.matchable ? (m.matchable - (missedByKind.get(key) ?? 0)) / m.matchable : 1;
  }
  return { byKind, wrong, missed };
}

/** The breakdown as a fixed-width table, for test output. */
export function formatMetrics(byKind: ReadonlyMap<VariantKind | "all", KindMetrics>): string {
  const rows = ["kind                 n  match   auto  wrong review unmatch  precision coverage  workplace"];
  const keys = [...VARIANT_KINDS.filter((k) => byKind.has(k)), "all" as const];
  for (const k of keys) {
    const m = byKind.get(k)!;
    rows.push(
      `${k.padEnd(17)}${String(m.n).padStart(5)}${String(m.matchable).padStart(7)}${String(m.auto).padStart(7)}${String(m.autoWrong).padStart(7)}${String(m.review).padStart(7)}${String(m.unmatched).padStart(8)}${(m.auto ? `${(100 * m.precision).toFixed(2)}%` : "-").padStart(11)}${(m.matchable ? `${(100 * m.coverage).toFixed(1)}%` : "-").padStart(9)}${`${(100 * m.workplaceAccuracy).toFixed(1)}%`.padStart(11)}`,
    );
  }
  return rows.join("\n");
}
