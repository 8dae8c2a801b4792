import { isUtf8 } from "node:buffer";
import { createReadStream } from "node:fs";

/**
 * Delimited text, streamed. We parse it ourselves rather than with csv-parse:
 * measured with csv-parse 7.0.3, (1) a CRLF inside a quoted field is counted
 * as two lines, so every line number after a multi-line address is off by
 * one; (2) once it has seen CRLF it does not split records on a bare LF, so a
 * file concatenated from two exports merges rows; (3) an unclosed quote
 * swallows the rest of the file into one field and only throws at the end.
 * Line numbers are what a person uses to find a row, and one stray quote
 * must not lose a million members, so this parser counts lines exactly,
 * accepts any line ending, and gives up on a quote that runs on too long.
 */

export type TextEncoding = "utf-8" | "utf-16le" | "utf-16be" | "windows-1252";

const CHUNK = 256 * 1024;

/** Bytes 0x80-0x9F in Windows-1252 (Node's TextDecoder maps these as Latin-1 control characters, not € ‘ ’ “ ”). */
const CP1252_HIGH =
  "\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f" +
  "\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178";

export function decodeWindows1252(bytes: Buffer): string {
  return bytes.toString("latin1").replace(/[\x80-\x9f]/g, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80]!);
}

/** Where the last, possibly incomplete, UTF-8 sequence of `b` starts (b.length when it ends on a boundary). */
function completeUpTo(b: Buffer): number {
  for (let back = 1; back <= 3 && back <= b.length; back++) {
    const byte = b[b.length - back]!;
    if (byte < 0x80) return b.length;
    if (byte >= 0xc0) {
      const need = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : 2;
      return need > back ? b.length - back : b.length;
    }
  }
  return b.length;
}

/**
 * The file's encoding: a byte-order mark says; otherwise UTF-8 if every byte
 * sequence in the whole file is valid UTF-8, else Windows-1252 (what Excel on
 * Windows writes as "CSV"). The whole file is checked because a name with an
 * accent may first appear at row 900,000; isUtf8 runs at gigabytes a second.
 */
export async function sniffEncoding(path: string): Promise<{ encoding: TextEncoding; bomLength: number }> {
  let carry = Buffer.alloc(0);
  let first = true;
  for await (const chunk of createReadStream(path, { highWaterMark: CHUNK })) {
    let b = chunk as Buffer;
    if (first) {
      first = false;
      if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return { encoding: "utf-8", bomLength: 3 };
      if (b[0] === 0xff && b[1] === 0xfe) return { encoding: "utf-16le", bomLength: 2 };
      if (b[0] === 0xfe && b[1] === 0xff) return { encoding: "utf-16be", bomLength: 2 };
    }
    if (carry.length) b = Buffer.concat([carry, b]);
    const end = completeUpTo(b);
    if (!isUtf8(b.subarray(0, end))) return { encoding: "windows-1252", bomLength: 0 };
    carry = Buffer.from(b.subarray(end));
  }
  return { encoding: carry.length ? "windows-1252" : "utf-8", bomLength: 0 };
}

/** The file as text chunks in `encoding`, without its byte-order mark. */
export async function* decodeFile(
  path: string,
  encoding: TextEncoding,
  bomLength: number,
): AsyncGenerator<string> {
  const stream = createReadStream(path, { highWaterMark: CHUNK, start: bomLength });
  try {
    if (encoding === "windows-1252") {
      for await (const chunk of stream) yield decodeWindows1252(chunk as Buffer);
      return;
    }
    // Invalid bytes after a BOM become U+FFFD; the row builder warns about them.
    const decoder = new TextDecoder(encoding, { ignoreBOM: true });
    for await (const chunk of stream) yield decoder.decode(chunk as Buffer, { stream: true });
    const rest = decoder.decode();
    if (rest) yield rest;
  } finally {
    stream.destroy();
  }
}

/** The delimiter used most outside quotes in the first lines: comma, semicolon (European Excel), tab or pipe. */
export function sniffDelimiter(sample: string): string {
  const candidates = [",", ";", "\t", "|"];
  const counts = new Map(candidates.map((c) => [c, 0]));
  let inQuotes = false;
  let lines = 0;
  for (let i = 0; i < sample.length && lines < 30; i++) {
    const ch = sample[i]!;
    if (ch === '"') inQuotes = !inQuotes;
    else if (!inQuotes && (ch === "\n" || ch === "\r")) lines++;
    else if (!inQuotes && counts.has(ch)) counts.set(ch, counts.get(ch)! + 1);
  }
  let best = ",";
  for (const c of candidates) if (counts.get(c)! > counts.get(best)!) best = c;
  return best;
}

export interface CsvRecord {
  fields: string[];
  /** 1-based physical line where the record starts. */
  line: number;
  /** An opening quote was never closed (within the limits below) and was read as a literal character. */
  unclosedQuote: boolean;
}

/** A quoted field may hold line breaks (multi-line addresses) but not more than this: beyond it, the quote was a slip. */
const MAX_QUOTED_LINES = 50;
/** The longest field a member file may hold; a longer one refuses the file (no name or address is this long). */
export const MAX_FIELD_CHARS = 10_000;

/** A field longer than MAX_FIELD_CHARS, at the record starting on `line`. */
export class FieldTooLongError extends Error {
  constructor(readonly line: number) {
    super(`a field is longer than ${MAX_FIELD_CHARS.toLocaleString("en-GB")} characters`);
    this.name = "FieldTooLongError";
  }
}

/** The longest record (all its fields) read before giving up on finding its end. */
const MAX_RECORD_CHARS = 1024 * 1024;

function checkLengths(fields: string[], line: number): void {
  for (const f of fields) if (f.length > MAX_FIELD_CHARS) throw new FieldTooLongError(line);
}

interface Parsed {
  fields: string[];
  end: number;
  lineBreaks: number;
  unclosedQuote: boolean;
}

const LF = 10;
const CR = 13;
const QUOTE = 34;
const SPACE = 32;
const TAB = 9;

/**
 * One record from `buf` at `start`; null when the buffer ends before the
 * record does and more text may come (`final` false).
 */
function parseRecord(
  buf: string,
  start: number,
  final: boolean,
  delim: number,
  literalQuotes: boolean,
): Parsed | null {
  const fields: string[] = [];
  let i = start;
  let lineBreaks = 0;
  const n = buf.length;
  for (;;) {
    // Field start: a quote, possibly after spaces ("a, "b, c"" is common in hand-edited files).
    let j = i;
    while (j < n && (buf.charCodeAt(j) === SPACE || (buf.charCodeAt(j) === TAB && delim !== TAB))) j++;
    if (!literalQuotes && j < n && buf.charCodeAt(j) === QUOTE) {
      let value = "";
      let k = j + 1;
      let closed = false;
      let breaks = 0;
      for (;;) {
        const q = buf.indexOf('"', k);
        const segmentEnd = q < 0 ? n : q;
        let slip = false;
        for (let p = k; p < segmentEnd; p++) {
          const c = buf.charCodeAt(p);
          if (c === LF || (c === CR && buf.charCodeAt(p + 1) !== LF)) breaks++;
          // Many lines first: a stray quote, read as text. Many characters first: a field no
          // member file has (a 10 MB quoted "address"), refused rather than guessed at.
          if (breaks > MAX_QUOTED_LINES) {
            slip = true;
            break;
          }
          if (p - j > MAX_FIELD_CHARS) throw new FieldTooLongError(0);
        }
        if (slip) break;
        if (q < 0) {
          if (!final) return null;
          break;
        }
        value += buf.slice(k, q);
        if (q + 1 >= n && !final) return null; // cannot tell "" from a closing quote yet
        if (buf.charCodeAt(q + 1) === QUOTE) {
          value += '"';
          k = q + 2;
          continue;
        }
        closed = true;
        k = q + 1;
        break;
      }
      if (!closed) {
        const again = parseRecord(buf, start, final, delim, true);
        return again && { ...again, unclosedQuote: true };
      }
      lineBreaks += breaks;
      // Text after the closing quote ("Smith" Jr) is kept, as typed, rather than lost.
      let after = k;
      while (after < n) {
        const c = buf.charCodeAt(after);
        if (c === delim || c === LF || c === CR) break;
        after++;
      }
      if (after >= n && !final) return null;
      const tail = buf.slice(k, after).trimEnd();
      fields.push(tail ? `${value}${tail}` : value);
      i = after;
    } else {
      let k = i;
      while (k < n) {
        const c = buf.charCodeAt(k);
        if (c === delim || c === LF || c === CR) break;
        k++;
      }
      if (k >= n && !final) return null;
      fields.push(buf.slice(i, k));
      i = k;
    }
    if (i >= n) return { fields, end: n, lineBreaks, unclosedQuote: false };
    const c = buf.charCodeAt(i);
    if (c === delim) {
      i++;
      continue;
    }
    // End of line: CRLF, LF or a lone CR all end a record.
    if (c === CR) {
      if (i + 1 >= n && !final) return null;
      i += buf.charCodeAt(i + 1) === LF ? 2 : 1;
    } else i++;
    return { fields, end: i, lineBreaks, unclosedQuote: false };
  }
}

/**
 * A line whose quoted fields all close on the same line, split by the same
 * rules as parseRecord; null when a field does anything else (runs onto the
 * next line, has text after its closing quote), leaving it to parseRecord.
 * Addresses with commas make a quoted field on most lines of a real export,
 * and indexOf finds delimiters far faster than a loop over characters.
 */
function splitQuotedLine(line: string, delim: number, delimText: string): string[] | null {
  const fields: string[] = [];
  const n = line.length;
  let i = 0;
  for (;;) {
    let j = i;
    while (j < n && (line.charCodeAt(j) === SPACE || (line.charCodeAt(j) === TAB && delim !== TAB))) j++;
    if (j < n && line.charCodeAt(j) === QUOTE) {
      let k = j + 1;
      let value = "";
      for (;;) {
        const q = line.indexOf('"', k);
        if (q < 0) return null;
        value += line.slice(k, q);
        if (line.charCodeAt(q + 1) === QUOTE) {
          value += '"';
          k = q + 2;
          continue;
        }
        k = q + 1;
        break;
      }
      while (k < n && (line.charCodeAt(k) === SPACE || (line.charCodeAt(k) === TAB && delim !== TAB))) k++;
      if (k < n && line.charCodeAt(k) !== delim) return null;
      fields.push(value);
      if (k >= n) return fields;
      i = k + 1;
    } else {
      const d = line.indexOf(delimText, i);
      if (d < 0) {
        fields.push(line.slice(i));
        return fields;
      }
      fields.push(line.slice(i, d));
      i = d + 1;
    }
  }
}

/**
 * Records of a delimited text stream, each with the line it starts on, in
 * batches (one per chunk of text): handing records over one at a time costs
 * a promise each, which at millions of rows is a measurable share of the
 * import. Blank lines come through as [""].
 */
export async function* parseDelimited(
  chunks: AsyncIterable<string>,
  delimiter?: string,
): AsyncGenerator<CsvRecord[]> {
  let buf = "";
  let pos = 0;
  let line = 1;
  let delim = delimiter ? delimiter.charCodeAt(0) : -1;
  // Where the next LF, CR and quote are in `buf` (Infinity: none). Most lines
  // hold no quote at all, and for those String.split is many times faster
  // than walking characters; the positions are remembered so finding them
  // stays linear however long the buffer.
  let nextLf = -1;
  let nextCr = -1;
  let nextQuote = -1;
  const find = (ch: string, from: number): number => {
    const i = buf.indexOf(ch, from);
    return i < 0 ? Number.POSITIVE_INFINITY : i;
  };
  const drain = (final: boolean): CsvRecord[] => {
    const batch: CsvRecord[] = [];
    const delimText = String.fromCharCode(delim);
    while (pos < buf.length) {
      if (nextLf < pos) nextLf = find("\n", pos);
      if (nextCr < pos) nextCr = find("\r", pos);
      if (nextQuote < pos) nextQuote = find('"', pos);
      const eol = Math.min(nextLf, nextCr);
      if (eol !== Number.POSITIVE_INFINITY || final) {
        const end = eol === Number.POSITIVE_INFINITY ? buf.length : eol;
        // A CR at the very end may be the first half of a CRLF still to come.
        if (end === buf.length - 1 && buf.charCodeAt(end) === CR && !final) break;
        const text = buf.slice(pos, end);
        const fields = nextQuote > end ? text.split(delimText) : splitQuotedLine(text, delim, delimText);
        if (fields) {
          checkLengths(fields, line);
          batch.push({ fields, line, unclosedQuote: false });
          line += 1;
          pos =
            end >= buf.length
              ? end
              : end + (buf.charCodeAt(end) === CR && buf.charCodeAt(end + 1) === LF ? 2 : 1);
          continue;
        }
      }
      let parsed: Parsed | null;
      try {
        parsed = parseRecord(buf, pos, final, delim, false);
      } catch (e) {
        throw e instanceof FieldTooLongError ? new FieldTooLongError(line) : e;
      }
      if (!parsed) break;
      checkLengths(parsed.fields, line);
      batch.push({ fields: parsed.fields, line, unclosedQuote: parsed.unclosedQuote });
      line += 1 + parsed.lineBreaks;
      pos = parsed.end;
    }
    return batch;
  };
  for await (const chunk of chunks) {
    buf = pos < buf.length ? buf.slice(pos) + chunk : chunk;
    pos = 0;
    nextLf = nextCr = nextQuote = -1;
    if (delim < 0) {
      if (buf.length < 64 * 1024) continue; // sniff from a good sample, not the first few bytes
      delim = sniffDelimiter(buf).charCodeAt(0);
    }
    const batch = drain(false);
    if (batch.length) yield batch;
    // A record still open after this much text is no record of a member file: stop before it eats memory.
    if (buf.length - pos > MAX_RECORD_CHARS) throw new FieldTooLongError(line);
  }
  if (delim < 0) delim = sniffDelimiter(buf).charCodeAt(0);
  const batch = drain(true);
  if (batch.length) yield batch;
}
