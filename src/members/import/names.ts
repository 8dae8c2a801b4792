/**
 * Personal names. Case is only changed when the whole name is in one case
 * ("SMITH", "o'brien"): a name already typed in mixed case ("McDonald",
 * "van der Berg", "DeVito") is how its owner spells it, and no rule can know
 * better. "Mac" is not capitalised after (Macey, Machin, Mackie are names of
 * their own); "Mc" always is.
 */

const TITLES: Record<string, string> = {
  mr: "Mr",
  mrs: "Mrs",
  ms: "Ms",
  miss: "Miss",
  mx: "Mx",
  dr: "Dr",
  doctor: "Dr",
  prof: "Prof",
  professor: "Prof",
  rev: "Rev",
  revd: "Revd",
  reverend: "Rev",
  sir: "Sir",
  dame: "Dame",
  lord: "Lord",
  lady: "Lady",
  master: "Master",
  fr: "Fr",
  sr: "Sr",
  cllr: "Cllr",
};

/** "MRS." -> "Mrs"; null when the word is not a title we know. */
export function knownTitle(word: string): string | null {
  return TITLES[word.toLowerCase().replace(/\.$/, "")] ?? null;
}

/** Surname particles that belong with the word after them ("Jan van der Berg" -> surname "van der Berg"). */
const PARTICLES = new Set([
  "van",
  "von",
  "der",
  "den",
  "de",
  "del",
  "della",
  "da",
  "di",
  "du",
  "dos",
  "das",
  "la",
  "le",
  "st",
  "st.",
  "ter",
  "ten",
  "bin",
  "ibn",
  "al",
  "el",
  "ap",
]);

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

function titleCaseWord(word: string): string {
  if (!/[-'’]/.test(word)) return /^mc./.test(word) ? `Mc${capitalise(word.slice(2))}` : capitalise(word);
  // Split on hyphens and apostrophes but keep them: "smith-jones", "o'brien".
  return word
    .split(/([-'’])/)
    .map((part, i, parts) => {
      if (part === "-" || part === "'" || part === "’") return part;
      // After an apostrophe only a one-letter prefix makes a new capital (O'Brien, D'Arcy); "Ma'lik" stays.
      if (i >= 2 && (parts[i - 1] === "'" || parts[i - 1] === "’") && (parts[i - 2] ?? "").length !== 1)
        return part;
      if (/^mc./.test(part)) return `Mc${capitalise(part.slice(2))}`;
      return capitalise(part);
    })
    .join("");
}

export function normalisePersonName(text: string): { value: string; fix: string | null } {
  // Already one capitalised word ("Smith", "O'Brien"): nothing to do; the usual case, so tested first.
  if (/^[A-Z][a-z]*(?:['-][A-Za-z][a-z]*)*$/.test(text)) return { value: text, fix: null };
  // One plain word in one case ("SMITH", "jones"): the next most usual.
  if (/^(?:[A-Z]{2,}|[a-z]+)$/.test(text))
    return { value: titleCaseWord(text.toLowerCase()), fix: "name.case" };
  const trimmed = text.trim();
  const spaced = trimmed.replace(/\s+/g, " ").replace(/\s*-\s*/g, "-");
  const hasUpper = spaced !== spaced.toLowerCase();
  const hasLower = spaced !== spaced.toUpperCase();
  let value = spaced;
  if (hasUpper !== hasLower) value = spaced.toLowerCase().split(" ").map(titleCaseWord).join(" ");
  const fix = value === trimmed ? null : value === spaced ? "name.spaces" : "name.case";
  return { value, fix };
}

export interface SplitName {
  forenames: string;
  surname: string;
  title: string | null;
}

function isAllCapsWord(word: string): boolean {
  return /\p{L}{2,}/u.test(word) && word === word.toUpperCase();
}

/** "Smith, Jane", "Mrs Jane Smith", "SMITH Jane", "Jan van der Berg": a name in one column, split. */
export function splitFullNameWithTitle(text: string): SplitName | null {
  const s = text.trim().replace(/\s+/g, " ");
  if (!s) return null;
  let title: string | null = null;
  const takeTitle = (words: string[]): string[] => {
    while (words.length > 1 && knownTitle(words[0]!)) {
      title ??= knownTitle(words[0]!);
      words = words.slice(1);
    }
    return words;
  };
  const comma = s.indexOf(",");
  if (comma >= 0) {
    const surname = s.slice(0, comma).trim();
    const rest = takeTitle(
      s
        .slice(comma + 1)
        .replace(/,/g, " ")
        .trim()
        .split(" ")
        .filter(Boolean),
    );
    // "Smith, Mrs" has a title but no forename.
    if (!surname || !rest.length || (rest.length === 1 && knownTitle(rest[0]!))) return null;
    return { surname, forenames: rest.join(" "), title };
  }
  const words = takeTitle(s.split(" "));
  if (words.length < 2) return null;
  // "SMITH Jane Ann": a surname written first in capitals, the convention of many exports.
  const leadingCaps = words.findIndex((w) => !isAllCapsWord(w));
  if (leadingCaps > 0 && words.slice(leadingCaps).every((w) => !isAllCapsWord(w))) {
    return {
      surname: words.slice(0, leadingCaps).join(" "),
      forenames: words.slice(leadingCaps).join(" "),
      title,
    };
  }
  let start = words.length - 1;
  while (start > 1 && PARTICLES.has(words[start - 1]!.toLowerCase())) start--;
  return { surname: words.slice(start).join(" "), forenames: words.slice(0, start).join(" "), title };
}

export function splitFullName(text: string): { forenames: string; surname: string } | null {
  const split = splitFullNameWithTitle(text);
  return split ? { forenames: split.forenames, surname: split.surname } : null;
}
