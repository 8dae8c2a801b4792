/**
 * The comms benchmark's SMTP sink, in a process of its own (so that receiving does not share the
 * sending worker's event loop): accepts every message, keeps each Message-ID and recipient, and tells
 * the parent over IPC how many it has (every 10,000) and, when asked, the repeats and recipients.
 */
import { startSmtpSink } from "../test/helpers/smtp-sink.js";

const ids = new Map<string, number>();
const recipients = new Set<string>();
let count = 0;
const sink = await startSmtpSink({
  headersOnly: true,
  onMessage: (m) => {
    count++;
    const id = m.messageId ?? `none-${count}`;
    ids.set(id, (ids.get(id) ?? 0) + 1);
    for (const to of m.to) recipients.add(to);
    if (count % 10_000 === 0) process.send?.({ kind: "count", count });
  },
});
// The sink keeps only counts here: drop its own list as it grows.
setInterval(() => sink.messages.splice(0), 1000).unref();
process.send?.({ kind: "ready", url: sink.url });
process.on("message", (msg: { kind: string }) => {
  if (msg.kind === "report") {
    let repeated = 0;
    let extra = 0;
    for (const n of ids.values())
      if (n > 1) {
        repeated++;
        extra += n - 1;
      }
    process.send?.({
      kind: "report",
      count,
      distinct: ids.size,
      recipients: recipients.size,
      repeated,
      extra,
    });
  }
  if (msg.kind === "reset") {
    ids.clear();
    recipients.clear();
    count = 0;
    process.send?.({ kind: "reset" });
  }
  if (msg.kind === "stop") void sink.close().then(() => process.exit(0));
});
