/** Regenerates the documentation pages that are derived from code. */
import fs from "node:fs";
import path from "node:path";
import { GENERATED_DOCS } from "./generated-docs.js";

for (const [file, render] of Object.entries(GENERATED_DOCS)) {
  fs.writeFileSync(path.resolve(import.meta.dirname, "..", file), render());
  console.log(`wrote ${file}`);
}
