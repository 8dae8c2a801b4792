/**
 * Reference frequencies: how often a value is held by a random member, used
 * as the u probability of an exact match on that value (Splink's
 * term-frequency adjustment: agreeing on "Smith" is weaker evidence than
 * agreeing on "Linacre").
 *
 * findDuplicates also counts values in the list itself and takes the larger
 * of the two (a Bradford branch has more Hussains than the national table
 * says; a shared workplace postcode is common only in the list). The
 * reference is what comparePeople uses on its own, and a floor that keeps
 * small lists from treating a common name as rare because it happens to
 * appear only twice.
 *
 * Figures are rounded shares of the UK adult population (surnames after ONS
 * and Forebears counts; forenames for people born 1955-2005, both sexes
 * together), good to about a factor of 1.5, which is a fraction of a bit of
 * match weight.
 */

/** Share of people with the surname, per cent. */
const SURNAMES_PERCENT = `
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

/** Share of people with the first forename, per cent. */
const FORENAMES_PERCENT = `
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

/** Unlisted values: rarer than the last listed entry, taken at a conservative (high) frequency. */
export const DEFAULT_SURNAME_FREQ = 2e-4;
export const DEFAULT_FORENAME_FREQ = 1e-3;

/**
 * Dates of birth: born over about 45 working-age years, so two random
 * members share a date about once in 15,000 pairs. 1 January is over-used
 * as the default for an unknown day (placeholder dates in old systems, and
 * assigned dates of birth), so agreeing on it is worth ten times less.
 */
export const DOB_FREQ = 1 / 15_000;
export const DOB_FIRST_OF_JANUARY_FREQ = 1 / 1_500;

/** About 1.8M UK postcodes; members cluster by region, so take a conservative share. */
export const POSTCODE_FREQ = 1 / 20_000;
/** Emails and mobiles are personal; sharing (family, placeholder values) shows up in the list's own counts. */
export const EMAIL_FREQ = 1e-6;
export const MOBILE_FREQ = 1e-6;

function parse(text: string): ReadonlyMap<string, number> {
  const map = new Map<string, number>();
  const parts = text.trim().split(/\s+/);
  for (let i = 0; i + 1 < parts.length; i += 2) map.set(parts[i]!, Number(parts[i + 1]) / 100);
  return map;
}

export const SURNAME_FREQ: ReadonlyMap<string, number> = parse(SURNAMES_PERCENT);
export const FORENAME_FREQ: ReadonlyMap<string, number> = parse(FORENAMES_PERCENT);
