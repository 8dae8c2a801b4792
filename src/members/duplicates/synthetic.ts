/**
 * Seeded synthetic membership lists with known duplicates, for the tests
 * and benchmarks of the duplicate engine (record-linkage.md section 4.2).
 *
 * What makes it a fair test rather than an easy one:
 * - names follow a skewed (Zipf-like) distribution with a long tail, so
 *   common names collide ("John Smith" many times over) and rare ones do not;
 * - relatives share a home: couples, siblings, twins (same surname, date of
 *   birth and postcode, different forenames) and fathers and sons with the
 *   same name; some share an email or a mobile. These are the hard
 *   negatives a naive model links;
 * - a few workplace postcodes are used by many members, and a legacy
 *   placeholder date of birth (1900-01-01) by some;
 * - duplicates get FEBRL-style corruptions, zero to three per record, each
 *   labelled so that errors can be broken down by kind: typos (insert,
 *   delete, keyboard substitution, transposition), nicknames, middle names
 *   dropped, initials, surname change on marriage (some hyphenated), date of
 *   birth day/month swaps and digit typos, new postcode (moved), missing or
 *   new email and mobile.
 * Identifiers are made up: emails use reserved example domains (RFC 2606)
 * and no record describes a real person.
 */

import { NICKNAMES } from "./nicknames.js";
import type { DuplicateResult, PersonRecord } from "./types.js";

export interface SyntheticOptions {
  /** Distinct people (default 50,000). */
  people?: number;
  /** Share of people who get a duplicate record (default 0.03). */
  duplicateRate?: number;
  /** Share of people who have a relative at the same address in the list (default 0.12). */
  householdRate?: number;
  seed?: number;
}

export interface SyntheticList {
  records: PersonRecord[];
  /** Person id of each record: the ground truth. */
  person: Int32Array;
  /** Corruptions applied to each record ([] for an original). */
  corruptions: string[][];
  /** Relationship of each record to the person it shares a home with ("" if none). */
  relation: string[];
}

/** sfc32: small, fast, good enough statistically, and identical on every platform. */
export function seededRandom(seed: number): () => number {
  let a = 0x9e3779b9 ^ seed;
  let b = 0x243f6a88 ^ (seed * 31);
  let c = 0xb7e15162;
  let d = seed | 0;
  const next = (): number => {
    a |= 0;
    b |= 0;
    c |= 0;
    d |= 0;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 20; i++) next();
  return next;
}

const words = (s: string): string[] => s.trim().split(/\s+/);

const FEMALE = words(`
  Sarah Susan Karen Julie Claire Helen Emma Lisa Nicola Michelle Joanne Elizabeth Jennifer Laura Rachel
  Amanda Louise Jane Deborah Catherine Samantha Rebecca Margaret Mary Gemma Kelly Angela Tracey Alison
  Victoria Charlotte Amy Sharon Jessica Hannah Lauren Sophie Katie Natalie Anne Linda Christine Caroline
  Stephanie Kerry Patricia Dawn Wendy Fiona Ruth Kathryn Jacqueline Lynne Andrea Donna Paula Joanna Zoe
  Kirsty Leanne Hayley Emily Lucy Chloe Jade Megan Olivia Amelia Abigail Ellie Jodie Beverley Carol
  Janet Gillian Sandra Pauline Diane Theresa Lorraine Maria Anna Natasha Aisha Fatima Priya Sana Ayesha
  Agnieszka Joanna Katarzyna Grace Esther Blessing Niamh Siobhan Bethan Rhian Eilidh Morag Shona
  Harriet Imogen Philippa Rosemary Frances Judith Elaine Yvonne Valerie Marion Heather Katherine
`);
const MALE = words(`
  David John Paul Mark Michael Andrew James Richard Peter Robert Stephen Christopher Ian Daniel Matthew
  Thomas Gary Steven Simon Anthony Kevin Martin Jason Lee William Adam Alan Neil Darren Joseph Jonathan
  Graham Philip Craig Stuart Keith Benjamin Ryan Luke Samuel Jack George Carl Dean Wayne Shaun Barry
  Colin Nigel Trevor Brian Kenneth Gareth Alexander Nicholas Timothy Edward Jamie Scott Liam Nathan Ben
  Oliver Harry Charlie Joshua Callum Aaron Mohammed Muhammad Imran Tariq Arjun Rajesh Piotr Tomasz
  Emmanuel Kwame Sean Declan Conor Rhys Dafydd Euan Fraser Angus Hamish Raymond Geoffrey Frederick
  Francis Henry Leonard Roger Terence Dennis Malcolm Derek Clive Howard Russell Patrick Vincent Douglas
`);

const TOP_SURNAMES = words(`
  Smith Jones Williams Taylor Brown Davies Evans Wilson Thomas Johnson Roberts Robinson Thompson Wright
  Walker White Edwards Hughes Green Hall Lewis Harris Clarke Patel Jackson Wood Turner Martin Cooper Hill
  Ward Morris Moore Clark Lee King Baker Harrison Morgan Allen James Scott Phillips Watson Davis Parker
  Price Bennett Young Griffiths Mitchell Kelly Cook Carter Richardson Bailey Collins Bell Shaw Murphy
  Miller Cox Richards Khan Marshall Anderson Simpson Ellis Adams Singh Begum Wilkinson Foster Chapman
  Powell Webb Rogers Gray Mason Ali Hunt Hussain Campbell Matthews Owen Palmer Holmes Mills Barnes Knight
  Lloyd Butler Russell Barker Fisher Stevens Jenkins Murray Dixon Harvey Ahmed Kaur Graham Pearson
  Fletcher Walsh Gibson Howard Andrews Stewart Elliott Reynolds Saunders Payne Fox Ford Pearce O'Brien
  Kowalski Nowak Okafor Mensah Nguyen McDonald Robertson Macdonald Reid Byrne Doyle Kennedy Thomson
`);

// Long tail of plausible British surnames: onset + optional link + ending.
const TAIL_ONSETS = words(`
  Ash Black Brad Brook Clay Cres Dal Den Ether Fair Fen Gold Hal Har Hay Hol Kings Lang Mar Mel Mor New
  Nor Pen Ral Red Rox Sel Shel Stan Sut Thorn Wal Wes Whit Win Bar Bel Cal Carl Chad Crom Dun Elm Ever
  Farn Glad Grims Hart Hather Ing Kel Kirk Lind Lock Mal Net Oak Ock Pick Rad Rush Sand Sheph Stain
`);
const TAIL_LINKS = ["", "", "er", "ing", "s", "en"];
const TAIL_ENDINGS = words(`
  by croft dale den ford ham hurst ley low more ridge ton well wood worth field combe stone ell ingham
  wick thwaite shaw bury cott gate house land mere sall
`);

const SHARE_TOP_SURNAMES = 0.4;

const DOMAINS: readonly (readonly [string, number])[] = [
  ["example.com", 40],
  ["example.co.uk", 20],
  ["example.org", 15],
  ["example.net", 15],
  ["mail.example", 6],
  ["post.example", 4],
];

const WORK_POSTCODES = 24;
const AREAS = words("LS BD HX WF HD S M B NE CF G EH BS L NG SE N E SW HU LE CV SO PL EX NR");
const UNIT_LETTERS = "ABDEFGHJLNPQRSTUWXYZ";

/** Keyboard neighbours for substitution typos (UK QWERTY, letters only). */
const KEYBOARD: Readonly<Record<string, string>> = {
  a: "qwsz",
  b: "vghn",
  c: "xdfv",
  d: "serfcx",
  e: "wsdr",
  f: "drtgvc",
  g: "ftyhbv",
  h: "gyujnb",
  i: "ujko",
  j: "huikmn",
  k: "jiolm",
  l: "kop",
  m: "njk",
  n: "bhjm",
  o: "iklp",
  p: "ol",
  q: "wa",
  r: "edft",
  s: "awedxz",
  t: "rfgy",
  u: "yhji",
  v: "cfgb",
  w: "qase",
  x: "zsdc",
  y: "tghu",
  z: "asx",
};

interface Person {
  forenames: string;
  surname: string;
  dob: string | null;
  postcode: string | null;
  email: string | null;
  mobile: string | null;
}

class Generator {
  readonly rnd: () => number;
  private readonly female: Sampler;
  private readonly male: Sampler;
  private readonly topSurnames: Sampler;
  private readonly tailSurnames: Sampler;
  private readonly homePostcodes: string[];
  private readonly workPostcodes: string[];
  private readonly usedEmails = new Set<string>();
  private readonly usedMobiles = new Set<string>();
  private readonly nicknamesOf = new Map<string, string[]>();

  constructor(seed: number, people: number) {
    this.rnd = seededRandom(seed);
    // Weight 1/(rank + 10): the commonest forename is ~3.5% of its sex, as in England and Wales.
    this.female = new Sampler(FEMALE, (r) => 1 / (r + 10));
    this.male = new Sampler(MALE, (r) => 1 / (r + 10));
    this.topSurnames = new Sampler(TOP_SURNAMES, (r) => 1 / (r + 2));
    const tail: string[] = [];
    for (const o of TAIL_ONSETS)
      for (const l of TAIL_LINKS) for (const e of TAIL_ENDINGS) tail.push(o + l + e);
    const uniqueTail = [...new Set(tail)];
    // Shuffle so that tail frequency does not follow the alphabet.
    for (let i = uniqueTail.length - 1; i > 0; i--) {
      const j = Math.floor(this.rnd() * (i + 1));
      [uniqueTail[i], uniqueTail[j]] = [uniqueTail[j]!, uniqueTail[i]!];
    }
    this.tailSurnames = new Sampler(uniqueTail, (r) => 1 / (r + 50));
    // About two members per home postcode: two random members share one about 1 in 25,000 pairs.
    const homes = new Set<string>();
    while (homes.size < Math.max(100, Math.floor(people / 2))) homes.add(this.randomPostcode());
    this.homePostcodes = [...homes];
    this.workPostcodes = Array.from({ length: WORK_POSTCODES }, () => this.randomPostcode());
    for (const [nick, formals] of NICKNAMES) {
      for (const f of formals) {
        const list = this.nicknamesOf.get(f);
        if (list) list.push(nick);
        else this.nicknamesOf.set(f, [nick]);
      }
    }
  }

  chance(p: number): boolean {
    return this.rnd() < p;
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.rnd() * (hi - lo + 1));
  }
  pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.rnd() * list.length)]!;
  }

  randomPostcode(): string {
    const area = this.pick(AREAS);
    const district = this.int(1, area.length === 1 ? 30 : 20);
    return `${area}${district} ${this.int(0, 9)}${this.pick([...UNIT_LETTERS])}${this.pick([...UNIT_LETTERS])}`;
  }

  forename(female: boolean): string {
    return (female ? this.female : this.male).sample(this.rnd);
  }
  forenames(female: boolean): string {
    const first = this.forename(female);
    if (!this.chance(0.35)) return first;
    let middle = this.forename(female);
    while (middle === first) middle = this.forename(female);
    return `${first} ${middle}`;
  }
  surname(): string {
    return this.chance(SHARE_TOP_SURNAMES)
      ? this.topSurnames.sample(this.rnd)
      : this.tailSurnames.sample(this.rnd);
  }

  dob(yearLo = 1958, yearHi = 2005): string | null {
    if (this.chance(0.005)) return null;
    if (this.chance(0.002)) return "1900-01-01"; // legacy placeholder
    // Triangular over the working ages: most members are in their 30s to 50s.
    const span = yearHi - yearLo;
    const y = yearLo + Math.round(((this.rnd() + this.rnd()) / 2) * span);
    const m = this.int(1, 12);
    const d = this.int(1, daysIn(y, m));
    return iso(y, m, d);
  }

  homePostcode(): string | null {
    if (this.chance(0.03)) return null;
    if (this.chance(0.03)) return this.pick(this.workPostcodes); // gave the workplace address
    return this.pick(this.homePostcodes);
  }

  email(forenames: string, surname: string, yob: string | null): string | null {
    if (!this.chance(0.8)) return null;
    const f = forenames.split(" ")[0]!.toLowerCase();
    const s = surname.toLowerCase().replace(/[^a-z]/g, "");
    const yy = yob ? yob.slice(2, 4) : String(this.int(10, 99));
    const patterns = [
      `${f}.${s}`,
      `${f}${s}${this.int(1, 99)}`,
      `${f[0]}${s}`,
      `${f}_${s}${yy}`,
      `${s}${f[0]}${this.int(1, 999)}`,
      `${f}${yy}`,
    ];
    const domain = weighted(this.rnd, DOMAINS);
    let local = this.pick(patterns);
    let email = `${local}@${domain}`;
    for (let k = 2; this.usedEmails.has(email); k++) {
      local = `${local.replace(/\d+$/, "")}${k}`;
      email = `${local}@${domain}`;
    }
    this.usedEmails.add(email);
    return email;
  }

  mobile(): string | null {
    if (!this.chance(0.75)) return null;
    let m: string;
    do m = `+447${String(Math.floor(this.rnd() * 1e9)).padStart(9, "0")}`;
    while (this.usedMobiles.has(m));
    this.usedMobiles.add(m);
    return m;
  }

  person(female: boolean): Person {
    const forenames = this.forenames(female);
    const surname = this.surname();
    const dob = this.dob();
    return {
      forenames,
      surname,
      dob,
      postcode: this.homePostcode(),
      email: this.email(forenames, surname, dob),
      mobile: this.mobile(),
    };
  }

  /** A relative at the same address; returns the person and the relationship. */
  relative(p: Person, female: boolean): [Person, string] {
    const kind = weighted(this.rnd, [
      ["spouse", 55],
      ["sibling", 17],
      ["twin", 8],
      ["father/son same name", 10],
      ["parent/child", 10],
    ] as const);
    const year = p.dob && p.dob !== "1900-01-01" ? Number(p.dob.slice(0, 4)) : 1975;
    let forenames = this.forenames(kind === "spouse" ? !female : this.chance(0.5));
    while (forenames.split(" ")[0] === p.forenames.split(" ")[0])
      forenames = this.forenames(this.chance(0.5));
    let surname = p.surname;
    let dob: string | null;
    switch (kind) {
      case "spouse":
        if (this.chance(0.3)) surname = this.surname();
        dob = this.dob(Math.max(1950, year - 8), Math.min(2005, year + 8));
        break;
      case "sibling":
        dob = this.dob(Math.max(1950, year - 8), Math.min(2005, year + 8));
        break;
      case "twin":
        dob = p.dob;
        break;
      case "father/son same name":
        forenames = p.forenames.split(" ")[0]!;
        if (this.chance(0.5)) forenames += ` ${this.forename(false)}`;
        dob = year <= 1980 ? this.dob(year + 22, Math.min(2005, year + 35)) : this.dob(year - 35, year - 22);
        break;
      default:
        dob = year <= 1980 ? this.dob(year + 20, Math.min(2005, year + 38)) : this.dob(year - 38, year - 20);
    }
    const shareEmail = p.email !== null && this.chance(kind === "spouse" ? 0.2 : 0.05);
    return [
      {
        forenames,
        surname,
        dob,
        postcode: this.chance(0.95) ? p.postcode : this.homePostcode(),
        email: shareEmail ? p.email : this.email(forenames, surname, dob),
        mobile: p.mobile !== null && this.chance(0.04) ? p.mobile : this.mobile(),
      },
      kind,
    ];
  }

  // -- corruptions --------------------------------------------------------

  typo(s: string): string {
    if (s.length < 2) return s;
    const lower = s.toLowerCase();
    const at = this.int(1, s.length - 1); // keyboarding errors rarely hit the first letter
    switch (this.int(0, 3)) {
      case 0: {
        const c = lower[at]!;
        const near = KEYBOARD[c] ?? "e";
        return s.slice(0, at) + near[this.int(0, near.length - 1)] + s.slice(at + 1);
      }
      case 1:
        return s.length > 3 ? s.slice(0, at) + s.slice(at + 1) : s + lower[s.length - 1];
      case 2:
        return s.slice(0, at) + lower[at - 1] + s.slice(at);
      default:
        return at < s.length - 1 ? s.slice(0, at) + s[at + 1] + s[at] + s.slice(at + 2) : s.slice(0, -1);
    }
  }

  corrupt(p: Person): [Person, string[]] {
    const out: Person = { ...p };
    const done: string[] = [];
    const count = weighted(this.rnd, [
      [0, 10],
      [1, 35],
      [2, 35],
      [3, 20],
    ] as const);
    const kinds: [string, number][] = [
      ["forename typo", 12],
      ["nickname", 10],
      ["middle name dropped/added", 5],
      ["forename initial", 2],
      ["surname typo", 12],
      ["surname change", 6],
      ["dob day/month swap", 4],
      ["dob typo", 5],
      ["dob missing", 2],
      ["moved", 20],
      ["postcode typo", 3],
      ["postcode missing", 3],
      ["email missing", 10],
      ["new email", 8],
      ["email typo", 3],
      ["mobile missing", 8],
      ["new mobile", 6],
      ["mobile typo", 3],
    ];
    const field = (k: string): string => k.split(" ").find((w) => w !== "new") ?? k;
    const fieldsDone = new Set<string>();
    for (let tries = 0; done.length < count && tries < 50; tries++) {
      const kind = weighted(this.rnd, kinds);
      const f = kind === "nickname" || kind.startsWith("middle") ? "forename" : field(kind);
      if (fieldsDone.has(f === "moved" ? "postcode" : f)) continue;
      if (this.apply(out, kind)) {
        fieldsDone.add(f === "moved" ? "postcode" : f);
        done.push(kind);
      }
    }
    return [out, done];
  }

  private apply(p: Person, kind: string): boolean {
    const [first, ...rest] = p.forenames.split(" ");
    switch (kind) {
      case "forename typo":
        p.forenames = [this.typo(first!), ...rest].join(" ");
        return true;
      case "nickname": {
        const key = first!.toLowerCase();
        const options = [...(this.nicknamesOf.get(key) ?? []), ...(NICKNAMES.get(key) ?? [])];
        if (options.length === 0) return false;
        p.forenames = [capital(this.pick(options)), ...rest].join(" ");
        return true;
      }
      case "middle name dropped/added":
        p.forenames = rest.length > 0 ? first! : `${first} ${this.forename(this.chance(0.5))}`;
        return true;
      case "forename initial":
        p.forenames = first!.charAt(0);
        return true;
      case "surname typo":
        p.surname = this.typo(p.surname);
        return true;
      case "surname change": {
        const next = this.surname();
        p.surname = this.chance(0.25) ? `${p.surname}-${next}` : next;
        return true;
      }
      case "dob day/month swap": {
        if (!p.dob) return false;
        const [y, m, d] = p.dob.split("-").map(Number) as [number, number, number];
        if (d > 12 || d === m) return false;
        p.dob = iso(y, d, m);
        return true;
      }
      case "dob typo": {
        if (!p.dob) return false;
        const digits = p.dob.replace(/-/g, "");
        for (let tries = 0; tries < 20; tries++) {
          const at = this.int(2, 7);
          const swapped = this.chance(0.3) && at < 7;
          const t = swapped
            ? digits.slice(0, at) + digits[at + 1] + digits[at] + digits.slice(at + 2)
            : digits.slice(0, at) + String(this.int(0, 9)) + digits.slice(at + 1);
          const y = Number(t.slice(0, 4));
          const m = Number(t.slice(4, 6));
          const d = Number(t.slice(6, 8));
          if (t !== digits && m >= 1 && m <= 12 && d >= 1 && d <= daysIn(y, m)) {
            p.dob = iso(y, m, d);
            return true;
          }
        }
        return false;
      }
      case "dob missing":
        if (!p.dob) return false;
        p.dob = null;
        return true;
      case "moved":
        p.postcode = this.homePostcode();
        return true;
      case "postcode typo": {
        const before = p.postcode;
        if (!before) return false;
        const letters = before.slice(-2);
        const other = UNIT_LETTERS[this.int(0, UNIT_LETTERS.length - 1)]!;
        p.postcode = this.chance(0.5)
          ? `${before.slice(0, -1)}${other}`
          : `${before.slice(0, -2)}${letters[1]}${letters[0]}`;
        return p.postcode !== before;
      }
      case "postcode missing":
        if (!p.postcode) return false;
        p.postcode = null;
        return true;
      case "email missing":
        if (!p.email) return false;
        p.email = null;
        return true;
      case "new email":
        p.email = this.email(p.forenames, p.surname, p.dob) ?? this.email(p.forenames, p.surname, p.dob);
        return true;
      case "email typo": {
        if (!p.email) return false;
        const at = p.email.indexOf("@");
        p.email = this.chance(0.5)
          ? `${p.email.slice(0, at)}@${this.typo(p.email.slice(at + 1))}`
          : `${this.typo(p.email.slice(0, at))}${p.email.slice(at)}`;
        return true;
      }
      case "mobile missing":
        if (!p.mobile) return false;
        p.mobile = null;
        return true;
      case "new mobile":
        p.mobile = this.mobile();
        return true;
      case "mobile typo": {
        if (!p.mobile) return false;
        const at = this.int(5, p.mobile.length - 2);
        p.mobile = p.mobile.slice(0, at) + p.mobile[at + 1] + p.mobile[at] + p.mobile.slice(at + 2);
        return true;
      }
      default:
        return false;
    }
  }
}

class Sampler {
  private readonly cumulative: Float64Array;
  constructor(
    private readonly values: readonly string[],
    weight: (rank: number) => number,
  ) {
    this.cumulative = new Float64Array(values.length);
    let sum = 0;
    for (let r = 0; r < values.length; r++) {
      sum += weight(r + 1);
      this.cumulative[r] = sum;
    }
  }
  sample(rnd: () => number): string {
    const target = rnd() * this.cumulative[this.cumulative.length - 1]!;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cumulative[mid]! < target) lo = mid + 1;
      else hi = mid;
    }
    return this.values[lo]!;
  }
}

function weighted<T>(rnd: () => number, options: readonly (readonly [T, number])[]): T {
  let total = 0;
  for (const [, w] of options) total += w;
  let x = rnd() * total;
  for (const [v, w] of options) {
    x -= w;
    if (x < 0) return v;
  }
  return options[options.length - 1]![0];
}

function daysIn(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}
function iso(y: number, m: number, d: number): string {
  return `${y}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}
function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/**
 * A seeded list: `people` distinct people (some sharing homes), then a
 * duplicate record for `duplicateRate` of them (one in ten of those gets
 * two), in shuffled order with fresh membership numbers.
 */
export function generateSynthetic(options: SyntheticOptions = {}): SyntheticList {
  const people = options.people ?? 50_000;
  const duplicateRate = options.duplicateRate ?? 0.03;
  const householdRate = options.householdRate ?? 0.12;
  const g = new Generator(options.seed ?? 1, people);

  const persons: Person[] = [];
  const relation: string[] = [];
  while (persons.length < people) {
    const female = g.chance(0.6); // public-sector unions are mostly women
    const p = g.person(female);
    persons.push(p);
    relation.push("");
    if (persons.length < people && g.chance(householdRate / 2)) {
      const [r, kind] = g.relative(p, female);
      persons.push(r);
      relation.push(kind);
    }
  }

  const rows: { p: Person; person: number; corruptions: string[]; relation: string }[] = persons.map(
    (p, i) => ({
      p,
      person: i,
      corruptions: [],
      relation: relation[i]!,
    }),
  );
  for (let i = 0; i < people; i++) {
    if (!g.chance(duplicateRate)) continue;
    const copies = g.chance(0.1) ? 2 : 1;
    for (let c = 0; c < copies; c++) {
      const [dup, done] = g.corrupt(persons[i]!);
      rows.push({ p: dup, person: i, corruptions: done, relation: relation[i]! });
    }
  }
  for (let i = rows.length - 1; i > 0; i--) {
    const j = Math.floor(g.rnd() * (i + 1));
    [rows[i], rows[j]] = [rows[j]!, rows[i]!];
  }

  const records: PersonRecord[] = rows.map((row, i) => ({
    key: `r${i}`,
    membershipNumber: `M${String(1_000_000 + i)}`,
    forenames: row.p.forenames,
    surname: row.p.surname,
    dateOfBirth: row.p.dob,
    postcode: row.p.postcode,
    email: row.p.email,
    mobile: row.p.mobile,
  }));
  return {
    records,
    person: Int32Array.from(rows, (r) => r.person),
    corruptions: rows.map((r) => r.corruptions),
    relation: rows.map((r) => r.relation),
  };
}

export interface LinkageFigures {
  truePairs: number;
  certainPairs: number;
  certainCorrect: number;
  /** Pairwise precision of pairs at or above certainAt. */
  certainPrecision: number;
  /** Pairs at or above reviewAt (certain + review). */
  foundPairs: number;
  foundCorrect: number;
  /** Share of true pairs among pairs at or above reviewAt. */
  recall: number;
  /** Share of true pairs at or above certainAt. */
  certainRecall: number;
  /** Precision over all pairs implied by clusters marked certain. */
  certainClusterPrecision: number;
  certainClusterPairs: number;
  /** False certain pairs by relationship ("twin", "spouse", "" for unrelated ...). */
  falseCertainByRelation: Record<string, number>;
  /** Missed true pairs by corruption set. */
  missedByCorruption: Record<string, number>;
}

/** Pairwise precision and recall of a result against the list's ground truth. */
export function evaluate(list: SyntheticList, result: DuplicateResult, certainAt: number): LinkageFigures {
  const index = new Map(list.records.map((r, i) => [r.key, i] as const));
  const byPerson = new Map<number, number[]>();
  list.person.forEach((p, i) => {
    const l = byPerson.get(p);
    if (l) l.push(i);
    else byPerson.set(p, [i]);
  });
  let truePairs = 0;
  for (const l of byPerson.values()) truePairs += (l.length * (l.length - 1)) / 2;

  const pairKey = (i: number, j: number): string => (i < j ? `${i}:${j}` : `${j}:${i}`);
  const found = new Set<string>();
  let certainPairs = 0;
  let certainCorrect = 0;
  let foundCorrect = 0;
  const falseCertainByRelation: Record<string, number> = {};
  for (const pair of result.pairs) {
    const i = index.get(pair.a)!;
    const j = index.get(pair.b)!;
    const same = list.person[i] === list.person[j];
    found.add(pairKey(i, j));
    if (same) foundCorrect++;
    if (pair.probability >= certainAt) {
      certainPairs++;
      if (same) certainCorrect++;
      else {
        const rel = list.relation[i] || list.relation[j] || "unrelated";
        falseCertainByRelation[rel] = (falseCertainByRelation[rel] ?? 0) + 1;
      }
    }
  }

  const missedByCorruption: Record<string, number> = {};
  for (const l of byPerson.values()) {
    for (let x = 0; x < l.length; x++) {
      for (let y = x + 1; y < l.length; y++) {
        if (found.has(pairKey(l[x]!, l[y]!))) continue;
        const label =
          [...list.corruptions[l[x]!]!, ...list.corruptions[l[y]!]!].sort().join(" + ") || "(no corruption)";
        missedByCorruption[label] = (missedByCorruption[label] ?? 0) + 1;
      }
    }
  }

  let clusterPairs = 0;
  let clusterCorrect = 0;
  for (const c of result.clusters) {
    if (!c.certain) continue;
    const ids = c.keys.map((k) => index.get(k)!);
    for (let x = 0; x < ids.length; x++) {
      for (let y = x + 1; y < ids.length; y++) {
        clusterPairs++;
        if (list.person[ids[x]!] === list.person[ids[y]!]) clusterCorrect++;
      }
    }
  }

  return {
    truePairs,
    certainPairs,
    certainCorrect,
    certainPrecision: certainPairs ? certainCorrect / certainPairs : 1,
    foundPairs: result.pairs.length,
    foundCorrect,
    recall: truePairs ? foundCorrect / truePairs : 1,
    certainRecall: truePairs ? certainCorrect / truePairs : 1,
    certainClusterPrecision: clusterPairs ? clusterCorrect / clusterPairs : 1,
    certainClusterPairs: clusterPairs,
    falseCertainByRelation,
    missedByCorruption,
  };
}
