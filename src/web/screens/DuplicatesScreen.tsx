import { useRef, useState } from "react";
import { Link } from "react-router";
import { hasPermission, useUser } from "../api/auth.js";
import {
  DUPLICATE_STATUSES,
  type DuplicateGroupDto,
  type DuplicateMemberDto,
  type DuplicateStatus,
  useDecideDuplicate,
  useDuplicateGroups,
} from "../api/duplicates.js";
import { MEMBER_STATUS_OPTIONS } from "../api/members.js";
import { Badge, StatusBadge } from "../components/Badges.js";
import { intParam, usePageTitle, useQueryParams } from "../components/hooks.js";
import { PagedList } from "../components/Pager.js";
import { Empty, ErrorPanel, Loading } from "../components/QueryState.js";
import { formatDate, formatDateTime, formatPercent, titleCase } from "../format.js";

const PAGE_SIZE = 25;

const STATUS_LABEL: Record<DuplicateStatus, string> = {
  review: "To review",
  linked: "Same person",
  distinct: "Different people",
};

const STATUS_HELP: Record<DuplicateStatus, string> = {
  review:
    "Records that may be one person under two membership numbers. Decide each: one person must get one ballot paper.",
  linked: "Records taken to be one person, found certain by the checks or confirmed by a reviewer.",
  distinct: "Records a reviewer said belong to different people. They are not offered again.",
};

function statusParam(params: URLSearchParams): DuplicateStatus {
  const raw = params.get("status");
  return DUPLICATE_STATUSES.find((s) => s === raw) ?? "review";
}

interface Message {
  tone: "ok" | "error";
  text: string;
}

function names(group: DuplicateGroupDto): string {
  const all = [...new Set(group.members.map((m) => `${m.forenames} ${m.surname}`.trim()))];
  return all.length > 0 ? all.join(" / ") : `Group ${group.id}`;
}

export function DuplicatesScreen() {
  usePageTitle("Possible duplicates");
  const [params, update] = useQueryParams();
  const status = statusParam(params);
  const page = intParam(params, "page") ?? 1;
  const groups = useDuplicateGroups({ status, page, pageSize: PAGE_SIZE });
  const decide = useDecideDuplicate();
  const [message, setMessage] = useState<Message | null>(null);
  const messageRef = useRef<HTMLDivElement>(null);

  const onDecide = (group: DuplicateGroupDto, action: "link" | "distinct") => {
    setMessage(null);
    decide.mutate(
      { id: group.id, action },
      {
        onSuccess: () => {
          setMessage({
            tone: "ok",
            text: `${names(group)}: ${action === "link" ? "recorded as the same person" : "recorded as different people"}.`,
          });
          requestAnimationFrame(() => messageRef.current?.focus());
        },
        onError: (error) => {
          setMessage({ tone: "error", text: `${names(group)} was not changed: ${error.message}` });
          requestAnimationFrame(() => messageRef.current?.focus());
        },
      },
    );
  };

  return (
    <>
      <div className="page-head">
        <h1>Possible duplicates</h1>
        <p className="lead">
          Nothing is merged or deleted here: you record whether the records are one person, so that each
          person is counted once and sent one ballot paper.
        </p>
      </div>

      <nav aria-label="Decision" className="tabs">
        <ul className="tab-list">
          {DUPLICATE_STATUSES.map((s) => (
            <li key={s}>
              <Link
                to={s === "review" ? "/duplicates" : `/duplicates?status=${s}`}
                className="tab"
                aria-current={s === status ? "page" : undefined}
              >
                {STATUS_LABEL[s]}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <p className="muted">{STATUS_HELP[status]}</p>

      <div ref={messageRef} tabIndex={-1} className="message-focus">
        {message ? (
          <p className={message.tone === "ok" ? "verdict verdict-ok" : "verdict verdict-broken"}>
            {message.text}
          </p>
        ) : null}
      </div>

      {groups.isPending ? (
        <Loading label="Loading possible duplicates…" />
      ) : groups.isError ? (
        <ErrorPanel
          error={groups.error}
          title="Cannot load possible duplicates"
          onRetry={() => void groups.refetch()}
        />
      ) : (
        <section aria-label="Groups of records" className={groups.isPlaceholderData ? "is-stale" : undefined}>
          <PagedList
            result={groups.data}
            noun="groups"
            onPage={(p) => update({ page: p })}
            busy={groups.isFetching}
            repeatBelow={3}
          >
            {groups.data.items.length === 0 ? (
              <Empty>
                {status === "review"
                  ? "Nothing to review. Each member import checks the register for duplicates again."
                  : "No groups here yet."}
              </Empty>
            ) : (
              <ul className="dup-list">
                {groups.data.items.map((g) => (
                  <GroupCard
                    key={g.id}
                    group={g}
                    pending={decide.isPending && decide.variables?.id === g.id}
                    disabled={decide.isPending}
                    onDecide={(action) => onDecide(g, action)}
                  />
                ))}
              </ul>
            )}
          </PagedList>
        </section>
      )}
    </>
  );
}

type FieldKey = "dateOfBirth" | "homePostcode" | "email" | "employerName";

/** Compared so the reviewer sees at a glance what agrees. */
const COMPARED: readonly { key: FieldKey; label: string }[] = [
  { key: "dateOfBirth", label: "Date of birth" },
  { key: "homePostcode", label: "Postcode" },
  { key: "email", label: "Email" },
  { key: "employerName", label: "Employer" },
];

function normalised(value: string | null): string {
  return (value ?? "").replace(/\s+/g, "").toLowerCase();
}

function GroupCard({
  group,
  pending,
  disabled,
  onDecide,
}: {
  group: DuplicateGroupDto;
  pending: boolean;
  disabled: boolean;
  onDecide: (action: "link" | "distinct") => void;
}) {
  const user = useUser();
  const canOpenMembers = hasPermission(user, "members.read");
  const headingId = `dup-${group.id}`;
  // A field agrees when every record has it and all are the same.
  const agrees = new Set<FieldKey>(
    COMPARED.filter(({ key }) => {
      const values = group.members.map((m) => normalised(m[key]));
      return values.length > 1 && values.every((v) => v !== "" && v === values[0]);
    }).map((f) => f.key),
  );

  return (
    <li className="card dup-card">
      <article aria-labelledby={headingId}>
        <div className="dup-head">
          <h2 id={headingId} className="card-title">
            {names(group)}
          </h2>
          <p className="dup-confidence">
            <strong>{formatPercent(group.confidence)}</strong> confidence
          </p>
        </div>
        {group.status !== "review" ? (
          <p className="small">
            <Badge tone={group.status === "linked" ? "ok" : "neutral"}>{STATUS_LABEL[group.status]}</Badge>{" "}
            {group.decidedAt ? (
              <span className="muted">Decided {formatDateTime(group.decidedAt)}</span>
            ) : (
              <span className="muted">Found certain by the checks</span>
            )}
          </p>
        ) : null}
        {group.evidence.length > 0 ? (
          <ul className="chips evidence-chips" aria-label="Evidence">
            {group.evidence.map((e) => (
              <li key={e} className="chip chip-static">
                {e}
              </li>
            ))}
          </ul>
        ) : null}

        <ul className="dup-members" aria-label="Records">
          {group.members.map((m) => (
            <MemberRecord key={m.id} member={m} agrees={agrees} canOpen={canOpenMembers} />
          ))}
        </ul>

        <div className="form-actions">
          {group.status !== "linked" ? (
            <button
              type="button"
              className="button button-primary"
              disabled={disabled}
              onClick={() => onDecide("link")}
              aria-describedby={headingId}
            >
              Same person
            </button>
          ) : null}
          {group.status !== "distinct" ? (
            <button
              type="button"
              className="button button-secondary"
              disabled={disabled}
              onClick={() => onDecide("distinct")}
              aria-describedby={headingId}
            >
              Different people
            </button>
          ) : null}
          {pending ? <span className="muted small">Saving…</span> : null}
        </div>
      </article>
    </li>
  );
}

function MemberRecord({
  member: m,
  agrees,
  canOpen,
}: {
  member: DuplicateMemberDto;
  agrees: ReadonlySet<FieldKey>;
  canOpen: boolean;
}) {
  const status = MEMBER_STATUS_OPTIONS.find((s) => s === m.status);
  const value = (key: FieldKey, text: string | null) => {
    if (!text) return <span className="muted">Not recorded</span>;
    return agrees.has(key) ? (
      <span className="agrees">
        {text}
        <span className="visually-hidden"> (same in every record)</span>
      </span>
    ) : (
      text
    );
  };
  return (
    <li className="dup-member">
      <p className="dup-number">
        {canOpen ? (
          <Link to={`/members/${m.id}`} className="mono-link">
            {m.membershipNumber}
          </Link>
        ) : (
          <span className="mono-link">{m.membershipNumber}</span>
        )}
        {status ? <StatusBadge status={status} /> : <Badge tone="neutral">{titleCase(m.status)}</Badge>}
      </p>
      <dl className="dup-facts">
        <div>
          <dt>Name</dt>
          <dd>
            {m.forenames} {m.surname}
          </dd>
        </div>
        <div>
          <dt>Date of birth</dt>
          <dd>{value("dateOfBirth", m.dateOfBirth ? formatDate(m.dateOfBirth) : null)}</dd>
        </div>
        <div>
          <dt>Postcode</dt>
          <dd>{value("homePostcode", m.homePostcode)}</dd>
        </div>
        <div>
          <dt>Email</dt>
          <dd className="break">{value("email", m.email)}</dd>
        </div>
        <div>
          <dt>Employer</dt>
          <dd>{value("employerName", m.employerName)}</dd>
        </div>
      </dl>
    </li>
  );
}
