import { parentPort, workerData } from "node:worker_threads";

/**
 * Load for the day-of-action benchmark, one phase: reports arrive at a fixed rate (open loop: the next
 * is sent on time whether or not the last has answered), each for the next workplace in turn with new
 * figures, while `viewers` clients each poll the board every 5 to 10 seconds for what changed since
 * the version they hold.
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
let boardErrors = 0;
let boardBytes = 0;
const changeBytes = [];
/** A viewer's first load (the whole board), apart from its polls for changes. */
const firstLatencies = [];
const pollLatencies = [];
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
  // As the web client does: the whole board once, then only what changed since the version held.
  let version = null;
  await sleep(Math.random() * 7500);
  while (performance.now() < end) {
    const t = performance.now();
    try {
      const url = version ? `${boardUrl}?since=${encodeURIComponent(version)}` : boardUrl;
      const res = await fetch(url, { headers: { cookie, "accept-encoding": "gzip" } });
      const body = await res.arrayBuffer();
      if (res.ok) {
        if (version) {
          changeBytes.push(body.byteLength);
          pollLatencies.push(performance.now() - t);
        } else {
          boardBytes = body.byteLength;
          firstLatencies.push(performance.now() - t);
        }
        version = res.headers.get("x-board-version");
        boardLatencies.push(performance.now() - t);
      } else boardErrors++;
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
  boardErrors,
  boardBytes,
  changeBytes,
  firstLatencies,
  pollLatencies,
  firstError,
  seconds: (performance.now() - start) / 1000,
});
