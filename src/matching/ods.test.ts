/**
 * The matcher on the real NHS ODS registers (../shared/data, see its
 * README): trusts (etr-2026.csv, with etr.csv's older names as former
 * names) and their 34,932 sites (ets.csv). Seeded variants of the
 * employer-string grammar must be auto-accepted with at least 99.5%
 * precision and cover at least 95% of the matchable ones; the 49 renamed
 * trusts must be found under their old names; and the index must build and
 * match fast enough for a 1.5M-row member list. Skipped, with the reason
 * printed, where the data folder is absent.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, test } from "node:test";
import { heldOutTrusts, odsRegisterEntries, parseOdsCsv } from "../../test/fixtures/matching/ods-register.js";
import { SHARED_DATA, sharedDataSkip } from "../../test/helpers/shared-data.js";
import {
  buildMatchIndex,
  type MatchIndex,
  type MatchQuery,
  matchOrganisation,
  type RegisterEntry,
} from "./index.js";
import { evaluateVariants, formatMetrics, generateVariants, seededRandom } from "./variants.js";

const DATA = SHARED_DATA;
const FILES = ["ods/etr-2026.csv", "ods/etr.csv", "ods/ets.csv"].map((f) => path.join(DATA, f));
const missing = FILES.filter((f) => !fs.existsSync(f));
const skip = sharedDataSkip(missing);

function read(file: string): string[][] {
  return parseOdsCsv(fs.readFileSync(path.join(DATA, file), "utf8"));
}

/** CPU time of `f` in ms (user + system): wall time on a shared machine measures the neighbours. */
function cpuMs(f: () => void): number {
  const start = process.cpuUsage();
  f();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

describe("real NHS ODS registers", { skip }, () => {
  const trusts = skip ? [] : read("ods/etr-2026.csv");
  const older = skip ? [] : read("ods/etr.csv");
  const sites = skip ? [] : read("ods/ets.csv");
  const laFile = path.join(DATA, "la/uk_local_authorities.csv");
  // Council names members write instead of a trust ("wrong level"); optional.
  const councils = fs.existsSync(laFile)
    ? parseOdsCsv(fs.readFileSync(laFile, "utf8"))
        .slice(1)
        .map((r) => r[1] ?? "")
        .filter(Boolean)
    : [];

  // The whole register, with former names, shared by the tests that need no held-out trusts.
  const fullRegister = skip ? null : odsRegisterEntries({ trusts, sites, olderTrusts: older });
  let fullIndex: MatchIndex | null = null;

  test("indexes 35,000 entries in under 2 s", () => {
    const reg = fullRegister!;
    assert.ok(reg.entries.length > 35000, `${reg.entries.length} entries`);
    const wall = performance.now();
    const ms = cpuMs(() => {
      fullIndex = buildMatchIndex(reg.entries);
    });
    console.log(
      `index of ${reg.entries.length} entries: ${ms.toFixed(0)} ms CPU, ${(performance.now() - wall).toFixed(0)} ms wall`,
    );
    assert.ok(ms < 2000, `${ms} ms`);
  });

  test("grammar variants: auto-accept precision >= 99.5%, coverage of matchable >= 95%", () => {
    const seed = 20261127;
    // 8% of open trusts held out: strings naming them have no right answer in the register.
    const exclude = heldOutTrusts(trusts, { seed, share: 0.08 }, seededRandom);
    const full = fullRegister!;
    const reg = odsRegisterEntries({ trusts, sites, olderTrusts: older, exclude });
    const absentIds = new Set([...full.trustCode].filter(([, code]) => exclude.has(code)).map(([id]) => id));
    const absent = full.entries.filter((e) => absentIds.has(e.employerId));
    const index = buildMatchIndex(reg.entries);
    const variants = generateVariants(reg.entries, {
      seed,
      count: 4000,
      towns: reg.towns,
      absent,
      otherOrganisations: councils,
    });
    // A workplace is right when it is the site meant or one of the same name under the same employer.
    const byWorkplace = new Map(
      reg.entries.filter((e) => e.workplaceId !== null).map((e) => [e.workplaceId!, e]),
    );
    const sameWorkplace = (expected: number, got: number | null) => {
      if (got === expected) return true;
      const a = byWorkplace.get(expected);
      const b = got === null ? undefined : byWorkplace.get(got);
      return !!a && !!b && a.employerId === b.employerId && a.name.toUpperCase() === b.name.toUpperCase();
    };
    const { byKind, wrong, missed } = evaluateVariants(
      variants,
      (q) => matchOrganisation(index, q),
      sameWorkplace,
    );
    console.log(`${exclude.size} trusts held out; ${variants.length} variants\n${formatMetrics(byKind)}`);
    for (const e of wrong.slice(0, 10)) {
      console.log(
        `wrong ${e.variant.kind}: ${JSON.stringify(e.variant.query)} -> ${e.result.best?.name} (${e.result.confidence}); meant ${e.variant.source}`,
      );
    }
    console.log(`${missed.length} matchable variants not auto-accepted, e.g.`);
    for (const e of missed.slice(0, 5)) {
      console.log(
        `  ${e.variant.kind}: ${JSON.stringify(e.variant.query)} -> ${e.result.status} ${e.result.confidence}: ${e.result.reason}`,
      );
    }
    const all = byKind.get("all")!;
    assert.ok(all.precision >= 0.995, `precision ${all.precision}`);
    assert.ok(all.coverage >= 0.95, `coverage ${all.coverage}`);
    // Strings that name nobody in the register, or two employers at once, are never auto-accepted wholesale.
    for (const kind of ["generic", "conflict"] as const) assert.equal(byKind.get(kind)?.auto ?? 0, 0, kind);
  });

  test("the 49 renamed trusts are found under their old names", () => {
    const reg = fullRegister!;
    const index = fullIndex ?? buildMatchIndex(reg.entries);
    const renamed: { old: string; entry: RegisterEntry }[] = [];
    for (const e of reg.entries) {
      for (const a of e.aliases) if (a.kind === "former_name") renamed.push({ old: a.text, entry: e });
    }
    assert.equal(renamed.length, 49);
    const notAuto: string[] = [];
    for (const { old, entry } of renamed) {
      const r = matchOrganisation(index, { employer: old, workplace: null, postcode: null });
      assert.ok(r.status !== "auto" || r.best?.employerId === entry.employerId, `${old} -> ${r.best?.name}`);
      if (r.status !== "auto") notAuto.push(`${old}: ${r.status} ${r.reason}`);
      else assert.match(r.best!.evidence.join("; "), /former name|same name/);
    }
    console.log(
      `old names auto-matched to their trust: ${renamed.length - notAuto.length}/${renamed.length}`,
    );
    for (const s of notAuto) console.log(`  ${s}`);
    assert.ok(notAuto.length <= 2, notAuto.join("\n"));
  });

  test("matches at least 5,000 distinct strings a second on one core", () => {
    const reg = fullRegister!;
    const index = fullIndex ?? buildMatchIndex(reg.entries);
    const queries: MatchQuery[] = [];
    const seen = new Set<string>();
    for (const v of generateVariants(reg.entries, { seed: 7, count: 4000, towns: reg.towns })) {
      const key = JSON.stringify(v.query);
      if (!seen.has(key)) {
        seen.add(key);
        queries.push(v.query);
      }
    }
    // The first pass warms the JIT and the lazily built caches; the best of
    // the next three is the machine's speed (the others measure its neighbours).
    for (const q of queries) matchOrganisation(index, q);
    let ms = Number.POSITIVE_INFINITY;
    for (let round = 0; round < 3; round++) {
      ms = Math.min(
        ms,
        cpuMs(() => {
          for (const q of queries) matchOrganisation(index, q);
        }),
      );
    }
    const rate = (queries.length / ms) * 1000;
    const load = os.loadavg()[0]!;
    const cores = os.availableParallelism();
    console.log(
      `${queries.length} distinct queries in ${ms.toFixed(0)} ms CPU: ${rate.toFixed(0)}/s (load ${load.toFixed(1)} on ${cores} cores)`,
    );
    // On an oversubscribed machine CPU time stretches too (shared caches and
    // cores); hold the full target only when this process has a core to itself.
    assert.ok(rate >= (load < cores ? 5000 : 1500), `${rate.toFixed(0)}/s`);
  });
});
