/**
 * `npm run bench -- matching [--data DIR] [--count N] [--show N] [--speed [--rows N]]`: employer
 * and workplace matching on the real registers (NHS trusts and their sites;
 * local authorities), pure and in memory. Per register and per generator:
 * the matcher's own grammar (A, what it was tuned on), a second,
 * independently written grammar (B) on the half of the employers used while
 * tuning, and B with another seed on the other half; for the NHS a third
 * set (C, workplace-strings.ts), written after tuning: the held-out one. Prints
 * matchable rows, auto-matched coverage, precision, review share and
 * workplace accuracy, by kind. The data folder defaults to ../shared/data.
 * `--speed` measures instead how fast new strings are matched: the
 * distinct employer/workplace strings of a generated messy export of N rows
 * (default 20,000) over the NHS register, matched once each on a freshly
 * built index as the member import matches them (as at a day, with the
 * member's postcode), after a warm-up on another export with another index.
 */
import fs from "node:fs";
import path from "node:path";
import { generateMessyExport } from "../src/demo/messy-export.js";
import {
  buildMatchIndex,
  evaluateVariants,
  generateVariants,
  type MatchIndex,
  type MatchQuery,
  matchOrganisation,
  type RegisterEntry,
} from "../src/matching/index.js";
import { parseLabelled, scoreLabelled } from "../test/fixtures/matching/hand-labelled.js";
import { laRegisterEntries } from "../test/fixtures/matching/la-register.js";
import {
  type Figures,
  formatFigures,
  generateMemberStrings,
  type MemberString,
  measure,
} from "../test/fixtures/matching/member-strings.js";
import { odsRegisterEntries, parseOdsCsv } from "../test/fixtures/matching/ods-register.js";
import { generateWorkplaceStrings } from "../test/fixtures/matching/workplace-strings.js";

export interface MatchingRegister {
  name: "nhs" | "la";
  entries: RegisterEntry[];
  towns: ReadonlyMap<number, string>;
  /** The register as the matcher's own grammar knows it (no site history): generator A's. */
  withoutHistory?: RegisterEntry[];
}

/** The two registers from the data folder, or the reason they cannot be read. */
export function loadRegisters(data: string): { registers: MatchingRegister[] } | { missing: string } {
  const files = [
    "ods/etr-2026.csv",
    "ods/etr.csv",
    "ods/ets.csv",
    "ods/etrust-2018.csv",
    "la/uk_local_authorities.csv",
  ];
  const missing = files.filter((f) => !fs.existsSync(path.join(data, f)));
  if (missing.length) return { missing: missing.map((f) => path.join(data, f)).join(", ") };
  const read = (f: string) => parseOdsCsv(fs.readFileSync(path.join(data, f), "utf8"));
  const ods = odsRegisterEntries({
    trusts: read("ods/etr-2026.csv"),
    olderTrusts: read("ods/etr.csv"),
    sites: read("ods/ets.csv"),
  });
  // With the 2018 trusts-and-sites file: sites under the trust that ran them before a merger.
  const history = odsRegisterEntries({
    trusts: read("ods/etr-2026.csv"),
    olderTrusts: read("ods/etr.csv"),
    sites: read("ods/ets.csv"),
    olderSites: read("ods/etrust-2018.csv"),
  });
  const la = laRegisterEntries(fs.readFileSync(path.join(data, "la/uk_local_authorities.csv")));
  return {
    registers: [
      { name: "nhs", entries: history.entries, towns: history.towns, withoutHistory: ods.entries },
      { name: "la", entries: la.entries, towns: new Map() },
    ],
  };
}

/** Half the employers, fixed by id: the tuning half; the rest are held out. */
export function inTuningHalf(employerId: number): boolean {
  return (Math.imul(employerId, 2654435761) >>> 0) % 2 === 0;
}

export const SEEDS = { tuned: 101, heldOut: 202, third: 909 } as const;

export function sameWorkplaceIn(
  entries: readonly RegisterEntry[],
): (expected: number, got: number | null) => boolean {
  const byWorkplace = new Map(entries.filter((e) => e.workplaceId !== null).map((e) => [e.workplaceId!, e]));
  return (expected, got) => {
    if (got === expected) return true;
    const a = byWorkplace.get(expected);
    const b = got === null ? undefined : byWorkplace.get(got);
    return !!a && !!b && a.employerId === b.employerId && a.name.toUpperCase() === b.name.toUpperCase();
  };
}

export function evaluateB(
  reg: MatchingRegister,
  index: MatchIndex,
  which: "tuned" | "heldOut",
  count: number,
) {
  const rows = generateMemberStrings({
    seed: SEEDS[which] + (reg.name === "la" ? 7 : 0),
    count,
    sector: reg.name,
    entries: reg.entries,
    towns: reg.towns,
    employers: which === "tuned" ? inTuningHalf : (id) => !inTuningHalf(id),
  });
  const successors = new Map(
    reg.entries.filter((e) => e.workplaceId === null).map((e) => [e.employerId, e.successorIds ?? []]),
  );
  const byName = new Map(
    reg.entries.filter((e) => e.workplaceId === null).map((e) => [e.name, e.employerId]),
  );
  const successorsOf = (row: MemberString) => {
    const id = byName.get(row.source.replace(/ on \d{4}-\d\d-\d\d$/, ""));
    return id === undefined ? [] : (successors.get(id) ?? []);
  };
  return {
    rows,
    ...measure(rows, (q) => matchOrganisation(index, q), sameWorkplaceIn(reg.entries), successorsOf),
  };
}

function summary(f: Figures) {
  return {
    rows: f.n,
    matchable: f.matchable,
    coverage: Number(f.coverage.toFixed(4)),
    precision: Number(f.precision.toFixed(4)),
    review_share: Number(f.reviewShare.toFixed(4)),
    workplace_named: f.workplaceNamed,
    workplace_accuracy: Number(f.workplaceAccuracy.toFixed(4)),
    ...(f.splitRows ? { split_rows: f.splitRows, split_reviewed: f.splitReviewed } : {}),
  };
}

/** A messy export's distinct strings, each with the first row's postcode, as the import matches them. */
function exportStrings(reg: MatchingRegister, rows: number, seed: number): MatchQuery[] {
  const out = new Map<string, MatchQuery>();
  const codes = new Map<number, string>();
  const exported = generateMessyExport({
    rows,
    seed,
    entries: reg.entries,
    towns: reg.towns,
    employerCode: codes,
    workplaceCode: codes,
  });
  for (const r of exported.rows) {
    // Employer, workplace and postcode columns of MESSY_HEADERS.
    const key = `${r[9]}\u0000${r[10]}`;
    if (!out.has(key))
      out.set(key, {
        employer: r[9] || null,
        workplace: r[10] || null,
        postcode: r[6] || null,
        asOf: SPEED_DAY,
      });
  }
  return [...out.values()];
}

const SPEED_DAY = "2026-12-07";

export function speed(reg: MatchingRegister, rows: number) {
  const warm = exportStrings(reg, 2000, 9);
  const strings = exportStrings(reg, rows, 1);
  const t0 = performance.now();
  const warmIndex = buildMatchIndex(reg.entries);
  const buildSeconds = (performance.now() - t0) / 1000;
  for (const q of warm) matchOrganisation(warmIndex, q);
  const index = buildMatchIndex(reg.entries);
  const counts = { auto: 0, review: 0, unmatched: 0 };
  const cpu0 = process.cpuUsage();
  const t1 = performance.now();
  for (const q of strings) counts[matchOrganisation(index, q).status]++;
  const seconds = (performance.now() - t1) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const figures = {
    export_rows: rows,
    strings: strings.length,
    index_build_seconds: Number(buildSeconds.toFixed(2)),
    seconds: Number(seconds.toFixed(2)),
    strings_per_second: Math.round(strings.length / seconds),
    cpu_ms_per_string: Number(((1000 * cpuSeconds) / strings.length).toFixed(3)),
    ...counts,
  };
  console.log(
    `\n== ${reg.name}: speed, ${strings.length} distinct strings of a ${rows}-row messy export: ${figures.strings_per_second} strings/s (${figures.seconds} s; ${figures.cpu_ms_per_string} ms of CPU each); auto ${counts.auto}, review ${counts.review}, unmatched ${counts.unmatched}`,
  );
  return figures;
}

export async function run(args: string[]): Promise<Record<string, unknown>> {
  const opt = (name: string, fallback: string) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
  };
  const data = path.resolve(opt("data", path.resolve(import.meta.dirname, "../../shared/data")));
  const count = Number(opt("count", "4000"));
  const show = Number(opt("show", "0"));
  const loaded = loadRegisters(data);
  if ("missing" in loaded) {
    console.log(`matching benchmark skipped: ${loaded.missing} not found (--data DIR)`);
    return { skipped: loaded.missing };
  }
  if (args.includes("--speed")) {
    const nhs = loaded.registers.find((r) => r.name === "nhs")!;
    return { data, speed: speed(nhs, Number(opt("rows", "20000"))) };
  }
  const out: Record<string, unknown> = { data, count };
  for (const reg of loaded.registers) {
    const index = buildMatchIndex(reg.entries);
    const figures: Record<string, unknown> = {};
    // The matcher's own grammar is written for trusts and their sites: NHS only.
    if (reg.withoutHistory) {
      const plain = reg.withoutHistory;
      const plainIndex = buildMatchIndex(plain);
      const a = evaluateVariants(
        generateVariants(plain, {
          seed: 1,
          count,
          towns: reg.towns,
        }),
        (q) => matchOrganisation(plainIndex, q),
        sameWorkplaceIn(plain),
      );
      const all = a.byKind.get("all")!;
      for (const e of a.wrong.slice(0, show))
        console.log(
          `  A WRONG ${e.variant.kind}: ${JSON.stringify(e.variant.query)} -> ${e.result.best?.name} (${e.result.confidence}): ${e.result.reason}`,
        );
      console.log(
        `\n== ${reg.name}: generator A (the matcher's own grammar), ${all.n} strings: coverage ${(100 * all.coverage).toFixed(1)}%, precision ${(100 * all.precision).toFixed(2)}%, workplace ${(100 * all.workplaceAccuracy).toFixed(1)}%`,
      );
      figures.generator_a = {
        rows: all.n,
        matchable: all.matchable,
        coverage: Number(all.coverage.toFixed(4)),
        precision: Number(all.precision.toFixed(4)),
        review_share: Number((all.review / all.n).toFixed(4)),
        workplace_accuracy: Number(all.workplaceAccuracy.toFixed(4)),
      };
    }
    for (const which of ["tuned", "heldOut"] as const) {
      const b = evaluateB(reg, index, which, count);
      console.log(
        `\n== ${reg.name}: generator B, ${which === "tuned" ? "tuning half of the employers" : "held-out half, other seed"}\n${formatFigures(b.byKind)}`,
      );
      for (const e of b.wrong.slice(0, show))
        console.log(
          `  WRONG ${e.row.kind}: ${JSON.stringify(e.row.query)} -> ${e.result.best?.name} (${e.result.confidence}); meant ${e.row.source}`,
        );
      for (const e of b.missed.slice(0, show))
        console.log(
          `  missed ${e.row.kind}: ${JSON.stringify([e.row.query.employer, e.row.query.workplace])} -> ${e.result.status} ${e.result.best?.name ?? ""} ${e.result.confidence}: ${e.result.reason}`,
        );
      const byKind: Record<string, unknown> = {};
      for (const [k, f] of b.byKind) byKind[k] = summary(f);
      figures[which === "tuned" ? "generator_b_tuned" : "generator_b_held_out"] = byKind;
    }
    if (reg.name === "nhs") {
      // The third set: written after the matcher was tuned, never looked at while tuning.
      const c = measure(
        generateWorkplaceStrings({ seed: SEEDS.third, count, entries: reg.entries, towns: reg.towns }),
        (q) => matchOrganisation(index, q),
        sameWorkplaceIn(reg.entries),
      );
      console.log(`\n== ${reg.name}: generator C (third set, held out)\n${formatFigures(c.byKind)}`);
      const byKind: Record<string, unknown> = {};
      for (const [k, f] of c.byKind) byKind[k] = summary(f);
      figures.generator_c_held_out = byKind;
    }
    const labelled = scoreLabelled(
      parseLabelled(
        fs.readFileSync(
          path.resolve(import.meta.dirname, "../test/fixtures/matching/hand-labelled.csv"),
          "utf8",
        ),
      ).filter((r) => r.register === reg.name),
      reg.entries,
      (q) => matchOrganisation(index, q),
    );
    console.log(
      `\n== ${reg.name}: hand-labelled strings (held out): ${labelled.rows}, ${labelled.matchable} settled by the register; coverage ${(100 * labelled.coverage).toFixed(1)}%, precision ${(100 * labelled.precision).toFixed(2)}%`,
    );
    for (const e of labelled.errors.slice(0, show)) console.log(`  ${e}`);
    figures.hand_labelled = {
      rows: labelled.rows,
      matchable: labelled.matchable,
      coverage: Number(labelled.coverage.toFixed(4)),
      precision: Number(labelled.precision.toFixed(4)),
    };
    out[reg.name] = figures;
  }
  return out;
}
