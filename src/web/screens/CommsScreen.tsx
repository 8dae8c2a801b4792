import { useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useEffect, useId, useState } from "react";
import { hasPermission, useUser } from "../api/auth.js";
import { useDisputes } from "../api/ballots.js";
import {
  type Channel,
  commsKeys,
  type Purpose,
  type SegmentDto,
  type SegmentInput,
  type SendDto,
  sendIsRunning,
  type TemplateDto,
  useAddVersion,
  useApproveVersion,
  useCreateTemplate,
  usePreview,
  useQueueSend,
  useSaveSegment,
  useSegmentCount,
  useSegments,
  useSend,
  useSendJob,
  useSends,
  useTemplates,
  type VersionDto,
} from "../api/comms.js";
import { useRegions, useSectors } from "../api/org.js";
import { useEmployers, useWorkplaces } from "../api/registers.js";
import { Badge } from "../components/Badges.js";
import { usePageTitle } from "../components/hooks.js";
import { Empty, ErrorPanel, Loading, Notice } from "../components/QueryState.js";
import { idOptions, labelOptions, SelectField } from "../components/SelectField.js";
import { formatDateTime, formatNumber, plural } from "../format.js";
import { DeliverabilityPart } from "./CommsDeliverability.js";

const CHANNEL_LABELS: Record<Channel, string> = {
  email: "Email",
  sms: "Text message (SMS)",
  letter: "Letter",
};
const PURPOSE_LABELS: Record<Purpose, string> = {
  campaign: "Campaign (needs consent)",
  persuasion: "Persuasion (needs consent; never to members opposed in principle)",
  reminder: "Reminder to vote (needs consent; stops once a member reports voting)",
  statutory: "Statutory (the result: every entitled member)",
  service: "Service (a replacement voting paper)",
};
const LANGUAGE_LABELS = { en: "English", cy: "Welsh (Cymraeg)" } as const;
const VOTING_LABELS = {
  any: "Voted or not",
  not_reported_voting: "Has not reported voting",
  reported_voting: "Has reported voting",
} as const;
const templateLabel = (t: TemplateDto) => `${t.name} (${CHANNEL_LABELS[t.channel]})`;
const TURNOUT_LABELS = { safe: "Safe", on_track: "On track", at_risk: "At risk", lost: "Lost" } as const;
const MERGE_FIELDS = [
  "member.forename",
  "member.surname",
  "member.employer",
  "member.workplace",
  "union.name",
  "unsubscribe_url",
] as const;

/** Audiences, templates and sends: what officers need to write to members and know what reached them. */
export function CommsScreen() {
  usePageTitle("Communications");
  const user = useUser();
  return (
    <>
      <h1>Communications</h1>
      <p className="lead">
        Build an audience, write a message in English and Welsh, and send it. Members without consent, who
        have opted out or whose address bounced are never sent a campaign message; the counts say why.
      </p>
      <div className="comms">
        <AudiencesPart canWrite={hasPermission(user, "comms.write")} />
        <TemplatesPart
          canWrite={hasPermission(user, "comms.write")}
          canApprove={hasPermission(user, "comms.approve")}
          canPreview={hasPermission(user, "comms.preview")}
        />
        <SendsPart canSend={hasPermission(user, "comms.send")} />
        <DeliverabilityPart />
      </div>
    </>
  );
}

// ---------------------------------------------------------------- Audiences

function AudiencesPart({ canWrite }: { canWrite: boolean }) {
  const segments = useSegments();
  const [chosen, setChosen] = useState<number | null>(null);
  const [channel, setChannel] = useState<Channel>("email");
  const [purpose, setPurpose] = useState<Purpose>("campaign");
  const id = useId();
  return (
    <section className="section card" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>Audiences</h2>
      {canWrite ? <SegmentForm onSaved={(s) => setChosen(s.id)} /> : null}
      <h3>Saved audiences</h3>
      {segments.isPending ? <Loading label="Loading audiences…" /> : null}
      {segments.isError ? <ErrorPanel error={segments.error} title="Cannot load the audiences" /> : null}
      {segments.data?.length === 0 ? <Empty>No audiences yet.</Empty> : null}
      {segments.data && segments.data.length > 0 ? (
        <div className="filter-row">
          <SelectField
            label="Audience"
            value={chosen === null ? "" : String(chosen)}
            emptyLabel="Choose an audience"
            options={idOptions(segments.data, (s) => s.name)}
            onChange={(v) => setChosen(v ? Number(v) : null)}
          />
          <ChannelPurpose channel={channel} purpose={purpose} onChannel={setChannel} onPurpose={setPurpose} />
        </div>
      ) : null}
      {chosen !== null ? <AudienceCount segmentId={chosen} channel={channel} purpose={purpose} /> : null}
    </section>
  );
}

function ChannelPurpose({
  channel,
  purpose,
  onChannel,
  onPurpose,
}: {
  channel: Channel;
  purpose: Purpose;
  onChannel: (c: Channel) => void;
  onPurpose: (p: Purpose) => void;
}) {
  return (
    <>
      <SelectField
        label="Channel"
        value={channel}
        options={labelOptions(CHANNEL_LABELS)}
        onChange={(v) => onChannel(v as Channel)}
      />
      <SelectField
        label="Purpose"
        value={purpose}
        options={labelOptions(PURPOSE_LABELS)}
        onChange={(v) => onPurpose(v as Purpose)}
      />
    </>
  );
}

/** Who the audience reaches now, and why the others are not reached (counts only). */
function AudienceCount({
  segmentId,
  channel,
  purpose,
}: {
  segmentId: number;
  channel: Channel;
  purpose: Purpose;
}) {
  const count = useSegmentCount(segmentId, channel, purpose);
  if (count.isPending) return <Loading label="Counting…" />;
  if (count.isError) return <ErrorPanel error={count.error} title="Cannot count the audience" />;
  const c = count.data;
  return (
    <div className="audience-count" data-testid="audience-count">
      <dl className="stat-grid stat-grid-compact">
        <div className="stat">
          <dt>Members in the audience</dt>
          <dd>{formatNumber(c.members)}</dd>
        </div>
        <div className="stat">
          <dt>Will get the message</dt>
          <dd>{formatNumber(c.reachable)}</dd>
        </div>
        <div className="stat">
          <dt>Not reached</dt>
          <dd>{formatNumber(c.members - c.reachable)}</dd>
        </div>
      </dl>
      <p className="small muted">
        In English {formatNumber(c.byLanguage.en)}, in Welsh {formatNumber(c.byLanguage.cy)}.
      </p>
      {c.suppressed.length > 0 ? (
        <>
          <h4>Why members are not reached</h4>
          <ul className="plain-list">
            {c.suppressed.map((s) => (
              <li key={s.reason}>
                {formatNumber(s.members)} {s.label}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </div>
  );
}

function SegmentForm({ onSaved }: { onSaved: (s: SegmentDto) => void }) {
  const id = useId();
  const save = useSaveSegment();
  const regions = useRegions();
  const sectors = useSectors();
  const disputes = useDisputes();
  const [name, setName] = useState("");
  const [regionId, setRegionId] = useState("");
  const [sectorId, setSectorId] = useState("");
  const [employerText, setEmployerText] = useState("");
  const [employerSearch, setEmployerSearch] = useState("");
  const [employerId, setEmployerId] = useState("");
  const [workplaceId, setWorkplaceId] = useState("");
  const [lapsed, setLapsed] = useState(false);
  const [language, setLanguage] = useState("");
  const [ballotId, setBallotId] = useState("");
  const [statuses, setStatuses] = useState<(keyof typeof TURNOUT_LABELS)[]>([]);
  const [turnout, setTurnout] = useState<"any" | "not_reported_voting" | "reported_voting">("any");
  const employers = useEmployers({ search: employerSearch, pageSize: 20 }, employerSearch.length > 0);
  const workplaces = useWorkplaces(
    { employerId: employerId ? Number(employerId) : undefined, pageSize: 100 },
    employerId !== "",
  );
  const ballots = (disputes.data ?? []).flatMap((d) => d.ballots.map((b) => ({ ...b, dispute: d.title })));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const input: SegmentInput = {
      name: name.trim(),
      definition: {
        memberStatuses: lapsed ? ["active", "lapsed"] : ["active"],
        ...(regionId ? { regionIds: [Number(regionId)] } : {}),
        ...(sectorId ? { sectorIds: [Number(sectorId)] } : {}),
        ...(employerId ? { employerIds: [Number(employerId)] } : {}),
        ...(workplaceId ? { workplaceIds: [Number(workplaceId)] } : {}),
        ...(language ? { languages: [language as "en" | "cy"] } : {}),
        ...(ballotId
          ? {
              ballot: {
                id: Number(ballotId),
                turnout,
                ...(statuses.length > 0 ? { constituencyStatuses: statuses } : {}),
              },
            }
          : {}),
      },
    };
    save.mutate(input, { onSuccess: onSaved });
  };

  return (
    <form className="form-stack" aria-labelledby={`${id}-h`} onSubmit={submit}>
      <h3 id={`${id}-h`}>Build an audience</h3>
      <div className="field">
        <label htmlFor={`${id}-name`}>Name of the audience</label>
        <input
          type="text"
          id={`${id}-name`}
          value={name}
          onChange={(e) => setName(e.target.value)}
          required
          maxLength={120}
        />
        <p className="field-hint">Saving under a name already used replaces that audience.</p>
      </div>
      <div className="filter-row">
        <SelectField
          label="Region"
          value={regionId}
          emptyLabel="Every region"
          options={idOptions(regions.data, (r) => r.name)}
          onChange={setRegionId}
        />
        <SelectField
          label="Sector"
          value={sectorId}
          emptyLabel="Every sector"
          options={idOptions(sectors.data, (s) => s.name)}
          onChange={setSectorId}
        />
        <SelectField
          label="Language"
          value={language}
          emptyLabel="Either language"
          options={labelOptions(LANGUAGE_LABELS)}
          onChange={setLanguage}
        />
        <div className="field field-check">
          <input
            id={`${id}-lapsed`}
            type="checkbox"
            checked={lapsed}
            onChange={(e) => setLapsed(e.target.checked)}
          />
          <label htmlFor={`${id}-lapsed`}>Lapsed members too</label>
        </div>
      </div>
      <div className="filter-row">
        <div className="field field-grow">
          <label htmlFor={`${id}-emp-search`}>Find an employer</label>
          <div className="input-with-button">
            <input
              id={`${id}-emp-search`}
              type="search"
              value={employerText}
              onChange={(e) => setEmployerText(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === "Enter") {
                  e.preventDefault();
                  setEmployerSearch(employerText.trim());
                }
              }}
            />
            <button
              type="button"
              className="button button-secondary"
              onClick={() => setEmployerSearch(employerText.trim())}
            >
              Find
            </button>
          </div>
        </div>
        <SelectField
          label="Employer"
          value={employerId}
          emptyLabel="Every employer"
          options={idOptions(employers.data?.items, (e) => e.name)}
          onChange={(v) => {
            setEmployerId(v);
            setWorkplaceId("");
          }}
        />
        <SelectField
          label="Workplace"
          value={workplaceId}
          emptyLabel="Every workplace"
          options={idOptions(workplaces.data?.items, (w) => w.name)}
          onChange={setWorkplaceId}
          disabled={employerId === ""}
        />
      </div>
      <fieldset className="fieldset">
        <legend>A ballot's electorate</legend>
        <div className="filter-row">
          <SelectField
            label="Ballot"
            value={ballotId}
            emptyLabel="No ballot"
            options={idOptions(ballots, (b) => `${b.name} (${b.dispute})`)}
            onChange={setBallotId}
          />
          <SelectField
            label="Voting"
            value={turnout}
            options={labelOptions(VOTING_LABELS)}
            disabled={ballotId === ""}
            onChange={(v) => setTurnout(v as typeof turnout)}
          />
        </div>
        <p className="field-hint">Only constituencies whose turnout is now:</p>
        <div className="filter-row">
          {(Object.keys(TURNOUT_LABELS) as (keyof typeof TURNOUT_LABELS)[]).map((s) => (
            <div className="field field-check" key={s}>
              <input
                id={`${id}-st-${s}`}
                type="checkbox"
                disabled={ballotId === ""}
                checked={statuses.includes(s)}
                onChange={(e) =>
                  setStatuses((now) => (e.target.checked ? [...now, s] : now.filter((x) => x !== s)))
                }
              />
              <label htmlFor={`${id}-st-${s}`}>{TURNOUT_LABELS[s]}</label>
            </div>
          ))}
        </div>
      </fieldset>
      {save.isError ? <ErrorPanel error={save.error} title="The audience was not saved" /> : null}
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={save.isPending}>
          {save.isPending ? "Saving…" : "Save the audience"}
        </button>
        {save.isSuccess ? <p role="status">Saved “{save.data.name}”.</p> : null}
      </div>
    </form>
  );
}

// ---------------------------------------------------------------- Templates

function TemplatesPart({
  canWrite,
  canApprove,
  canPreview,
}: {
  canWrite: boolean;
  canApprove: boolean;
  canPreview: boolean;
}) {
  const id = useId();
  const templates = useTemplates();
  const create = useCreateTemplate();
  const [chosen, setChosen] = useState<number | null>(null);
  const [name, setName] = useState("");
  const [channel, setChannel] = useState<Channel>("email");
  const [purpose, setPurpose] = useState<Purpose>("campaign");
  const template = templates.data?.find((t) => t.id === chosen) ?? null;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate({ name: name.trim(), channel, purpose }, { onSuccess: (t) => setChosen(t.id) });
  };

  return (
    <section className="section card" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>Templates</h2>
      {canWrite ? (
        <form className="form-stack" aria-label="Create a template" onSubmit={submit}>
          <div className="filter-row">
            <div className="field field-grow">
              <label htmlFor={`${id}-name`}>Name of the template</label>
              <input
                type="text"
                id={`${id}-name`}
                value={name}
                onChange={(e) => setName(e.target.value)}
                required
                maxLength={120}
              />
            </div>
            <ChannelPurpose
              channel={channel}
              purpose={purpose}
              onChannel={setChannel}
              onPurpose={setPurpose}
            />
          </div>
          {create.isError ? <ErrorPanel error={create.error} title="The template was not created" /> : null}
          <div className="form-actions">
            <button type="submit" className="button button-primary" disabled={create.isPending}>
              Create the template
            </button>
          </div>
        </form>
      ) : null}
      <h3>Your templates</h3>
      {templates.isPending ? <Loading label="Loading templates…" /> : null}
      {templates.isError ? <ErrorPanel error={templates.error} title="Cannot load the templates" /> : null}
      {templates.data?.length === 0 ? <Empty>No templates yet.</Empty> : null}
      {templates.data && templates.data.length > 0 ? (
        <SelectField
          label="Template"
          value={chosen === null ? "" : String(chosen)}
          emptyLabel="Choose a template"
          options={idOptions(templates.data, templateLabel)}
          onChange={(v) => setChosen(v ? Number(v) : null)}
        />
      ) : null}
      {template ? (
        <TemplateDetail
          key={template.id}
          template={template}
          canWrite={canWrite}
          canApprove={canApprove}
          canPreview={canPreview}
        />
      ) : null}
    </section>
  );
}

function latest(t: TemplateDto, language: "en" | "cy"): VersionDto | null {
  return (
    t.versions
      .filter((v) => v.language === language && v.state !== "withdrawn")
      .sort((a, b) => b.version - a.version)[0] ?? null
  );
}

function TemplateDetail({
  template,
  canWrite,
  canApprove,
  canPreview,
}: {
  template: TemplateDto;
  canWrite: boolean;
  canApprove: boolean;
  canPreview: boolean;
}) {
  const id = useId();
  const [memberId, setMemberId] = useState("");
  const [asMember, setAsMember] = useState<number | null>(null);
  return (
    <div className="stack">
      <p className="muted">
        {CHANNEL_LABELS[template.channel]} · {PURPOSE_LABELS[template.purpose]}
      </p>
      <details className="disclosure">
        <summary>Merge fields</summary>
        <ul className="code-list">
          {MERGE_FIELDS.map((f) => (
            <li key={f}>
              <code>{`{{ ${f} }}`}</code>
            </li>
          ))}
        </ul>
      </details>
      <div className="two-col">
        {(["en", "cy"] as const).map((language) => (
          <VersionEditor
            key={language}
            template={template}
            language={language}
            version={latest(template, language)}
            canWrite={canWrite}
            canApprove={canApprove}
          />
        ))}
      </div>
      {canPreview ? (
        <>
          <h3>Preview</h3>
          <form
            className="inline-form"
            onSubmit={(e) => {
              e.preventDefault();
              setAsMember(memberId ? Number(memberId) : null);
            }}
          >
            <div className="field">
              <label htmlFor={`${id}-m`}>As member id (empty: a sample member)</label>
              <div className="input-with-button">
                <input
                  type="text"
                  id={`${id}-m`}
                  inputMode="numeric"
                  pattern="[0-9]*"
                  value={memberId}
                  onChange={(e) => setMemberId(e.target.value)}
                />
                <button type="submit" className="button button-secondary">
                  Preview
                </button>
              </div>
            </div>
          </form>
          <div className="two-col">
            {(["en", "cy"] as const).map((language) => {
              const v = latest(template, language);
              return v ? (
                <PreviewPane key={language} version={v} memberId={asMember} channel={template.channel} />
              ) : (
                <p key={language} className="muted">
                  No {LANGUAGE_LABELS[language]} version yet.
                </p>
              );
            })}
          </div>
        </>
      ) : null}
    </div>
  );
}

function VersionEditor({
  template,
  language,
  version,
  canWrite,
  canApprove,
}: {
  template: TemplateDto;
  language: "en" | "cy";
  version: VersionDto | null;
  canWrite: boolean;
  canApprove: boolean;
}) {
  const id = useId();
  const add = useAddVersion();
  const approve = useApproveVersion();
  const [subject, setSubject] = useState(version?.subject ?? "");
  const [body, setBody] = useState(version?.body ?? "");
  const hasSubject = template.channel !== "sms";
  const label = LANGUAGE_LABELS[language];
  const changed = body !== (version?.body ?? "") || (hasSubject && subject !== (version?.subject ?? ""));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    add.mutate({
      templateId: template.id,
      input: { language, body, ...(hasSubject && subject.trim() ? { subject: subject.trim() } : {}) },
    });
  };

  return (
    <form className="form-stack section" aria-label={`${label} version`} onSubmit={submit}>
      <h3 className="subhead">
        {label}{" "}
        {version ? (
          <Badge tone={version.state === "approved" ? "ok" : "neutral"}>
            {`Version ${version.version}: ${version.state === "approved" ? "approved" : "draft"}`}
          </Badge>
        ) : null}
      </h3>
      {hasSubject ? (
        <div className="field">
          <label htmlFor={`${id}-s`}>Subject ({label})</label>
          <input
            type="text"
            id={`${id}-s`}
            value={subject}
            onChange={(e) => setSubject(e.target.value)}
            readOnly={!canWrite}
            maxLength={200}
          />
        </div>
      ) : null}
      <div className="field">
        <label htmlFor={`${id}-b`}>Text ({label})</label>
        <textarea
          id={`${id}-b`}
          rows={8}
          value={body}
          onChange={(e) => setBody(e.target.value)}
          readOnly={!canWrite}
          required
        />
      </div>
      {add.isError ? <ErrorPanel error={add.error} title="The version was not saved" /> : null}
      {approve.isError ? <ErrorPanel error={approve.error} title="The version was not approved" /> : null}
      <div className="form-actions">
        {canWrite ? (
          <button type="submit" className="button button-secondary" disabled={add.isPending || !changed}>
            Save as a new draft ({label})
          </button>
        ) : null}
        {canApprove && version?.state === "draft" && !changed ? (
          <button
            type="button"
            className="button button-primary"
            disabled={approve.isPending}
            onClick={() => approve.mutate(version.id)}
          >
            Approve version {version.version} ({label})
          </button>
        ) : null}
      </div>
    </form>
  );
}

function PreviewPane({
  version,
  memberId,
  channel,
}: {
  version: VersionDto;
  memberId: number | null;
  channel: Channel;
}) {
  const preview = usePreview(version.id, memberId);
  const label = LANGUAGE_LABELS[version.language];
  if (preview.isPending) return <Loading label="Rendering the preview…" />;
  if (preview.isError)
    return <ErrorPanel error={preview.error} title={`Cannot preview the ${label} version`} />;
  const p = preview.data;
  return (
    <figure className="preview" aria-label={`${label} preview`}>
      <figcaption>
        <strong>{label}</strong>
        {p.subject ? <> · Subject: {p.subject}</> : null}
      </figcaption>
      {p.html !== null ? (
        <iframe className="preview-frame" title={`${label} email as HTML`} sandbox="" srcDoc={p.html} />
      ) : null}
      {p.sms ? (
        <p className="small" data-testid="sms-segments">
          {plural(p.sms.segments, "SMS segment")}: {formatNumber(p.sms.characters)} characters in{" "}
          {p.sms.encoding}
        </p>
      ) : null}
      <h4 className="small">{channel === "email" ? "Plain-text part" : "Text"}</h4>
      <pre className="preview-text">{p.text}</pre>
    </figure>
  );
}

// ---------------------------------------------------------------- Sends

function SendsPart({ canSend }: { canSend: boolean }) {
  const id = useId();
  const sends = useSends();
  const [watching, setWatching] = useState<number | null>(null);
  return (
    <section className="section card" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>Sends</h2>
      {canSend ? <SendForm onQueued={(s) => setWatching(s.id)} /> : null}
      {watching !== null ? <SendProgress sendId={watching} /> : null}
      <h3>Recent sends</h3>
      {sends.isPending ? <Loading label="Loading sends…" /> : null}
      {sends.isError ? <ErrorPanel error={sends.error} title="Cannot load the sends" /> : null}
      {sends.data?.length === 0 ? <Empty>Nothing sent yet.</Empty> : null}
      {sends.data && sends.data.length > 0 ? (
        <ul className="plain-list send-list">
          {sends.data.map((s) => (
            <li key={s.id}>
              <button
                type="button"
                className="button button-small button-secondary"
                onClick={() => setWatching(s.id)}
              >
                {`Send #${s.id}: ${s.templateName}`}
              </button>{" "}
              <span className="muted small">
                {CHANNEL_LABELS[s.channel]} · {formatDateTime(s.createdAt)}
              </span>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

function SendForm({ onQueued }: { onQueued: (s: SendDto) => void }) {
  const templates = useTemplates();
  const segments = useSegments();
  const queue = useQueueSend();
  const [templateId, setTemplateId] = useState("");
  const [segmentId, setSegmentId] = useState("");
  const [fallbackIds, setFallbackIds] = useState<Partial<Record<Channel, string>>>({});
  const [confirming, setConfirming] = useState(false);
  const approved = (templates.data ?? []).filter((t) => t.versions.some((v) => v.state === "approved"));
  const template = approved.find((t) => String(t.id) === templateId) ?? null;
  // A failed message may go by a later channel (email, then SMS, then letter), with a template of the same purpose.
  const laterChannels: Channel[] =
    template?.channel === "email" ? ["sms", "letter"] : template?.channel === "sms" ? ["letter"] : [];
  const fallbackChoices = (channel: Channel) =>
    approved.filter((t) => t.channel === channel && t.purpose === template?.purpose);
  const chosenFallbacks = laterChannels
    .map((c) => fallbackIds[c])
    .filter((v): v is string => Boolean(v))
    .map(Number);
  const count = useSegmentCount(
    template && segmentId ? Number(segmentId) : null,
    template?.channel ?? "email",
    template?.purpose ?? "campaign",
  );

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!template || !segmentId) return;
    if (!confirming) {
      setConfirming(true);
      return;
    }
    queue.mutate(
      {
        templateId: template.id,
        segmentId: Number(segmentId),
        ...(chosenFallbacks.length ? { fallbackTemplateIds: chosenFallbacks } : {}),
      },
      {
        onSuccess: (s) => {
          setConfirming(false);
          onQueued(s);
        },
      },
    );
  };

  return (
    <form className="form-stack" aria-label="Send a message" onSubmit={submit}>
      <div className="filter-row">
        <SelectField
          label="Approved template"
          value={templateId}
          emptyLabel="Choose a template"
          options={idOptions(approved, templateLabel)}
          onChange={(v) => {
            setTemplateId(v);
            setFallbackIds({});
            setConfirming(false);
          }}
        />
        <SelectField
          label="To the audience"
          value={segmentId}
          emptyLabel="Choose an audience"
          options={idOptions(segments.data, (s) => s.name)}
          onChange={(v) => {
            setSegmentId(v);
            setConfirming(false);
          }}
        />
      </div>
      {laterChannels.length ? (
        <fieldset className="fieldset">
          <legend>If a message cannot be delivered</legend>
          <p className="muted small">
            A hard bounce, a number that does not exist or no address on this channel: the member gets the
            message by their next channel instead, where they have consented and have an address. Never a
            second copy to a member already reached.
          </p>
          <div className="filter-row">
            {laterChannels.map((c) => (
              <SelectField
                key={c}
                label={`Then by ${CHANNEL_LABELS[c].toLowerCase()}`}
                value={fallbackIds[c] ?? ""}
                emptyLabel="No fallback"
                options={idOptions(fallbackChoices(c), (t) => t.name)}
                onChange={(v) => {
                  setFallbackIds({ ...fallbackIds, [c]: v });
                  setConfirming(false);
                }}
              />
            ))}
          </div>
        </fieldset>
      ) : null}
      {template && segmentId ? (
        <AudienceCount segmentId={Number(segmentId)} channel={template.channel} purpose={template.purpose} />
      ) : null}
      {confirming && count.data ? (
        <Notice tone="warning" title="Send now?">
          <p>
            {plural(count.data.reachable, "member")} will get “{template?.name}”. A message sent cannot be
            called back.
          </p>
        </Notice>
      ) : null}
      {queue.isError ? <ErrorPanel error={queue.error} title="The send was not queued" /> : null}
      <div className="form-actions">
        <button
          type="submit"
          className="button button-primary"
          disabled={!template || !segmentId || !count.data || count.data.reachable === 0 || queue.isPending}
        >
          {confirming ? `Confirm: send to ${plural(count.data?.reachable ?? 0, "member")}` : "Send…"}
        </button>
        {confirming ? (
          <button type="button" className="button button-secondary" onClick={() => setConfirming(false)}>
            Not now
          </button>
        ) : null}
      </div>
    </form>
  );
}

/** A send as it goes: its job's bar, then the ledger's counts (sent, failed, not sent and why). */
function SendProgress({ sendId }: { sendId: number }) {
  const id = useId();
  const first = useSend(sendId, false);
  const job = useSendJob(first.data?.jobId ?? null);
  const running = first.data?.jobId != null && sendIsRunning(job.data);
  const send = useSend(sendId, running);
  const refetch = send.refetch;
  const queryClient = useQueryClient();
  // One more read when the job ends, so the last marks show (and the deliverability panel counts them).
  useEffect(() => {
    if (!running) {
      void refetch();
      void queryClient.invalidateQueries({ queryKey: [...commsKeys.all, "deliverability"] });
    }
  }, [running, refetch, queryClient]);
  if (send.isPending) return <Loading label="Loading the send…" />;
  if (send.isError) return <ErrorPanel error={send.error} title="Cannot load the send" />;
  const s = send.data;
  const m = s.messages;
  const j = job.data;
  const pct = j?.total ? Math.min(100, Math.round((j.done / j.total) * 100)) : null;
  return (
    <section className="section" aria-labelledby={`${id}-h`} data-testid="send-progress">
      <h3 id={`${id}-h`}>
        Send #{s.id}: {s.templateName}
      </h3>
      <div className="progress-block">
        <label htmlFor={`${id}-bar`} className="progress-label">
          {running ? "Sending" : j?.state === "succeeded" ? "Finished" : j ? `The job ${j.state}` : "Waiting"}
          {pct !== null ? ` · ${pct}%` : ""}
        </label>
        {pct === null ? (
          running ? (
            <progress id={`${id}-bar`} className="progress" />
          ) : (
            <progress id={`${id}-bar`} className="progress" max={100} value={100} />
          )
        ) : (
          <progress id={`${id}-bar`} className="progress" max={100} value={pct}>
            {pct}%
          </progress>
        )}
      </div>
      {j?.state === "failed" && j.errorMessage ? <Notice tone="error">{j.errorMessage}</Notice> : null}
      {s.fallback.length ? (
        <p className="muted small">
          Falls back to {s.fallback.map((f) => CHANNEL_LABELS[f.channel].toLowerCase()).join(", then ")} for
          members it cannot reach.
        </p>
      ) : null}
      <dl className="stat-grid stat-grid-compact" aria-label="Delivery">
        <div className="stat">
          <dt>Sent</dt>
          <dd>{formatNumber(m.sent)}</dd>
        </div>
        <div className="stat">
          <dt>Failed</dt>
          <dd>{formatNumber(m.failed)}</dd>
        </div>
        <div className="stat">
          <dt>Not sent</dt>
          <dd>{formatNumber(m.suppressed)}</dd>
        </div>
        <div className="stat">
          <dt>Still to send</dt>
          <dd>{formatNumber(m.pending + m.sending)}</dd>
        </div>
      </dl>
      {s.suppressed.length > 0 ? (
        <>
          <h4>Why members were not sent it</h4>
          <ul className="plain-list">
            {s.suppressed.map((r) => (
              <li key={r.reason}>
                {formatNumber(r.members)} {r.label}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}
