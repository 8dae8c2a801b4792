import { parentPort, workerData } from "node:worker_threads";

/** Closed-loop load: `concurrency` clients, each sending its next request when the last one answers. */
const { url, cookie, concurrency, requests, warmup } = workerData;

async function one() {
  const t = performance.now();
  const res = await fetch(url, { headers: { cookie } });
  if (!res.ok) throw new Error(`${res.status} ${await res.text()}`);
  await res.arrayBuffer();
  return performance.now() - t;
}

for (let i = 0; i < warmup; i++) await one();
const latencies = [];
let issued = 0;
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (issued < requests) {
      issued++;
      latencies.push(await one());
    }
  }),
);
parentPort?.postMessage(latencies);
