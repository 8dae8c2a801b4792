/**
 * Loads a seeded synthetic list (src/members/duplicates/synthetic.ts) into
 * union 1's members with COPY. Run as its own process by bench/duplicates.ts,
 * so that the generator's memory is not the measured process's:
 * `tsx bench/duplicates-seed.ts DATABASE_URL PEOPLE SEED`.
 */
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { stringify } from "csv-stringify";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { generateSynthetic } from "../src/members/duplicates/synthetic.js";

const [url, people, seed] = process.argv.slice(2);
if (!url || !people || !seed) throw new Error("usage: duplicates-seed.ts DATABASE_URL PEOPLE SEED");
const list = generateSynthetic({ people: Number(people), duplicateRate: 0.03, seed: Number(seed) });
const numbers = new Set<string>();
const client = new pg.Client({ connectionString: url });
await client.connect();
await pipeline(
  Readable.from(
    (function* () {
      for (const r of list.records) {
        if (numbers.has(r.membershipNumber)) continue;
        numbers.add(r.membershipNumber);
        yield [1, r.membershipNumber, r.forenames, r.surname, r.dateOfBirth, r.postcode, r.email, r.mobile];
      }
    })(),
  ),
  stringify(),
  client.query(
    copyFrom(
      "copy members (union_id, membership_number, forenames, surname, date_of_birth, home_postcode, email, mobile) from stdin with (format csv)",
    ),
  ),
);
await client.query("analyze members");
await client.end();
console.error(`loaded ${numbers.size} members (${people} people, seed ${seed})`);
