/**
 * `npm run bench -- NAME [options]`: runs one benchmark and writes
 * bench/results/NAME.json. Figures go into docs/benchmarks.md by hand, with
 * the machine and the date.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const BENCHMARKS: Record<string, () => Promise<{ run(args: string[]): Promise<Record<string, unknown>> }>> = {
  summary: () => import("./summary.js"),
  import: () => import("./import.js"),
  duplicates: () => import("./duplicates.js"),
  notices: () => import("./notices.js"),
  matching: () => import("./matching.js"),
  freeze: () => import("./freeze.js"),
  forecast: () => import("./forecast.js"),
  canvass: () => import("./canvass.js"),
  turnout: () => import("./turnout.js"),
  comms: () => import("./comms.js"),
  board: () => import("./board.js"),
  action: () => import("./action.js"),
};

const [name, ...args] = process.argv.slice(2);
if (!name || !BENCHMARKS[name]) {
  console.error(`usage: npm run bench -- <${Object.keys(BENCHMARKS).join("|")}> [options]`);
  process.exit(2);
}
const bench = await BENCHMARKS[name]();
const figures = await bench.run(args);
const result = {
  benchmark: name,
  date: new Date().toISOString(),
  machine: {
    cpu: os.cpus()[0]?.model ?? "unknown",
    cores: os.cpus().length,
    memory_gb: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
  },
  ...figures,
};
const out = path.resolve(import.meta.dirname, "results", `${name}.json`);
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
console.log(JSON.stringify(result, null, 2));
console.log(`wrote ${path.relative(process.cwd(), out)}`);
