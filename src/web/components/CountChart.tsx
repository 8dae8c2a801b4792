import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatNumber } from "../format.js";
import { ChartCard } from "./ChartCard.js";

export interface CountRow {
  id: number | null;
  name: string;
  count: number;
  active: number;
}

const COLOR_ALL = "#6b7a90";
const COLOR_ACTIVE = "#1d4f91";

function shorten(label: string, max = 22): string {
  return label.length > max ? `${label.slice(0, max - 1)}…` : label;
}

/**
 * Horizontal bars of all and active members per row (region, sector...), with
 * the same numbers as a table for screen readers and for copying.
 */
export function CountChart({
  title,
  rows,
  description,
}: {
  title: string;
  rows: readonly CountRow[];
  description?: string;
}) {
  const data = rows.map((r) => ({ name: r.name, count: r.count, active: r.active }));
  const height = Math.max(160, data.length * 46 + 70);
  const only = data.length === 1 ? data[0]! : null;
  if (only) {
    // One bar compares nothing (a rep's one region, a regional officer's one sector): say the figure.
    return (
      <ChartCard title={title} description={description} empty={null}>
        <p className="chart-single" data-testid="chart-single">
          <strong>{only.name}</strong>
          <span>
            {formatNumber(only.count)} {only.count === 1 ? "member" : "members"}, {formatNumber(only.active)}{" "}
            active
          </span>
        </p>
      </ChartCard>
    );
  }
  return (
    <ChartCard
      title={title}
      description={description}
      empty={data.length === 0 ? "No members to show." : null}
    >
      <div className="chart" aria-hidden="true" style={{ height }}>
        <ResponsiveContainer width="100%" height="100%">
          <BarChart
            accessibilityLayer={false}
            data={data}
            layout="vertical"
            margin={{ top: 4, right: 16, bottom: 4, left: 4 }}
            barGap={2}
          >
            <CartesianGrid horizontal={false} stroke="#d5dae1" />
            <XAxis
              type="number"
              tickFormatter={(v: number) => formatNumber(v)}
              stroke="#4a5568"
              fontSize={12}
            />
            <YAxis
              type="category"
              dataKey="name"
              width={130}
              tickFormatter={(v: string) => shorten(v)}
              stroke="#4a5568"
              fontSize={12}
              interval={0}
            />
            <Tooltip formatter={(value) => formatNumber(Number(value))} cursor={{ fill: "#eef2f7" }} />
            <Legend
              wrapperStyle={{ fontSize: 13 }}
              formatter={(value) => <span className="chart-legend">{value}</span>}
            />
            <Bar dataKey="count" name="All members" fill={COLOR_ALL} radius={[0, 3, 3, 0]} />
            <Bar dataKey="active" name="Active members" fill={COLOR_ACTIVE} radius={[0, 3, 3, 0]} />
          </BarChart>
        </ResponsiveContainer>
      </div>
      <details className="chart-table">
        <summary>Show as a table</summary>
        <div className="table-scroll">
          <table className="table table-compact">
            <caption className="visually-hidden">{title}</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col" className="num">
                  All members
                </th>
                <th scope="col" className="num">
                  Active
                </th>
              </tr>
            </thead>
            <tbody>
              {data.map((r) => (
                <tr key={r.name}>
                  <th scope="row">{r.name}</th>
                  <td className="num">{formatNumber(r.count)}</td>
                  <td className="num">{formatNumber(r.active)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </ChartCard>
  );
}
