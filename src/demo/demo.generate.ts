/**
 * Seeded generator of a realistic demo union (a UK public-service union in
 * the manner of UNISON): regions, sectors, branches, employers, workplaces,
 * demo users, and a lazy stream of members.
 *
 * Pure logic: no I/O, no clock, no Math.random. Everything comes from a small
 * seeded PRNG (sfc32 seeded through splitmix32), so one seed always gives
 * byte-identical output.
 *
 * generateMembers() derives everything it needs from the public fields of the
 * union it is given (so a union read back from JSON streams the same members),
 * including the reference date: the latest date found in the union, which
 * generateDemoUnion() guarantees to be the reference date.
 *
 * Names, places and codes are fictional or public; ODS codes, GSS codes, URNs
 * and company numbers are made up and do not identify real bodies. Mobile
 * numbers come only from Ofcom's drama range (07700 900000-900999). Personal
 * email addresses use real mail domains (gmail.com ...): never send to them.
 */
import {
  ACUTE_TRUST_TEMPLATES,
  COLLEGE_TEMPLATES,
  COMMUNITY_TEMPLATES,
  COMMUNITY_TRUST_TEMPLATES,
  FEMALE_SHARE_BY_SECTOR,
  type FixedEmployer,
  GP_TEMPLATES,
  HEALTH_GROUP_BOOST,
  JOBS,
  type JobRow,
  MAT_TEMPLATES,
  MENTAL_HEALTH_TRUST_TEMPLATES,
  NAME_GROUP_WEIGHTS,
  NAME_GROUPS,
  PERSONAL_EMAIL_DOMAINS,
  PLACE_WORDS,
  REGIONS_DATA,
  type RegionData,
  SAINTS,
  SCHOOL_TEMPLATES,
  SCOTTISH_STREETS,
  SITE_TEMPLATES,
  type SiteTemplate,
  STREETS,
  UNIVERSITY_TEMPLATES,
  WELSH_PLACE_WORDS,
  WELSH_SCHOOL_TEMPLATES,
  WELSH_STREETS,
} from "./names.js";

// ---------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------

export type Nation = "england" | "wales" | "scotland" | "northern_ireland";
export type MemberStatus = "active" | "lapsed" | "left" | "deceased";
export interface DemoRegion {
  code: string;
  name: string;
  nation: Nation;
}
export interface DemoSector {
  code: string;
  name: string;
}
export interface DemoBranch {
  code: string;
  name: string;
  regionCode: string;
}
export interface DemoEmployer {
  key: string;
  name: string;
  sectorCode: string;
  regionCode: string;
  nation: Nation;
  odsCode: string | null;
  dfeUrn: string | null;
  gssCode: string | null;
  companiesHouseNumber: string | null;
  importantPublicService:
    | "health"
    | "education"
    | "fire"
    | "transport"
    | "border_security"
    | "nuclear_decommissioning"
    | null;
  devolvedWelshAuthority: boolean;
  openedOn: string;
  closedOn: string | null;
  parentKey: string | null;
}
export interface DemoWorkplace {
  key: string;
  employerKey: string;
  siteCode: string | null;
  name: string;
  address: string;
  postcode: string;
  regionCode: string;
  openedOn: string;
  closedOn: string | null;
  headcount: number | null;
  headcountOn: string | null;
  headcountSource: string | null;
}
export interface DemoUser {
  email: string;
  displayName: string;
  role: "national" | "regional" | "sector" | "rep" | "scrutineer" | "observer" | "dpo";
  regionCodes: string[];
  sectorCodes: string[];
  workplaceKeys: string[];
}
export interface DemoMember {
  membershipNumber: string;
  forenames: string;
  surname: string;
  dateOfBirth: string | null;
  addressLine1: string | null;
  addressLine2: string | null;
  town: string | null;
  homePostcode: string | null;
  postalAddress: string | null;
  postalPostcode: string | null;
  postalRequestedOn: string | null;
  postalRequestEvidence: string | null;
  email: string | null;
  mobile: string | null;
  employerKey: string | null;
  workplaceKey: string | null;
  jobTitle: string | null;
  jobCategory: string | null;
  branchCode: string | null;
  regionCode: string;
  status: MemberStatus;
  inArrears: boolean;
  checkOff: boolean;
  joinedOn: string;
  leftOn: string | null;
  consentEmail: boolean;
  consentSms: boolean;
}
export interface DemoUnion {
  union: { slug: string; name: string };
  regions: DemoRegion[];
  sectors: DemoSector[];
  branches: DemoBranch[];
  employers: DemoEmployer[];
  workplaces: DemoWorkplace[];
  users: DemoUser[];
}
export interface DemoOptions {
  seed: number;
  employers?: number /* default 300 */;
  referenceDate?: string /* ISO, default "2026-11-01" */;
}

export const DEMO_PASSWORD = "mandate-demo";

const DEFAULT_EMPLOYERS = 300;
const DEFAULT_REFERENCE_DATE = "2026-11-01";

// ---------------------------------------------------------------------------
// PRNG and sampling
// ---------------------------------------------------------------------------

function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** sfc32, seeded from (seed, salt) through splitmix32. Separate salts give independent streams. */
class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number, salt: string) {
    if (!Number.isFinite(seed)) throw new RangeError(`seed must be a finite number, got ${seed}`);
    const whole = Math.floor(seed);
    const lo = whole >>> 0;
    const hi = Math.floor(whole / 4294967296) >>> 0;
    let state = (hashString(salt) ^ lo ^ Math.imul(hi, 0x9e3779b1)) | 0;
    const splitmix = (): number => {
      state = (state + 0x9e3779b9) | 0;
      let z = state;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = splitmix();
    this.b = splitmix();
    this.c = splitmix();
    this.d = splitmix();
    for (let i = 0; i < 15; i++) this.u32();
  }

  u32(): number {
    let t = (this.a + this.b) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.d = (this.d + 1) | 0;
    t = (t + this.d) | 0;
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.u32() / 4294967296;
  }

  /** Uniform integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const tmp = items[i]!;
      items[i] = items[j]!;
      items[j] = tmp;
    }
    return items;
  }
}

/** Weighted choice by binary search over cumulative weights. */
class Sampler<T> {
  private readonly cum: Float64Array;
  private readonly total: number;

  constructor(
    readonly values: readonly T[],
    weights: readonly number[],
  ) {
    if (values.length === 0 || values.length !== weights.length)
      throw new Error("Sampler needs matching non-empty lists");
    this.cum = new Float64Array(values.length);
    let sum = 0;
    for (let i = 0; i < values.length; i++) {
      sum += Math.max(0, weights[i]!);
      this.cum[i] = sum;
    }
    if (!(sum > 0)) throw new Error("Sampler needs a positive total weight");
    this.total = sum;
  }

  pick(rng: Rng): T {
    return this.values[this.index(rng)]!;
  }

  index(rng: Rng): number {
    const x = rng.next() * this.total;
    const cum = this.cum;
    let lo = 0;
    let hi = cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cum[mid]! > x) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}

/** Zipf-like weights for a list ordered by frequency. */
function rankWeights(n: number, offset: number, exponent: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(1 / (i + offset) ** exponent);
  return out;
}

// ---------------------------------------------------------------------------
// Dates
// ---------------------------------------------------------------------------

const MS_PER_DAY = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function dayOf(iso: string): number {
  const m = ISO_DATE.exec(iso);
  if (!m) throw new RangeError(`not an ISO date (YYYY-MM-DD): ${iso}`);
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  const day = Math.round(ms / MS_PER_DAY);
  if (isoOf(day) !== iso) throw new RangeError(`not a valid calendar date: ${iso}`);
  return day;
}

function isoOf(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** ISO strings for `count` consecutive days from 1 January of `year`, without a Date per day. */
function isoRange(year: number, count: number): string[] {
  const out: string[] = [];
  const pad = ["00", "01", "02", "03", "04", "05", "06", "07", "08", "09"];
  const two = (n: number): string => (n < 10 ? pad[n]! : String(n));
  let y = year;
  let m = 1;
  let d = 1;
  while (out.length < count) {
    out.push(`${y}-${two(m)}-${two(d)}`);
    const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
    const monthLength = m === 2 ? (leap ? 29 : 28) : m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
    if (++d > monthLength) {
      d = 1;
      if (++m > 12) {
        m = 1;
        y++;
      }
    }
  }
  return out;
}

function dayOfYmd(year: number, month: number, dayOfMonth: number): number {
  return Math.round(Date.UTC(year, month - 1, dayOfMonth) / MS_PER_DAY);
}

// ---------------------------------------------------------------------------
// Places
// ---------------------------------------------------------------------------

interface Town {
  name: string;
  postTown: string;
  outwards: string[];
  region: Region;
}

interface Region {
  data: RegionData;
  index: number;
  towns: Town[];
  townByName: Map<string, Town>;
}

const INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ";

function expandOutwards(spec: string): string[] {
  const out: string[] = [];
  for (const token of spec.split(" ")) {
    const m = /^([A-Z]{1,2})(\d{1,2})(?:-(\d{1,2}))?$/.exec(token);
    if (!m) throw new Error(`bad outward code spec: ${token}`);
    const from = Number(m[2]);
    const to = m[3] === undefined ? from : Number(m[3]);
    for (let d = from; d <= to; d++) out.push(`${m[1]}${d}`);
  }
  return out;
}

let regionsCache: Region[] | null = null;

function regions(): Region[] {
  if (regionsCache) return regionsCache;
  regionsCache = REGIONS_DATA.map((data, index) => {
    const region: Region = { data, index, towns: [], townByName: new Map() };
    for (const t of data.towns) {
      const town: Town = {
        name: t.name,
        postTown: t.postTown ?? t.name,
        outwards: expandOutwards(t.outward),
        region,
      };
      region.towns.push(town);
      region.townByName.set(t.name, town);
    }
    return region;
  });
  return regionsCache;
}

function townIn(region: Region, name: string): Town {
  const town = region.townByName.get(name);
  if (!town) throw new Error(`names.ts: town ${name} is not listed in region ${region.data.code}`);
  return town;
}

function areaOf(outward: string): string {
  let i = 0;
  while (i < outward.length && outward.charCodeAt(i) >= 65) i++;
  return outward.slice(0, i);
}

function inwardCode(rng: Rng): string {
  return `${rng.int(0, 9)}${INWARD_LETTERS[rng.int(0, 19)]}${INWARD_LETTERS[rng.int(0, 19)]}`;
}

function townLabel(town: Town): string {
  return town.postTown === town.name ? town.name : `${town.name}, ${town.postTown}`;
}

// ---------------------------------------------------------------------------
// Union
// ---------------------------------------------------------------------------

const SECTORS: DemoSector[] = [
  { code: "health", name: "Health" },
  { code: "local-government", name: "Local Government" },
  { code: "education", name: "Education" },
  { code: "higher-education", name: "Higher Education" },
  { code: "police-justice", name: "Police and Justice" },
  { code: "community", name: "Community" },
  { code: "energy", name: "Energy" },
  { code: "wet", name: "Water, Environment and Transport" },
];

const SECTOR_SHARE: Record<string, number> = {
  health: 0.35,
  "local-government": 0.3,
  education: 0.2,
  "higher-education": 0.04,
  "police-justice": 0.04,
  community: 0.04,
  energy: 0.015,
  wet: 0.015,
};

/** Sectors whose regional lists are finite: use up real names everywhere before making generic ones. */
const PREFER_LISTED = new Set(["local-government", "higher-education", "police-justice", "energy", "wet"]);

const NHS_KINDS = new Set([
  "acute",
  "community_health",
  "mental_health",
  "ambulance",
  "health_board",
  "nhs_national",
]);

const SITE_COUNT: Record<string, readonly [number, number]> = {
  acute: [4, 12],
  health_board: [6, 12],
  hsc_trust: [6, 12],
  community_health: [3, 10],
  mental_health: [3, 9],
  ambulance: [4, 10],
  hsc_ambulance: [4, 8],
  nhs_national: [1, 3],
  hsc_national: [1, 2],
  health_subsidiary: [1, 4],
  gp: [1, 2],
  council: [4, 12],
  town_council: [1, 2],
  mat: [1, 1],
  academy: [1, 1],
  school: [1, 1],
  college: [1, 3],
  education_authority: [4, 10],
  university: [2, 6],
  police: [3, 9],
  fire: [3, 8],
  pcc: [1, 1],
  housing: [2, 5],
  care_provider: [2, 6],
  charity: [1, 3],
  hospice: [1, 3],
  energy_network: [2, 6],
  nuclear: [1, 3],
  water: [3, 8],
  environment: [2, 5],
  bus: [1, 4],
  airport: [1, 2],
  rail: [2, 5],
  port: [1, 3],
};

const SITE_TEMPLATE_KIND: Record<string, string> = {
  hsc_trust: "health_board",
  hsc_ambulance: "ambulance",
  hsc_national: "nhs_national",
  academy: "school",
};

/** The employer the rep works for, with two real-looking named hospitals. */
const REP_EMPLOYER = "Leeds Teaching Hospitals NHS Trust";
const REP_SITES: readonly (readonly [name: string, street: string, postcode: string, staff: number])[] = [
  ["St James's University Hospital", "Beckett Street", "LS9 7TF", 5600],
  ["Leeds General Infirmary", "Great George Street", "LS1 3EX", 4700],
];

interface Candidate {
  name: string;
  kind: string;
  town: Town;
  gss: string | null;
  /** School staff size from its template. */
  size: number | null;
  academy: boolean;
}

interface Draft extends Candidate {
  sector: string;
  region: Region;
  parent: Draft | null;
  forced: boolean;
  key: string;
}

function fill(
  template: string,
  rng: Rng,
  town: Town,
  extra: { name?: string; street?: string } = {},
): string {
  const wales = town.region.data.nation === "wales";
  return template.replace(/\{(T|A|S|W|WW|St|N|N0)\}/g, (_, tag: string) => {
    switch (tag) {
      case "T":
        return town.name;
      case "S":
        return rng.pick(SAINTS);
      case "W":
        return wales && rng.chance(0.3) ? rng.pick(WELSH_PLACE_WORDS) : rng.pick(PLACE_WORDS);
      case "WW":
        return rng.pick(WELSH_PLACE_WORDS);
      case "St":
        return extra.street ?? rng.pick(STREETS);
      case "N":
        return extra.name ?? town.name;
      case "N0":
        return (extra.name ?? town.name).split(" ")[0]!;
      default:
        return town.region.data.name;
    }
  });
}

function areaParts(entry: string, region: Region): [string, Town] {
  const [area, townName] = entry.split(":") as [string, string];
  return [area, townIn(region, townName)];
}

function candidate(name: string, kind: string, town: Town, gss: string | null = null): Candidate {
  return { name, kind, town, gss, size: null, academy: false };
}

/** A region's names for one sector: a listed (finite) part and an optional generator. */
class Pool {
  private index = 0;
  constructor(
    private readonly listed: Candidate[],
    private readonly generate: ((rng: Rng) => Candidate) | null,
    /** When both exist, the chance of taking a listed name rather than a generated one. */
    private readonly listedShare = 1,
  ) {}

  listedLeft(used: Set<string>): boolean {
    while (this.index < this.listed.length && used.has(this.listed[this.index]!.name)) this.index++;
    return this.index < this.listed.length;
  }

  removeListed(name: string): Candidate | null {
    const i = this.listed.findIndex((c) => c.name === name);
    if (i < 0) return null;
    return this.listed.splice(i, 1)[0]!;
  }

  next(rng: Rng, used: Set<string>, mayGenerate: boolean): Candidate | null {
    const hasListed = this.listedLeft(used);
    if (hasListed && (!this.generate || !mayGenerate || rng.chance(this.listedShare)))
      return this.listed[this.index++]!;
    if (this.generate && mayGenerate) {
      let c = this.generate(rng);
      for (let attempt = 0; attempt < 25 && used.has(c.name); attempt++) c = this.generate(rng);
      if (!used.has(c.name) || !hasListed) return c; // a clash is renamed by the caller
      return this.listed[this.index++]!;
    }
    return null;
  }
}

function buildPools(rng: Rng): Map<string, Pool[]> {
  const pools = new Map<string, Pool[]>();
  for (const s of SECTORS) pools.set(s.code, []);
  for (const region of regions()) {
    const d = region.data;
    const england = d.nation === "england";
    const wales = d.nation === "wales";
    const fixed = (sector: string): Candidate[] =>
      (d.fixed[sector] ?? []).map((f: FixedEmployer) => candidate(f[0], f[1], townIn(region, f[2])));
    const randomTown = (r: Rng): Town => r.pick(region.towns);

    // Health.
    const health = fixed("health");
    if (england) {
      const hasAcute = new Set(health.filter((c) => c.kind === "acute").map((c) => c.town.name));
      // Acute trusts in the larger towns (lists are ordered roughly by size); teaching trusts in the largest.
      const acuteTowns = region.towns.slice(0, Math.max(6, Math.ceil(region.towns.length * 0.6)));
      const plainAcute = [ACUTE_TRUST_TEMPLATES[2]!, ACUTE_TRUST_TEMPLATES[3]!, ACUTE_TRUST_TEMPLATES[5]!];
      acuteTowns.forEach((town, i) => {
        if (hasAcute.has(town.name)) return;
        health.push(
          candidate(fill(rng.pick(i < 5 ? ACUTE_TRUST_TEMPLATES : plainAcute), rng, town), "acute", town),
        );
      });
      for (const entry of d.healthAreas) {
        const [area, town] = areaParts(entry, region);
        health.push(candidate(MENTAL_HEALTH_TRUST_TEMPLATES[0]!.replace("{A}", area), "mental_health", town));
        if (rng.chance(0.5))
          health.push(
            candidate(COMMUNITY_TRUST_TEMPLATES[2]!.replace("{A}", area), "community_health", town),
          );
      }
      for (const town of region.towns.slice(0, 6)) {
        if (rng.chance(0.4))
          health.push(
            candidate(
              fill(rng.pick(COMMUNITY_TRUST_TEMPLATES.slice(0, 2)), rng, town),
              "community_health",
              town,
            ),
          );
        else if (rng.chance(0.3))
          health.push(candidate(fill(MENTAL_HEALTH_TRUST_TEMPLATES[1]!, rng, town), "mental_health", town));
      }
    }
    const gp = (r: Rng): Candidate => {
      const town = randomTown(r);
      const name =
        wales && r.chance(0.3)
          ? `Meddygfa ${r.pick(WELSH_PLACE_WORDS)}`
          : fill(r.pick(GP_TEMPLATES), r, town);
      return candidate(name, "gp", town);
    };
    pools.get("health")!.push(new Pool(rng.shuffle(health), gp));

    // Local government: councils, then town councils, then generic parish councils.
    const councils = rng.shuffle(
      d.councils.map((c) => candidate(c.name, "council", townIn(region, c.town), c.gss)),
    );
    const councilTowns = new Set(d.councils.map((c) => c.town));
    const townCouncils =
      (england && d.code !== "greater-london") || wales
        ? rng.shuffle(
            region.towns
              .filter((t) => !councilTowns.has(t.name))
              .map((t) => candidate(`${t.name} Town Council`, "town_council", t, wales ? "W04" : "E04")),
          )
        : [];
    const parish =
      england && d.code !== "greater-london"
        ? (r: Rng): Candidate => {
            const town = randomTown(r);
            return candidate(`${r.pick(PLACE_WORDS)} Parish Council`, "town_council", town, "E04");
          }
        : (r: Rng): Candidate => {
            const town = randomTown(r);
            return candidate(`${town.name} ${r.pick(PLACE_WORDS)} Joint Committee`, "town_council", town);
          };
    pools.get("local-government")!.push(new Pool([...councils, ...townCouncils], parish));

    // Education.
    const educationListed = rng.shuffle(fixed("education"));
    const ea = educationListed.findIndex((c) => c.kind === "education_authority");
    if (ea > 0) educationListed.unshift(educationListed.splice(ea, 1)[0]!);
    let educationGen: (r: Rng) => Candidate;
    let educationListedShare = 1;
    if (england) {
      educationGen = (r) => {
        const town = randomTown(r);
        const roll = r.next();
        if (roll < 0.12) return candidate(fill(r.pick(MAT_TEMPLATES), r, town), "mat", town);
        if (roll < 0.2) return candidate(fill(r.pick(COLLEGE_TEMPLATES), r, town), "college", town);
        const [template, academy, size] = r.pick(SCHOOL_TEMPLATES);
        return { ...candidate(fill(template, r, town), "school", town), size, academy };
      };
    } else if (wales) {
      educationListedShare = 0.2;
      educationGen = (r) => {
        const town = randomTown(r);
        const template = r.pick(WELSH_SCHOOL_TEMPLATES);
        const size = /Uwchradd|Comprehensive/.test(template) ? 110 : 35;
        return { ...candidate(fill(template, r, town), "school", town), size };
      };
    } else {
      educationListedShare = d.nation === "scotland" ? 0.75 : 0.6;
      const templates =
        d.nation === "scotland"
          ? ["{W} School", "St {S}'s School", "{W} Independent School"]
          : ["{T} Grammar School", "St {S}'s Grammar School", "{W} Integrated College", "{W} Grammar School"];
      educationGen = (r) => {
        const town = randomTown(r);
        return { ...candidate(fill(r.pick(templates), r, town), "school", town), size: 90 };
      };
    }
    pools.get("education")!.push(new Pool(educationListed, educationGen, educationListedShare));

    // Higher education.
    const he = fixed("higher-education");
    if (england) {
      he.push(candidate(`University of ${d.universityArea}`, "university", region.towns[0]!));
      for (const town of region.towns.slice(0, 5)) {
        if (d.code === "greater-london" && town.postTown === "London" && rng.chance(0.5)) continue;
        he.push(candidate(fill(rng.pick(UNIVERSITY_TEMPLATES), rng, town), "university", town));
      }
    }
    const heGen = (r: Rng): Candidate => {
      const town = randomTown(r);
      return candidate(
        `${town.name} ${r.pick(["Institute of Higher Education", "University Centre", "School of Art"])}`,
        "university",
        town,
      );
    };
    pools.get("higher-education")!.push(new Pool(rng.shuffle(he), heGen));

    // Police and justice.
    const pj = fixed("police-justice");
    for (const entry of d.policeAreas) {
      const [area, town] = areaParts(entry, region);
      pj.push(candidate(`${area} Police`, "police", town));
      pj.push(candidate(`${area} Fire and Rescue Service`, "fire", town));
      pj.push(candidate(`Office of the Police and Crime Commissioner for ${area}`, "pcc", town));
    }
    const pjGen = (r: Rng): Candidate => {
      const town = randomTown(r);
      return candidate(
        `${town.name} ${r.pick(["Youth Justice Service", "Community Safety Partnership"])}`,
        "pcc",
        town,
      );
    };
    pools.get("police-justice")!.push(new Pool(rng.shuffle(pj), pjGen));

    // Community: housing associations, care providers, charities, hospices.
    const areaNames = [...d.healthAreas, ...d.policeAreas].map((e) => e.split(":")[0]!);
    if (areaNames.length === 0) areaNames.push(d.name);
    const communityGen = (r: Rng): Candidate => {
      const town = randomTown(r);
      const [template, kind] = r.pick(COMMUNITY_TEMPLATES);
      return candidate(fill(template.replace("{A}", r.pick(areaNames)), r, town), kind, town);
    };
    pools.get("community")!.push(new Pool([], communityGen));

    // Energy.
    const energyGen = (r: Rng): Candidate => {
      const town = randomTown(r);
      return candidate(
        `${town.name} ${r.pick(["Energy Services Ltd", "Heat Network Ltd", "Community Energy Ltd"])}`,
        "energy_network",
        town,
      );
    };
    pools.get("energy")!.push(new Pool(rng.shuffle(fixed("energy")), energyGen));

    // Water, environment and transport.
    const wet = fixed("wet");
    if (england) {
      for (const town of region.towns.slice(1, 4)) wet.push(candidate(`${town.name} Buses Ltd`, "bus", town));
    }
    const wetGen = (r: Rng): Candidate => {
      const town = randomTown(r);
      return candidate(
        `${town.name} ${r.pick(["Community Transport Ltd", "Coaches Ltd", "Rivers Trust"])}`,
        "bus",
        town,
      );
    };
    pools.get("wet")!.push(new Pool(rng.shuffle(wet), wetGen));
  }
  return pools;
}

function sectorQuotas(n: number): Map<string, number> {
  const raw = SECTORS.map((s) => n * SECTOR_SHARE[s.code]!);
  const quotas = raw.map(Math.floor);
  let left = n - quotas.reduce((a, b) => a + b, 0);
  const order = raw.map((r, i) => [r - Math.floor(r), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of order) {
    if (left <= 0) break;
    quotas[i]!++;
    left--;
  }
  if (quotas[0] === 0) {
    // The rep needs a health employer, however small the demo.
    const largest = quotas.indexOf(Math.max(...quotas));
    quotas[largest]!--;
    quotas[0] = 1;
  }
  return new Map(SECTORS.map((s, i) => [s.code, quotas[i]!]));
}

function apportion(total: number, weights: readonly number[], rng: Rng): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const raw = weights.map((w) => (total * w) / sum);
  const out = raw.map(Math.floor);
  let left = total - out.reduce((a, b) => a + b, 0);
  const order = raw
    .map((r, i) => [r - Math.floor(r) + rng.next() * 0.6, i] as const)
    .sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of order) {
    if (left <= 0) break;
    out[i]!++;
    left--;
  }
  return out;
}

function draftEmployers(rng: Rng, n: number): Draft[] {
  const regionList = regions();
  const pools = buildPools(rng);
  const quotas = sectorQuotas(n);
  const used = new Set<string>();
  const drafts: Draft[] = [];
  const weights = regionList.map((r) => r.data.weight);

  const add = (c: Candidate, sector: string, parent: Draft | null, forced = false): Draft => {
    let name = c.name;
    if (used.has(name)) {
      name = `${c.name} (${c.town.name})`;
      for (let k = 2; used.has(name); k++) name = `${c.name} (${c.town.name} ${k})`;
    }
    used.add(name);
    const draft: Draft = { ...c, name, sector, region: c.town.region, parent, forced, key: "" };
    drafts.push(draft);
    return draft;
  };

  const chooseRegion = (sector: string): Region => {
    const sectorPools = pools.get(sector)!;
    const eligible = PREFER_LISTED.has(sector)
      ? regionList.filter((r) => sectorPools[r.index]!.listedLeft(used))
      : [];
    const list = eligible.length > 0 ? eligible : regionList;
    return new Sampler(
      list,
      list.map((r) => weights[r.index]!),
    ).pick(rng);
  };

  /** Adds one employer (and maybe its dependants, within budget) in the region; returns how many were added. */
  const makeIn = (sector: string, region: Region, budget: number): number => {
    const pool = pools.get(sector)![region.index]!;
    const mayGenerate = !PREFER_LISTED.has(sector) || !pool.listedLeft(used);
    const c = pool.next(rng, used, mayGenerate);
    if (!c) return 0;
    const draft = add(c, sector, null);
    let added = 1;
    if (c.kind === "mat" && region.data.nation === "england") {
      const academies = rng.int(2, 5);
      for (let j = 0; j < academies && added < budget; j++) {
        const town = rng.chance(0.6) ? c.town : rng.pick(region.towns);
        const [template, , size] = rng.pick(SCHOOL_TEMPLATES);
        add({ ...candidate(fill(template, rng, town), "academy", town), size, academy: true }, sector, draft);
        added++;
      }
    } else if (c.kind === "acute" && added < budget && rng.chance(0.1)) {
      const suffix = rng.pick([
        "Healthcare Facilities Ltd",
        "Estates and Facilities Ltd",
        "Health Solutions Ltd",
      ]);
      add(candidate(`${c.town.name} ${suffix}`, "health_subsidiary", c.town), sector, draft);
      added++;
    }
    return added;
  };

  for (const sector of SECTORS.map((s) => s.code)) {
    const quota = quotas.get(sector)!;
    const sectorPools = pools.get(sector)!;
    // Each region's share of the sector, rounded at random (largest jittered remainder).
    const targets = apportion(quota, weights, rng);
    if (sector === "health") {
      const yorkshire = regionList.find((r) => r.data.code === "yorkshire-humberside")!;
      add(sectorPools[yorkshire.index]!.removeListed(REP_EMPLOYER)!, sector, null, true);
      const from = targets[yorkshire.index]! > 0 ? yorkshire.index : targets.indexOf(Math.max(...targets));
      targets[from]!--;
    }
    let pending = 0;
    for (const region of regionList) {
      let need = targets[region.index]!;
      while (need > 0) {
        if (PREFER_LISTED.has(sector) && !sectorPools[region.index]!.listedLeft(used)) break;
        need -= makeIn(sector, region, need);
      }
      pending += need;
    }
    while (pending > 0) pending -= makeIn(sector, chooseRegion(sector), pending);
  }
  return drafts;
}

class CodeAllocator {
  private readonly used = new Set<string>();
  constructor(private readonly rng: Rng) {}

  take(make: (rng: Rng) => string): string {
    for (let attempt = 0; attempt < 10_000; attempt++) {
      const code = make(this.rng);
      if (!this.used.has(code)) {
        this.used.add(code);
        return code;
      }
    }
    throw new Error("demo generator: ran out of unique codes");
  }
}

const ALNUM = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ";
const GSS_RANGE: Record<string, number> = {
  E06: 199,
  E07: 399,
  E08: 99,
  E09: 99,
  E10: 99,
  W06: 99,
  S12: 99,
  N09: 99,
};

function openedOnFor(d: Draft, rng: Rng): string {
  const year = (from: number, to: number): number => rng.int(from, to);
  const april = (y: number): string => `${y}-04-01`;
  switch (d.kind) {
    case "acute":
    case "community_health":
    case "mental_health":
    case "ambulance":
      return april(year(1991, 2020));
    case "health_board":
      return d.region.data.nation === "wales" ? "2009-10-01" : "2004-04-01";
    case "hsc_trust":
    case "hsc_ambulance":
    case "hsc_national":
      return "2007-04-01";
    case "nhs_national":
      return april(year(1999, 2021));
    case "council":
      if (d.gss === "E09") return "1965-04-01";
      if (d.gss === "E08" || d.gss === "E10") return "1974-04-01";
      if (d.gss === "W06" || d.gss === "S12") return "1996-04-01";
      if (d.gss === "N09") return "2015-04-01";
      if (d.gss === "E07") return rng.pick(["1974-04-01", "1974-04-01", "2019-04-01", "2023-04-01"]);
      return rng.pick([
        "1996-04-01",
        "1997-04-01",
        "1998-04-01",
        "2009-04-01",
        "2019-04-01",
        "2021-04-01",
        "2023-04-01",
      ]);
    case "college":
      return "1993-04-01";
    case "school":
      return d.academy
        ? `${year(2011, 2024)}-${rng.pick(["04", "09", "01"])}-01`
        : `${year(1948, 2008)}-09-01`;
    case "academy":
    case "mat":
      return `${year(2011, 2024)}-${rng.pick(["04", "09", "01", "06"])}-01`;
    case "university":
      return rng.chance(0.5) ? `${year(1900, 1970)}-08-01` : `${year(1992, 2012)}-09-01`;
    case "police":
    case "fire":
      return d.region.data.nation === "scotland" ? "2013-04-01" : "1974-04-01";
    case "pcc":
      return rng.chance(0.6) ? "2012-11-22" : april(year(2000, 2019));
    case "water":
      return "1989-09-01";
    default:
      return `${year(1960, 2021)}-${String(rng.int(1, 12)).padStart(2, "0")}-01`;
  }
}

function importantPublicServiceFor(d: Draft): DemoEmployer["importantPublicService"] {
  // The Trade Union Act 2016 (and its 40% threshold) does not extend to Northern Ireland.
  if (d.region.data.nation === "northern_ireland") return null;
  if (NHS_KINDS.has(d.kind)) return "health";
  if (d.kind === "school" || d.kind === "academy" || d.kind === "mat" || d.kind === "college")
    return "education";
  if (d.kind === "fire") return "fire";
  if (d.kind === "nuclear") return "nuclear_decommissioning";
  if (d.kind === "rail" || d.kind === "airport" || d.kind === "port") return "transport";
  if (d.kind === "bus" && d.region.data.code === "greater-london") return "transport";
  return null;
}

const DEVOLVED_WELSH_KINDS = new Set([
  "council",
  "town_council",
  "health_board",
  "nhs_national",
  "ambulance",
  "school",
  "fire",
  "environment",
]);

function companiesHouseFor(d: Draft, codes: CodeAllocator, rng: Rng): string | null {
  const england = d.region.data.nation === "england";
  let wanted = false;
  if (d.kind === "mat") wanted = england;
  else if (d.kind === "school")
    wanted = d.academy || (d.region.data.nation === "scotland" && rng.chance(0.7));
  else if (d.kind === "university" || d.kind === "health_subsidiary") wanted = true;
  else if (d.kind === "housing") wanted = rng.chance(0.7);
  else if (d.kind === "care_provider" || d.kind === "hospice" || d.kind === "charity")
    wanted = rng.chance(0.85);
  else wanted = / (Ltd|plc)$/.test(d.name);
  if (!wanted) return null;
  const nation = d.region.data.nation;
  if (nation === "scotland") return codes.take((r) => `SC${r.int(100000, 799999)}`);
  if (nation === "northern_ireland") return codes.take((r) => `NI${r.int(600000, 699999)}`);
  return codes.take((r) => String(r.int(1_000_000, 15_999_999)).padStart(8, "0"));
}

/** Bodies whose sites spread over the whole region; the others stay near their home town. */
const WIDE_AREA_KINDS = new Set([
  "ambulance",
  "hsc_ambulance",
  "police",
  "fire",
  "water",
  "energy_network",
  "education_authority",
  "environment",
]);

/** Staff multiplier: bodies based in big towns are bigger (town lists run roughly largest first). */
function employerScale(d: Draft): number {
  if (d.kind === "council") {
    const byType: Record<string, number> = { E10: 1.3, E08: 1.1, E09: 0.9, E06: 0.9, E07: 0.45 };
    const s = d.gss === null ? undefined : byType[d.gss];
    if (s !== undefined) return s;
  }
  const rank = d.region.towns.indexOf(d.town);
  return rank < 4 ? 1 : rank < 10 ? 0.75 : rank < 20 ? 0.55 : 0.4;
}

interface SiteDraft {
  workplace: DemoWorkplace;
  staff: number;
}

function headcountSourceFor(d: Draft, year: number, rng: Rng): string {
  if (NHS_KINDS.has(d.kind))
    return d.region.data.nation === "scotland" ? `NHS Scotland workforce extract ${year}` : "ESR extract";
  if (d.kind.startsWith("hsc_")) return `HRPTS extract ${year}`;
  if (d.kind === "council") return `employer return ${year}`;
  if (d.kind === "school" || d.kind === "academy") return `school workforce census ${year}`;
  return rng.pick([
    `employer return ${year}`,
    `FOI response ${year}`,
    `branch survey ${year}`,
    `check-off list ${year}`,
  ]);
}

function buildSites(
  d: Draft,
  employer: DemoEmployer,
  rng: Rng,
  refDay: number,
  nextKey: () => string,
): SiteDraft[] {
  const templateKind = SITE_TEMPLATE_KIND[d.kind] ?? d.kind;
  const templates = SITE_TEMPLATES[templateKind];
  if (!templates) throw new Error(`no site templates for ${d.kind}`);
  const [minSites, maxSites] = SITE_COUNT[d.kind] ?? [1, 3];
  const scale = employerScale(d);
  let count = Math.max(minSites, Math.round(rng.int(minSites, maxSites) * Math.min(1, scale + 0.25)));
  if (d.gss === "E10" || d.gss === "E08") count = Math.max(count, rng.int(7, 12));
  if (templates.other.length === 0) count = 1;
  const nation = d.region.data.nation;
  const wideArea = WIDE_AREA_KINDS.has(d.kind) || d.gss === "E10";
  const homeArea = areaOf(d.town.outwards[0]!);
  const nearby = d.region.towns.filter((t) => t.outwards.some((o) => areaOf(o) === homeArea));
  const usedTemplates = new Set<string>();
  const names = new Set<string>();
  const siteCodes = new Set<string>();
  const openedDay = dayOf(employer.openedOn);
  const sites: SiteDraft[] = [];

  const street = (): string => {
    if (nation === "wales" && rng.chance(0.25)) return rng.pick(WELSH_STREETS);
    if (nation === "scotland" && rng.chance(0.3)) return rng.pick(SCOTTISH_STREETS);
    return rng.pick(STREETS);
  };

  for (let i = 0; i < count; i++) {
    const fixedSite = d.forced ? REP_SITES[i] : undefined;
    const town =
      i === 0 || fixedSite
        ? d.town
        : wideArea
          ? rng.chance(0.4)
            ? d.town
            : rng.pick(d.region.towns)
          : rng.chance(0.75)
            ? d.town
            : rng.pick(nearby);
    let name = "";
    let streetName = "";
    let staff = 0;
    let postcode = "";
    if (fixedSite) {
      [name, streetName, postcode, staff] = fixedSite;
    } else {
      let list: readonly SiteTemplate[] = i === 0 ? templates.main : templates.other;
      if (d.kind === "council" && i === 0) {
        list =
          d.gss === "E10"
            ? list.filter((t) => t[0] === "County Hall")
            : list.filter((t) => t[0] !== "County Hall");
      }
      let found = false;
      for (let attempt = 0; attempt < 30 && !found; attempt++) {
        const [template, min, max] = rng.pick(list);
        // A site type without a varying part ("Trust Headquarters, {St}") appears once per employer.
        if (usedTemplates.has(template) && !/\{(W|S|T)\}/.test(template)) continue;
        streetName = street();
        name = fill(template, rng, town, { name: d.name, street: streetName });
        staff = Math.max(3, Math.round(rng.int(min, max) * scale));
        found = !names.has(name);
        if (found) usedTemplates.add(template);
      }
      if (!found) continue;
      if (d.size !== null && i === 0) staff = Math.max(6, Math.round(d.size * (0.6 + rng.next() * 0.9)));
      postcode = `${rng.pick(town.outwards)} ${inwardCode(rng)}`;
    }
    names.add(name);
    const address = `${!fixedSite && rng.chance(0.4) ? `${rng.int(1, 250)} ` : ""}${streetName}, ${townLabel(town)}`;

    let siteCode: string | null = null;
    if (employer.odsCode) {
      let suffix = "";
      do
        suffix = rng.chance(0.7) ? String(rng.int(10, 99)) : `${rng.pick([...ALNUM])}${rng.pick([...ALNUM])}`;
      while (siteCodes.has(suffix));
      siteCodes.add(suffix);
      siteCode = `${employer.odsCode}${suffix}`;
    } else if (d.kind === "council" || d.kind === "police" || d.kind === "university") {
      siteCode = `${employer.key}-${String(i + 1).padStart(2, "0")}`;
    }

    const employerClosed = employer.closedOn === null ? null : dayOf(employer.closedOn);
    const latestOpening = Math.max(openedDay, Math.min(refDay - 365, (employerClosed ?? refDay) - 30));
    const siteOpened = i === 0 ? openedDay : rng.int(openedDay, latestOpening);
    let closedDay: number | null = null;
    if (employerClosed !== null) closedDay = Math.max(employerClosed, siteOpened);
    else if (i > 0 && !d.forced && rng.chance(0.03)) {
      closedDay = rng.int(Math.max(siteOpened + 30, refDay - 5 * 365), refDay - 20);
      if (closedDay <= siteOpened) closedDay = null;
    }
    let headcount: number | null = Math.max(1, Math.round(staff * (0.9 + rng.next() * 0.2)));
    let headcountDay: number | null = refDay - rng.int(20, 540);
    if (fixedSite && i === 0) headcountDay = refDay; // pins the reference date into the data (see generateMembers)
    if (closedDay !== null) headcountDay = Math.max(siteOpened, closedDay - rng.int(30, 400));
    if (!fixedSite && rng.chance(0.3)) {
      headcount = null;
      headcountDay = null;
    }
    const headcountOn = headcountDay === null ? null : isoOf(headcountDay);
    sites.push({
      staff,
      workplace: {
        key: nextKey(),
        employerKey: employer.key,
        siteCode,
        name,
        address,
        postcode,
        regionCode: d.region.data.code,
        openedOn: isoOf(siteOpened),
        closedOn: closedDay === null ? null : isoOf(closedDay),
        headcount,
        headcountOn,
        headcountSource:
          headcountOn === null ? null : headcountSourceFor(d, Number(headcountOn.slice(0, 4)), rng),
      },
    });
  }
  return sites;
}

export function generateDemoUnion(options: DemoOptions): DemoUnion {
  const n = options.employers ?? DEFAULT_EMPLOYERS;
  if (!Number.isInteger(n) || n < 1 || n > 20_000)
    throw new RangeError(`employers must be an integer from 1 to 20000, got ${n}`);
  const referenceDate = options.referenceDate ?? DEFAULT_REFERENCE_DATE;
  const refDay = dayOf(referenceDate);
  if (refDay < dayOf("2000-01-01")) throw new RangeError("referenceDate must be 2000-01-01 or later");
  const seed = options.seed;

  const drafts = new Rng(seed, "shuffle").shuffle(draftEmployers(new Rng(seed, "employers"), n));
  const width = Math.max(4, String(drafts.length).length);
  drafts.forEach((d, i) => {
    d.key = `E${String(i + 1).padStart(width, "0")}`;
  });

  // Codes and dates.
  const codeRng = new Rng(seed, "codes");
  const ods = new CodeAllocator(codeRng);
  const urn = new CodeAllocator(codeRng);
  const gss = new CodeAllocator(codeRng);
  const companies = new CodeAllocator(codeRng);
  let odsIssued = 0;
  const parents = new Set(drafts.map((d) => d.parent).filter((p): p is Draft => p !== null));
  const employers: DemoEmployer[] = drafts.map((d) => {
    const nation = d.region.data.nation;
    let odsCode: string | null = null;
    if (NHS_KINDS.has(d.kind)) {
      // R + 2 alphanumerics (1,156 codes); beyond that, spill into T (never needed at default sizes).
      const prefix = odsIssued < 1100 ? "R" : "T";
      odsCode = ods.take((r) => `${prefix}${r.pick([...ALNUM])}${r.pick([...ALNUM])}`);
      odsIssued++;
    }
    let dfeUrn: string | null = null;
    if ((d.kind === "school" || d.kind === "academy") && (nation === "england" || nation === "wales")) {
      if (nation === "wales") dfeUrn = urn.take((r) => String(r.int(400000, 409999)));
      else if (d.kind === "academy" || d.academy) dfeUrn = urn.take((r) => String(r.int(136000, 149999)));
      else dfeUrn = urn.take((r) => String(r.int(100000, 126999)));
    }
    let gssCode: string | null = null;
    if (d.gss) {
      const prefix = d.gss;
      const max = GSS_RANGE[prefix] ?? 99999;
      gssCode = gss.take((r) => `${prefix}${String(r.int(1, max)).padStart(6, "0")}`);
    }
    let openedOn = openedOnFor(d, codeRng);
    if (dayOf(openedOn) > refDay - 400) openedOn = isoOf(refDay - codeRng.int(400, 3000));
    let closedOn: string | null = null;
    // A few employers have closed (mergers, academy conversions): never the rep's, nor a parent or child.
    if (!d.forced && !d.parent && !parents.has(d) && codeRng.chance(0.02)) {
      const from = Math.max(dayOf(openedOn) + 180, refDay - 6 * 365);
      if (from < refDay - 30) closedOn = isoOf(codeRng.int(from, refDay - 30));
    }
    return {
      key: d.key,
      name: d.name,
      sectorCode: d.sector,
      regionCode: d.region.data.code,
      nation,
      odsCode,
      dfeUrn,
      gssCode,
      companiesHouseNumber: companiesHouseFor(d, companies, codeRng),
      importantPublicService: importantPublicServiceFor(d),
      devolvedWelshAuthority: nation === "wales" && DEVOLVED_WELSH_KINDS.has(d.kind),
      openedOn,
      closedOn,
      parentKey: d.parent ? d.parent.key : null,
    };
  });
  // A subsidiary or academy joins its parent no earlier than the parent exists.
  const employerByKey = new Map(employers.map((e) => [e.key, e]));
  for (const e of employers) {
    const parent = e.parentKey === null ? undefined : employerByKey.get(e.parentKey);
    if (parent && e.openedOn < parent.openedOn) e.openedOn = parent.openedOn;
  }

  // Workplaces.
  const siteRng = new Rng(seed, "workplaces");
  const workplaces: DemoWorkplace[] = [];
  let wpCounter = 0;
  const nextKey = (): string => `W${String(++wpCounter).padStart(5, "0")}`;
  const staffByEmployer = new Map<string, number>();
  drafts.forEach((d, i) => {
    const sites = buildSites(d, employers[i]!, siteRng, refDay, nextKey);
    let staff = 0;
    for (const s of sites) {
      workplaces.push(s.workplace);
      staff += s.staff;
    }
    staffByEmployer.set(d.key, staff);
  });

  const regionList = regions();
  const union: DemoUnion = {
    union: { slug: "demo", name: "Public Service Workers' Union" },
    regions: regionList.map((r) => ({ code: r.data.code, name: r.data.name, nation: r.data.nation })),
    sectors: SECTORS.map((s) => ({ ...s })),
    branches: buildBranches(drafts, staffByEmployer, new Rng(seed, "branches")),
    employers,
    workplaces,
    users: [],
  };
  union.users = buildUsers(union, drafts.find((d) => d.forced)!.key);
  return union;
}

function slugify(s: string): string {
  return s
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[łŁ]/g, "l")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

function buildBranches(drafts: Draft[], staffByEmployer: Map<string, number>, rng: Rng): DemoBranch[] {
  const branches: DemoBranch[] = [];
  for (const region of regions()) {
    const d = region.data;
    const inRegion = drafts.filter((x) => x.region === region);
    const healthTowns = new Map<string, number>();
    for (const x of inRegion) {
      if (x.sector !== "health" || x.kind === "gp") continue;
      healthTowns.set(x.town.name, (healthTowns.get(x.town.name) ?? 0) + (staffByEmployer.get(x.key) ?? 0));
    }
    const health = [...healthTowns.entries()]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .map(([t]) => t);
    if (health.length === 0) health.push(region.towns[0]!.name);
    const councilShort = new Map(d.councils.map((c) => [c.name, c.short]));
    const lg = inRegion
      .filter((x) => x.kind === "council")
      .sort(
        (a, b) =>
          (staffByEmployer.get(b.key) ?? 0) - (staffByEmployer.get(a.key) ?? 0) ||
          a.name.localeCompare(b.name),
      )
      .map((x) => councilShort.get(x.name) ?? x.town.name);
    if (lg.length === 0) lg.push(d.councils[0]?.short ?? region.towns[0]!.name);
    const healthCount = health.length > 1 && rng.chance(0.5) ? 2 : 1;
    const lgCount = lg.length > 1 && rng.chance(0.5) ? 2 : 1;
    for (const place of health.slice(0, healthCount)) {
      branches.push({
        code: `${d.abbrev}-health-${slugify(place)}`,
        name: `${place} Health Branch`,
        regionCode: d.code,
      });
    }
    for (const place of lg.slice(0, lgCount)) {
      branches.push({
        code: `${d.abbrev}-lg-${slugify(place)}`,
        name: `${place} Local Government Branch`,
        regionCode: d.code,
      });
    }
  }
  return branches;
}

function buildUsers(union: DemoUnion, repEmployerKey: string): DemoUser[] {
  const repSites = union.workplaces
    .filter((w) => w.employerKey === repEmployerKey && w.closedOn === null)
    .map((w) => ({ key: w.key, weight: w.headcount ?? estimateHeadcount(w.name) }))
    .sort((a, b) => b.weight - a.weight || a.key.localeCompare(b.key))
    .slice(0, 2)
    .map((w) => w.key);
  const user = (
    local: string,
    displayName: string,
    role: DemoUser["role"],
    scope: Partial<Pick<DemoUser, "regionCodes" | "sectorCodes" | "workplaceKeys">> = {},
  ): DemoUser => ({
    email: `${local}@demo.mandate.test`,
    displayName,
    role,
    regionCodes: scope.regionCodes ?? [],
    sectorCodes: scope.sectorCodes ?? [],
    workplaceKeys: scope.workplaceKeys ?? [],
  });
  return [
    user("national", "Demo National Officer", "national"),
    user("london.officer", "Demo London Regional Officer", "regional", { regionCodes: ["greater-london"] }),
    user("yorkshire.officer", "Demo Yorkshire Regional Officer", "regional", {
      regionCodes: ["yorkshire-humberside"],
    }),
    user("health.officer", "Demo Health Sector Officer", "sector", { sectorCodes: ["health"] }),
    user("rep", "Demo Workplace Rep", "rep", { workplaceKeys: repSites }),
    user("scrutineer", "Demo Independent Scrutineer", "scrutineer"),
    user("observer", "Demo Observer", "observer"),
    user("dpo", "Demo Data Protection Officer", "dpo"),
  ];
}

// ---------------------------------------------------------------------------
// Members
// ---------------------------------------------------------------------------

const MEMBERSHIP_BASE = 10_000_000;
const MEMBERSHIP_RANGE = 90_000_000;

/** Union density by sector: the share of staff who are members. */
const DENSITY: Record<string, number> = {
  health: 0.3,
  "local-government": 0.45,
  education: 0.35,
  "higher-education": 0.3,
  "police-justice": 0.5,
  community: 0.25,
  energy: 0.35,
  wet: 0.4,
};

const SIZE_RULES: readonly (readonly [RegExp, number])[] = [
  [
    /General Hospital|General Infirmary|Royal Infirmary|University Hospital|District General|Royal Hospital/,
    3500,
  ],
  [/ Site$|Airport Terminal/, 1500],
  [/Main Campus|County Hall|Civic Centre|Police Headquarters/, 900],
  [/Hospital|Infirmary/, 600],
  [/Headquarters|Head Office|Town Hall|Council Offices|Campus|Contact Centre|Control/, 300],
  [/Depot|Garage|Works|Workshop|Station|Unit/, 120],
  [/School|Academy|Ysgol|Surgery|Practice/, 45],
];

/** A workplace's staff when no headcount is recorded, guessed from its name. */
function estimateHeadcount(name: string): number {
  for (const [re, size] of SIZE_RULES) if (re.test(name)) return size;
  return 60;
}

function jobGroup(e: DemoEmployer, w: DemoWorkplace): string {
  const en = e.name;
  const wn = w.name;
  switch (e.sectorCode) {
    case "health":
      if (/Ambulance/.test(en)) return "ambulance";
      if (
        /Surgery|Medical Practice|Medical Centre|Health Centre Partnership|Family Practice|Meddygfa/.test(en)
      )
        return "gp";
      if (/Hospice/.test(en)) return "hospice";
      if (/ Ltd$/.test(en) || /Depot|Sterile|Laundry|Linen|Kitchen/.test(wn)) return "health_facilities";
      if (/Partnership NHS|Care NHS|Mental Health/.test(en) || /Mental Health|Psychiatric/.test(wn))
        return "mental_health";
      if (
        /Community Health|Health and Care NHS/.test(en) ||
        /Health Centre|Clinic|Community Hospital|Children's Centre|Walk-in|Nursing Base/.test(wn)
      ) {
        return "community_health";
      }
      return "acute";
    case "local-government":
      if (/Depot|Recycling|Fleet|Crematorium/.test(wn)) return "lg_depot";
      if (/Care Home|Residential|Day Centre/.test(wn)) return "lg_care";
      if (/Library/.test(wn)) return "lg_library";
      if (/Leisure/.test(wn)) return "lg_leisure";
      if (/Children's Centre|Family Hub|Youth/.test(wn)) return "lg_children";
      return "lg_office";
    case "education":
      if (/College|Coleg|Grŵp/.test(en) && !/Integrated College/.test(en)) return "college";
      if (/Education Authority/.test(en)) return /Special School/.test(wn) ? "school" : "lg_office";
      if (/(Trust|Partnership)$|Catholic Maintained/.test(en)) return "mat_central";
      return "school";
    case "higher-education":
      return "university";
    case "police-justice":
      if (/Commissioner|Authority|Board|Office|Administration|Justice|Safety Partnership/.test(en))
        return "pcc";
      if (/Fire/.test(en)) return "fire";
      return "police";
    case "community":
      if (/Housing|Homes/.test(en)) return "housing";
      if (/Hospice/.test(en)) return "hospice";
      if (/Care|Supported Living/.test(en)) return "care";
      return "charity";
    case "energy":
      return /Nuclear|Site Restoration/.test(en) ? "nuclear" : "energy";
    case "wet":
      if (/Waterways|Environment|Natural Resources|Canals|Loughs|Rivers/.test(en)) return "environment";
      if (/Airport/.test(en)) return "airport";
      if (/Rail|Metro|Tram|Partnership for Transport/.test(en)) return "rail";
      if (/\bPort\b/.test(en)) return "port";
      if (/Water/.test(en)) return "water";
      return "bus";
    default:
      return "lg_office";
  }
}

const DOMAIN_STOP = new Set(
  (
    "council city county borough metropolitan district of the and nhs trust foundation ltd plc university hospitals " +
    "hospital teaching service services police fire rescue primary school academy high infant junior nursery special " +
    "church england catholic community college health care board royal for office group partnership learning " +
    "education schools multi diocesan grammar integrated sixth form further st"
  ).split(" "),
);

function domainWord(name: string): string {
  const words = name
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[łŁ]/g, "l")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 0 && !DOMAIN_STOP.has(w));
  return (words.join("") || "work").slice(0, 24);
}

/** [domain, style]: style 0 "first.last", 1 "flast". */
function workDomain(e: DemoEmployer, group: string): readonly [string, number] {
  const word = domainWord(e.name);
  switch (e.sectorCode) {
    case "health":
      if (e.nation === "scotland") return ["nhs.scot", 0];
      if (e.nation === "wales") return ["wales.nhs.uk", 0];
      if (e.nation === "northern_ireland") return [`${word}.hscni.net`, 0];
      if (group === "health_facilities" && / Ltd$/.test(e.name)) return [`${word}.co.uk`, 0];
      return ["nhs.net", 0];
    case "local-government":
      return [`${word}.gov.uk`, 0];
    case "education":
      if (group === "college") return [`${word}.ac.uk`, 1];
      if (/Education Authority/.test(e.name)) return ["eani.org.uk", 0];
      if (group === "mat_central") return [`${word}.org.uk`, 1];
      return [`${word}.sch.uk`, 1];
    case "higher-education":
      return [`${word}.ac.uk`, 0];
    case "police-justice":
      if (group === "police") return [`${word}.police.uk`, 0];
      if (group === "fire") return [`${word}fire.gov.uk`, 0];
      return [`${word}.gov.uk`, 0];
    default:
      return [/ (Ltd|plc)$/.test(e.name) ? `${word}.co.uk` : `${word}.org.uk`, 1];
  }
}

interface NameEntry {
  display: string;
  slug: string;
}

function nameEntry(display: string): NameEntry {
  return { display, slug: domainWordless(display) };
}

function domainWordless(s: string): string {
  return s
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[łŁ]/g, "l")
    .toLowerCase()
    .replace(/[^a-z]/g, "");
}

interface NameModel {
  /** [cohort] samplers for female and male forenames. */
  female: Sampler<NameEntry>[];
  male: Sampler<NameEntry>[];
  femaleSurnames: Sampler<NameEntry>;
  maleSurnames: Sampler<NameEntry>;
}

let nameModelsCache: NameModel[] | null = null;

function nameModels(): NameModel[] {
  if (nameModelsCache) return nameModelsCache;
  nameModelsCache = NAME_GROUPS.map((g) => {
    const forenames = (list: readonly string[]): Sampler<NameEntry> =>
      new Sampler(list.map(nameEntry), rankWeights(list.length, 5, 0.7));
    const femaleS: string[] = [];
    const maleS: string[] = [];
    for (const s of g.surnames) {
      const slash = s.indexOf("/");
      if (slash < 0) {
        femaleS.push(s);
        maleS.push(s);
      } else {
        const m = s.slice(0, slash);
        const f = s.slice(slash + 1);
        if (m) maleS.push(m);
        if (f) femaleS.push(f);
      }
    }
    return {
      female: g.female.map(forenames),
      male: g.male.map(forenames),
      femaleSurnames: new Sampler(femaleS.map(nameEntry), rankWeights(femaleS.length, 10, 0.6)),
      maleSurnames: new Sampler(maleS.map(nameEntry), rankWeights(maleS.length, 10, 0.6)),
    };
  });
  return nameModelsCache;
}

interface HomeOption {
  outward: string;
  town: string;
}

interface WorkplacePlan {
  workplaceKey: string;
  employerKey: string;
  regionCode: string;
  branchCode: string | null;
  jobs: Sampler<JobRow>;
  femaleShare: number;
  groups: Sampler<number>;
  nation: string;
  ownHomes: HomeOption[];
  areaHomes: HomeOption[];
  domain: string;
  domainStyle: number;
  nhsNet: boolean;
}

function latestDate(union: DemoUnion): string {
  let latest = "";
  const see = (d: string | null): void => {
    if (d !== null && d > latest) latest = d;
  };
  for (const e of union.employers) {
    see(e.openedOn);
    see(e.closedOn);
  }
  for (const w of union.workplaces) {
    see(w.openedOn);
    see(w.closedOn);
    see(w.headcountOn);
  }
  return latest || DEFAULT_REFERENCE_DATE;
}

function branchFor(byRegion: Map<string, DemoBranch[]>, e: DemoEmployer, w: DemoWorkplace): string | null {
  const all = byRegion.get(w.regionCode) ?? [];
  if (all.length === 0) return null;
  const group = e.sectorCode === "health" ? "-health-" : "-lg-";
  const candidates = all.filter((b) => b.code.includes(group));
  const list = candidates.length > 0 ? candidates : all;
  for (const b of list) {
    const place = b.name.replace(/ (Health|Local Government) Branch$/, "");
    if (e.name.includes(place) || w.address.includes(place)) return b.code;
  }
  return list[hashString(e.key) % list.length]!.code;
}

function buildPlan(union: DemoUnion): { plans: WorkplacePlan[]; sampler: Sampler<number> } {
  const employers = new Map(union.employers.map((e) => [e.key, e]));
  const regionData = new Map(regions().map((r) => [r.data.code, r]));
  const branchesByRegion = new Map<string, DemoBranch[]>();
  for (const b of union.branches) {
    const list = branchesByRegion.get(b.regionCode) ?? [];
    list.push(b);
    branchesByRegion.set(b.regionCode, list);
  }
  const jobSamplers = new Map<string, Sampler<JobRow>>();
  const jobsFor = (group: string): Sampler<JobRow> => {
    let s = jobSamplers.get(group);
    if (!s) {
      const rows = JOBS[group] ?? JOBS.lg_office!;
      s = new Sampler(
        rows,
        rows.map((r) => r[2]),
      );
      jobSamplers.set(group, s);
    }
    return s;
  };
  const groupSamplers = new Map<string, Sampler<number>>();
  const groupsFor = (regionCode: string, health: boolean): Sampler<number> => {
    const key = `${regionCode}|${health}`;
    let s = groupSamplers.get(key);
    if (!s) {
      const weights = NAME_GROUP_WEIGHTS[regionCode] ?? NAME_GROUP_WEIGHTS["yorkshire-humberside"]!;
      s = new Sampler(
        NAME_GROUPS.map((_, i) => i),
        NAME_GROUPS.map((g) => (weights[g.key] ?? 0) * (health ? (HEALTH_GROUP_BOOST[g.key] ?? 1) : 1)),
      );
      groupSamplers.set(key, s);
    }
    return s;
  };
  const areaIndex = new Map<string, Map<string, HomeOption[]>>();
  const areaHomesFor = (regionCode: string, area: string): HomeOption[] => {
    let byArea = areaIndex.get(regionCode);
    if (!byArea) {
      byArea = new Map();
      for (const t of regionData.get(regionCode)?.towns ?? []) {
        for (const o of t.outwards) {
          const a = areaOf(o);
          const list = byArea.get(a) ?? [];
          list.push({ outward: o, town: t.postTown });
          byArea.set(a, list);
        }
      }
      areaIndex.set(regionCode, byArea);
    }
    return byArea.get(area) ?? [];
  };

  const domains = new Map<string, readonly [string, number]>();
  const plans: WorkplacePlan[] = [];
  const weights: number[] = [];
  for (const w of union.workplaces) {
    const e = employers.get(w.employerKey);
    if (!e) throw new Error(`workplace ${w.key} has unknown employer ${w.employerKey}`);
    const outward = w.postcode.split(" ")[0] ?? w.postcode;
    const area = areaOf(outward);
    const region = regionData.get(w.regionCode);
    let own: HomeOption[] = [];
    if (region) {
      const parts = w.address.split(", ");
      for (let i = parts.length - 1; i >= 0; i--) {
        const town = region.townByName.get(parts[i]!);
        if (town) {
          own = town.outwards
            .filter((o) => areaOf(o) === area)
            .map((o) => ({ outward: o, town: town.postTown }));
          break;
        }
      }
    }
    const fallbackTown = w.address.split(", ").pop() ?? "";
    if (own.length === 0) own = [{ outward, town: fallbackTown }];
    let areaHomes = areaHomesFor(w.regionCode, area);
    if (areaHomes.length === 0) areaHomes = own;
    const group = jobGroup(e, w);
    const domainKey = `${e.key}|${group}`;
    let workAddress = domains.get(domainKey);
    if (!workAddress) {
      workAddress = workDomain(e, group);
      domains.set(domainKey, workAddress);
    }
    const [domain, domainStyle] = workAddress;
    plans.push({
      workplaceKey: w.key,
      employerKey: e.key,
      regionCode: w.regionCode,
      branchCode: branchFor(branchesByRegion, e, w),
      jobs: jobsFor(group),
      femaleShare: FEMALE_SHARE_BY_SECTOR[e.sectorCode] ?? 0.65,
      groups: groupsFor(w.regionCode, e.sectorCode === "health"),
      nation: e.nation,
      ownHomes: own,
      areaHomes,
      domain,
      domainStyle,
      nhsNet: domain === "nhs.net",
    });
    let weight = (w.headcount ?? estimateHeadcount(w.name)) * (DENSITY[e.sectorCode] ?? 0.3);
    if (w.closedOn !== null) weight *= 0.03;
    if (e.closedOn !== null) weight *= 0.3;
    weights.push(Math.max(weight, 0.01));
  }
  return {
    plans,
    sampler: new Sampler(
      plans.map((_, i) => i),
      weights,
    ),
  };
}

/** Age weights 18..68: the public-service workforce is older than the population. */
function ageWeight(age: number): number {
  if (age < 20) return 0.35;
  if (age < 25) return 0.9;
  if (age < 35) return 1.6;
  if (age < 45) return 2.0;
  if (age < 55) return 2.4;
  if (age < 60) return 2.2;
  if (age < 65) return 1.4;
  return 0.45;
}

const EMAIL_PATTERN_WEIGHTS = [22, 10, 12, 10, 12, 8, 4, 4, 9, 9];
const EVIDENCE = [
  "email from member",
  "letter from member",
  "phone call logged by branch secretary",
  "online form submitted by member",
];

/**
 * Lazily yields `count` members for the union (1.5 million must stream without holding them all).
 * Deterministic for (union, count, seed); the first k members are the same whatever the count.
 * Members are distributed across workplaces with realistic skew (big hospitals have thousands,
 * small schools a handful).
 */
export function* generateMembers(union: DemoUnion, count: number, seed: number): Generator<DemoMember> {
  if (!Number.isInteger(count) || count < 0 || count > MEMBERSHIP_RANGE) {
    throw new RangeError(`count must be an integer from 0 to ${MEMBERSHIP_RANGE}, got ${count}`);
  }
  if (union.workplaces.length === 0) throw new RangeError("the union has no workplaces");
  const { plans, sampler } = buildPlan(union);
  const models = nameModels();
  const british = models[0]!;
  const refDay = dayOf(latestDate(union));
  const refYear = Number(isoOf(refDay).slice(0, 4));
  const refMonthDay = isoOf(refDay).slice(5);
  const refMonth = Number(refMonthDay.slice(0, 2));
  const refDom = Number(refMonthDay.slice(3));

  // Day strings from 75 years before the reference date, so dates need no Date objects per member.
  const baseDay = dayOfYmd(refYear - 75, 1, 1);
  const dayStrings = isoRange(refYear - 75, refDay - baseDay + 1);
  const iso = (day: number): string => dayStrings[day - baseDay]!;

  const ages: number[] = [];
  for (let a = 18; a <= 68; a++) ages.push(a);
  const ageSampler = new Sampler(ages, ages.map(ageWeight));
  // Born between (ref - (age+1) years + 1 day) and (ref - age years): exactly `age` at the reference date.
  const dobMin: number[] = [];
  const dobMax: number[] = [];
  for (const a of ages) {
    dobMin[a] = dayOfYmd(refYear - a - 1, refMonth, refDom) + 1;
    dobMax[a] = Math.min(dayOfYmd(refYear - a, refMonth, refDom), refDay);
  }
  const day1970 = dayOfYmd(1970, 1, 1);
  const day1990 = dayOfYmd(1990, 1, 1);
  const day1985 = dayOfYmd(1985, 1, 1);
  const personalDomains = new Sampler(
    PERSONAL_EMAIL_DOMAINS.map((d) => d[0]),
    PERSONAL_EMAIL_DOMAINS.map((d) => d[1]),
  );
  const emailPatterns = new Sampler(
    EMAIL_PATTERN_WEIGHTS.map((_, i) => i),
    EMAIL_PATTERN_WEIGHTS,
  );

  const numberRng = new Rng(seed, "membership-numbers");
  let stride = 5_000_000 + (numberRng.u32() % 80_000_000);
  while (stride % 2 === 0 || stride % 3 === 0 || stride % 5 === 0) stride++;
  const offset = numberRng.u32() % MEMBERSHIP_RANGE;

  const rng = new Rng(seed, "members");
  const street = (nation: string): string => {
    if (nation === "wales" && rng.chance(0.3)) return rng.pick(WELSH_STREETS);
    if (nation === "scotland" && rng.chance(0.3)) return rng.pick(SCOTTISH_STREETS);
    return rng.pick(STREETS);
  };

  for (let i = 0; i < count; i++) {
    const p = plans[sampler.index(rng)]!;

    // Who.
    const female = rng.next() < p.femaleShare;
    const age = ageSampler.pick(rng);
    const dobDay = rng.int(dobMin[age]!, dobMax[age]!);
    const cohort = dobDay < day1970 ? 0 : dobDay < day1990 ? 1 : 2;
    const model = models[p.groups.pick(rng)]!;
    const forenameSampler = female ? model.female[cohort]! : model.male[cohort]!;
    const first = forenameSampler.pick(rng);
    let forenames = first.display;
    if (rng.next() < 0.15) {
      const middle = forenameSampler.pick(rng);
      if (middle !== first) forenames = `${first.display} ${middle.display}`;
    }
    const surnameModel = model !== british && rng.next() < 0.06 ? british : model;
    const surname = (female ? surnameModel.femaleSurnames : surnameModel.maleSurnames).pick(rng);
    const dateOfBirth = rng.next() < 0.01 ? null : iso(dobDay);

    // Home address: the same postcode area as the workplace, mostly the same town.
    let addressLine1: string | null = null;
    let addressLine2: string | null = null;
    let town: string | null = null;
    let homePostcode: string | null = null;
    if (rng.next() >= 0.02) {
      const home = rng.next() < 0.6 ? rng.pick(p.ownHomes) : rng.pick(p.areaHomes);
      town = home.town;
      homePostcode = `${home.outward} ${inwardCode(rng)}`;
      const shape = rng.next();
      const road = street(p.nation);
      if (shape < 0.72) {
        addressLine1 = `${rng.int(1, 220)} ${road}`;
        if (rng.next() < 0.2) addressLine2 = rng.pick(PLACE_WORDS);
      } else if (shape < 0.92) {
        addressLine1 =
          p.nation === "scotland"
            ? `Flat ${rng.int(0, 4)}/${rng.int(1, 3)}`
            : `Flat ${rng.int(1, 24)}, ${rng.pick(PLACE_WORDS)} ${rng.pick(["House", "Court", "Lodge", "Mews"])}`;
        addressLine2 = `${rng.int(1, 180)} ${road}`;
      } else {
        addressLine1 = `${rng.pick(PLACE_WORDS)} ${rng.pick(["Cottage", "House", "Barn", "Farm"])}`;
        addressLine2 = road;
      }
    }

    // A different address for postal ballot papers (rare; the request must be evidenced).
    let postalAddress: string | null = null;
    let postalPostcode: string | null = null;
    let postalRequestedOn: string | null = null;
    let postalRequestEvidence: string | null = null;
    if (rng.next() < 0.005) {
      const home = rng.pick(p.areaHomes);
      postalPostcode = `${home.outward} ${inwardCode(rng)}`;
      const kind = rng.next();
      postalAddress =
        kind < 0.4
          ? `c/o ${rng.pick(["Mr", "Mrs", "Ms"])} ${surname.display}, ${rng.int(1, 200)} ${street(p.nation)}, ${home.town}`
          : kind < 0.6
            ? `PO Box ${rng.int(100, 9999)}, ${home.town}`
            : `${rng.int(1, 200)} ${street(p.nation)}, ${home.town}`;
      const requested = refDay - rng.int(10, 1000);
      postalRequestedOn = iso(requested);
      postalRequestEvidence = `${rng.pick(EVIDENCE)} ${postalRequestedOn}`;
    }

    // Employment.
    let employerKey: string | null = p.employerKey;
    let workplaceKey: string | null = p.workplaceKey;
    const gap = rng.next();
    if (gap < 0.01) {
      employerKey = null;
      workplaceKey = null;
    } else if (gap < 0.03) {
      workplaceKey = null;
    }
    let jobTitle: string | null = null;
    let jobCategory: string | null = null;
    const job = p.jobs.pick(rng);
    const jobGap = rng.next();
    if (jobGap >= 0.015) {
      jobTitle = job[0];
      if (jobGap >= 0.02) jobCategory = job[1];
    }

    // Contact.
    const f = first.slug || "member";
    const s = surname.slug || "member";
    const yy = iso(dobDay).slice(2, 4);
    let email: string | null = null;
    if (rng.next() < 0.75) {
      if (employerKey !== null && rng.next() < 0.15) {
        const local =
          p.domainStyle === 1
            ? `${f[0]}${s}`
            : p.nhsNet && rng.next() < 0.35
              ? `${f}.${s}${rng.int(1, 99)}`
              : `${f}.${s}`;
        email = `${local}@${p.domain}`;
      } else {
        let local: string;
        switch (emailPatterns.pick(rng)) {
          case 0:
            local = `${f}.${s}`;
            break;
          case 1:
            local = `${f[0]}.${s}${yy}`;
            break;
          case 2:
            local = `${f}${s}`;
            break;
          case 3:
            local = `${f[0]}${s}`;
            break;
          case 4:
            local = `${f}.${s}${yy}`;
            break;
          case 5:
            local = `${f}${yy}`;
            break;
          case 6:
            local = `${s}${f[0]}`;
            break;
          case 7:
            local = `${f}_${s}`;
            break;
          case 8:
            local = `${f}.${s}${rng.int(1, 99)}`;
            break;
          default:
            local = `${f}${s}${rng.int(1, 999)}`;
        }
        email = `${local}@${personalDomains.pick(rng)}`;
      }
    }
    const mobile = rng.next() < 0.65 ? `+447700900${String(rng.int(0, 999)).padStart(3, "0")}` : null;

    // Membership.
    const st = rng.next();
    const status: MemberStatus =
      st < 0.92 ? "active" : st < 0.96 ? "lapsed" : st < 0.995 ? "left" : "deceased";
    const arrearsRoll = rng.next();
    const inArrears =
      status === "lapsed"
        ? arrearsRoll < 0.5
        : status === "active"
          ? arrearsRoll < 0.011
          : status === "left"
            ? arrearsRoll < 0.03
            : false;
    const checkOff = rng.next() < 0.2;
    const earliest = Math.min(Math.max(day1985, dobDay + 5844), refDay);
    const joinedDay = refDay - Math.floor((refDay - earliest) * rng.next() ** 1.3);
    let leftOn: string | null = null;
    const leftRoll = rng.next();
    if (status === "left" || status === "deceased") {
      leftOn = iso(Math.min(refDay, joinedDay + Math.ceil((refDay - joinedDay) * (1 - leftRoll ** 2.5))));
    }
    const consentRoll = rng.next();
    const consentEmail = email !== null && status !== "deceased" && consentRoll < 0.85;
    const consentSms = mobile !== null && status !== "deceased" && rng.next() < 0.7;
    const branchCode = rng.next() < 0.004 ? null : p.branchCode;

    yield {
      membershipNumber: String(MEMBERSHIP_BASE + ((i * stride + offset) % MEMBERSHIP_RANGE)),
      forenames,
      surname: surname.display,
      dateOfBirth,
      addressLine1,
      addressLine2,
      town,
      homePostcode,
      postalAddress,
      postalPostcode,
      postalRequestedOn,
      postalRequestEvidence,
      email,
      mobile,
      employerKey,
      workplaceKey,
      jobTitle,
      jobCategory,
      branchCode,
      regionCode: p.regionCode,
      status,
      inArrears,
      checkOff,
      joinedOn: iso(joinedDay),
      leftOn,
      consentEmail,
      consentSms,
    };
  }
}
