import { type ReactNode, useId } from "react";

/**
 * A chart in its card: the title as the figure's caption, with a line on what
 * it counts, or a plain message instead of an empty chart.
 */
export function ChartCard({
  title,
  description,
  empty,
  children,
}: {
  title: string;
  description?: string | undefined;
  /** Said instead of the chart when there is nothing to draw. */
  empty: string | null;
  children: ReactNode;
}) {
  const id = useId();
  return (
    <figure className="card chart-card" aria-labelledby={`${id}-title`}>
      <figcaption>
        <h3 id={`${id}-title`} className="card-title">
          {title}
        </h3>
        {description ? <p className="muted small">{description}</p> : null}
      </figcaption>
      {empty !== null ? <p className="empty">{empty}</p> : children}
    </figure>
  );
}

/** The head of a column of bars: screen readers hear it named, and the numbers beside the bars. */
export function BarColumnHeader() {
  return (
    <th scope="col" className="bar-col">
      <span className="visually-hidden">Bar</span>
    </th>
  );
}

/** A count drawn as a bar, as long against the table's largest count as the count is. */
export function BarCell({ count, max, muted = false }: { count: number; max: number; muted?: boolean }) {
  return (
    <td className="bar-col" aria-hidden="true">
      <span
        className={muted ? "inline-bar inline-bar-muted" : "inline-bar"}
        style={{ width: `${Math.round((count / max) * 100)}%` }}
      />
    </td>
  );
}
