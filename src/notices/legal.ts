/**
 * What a document says about its own legal footing: the citations for its
 * "Legal basis" section and the reasons for its legal-review banner, both
 * gathered from every legal text and rule it uses, in first-use order and
 * without repeats.
 */
import type { DocumentBase, LegalText } from "./documents.model.js";

/**
 * A document is a draft, for the union's staff only, while any rule it relies
 * on needs legal review and no recorded legal sign-off covers it.
 */
export function isDraft(texts: LegalText[], base: DocumentBase): boolean {
  return reviewReasons(texts, base.reviewReasons).length > 0 && !base.legalSignOff;
}

/** A provision a document relies on without printing its text (e.g. the s.228A test of an aggregated ballot). */
export function citationOnly(citation: string): LegalText {
  return { text: "", citation, unconfirmed: null };
}

/** Every reason for legal review: the legal texts' own, then those of rules used upstream. */
export function reviewReasons(texts: LegalText[], upstream: string[] = []): string[] {
  const reasons = [
    ...texts.filter((t) => t.unconfirmed !== null).map((t) => reason(t.unconfirmed!, t.citation)),
    ...upstream.map((r) => reason(r, "")),
  ];
  return [...new Set(reasons)];
}

/** A blank reason still needs review (it must never drop the banner), so it is named by its citation. */
function reason(text: string, citation: string): string {
  const r = text.trim();
  if (r) return r;
  return citation.trim() ? `${citation.trim()}: reason not given` : "reason not given";
}

/** Each citation once; one that any of its texts marks unconfirmed is flagged. */
export function citations(texts: LegalText[]): { citation: string; unconfirmed: boolean }[] {
  const out = new Map<string, boolean>();
  for (const t of texts) {
    const citation = t.citation.trim();
    if (!citation) continue;
    out.set(citation, (out.get(citation) ?? false) || t.unconfirmed !== null);
  }
  return [...out].map(([citation, unconfirmed]) => ({ citation, unconfirmed }));
}
