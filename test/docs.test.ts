import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { GENERATED_DOCS } from "../scripts/generated-docs.js";

for (const [file, render] of Object.entries(GENERATED_DOCS)) {
  test(`${file} is up to date (run npm run docs)`, () => {
    const onDisk = fs.readFileSync(path.resolve(import.meta.dirname, "..", file), "utf8");
    assert.equal(onDisk, render());
  });
}
