/**
 * Input checks shared by the renderers. A failed check is a programming
 * error (the figures and dates come pre-computed), so it throws an Error
 * naming the document, and no document with a wrong figure is produced.
 */

/** A function that throws "<document>: <message>". */
export function failer(document: string): (message: string) => never {
  return (message) => {
    throw new Error(`${document}: ${message}`);
  };
}

/** A number of people or papers: a whole number, zero or more. */
export function isCount(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 0;
}
