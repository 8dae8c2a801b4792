import { parentPort, workerData } from "node:worker_threads";

/**
 * Closed-loop load for the turnout benchmark: `readers` clients asking for dashboards and `writers`
 * clients logging outcomes at the same time, each sending its next request when the last one answers.
 */
const { cookie, csrf, dashboards, reports, readers, writers, requests, warmup } = workerData;

async function timed(url, init) {
  const t = performance.now();
  const res = await fetch(url, init);
  if (!res.ok) throw new Error(`${res.status} ${await res.text()}`);
  await res.arrayBuffer();
  return performance.now() - t;
}
const read = (i) => timed(dashboards[i % dashboards.length], { headers: { cookie } });
const write = (i) => {
  const r = reports[i % reports.length];
  return timed(r.url, {
    method: "POST",
    headers: { cookie, "x-csrf-token": csrf, "content-type": "application/json" },
    body: JSON.stringify(r.body),
  });
};

for (let i = 0; i < warmup; i++) await read(i);
const readLatencies = [];
const writeLatencies = [];
let issued = 0;
let written = 0;
let done = false;
const start = performance.now();
await Promise.all([
  ...Array.from({ length: readers }, async () => {
    while (issued < requests) {
      const i = issued++;
      readLatencies.push(await read(i));
    }
    done = true;
  }),
  ...Array.from({ length: writers }, async () => {
    while (!done) {
      const i = written++;
      writeLatencies.push(await write(i));
    }
  }),
]);
parentPort?.postMessage({ readLatencies, writeLatencies, seconds: (performance.now() - start) / 1000 });
