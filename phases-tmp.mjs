// src/members/duplicates/model.ts
import { doubleMetaphone } from "double-metaphone";

// src/members/duplicates/frequencies.ts
var SURNAMES_PERCENT = `
smith 1.26 jones 0.95 williams 0.65 taylor 0.57 brown 0.52 davies 0.50 evans 0.37 wilson 0.36
thomas 0.35 johnson 0.32 roberts 0.32 robinson 0.25 thompson 0.25 wright 0.24 walker 0.24 white 0.23
edwards 0.23 hughes 0.22 green 0.22 hall 0.21 lewis 0.21 harris 0.21 clarke 0.20 patel 0.20 jackson 0.19
wood 0.19 turner 0.18 martin 0.18 cooper 0.18 hill 0.18 ward 0.17 morris 0.17 moore 0.17 clark 0.17
lee 0.16 king 0.16 baker 0.16 harrison 0.16 morgan 0.15 allen 0.15 james 0.15 scott 0.15 phillips 0.14
watson 0.14 davis 0.14 parker 0.13 price 0.13 bennett 0.13 young 0.13 griffiths 0.13 mitchell 0.13
kelly 0.13 cook 0.12 carter 0.12 richardson 0.12 bailey 0.12 collins 0.12 bell 0.12 shaw 0.12 murphy 0.12
miller 0.12 cox 0.11 richards 0.11 khan 0.11 marshall 0.11 anderson 0.11 simpson 0.11 ellis 0.11
adams 0.11 singh 0.11 begum 0.10 wilkinson 0.10 foster 0.10 chapman 0.10 powell 0.10 webb 0.10
rogers 0.10 gray 0.10 mason 0.10 ali 0.10 hunt 0.10 hussain 0.10 campbell 0.10 matthews 0.10 owen 0.10
palmer 0.09 holmes 0.09 mills 0.09 barnes 0.09 knight 0.09 lloyd 0.09 butler 0.09 russell 0.09
barker 0.09 fisher 0.09 stevens 0.09 jenkins 0.09 murray 0.09 dixon 0.09 harvey 0.09 ahmed 0.08
kaur 0.08 graham 0.08 pearson 0.08 fletcher 0.08 walsh 0.08 gibson 0.08 howard 0.08
andrews 0.08 stewart 0.08 elliott 0.08 reynolds 0.08 saunders 0.08 payne 0.08 fox 0.08 ford 0.08
pearce 0.08 day 0.07 brooks 0.07 west 0.07 lawrence 0.07 cole 0.07 atkinson 0.07 bradley 0.07
spencer 0.07 gill 0.07 dawson 0.07 ball 0.07 burton 0.07 obrien 0.07 watts 0.07 rose 0.07 booth 0.07
perry 0.07 ryan 0.07 grant 0.07 wells 0.07 armstrong 0.07 francis 0.07 rees 0.07 hayes 0.07 hart 0.07
hudson 0.07 newman 0.07 barrett 0.07 webster 0.07 hunter 0.07 gregory 0.07 carr 0.07 lowe 0.07 page 0.07
marsh 0.07 riley 0.07 dunn 0.07 woods 0.07 parsons 0.06 berry 0.06 stone 0.06 reid 0.06 holland 0.06
hawkins 0.06 harding 0.06 porter 0.06 robertson 0.06 newton 0.06 oliver 0.06 reed 0.06 kennedy 0.06
williamson 0.06 bird 0.06 gardner 0.06 shah 0.06 dean 0.06 lane 0.06 cooke 0.06 bates 0.06 henderson 0.06
parry 0.06 burgess 0.06 bishop 0.06 walton 0.06 burns 0.06 nicholson 0.06 shepherd 0.06 ross 0.06
cross 0.06 long 0.06 freeman 0.06 warren 0.06 nicholls 0.06 hamilton 0.06 byrne 0.06 sutton 0.06
mcdonald 0.06 yates 0.06 hodgson 0.06 robson 0.06 curtis 0.06 hopkins 0.06 harper 0.06 coleman 0.06
`;
var FORENAMES_PERCENT = `
david 1.30 john 1.10 paul 0.90 mark 0.90 michael 0.90 andrew 0.90 sarah 0.90 james 0.80 richard 0.70
susan 0.70 peter 0.60 robert 0.60 stephen 0.60 christopher 0.60 karen 0.60 julie 0.60 claire 0.60
helen 0.60 emma 0.60 ian 0.50 daniel 0.50 matthew 0.50 elizabeth 0.50 lisa 0.50 nicola 0.50
michelle 0.50 joanne 0.50 thomas 0.40 gary 0.40 steven 0.40 simon 0.40 anthony 0.40 jennifer 0.40
laura 0.40 rachel 0.40 amanda 0.40 louise 0.40 jane 0.40 kevin 0.35 martin 0.35 deborah 0.35
catherine 0.35 samantha 0.35 rebecca 0.35 jason 0.30 lee 0.30 william 0.30 adam 0.30 alan 0.30
neil 0.30 darren 0.30 margaret 0.30 mary 0.30 gemma 0.30 kelly 0.30 angela 0.30 tracey 0.30
alison 0.30 victoria 0.30 charlotte 0.30 amy 0.30 sharon 0.30 mohammed 0.30 jessica 0.25 hannah 0.25
lauren 0.25 sophie 0.25 katie 0.25 natalie 0.25 anne 0.25 linda 0.25 christine 0.25 caroline 0.25
joseph 0.25 jonathan 0.25 graham 0.25 philip 0.25 craig 0.25 stuart 0.25 keith 0.20 stephanie 0.20
kerry 0.20 patricia 0.20 dawn 0.20 wendy 0.20 fiona 0.20 ruth 0.20 kathryn 0.20 jacqueline 0.20
ben 0.20 benjamin 0.20 ryan 0.20 luke 0.20 samuel 0.20 jack 0.20 george 0.20 carl 0.20 dean 0.20
`;
var DEFAULT_SURNAME_FREQ = 2e-4;
var DEFAULT_FORENAME_FREQ = 1e-3;
var DOB_FREQ = 1 / 15e3;
var DOB_FIRST_OF_JANUARY_FREQ = 1 / 1500;
var POSTCODE_FREQ = 1 / 2e4;
var EMAIL_FREQ = 1e-6;
var MOBILE_FREQ = 1e-6;
function parse(text) {
  const map = /* @__PURE__ */ new Map();
  const parts = text.trim().split(/\s+/);
  for (let i = 0; i + 1 < parts.length; i += 2) map.set(parts[i], Number(parts[i + 1]) / 100);
  return map;
}
var SURNAME_FREQ = parse(SURNAMES_PERCENT);
var FORENAME_FREQ = parse(FORENAMES_PERCENT);

// src/members/duplicates/nicknames.ts
var GROUPS = `
abigail: abby abbie abi gail
adrian: ade
agnes: aggie nessie
albert: al bert bertie
alan/allan/allen: al
alexander: alex alec alick al sandy xander lex sasha
alexandra: alex alexa lexi sandra sandy ali sasha
alexis: alex lexi
alfred: alf alfie fred freddie
alison/allison: ali ally
alistair/alasdair/alastair/alister: ali al
amanda: mandy manda
amelia: millie amy mia
andrew: andy drew
angela: angie ange
anne/ann/anna: annie nan nancy
annabel/annabelle: bella belle annie
anthony/antony: tony ant
archibald: archie
arthur: art artie
barbara: babs barb barbie
barnabas/barnaby: barney
beatrice: bea trixie
benjamin: ben benny benji
bernard: bernie
bradley: brad
bridget: bridie biddy
caroline/carolyn: carrie caro lyn
catherine/katherine/kathryn/katharine/catharine/kathrine: cath cathy kate katie kath kathy kay kit kitty cat
kathleen: kath kathy kay
charles: charlie chas chaz chuck chick
charlotte: charlie lottie lotte lotty
christian: chris
christina/kristina: chris chrissie tina kris
christine/kristine: chris chrissie tina kris
christopher/kristopher: chris kit topher kris
clifford: cliff
cynthia: cindy
daniel: dan danny
danielle: dani
david/dafydd: dave davey davy dai
deborah/debra: debbie deb debs
dennis/denis: den
derek: del
diana/diane/dianne: di
dominic: dom
donald: don donnie
dorothy: dot dottie dolly
douglas: doug dougie
edmund: ed eddie ted ned
edward: ed eddie ted teddy ned
edwin: ed eddie
eleanor/elinor/eleanore: ellie nell nora elle
elizabeth/elisabeth: liz lizzie lizzy beth betty bet bess bessie eliza libby lisa elsie
ellen/helen: nell nellie
emily: emmy em milly millie
emma: em emmy
eugene: gene
frances: fran fanny frankie
francis: frank frankie
frederick/frederic: fred freddie freddy
gabriel: gabe
gabrielle/gabriella: gaby gabby
geoffrey/jeffrey/jeffery: geoff jeff
gerald/gerard: gerry jerry ged
gillian: gill jill gilly
gordon: gordie
gregory: greg
gwendolen/gwendoline: gwen
harold: harry hal
harriet: hattie
henry: harry hal hank
herbert: herb bert
hugh/hugo: hughie
ian/iain: ean
isaac: ike
isabel/isabella/isobel/isabelle: izzy bella issy belle
jacob: jake
jacqueline: jackie jacqui jacky
james: jim jimmy jamie jimbo jas
jane/sian: janey
janet: jan jenny
jennifer: jen jenny jenni
jessica: jess jessie
joan: joanie
joanna/joanne: jo
john/jon: jack johnny jonny
jonathan: jon jonny nathan
joseph: joe joey jo
josephine: jo josie
joshua: josh
judith: judy jude
julia/julie/juliet: jules
kenneth: ken kenny
kimberley/kimberly: kim
laurence/lawrence: larry laurie lol
leonard: len lenny leo
lesley/leslie: les
lewis/louis: lou
louise/louisa: lou lulu
margaret: maggie meg peggy marge madge maisie greta mags
marjorie: marge margie
martin: marty
mary: molly polly mae may mamie
matthew: matt matty
maureen: mo
melanie: mel
melissa: mel missy
michael: mike mick micky mickey mikey
michelle: shelley chelle
miriam: mimi
mohammed/muhammad/mohammad/mohamed/muhammed/mohamad: mo mohd
nathan/nathaniel: nat nate
neil/neal: neilly
nicholas/nicolas: nick nicky
nicola/nicole: nicky nikki
norman: norm
oliver: ollie olly
pamela: pam
patricia: pat patsy trish tricia
patrick: pat paddy
penelope: penny
peter: pete
philip/phillip: phil pip
rachel: rach
raymond: ray
rebecca: becky becca bex
richard: rick ricky dick rich richie
robert: bob bobby rob robbie bert
rodney: rod
roger: rodge
ronald: ron ronnie
rosemary/rosalind/rosamund: rose rosie
russell: russ
samantha: sam sammy
samuel: sam sammy
sandra: sandy
sarah/sara: sally sadie
sean/shaun/shawn: shaunie
stanley: stan
stephanie: steph
stephen/steven: steve stevie
stewart/stuart: stu
susan/susannah/suzanne/susanne: sue susie suzy
terence/terrance/terrence: terry tel
theodore: theo ted teddy
thomas: tom tommy
timothy: tim timmy
valerie: val
veronica: ronnie
victoria: vicky vicki tori
vincent: vince vinny
walter: walt wally
wilfred/wilfrid: wilf fred
william: bill billy will willie liam
winifred: winnie freda
zachary: zach zac zack
`;
function build() {
  const map = /* @__PURE__ */ new Map();
  const add = (from, to) => {
    if (from === to) return;
    const list2 = map.get(from);
    if (!list2) map.set(from, [to]);
    else if (!list2.includes(to)) list2.push(to);
  };
  for (const line of GROUPS.split("\n")) {
    const colon = line.indexOf(":");
    if (colon < 0) continue;
    const spellings = line.slice(0, colon).trim().split("/");
    const informal = line.slice(colon + 1).trim().split(/\s+/).filter((s) => s.length > 0);
    const head = spellings[0];
    for (const variant of spellings.slice(1)) add(variant, head);
    for (const nick of informal) for (const spelling of spellings) add(nick, spelling);
  }
  return map;
}
var NICKNAMES = build();
function nameForms(name) {
  const formal = NICKNAMES.get(name);
  return formal ? [name, ...formal] : [name];
}
function forenameBlockLetter(name) {
  const formal = NICKNAMES.get(name);
  if (!formal) return name.charAt(0);
  let min = formal[0];
  for (const f of formal) if (f < min) min = f;
  return min.charAt(0);
}

// src/members/duplicates/text.ts
var TITLES = /* @__PURE__ */ new Set(["mr", "mrs", "ms", "miss", "mx", "dr", "prof", "rev", "sir", "dame", "lady", "lord"]);
function nameTokens(raw) {
  if (!raw) return [];
  const cleaned = raw.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/['\u2019`]/g, "").replace(/[^a-z]+/g, " ").trim();
  if (!cleaned) return [];
  return cleaned.split(" ").filter((t) => !TITLES.has(t));
}
var flagsA = new Uint8Array(64);
var flagsB = new Uint8Array(64);
function jaroWinkler(a, b) {
  if (a === b) return a.length > 0 ? 1 : 0;
  const la = a.length;
  const lb = b.length;
  if (la === 0 || lb === 0) return 0;
  if (la > flagsA.length || lb > flagsB.length) {
    const size = Math.max(la, lb) * 2;
    flagsA = new Uint8Array(size);
    flagsB = new Uint8Array(size);
  }
  flagsA.fill(0, 0, la);
  flagsB.fill(0, 0, lb);
  const window = Math.max(0, (Math.max(la, lb) >> 1) - 1);
  let matches = 0;
  for (let i = 0; i < la; i++) {
    const c = a.charCodeAt(i);
    const lo = i > window ? i - window : 0;
    const hi = Math.min(i + window + 1, lb);
    for (let j = lo; j < hi; j++) {
      if (flagsB[j] === 0 && b.charCodeAt(j) === c) {
        flagsA[i] = 1;
        flagsB[j] = 1;
        matches++;
        break;
      }
    }
  }
  if (matches === 0) return 0;
  let half = 0;
  for (let i = 0, j = 0; i < la; i++) {
    if (flagsA[i] === 0) continue;
    while (flagsB[j] === 0) j++;
    if (a.charCodeAt(i) !== b.charCodeAt(j)) half++;
    j++;
  }
  const m = matches;
  const jaro = (m / la + m / lb + (m - (half >> 1)) / m) / 3;
  if (jaro <= 0.7) return jaro;
  let prefix = 0;
  const maxPrefix = Math.min(4, la, lb);
  while (prefix < maxPrefix && a.charCodeAt(prefix) === b.charCodeAt(prefix)) prefix++;
  return jaro + prefix * 0.1 * (1 - jaro);
}
var rowPrev2 = new Int32Array(66);
var rowPrev = new Int32Array(66);
var rowCur = new Int32Array(66);
function withinOneEdit(a, b) {
  const la = a.length;
  const lb = b.length;
  if (la === lb) {
    let k = 0;
    while (k < la && a.charCodeAt(k) === b.charCodeAt(k)) k++;
    if (k >= la - 1) return true;
    if (a.charCodeAt(k + 1) === b.charCodeAt(k + 1)) {
      for (let x = k + 2; x < la; x++) if (a.charCodeAt(x) !== b.charCodeAt(x)) return false;
      return true;
    }
    if (a.charCodeAt(k) !== b.charCodeAt(k + 1) || a.charCodeAt(k + 1) !== b.charCodeAt(k)) return false;
    for (let x = k + 2; x < la; x++) if (a.charCodeAt(x) !== b.charCodeAt(x)) return false;
    return true;
  }
  if (la === lb + 1) return oneDeleted(a, b);
  if (lb === la + 1) return oneDeleted(b, a);
  return false;
}
function oneDeleted(long, short) {
  let k = 0;
  const ls = short.length;
  while (k < ls && long.charCodeAt(k) === short.charCodeAt(k)) k++;
  for (let x = k; x < ls; x++) if (long.charCodeAt(x + 1) !== short.charCodeAt(x)) return false;
  return true;
}
function differOnlyInDigits(a, b) {
  return a.replace(/[0-9]/g, "") === b.replace(/[0-9]/g, "");
}

// src/members/duplicates/model.ts
var DUPLICATE_PAIRS_PER_RECORD = 0.02;
var HOUSEHOLD_PAIRS_PER_RECORD = 0.05;
var PRIOR_MIN_RECORDS = 1e5;
var F_MISSING = 0;
var F_EXACT = 1;
var F_NICKNAME = 2;
var F_TYPO = 3;
var F_SHORT = 4;
var F_PHONETIC = 5;
var F_MIDDLE = 6;
var F_INITIAL = 7;
var F_FUZZY = 8;
var F_DIFFERENT = 9;
var FORENAME_LEVELS = [
  ["missing", 1, 1, 1],
  ["exact", 0.87, Number.NaN, 0.01],
  // household: a son named after his father
  ["nickname", 0.04, 2e-3, 5e-3],
  // Bob~Robert: the commonest non-typo variation
  ["typo", 0.04, 3e-3, 0.01],
  // FEBRL-style keying errors
  ["short form", 0.01, 2e-3, 0.01],
  // Kath~Katherine where the table has no entry
  ["phonetic", 0.01, 4e-3, 0.02],
  // Mark~Marc, Geoffrey~Jeffrey
  // "Mary Anne" known as "Anne". By chance: a third of people have a middle
  // name and two first names collide about 1 in 80, so u is near m.
  ["middle name", 0.01, 8e-3, 0.02],
  ["initial", 0.01, 1e-3, 0.05],
  // "J" against "John": 1 in ~12 chance agreement
  ["fuzzy", 5e-3, 0.03, 0.08],
  ["different", 5e-3, 0.948, 0.795]
  // a wholly different forename is rare for one person
];
var S_MISSING = 0;
var S_EXACT = 1;
var S_PART = 2;
var S_TYPO = 3;
var S_PHONETIC = 4;
var S_FUZZY = 5;
var S_DIFFERENT = 6;
var SURNAME_LEVELS = [
  ["missing", 1, 1, 1],
  ["exact", 0.87, Number.NaN, 0.75],
  // most households share a surname
  ["part", 0.02, 5e-4, 0.05],
  // "Smith-Jones" against "Jones": marriage hyphenation
  ["typo", 0.04, 2e-3, 5e-3],
  ["phonetic", 0.01, 2e-3, 5e-3],
  ["fuzzy", 0.01, 0.02, 0.01],
  ["different", 0.05, 0.975, 0.18]
  // marriage and divorce: about 1 in 20 duplicate pairs
];
var D_MISSING = 0;
var D_EXACT = 1;
var D_SWAPPED = 2;
var D_TYPO = 3;
var D_DIFFERENT = 4;
var DOB_LEVELS = [
  ["missing", 1, 1, 1],
  ["exact", 0.92, Number.NaN, 5e-3],
  // household: twins
  ["day/month swapped", 0.02, 1 / 2e4, 1e-4],
  // US-style entry: about as rare by chance as exact
  ["typo", 0.04, 15e-4, 2e-3],
  // one digit or two adjacent: ~25 such neighbours of a date
  ["different", 0.02, 0.998, 0.99]
];
var P_MISSING = 0;
var P_EXACT = 1;
var P_TYPO = 2;
var P_SECTOR = 3;
var P_DIFFERENT = 4;
var POSTCODE_LEVELS = [
  ["missing", 1, 1, 1],
  ["exact", 0.62, Number.NaN, 0.9],
  ["typo", 0.02, 2e-3, 0.01],
  // a neighbour postcode is usually a real one nearby
  ["sector", 0.04, 0.01, 0.02],
  // "LS9 7": moved round the corner
  ["different", 0.32, 0.988, 0.07]
  // branch transfers follow house moves
];
var E_MISSING = 0;
var E_EXACT = 1;
var E_TYPO = 2;
var E_LOCAL = 3;
var E_DIFFERENT = 4;
var EMAIL_LEVELS = [
  ["missing", 1, 1, 1],
  ["exact", 0.55, Number.NaN, 0.15],
  // people change address; couples share one
  ["typo", 0.02, 1e-5, 1e-3],
  // "gmial.com"; digit changes (jsmith1/jsmith2) excluded
  ["same name, other provider", 0.05, 5e-4, 0.01],
  ["different", 0.38, 1, 0.84]
];
var M_MISSING = 0;
var M_EXACT = 1;
var M_TYPO = 2;
var M_DIFFERENT = 3;
var MOBILE_LEVELS = [
  ["missing", 1, 1, 1],
  ["exact", 0.6, Number.NaN, 0.1],
  ["typo", 0.02, 1e-5, 1e-3],
  // one digit wrong or two swapped
  ["different", 0.38, 1, 0.9]
];
var FIELD_LEVELS = [
  FORENAME_LEVELS,
  SURNAME_LEVELS,
  DOB_LEVELS,
  POSTCODE_LEVELS,
  EMAIL_LEVELS,
  MOBILE_LEVELS
];
var LEVELS = 10;
var table = (column) => {
  const out = new Float64Array(FIELD_LEVELS.length * LEVELS);
  FIELD_LEVELS.forEach((t, f) => {
    t.forEach((l, k) => {
      out[f * LEVELS + k] = l[column];
    });
  });
  return out;
};
var M = table(1);
var U = table(2);
var H = table(3);
var STRIDE = 16;
var COL_FORENAME = 0;
var COL_SURNAME = 1;
var COL_DOB = 2;
var COL_YMD = 3;
var COL_POSTCODE = 4;
var COL_PC_HI = 5;
var COL_PC_LO = 6;
var COL_PC_LEN = 7;
var COL_EMAIL = 8;
var COL_EM_LOCAL = 9;
var COL_EM_LEN = 10;
var COL_MOBILE = 11;
var COL_MB_HI = 12;
var COL_MB_LO = 13;
var COL_MB_LEN = 14;
var COL_FIRST = 15;
var PC_RADIX = 37;
var PC_LO_COUNT = 3;
var MB_RADIX = 10;
var MB_LO_COUNT = 8;
function packPostcode(compact) {
  let hi = 0;
  let lo = 0;
  const split = compact.length - PC_LO_COUNT;
  for (let k = 0; k < compact.length; k++) {
    const c = compact.charCodeAt(k);
    const sym = c <= 57 ? c - 47 : c - 54;
    if (k < split) hi = hi * PC_RADIX + sym;
    else lo = lo * PC_RADIX + sym;
  }
  return [hi, lo];
}
function packDigits(digits) {
  const split = Math.max(0, digits.length - MB_LO_COUNT);
  return [split > 0 ? Number(digits.slice(0, split)) : 0, Number(digits.slice(split))];
}
function packedWithinOneEdit(aHi, aLo, bHi, bLo, length, radix, loCount) {
  let x = aLo;
  let y = bLo;
  let diffs = 0;
  let prevX = -1;
  let prevY = -1;
  let swap = false;
  for (let k = 0; k < length; k++) {
    if (k === loCount) {
      x = aHi;
      y = bHi;
    }
    const sx = x % radix;
    const sy = y % radix;
    if (sx !== sy) {
      diffs++;
      if (diffs > 2) return false;
      if (diffs === 2) swap = prevX === sy && prevY === sx;
      prevX = sx;
      prevY = sy;
    } else if (diffs === 1) prevX = -2;
    x = x / radix | 0;
    y = y / radix | 0;
  }
  return diffs <= 1 || swap;
}
var MIN_COUNT_FOR_LIST_FREQUENCY = 5;
var FIRST_CACHE = 2048;
var Interner = class {
  ids = /* @__PURE__ */ new Map();
  counts = [];
  id(value) {
    const found = this.ids.get(value);
    if (found !== void 0) return found;
    const id = this.counts.length;
    this.ids.set(value, id);
    this.counts.push(0);
    return id;
  }
};
function capitalise(s) {
  return s.replace(/(^|[\s-])([a-z])/g, (_m, sep, c) => sep + c.toUpperCase());
}
function normalisePostcode(raw) {
  const compact = raw.toUpperCase().replace(/[^A-Z0-9]/g, "");
  if (compact.length < 5 || compact.length > 7) return compact.length ? compact : null;
  return `${compact.slice(0, -3)} ${compact.slice(-3)}`;
}
function parseYmd(raw) {
  if (raw.length < 10 || raw.charCodeAt(4) !== 45 || raw.charCodeAt(7) !== 45) return 0;
  let v = 0;
  for (const k of [0, 1, 2, 3, 5, 6, 8, 9]) {
    const c = raw.charCodeAt(k) - 48;
    if (c < 0 || c > 9) return 0;
    v = v * 10 + c;
  }
  const m = (v / 100 | 0) % 100;
  const d = v % 100;
  return m >= 1 && m <= 12 && d >= 1 && d <= 31 ? v : 0;
}
var isoOf = (ymd) => `${ymd / 1e4 | 0}-${String((ymd / 100 | 0) % 100).padStart(2, "0")}-${String(ymd % 100).padStart(2, "0")}`;
var Prepared = class {
  n;
  /** STRIDE Int32s per record; -1 for a missing id. */
  rows;
  membership;
  forenames = [];
  surnames = [];
  /** Per date-of-birth id: yyyymmdd and u of an exact match. */
  dobYmd = [];
  dobU;
  postcodes = [];
  postcodeCompact = [];
  postcodeU;
  emails = [];
  emailU;
  mobiles = [];
  mobileU;
  /** How many records hold each postcode, email and mobile: flags shared values in evidence. */
  postcodeCount;
  emailCount;
  mobileCount;
  /** Prior probability that two records are the same person, and its log2 odds. */
  prior;
  logPrior;
  /** Share of non-matching pairs that are relatives in one household, and the rest. */
  household;
  random;
  /**
   * Forename level by pair of first forenames, filled as pairs are met: the
   * same few hundred common names meet each other millions of times. Ids
   * are given in order of first appearance, so the common names are among
   * the first FIRST_CACHE and the table stays small (4 MB at most).
   */
  firstLevels;
  firstCacheSize;
  /** Per-field levels of the last scored pair, for evidence. */
  levels = new Int8Array(6);
  /** P(levels | match), P(levels | random pair), P(levels | household) of the last scored pair. */
  lastMatch = 0;
  lastRandom = 0;
  lastHousehold = 0;
  constructor(records, listSize) {
    const n = records.length;
    this.n = n;
    const scale = Math.max(listSize, PRIOR_MIN_RECORDS);
    this.prior = 2 * DUPLICATE_PAIRS_PER_RECORD / scale;
    this.logPrior = Math.log2(this.prior / (1 - this.prior));
    this.household = 2 * HOUSEHOLD_PAIRS_PER_RECORD / scale;
    this.random = 1 - this.household;
    const rows = new Int32Array(n * STRIDE).fill(-1);
    this.rows = rows;
    this.membership = new Array(n);
    const forenameIds = new Interner();
    const firstIds = new Interner();
    const surnameIds = new Interner();
    const surnameDmIds = new Interner();
    const dobIds = /* @__PURE__ */ new Map();
    const dobCounts = [];
    const postcodeIds = new Interner();
    const postcodePacked = [];
    const emailIds = new Interner();
    const emailLocalIds = new Interner();
    const emailLocal = [];
    const mobileIds = new Interner();
    const rawForename = /* @__PURE__ */ new Map();
    const rawSurname = /* @__PURE__ */ new Map();
    const rawPostcode = /* @__PURE__ */ new Map();
    for (let i = 0; i < n; i++) {
      const r = records[i];
      const row = i * STRIDE;
      const number = r.membershipNumber.trim().toUpperCase();
      this.membership[i] = number === r.membershipNumber ? r.membershipNumber : number;
      let f = rawForename.get(r.forenames);
      if (f === void 0) {
        f = -1;
        const tokens = nameTokens(r.forenames);
        if (tokens.length > 0) {
          const first = tokens[0];
          const size = this.forenames.length;
          f = forenameIds.id(tokens.join(" "));
          if (f === size) {
            this.forenames.push({
              display: capitalise(first),
              first,
              firstId: firstIds.id(first),
              tokens,
              initialOnly: first.length === 1,
              dm: doubleMetaphone(first)[0],
              forms: nameForms(first),
              blockLetter: forenameBlockLetter(first).charCodeAt(0) - 97,
              mask: letterMask(first),
              u: 0
            });
          }
        }
        rawForename.set(r.forenames, f);
      }
      if (f >= 0) {
        const firstId = this.forenames[f].firstId;
        rows[row + COL_FORENAME] = f;
        rows[row + COL_FIRST] = firstId;
        firstIds.counts[firstId]++;
      }
      let sId = rawSurname.get(r.surname);
      if (sId === void 0) {
        sId = -1;
        const tokens = nameTokens(r.surname);
        if (tokens.length > 0) {
          const joined = tokens.join("");
          const size = this.surnames.length;
          sId = surnameIds.id(joined);
          if (sId === size) {
            const dm = doubleMetaphone(joined)[0];
            this.surnames.push({
              display: capitalise(tokens.join("-")),
              joined,
              tokens,
              dm,
              dmId: surnameDmIds.id(dm),
              mask: letterMask(joined),
              u: 0
            });
          }
        }
        rawSurname.set(r.surname, sId);
      }
      if (sId >= 0) {
        rows[row + COL_SURNAME] = sId;
        surnameIds.counts[sId]++;
      }
      const ymd = r.dateOfBirth ? parseYmd(r.dateOfBirth) : 0;
      if (ymd > 0) {
        let d = dobIds.get(ymd);
        if (d === void 0) {
          d = this.dobYmd.length;
          dobIds.set(ymd, d);
          this.dobYmd.push(ymd);
          dobCounts.push(0);
        }
        dobCounts[d]++;
        rows[row + COL_DOB] = d;
        rows[row + COL_YMD] = ymd;
      } else rows[row + COL_YMD] = 0;
      if (r.postcode) {
        let pc = rawPostcode.get(r.postcode);
        if (pc === void 0) {
          pc = -1;
          const postcode = normalisePostcode(r.postcode);
          if (postcode) {
            const size = this.postcodes.length;
            pc = postcodeIds.id(postcode);
            if (pc === size) {
              const compact = postcode.replace(" ", "");
              this.postcodes.push(postcode);
              this.postcodeCompact.push(compact);
              if (/^[A-Z0-9]{1,7}$/.test(compact)) postcodePacked.push(...packPostcode(compact), compact.length);
              else postcodePacked.push(0, 0, 0);
            }
          }
          rawPostcode.set(r.postcode, pc);
        }
        if (pc >= 0) {
          rows[row + COL_POSTCODE] = pc;
          rows[row + COL_PC_HI] = postcodePacked[3 * pc];
          rows[row + COL_PC_LO] = postcodePacked[3 * pc + 1];
          rows[row + COL_PC_LEN] = postcodePacked[3 * pc + 2];
          postcodeIds.counts[pc]++;
        }
      }
      if (r.email) {
        const email = r.email.trim().toLowerCase();
        if (email) {
          const size = this.emails.length;
          const e = emailIds.id(email);
          if (e === size) {
            this.emails.push(email);
            const at = email.lastIndexOf("@");
            emailLocal.push(at > 0 ? emailLocalIds.id(email.slice(0, at)) : -1);
          }
          rows[row + COL_EMAIL] = e;
          rows[row + COL_EM_LOCAL] = emailLocal[e];
          rows[row + COL_EM_LEN] = email.length;
          emailIds.counts[e]++;
        }
      }
      if (r.mobile) {
        const mobile = /^\+?[0-9]+$/.test(r.mobile) ? r.mobile : r.mobile.replace(/[^0-9+]/g, "");
        if (mobile) {
          const size = this.mobiles.length;
          const m = mobileIds.id(mobile);
          if (m === size) this.mobiles.push(mobile);
          rows[row + COL_MOBILE] = m;
          const digits = mobile.charCodeAt(0) === 43 ? mobile.slice(1) : mobile;
          if (digits.length <= 15) {
            const [hi, lo] = packDigits(digits);
            rows[row + COL_MB_HI] = hi;
            rows[row + COL_MB_LO] = lo;
            rows[row + COL_MB_LEN] = digits.length;
          } else rows[row + COL_MB_LEN] = 0;
          mobileIds.counts[m]++;
        }
      }
    }
    const u = (count, ref) => count >= MIN_COUNT_FOR_LIST_FREQUENCY && count >= 2 * ref * n ? Math.max(ref, count / n) : ref;
    for (const f of this.forenames) {
      f.u = u(firstIds.counts[f.firstId], FORENAME_FREQ.get(f.first) ?? DEFAULT_FORENAME_FREQ);
    }
    this.surnames.forEach((s, id) => {
      s.u = u(surnameIds.counts[id], SURNAME_FREQ.get(s.joined) ?? DEFAULT_SURNAME_FREQ);
    });
    this.dobU = Float64Array.from(
      this.dobYmd,
      (ymd, id) => u(dobCounts[id], ymd % 1e4 === 101 ? DOB_FIRST_OF_JANUARY_FREQ : DOB_FREQ)
    );
    const us = (counts, ref) => Float64Array.from(counts, (c) => u(c, ref));
    this.postcodeU = us(postcodeIds.counts, POSTCODE_FREQ);
    this.emailU = us(emailIds.counts, EMAIL_FREQ);
    this.mobileU = us(mobileIds.counts, MOBILE_FREQ);
    this.firstLevels = new Int8Array(Math.min(firstIds.counts.length, FIRST_CACHE) ** 2);
    this.firstCacheSize = Math.min(firstIds.counts.length, FIRST_CACHE);
    this.postcodeCount = Int32Array.from(postcodeIds.counts);
    this.emailCount = Int32Array.from(emailIds.counts);
    this.mobileCount = Int32Array.from(mobileIds.counts);
  }
  /**
   * Posterior odds that records i and j are the same person:
   *   prior * P(levels | match) / ((1 - h) P(levels | random) + h P(levels | household)).
   * Leaves the levels and the three likelihoods for `weight()` and
   * `evidence()`. This is the hot loop: no allocation, no logarithms, string
   * metrics only when cheap checks have not decided.
   */
  score(i, j) {
    const R = this.rows;
    const a = i * STRIDE;
    const b = j * STRIDE;
    const L = this.levels;
    let lm = 1;
    let lr = 1;
    let lh = 1;
    let lev;
    let u = 0;
    const fa = R[a + COL_FORENAME];
    const fb = R[b + COL_FORENAME];
    if (fa < 0 || fb < 0) lev = F_MISSING;
    else {
      const A = this.forenames[fa];
      u = A.u;
      const xa = R[a + COL_FIRST];
      const xb = R[b + COL_FIRST];
      const C = this.firstCacheSize;
      if (xa < C && xb < C) {
        lev = this.firstLevels[xa * C + xb];
        if (lev === 0) {
          lev = firstNameLevel(A, this.forenames[fb]);
          this.firstLevels[xa * C + xb] = lev;
          this.firstLevels[xb * C + xa] = lev;
        }
      } else lev = firstNameLevel(A, this.forenames[fb]);
      if ((lev === F_DIFFERENT || lev === F_FUZZY) && fa !== fb) lev = middleNameLevel(A, this.forenames[fb], lev);
    }
    L[0] = lev;
    lm *= M[lev];
    lr *= lev === F_EXACT ? u : U[lev];
    lh *= H[lev];
    const sa = R[a + COL_SURNAME];
    const sb = R[b + COL_SURNAME];
    if (sa < 0 || sb < 0) lev = S_MISSING;
    else if (sa === sb) {
      lev = S_EXACT;
      u = this.surnames[sa].u;
    } else lev = surnameLevel(this.surnames[sa], this.surnames[sb]);
    L[1] = lev;
    lm *= M[LEVELS + lev];
    lr *= lev === S_EXACT ? u : U[LEVELS + lev];
    lh *= H[LEVELS + lev];
    const da = R[a + COL_DOB];
    const db = R[b + COL_DOB];
    if (da < 0 || db < 0) lev = D_MISSING;
    else if (da === db) {
      lev = D_EXACT;
      u = this.dobU[da];
    } else lev = dobLevel(R[a + COL_YMD], R[b + COL_YMD]);
    L[2] = lev;
    lm *= M[2 * LEVELS + lev];
    lr *= lev === D_EXACT ? u : U[2 * LEVELS + lev];
    lh *= H[2 * LEVELS + lev];
    const pa = R[a + COL_POSTCODE];
    const pb = R[b + COL_POSTCODE];
    if (pa < 0 || pb < 0) lev = P_MISSING;
    else if (pa === pb) {
      lev = P_EXACT;
      u = this.postcodeU[pa];
    } else {
      const len = R[a + COL_PC_LEN];
      const lenB = R[b + COL_PC_LEN];
      const hi = R[a + COL_PC_HI];
      const lo = R[a + COL_PC_LO];
      const hiB = R[b + COL_PC_HI];
      const loB = R[b + COL_PC_LO];
      if (len === lenB && len > 0) {
        if (packedWithinOneEdit(hi, lo, hiB, loB, len, PC_RADIX, PC_LO_COUNT)) lev = P_TYPO;
        else if (hi === hiB && (lo / (PC_RADIX * PC_RADIX) | 0) === (loB / (PC_RADIX * PC_RADIX) | 0)) {
          lev = P_SECTOR;
        } else lev = P_DIFFERENT;
      } else if (Math.abs(len - lenB) === 1 && withinOneEdit(this.postcodeCompact[pa], this.postcodeCompact[pb])) {
        lev = P_TYPO;
      } else lev = P_DIFFERENT;
    }
    L[3] = lev;
    lm *= M[3 * LEVELS + lev];
    lr *= lev === P_EXACT ? u : U[3 * LEVELS + lev];
    lh *= H[3 * LEVELS + lev];
    const ea = R[a + COL_EMAIL];
    const eb = R[b + COL_EMAIL];
    if (ea < 0 || eb < 0) lev = E_MISSING;
    else if (ea === eb) {
      lev = E_EXACT;
      u = this.emailU[ea];
    } else {
      const la = R[a + COL_EM_LEN];
      const lb = R[b + COL_EM_LEN];
      if (la - lb <= 1 && lb - la <= 1 && emailTypo(this.emails[ea], this.emails[eb])) lev = E_TYPO;
      else if (R[a + COL_EM_LOCAL] >= 0 && R[a + COL_EM_LOCAL] === R[b + COL_EM_LOCAL]) lev = E_LOCAL;
      else lev = E_DIFFERENT;
    }
    L[4] = lev;
    lm *= M[4 * LEVELS + lev];
    lr *= lev === E_EXACT ? u : U[4 * LEVELS + lev];
    lh *= H[4 * LEVELS + lev];
    const ma = R[a + COL_MOBILE];
    const mb = R[b + COL_MOBILE];
    if (ma < 0 || mb < 0) lev = M_MISSING;
    else if (ma === mb) {
      lev = M_EXACT;
      u = this.mobileU[ma];
    } else {
      const len = R[a + COL_MB_LEN];
      lev = len > 0 && len === R[b + COL_MB_LEN] && packedWithinOneEdit(
        R[a + COL_MB_HI],
        R[a + COL_MB_LO],
        R[b + COL_MB_HI],
        R[b + COL_MB_LO],
        len,
        MB_RADIX,
        MB_LO_COUNT
      ) ? M_TYPO : M_DIFFERENT;
    }
    L[5] = lev;
    lm *= M[5 * LEVELS + lev];
    lr *= lev === M_EXACT ? u : U[5 * LEVELS + lev];
    lh *= H[5 * LEVELS + lev];
    this.lastMatch = lm;
    this.lastRandom = lr;
    this.lastHousehold = lh;
    return this.prior * lm / (this.random * lr + this.household * lh);
  }
  /** Match weight in bits (log2 Bayes factor) of the last scored pair. */
  weight() {
    return Math.log2(this.lastMatch / (this.random * this.lastRandom + this.household * this.lastHousehold));
  }
  /** Human-readable reasons for the last scored pair (call right after `score(i, j)`). */
  evidence(i, j) {
    const R = this.rows;
    const a = i * STRIDE;
    const b = j * STRIDE;
    const L = this.levels;
    const out = [];
    const pair = (x, y) => `${x}~${y}`;
    const fa = this.forenames[R[a + COL_FORENAME]];
    const fb = this.forenames[R[b + COL_FORENAME]];
    const fPair = fa && fb ? pair(fa.display, fb.display) : "";
    switch (L[0]) {
      case F_EXACT:
        out.push(`same forename ${fa.display}`);
        break;
      case F_NICKNAME:
        out.push(`nickname ${fPair}`);
        break;
      case F_TYPO:
        out.push(`forename typo ${fPair}`);
        break;
      case F_SHORT:
        out.push(`short forename ${fPair}`);
        break;
      case F_PHONETIC:
        out.push(`forename sounds alike ${fPair}`);
        break;
      case F_MIDDLE:
        out.push(`known by a middle name ${fPair}`);
        break;
      case F_INITIAL:
        out.push(`forename initial only ${fPair}`);
        break;
      case F_FUZZY:
        out.push(`forename similar ${fPair}`);
        break;
      case F_DIFFERENT:
        out.push(`different forenames ${fa.display}/${fb.display}`);
        break;
      default:
        out.push("forename missing");
    }
    const sa = this.surnames[R[a + COL_SURNAME]];
    const sb = this.surnames[R[b + COL_SURNAME]];
    const sPair = sa && sb ? pair(sa.display, sb.display) : "";
    const contactAgrees = [];
    if (L[4] === E_EXACT) contactAgrees.push("email");
    if (L[5] === M_EXACT) contactAgrees.push("mobile");
    if (L[3] === P_EXACT) contactAgrees.push("postcode");
    switch (L[1]) {
      case S_EXACT:
        out.push(`same surname ${sa.display}`);
        break;
      case S_PART:
        out.push(`surname part shared ${sPair}`);
        break;
      case S_TYPO:
        out.push(`surname typo ${sPair}`);
        break;
      case S_PHONETIC:
        out.push(`surname sounds alike ${sPair}`);
        break;
      case S_FUZZY:
        out.push(`surname similar ${sPair}`);
        break;
      case S_DIFFERENT: {
        const sameIdentity = L[2] === D_EXACT && (L[0] === F_EXACT || L[0] === F_NICKNAME) && contactAgrees.length > 0;
        out.push(
          sameIdentity ? `surname changed (marriage?) ${sPair} same dob+forename+${contactAgrees.join("+")}` : `different surnames ${sa.display}/${sb.display}`
        );
        break;
      }
      default:
        out.push("surname missing");
    }
    const ya = isoOf(R[a + COL_YMD]);
    const yb = isoOf(R[b + COL_YMD]);
    switch (L[2]) {
      case D_EXACT:
        out.push(
          this.dobU[R[a + COL_DOB]] > DOB_FREQ * 3 ? `same date of birth ${ya} (a common one)` : "same date of birth"
        );
        break;
      case D_SWAPPED:
        out.push(`date of birth day/month swapped ${pair(ya, yb)}`);
        break;
      case D_TYPO:
        out.push(`date of birth typo ${pair(ya, yb)}`);
        break;
      case D_DIFFERENT:
        out.push(`different dates of birth ${ya}/${yb}`);
        break;
      default:
        out.push("date of birth missing");
    }
    const contact = (field, label, counts, id) => {
      switch (L[field]) {
        case 0:
          break;
        case 1:
          out.push(
            counts[id] >= MIN_COUNT_FOR_LIST_FREQUENCY ? `same ${label} (shared by ${counts[id]} records)` : `same ${label}`
          );
          break;
        default: {
          const name = FIELD_LEVELS[field][L[field]][0];
          out.push(name === "different" ? `different ${label}` : `${label} ${name}`);
        }
      }
    };
    contact(3, "postcode", this.postcodeCount, R[a + COL_POSTCODE]);
    contact(4, "email", this.emailCount, R[a + COL_EMAIL]);
    contact(5, "mobile", this.mobileCount, R[a + COL_MOBILE]);
    if (this.household * this.lastHousehold > 2 * this.random * this.lastRandom) {
      out.push("shared details also fit relatives in one household (twins? parent and child?)");
    }
    return out;
  }
};
function firstNameLevel(A, B) {
  const a = A.first;
  const b = B.first;
  if (a === b) return A.initialOnly ? F_INITIAL : F_EXACT;
  if (A.initialOnly || B.initialOnly) return a.charCodeAt(0) === b.charCodeAt(0) ? F_INITIAL : F_DIFFERENT;
  if (A.forms.length > 1 || B.forms.length > 1) {
    for (const x of A.forms) for (const y of B.forms) if (x === y) return F_NICKNAME;
  }
  const jw = jaroWinklerBound(a, B.mask, b, A.mask) >= 0.8 ? jaroWinkler(a, b) : 0;
  if (jw >= 0.92 || jw > 0 && Math.min(a.length, b.length) >= 5 && withinOneEdit(a, b)) return F_TYPO;
  if (a.length >= 3 && b.length >= 3 && (a.startsWith(b) || b.startsWith(a))) return F_SHORT;
  if (A.dm === B.dm && A.dm.length > 0) return F_PHONETIC;
  return jw >= 0.8 ? F_FUZZY : F_DIFFERENT;
}
function middleNameLevel(A, B, otherwise) {
  const a = A.first;
  const b = B.first;
  if (a.length > 1) {
    for (let k = 1; k < B.tokens.length; k++) if (B.tokens[k] === a) return F_MIDDLE;
  }
  if (b.length > 1) {
    for (let k = 1; k < A.tokens.length; k++) if (A.tokens[k] === b) return F_MIDDLE;
  }
  return otherwise;
}
function emailTypo(a, b) {
  return withinOneEdit(a, b) && !differOnlyInDigits(a, b);
}
function surnameLevel(A, B) {
  if (A.joined === B.joined) return S_EXACT;
  if (A.tokens.length > 1 || B.tokens.length > 1) {
    for (const x of A.tokens) if (x.length >= 3 && B.tokens.includes(x)) return S_PART;
  }
  const a = A.joined;
  const b = B.joined;
  const jw = jaroWinklerBound(a, B.mask, b, A.mask) >= 0.85 ? jaroWinkler(a, b) : 0;
  if (jw >= 0.92 || jw > 0 && Math.min(a.length, b.length) >= 4 && withinOneEdit(a, b)) return S_TYPO;
  if (A.dm === B.dm && A.dm.length > 0) return S_PHONETIC;
  return jw >= 0.85 ? S_FUZZY : S_DIFFERENT;
}
function letterMask(s) {
  let mask = 0;
  for (let k = 0; k < s.length; k++) mask |= 1 << (s.charCodeAt(k) - 97 & 31);
  return mask;
}
function jaroWinklerBound(a, maskB, b, maskA) {
  let ca = 0;
  for (let k = 0; k < a.length; k++) if (maskB >>> (a.charCodeAt(k) - 97 & 31) & 1) ca++;
  let cb = 0;
  for (let k = 0; k < b.length; k++) if (maskA >>> (b.charCodeAt(k) - 97 & 31) & 1) cb++;
  const m = Math.min(ca, cb);
  if (m === 0) return 0;
  const jaro = (m / a.length + m / b.length + 1) / 3;
  return jaro + 0.4 * (1 - jaro);
}
function dobLevel(a, b) {
  const ya = a / 1e4 | 0;
  const ma = (a / 100 | 0) % 100;
  const da = a % 100;
  if (ya === (b / 1e4 | 0) && da !== ma && da === (b / 100 | 0) % 100 && ma === b % 100) return D_SWAPPED;
  let x = a;
  let y = b;
  let diffs = 0;
  let prevX = -1;
  let prevY = -1;
  let swap = false;
  for (let k = 0; k < 8; k++) {
    const dx = x % 10;
    const dy = y % 10;
    if (dx !== dy) {
      diffs++;
      if (diffs > 2) return D_DIFFERENT;
      if (diffs === 2) swap = prevX === dy && prevY === dx;
      prevX = dx;
      prevY = dy;
    } else if (diffs === 1) {
      prevX = -2;
    }
    x = x / 10 | 0;
    y = y / 10 | 0;
  }
  return diffs === 1 || diffs === 2 && swap ? D_TYPO : D_DIFFERENT;
}

// src/members/duplicates/synthetic.ts
function seededRandom(seed) {
  let a = 2654435769 ^ seed;
  let b = 608135816 ^ seed * 31;
  let c = 3084996962;
  let d = seed | 0;
  const next = () => {
    a |= 0;
    b |= 0;
    c |= 0;
    d |= 0;
    const t = (a + b | 0) + d | 0;
    d = d + 1 | 0;
    a = b ^ b >>> 9;
    b = c + (c << 3) | 0;
    c = c << 21 | c >>> 11;
    c = c + t | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 20; i++) next();
  return next;
}
var words = (s) => s.trim().split(/\s+/);
var FEMALE = words(`
  Sarah Susan Karen Julie Claire Helen Emma Lisa Nicola Michelle Joanne Elizabeth Jennifer Laura Rachel
  Amanda Louise Jane Deborah Catherine Samantha Rebecca Margaret Mary Gemma Kelly Angela Tracey Alison
  Victoria Charlotte Amy Sharon Jessica Hannah Lauren Sophie Katie Natalie Anne Linda Christine Caroline
  Stephanie Kerry Patricia Dawn Wendy Fiona Ruth Kathryn Jacqueline Lynne Andrea Donna Paula Joanna Zoe
  Kirsty Leanne Hayley Emily Lucy Chloe Jade Megan Olivia Amelia Abigail Ellie Jodie Beverley Carol
  Janet Gillian Sandra Pauline Diane Theresa Lorraine Maria Anna Natasha Aisha Fatima Priya Sana Ayesha
  Agnieszka Joanna Katarzyna Grace Esther Blessing Niamh Siobhan Bethan Rhian Eilidh Morag Shona
  Harriet Imogen Philippa Rosemary Frances Judith Elaine Yvonne Valerie Marion Heather Katherine
`);
var MALE = words(`
  David John Paul Mark Michael Andrew James Richard Peter Robert Stephen Christopher Ian Daniel Matthew
  Thomas Gary Steven Simon Anthony Kevin Martin Jason Lee William Adam Alan Neil Darren Joseph Jonathan
  Graham Philip Craig Stuart Keith Benjamin Ryan Luke Samuel Jack George Carl Dean Wayne Shaun Barry
  Colin Nigel Trevor Brian Kenneth Gareth Alexander Nicholas Timothy Edward Jamie Scott Liam Nathan Ben
  Oliver Harry Charlie Joshua Callum Aaron Mohammed Muhammad Imran Tariq Arjun Rajesh Piotr Tomasz
  Emmanuel Kwame Sean Declan Conor Rhys Dafydd Euan Fraser Angus Hamish Raymond Geoffrey Frederick
  Francis Henry Leonard Roger Terence Dennis Malcolm Derek Clive Howard Russell Patrick Vincent Douglas
`);
var TOP_SURNAMES = words(`
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
var TAIL_ONSETS = words(`
  Ash Black Brad Brook Clay Cres Dal Den Ether Fair Fen Gold Hal Har Hay Hol Kings Lang Mar Mel Mor New
  Nor Pen Ral Red Rox Sel Shel Stan Sut Thorn Wal Wes Whit Win Bar Bel Cal Carl Chad Crom Dun Elm Ever
  Farn Glad Grims Hart Hather Ing Kel Kirk Lind Lock Mal Net Oak Ock Pick Rad Rush Sand Sheph Stain
`);
var TAIL_LINKS = ["", "", "er", "ing", "s", "en"];
var TAIL_ENDINGS = words(`
  by croft dale den ford ham hurst ley low more ridge ton well wood worth field combe stone ell ingham
  wick thwaite shaw bury cott gate house land mere sall
`);
var SHARE_TOP_SURNAMES = 0.4;
var DOMAINS = [
  ["example.com", 40],
  ["example.co.uk", 20],
  ["example.org", 15],
  ["example.net", 15],
  ["mail.example", 6],
  ["post.example", 4]
];
var WORK_POSTCODES = 24;
var AREAS = words("LS BD HX WF HD S M B NE CF G EH BS L NG SE N E SW HU LE CV SO PL EX NR");
var UNIT_LETTERS = "ABDEFGHJLNPQRSTUWXYZ";
var KEYBOARD = {
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
  z: "asx"
};
var Generator = class {
  rnd;
  female;
  male;
  topSurnames;
  tailSurnames;
  homePostcodes;
  workPostcodes;
  usedEmails = /* @__PURE__ */ new Set();
  usedMobiles = /* @__PURE__ */ new Set();
  nicknamesOf = /* @__PURE__ */ new Map();
  constructor(seed, people) {
    this.rnd = seededRandom(seed);
    this.female = new Sampler(FEMALE, (r) => 1 / (r + 10));
    this.male = new Sampler(MALE, (r) => 1 / (r + 10));
    this.topSurnames = new Sampler(TOP_SURNAMES, (r) => 1 / (r + 2));
    const tail = [];
    for (const o of TAIL_ONSETS) for (const l of TAIL_LINKS) for (const e of TAIL_ENDINGS) tail.push(o + l + e);
    const uniqueTail = [...new Set(tail)];
    for (let i = uniqueTail.length - 1; i > 0; i--) {
      const j = Math.floor(this.rnd() * (i + 1));
      [uniqueTail[i], uniqueTail[j]] = [uniqueTail[j], uniqueTail[i]];
    }
    this.tailSurnames = new Sampler(uniqueTail, (r) => 1 / (r + 50));
    const homes = /* @__PURE__ */ new Set();
    while (homes.size < Math.max(100, Math.floor(people / 2))) homes.add(this.randomPostcode());
    this.homePostcodes = [...homes];
    this.workPostcodes = Array.from({ length: WORK_POSTCODES }, () => this.randomPostcode());
    for (const [nick, formals] of NICKNAMES) {
      for (const f of formals) {
        const list2 = this.nicknamesOf.get(f);
        if (list2) list2.push(nick);
        else this.nicknamesOf.set(f, [nick]);
      }
    }
  }
  chance(p) {
    return this.rnd() < p;
  }
  int(lo, hi) {
    return lo + Math.floor(this.rnd() * (hi - lo + 1));
  }
  pick(list2) {
    return list2[Math.floor(this.rnd() * list2.length)];
  }
  randomPostcode() {
    const area = this.pick(AREAS);
    const district = this.int(1, area.length === 1 ? 30 : 20);
    return `${area}${district} ${this.int(0, 9)}${this.pick([...UNIT_LETTERS])}${this.pick([...UNIT_LETTERS])}`;
  }
  forename(female) {
    return (female ? this.female : this.male).sample(this.rnd);
  }
  forenames(female) {
    const first = this.forename(female);
    if (!this.chance(0.35)) return first;
    let middle = this.forename(female);
    while (middle === first) middle = this.forename(female);
    return `${first} ${middle}`;
  }
  surname() {
    return this.chance(SHARE_TOP_SURNAMES) ? this.topSurnames.sample(this.rnd) : this.tailSurnames.sample(this.rnd);
  }
  dob(yearLo = 1958, yearHi = 2005) {
    if (this.chance(5e-3)) return null;
    if (this.chance(2e-3)) return "1900-01-01";
    const span = yearHi - yearLo;
    const y = yearLo + Math.round((this.rnd() + this.rnd()) / 2 * span);
    const m = this.int(1, 12);
    const d = this.int(1, daysIn(y, m));
    return iso(y, m, d);
  }
  homePostcode() {
    if (this.chance(0.03)) return null;
    if (this.chance(0.03)) return this.pick(this.workPostcodes);
    return this.pick(this.homePostcodes);
  }
  email(forenames, surname, yob) {
    if (!this.chance(0.8)) return null;
    const f = forenames.split(" ")[0].toLowerCase();
    const s = surname.toLowerCase().replace(/[^a-z]/g, "");
    const yy = yob ? yob.slice(2, 4) : String(this.int(10, 99));
    const patterns = [
      `${f}.${s}`,
      `${f}${s}${this.int(1, 99)}`,
      `${f[0]}${s}`,
      `${f}_${s}${yy}`,
      `${s}${f[0]}${this.int(1, 999)}`,
      `${f}${yy}`
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
  mobile() {
    if (!this.chance(0.75)) return null;
    let m;
    do
      m = `+447${String(Math.floor(this.rnd() * 1e9)).padStart(9, "0")}`;
    while (this.usedMobiles.has(m));
    this.usedMobiles.add(m);
    return m;
  }
  person(female) {
    const forenames = this.forenames(female);
    const surname = this.surname();
    const dob = this.dob();
    return {
      forenames,
      surname,
      dob,
      postcode: this.homePostcode(),
      email: this.email(forenames, surname, dob),
      mobile: this.mobile()
    };
  }
  /** A relative at the same address; returns the person and the relationship. */
  relative(p, female) {
    const kind = weighted(this.rnd, [
      ["spouse", 55],
      ["sibling", 17],
      ["twin", 8],
      ["father/son same name", 10],
      ["parent/child", 10]
    ]);
    const year = p.dob && p.dob !== "1900-01-01" ? Number(p.dob.slice(0, 4)) : 1975;
    let forenames = this.forenames(kind === "spouse" ? !female : this.chance(0.5));
    while (forenames.split(" ")[0] === p.forenames.split(" ")[0]) forenames = this.forenames(this.chance(0.5));
    let surname = p.surname;
    let dob;
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
        forenames = p.forenames.split(" ")[0];
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
        mobile: p.mobile !== null && this.chance(0.04) ? p.mobile : this.mobile()
      },
      kind
    ];
  }
  // -- corruptions --------------------------------------------------------
  typo(s) {
    if (s.length < 2) return s;
    const lower = s.toLowerCase();
    const at = this.int(1, s.length - 1);
    switch (this.int(0, 3)) {
      case 0: {
        const c = lower[at];
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
  corrupt(p) {
    const out = { ...p };
    const done = [];
    const count = weighted(this.rnd, [
      [0, 10],
      [1, 35],
      [2, 35],
      [3, 20]
    ]);
    const kinds = [
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
      ["mobile typo", 3]
    ];
    const field = (k) => k.split(" ").find((w) => w !== "new") ?? k;
    const fieldsDone = /* @__PURE__ */ new Set();
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
  apply(p, kind) {
    const [first, ...rest] = p.forenames.split(" ");
    switch (kind) {
      case "forename typo":
        p.forenames = [this.typo(first), ...rest].join(" ");
        return true;
      case "nickname": {
        const key = first.toLowerCase();
        const options = [...this.nicknamesOf.get(key) ?? [], ...NICKNAMES.get(key) ?? []];
        if (options.length === 0) return false;
        p.forenames = [capital(this.pick(options)), ...rest].join(" ");
        return true;
      }
      case "middle name dropped/added":
        p.forenames = rest.length > 0 ? first : `${first} ${this.forename(this.chance(0.5))}`;
        return true;
      case "forename initial":
        p.forenames = first.charAt(0);
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
        const [y, m, d] = p.dob.split("-").map(Number);
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
          const t = swapped ? digits.slice(0, at) + digits[at + 1] + digits[at] + digits.slice(at + 2) : digits.slice(0, at) + String(this.int(0, 9)) + digits.slice(at + 1);
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
        const other = UNIT_LETTERS[this.int(0, UNIT_LETTERS.length - 1)];
        p.postcode = this.chance(0.5) ? `${before.slice(0, -1)}${other}` : `${before.slice(0, -2)}${letters[1]}${letters[0]}`;
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
        p.email = this.chance(0.5) ? `${p.email.slice(0, at)}@${this.typo(p.email.slice(at + 1))}` : `${this.typo(p.email.slice(0, at))}${p.email.slice(at)}`;
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
};
var Sampler = class {
  constructor(values, weight) {
    this.values = values;
    this.cumulative = new Float64Array(values.length);
    let sum = 0;
    for (let r = 0; r < values.length; r++) {
      sum += weight(r + 1);
      this.cumulative[r] = sum;
    }
  }
  values;
  cumulative;
  sample(rnd) {
    const target = rnd() * this.cumulative[this.cumulative.length - 1];
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = lo + hi >> 1;
      if (this.cumulative[mid] < target) lo = mid + 1;
      else hi = mid;
    }
    return this.values[lo];
  }
};
function weighted(rnd, options) {
  let total = 0;
  for (const [, w] of options) total += w;
  let x = rnd() * total;
  for (const [v, w] of options) {
    x -= w;
    if (x < 0) return v;
  }
  return options[options.length - 1][0];
}
function daysIn(y, m) {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}
function iso(y, m, d) {
  return `${y}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}
function capital(s) {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
function generateSynthetic(options = {}) {
  const people = options.people ?? 5e4;
  const duplicateRate = options.duplicateRate ?? 0.03;
  const householdRate = options.householdRate ?? 0.12;
  const g = new Generator(options.seed ?? 1, people);
  const persons = [];
  const relation = [];
  while (persons.length < people) {
    const female = g.chance(0.6);
    const p = g.person(female);
    persons.push(p);
    relation.push("");
    if (persons.length < people && g.chance(householdRate / 2)) {
      const [r, kind] = g.relative(p, female);
      persons.push(r);
      relation.push(kind);
    }
  }
  const rows = persons.map((p, i) => ({
    p,
    person: i,
    corruptions: [],
    relation: relation[i]
  }));
  for (let i = 0; i < people; i++) {
    if (!g.chance(duplicateRate)) continue;
    const copies = g.chance(0.1) ? 2 : 1;
    for (let c = 0; c < copies; c++) {
      const [dup, done] = g.corrupt(persons[i]);
      rows.push({ p: dup, person: i, corruptions: done, relation: relation[i] });
    }
  }
  for (let i = rows.length - 1; i > 0; i--) {
    const j = Math.floor(g.rnd() * (i + 1));
    [rows[i], rows[j]] = [rows[j], rows[i]];
  }
  const records = rows.map((row, i) => ({
    key: `r${i}`,
    membershipNumber: `M${String(1e6 + i)}`,
    forenames: row.p.forenames,
    surname: row.p.surname,
    dateOfBirth: row.p.dob,
    postcode: row.p.postcode,
    email: row.p.email,
    mobile: row.p.mobile
  }));
  return {
    records,
    person: Int32Array.from(rows, (r) => r.person),
    corruptions: rows.map((r) => r.corruptions),
    relation: rows.map((r) => r.relation)
  };
}

// ../../tmp/dupwork/prep.ts
var list = generateSynthetic({ people: 5e4, seed: 1 });
var cpu = (f) => {
  const c = process.cpuUsage();
  f();
  const d = process.cpuUsage(c);
  return Math.round(d.user / 1e3);
};
var blank = { forenames: "", surname: "", dateOfBirth: null, postcode: null, email: null, mobile: null };
for (const keep of ["none", "forenames", "surname", "dateOfBirth", "postcode", "email", "mobile", "all"]) {
  const recs = list.records.map((r) => keep === "all" ? r : keep === "none" ? { ...r, ...blank } : { ...r, ...blank, [keep]: r[keep] });
  const times = [0, 1, 2].map(() => cpu(() => new Prepared(recs, recs.length)));
  console.log(keep, times);
}
