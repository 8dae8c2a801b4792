/**
 * Text out of a rendered PDF, for tests: what a reader (or an employer's
 * lawyer) would see, read back with pdf.js rather than searched for in the
 * PDF bytes, so a test fails if the text is drawn wrongly, not only if it is
 * missing from the content stream.
 */
import { getDocument, VerbosityLevel } from "pdfjs-dist/legacy/build/pdf.mjs";

/**
 * The text of each page, in drawing order. Text items are joined by one
 * space and runs of white space are collapsed, so a sentence wrapped over
 * lines reads as it was written and `includes` checks do not depend on line
 * breaks.
 */
export async function pdfPageTexts(buffer: Uint8Array): Promise<string[]> {
  // pdf.js takes ownership of (detaches) the array it is given: pass a copy.
  const data = new Uint8Array(buffer);
  const doc = await getDocument({
    data,
    useSystemFonts: false,
    disableFontFace: true,
    verbosity: VerbosityLevel.ERRORS,
  }).promise;
  try {
    const pages: string[] = [];
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n);
      const content = await page.getTextContent();
      const parts: string[] = [];
      for (const item of content.items) if ("str" in item) parts.push(item.str);
      pages.push(parts.join(" ").replace(/\s+/g, " ").trim());
    }
    return pages;
  } finally {
    await doc.destroy();
  }
}

/** The text of the whole document, pages joined by a space (see pdfPageTexts). */
export async function pdfText(buffer: Uint8Array): Promise<string> {
  return (await pdfPageTexts(buffer)).join(" ");
}
