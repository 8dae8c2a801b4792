import { type FormEvent, useEffect, useId, useRef, useState } from "react";
import { useSearchParams } from "react-router";
import { hasPermission, useUser } from "../api/auth.js";
import {
  type BulletinDto,
  useBulletins,
  useMakeDigests,
  useOpenBulletin,
  usePublishAnnouncement,
  useReceipts,
} from "../api/bulletins.js";
import { useRegions } from "../api/org.js";
import { Badge } from "../components/Badges.js";
import { usePageTitle } from "../components/hooks.js";
import { Empty, ErrorPanel, Loading } from "../components/QueryState.js";
import { formatDateTime } from "../format.js";
import { DigestScheduleSummary } from "./DigestSchedule.js";

const ROLE_LABELS = {
  national: "National officers",
  regional: "Regional officers",
  sector: "Sector officers",
  rep: "Workplace reps",
} as const;
type BulletinRole = keyof typeof ROLE_LABELS;

/** Bulletins to officers and reps: digests of their region and announcements; opening one is a receipt. */
export function BulletinsScreen() {
  usePageTitle("Bulletins");
  const user = useUser();
  const publisher = hasPermission(user, "bulletins.publish");
  const bulletins = useBulletins();
  const id = useId();
  // An email's link lands here with the bulletin to open.
  const [params] = useSearchParams();
  const openId = Number(params.get("open")) || null;
  return (
    <>
      <h1>Bulletins</h1>
      <p className="lead">
        Digests of the ballots in your region and announcements from the disputes unit. Counts only: no
        member's details.
      </p>
      <DigestScheduleSummary />
      {publisher ? <PublishPart /> : null}
      <section className="section" aria-labelledby={`${id}-h`}>
        <h2 id={`${id}-h`}>Your bulletins</h2>
        {bulletins.isPending ? <Loading label="Loading bulletins…" /> : null}
        {bulletins.isError ? <ErrorPanel error={bulletins.error} title="Cannot load the bulletins" /> : null}
        {bulletins.data?.length === 0 ? <Empty>No bulletins yet.</Empty> : null}
        <ul className="material-list">
          {bulletins.data?.map((b) => (
            <BulletinCard key={b.id} bulletin={b} publisher={publisher} startOpen={b.id === openId} />
          ))}
        </ul>
      </section>
    </>
  );
}

function BulletinCard({
  bulletin: b,
  publisher,
  startOpen,
}: {
  bulletin: BulletinDto;
  publisher: boolean;
  startOpen: boolean;
}) {
  const open = useOpenBulletin();
  const [showReceipts, setShowReceipts] = useState(false);
  const id = useId();
  const card = useRef<HTMLLIElement>(null);
  useEffect(() => {
    if (startOpen) card.current?.scrollIntoView({ block: "start" });
  }, [startOpen]);
  return (
    <li className="card material-card" aria-labelledby={`${id}-h`} ref={card}>
      <div className="material-head">
        <h3 id={`${id}-h`} className="card-title">
          {b.title}
        </h3>
        <Badge tone="neutral">{b.kind === "digest" ? "Digest" : "Announcement"}</Badge>
        {b.readAt ? null : <Badge tone="warning">New</Badge>}
      </div>
      <p className="small muted">
        {formatDateTime(b.createdAt)}
        {b.createdBy ? ` · ${b.createdBy}` : ""}
        {b.regions.length ? ` · ${b.regions.map((r) => r.name).join(", ")}` : ""}
        {b.roles.length ? ` · for ${b.roles.map((r) => ROLE_LABELS[r as BulletinRole] ?? r).join(", ")}` : ""}
      </p>
      {b.counts ? (
        <p className="small">
          Addressed to {b.counts.addressed} · emailed {b.counts.emailed} · read by {b.counts.read}
        </p>
      ) : null}
      <details
        className="disclosure"
        open={startOpen || undefined}
        onToggle={(e) => {
          if ((e.currentTarget as HTMLDetailsElement).open && !b.readAt) open.mutate(b.id);
        }}
      >
        <summary>Read</summary>
        <p className="prose">{b.body}</p>
      </details>
      {publisher ? (
        <details
          className="disclosure"
          onToggle={(e) => setShowReceipts((e.currentTarget as HTMLDetailsElement).open)}
        >
          <summary>Who has read it</summary>
          {showReceipts ? <Receipts id={b.id} /> : null}
        </details>
      ) : null}
    </li>
  );
}

function Receipts({ id }: { id: number }) {
  const receipts = useReceipts(id);
  if (receipts.isPending) return <Loading label="Loading receipts…" />;
  if (receipts.isError) return <ErrorPanel error={receipts.error} title="Cannot load the receipts" />;
  const r = receipts.data;
  return (
    <>
      <p>
        Read by {r.read} of {r.addressed}.{r.emailed > 0 ? ` ${r.emailed} sent a copy by email.` : ""}
      </p>
      <ul className="plain-list small">
        {r.readers.map((u) => (
          <li key={`${u.name}-${u.role}`}>
            {u.name} ({ROLE_LABELS[u.role as BulletinRole] ?? u.role}):{" "}
            {u.emailedAt ? `emailed ${formatDateTime(u.emailedAt)}; ` : ""}
            {u.readAt
              ? `read ${formatDateTime(u.readAt)}${u.readVia === "email" ? " (from the email)" : ""}`
              : "not yet read"}
          </li>
        ))}
      </ul>
    </>
  );
}

function PublishPart() {
  const id = useId();
  const publish = usePublishAnnouncement();
  const digests = useMakeDigests();
  const regions = useRegions();
  const [title, setTitle] = useState("");
  const [body, setBody] = useState("");
  const [roles, setRoles] = useState<BulletinRole[]>([]);
  const [regionId, setRegionId] = useState("");
  const submit = (event: FormEvent) => {
    event.preventDefault();
    publish.mutate(
      { title: title.trim(), body: body.trim(), roles, regionIds: regionId ? [Number(regionId)] : [] },
      {
        onSuccess: () => {
          setTitle("");
          setBody("");
        },
      },
    );
  };
  return (
    <details className="section card disclosure">
      <summary>
        <strong>Publish a bulletin</strong>
      </summary>
      <form className="form-stack" onSubmit={submit}>
        <div className="field">
          <label htmlFor={`${id}-title`}>Title</label>
          <input
            id={`${id}-title`}
            type="text"
            required
            maxLength={200}
            value={title}
            onChange={(e) => setTitle(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-body`}>Text</label>
          <textarea
            id={`${id}-body`}
            rows={4}
            required
            maxLength={10_000}
            value={body}
            onChange={(e) => setBody(e.target.value)}
          />
        </div>
        <fieldset className="fieldset">
          <legend>For (none ticked: everyone)</legend>
          {(Object.keys(ROLE_LABELS) as BulletinRole[]).map((r) => (
            <div className="field field-check" key={r}>
              <input
                id={`${id}-${r}`}
                type="checkbox"
                checked={roles.includes(r)}
                onChange={(e) =>
                  setRoles((now) => (e.target.checked ? [...now, r] : now.filter((x) => x !== r)))
                }
              />
              <label htmlFor={`${id}-${r}`}>{ROLE_LABELS[r]}</label>
            </div>
          ))}
        </fieldset>
        <div className="field">
          <label htmlFor={`${id}-region`}>Region</label>
          <select id={`${id}-region`} value={regionId} onChange={(e) => setRegionId(e.target.value)}>
            <option value="">Every region</option>
            {regions.data?.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name}
              </option>
            ))}
          </select>
        </div>
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={publish.isPending}>
            Publish
          </button>
          <button
            type="button"
            className="button button-secondary"
            disabled={digests.isPending}
            onClick={() => digests.mutate("daily")}
          >
            Make today's digests
          </button>
          <button
            type="button"
            className="button button-secondary"
            disabled={digests.isPending}
            onClick={() => digests.mutate("weekly")}
          >
            Make this week's digests
          </button>
        </div>
        {publish.isError ? <ErrorPanel error={publish.error} title="Not published" /> : null}
        {digests.isError ? <ErrorPanel error={digests.error} title="No digest made" /> : null}
        {digests.isSuccess ? (
          <p className="small">
            {digests.data.length} digests made: one per region and one for the whole union.
          </p>
        ) : null}
      </form>
    </details>
  );
}
