import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { type CsvRecord, decodeWindows1252, parseDelimited, sniffDelimiter } from "./csv.js";

async function* chunked(text: string, size: number): AsyncGenerator<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}

async function parse(text: string, size = 1 << 20, delimiter?: string): Promise<CsvRecord[]> {
  const out: CsvRecord[] = [];
  for await (const batch of parseDelimited(chunked(text, size), delimiter)) out.push(...batch);
  return out;
}

/** A small deterministic generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1_103_515_245 + 12_345) % 2_147_483_648;
    return s / 2_147_483_648;
  };
}

describe("parseDelimited", () => {
  test("round trip: random fields, written as Excel writes them, any chunk size", async () => {
    const rnd = random(42);
    const alphabet = ["a", "b", "Z", " ", ",", '"', "\n", "\r\n", "é", "1", ";"];
    const records: string[][] = [];
    for (let r = 0; r < 300; r++) {
      const fields: string[] = [];
      const count = 1 + Math.floor(rnd() * 6);
      for (let f = 0; f < count; f++) {
        let s = "";
        const len = Math.floor(rnd() * 8);
        for (let k = 0; k < len; k++) s += alphabet[Math.floor(rnd() * alphabet.length)];
        fields.push(s.trim() === "" ? `x${s}x` : s);
      }
      records.push(fields);
    }
    const quote = (f: string) => (/[",\r\n]/.test(f) || /^\s/.test(f) ? `"${f.replace(/"/g, '""')}"` : f);
    const endings = ["\r\n", "\n", "\r"];
    let text = "";
    const lines: number[] = [];
    let line = 1;
    records.forEach((fields, i) => {
      lines.push(line);
      const written = fields.map(quote).join(",");
      text += written + endings[i % 3];
      line += 1 + (fields.join(",").match(/\r\n|\r|\n/g)?.length ?? 0);
    });
    for (const size of [1, 2, 3, 7, 64, 1000, 1 << 20]) {
      const parsed = await parse(text, size, ",");
      assert.deepEqual(
        parsed.map((p) => p.fields),
        records,
        `chunk size ${size}`,
      );
      assert.deepEqual(
        parsed.map((p) => p.line),
        lines,
        `line numbers, chunk size ${size}`,
      );
    }
  });

  test("blank lines come through as one empty field, and are counted", async () => {
    const parsed = await parse("a,b\n\n\r\nc,d", 1 << 20, ",");
    assert.deepEqual(
      parsed.map((p) => [p.line, p.fields]),
      [
        [1, ["a", "b"]],
        [2, [""]],
        [3, [""]],
        [4, ["c", "d"]],
      ],
    );
  });

  test("a quote that runs past 50 lines was a slip: read as text", async () => {
    const text = `a,"b\n${"x,y\n".repeat(60)}`;
    const parsed = await parse(text, 5, ",");
    assert.equal(parsed.length, 61);
    assert.deepEqual(parsed[0], { fields: ["a", '"b'], line: 1, unclosedQuote: true });
    assert.deepEqual(parsed[1], { fields: ["x", "y"], line: 2, unclosedQuote: false });
  });

  test("a quote still open at the end of the file is read as text", async () => {
    const parsed = await parse('a,b\n1,"two\n3,4', 1 << 20, ",");
    assert.deepEqual(
      parsed.map((p) => [p.line, p.fields, p.unclosedQuote]),
      [
        [1, ["a", "b"], false],
        [2, ["1", '"two'], true],
        [3, ["3", "4"], false],
      ],
    );
  });

  test("delimiter sniffing", () => {
    assert.equal(sniffDelimiter("a,b,c\n1,2,3"), ",");
    assert.equal(sniffDelimiter("a;b;c\n1;2,5;3"), ";");
    assert.equal(sniffDelimiter("a\tb\tc\n1\t2\t3"), "\t");
    assert.equal(sniffDelimiter('"a;b",c,d\n1,2,3'), ",");
    assert.equal(sniffDelimiter("a|b|c"), "|");
  });

  test("Windows-1252's 0x80-0x9F are the characters Excel meant", () => {
    assert.equal(decodeWindows1252(Buffer.from([0x80, 0x92, 0x93, 0x94, 0x96, 0xe9])), "€’“”–é");
  });
});
