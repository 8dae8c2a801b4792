import type { ReactNode } from "react";

/**
 * A wide table's sideways-scrolling area. It takes focus, with a name, so a keyboard can scroll it in
 * every browser (WCAG 2.1.1; axe's scrollable-region-focusable) even when the table holds no link.
 */
export function ScrollRegion({ label, children }: { label: string; children: ReactNode }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard (WCAG 2.1.1)
    <section className="table-scroll" tabIndex={0} aria-label={label}>
      {children}
    </section>
  );
}
