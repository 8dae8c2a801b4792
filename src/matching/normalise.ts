/**
 * Text normalisation for organisation names: the one place that decides which
 * spellings of a name are "the same". Everything else in the matcher (index,
 * scoring, the variant generator's oracle) works on the output of these
 * functions, so a rule added here applies on both sides of every comparison.
 */

/**
 * Whole-word abbreviations members use, mapped to the register's spelling.
 * No target word is itself a key, so applying the table twice changes
 * nothing (normaliseOrganisationName must be idempotent). Ambiguous short
 * forms are left out on purpose: "st" stays "st" (saint and street), "mh",
 * "hc" and "ch" mean too many things.
 */
const ABBREVIATIONS: ReadonlyMap<string, string> = new Map(
  Object.entries({
    hosp: "hospital",
    hosps: "hospitals",
    hospl: "hospital",
    hsptl: "hospital",
    hospitl: "hospital",
    hsp: "hospital",
    hsps: "hospitals",
    hspl: "hospital",
    fdn: "foundation",
    fdtn: "foundation",
    fndn: "foundation",
    fnd: "foundation",
    found: "foundation",
    tr: "trust",
    trst: "trust",
    ft: "foundation trust",
    nhsft: "nhs foundation trust",
    nhst: "nhs trust",
    univ: "university",
    uni: "university",
    gen: "general",
    genl: "general",
    inf: "infirmary",
    infirm: "infirmary",
    ctr: "centre",
    cntr: "centre",
    cent: "centre",
    center: "centre",
    centers: "centres",
    med: "medical",
    hlth: "health",
    hlthcare: "healthcare",
    comm: "community",
    cmty: "community",
    commty: "community",
    svc: "service",
    svcs: "services",
    serv: "service",
    servs: "services",
    amb: "ambulance",
    dept: "department",
    depts: "departments",
    tchg: "teaching",
    tching: "teaching",
    ptnrship: "partnership",
    pship: "partnership",
    prtnrshp: "partnership",
    dist: "district",
    saint: "st",
    mt: "mount",
    ltd: "limited",
    rd: "road",
    natl: "national",
    utd: "united",
    pediatric: "paediatric",
    pediatrics: "paediatrics",
    // councils' short forms: "Kent CC", "Crawley BC", "LB Camden", "Wigan MBC".
    // "CC" is also a county or a city council: "council" fits both.
    cc: "council",
    bc: "borough council",
    dc: "district council",
    mbc: "metropolitan borough council",
    mdc: "metropolitan district council",
    cbc: "county borough council",
    lbc: "london borough council",
    lb: "london borough",
    rb: "royal borough",
    cncl: "council",
    co: "county",
    boro: "borough",
    // Welsh: "Cyngor Caerdydd" is Cardiff Council. ("Cyngor Sir X", a
    // county council, is read in match.ts: "Sir" may be part of the name.)
    cyngor: "council",
  }),
);

/** Words that carry no identity in a name; skipped when scoring and in acronyms. */
export const STOPWORDS: ReadonlySet<string> = new Set([
  "the",
  "of",
  "and",
  "at",
  "for",
  "in",
  "on",
  "a",
  "an",
]);

/**
 * Words that only locate a member inside a workplace ("Ward 12", "Unit 4",
 * "Theatres Dept"). They count when the register name has them, but a query
 * that carries them and the name does not loses almost nothing: members
 * prefix workplaces with wards and departments all the time.
 */
export const SOFT_WORDS: ReadonlySet<string> = new Set([
  "ward",
  "wards",
  "unit",
  "units",
  "dept",
  "department",
  "departments",
  "floor",
  "level",
  "bay",
  "room",
  "block",
  "wing",
  "team",
  "office",
  "suite",
  "based",
  "site",
  "no",
  "number",
  "main",
  // departments: "Maternity Unit, Leeds General Infirmary", "A&E St James's"
  "accident",
  "emergency",
  "maternity",
  "pharmacy",
  "radiology",
  "xray",
  "theatre",
  "theatres",
  "outpatient",
  "outpatients",
  "icu",
  "itu",
  "hdu",
  "nicu",
  "scbu",
  "pathology",
  "physiotherapy",
  "physio",
  "estates",
  "catering",
  "domestics",
  "porters",
  "portering",
  "admin",
  "administration",
  "reception",
  "labour",
  "neonatal",
  // council departments: "Leeds City Council - Highways"
  "highways",
  "housing",
  "planning",
  "parks",
  "revenues",
  "benefits",
  "waste",
  "recycling",
  "libraries",
  "payroll",
  "adult",
  "adults",
  "social",
  "education",
  "environmental",
  "regeneration",
  "transport",
  "finance",
]);

/**
 * Strings made only of these words name no particular employer ("NHS",
 * "Agency", "bank staff", "N/A"). A member's list is full of them; matching
 * one to the register would invent an employer, so they are never matched.
 */
const GENERIC_WORDS: ReadonlySet<string> = new Set([
  // sector words that every register entry shares
  "nhs",
  "trust",
  "trusts",
  "foundation",
  "hospital",
  "hospitals",
  "health",
  "healthcare",
  "care",
  "community",
  "services",
  "service",
  "council",
  "councils",
  "county",
  "city",
  "borough",
  "district",
  "local",
  "authority",
  "authorities",
  "government",
  "school",
  "schools",
  "academy",
  "academies",
  "college",
  "university",
  "primary",
  "secondary",
  "general",
  "children",
  "childrens",
  "women",
  "womens",
  "clinic",
  "centre",
  "surgery",
  "practice",
  "gp",
  "icb",
  "ccg",
  "pct",
  "sha",
  // staffing arrangements rather than employers
  "agency",
  "agencies",
  "bank",
  "staff",
  "locum",
  "locums",
  "supply",
  "nhsp",
  "professionals",
  "temp",
  "temporary",
  "relief",
  "peripatetic",
  "contract",
  "contractor",
  "self",
  "employed",
  "employer",
  "employment",
  "freelance",
  "private",
  "independent",
  "sector",
  "public",
  "retired",
  "unemployed",
  "student",
  "students",
  "volunteer",
  "nurse",
  "nursing",
  "teacher",
  "teaching",
  "worker",
  "work",
  "job",
  "zero",
  "hours",
  // placeholders
  "na",
  "n",
  "nk",
  "nil",
  "none",
  "null",
  "unknown",
  "unk",
  "not",
  "known",
  "applicable",
  "tbc",
  "tba",
  "various",
  "varies",
  "multiple",
  "several",
  "many",
  "all",
  "any",
  "other",
  "others",
  "misc",
  "miscellaneous",
  "see",
  "above",
  "below",
  "same",
  "as",
  "sites",
  "x",
  "xx",
  "xxx",
  "test",
  "home",
  "hq",
  "head",
  "uk",
  "england",
  "wales",
  "scotland",
  ...STOPWORDS,
  ...SOFT_WORDS,
]);

/**
 * Legal and sector suffixes that members drop ("Leeds Teaching Hospitals").
 * Longest first, so "nhs foundation trust" goes before "trust".
 */
const LEGAL_SUFFIXES: readonly string[] = [
  "nhs foundation trust",
  "foundation trust",
  "nhs trust",
  "nhs",
  "trust",
  "limited",
  "plc",
  "llp",
  "cic",
];

const ASCII_ONLY = /^[\x20-\x7e]*$/;
const DOTTED_INITIALS = /\b(?:[a-z]\.){2,}(?=\s|$|[^a-z])/g;

function isApostrophe(c: number): boolean {
  return c === 39 || c === 0x2018 || c === 0x2019 || c === 0x02bc || c === 0x60 || c === 0xb4;
}

/**
 * The words of normaliseOrganisationName, as an array (the index and the
 * query work on words; one scan of the characters, no regular expressions
 * on the common path, since the index normalises 35,000 names at start-up).
 */
export function normaliseWords(text: string): string[] {
  let s = text;
  // Most register and member text is ASCII: skip Unicode decomposition then.
  if (!ASCII_ONLY.test(s)) s = s.normalize("NFKD").replace(/[\u0300-\u036f]/g, "");
  s = s.toLowerCase();
  // "N.H.S." and "A.&E." keep their letters together before dots become spaces.
  if (s.includes(".")) s = s.replace(DOTTED_INITIALS, (m) => m.replace(/\./g, ""));
  const out: string[] = [];
  let start = -1;
  let word = "";
  // One pass; a word ends at any character that is not a letter, digit or apostrophe.
  for (let i = 0; i <= s.length; i++) {
    const c = i < s.length ? s.charCodeAt(i) : 32;
    if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57)) {
      if (start < 0) start = i;
      continue;
    }
    if (start >= 0) {
      word += s.slice(start, i);
      start = -1;
    }
    // Apostrophes are dropped, joining the two sides: "james's" -> "jamess".
    if (isApostrophe(c)) continue;
    if (word) {
      out.push(ABBREVIATIONS.get(word) ?? word);
      word = "";
    }
    if (c === 38 /* & */ || c === 43 /* + */) out.push("and");
  }
  // Multi-word expansions ("ft" -> "foundation trust") were pushed as one string: split them.
  let joined = false;
  for (const w of out) if (w.includes(" ")) joined = true;
  const ws = joined ? out.join(" ").split(" ") : out;
  // "A&E" ("a and e" by now) and "AE": the commonest department prefix.
  // "Health care" is "healthcare" however it is spaced: the register has
  // both ("Hinchingbrooke Health Care NHS Trust", "Berkshire Healthcare"),
  // and members write either for either.
  for (let i = 0; i < ws.length; i++) {
    if (ws[i] === "ae") ws.splice(i, 1, "accident", "and", "emergency");
    else if (ws[i] === "a" && ws[i + 1] === "and" && ws[i + 2] === "e")
      ws.splice(i, 3, "accident", "and", "emergency");
    else if (ws[i] === "health" && ws[i + 1] === "care") ws.splice(i, 2, "healthcare");
  }
  return ws;
}

/**
 * Lower case, ASCII, "&" spelt "and", apostrophes dropped ("st james's" ->
 * "st jamess", "guy's" -> "guys"), dots and other punctuation to spaces,
 * common abbreviations expanded ("hosps" -> "hospitals", "fdn" ->
 * "foundation", "St." -> "st"). Idempotent: normalising twice gives the
 * same string, so normalised names can be stored and compared later.
 */
export function normaliseOrganisationName(text: string): string {
  return normaliseWords(text).join(" ");
}

/**
 * Matching key of a normalised word: trailing "s" removed, so plurals and
 * dropped possessives meet ("hospitals"/"hospital", "jamess"/"james",
 * "marys"/"mary"). Keys are compared, never shown.
 */
export function tokenKey(word: string): string {
  let end = word.length;
  while (end > 3 && word.charCodeAt(end - 1) === 115 /* s */) end--;
  return end === word.length ? word : word.slice(0, end);
}

/** Words of a normalised name. */
export function words(normalised: string): string[] {
  return normalised ? normalised.split(" ") : [];
}

const SUFFIX_WORDS: readonly string[][] = LEGAL_SUFFIXES.map((x) => x.split(" "));

/** Words a legal suffix is made of ("nhs foundation trust"). */
export const SUFFIX_WORDS_SET: ReadonlySet<string> = new Set(LEGAL_SUFFIXES.flatMap((x) => x.split(" ")));

/** Where the core of a name starts and ends: after a leading "the", before the legal suffix. */
export function coreBounds(ws: readonly string[]): [number, number] {
  let from = ws[0] === "the" && ws.length > 1 ? 1 : 0;
  let to = ws.length;
  for (let changed = true; changed; ) {
    changed = false;
    for (const suffix of SUFFIX_WORDS) {
      const n = suffix.length;
      if (to - from <= n) continue; // a name that is only a suffix keeps it
      let same = true;
      for (let k = 0; k < n; k++) if (ws[to - n + k] !== suffix[k]) same = false;
      if (same) {
        to -= n;
        changed = true;
      }
    }
  }
  if (from >= to) from = 0;
  return [from, to];
}

/** Words of the name without its legal suffix and leading "the": ["leeds", "teaching", "hospitals"]. */
export function coreWords(ws: readonly string[]): string[] {
  const [from, to] = coreBounds(ws);
  return ws.slice(from, to);
}

/** The name without its legal suffix and leading "the": "leeds teaching hospitals". */
export function coreName(normalised: string): string {
  return coreWords(words(normalised)).join(" ");
}

export function isGenericString(text: string): boolean {
  return isGenericWords(normaliseWords(text));
}

/** isGenericString on words already normalised. */
export function isGenericWords(ws: readonly string[]): boolean {
  return ws.every((x) => GENERIC_WORDS.has(x) || GENERIC_WORDS.has(tokenKey(x)) || /^\d+$/.test(x));
}

/** A single word that is generic on its own (used to keep it out of acronym and soft logic). */
export function isGenericWord(word: string): boolean {
  return GENERIC_WORDS.has(word);
}

const ACRONYM_DROP_NHS = new Set(["nhs"]);
const ACRONYM_DROP_FOUNDATION = new Set(["nhs", "foundation"]);
const ACRONYM_DROP_SUFFIX = new Set(["nhs", "foundation", "trust"]);
const ACRONYM_DROP_UNIVERSITY = new Set(["university"]);

function initials(ws: readonly string[], drop: ReadonlySet<string> | null): string {
  let out = "";
  for (const w of ws) {
    if (STOPWORDS.has(w) || (drop?.has(w) ?? false)) continue;
    out += w[0];
  }
  return out;
}

function addAcronym(out: string[], a: string): void {
  if (a.length >= 3 && a.length <= 8 && !out.includes(a)) out.push(a);
}

/**
 * Acronyms members write for an organisation name, from its normalised words.
 * Employers: all initials ("lthnt"), without NHS ("ltht"), without NHS and
 * Foundation ("gstt" for Guy's and St Thomas' NHS Foundation Trust), without
 * the whole suffix ("lth"); a leading NHS stays whole ("nhsbt"). Sites: only
 * hospitals and infirmaries get acronyms ("lgi", "sjuh", "sjh"): members
 * abbreviate those, and acronyms of the other 30,000 site names ("CMHT
 * North", "Prescriber 12") would only collide with real ones. Acronyms
 * shorter than three letters name too many things to be evidence.
 */
export function acronymsOfWords(ws: readonly string[], level: "employer" | "site"): string[] {
  const out: string[] = [];
  if (level === "employer") {
    addAcronym(out, initials(ws, null));
    addAcronym(out, initials(ws, ACRONYM_DROP_NHS));
    addAcronym(out, initials(ws, ACRONYM_DROP_FOUNDATION));
    addAcronym(out, initials(ws, ACRONYM_DROP_SUFFIX));
    if (ws[0] === "nhs" && ws.length > 1) {
      addAcronym(out, `nhs${initials(ws.slice(1), ACRONYM_DROP_SUFFIX)}`);
      addAcronym(out, `nhs${initials(ws.slice(1), null)}`);
    }
  } else {
    const last = ws[ws.length - 1];
    if (last === "hospital" || last === "infirmary") {
      addAcronym(out, initials(ws, null));
      addAcronym(out, initials(ws, ACRONYM_DROP_UNIVERSITY));
    }
  }
  return out;
}

export function acronymsOf(normalised: string, level: "employer" | "site"): string[] {
  return acronymsOfWords(words(normalised), level);
}

/** UK postcode district (outward code) and area, or null when the text is not postcode-shaped. */
export function postcodeParts(text: string | null): { district: string; area: string } | null {
  if (!text) return null;
  const s = text.toUpperCase().replace(/[^A-Z0-9]/g, "");
  // Full postcode: outward code is everything but the last three characters.
  let outward: string;
  if (/^[A-Z]{1,2}\d[A-Z\d]?\d[A-Z]{2}$/.test(s)) outward = s.slice(0, -3);
  else if (/^[A-Z]{1,2}\d[A-Z\d]?$/.test(s)) outward = s;
  else return null;
  const area = /^[A-Z]+/.exec(outward)?.[0] ?? "";
  return { district: outward, area };
}
