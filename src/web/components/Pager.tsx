import type { ReactNode } from "react";
import { formatNumber } from "../format.js";

interface PagerProps {
  page: number;
  pageSize: number;
  total: number;
  /** What is counted, plural: "members". */
  noun: string;
  onPage: (page: number) => void;
  busy?: boolean;
  /** A second pager under a long table: labelled apart, and silent (the top one announces changes). */
  bottom?: boolean;
}

export function Pager({ page, pageSize, total, noun, onPage, busy = false, bottom = false }: PagerProps) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const first = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const last = Math.min(total, page * pageSize);
  return (
    <nav
      className={bottom ? "pager pager-bottom" : "pager"}
      aria-label={bottom ? `Pages of ${noun}, below the list` : `Pages of ${noun}`}
    >
      <p className="pager-status" aria-live={bottom ? undefined : "polite"}>
        {total === 0
          ? `No ${noun}`
          : `${formatNumber(first)}–${formatNumber(last)} of ${formatNumber(total)} ${noun} (page ${formatNumber(page)} of ${formatNumber(pages)})`}
      </p>
      <div className="pager-buttons">
        <button
          type="button"
          className="button button-secondary"
          disabled={page <= 1 || busy}
          onClick={() => onPage(page - 1)}
        >
          ← Previous
        </button>
        <button
          type="button"
          className="button button-secondary"
          disabled={page >= pages || busy}
          onClick={() => onPage(page + 1)}
        >
          Next →
        </button>
      </div>
    </nav>
  );
}

interface PagedListProps {
  result: { page: number; pageSize: number; total: number; items: readonly unknown[] };
  noun: string;
  onPage: (page: number) => void;
  busy?: boolean;
  /** A page longer than this gets the pager again below it, so nobody scrolls back up to turn it. */
  repeatBelow?: number;
  children: ReactNode;
}

/** A page of a list between its pagers: above always, below too when the page is long. */
export function PagedList({
  result,
  noun,
  onPage,
  busy = false,
  repeatBelow = 10,
  children,
}: PagedListProps) {
  const pager = { page: result.page, pageSize: result.pageSize, total: result.total, noun, onPage, busy };
  return (
    <>
      <Pager {...pager} />
      {children}
      {result.items.length > repeatBelow ? <Pager {...pager} bottom /> : null}
    </>
  );
}
