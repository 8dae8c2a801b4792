/**
 * What a file is, from its first bytes and never from its name (decisions/0029): a name can say
 * ".pdf" of anything. Pure: no I/O.
 */

export const MATERIAL_TYPES = {
  "application/pdf": { extension: "pdf", label: "PDF" },
  "image/png": { extension: "png", label: "PNG image" },
  "image/jpeg": { extension: "jpg", label: "JPEG image" },
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document": {
    extension: "docx",
    label: "Word document",
  },
  "application/vnd.openxmlformats-officedocument.presentationml.presentation": {
    extension: "pptx",
    label: "PowerPoint presentation",
  },
} as const;
export type MaterialContentType = keyof typeof MATERIAL_TYPES;

const startsWith = (b: Buffer, sig: readonly number[], at = 0) =>
  b.length >= at + sig.length && sig.every((x, i) => b[at + i] === x);

/** ZIP local file header "PK\x03\x04". */
const ZIP = [0x50, 0x4b, 0x03, 0x04];

/**
 * The names of a ZIP file's entries, read from its central directory (found through the end record
 * at the end of the file), never by expanding anything. Null when the file is not a readable ZIP.
 */
export function zipEntryNames(b: Buffer, max = 10_000): string[] | null {
  // The end-of-central-directory record is in the last 22 + 65,535 bytes (its comment is at most 64 KB).
  const from = Math.max(0, b.length - 22 - 0xffff);
  let eocd = -1;
  for (let i = b.length - 22; i >= from; i--) {
    if (b.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return null;
  const entries = b.readUInt16LE(eocd + 10);
  let at = b.readUInt32LE(eocd + 16);
  const names: string[] = [];
  for (let n = 0; n < Math.min(entries, max); n++) {
    if (at + 46 > b.length || b.readUInt32LE(at) !== 0x02014b50) return null;
    const nameLength = b.readUInt16LE(at + 28);
    const extraLength = b.readUInt16LE(at + 30);
    const commentLength = b.readUInt16LE(at + 32);
    if (at + 46 + nameLength > b.length) return null;
    names.push(b.toString("utf8", at + 46, at + 46 + nameLength));
    at += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}

/** The type of a file the library takes, or null: anything else is refused. */
export function detectMaterialType(b: Buffer): MaterialContentType | null {
  // A PDF may have a few bytes before its header; readers accept it within the first 1,024.
  if (b.subarray(0, 1024).includes("%PDF-")) return "application/pdf";
  if (startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "image/png";
  if (startsWith(b, [0xff, 0xd8, 0xff])) return "image/jpeg";
  if (startsWith(b, ZIP)) {
    // Office files are ZIPs: which one is told by the parts listed inside.
    const names = zipEntryNames(b);
    if (!names?.includes("[Content_Types].xml")) return null;
    if (names.includes("word/document.xml"))
      return "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    if (names.includes("ppt/presentation.xml"))
      return "application/vnd.openxmlformats-officedocument.presentationml.presentation";
  }
  return null;
}

/**
 * The name a download is offered under: the uploaded name's stem, kept to safe characters, with the
 * extension of what the file is (a PNG named "leaflet.pdf" is offered as "leaflet.png").
 */
export function downloadName(fileName: string, type: MaterialContentType): string {
  const stem = fileName
    .replace(/\.[A-Za-z0-9]{1,5}$/, "")
    .replace(/[^A-Za-z0-9 ._-]+/g, "-")
    .replace(/\s+/g, "-")
    .replace(/-+/g, "-")
    .replace(/^[-.]+|[-.]+$/g, "")
    .slice(0, 100);
  return `${stem || "material"}.${MATERIAL_TYPES[type].extension}`;
}
