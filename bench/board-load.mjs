import { parentPort, workerData } from "node:worker_threads";

/**
 * Load for the board benchmark, in two phases.
 * 1. Viewers, as the web page behaves: each of `viewers` clients loads the board once (starting spread over
 *    the first refresh interval), then asks again every `intervalMs` with If-None-Match, for `seconds`.
 * 2. Saturation, closed loop: `viewers` clients each send their next request as soon as the last one
 *    answers, with no think time and no entity tag (every answer is the full board), `requests` in all.
 */
const { cookie, url, viewers, intervalMs, seconds, requests } = workerData;

async function get(tag) {
  const t = performance.now();
  const res = await fetch(url, { headers: tag ? { cookie, "if-none-match": tag } : { cookie } });
  if (res.status === 304) {
    await res.arrayBuffer();
    return { ms: performance.now() - t, notModified: true, tag };
  }
  if (!res.ok) throw new Error(`${res.status} ${await res.text()}`);
  await res.arrayBuffer();
  return { ms: performance.now() - t, notModified: false, tag: res.headers.get("etag") };
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Phase 1: viewers.
const viewerLatencies = [];
let viewerNotModified = 0;
const viewStart = performance.now();
const end = viewStart + seconds * 1000;
await Promise.all(
  Array.from({ length: viewers }, async (_, i) => {
    await sleep((i / viewers) * intervalMs);
    let tag = null;
    while (performance.now() < end) {
      const r = await get(tag);
      viewerLatencies.push(r.ms);
      if (r.notModified) viewerNotModified++;
      tag = r.tag;
      await sleep(intervalMs);
    }
  }),
);
const viewerSeconds = (performance.now() - viewStart) / 1000;

// Phase 2: saturation.
const saturationLatencies = [];
let issued = 0;
const satStart = performance.now();
await Promise.all(
  Array.from({ length: viewers }, async () => {
    while (issued < requests) {
      issued++;
      saturationLatencies.push((await get(null)).ms);
    }
  }),
);
parentPort?.postMessage({
  viewerLatencies,
  viewerNotModified,
  viewerSeconds,
  saturationLatencies,
  saturationSeconds: (performance.now() - satStart) / 1000,
});
