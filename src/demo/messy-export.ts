/**
 * A messy membership export with its ground truth, for tests and the import
 * benchmark: people (with duplicates under other membership numbers) from
 * the duplicate-detection generator, employer and workplace strings from the
 * matching variant grammar over a real register, and the formatting habits of
 * membership systems (dates in several forms, postcodes without spaces or
 * with O for 0, phone numbers every which way). Seeded and pure.
 */
import type { RegisterEntry } from "../matching/index.js";
import { generateVariants, seededRandom, VARIANT_KINDS, type VariantKind } from "../matching/index.js";
import { generateSynthetic } from "../members/index.js";

export const MESSY_HEADERS = [
  "Membership No",
  "Surname",
  "Forename(s)",
  "DOB",
  "Address 1",
  "Town",
  "Post Code",
  "Email",
  "Mobile",
  "Employer",
  "Workplace",
  "Job Title",
  "Status",
  "Payment Method",
] as const;

export const TRUTH_HEADERS = [
  "line",
  "membership_number",
  "person_id",
  "employer_code",
  "workplace_code",
  "variant_kind",
  "matchable",
  "duplicate_corruptions",
] as const;

export interface MessyExportOptions {
  rows: number;
  seed: number;
  entries: readonly RegisterEntry[];
  /** Town of an entry by index, for "St James's Hospital Leeds" style strings. */
  towns?: ReadonlyMap<number, string>;
  /** Register code of each employer and workplace id, for the truth file. */
  employerCode: ReadonlyMap<number, string>;
  workplaceCode: ReadonlyMap<number, string>;
}

export interface MessyExport {
  /** Data rows in MESSY_HEADERS order (the header is not included). */
  rows: string[][];
  /** Truth rows in TRUTH_HEADERS order, one per data row. */
  truth: string[][];
  kinds: readonly VariantKind[];
}

/**
 * Variant kinds that write a workplace's name (some of them only sometimes):
 * a register of employers alone (the trusts file without its sites) has none
 * to write, so the export leaves them out rather than invent one.
 */
export const KINDS_NAMING_A_SITE: readonly VariantKind[] = [
  "short_name",
  "typo",
  "code",
  "site_only",
  "site_town",
  "apostrophe",
  "ward_prefix",
  "site_acronym",
  "employer_and_site",
  "place_and_site",
  "conflict",
];

const JOBS = [
  "Staff Nurse",
  "Healthcare Assistant",
  "Porter",
  "Domestic",
  "Admin Assistant",
  "Medical Secretary",
  "Physiotherapist",
  "Cook",
  "Cleaner",
  "Ward Clerk",
];

export function generateMessyExport(options: MessyExportOptions): MessyExport {
  const rand = seededRandom(options.seed ^ 0x5bd1e995);
  const chance = (p: number) => rand() < p;
  const people = generateSynthetic({
    people: Math.max(10, Math.ceil(options.rows / 1.035)),
    seed: options.seed,
  });
  const count = Math.min(options.rows, people.records.length);
  const variantCount = Math.max(1, people.person.reduce((m, p) => Math.max(m, p), 0) + 1);
  const hasOpenSite = options.entries.some((e) => e.workplaceId !== null && !e.closedOn);
  const variants = generateVariants(options.entries, {
    seed: options.seed,
    count: variantCount,
    ...(options.towns ? { towns: options.towns } : {}),
    ...(hasOpenSite ? {} : { weights: Object.fromEntries(KINDS_NAMING_A_SITE.map((k) => [k, 0])) }),
  });
  const rows: string[][] = [];
  const truth: string[][] = [];
  for (let i = 0; i < count; i++) {
    const r = people.records[i]!;
    const person = people.person[i]!;
    // Duplicates of one person work where that person works.
    const v = variants[person % variants.length]!;
    const line = i + 2;
    rows.push([
      r.membershipNumber,
      chance(0.1) ? r.surname.toUpperCase() : r.surname,
      r.forenames,
      formatDate(r.dateOfBirth, rand),
      `${1 + Math.floor(rand() * 200)} ${chance(0.5) ? "High Street" : "Church Lane"}`,
      "",
      messyPostcode(r.postcode, rand),
      r.email ? (chance(0.1) ? r.email.toUpperCase() : r.email) : "",
      messyMobile(r.mobile, rand),
      v.query.employer ?? "",
      v.query.workplace ?? "",
      JOBS[Math.floor(rand() * JOBS.length)]!,
      chance(0.95) ? "Active" : chance(0.5) ? "Lapsed" : "Left",
      chance(0.2) ? "Check-off" : "Direct Debit",
    ]);
    truth.push([
      String(line),
      r.membershipNumber,
      String(person),
      v.employerId !== null ? (options.employerCode.get(v.employerId) ?? "") : "",
      v.workplaceId !== null ? (options.workplaceCode.get(v.workplaceId) ?? "") : "",
      v.kind,
      v.matchable ? "1" : "0",
      people.corruptions[i]!.join("|"),
    ]);
  }
  return {
    rows,
    truth,
    kinds: hasOpenSite ? VARIANT_KINDS : VARIANT_KINDS.filter((k) => !KINDS_NAMING_A_SITE.includes(k)),
  };
}

function formatDate(iso: string | null, rand: () => number): string {
  if (!iso) return "";
  const [y, m, d] = iso.split("-");
  const roll = rand();
  if (roll < 0.7) return `${d}/${m}/${y}`;
  if (roll < 0.85) return iso;
  if (roll < 0.95) {
    // Excel's day number, as a spreadsheet saved to CSV leaves it.
    const serial = Math.round(
      (Date.UTC(Number(y), Number(m) - 1, Number(d)) - Date.UTC(1899, 11, 30)) / 86_400_000,
    );
    return String(serial);
  }
  return `${d}.${m}.${y}`;
}

function messyPostcode(postcode: string | null, rand: () => number): string {
  if (!postcode) return "";
  const roll = rand();
  if (roll < 0.15) return postcode.replace(" ", "").toLowerCase();
  if (roll < 0.2) return postcode.replace(/0(?=[A-Z]{2}$)/, "O");
  if (roll < 0.25) return ` ${postcode.toLowerCase()} `;
  return postcode;
}

function messyMobile(original: string | null, rand: () => number): string {
  if (!original) return "";
  // 070 and 076 are personal and pager numbers, not mobiles: keep generated numbers in the mobile ranges.
  const mobile = /^\+447[06]/.test(original) ? `+4477${original.slice(5)}` : original;
  const national = `0${mobile.slice(3)}`;
  const roll = rand();
  if (roll < 0.4) return `${national.slice(0, 5)} ${national.slice(5)}`;
  if (roll < 0.6) return `+44 ${mobile.slice(3, 7)} ${mobile.slice(7)}`;
  if (roll < 0.7) return mobile.slice(3);
  return national;
}
