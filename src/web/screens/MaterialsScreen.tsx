import { type FormEvent, useId, useState } from "react";
import { hasPermission, type UserDto, useUser } from "../api/auth.js";
import { useDisputes } from "../api/ballots.js";
import {
  type MaterialDto,
  type MaterialFilterValues,
  type MaterialKind,
  type MaterialLanguage,
  type MaterialVersionDto,
  materialFileUrl,
  useApproveMaterialVersion,
  useCreateMaterial,
  useMaterials,
  useUploadVersion,
  useWithdrawMaterialVersion,
} from "../api/materials.js";
import { useRegions, useSectors } from "../api/org.js";
import { Badge } from "../components/Badges.js";
import { usePageTitle } from "../components/hooks.js";
import { Empty, ErrorPanel, Loading } from "../components/QueryState.js";
import { idOptions, labelOptions, SelectField } from "../components/SelectField.js";
import { formatBytes, formatDateTime } from "../format.js";

const KIND_LABELS: Record<MaterialKind, string> = {
  leaflet: "Leaflet",
  poster: "Poster",
  faq: "FAQ",
  social_card: "Social media card",
  bulletin: "Bulletin",
  other: "Other",
};
const LANGUAGE_LABELS: Record<MaterialLanguage, string> = { en: "English", cy: "Welsh (Cymraeg)" };
const STATE_TONE = { draft: "warning", approved: "ok", superseded: "neutral", withdrawn: "error" } as const;
const STATE_LABELS = {
  draft: "Draft",
  approved: "Approved",
  superseded: "Superseded",
  withdrawn: "Withdrawn",
};
const STATE_FILTER_LABELS: Record<MaterialFilterValues["state"], string> = {
  any: "Any",
  approved: "Approved",
  draft: "Drafts to approve",
  withdrawn: "Withdrawn or superseded",
};
const TYPE_LABELS: Record<string, string> = {
  "application/pdf": "PDF",
  "image/png": "PNG",
  "image/jpeg": "JPEG",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word",
  "application/vnd.openxmlformats-officedocument.presentationml.presentation": "PowerPoint",
};
const LANGUAGE_KEY = "mandate.materials.language";

/** The language the reader chose before, else their browser's (Welsh or English). */
function initialLanguage(): MaterialLanguage {
  const saved = globalThis.localStorage?.getItem(LANGUAGE_KEY);
  if (saved === "en" || saved === "cy") return saved;
  return (globalThis.navigator?.languages ?? []).some((l) => l.toLowerCase().startsWith("cy")) ? "cy" : "en";
}

/** Leaflets, posters, FAQs and social cards: approved ones to download; drafts to approve or withdraw. */
export function MaterialsScreen() {
  usePageTitle("Materials");
  const user = useUser();
  const canWrite = hasPermission(user, "materials.write");
  const [filters, setFilters] = useState<MaterialFilterValues>(() => ({
    language: initialLanguage(),
    state: "any",
  }));
  const [search, setSearch] = useState("");
  const materials = useMaterials(filters);
  const id = useId();
  const setLanguage = (language: MaterialLanguage) => {
    globalThis.localStorage?.setItem(LANGUAGE_KEY, language);
    setFilters((f) => ({ ...f, language }));
  };
  return (
    <>
      <h1>Materials</h1>
      <p className="lead">
        Leaflets, posters, FAQs and social media cards for the campaign. Only approved versions are offered
        for download, in your language where there is one.
      </p>
      {canWrite ? <NewMaterialForm user={user} /> : null}
      <section className="section" aria-labelledby={`${id}-h`}>
        <h2 id={`${id}-h`}>Library</h2>
        <form
          className="filter-row"
          onSubmit={(e) => {
            e.preventDefault();
            setFilters((f) => ({ ...f, q: search.trim() || undefined }));
          }}
        >
          <SelectField
            label="Language to offer"
            value={filters.language}
            options={labelOptions(LANGUAGE_LABELS)}
            onChange={(v) => setLanguage(v as MaterialLanguage)}
          />
          <SelectField
            label="Kind"
            value={filters.kind ?? ""}
            emptyLabel="Every kind"
            options={labelOptions(KIND_LABELS)}
            onChange={(v) =>
              setFilters((f) => ({ ...f, kind: (v || undefined) as MaterialKind | undefined }))
            }
          />
          {canWrite ? (
            <SelectField
              label="Status"
              value={filters.state}
              options={labelOptions(STATE_FILTER_LABELS)}
              onChange={(v) => setFilters((f) => ({ ...f, state: v as MaterialFilterValues["state"] }))}
            />
          ) : null}
          <div className="field field-grow">
            <label htmlFor={`${id}-q`}>Search</label>
            <div className="input-with-button">
              <input
                id={`${id}-q`}
                type="search"
                value={search}
                onChange={(e) => setSearch(e.target.value)}
              />
              <button type="submit" className="button button-secondary">
                Search
              </button>
            </div>
          </div>
        </form>
        {materials.isPending ? <Loading label="Loading materials…" /> : null}
        {materials.isError ? <ErrorPanel error={materials.error} title="Cannot load the materials" /> : null}
        {materials.data?.length === 0 ? <Empty>No materials match.</Empty> : null}
        <ul className="material-list">
          {materials.data?.map((m) => (
            <MaterialCard key={m.id} material={m} language={filters.language} />
          ))}
        </ul>
      </section>
    </>
  );
}

function audienceText(m: MaterialDto): string {
  const parts = [
    m.audience.regions.length ? m.audience.regions.map((r) => r.name).join(", ") : "Every region",
    m.audience.sectors.length ? m.audience.sectors.map((s) => s.name).join(", ") : "every sector",
  ];
  if (m.audience.ballot) parts.push(`ballot: ${m.audience.ballot.name}`);
  return parts.join(" · ");
}

function MaterialCard({ material: m, language }: { material: MaterialDto; language: MaterialLanguage }) {
  const id = useId();
  const offered = m.offered ? m.versions.find((v) => v.id === m.offered!.versionId) : undefined;
  const drafts = m.versions.filter((v) => v.state === "draft").length;
  return (
    <li className="card material-card" aria-labelledby={`${id}-h`}>
      <div className="material-head">
        <h3 id={`${id}-h`} className="card-title">
          {m.title}
        </h3>
        <Badge tone="neutral">{KIND_LABELS[m.kind]}</Badge>
        {drafts > 0 ? <Badge tone="warning">{`${drafts} draft${drafts === 1 ? "" : "s"}`}</Badge> : null}
      </div>
      {m.description ? <p>{m.description}</p> : null}
      <p className="small muted">For: {audienceText(m)}</p>
      {offered ? (
        <p>
          <a className="button button-primary" href={materialFileUrl(offered.id)} download={offered.fileName}>
            Download {LANGUAGE_LABELS[offered.language]} ({TYPE_LABELS[offered.contentType] ?? "file"},{" "}
            {formatBytes(offered.bytes)})
          </a>
          {m.offered?.fallback ? (
            <span className="small muted">
              {" "}
              Not yet approved in {LANGUAGE_LABELS[language]}; offered in {LANGUAGE_LABELS[offered.language]}.
            </span>
          ) : null}
        </p>
      ) : (
        <p className="small muted">Nothing approved yet.</p>
      )}
      {m.versions.length > 0 && (m.canApprove || m.canUpload || m.versions.length > 1) ? (
        <details className="disclosure material-versions">
          <summary>Versions ({m.versions.length})</summary>
          <ul className="plain-list">
            {m.versions.map((v) => (
              <VersionRow key={v.id} version={v} canApprove={m.canApprove} />
            ))}
          </ul>
        </details>
      ) : null}
      {m.canUpload ? <UploadForm materialId={m.id} /> : null}
    </li>
  );
}

function VersionRow({ version: v, canApprove }: { version: MaterialVersionDto; canApprove: boolean }) {
  const approve = useApproveMaterialVersion();
  const withdraw = useWithdrawMaterialVersion();
  const [reason, setReason] = useState("");
  const [withdrawing, setWithdrawing] = useState(false);
  const id = useId();
  const live = v.state === "draft" || v.state === "approved";
  return (
    <li className="material-version">
      <div>
        <strong>
          {LANGUAGE_LABELS[v.language]} v{v.version}
        </strong>{" "}
        <Badge tone={STATE_TONE[v.state]}>{STATE_LABELS[v.state]}</Badge>{" "}
        <a href={materialFileUrl(v.id)} download={v.fileName}>
          {v.fileName}
        </a>{" "}
        <span className="small muted">({formatBytes(v.bytes)})</span>
      </div>
      <div className="small muted">
        Uploaded by {v.createdBy ?? "—"} {formatDateTime(v.createdAt)}
        {v.approvedAt ? ` · approved by ${v.approvedBy ?? "—"} ${formatDateTime(v.approvedAt)}` : ""}
        {v.withdrawnAt
          ? ` · withdrawn by ${v.withdrawnBy ?? "—"} ${formatDateTime(v.withdrawnAt)}: ${v.withdrawnReason}`
          : ""}
        {v.note ? ` · ${v.note}` : ""}
      </div>
      {live ? (
        <div className="section-actions">
          {canApprove && v.state === "draft" ? (
            <button
              type="button"
              className="button button-small button-primary"
              disabled={approve.isPending}
              onClick={() => approve.mutate(v.id)}
            >
              Approve
            </button>
          ) : null}
          {!withdrawing ? (
            <button
              type="button"
              className="button button-small button-secondary"
              onClick={() => setWithdrawing(true)}
            >
              Withdraw…
            </button>
          ) : (
            <form
              className="input-with-button"
              onSubmit={(e) => {
                e.preventDefault();
                withdraw.mutate({ versionId: v.id, reason }, { onSuccess: () => setWithdrawing(false) });
              }}
            >
              <label className="visually-hidden" htmlFor={`${id}-reason`}>
                Why it is withdrawn
              </label>
              <input
                id={`${id}-reason`}
                type="text"
                placeholder="Why it is withdrawn"
                value={reason}
                required
                maxLength={500}
                onChange={(e) => setReason(e.target.value)}
              />
              <button
                type="submit"
                className="button button-small button-secondary"
                disabled={withdraw.isPending}
              >
                Withdraw
              </button>
            </form>
          )}
        </div>
      ) : null}
      {approve.isError ? <ErrorPanel error={approve.error} title="Not approved" /> : null}
      {withdraw.isError ? <ErrorPanel error={withdraw.error} title="Not withdrawn" /> : null}
    </li>
  );
}

function UploadForm({ materialId }: { materialId: number }) {
  const id = useId();
  const upload = useUploadVersion(materialId);
  const [file, setFile] = useState<File | null>(null);
  const [language, setLanguage] = useState<MaterialLanguage>("en");
  const [note, setNote] = useState("");
  const [progress, setProgress] = useState<number | null>(null);
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!file) return;
    const form = event.currentTarget;
    upload.mutate(
      {
        file,
        language,
        note,
        onProgress: (p) => setProgress(p.total ? Math.round((100 * p.loaded) / p.total) : null),
      },
      {
        onSuccess: () => {
          setFile(null);
          setNote("");
          form.reset();
        },
        onSettled: () => setProgress(null),
      },
    );
  };
  return (
    <details className="disclosure material-upload">
      <summary>Upload a new version</summary>
      <form className="form-stack" onSubmit={submit}>
        <div className="filter-row">
          <SelectField
            label="Language"
            value={language}
            options={labelOptions(LANGUAGE_LABELS)}
            onChange={(v) => setLanguage(v as MaterialLanguage)}
          />
          <div className="field field-grow">
            <label htmlFor={`${id}-note`}>What changed (optional)</label>
            <input
              id={`${id}-note`}
              type="text"
              maxLength={1000}
              value={note}
              onChange={(e) => setNote(e.target.value)}
            />
          </div>
        </div>
        <div className="field">
          <label htmlFor={`${id}-file`}>File</label>
          <input
            id={`${id}-file`}
            className="file-input"
            type="file"
            accept=".pdf,.png,.jpg,.jpeg,.docx,.pptx,application/pdf,image/png,image/jpeg"
            required
            onChange={(e) => setFile(e.target.files?.[0] ?? null)}
          />
          <p className="field-hint">
            PDF, PNG, JPEG, Word or PowerPoint, at most 20 MB. It stays a draft until approved.
          </p>
        </div>
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={!file || upload.isPending}>
            {upload.isPending ? `Uploading${progress !== null ? ` ${progress}%` : "…"}` : "Upload draft"}
          </button>
        </div>
        {upload.isError ? <ErrorPanel error={upload.error} title="Not uploaded" /> : null}
      </form>
    </details>
  );
}

function NewMaterialForm({ user }: { user: UserDto }) {
  const id = useId();
  const create = useCreateMaterial();
  const regions = useRegions();
  const sectors = useSectors();
  const disputes = useDisputes();
  const [title, setTitle] = useState("");
  const [kind, setKind] = useState<MaterialKind>("leaflet");
  const [description, setDescription] = useState("");
  const [regionId, setRegionId] = useState("");
  const [sectorId, setSectorId] = useState("");
  const [ballotId, setBallotId] = useState("");
  // A regional or sector officer writes only for their own regions or sectors.
  const regionChoices = (regions.data ?? []).filter(
    (r) => user.role !== "regional" || user.regionIds.includes(r.id),
  );
  const sectorChoices = (sectors.data ?? []).filter(
    (s) => user.role !== "sector" || user.sectorIds.includes(s.id),
  );
  const ballots = (disputes.data ?? []).flatMap((d) => d.ballots.map((b) => ({ ...b, dispute: d.title })));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(
      {
        title: title.trim(),
        kind,
        description: description.trim(),
        regionIds: regionId ? [Number(regionId)] : [],
        sectorIds: sectorId ? [Number(sectorId)] : [],
        ballotId: ballotId ? Number(ballotId) : null,
      },
      {
        onSuccess: () => {
          setTitle("");
          setDescription("");
        },
      },
    );
  };
  return (
    <details className="section card disclosure">
      <summary>
        <strong>Add a material</strong>
      </summary>
      <form className="form-stack" onSubmit={submit}>
        <div className="filter-row">
          <div className="field field-grow">
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
          <SelectField
            label="Kind"
            value={kind}
            options={labelOptions(KIND_LABELS)}
            onChange={(v) => setKind(v as MaterialKind)}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-desc`}>Description</label>
          <textarea
            id={`${id}-desc`}
            rows={2}
            maxLength={2000}
            value={description}
            onChange={(e) => setDescription(e.target.value)}
          />
        </div>
        <div className="filter-row">
          <SelectField
            label="Region"
            value={regionId}
            emptyLabel={user.role === "regional" ? "Choose your region" : "Every region"}
            options={idOptions(regionChoices, (r) => r.name)}
            onChange={setRegionId}
            required={user.role === "regional"}
          />
          <SelectField
            label="Sector"
            value={sectorId}
            emptyLabel={user.role === "sector" ? "Choose your sector" : "Every sector"}
            options={idOptions(sectorChoices, (s) => s.name)}
            onChange={setSectorId}
            required={user.role === "sector"}
          />
          <SelectField
            label="Ballot"
            value={ballotId}
            emptyLabel="Any ballot"
            options={idOptions(ballots, (b) => `${b.dispute}: ${b.name}`)}
            onChange={setBallotId}
          />
        </div>
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={create.isPending}>
            Add material
          </button>
        </div>
        {create.isSuccess ? <p className="small">Added. Upload its file below, as a draft.</p> : null}
        {create.isError ? <ErrorPanel error={create.error} title="Not added" /> : null}
      </form>
    </details>
  );
}
