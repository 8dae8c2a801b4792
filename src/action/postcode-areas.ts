/**
 * Where a workplace sits on the day-of-action map, from its postcode, with no lookup service.
 *
 * The centres below are APPROXIMATE centres of the UK postcode areas (the leading letters of a
 * postcode: AB, AL, B, ... ZE, with the Crown dependencies' GY, JE and IM), placed at or near each
 * area's principal post town from general geographic knowledge, to about a tenth of a degree. They are
 * not survey data and not a postcode-to-coordinates file: an area can be 100 km across (IV, PA, LL,
 * BT), so a dot says "in this area", never "at this address". Each workplace is drawn at its area's
 * centre moved by a small offset derived from its outward code (LS1, LS11, ...), the same every time,
 * so the workplaces of one area spread out instead of sitting on one point.
 */

/** [latitude, longitude] of each postcode area's approximate centre. */
export const POSTCODE_AREA_CENTRES: Readonly<Record<string, readonly [number, number]>> = {
  AB: [57.15, -2.3],
  AL: [51.75, -0.34],
  B: [52.48, -1.89],
  BA: [51.3, -2.45],
  BB: [53.77, -2.4],
  BD: [53.82, -1.8],
  BH: [50.74, -1.9],
  BL: [53.58, -2.43],
  BN: [50.86, -0.2],
  BR: [51.39, 0.04],
  BS: [51.45, -2.6],
  BT: [54.6, -6.3],
  CA: [54.75, -3.0],
  CB: [52.22, 0.2],
  CF: [51.52, -3.25],
  CH: [53.2, -2.95],
  CM: [51.75, 0.45],
  CO: [51.9, 0.9],
  CR: [51.36, -0.1],
  CT: [51.27, 1.15],
  CV: [52.4, -1.5],
  CW: [53.1, -2.45],
  DA: [51.44, 0.22],
  DD: [56.5, -2.95],
  DE: [52.95, -1.5],
  DG: [55.07, -3.75],
  DH: [54.8, -1.6],
  DL: [54.45, -1.65],
  DN: [53.55, -1.0],
  DT: [50.72, -2.45],
  DY: [52.49, -2.1],
  E: [51.53, -0.03],
  EC: [51.517, -0.095],
  EH: [55.92, -3.2],
  EN: [51.66, -0.08],
  EX: [50.75, -3.6],
  FK: [56.05, -3.9],
  FY: [53.83, -3.0],
  G: [55.86, -4.25],
  GL: [51.85, -2.2],
  GU: [51.25, -0.7],
  GY: [49.45, -2.58],
  HA: [51.58, -0.33],
  HD: [53.63, -1.8],
  HG: [54.02, -1.55],
  HP: [51.72, -0.6],
  HR: [52.06, -2.75],
  HS: [57.95, -6.8],
  HU: [53.78, -0.4],
  HX: [53.72, -1.88],
  IG: [51.57, 0.08],
  IM: [54.23, -4.55],
  IP: [52.15, 1.1],
  IV: [57.5, -4.6],
  JE: [49.21, -2.13],
  KA: [55.55, -4.6],
  KT: [51.38, -0.3],
  KW: [58.6, -3.3],
  KY: [56.2, -3.15],
  L: [53.42, -2.95],
  LA: [54.1, -2.75],
  LD: [52.25, -3.4],
  LE: [52.63, -1.1],
  LL: [53.0, -3.9],
  LN: [53.25, -0.4],
  LS: [53.8, -1.55],
  LU: [51.88, -0.42],
  M: [53.47, -2.24],
  ME: [51.33, 0.55],
  MK: [52.05, -0.75],
  ML: [55.75, -3.95],
  N: [51.58, -0.11],
  NE: [55.0, -1.65],
  NG: [53.0, -1.1],
  NN: [52.3, -0.85],
  NP: [51.65, -3.0],
  NR: [52.65, 1.3],
  NW: [51.55, -0.2],
  OL: [53.55, -2.08],
  OX: [51.75, -1.3],
  PA: [55.95, -4.8],
  PE: [52.6, -0.2],
  PH: [56.6, -3.6],
  PL: [50.45, -4.25],
  PO: [50.8, -1.1],
  PR: [53.75, -2.75],
  RG: [51.4, -1.05],
  RH: [51.15, -0.2],
  RM: [51.56, 0.2],
  S: [53.38, -1.45],
  SA: [51.75, -4.1],
  SE: [51.46, -0.06],
  SG: [51.92, -0.15],
  SK: [53.38, -2.1],
  SL: [51.52, -0.65],
  SM: [51.36, -0.18],
  SN: [51.55, -1.85],
  SO: [50.92, -1.4],
  SP: [51.1, -1.8],
  SR: [54.87, -1.4],
  SS: [51.55, 0.65],
  ST: [52.95, -2.1],
  SW: [51.46, -0.17],
  SY: [52.65, -2.9],
  TA: [51.0, -3.1],
  TD: [55.6, -2.6],
  TF: [52.7, -2.5],
  TN: [51.1, 0.35],
  TQ: [50.45, -3.6],
  TR: [50.25, -5.15],
  TS: [54.57, -1.2],
  TW: [51.45, -0.38],
  UB: [51.53, -0.42],
  W: [51.51, -0.21],
  WA: [53.38, -2.6],
  WC: [51.518, -0.12],
  WD: [51.66, -0.4],
  WF: [53.68, -1.45],
  WN: [53.55, -2.65],
  WR: [52.15, -2.2],
  WS: [52.6, -1.97],
  WV: [52.59, -2.15],
  YO: [54.0, -1.0],
  ZE: [60.3, -1.25],
};

/** The single-letter London areas and EC/WC are small: their workplaces spread less. */
const SMALL_AREAS = new Set(["E", "EC", "N", "NW", "SE", "SW", "W", "WC"]);

export interface PostcodePlace {
  area: string;
  outward: string;
  lat: number;
  lon: number;
}

/** The area and outward code of a postcode ("LS1 4AP", "ls14ap", or an outward code alone), or null. */
export function parsePostcode(postcode: string | null | undefined): { area: string; outward: string } | null {
  if (!postcode) return null;
  const compact = postcode.toUpperCase().replace(/\s+/g, "");
  if (compact.length < 2 || compact.length > 8) return null;
  const full = /^([A-Z]{1,2}\d[A-Z\d]?)(\d[A-Z]{2})$/.exec(compact);
  const outward = full ? full[1]! : /^[A-Z]{1,2}\d[A-Z\d]?$/.test(compact) ? compact : null;
  if (!outward) return null;
  const area = /^[A-Z]+/.exec(outward)![0];
  return POSTCODE_AREA_CENTRES[area] ? { area, outward } : null;
}

/** A stable number in [-1, 1) from a string (FNV-1a). */
function unit(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return (h / 2 ** 32) * 2 - 1;
}

/**
 * The approximate position of a postcode: its area's centre, moved by a small offset from the outward
 * code (the same every time). Null for a postcode that is missing, malformed or of no known area.
 */
export function postcodePlace(postcode: string | null | undefined): PostcodePlace | null {
  const parsed = parsePostcode(postcode);
  if (!parsed) return null;
  const [lat, lon] = POSTCODE_AREA_CENTRES[parsed.area]!;
  const spread = SMALL_AREAS.has(parsed.area) ? 0.025 : 0.08;
  const round = (n: number) => Math.round(n * 1000) / 1000;
  return {
    ...parsed,
    lat: round(lat + unit(`${parsed.outward}:lat`) * spread),
    lon: round(lon + unit(`${parsed.outward}:lon`) * spread * 1.6),
  };
}
