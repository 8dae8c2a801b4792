/**
 * Test and benchmark helper: NHS ODS trust (etr) and site (ets) files, as
 * text, into RegisterEntry[]. Pure (the caller reads the files), so the
 * matcher's tests and the benchmark share one loader without this folder
 * touching the file system. Not the production importer (src/registers/import).
 */
import { parse } from "csv-parse/sync";
import type { RegisterEntry } from "./types.js";

/** ODS column numbers (1-based in the ODS documentation), as array indices. */
const CODE = 0;
const NAME = 1;
const TOWN = 7;
const POSTCODE = 9;
const CLOSE_DATE = 11;
const PARENT = 14;

export function parseOdsCsv(text: string): string[][] {
  // etr.csv trims trailing empty fields, the newer files have all 27: accept both.
  return parse(text, { relax_column_count: true, skip_empty_lines: true, trim: false }) as string[][];
}

function isoDate(yyyymmdd: string | undefined): string | null {
  const s = (yyyymmdd ?? "").trim();
  return /^\d{8}$/.test(s) ? `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}` : null;
}

function field(row: readonly string[], i: number): string {
  return (row[i] ?? "").trim();
}

export interface OdsRegister {
  entries: RegisterEntry[];
  /** Town of each entry (ODS address line 4), by entry index: members add it ("St James's Hospital Leeds"). */
  towns: Map<number, string>;
  /** Trust code of each employerId. */
  trustCode: Map<number, string>;
}

export interface OdsOptions {
  /** Rows of the trusts file (etr). */
  trusts: readonly string[][];
  /** Rows of the sites file (ets); sites whose parent trust is absent are skipped. */
  sites?: readonly string[][];
  /** Rows of an older trusts file: a code found there under another name gets it as a former name. */
  olderTrusts?: readonly string[][];
  /** Trust codes to leave out, with their sites (the held-out employers of a test). */
  exclude?: ReadonlySet<string>;
}

/** Stable ids: employers 1000 + row, workplaces 100000 + row, so tests can print them. */
export function odsRegisterEntries(opts: OdsOptions): OdsRegister {
  const entries: RegisterEntry[] = [];
  const towns = new Map<number, string>();
  const trustCode = new Map<number, string>();
  const byCode = new Map<string, { id: number; name: string }>();
  const former = new Map<string, string[]>();
  const current = new Map(opts.trusts.map((r) => [field(r, CODE), field(r, NAME)]));
  for (const r of opts.olderTrusts ?? []) {
    const code = field(r, CODE);
    const old = field(r, NAME);
    const now = current.get(code);
    if (now !== undefined && old && old !== now) former.set(code, [...(former.get(code) ?? []), old]);
  }
  opts.trusts.forEach((r, i) => {
    const code = field(r, CODE);
    if (!code || opts.exclude?.has(code)) return;
    const id = 1000 + i;
    const name = field(r, NAME);
    byCode.set(code, { id, name });
    trustCode.set(id, code);
    const town = field(r, TOWN);
    if (town) towns.set(entries.length, town);
    entries.push({
      employerId: id,
      workplaceId: null,
      name,
      employerName: name,
      aliases: (former.get(code) ?? []).map((text) => ({ text, kind: "former_name" as const })),
      postcode: field(r, POSTCODE) || null,
      closedOn: isoDate(r[CLOSE_DATE]),
      codes: [code],
    });
  });
  (opts.sites ?? []).forEach((r, i) => {
    const parent = byCode.get(field(r, PARENT));
    if (!parent) return;
    const town = field(r, TOWN);
    if (town) towns.set(entries.length, town);
    entries.push({
      employerId: parent.id,
      workplaceId: 100000 + i,
      name: field(r, NAME),
      employerName: parent.name,
      aliases: [],
      postcode: field(r, POSTCODE) || null,
      closedOn: isoDate(r[CLOSE_DATE]),
      codes: [field(r, CODE)],
    });
  });
  return { entries, towns, trustCode };
}

/**
 * Trust codes to leave out of a test register: each open trust with
 * probability `share` (seeded), so that strings naming them test what the
 * matcher does with employers the register lacks. `keep` instead keeps each
 * trust with that probability, for a register the size of one union's.
 */
export function heldOutTrusts(
  trusts: readonly string[][],
  opts: { seed: number; share?: number; keep?: number },
  random: (seed: number) => () => number,
): Set<string> {
  const rand = random(opts.seed);
  const out = new Set<string>();
  for (const r of trusts) {
    const code = field(r, CODE);
    const open = !field(r, CLOSE_DATE);
    const x = rand();
    if (opts.keep !== undefined ? x > opts.keep : open && x < (opts.share ?? 0.08)) out.add(code);
  }
  return out;
}
