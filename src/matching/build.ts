/**
 * The match index: everything about the register that matching needs,
 * computed once (35,000 ODS entries index in well under a second), so that a
 * query only looks things up. Record-linkage.md §1.6: an alias table
 * (acronyms, site -> trust, former names), rare-token candidate generation,
 * and token weights from rarity in the register.
 */
import {
  acronymsOfWords,
  coreWords,
  normaliseWords,
  postcodeParts,
  STOPWORDS,
  SUFFIX_WORDS_SET,
  tokenKey,
} from "./normalise.js";
import type { AliasKind, RegisterEntry } from "./types.js";

export type FormKind = "name" | AliasKind;

/** One way an entry is written: its official name or one of its aliases. */
export interface Form {
  entry: number;
  kind: FormKind;
  text: string;
  /** Token ids of the words that count (stopwords dropped, duplicates dropped). */
  tokens: number[];
  /** Normalised words aligned with `tokens`, for evidence. */
  words: string[];
  /** Sum of the tokens' weights. */
  weight: number;
  /** Keys of the name without legal suffix, space-joined: equality means "the same name". Computed when first needed. */
  coreKey: string | null;
  acronyms: string[];
  /** The name has a number ("Unit 4"): a query with another number is another place. */
  numeric: boolean;
}

export interface EmployerInfo {
  employerId: number;
  /** Index of the employer's own entry, -1 when the register lists only its sites. */
  entry: number;
  name: string;
  entries: number[];
  /** Tokens of the employer's names: a site query may name its trust or town ("St James's Hospital Leeds"). */
  context: Set<number>;
  contextAcronyms: Set<string>;
  districts: Set<string>;
  areas: Set<string>;
  /** Of the employer's own entry: when it opened and closed, and who took over its work. */
  openedOn: string | null;
  closedOn: string | null;
  successors: number[];
}

/**
 * Opaque to callers: build with buildMatchIndex, use with matchOrganisation.
 * The fields are read by the matcher in this folder only.
 */
export class MatchIndex {
  /** @internal */ readonly entries: readonly RegisterEntry[];
  /** @internal */ readonly forms: Form[] = [];
  /** @internal */ readonly entryForms: number[][] = [];
  /**
   * @internal The same data as the forms, flat, for the loops that run over
   * hundreds of candidates per query: forms of an entry are consecutive
   * (entryFormStart..entryFormStart+entryFormCount), tokens of form f are
   * formTokens[formTokenStart[f]..formTokenStart[f+1]]. Objects scattered
   * over the heap cost a cache miss each; typed arrays do not.
   */
  entryFormStart: Int32Array = new Int32Array(0);
  entryFormCount: Uint8Array = new Uint8Array(0);
  entryIsSite: Uint8Array = new Uint8Array(0);
  formTokens: Int32Array = new Int32Array(0);
  formTokenStart: Int32Array = new Int32Array(0);
  formWeight: Float64Array = new Float64Array(0);
  /** @internal */ readonly entryEmployer: Int32Array;
  /** @internal */ readonly entryDistrict: (string | null)[] = [];
  /** @internal */ readonly employers: EmployerInfo[] = [];
  /** @internal */ readonly employerSlot = new Map<number, number>();
  /** @internal */ readonly vocab = new Map<string, number>();
  /** @internal */ readonly keys: string[] = [];
  /** @internal */ idf: Float64Array = new Float64Array(0);
  /** @internal */ dfEntries: Int32Array = new Int32Array(0);
  /** @internal */ postings: Int32Array[] = [];
  /** @internal */ readonly acronyms = new Map<string, number[]>();
  /** @internal */ readonly acronymIdf = new Map<string, number>();
  /** @internal */ readonly codes = new Map<string, number[]>();
  /** @internal Core keys of employers' own names and aliases: such a string is never "generic". */
  readonly employerCores = new Set<string>();
  /** @internal */ readonly deletes = new Map<string, number[]>();
  /** @internal Per token, entries with it per postcode area; filled when first asked. */
  private readonly tokenAreas = new Map<number, Map<string, number>>();
  /** @internal Postcode area of each entry. */
  readonly entryArea: (string | null)[] = [];
  /** @internal Normalised town of each entry, and every town: a part of a query may be one. */
  readonly entryTown: (string | null)[] = [];
  readonly towns = new Set<string>();
  /**
   * @internal Per entry: for a site another employer registers under this
   * employer's own name ("The Christie NHS Foundation Trust" as a site of
   * another trust, "Royal Marsden Hospital" as one of Epsom and St
   * Helier's), the slot of the employer it is named after; else -1. Such a
   * site is where the other trust works with that employer, not a rival
   * reading of the employer's name.
   */
  siteNamesEmployer: Int32Array = new Int32Array(0);
  /** @internal */ sortedKeys: string[] = [];
  /** @internal */ sortedKeyIds: Int32Array = new Int32Array(0);
  /** @internal Weight of a word the register has never seen. */
  oovWeight = 0;
  /**
   * @internal Weight a word needs to count as distinctive (to name a site's
   * employer, to count as missing, to generate candidates). A share of the
   * largest weight rather than a number, so a union's own register of forty
   * employers behaves like the 35,000-entry ODS one the model was fitted on.
   */
  distinctiveWeight = 0;
  /** @internal */ maxIdf = 0;

  constructor(entries: readonly RegisterEntry[]) {
    this.entries = entries;
    this.entryEmployer = new Int32Array(entries.length);
  }

  /** @internal */ tokenId(key: string): number {
    return this.vocab.get(key) ?? -1;
  }

  /**
   * @internal Whether a word is a place in a postcode area: some names there
   * carry it ("Reading" in RG, "Slough" in SL). Towns members append to a
   * site name ("Battle Library, Reading") are rarely in the site's own name
   * but are in other names around it.
   */
  isPlaceIn(token: number, area: string): boolean {
    const posting = this.postings[token];
    if (!posting || posting.length > PLACE_MAX_ENTRIES || /\d/.test(this.keys[token]!)) return false;
    let counts = this.tokenAreas.get(token);
    if (!counts) {
      counts = new Map();
      const employersIn = new Map<string, Set<number>>();
      for (const e of posting) {
        const a = this.entryArea[e];
        if (!a) continue;
        const p = placeArea(a);
        let set = employersIn.get(p);
        if (!set) {
          set = new Set();
          employersIn.set(p, set);
        }
        set.add(this.entryEmployer[e]!);
        counts.set(p, (counts.get(p) ?? 0) + 1);
      }
      // A word one employer uses for many of its sites ("Consultant 4",
      // "PCRC") is its naming habit; a town is named by several employers
      // there. A word in only a few names may be either: give it the benefit.
      for (const [p, set] of employersIn) {
        if (set.size < 2 && posting.length > PLACE_RARE_ENTRIES) counts.set(p, 0);
      }
      this.tokenAreas.set(token, counts);
    }
    // A fair share of the names with the word are in the area: "Slough" in
    // SL, not "forensic" or "home", which are everywhere.
    const n = counts.get(placeArea(area)) ?? 0;
    return n > 0 && n >= PLACE_SHARE * posting.length;
  }

  /** @internal */ intern(key: string): number {
    let id = this.vocab.get(key);
    if (id === undefined) {
      id = this.keys.length;
      this.vocab.set(key, id);
      this.keys.push(key);
    }
    return id;
  }
}

/** Scoring words of normalised words: stopwords dropped, duplicates (by key) dropped. */
export function scoringWords(ws: readonly string[]): { words: string[]; keys: string[] } {
  const outWords: string[] = [];
  const outKeys: string[] = [];
  for (const w of ws) {
    if (STOPWORDS.has(w)) continue;
    const k = tokenKey(w);
    if (outKeys.includes(k)) continue;
    outWords.push(w);
    outKeys.push(k);
  }
  return { words: outWords, keys: outKeys };
}

export function coreKeyOfWords(ws: readonly string[]): string {
  return scoringWords(coreWords(ws)).keys.join(" ");
}

/** The form's core key, computed once: only candidates ever need it. */
export function formCoreKey(form: Form): string {
  if (form.coreKey === null) form.coreKey = coreKeyOfWords(normaliseWords(form.text));
  return form.coreKey;
}

/**
 * Weight of a token from two document frequencies: over entries (sites are
 * most of them) and over employers. A word is only as informative as its
 * more common view: "nhs" and "trust" are rare among site names but sit in
 * every employer's name, so they weigh almost nothing, which is what lets
 * a member drop the legal suffix; "pinderfields" is rare in both.
 */
const MIN_IDF = 0.05;
/** See MatchIndex.distinctiveWeight: 1.0 on the full ODS register, whose largest weight is 6.3. */
const DISTINCTIVE_SHARE = 0.16;
/** A word in more employers' names than this does not single out a site's employer. */
const CONTEXT_MAX_EMPLOYERS = 6;
/** Words in more entries than this are too common to be a town ("centre", "house"). */
const PLACE_MAX_ENTRIES = 400;
const PLACE_SHARE = 0.15;
const PLACE_RARE_ENTRIES = 3;
/** London's postcode areas are one place to a member writing "London". */
const LONDON_AREAS = new Set(["E", "EC", "N", "NW", "SE", "SW", "W", "WC"]);
function placeArea(area: string): string {
  return LONDON_AREAS.has(area) ? "LONDON" : area;
}

function idfOf(dfEntries: number, nEntries: number, dfEmployers: number, nEmployers: number): number {
  const byEntry = Math.log((nEntries + 1) / (dfEntries + 0.5));
  const byEmployer = Math.log((nEmployers + 1) / (dfEmployers + 0.5));
  return Math.max(MIN_IDF, Math.min(byEntry, byEmployer));
}

export function buildMatchIndex(entries: readonly RegisterEntry[]): MatchIndex {
  const index = new MatchIndex(entries);

  // Employers, in first-seen order; their entries grouped so per-employer
  // document frequencies can be counted with a "last seen" marker.
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    let slot = index.employerSlot.get(e.employerId);
    if (slot === undefined) {
      slot = index.employers.length;
      index.employerSlot.set(e.employerId, slot);
      index.employers.push({
        employerId: e.employerId,
        entry: -1,
        name: e.employerName,
        entries: [],
        context: new Set(),
        contextAcronyms: new Set(),
        districts: new Set(),
        areas: new Set(),
        openedOn: null,
        closedOn: null,
        successors: [],
      });
    }
    const emp = index.employers[slot]!;
    emp.entries.push(i);
    index.entryEmployer[i] = slot;
    if (e.workplaceId === null && (emp.entry === -1 || (entries[emp.entry]!.closedOn && !e.closedOn))) {
      emp.entry = i;
      emp.name = e.name;
      emp.openedOn = e.openedOn ?? null;
      emp.closedOn = e.closedOn;
      emp.successors = e.successorIds ?? [];
    }
    const pc = postcodeParts(e.postcode);
    index.entryDistrict.push(pc?.district ?? null);
    index.entryArea.push(pc?.area ?? null);
    const town = e.town ? normaliseWords(e.town).join(" ") : "";
    index.entryTown.push(town || null);
    if (town) index.towns.add(town);
    if (pc) {
      emp.districts.add(pc.district);
      emp.areas.add(pc.area);
    }
    for (const code of e.codes) {
      const c = code.trim().toUpperCase();
      if (!c) continue;
      const list = index.codes.get(c);
      if (list) list.push(i);
      else index.codes.set(c, [i]);
    }
  }

  // Forms: the official name and every alias. Acronym aliases go to the
  // acronym table instead, attached to the entry's name form.
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    const level = e.workplaceId === null ? "employer" : "site";
    const formIds: number[] = [];
    let explicitAcronyms: string[] | null = null;
    let seen: string[] | null = null;
    for (let a = -1; a < e.aliases.length; a++) {
      const alias = a < 0 ? null : e.aliases[a]!;
      if (alias?.kind === "acronym") {
        explicitAcronyms ??= [];
        explicitAcronyms.push(normaliseWords(alias.text).join(""));
        continue;
      }
      const text = alias ? alias.text : e.name;
      const ws = normaliseWords(text);
      const sw = scoringWords(ws);
      if (!sw.keys.length) continue;
      // An alias spelt like the name adds nothing but duplicate candidates.
      if (e.aliases.length) {
        const dedupe = sw.keys.join(" ");
        seen ??= [];
        if (seen.includes(dedupe)) continue;
        seen.push(dedupe);
      }
      const tokens: number[] = [];
      for (const k of sw.keys) tokens.push(index.intern(k));
      if (level === "employer") index.employerCores.add(coreKeyOfWords(ws));
      formIds.push(index.forms.length);
      index.forms.push({
        entry: i,
        kind: alias ? alias.kind : "name",
        text,
        tokens,
        words: sw.words,
        weight: 0,
        coreKey: null,
        acronyms: acronymsOfWords(ws, level),
        numeric: sw.keys.some((k) => k.charCodeAt(0) >= 48 && k.charCodeAt(0) <= 57),
      });
    }
    // Explicit acronyms belong to the entry's name form (the first one).
    if (explicitAcronyms && formIds.length) {
      const acr = index.forms[formIds[0]!]!.acronyms;
      for (const a of explicitAcronyms) if (a.length >= 2 && !acr.includes(a)) acr.push(a);
    }
    index.entryForms.push(formIds);
  }

  // Employer context: the employer's own names (from its entry when the
  // register has one, else the employerName every site carries).
  for (const emp of index.employers) {
    const sources: string[] = [];
    if (emp.entry >= 0) {
      for (const f of index.entryForms[emp.entry]!) sources.push(index.forms[f]!.text);
    } else sources.push(emp.name);
    for (const text of sources) {
      const ws = normaliseWords(text);
      for (const k of scoringWords(ws).keys) emp.context.add(index.intern(k));
      for (const a of acronymsOfWords(ws, "employer")) emp.contextAcronyms.add(a);
    }
    if (emp.entry >= 0)
      for (const f of index.entryForms[emp.entry]!) {
        for (const a of index.forms[f]!.acronyms) emp.contextAcronyms.add(a);
      }
  }
  // Only words few employers' names share say which employer a site query
  // means: "Leeds" (three trusts) does, "Healthcare" or "Teaching" (dozens)
  // do not, and would lend every such trust's sites a match.
  const employersNamed = new Map<number, number>();
  for (const emp of index.employers)
    for (const t of emp.context) employersNamed.set(t, (employersNamed.get(t) ?? 0) + 1);
  for (const emp of index.employers) {
    for (const t of [...emp.context])
      if ((employersNamed.get(t) ?? 0) > CONTEXT_MAX_EMPLOYERS) emp.context.delete(t);
  }

  // Document frequencies over entries and over employers.
  const nTokens = index.keys.length;
  const dfEntries = new Int32Array(nTokens);
  const dfEmployers = new Int32Array(nTokens);
  const lastEntry = new Int32Array(nTokens).fill(-1);
  const lastEmployer = new Int32Array(nTokens).fill(-1);
  const postingLists: number[][] = Array.from({ length: nTokens }, () => []);
  const acrEntries = new Map<
    string,
    { entries: number; employers: number; lastE: number; lastEmp: number }
  >();
  for (let slot = 0; slot < index.employers.length; slot++) {
    for (const i of index.employers[slot]!.entries) {
      for (const f of index.entryForms[i]!) {
        const form = index.forms[f]!;
        for (const t of form.tokens) {
          if (lastEntry[t] !== i) {
            lastEntry[t] = i;
            dfEntries[t]!++;
            postingLists[t]!.push(i);
          }
          if (lastEmployer[t] !== slot) {
            lastEmployer[t] = slot;
            dfEmployers[t]!++;
          }
        }
        for (const a of form.acronyms) {
          let st = acrEntries.get(a);
          if (!st) {
            st = { entries: 0, employers: 0, lastE: -1, lastEmp: -1 };
            acrEntries.set(a, st);
          }
          if (st.lastE !== i) {
            st.lastE = i;
            st.entries++;
          }
          if (st.lastEmp !== slot) {
            st.lastEmp = slot;
            st.employers++;
          }
          const list = index.acronyms.get(a);
          if (!list) index.acronyms.set(a, [f]);
          else if (list[list.length - 1] !== f) list.push(f);
        }
      }
    }
  }
  const nEntries = entries.length;
  const nEmployers = Math.max(1, index.employers.length);
  index.dfEntries = dfEntries;
  index.idf = new Float64Array(nTokens);
  for (let t = 0; t < nTokens; t++) {
    index.idf[t] = idfOf(dfEntries[t]!, nEntries, dfEmployers[t]!, nEmployers);
  }
  // Legal-suffix words identify nothing: a register that is mostly sites
  // would otherwise find "foundation" rare and make "Royal Surrey" a poor
  // match for "Royal Surrey NHS Foundation Trust".
  for (const w of SUFFIX_WORDS_SET) {
    const t = index.vocab.get(tokenKey(w));
    if (t !== undefined) index.idf[t] = MIN_IDF;
  }
  index.postings = postingLists.map((l) => new Int32Array(l).sort());
  index.maxIdf = idfOf(0, nEntries, 0, nEmployers);
  // A word the register has never seen says the member means something the
  // register may not hold; it counts for most of a rare word.
  index.oovWeight = 0.7 * index.maxIdf;
  index.distinctiveWeight = DISTINCTIVE_SHARE * index.maxIdf;
  for (const [a, st] of acrEntries) {
    // An acronym that is also a word in names ("camhs", "sjuh") is as common as the sum.
    const t = index.vocab.get(a);
    const de = st.entries + (t === undefined ? 0 : dfEntries[t]!);
    const dm = st.employers + (t === undefined ? 0 : dfEmployers[t]!);
    index.acronymIdf.set(a, idfOf(de, nEntries, Math.min(dm, nEmployers), nEmployers));
  }
  for (const form of index.forms) {
    let w = 0;
    for (const t of form.tokens) w += index.idf[t]!;
    form.weight = w;
  }

  const nForms = index.forms.length;
  index.entryFormStart = new Int32Array(entries.length);
  index.entryFormCount = new Uint8Array(entries.length);
  index.entryIsSite = new Uint8Array(entries.length);
  for (let i = 0; i < entries.length; i++) {
    const fs = index.entryForms[i]!;
    index.entryFormStart[i] = fs[0] ?? 0;
    index.entryFormCount[i] = Math.min(255, fs.length);
    index.entryIsSite[i] = entries[i]!.workplaceId === null ? 0 : 1;
  }
  index.formTokenStart = new Int32Array(nForms + 1);
  index.formWeight = new Float64Array(nForms);
  let nTok = 0;
  for (let f = 0; f < nForms; f++) {
    index.formTokenStart[f] = nTok;
    nTok += index.forms[f]!.tokens.length;
    index.formWeight[f] = index.forms[f]!.weight;
  }
  index.formTokenStart[nForms] = nTok;
  index.formTokens = new Int32Array(nTok);
  for (let f = 0; f < nForms; f++) index.formTokens.set(index.forms[f]!.tokens, index.formTokenStart[f]!);

  // Typo lookup (symmetric delete): every key of four or more letters is
  // filed under itself with one letter deleted; a query word finds the keys
  // one edit away by deleting letters from itself.
  for (let t = 0; t < nTokens; t++) {
    const k = index.keys[t]!;
    if (k.length < 4 || /^\d+$/.test(k)) continue;
    for (let p = 0; p < k.length; p++) {
      const d = k.slice(0, p) + k.slice(p + 1);
      const list = index.deletes.get(d);
      if (!list) index.deletes.set(d, [t]);
      else if (list[list.length - 1] !== t) list.push(t);
    }
  }
  const order = index.keys.map((_, i) => i).sort((a, b) => (index.keys[a]! < index.keys[b]! ? -1 : 1));
  index.sortedKeys = order.map((i) => index.keys[i]!);
  index.sortedKeyIds = Int32Array.from(order);
  markSitesNamedAfterEmployers(index);
  return index;
}

/** Name words that do not tell a trust from its hospital: "University College London Hospital(s)". */
const NAME_PLACE_WORDS = new Set(["hospital", "hospitals"]);

function employerNameKey(form: Form): string {
  return formCoreKey(form)
    .split(" ")
    .filter((w) => !NAME_PLACE_WORDS.has(w))
    .join(" ");
}

function succeededBy(index: MatchIndex, slot: number, by: number): boolean {
  let s = slot;
  for (let hops = 0; hops < 8; hops++) {
    const next = index.employers[s]!.successors;
    if (next.length === 0) return false;
    const slots = next.map((id) => index.employerSlot.get(id));
    if (slots.includes(by)) return true;
    if (slots.length !== 1 || slots[0] === undefined) return false;
    s = slots[0];
  }
  return false;
}

function markSitesNamedAfterEmployers(index: MatchIndex): void {
  const byName = new Map<string, number>();
  for (const emp of index.employers) {
    if (emp.entry < 0) continue;
    for (const f of index.entryForms[emp.entry] ?? []) {
      const key = employerNameKey(index.forms[f]!);
      if (!key) continue;
      const other = byName.get(key);
      // A name two employers share names neither.
      byName.set(
        key,
        other === undefined || other === index.employerSlot.get(emp.employerId)
          ? index.employerSlot.get(emp.employerId)!
          : -2,
      );
    }
  }
  const marks = new Int32Array(index.entries.length).fill(-1);
  for (let e = 0; e < index.entries.length; e++) {
    if (!index.entryIsSite[e]) continue;
    for (const f of index.entryForms[e] ?? []) {
      const slot = byName.get(employerNameKey(index.forms[f]!));
      // (Not the successor's own hospital: Poole Hospital under University
      // Hospitals Dorset, which took over Poole Hospital NHS FT.)
      if (
        slot !== undefined &&
        slot >= 0 &&
        slot !== index.entryEmployer[e] &&
        !succeededBy(index, slot, index.entryEmployer[e]!)
      ) {
        marks[e] = slot;
        break;
      }
    }
  }
  index.siteNamesEmployer = marks;
}
