import { useId, useState } from "react";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import {
  type Channel,
  type DeliverabilityDimension,
  type DeliverabilityDto,
  useDeliverability,
} from "../api/comms.js";
import { Empty, ErrorPanel, Loading } from "../components/QueryState.js";
import { SelectField } from "../components/SelectField.js";
import { formatNumber } from "../format.js";

const DIMENSIONS: readonly { by: DeliverabilityDimension; label: string }[] = [
  { by: "channel", label: "By channel" },
  { by: "employer", label: "By employer" },
  { by: "workplace", label: "By workplace" },
];
const PERIODS = [30, 90, 365] as const;
const CHANNELS: readonly { value: Channel | ""; label: string }[] = [
  { value: "", label: "Every channel" },
  { value: "email", label: "Email" },
  { value: "sms", label: "SMS" },
  { value: "letter", label: "Letter" },
];

/** The colours of the outcomes: what arrived, what may still, what never will. */
const OUTCOMES = [
  { key: "delivered", label: "Delivered", color: "#1d4f91" },
  { key: "softBounces", label: "Soft bounces", color: "#b86e00" },
  { key: "hardBounces", label: "Hard bounces", color: "#a4231b" },
  { key: "otherFailures", label: "Other failures", color: "#6b7a90" },
] as const;

const CHART_ROWS = 12;

function shorten(label: string, max = 24): string {
  return label.length > max ? `${label.slice(0, max - 1)}…` : label;
}

/**
 * What happened to the messages that left: delivered, bounced hard or soft, complaints, and the
 * messages that stood in for failed ones on a member's next channel, per channel, employer or
 * workplace. A chart of the outcomes (the eye finds the red bar), and the numbers in a table.
 */
export function DeliverabilityPart() {
  const id = useId();
  const [by, setBy] = useState<DeliverabilityDimension>("channel");
  const [days, setDays] = useState<number>(90);
  const [channel, setChannel] = useState<Channel | "">("");
  const report = useDeliverability(by, days, channel || null);
  return (
    <section className="section card" aria-labelledby={`${id}-h`} data-testid="deliverability">
      <h2 id={`${id}-h`}>Deliverability</h2>
      <p className="muted small">
        What became of the messages sent (those that left, and those the receiving server refused at once),
        for members in your scope. A hard bounce (the address does not exist) marks the member's email or
        mobile undeliverable on the register-quality view; a soft bounce (a full mailbox, a server not
        answering) is counted but not flagged. “Fallback” counts the messages that went by a member's next
        channel after one failed.
      </p>
      <div className="filter-row">
        <SelectField
          label="Show"
          value={by}
          options={DIMENSIONS.map((d) => ({ value: d.by, label: d.label }))}
          onChange={(v) => setBy(v as DeliverabilityDimension)}
        />
        <SelectField
          label="Sends queued in"
          value={String(days)}
          options={PERIODS.map((d) => ({ value: String(d), label: `the last ${d} days` }))}
          onChange={(v) => setDays(Number(v))}
        />
        {by !== "channel" ? (
          <SelectField
            label="Channel"
            value={channel}
            options={CHANNELS}
            onChange={(v) => setChannel(v as Channel | "")}
          />
        ) : null}
      </div>
      {report.isPending ? <Loading label="Counting what was delivered…" /> : null}
      {report.isError ? (
        <ErrorPanel
          error={report.error}
          title="Cannot show deliverability"
          onRetry={() => void report.refetch()}
        />
      ) : null}
      {report.data ? <DeliverabilityBody report={report.data} /> : null}
    </section>
  );
}

function DeliverabilityBody({ report }: { report: DeliverabilityDto }) {
  if (report.rows.length === 0) return <Empty>No message has left in this period.</Empty>;
  const t = report.totals;
  const rate = (n: number) => (t.sent ? `${Math.round((n / t.sent) * 1000) / 10}%` : "–");
  const dimension = DIMENSIONS.find((d) => d.by === report.by)!.label.replace("By ", "");
  const heading = dimension[0]!.toUpperCase() + dimension.slice(1);
  const data = report.rows.slice(0, CHART_ROWS).map((r) => ({
    name: r.name,
    delivered: r.delivered,
    softBounces: r.softBounces,
    hardBounces: r.hardBounces,
    otherFailures: r.otherFailures,
  }));
  const height = Math.max(140, data.length * 38 + 80);
  return (
    <>
      <dl className="stat-grid stat-grid-compact" aria-label="In all">
        <div className="stat">
          <dt>Sent</dt>
          <dd>{formatNumber(t.sent)}</dd>
        </div>
        <div className="stat">
          <dt>Delivered</dt>
          <dd>
            {formatNumber(t.delivered)} <span className="muted small">{rate(t.delivered)}</span>
          </dd>
        </div>
        <div className="stat">
          <dt>Hard bounces</dt>
          <dd>
            {formatNumber(t.hardBounces)} <span className="muted small">{rate(t.hardBounces)}</span>
          </dd>
        </div>
        <div className="stat">
          <dt>Soft bounces</dt>
          <dd>{formatNumber(t.softBounces)}</dd>
        </div>
        <div className="stat">
          <dt>Complaints</dt>
          <dd>{formatNumber(t.complaints)}</dd>
        </div>
        <div className="stat">
          <dt>Fallback used</dt>
          <dd>{formatNumber(t.fallback)}</dd>
        </div>
      </dl>
      <div className="chart" aria-hidden="true" style={{ height }}>
        <ResponsiveContainer width="100%" height="100%">
          <BarChart
            accessibilityLayer={false}
            data={data}
            layout="vertical"
            margin={{ top: 4, right: 16, bottom: 4, left: 4 }}
          >
            <CartesianGrid horizontal={false} stroke="#d5dae1" />
            <XAxis
              type="number"
              allowDecimals={false}
              tickFormatter={(v: number) => formatNumber(v)}
              stroke="#4a5568"
              fontSize={12}
            />
            <YAxis
              type="category"
              dataKey="name"
              width={140}
              tickFormatter={(v: string) => shorten(v)}
              stroke="#4a5568"
              fontSize={12}
              interval={0}
            />
            <Tooltip formatter={(value) => formatNumber(Number(value))} cursor={{ fill: "#eef2f7" }} />
            <Legend wrapperStyle={{ fontSize: 12 }} />
            {OUTCOMES.map((o) => (
              <Bar
                key={o.key}
                dataKey={o.key}
                name={o.label}
                stackId="outcome"
                fill={o.color}
                isAnimationActive={false}
              />
            ))}
          </BarChart>
        </ResponsiveContainer>
      </div>
      <div className="table-scroll">
        <table className="table table-cards">
          <caption className="visually-hidden">
            Deliverability by {dimension}, largest first, with totals
          </caption>
          <thead>
            <tr>
              <th scope="col">{heading}</th>
              <th scope="col" className="num">
                Sent
              </th>
              <th scope="col" className="num">
                Delivered
              </th>
              <th scope="col" className="num">
                Hard bounces
              </th>
              <th scope="col" className="num">
                Soft bounces
              </th>
              <th scope="col" className="num">
                Other failures
              </th>
              <th scope="col" className="num">
                Complaints
              </th>
              <th scope="col" className="num">
                Fallback
              </th>
            </tr>
          </thead>
          <tbody>
            {report.rows.map((r) => (
              <Row key={r.key ?? "none"} row={r} dimension={heading} />
            ))}
          </tbody>
          <tfoot>
            <Row row={{ ...t, key: "total", name: "Total" }} dimension={heading} />
          </tfoot>
        </table>
      </div>
      {report.total > report.rows.length ? (
        <p className="muted small">
          The {report.rows.length} largest of {formatNumber(report.total)} rows; the total counts them all.
        </p>
      ) : null}
    </>
  );
}

function Row({ row, dimension }: { row: DeliverabilityDto["rows"][number]; dimension: string }) {
  return (
    <tr>
      <th scope="row" data-label={dimension}>
        {row.name}
      </th>
      <td className="num" data-label="Sent">
        {formatNumber(row.sent)}
      </td>
      <td className="num" data-label="Delivered">
        {formatNumber(row.delivered)}
      </td>
      <td className={`num${row.hardBounces ? " cell-error" : ""}`} data-label="Hard bounces">
        {formatNumber(row.hardBounces)}
      </td>
      <td className={`num${row.softBounces ? " cell-warning" : ""}`} data-label="Soft bounces">
        {formatNumber(row.softBounces)}
      </td>
      <td className="num" data-label="Other failures">
        {formatNumber(row.otherFailures)}
      </td>
      <td className="num" data-label="Complaints">
        {formatNumber(row.complaints)}
      </td>
      <td className="num" data-label="Fallback">
        {formatNumber(row.fallback)}
      </td>
    </tr>
  );
}
