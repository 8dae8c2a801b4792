/**
 * UK postcode clean-up. We check more than the `postcode` package does (it
 * checks shape only: it accepts "XX1 1AA", and its own `fix` turns "SW1A 2A0"
 * into "SW1A 2AO", a unit Royal Mail never issues): the area must be a real
 * area and the inward letters ones Royal Mail uses. Those two facts are also
 * what make O/0 and I/1 fixes safe: a character is only swapped when exactly
 * one reading is a real-shaped postcode. Whether the postcode exists is a
 * question for a postcode list, not for this reader.
 */

/** Every postcode area in use (Great Britain, Northern Ireland, Crown dependencies). */
const AREAS = new Set(
  (
    "AB AL B BA BB BD BH BL BN BR BS BT CA CB CF CH CM CO CR CT CV CW DA DD DE DG DH DL DN DT DY E EC EH EN EX " +
    "FK FY G GL GU GY HA HD HG HP HR HS HU HX IG IM IP IV JE KA KT KW KY L LA LD LE LL LN LS LU M ME MK ML N NE " +
    "NG NN NP NR NW OL OX PA PE PH PL PO PR RG RH RM S SA SE SG SK SL SM SN SO SP SR SS ST SW SY TA TD TF TN TQ " +
    "TR TS TW UB W WA WC WD WF WN WR WS WV YO ZE"
  ).split(" "),
);

/** Outward code: area, district digit(s), optional sub-district letter. */
const OUTWARD = /^([A-Z]{1,2})([0-9])([0-9A-Z]?)$/;
/** Inward code: sector digit, then two unit letters; Royal Mail never uses C I K M O V in the unit. */
const INWARD = /^[0-9][ABD-HJLNP-UW-Z]{2}$/;

function outwardIsReal(out: string): boolean {
  const m = OUTWARD.exec(out);
  if (!m) return false;
  const [, area, , rest] = m as unknown as [string, string, string, string];
  if (!AREAS.has(area)) return false;
  // Two-digit districts never start with 0 ("S01" is "SO1" mistyped); 0 is only ever a district on its own (BL0, CR0).
  if (/^[0-9]$/.test(rest) && m[2] === "0") return false;
  return true;
}

function isRealShape(outward: string, inward: string): boolean {
  if (outward === "GIR" && inward === "0AA") return true; // Girobank's historic non-geographic postcode
  return outwardIsReal(outward) && INWARD.test(inward);
}

const SWAPS: Record<string, { to: string; kind: string }> = {
  O: { to: "0", kind: "postcode.o_to_0" },
  "0": { to: "O", kind: "postcode.0_to_o" },
  I: { to: "1", kind: "postcode.i_to_1" },
  "1": { to: "I", kind: "postcode.1_to_i" },
};

interface Candidate {
  text: string;
  kinds: string[];
}

/** Every reading of `s` with some O/0 and I/1 characters swapped, fewest swaps first. */
function readings(s: string): Candidate[] {
  let out: Candidate[] = [{ text: "", kinds: [] }];
  for (const ch of s) {
    const swap = SWAPS[ch];
    const next: Candidate[] = [];
    for (const c of out) {
      next.push({ text: c.text + ch, kinds: c.kinds });
      if (swap) next.push({ text: c.text + swap.to, kinds: [...c.kinds, swap.kind] });
    }
    out = next;
  }
  return out.sort((a, b) => a.kinds.length - b.kinds.length);
}

/** The single reading with the fewest swaps that passes `ok`; null when none does, or two different ones tie. */
function bestReading(s: string, ok: (text: string) => boolean): Candidate | null {
  let best: Candidate | null = null;
  for (const c of readings(s)) {
    if (best && c.kinds.length > best.kinds.length) break;
    if (!ok(c.text)) continue;
    if (best && best.text !== c.text) return null; // ambiguous: do not guess
    best = c;
  }
  return best;
}

export interface PostcodeResult {
  value: string | null;
  fixes: string[];
  problem: string | null;
  outcodeOnly: boolean;
}

export function normalisePostcode(text: string): PostcodeResult {
  const trimmed = text.trim();
  if (!trimmed) return { value: null, fixes: [], problem: null, outcodeOnly: false };
  // Spaces, dots and dashes are separators people type; the letters and digits are the postcode.
  const compact = trimmed.toUpperCase().replace(/[\s.\-_]+/g, "");
  if (!/^[A-Z0-9]+$/.test(compact)) {
    return { value: null, fixes: [], problem: `"${trimmed}" is not a postcode.`, outcodeOnly: false };
  }
  if (compact.length >= 2 && compact.length <= 4) {
    const out = bestReading(compact, outwardIsReal);
    if (out) {
      return {
        value: null,
        fixes: [],
        problem: `"${trimmed}" is only the first half of a postcode (${out.text}); the full postcode is needed.`,
        outcodeOnly: true,
      };
    }
  }
  if (compact.length < 5 || compact.length > 7) {
    return { value: null, fixes: [], problem: `"${trimmed}" is not a postcode.`, outcodeOnly: false };
  }
  if (isRealShape(compact.slice(0, -3), compact.slice(-3))) {
    // Already right, bar case and spacing: the common case, and no need to try other readings.
    const value = `${compact.slice(0, -3)} ${compact.slice(-3)}`;
    return { value, fixes: value === trimmed ? [] : ["postcode.format"], problem: null, outcodeOnly: false };
  }
  const outward = bestReading(compact.slice(0, -3), outwardIsReal);
  // The inward code's first character is always a digit, its last two always letters.
  const inward = bestReading(compact.slice(-3), (t) => INWARD.test(t));
  if (!outward || !inward) {
    const area = /^[A-Z]{1,2}/.exec(compact)?.[0];
    const why =
      area && !AREAS.has(area) && !/[01OI]/.test(area) ? ` (there is no postcode area "${area}")` : "";
    return {
      value: null,
      fixes: [],
      problem: `"${trimmed}" is not a UK postcode${why}.`,
      outcodeOnly: false,
    };
  }
  const value = `${outward.text} ${inward.text}`;
  const fixes = [...new Set([...outward.kinds, ...inward.kinds])];
  // Case, spacing or separators changed (as opposed to characters swapped).
  if (trimmed !== `${compact.slice(0, -3)} ${compact.slice(-3)}`) fixes.push("postcode.format");
  return { value, fixes, problem: null, outcodeOnly: false };
}

/** A full postcode at the end of an address line ("Leeds LS9 7TF"), for files that put it there. */
const TRAILING_POSTCODE = /[\s,]+([A-Za-z]{1,2}[0-9][0-9A-Za-z]?\s*[0-9][A-Za-z]{2})\s*$/;

export function postcodeAtEnd(text: string): { rest: string; postcode: string } | null {
  const m = TRAILING_POSTCODE.exec(text);
  if (!m) return null;
  const found = normalisePostcode(m[1]!);
  if (!found.value) return null;
  return { rest: text.slice(0, m.index).trim(), postcode: found.value };
}
