/**
 * Nicknames, short forms and spelling variants of forenames used in the UK.
 *
 * Why a table and not a string metric: "Bob" and "Robert" share no letters
 * in the right places (Jaro-Winkler 0), yet they are the commonest reason the
 * same member appears under two forenames. The table is the evidence; string
 * metrics only catch typos.
 *
 * Each line is `formal[/spelling/variants]: informal forms`. The first
 * spelling is the headword; other spellings map to it so that "Katherine"
 * and "Kathryn" meet at "catherine". Informal forms map to every spelling of
 * the line, and to every line that lists them ("chris" is Christopher,
 * Christine, Christina and Christian).
 *
 * Deliberately left out: cross-language equivalents that UK records treat as
 * different names (Sean/John, Siobhan/Joan, Ewan/Owen), because linking them
 * would cost precision for very little recall.
 */

const GROUPS = `
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

function build(): Map<string, string[]> {
  const map = new Map<string, string[]>();
  const add = (from: string, to: string): void => {
    if (from === to) return;
    const list = map.get(from);
    if (!list) map.set(from, [to]);
    else if (!list.includes(to)) list.push(to);
  };
  for (const line of GROUPS.split("\n")) {
    const colon = line.indexOf(":");
    if (colon < 0) continue;
    const spellings = line.slice(0, colon).trim().split("/");
    const informal = line
      .slice(colon + 1)
      .trim()
      .split(/\s+/)
      .filter((s) => s.length > 0);
    const head = spellings[0]!;
    for (const variant of spellings.slice(1)) add(variant, head);
    for (const nick of informal) for (const spelling of spellings) add(nick, spelling);
  }
  return map;
}

/**
 * Informal form or spelling variant (lower case) -> the formal names it
 * stands for. "bob" -> ["robert"], "kate" -> ["catherine", "katherine", ...],
 * "kathryn" -> ["catherine"].
 */
export const NICKNAMES: ReadonlyMap<string, readonly string[]> = build();

/**
 * The names a forename can stand for, itself included. Two forenames are
 * nickname-related when these sets meet: Bob {bob, robert} and Rob {rob,
 * robert} meet at robert; Chris and Christine meet at christine, but
 * Christopher and Christine do not meet.
 */
export function nameForms(name: string): readonly string[] {
  const formal = NICKNAMES.get(name);
  return formal ? [name, ...formal] : [name];
}

/**
 * A blocking letter that survives the commonest nicknames: the first letter
 * of the alphabetically first formal name the forename stands for, or its
 * own first letter. Bob, Rob and Robert all give "r"; Bill and William "w";
 * Kate, Katherine and Catherine "c". Not transitive on purpose: following
 * chains (Bob-Bert-Albert-Al-Alan...) would merge most of the alphabet into
 * one class. The few pairs this misses (Sandy~Sandra) are still found by the
 * date-of-birth, postcode, email and mobile blocks.
 */
export function forenameBlockLetter(name: string): string {
  const formal = NICKNAMES.get(name);
  if (!formal) return name.charAt(0);
  let min = formal[0]!;
  for (const f of formal) if (f < min) min = f;
  return min.charAt(0);
}
