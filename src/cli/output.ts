import cliProgress from "cli-progress";
import { AppError, ERROR_CODES } from "../shared/errors.js";

/** How a command talks: a table or lines for people, one JSON document with --json. */
export interface Output {
  json: boolean;
  result(value: unknown, human: () => string): void;
  progress(label: string, total: number): { update(done: number): void; stop(): void };
  info(line: string): void;
}

/** Where a command writes: the process's own streams, or a test's buffers. */
export interface CliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown; isTTY?: boolean };
}

export function makeOutput(json: boolean, io: CliIo = process): Output {
  return {
    json,
    result(value, human) {
      io.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : `${human()}\n`);
    },
    progress(label, total) {
      // Progress bars only on a terminal, never in JSON mode or when piped.
      if (json || !io.stderr.isTTY) return { update() {}, stop() {} };
      const bar = new cliProgress.SingleBar(
        {
          format: `${label} [{bar}] {percentage}% {value}/{total} ETA {eta}s`,
          stream: io.stderr as NodeJS.WritableStream,
          hideCursor: true,
        },
        cliProgress.Presets.shades_classic,
      );
      bar.start(total, 0);
      return { update: (done) => bar.update(done), stop: () => bar.stop() };
    },
    info(line) {
      if (!json) io.stderr.write(`${line}\n`);
    },
  };
}

/** Exit codes: 1 for a refused or failed operation, 2 for a wrong command line. */
export function reportFailure(e: unknown, json: boolean, io: CliIo = process): number {
  const code = e instanceof AppError ? e.code : "internal.error";
  const message = e instanceof Error ? e.message : String(e);
  const details = e instanceof AppError ? e.details : undefined;
  if (json) io.stdout.write(`${JSON.stringify({ error: { code, message, details } }, null, 2)}\n`);
  else io.stderr.write(`mandate: ${message}${code !== "internal.error" ? ` (${code})` : ""}\n`);
  return code === "cli.usage" ? 2 : ERROR_CODES[code].status >= 500 ? 1 : 1;
}

export function table(rows: Record<string, unknown>[]): string {
  if (!rows.length) return "(none)";
  const keys = Object.keys(rows[0]!);
  const widths = keys.map((k) => Math.max(k.length, ...rows.map((r) => String(r[k] ?? "").length)));
  const line = (vals: string[]) =>
    vals
      .map((v, i) => v.padEnd(widths[i]!))
      .join("  ")
      .trimEnd();
  return [
    line(keys),
    line(widths.map((w) => "-".repeat(w))),
    ...rows.map((r) => line(keys.map((k) => String(r[k] ?? "")))),
  ].join("\n");
}
