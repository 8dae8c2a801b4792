import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";

/** Folders under src/ that are not domains: infrastructure, composition roots and the web client. */
const NOT_DOMAINS = new Set(["shared", "db", "http", "cli", "web"]);
const SRC = path.resolve(import.meta.dirname, "../src");

test("every domain exposes an index.ts that loads on its own (no import cycle through the barrels)", async () => {
  const domains = fs
    .readdirSync(SRC, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !NOT_DOMAINS.has(d.name))
    .map((d) => d.name);
  assert.ok(domains.length >= 10, `${domains.length} domains`);
  for (const domain of domains) {
    const index = path.join(SRC, domain, "index.ts");
    assert.ok(fs.existsSync(index), `src/${domain}/ has no index.ts`);
    const exported = await import(index);
    assert.ok(Object.keys(exported).length > 0, `src/${domain}/index.ts exports nothing`);
  }
});
