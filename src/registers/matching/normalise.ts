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
const ABBREVIATIONS: Readonly<Record<string, string>> = {
  hosp: "hospital",
  hosps: "hospitals",
  hospl: "hospital",
  hsptl: "hospital",
  hospitl: "hospital",
  fdn: "foundation",
  fdtn: "foundation",
  fndn: "foundation",
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
  childrens: "childrens",
};

/** Words that carry no identity in a name; skipped when scoring and in acronyms. */
export const STOPWORDS: ReadonlySet<string> = new Set(["the", "of", "and", "at", "for", "in", "on", "a", "an"]);

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

const APOSTROPHES = /['\u2018\u2019\u02bc\u0060\u00b4]/g;
const DOTTED_INITIALS = /\b(?:[a-z]\.){2,}(?=\s|$|[^a-z])/g;
const NON_WORD = /[^a-z0-9]+/g;

/**
 * Lower case, ASCII, "&" spelt "and", apostrophes dropped ("st james's" ->
 * "st jamess", "guy's" -> "guys"), dots and other punctuation to spaces,
 * common abbreviations expanded ("hosps" -> "hospitals", "fdn" ->
 * "foundation", "St." -> "st"). Idempotent: normalising twice gives the
 * same string, so normalised names can be stored and compared later.
 */
export function normaliseOrganisationName(text: string): string {
  let s = text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(APOSTROPHES, "");
  // "N.H.S." and "A.&E." keep their letters together before dots become spaces.
  s = s.replace(DOTTED_INITIALS, (m) => m.replace(/\./g, ""));
  s = s.replace(/&/g, " and ").replace(/\+/g, " and ");
  s = s.replace(NON_WORD, " ").trim();
  if (!s) return "";
  const out: string[] = [];
  for (const word of s.split(" ")) {
    const expanded = ABBREVIATIONS[word];
    out.push(expanded ?? word);
  }
  // "A&E" (after "&" -> "and") and "a and e": the commonest department prefix.
  return out
    .join(" ")
    .replace(/\ba and e\b/g, "accident and emergency")
    .replace(/\bae\b/g, "accident and emergency");
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

/** The name without its legal suffix and leading "the": "leeds teaching hospitals". */
export function coreName(normalised: string): string {
  let s = normalised.startsWith("the ") ? normalised.slice(4) : normalised;
  for (let changed = true; changed; ) {
    changed = false;
    for (const suffix of LEGAL_SUFFIXES) {
      if (s.endsWith(` ${suffix}`)) {
        s = s.slice(0, -suffix.length - 1);
        changed = true;
      }
    }
  }
  return s;
}

/** Legal-suffix words, used by the variant generator to drop a suffix. */
export function legalSuffixOf(normalised: string): string {
  const core = coreName(normalised);
  const withoutThe = normalised.startsWith("the ") ? normalised.slice(4) : normalised;
  return withoutThe.slice(core.length).trim();
}

export function isGenericString(text: string): boolean {
  const w = words(normaliseOrganisationName(text));
  if (!w.length) return true;
  return w.every((x) => GENERIC_WORDS.has(x) || GENERIC_WORDS.has(tokenKey(x)) || /^\d+$/.test(x));
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
export function acronymsOf(normalised: string, level: "employer" | "site"): string[] {
  const ws = words(normalised);
  const out = new Set<string>();
  const add = (a: string) => {
    if (a.length >= 3 && a.length <= 8) out.add(a);
  };
  if (level === "employer") {
    add(initials(ws, null));
    add(initials(ws, ACRONYM_DROP_NHS));
    add(initials(ws, ACRONYM_DROP_FOUNDATION));
    add(initials(ws, ACRONYM_DROP_SUFFIX));
    if (ws[0] === "nhs" && ws.length > 1) {
      add(`nhs${initials(ws.slice(1), ACRONYM_DROP_SUFFIX)}`);
      add(`nhs${initials(ws.slice(1), null)}`);
    }
  } else {
    const last = ws[ws.length - 1];
    if (last === "hospital" || last === "infirmary") {
      add(initials(ws, null));
      add(initials(ws, ACRONYM_DROP_UNIVERSITY));
    }
  }
  // Acronyms containing digits ("5bp") are kept; one made only of stopwords cannot occur.
  return [...out];
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
