import { parentPort, workerData } from "node:worker_threads";

/**
 * Closed-loop load for the turnout benchmark: `readers` clients asking for dashboards and one writer per
 * rep's session logging contacts at the same time, each sending its next request when the last one answers.
 */
const { cookie, dashboards, writerSessions, readers, requests, warmup } = workerData;

let notModified = 0;
async function timed(url, init, tags) {
  const t = performance.now();
  const res = await fetch(url, init);
  if (res.status === 304) {
    notModified++;
    return performance.now() - t;
  }
  if (!res.ok) throw new Error(`${res.status} ${await res.text()}`);
  await res.arrayBuffer();
  const tag = res.headers.get("etag");
  if (tags && tag) tags.set(url, tag);
  return performance.now() - t;
}
/** A reader remembers the tag of each view it holds and asks whether it changed, as the web app does. */
const read = (i, tags) => {
  const url = dashboards[i % dashboards.length];
  const tag = tags.get(url);
  return timed(url, { headers: tag ? { cookie, "if-none-match": tag } : { cookie } }, tags);
};
const write = (session, i) =>
  timed(session.url, {
    method: "POST",
    headers: { cookie: session.cookie, "x-csrf-token": session.csrf, "content-type": "application/json" },
    body: JSON.stringify(session.bodies[i % session.bodies.length]),
  });

for (let i = 0; i < warmup; i++) await read(i, new Map());
const readLatencies = [];
const writeLatencies = [];
let issued = 0;
let done = false;
const start = performance.now();
await Promise.all([
  ...Array.from({ length: readers }, async () => {
    const tags = new Map();
    while (issued < requests) {
      const i = issued++;
      readLatencies.push(await read(i, tags));
    }
    done = true;
  }),
  ...writerSessions.map(async (session) => {
    for (let i = 0; !done; i++) writeLatencies.push(await write(session, i));
  }),
]);
parentPort?.postMessage({
  readLatencies,
  writeLatencies,
  notModified,
  seconds: (performance.now() - start) / 1000,
});
