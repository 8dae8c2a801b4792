import { parentPort, workerData } from "node:worker_threads";

/**
 * Load for the day-of-action benchmark, one phase: reports arrive at a fixed rate (open loop: the next
 * is sent on time whether or not the last has answered), each for the next workplace in turn with new
 * figures, while `viewers` clients each poll the board every 5 to 10 seconds with the entity tag of
 * the board they hold.
 */
const { cookie, csrf, boardUrl, reportUrl, day, workplaceIds, viewers, reportsPerSecond, seconds } =
  workerData;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const start = performance.now();
const end = start + seconds * 1000;

const reportLatencies = [];
let reportErrors = 0;
let firstError = null;
const boardLatencies = [];
let boardNotModified = 0;
let boardErrors = 0;
let boardBytes = 0;
let next = Math.floor(Math.random() * workplaceIds.length);

async function report(i) {
  const id = workplaceIds[i % workplaceIds.length];
  const t = performance.now();
  try {
    const res = await fetch(reportUrl, {
      method: "POST",
      headers: { cookie, "x-csrf-token": csrf, "content-type": "application/json" },
      body: JSON.stringify({
        day,
        workplaceId: id,
        outCount: 10 + ((id * 7 + i) % 90),
        atWorkCount: (id + i) % 9,
        exemptCount: (id + i) % 4,
        picketUp: (id + i) % 3 !== 0,
      }),
    });
    const text = await res.text();
    if (res.status !== 201) {
      reportErrors++;
      firstError ??= `${res.status} ${text.slice(0, 300)}`;
    } else reportLatencies.push(performance.now() - t);
  } catch (e) {
    reportErrors++;
    firstError ??= String(e);
  }
}

const inflight = [];
const reporter = (async () => {
  const gap = 1000 / reportsPerSecond;
  let due = performance.now();
  while (due < end) {
    inflight.push(report(next++));
    due += gap;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
  }
})();

const viewing = Array.from({ length: viewers }, async () => {
  let tag = null;
  await sleep(Math.random() * 7500);
  while (performance.now() < end) {
    const t = performance.now();
    try {
      const headers = { cookie, "accept-encoding": "gzip" };
      if (tag) headers["if-none-match"] = tag;
      const res = await fetch(boardUrl, { headers });
      const body = await res.arrayBuffer();
      if (res.status === 304) boardNotModified++;
      else if (res.ok) {
        tag = res.headers.get("etag");
        boardBytes = body.byteLength;
      } else boardErrors++;
      if (res.status === 304 || res.ok) boardLatencies.push(performance.now() - t);
    } catch {
      boardErrors++;
    }
    await sleep(5000 + Math.random() * 5000);
  }
});

await reporter;
await Promise.all([...inflight, ...viewing]);
parentPort?.postMessage({
  reportLatencies,
  reportErrors,
  boardLatencies,
  boardNotModified,
  boardErrors,
  boardBytes,
  firstError,
  seconds: (performance.now() - start) / 1000,
});
