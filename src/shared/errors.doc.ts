import { ERROR_CODES } from "./errors.js";

export function renderErrorsDoc(): string {
  const lines = [
    "# Error codes",
    "",
    "Generated from `src/shared/errors.ts` by `npm run docs`; a test fails when this page is stale.",
    "",
    'The API answers every failure with `{ "error": { "code", "message", "details" } }`; the command line',
    "prints the message (and the code) on stderr, or the same JSON on stdout with `--json`, and exits non-zero",
    "(2 for a wrong command line, 1 otherwise).",
    "",
    "| code | HTTP status | meaning |",
    "| --- | --- | --- |",
  ];
  for (const [code, e] of Object.entries(ERROR_CODES))
    lines.push(`| \`${code}\` | ${e.status} | ${e.description} |`);
  return `${lines.join("\n")}\n`;
}
