import { type FormEvent, useEffect, useId, useRef, useState } from "react";
import { Link } from "react-router";
import { useWorkplaces } from "../api/registers.js";
import {
  ORG_STRING_STATUSES,
  type OrgStringCandidate,
  type OrgStringDecision,
  type OrgStringDto,
  type OrgStringStatus,
  useBulkDecideOrgStrings,
  useDecideOrgString,
  useOrgStrings,
} from "../api/review.js";
import { Badge } from "../components/Badges.js";
import {
  EmployerFound,
  EmployerSearchField,
  EmployerSearchResults,
  useEmployerSearch,
} from "../components/EmployerSearch.js";
import { SearchBox } from "../components/Filters.js";
import { intParam, textParam, usePageTitle, useQueryParams } from "../components/hooks.js";
import { PagedList } from "../components/Pager.js";
import { Empty, ErrorPanel, Loading } from "../components/QueryState.js";
import { formatNumber, formatPercent, isClosed, plural, workplaceChoice } from "../format.js";

const PAGE_SIZE = 50;
/** Candidates shown per string: the matcher's best few. */
const TOP_CANDIDATES = 3;

const STATUS_LABEL: Record<OrgStringStatus, string> = {
  review: "To review",
  unmatched: "Unmatched",
  auto: "Matched automatically",
  reviewed: "Reviewed",
};

const STATUS_HELP: Record<OrgStringStatus, string> = {
  review: "The matcher found likely employers but is not sure enough to decide alone.",
  unmatched: "No employer found, or marked unknown by a reviewer. These members count towards no employer.",
  auto: "Matched with high confidence. Check the largest ones: a wrong match puts members in the wrong ballot.",
  reviewed: "Decided by a reviewer. A new decision replaces the old one.",
};

function statusParam(params: URLSearchParams): OrgStringStatus {
  const raw = params.get("status");
  return ORG_STRING_STATUSES.find((s) => s === raw) ?? "review";
}

/** What members wrote, for messages and labels. */
function describe(row: OrgStringDto): string {
  const parts = [row.employerText.trim(), row.workplaceText.trim()].filter(Boolean);
  return parts.length > 0 ? `“${parts.join(", ")}”` : "the blank employer";
}

interface Message {
  tone: "ok" | "error";
  text: string;
}

export function ReviewScreen() {
  usePageTitle("Employer review");
  const [params, update] = useQueryParams();
  const status = statusParam(params);
  const search = textParam(params, "search");
  const page = intParam(params, "page") ?? 1;
  const list = useOrgStrings({ status, search, page, pageSize: PAGE_SIZE });
  const decide = useDecideOrgString();
  const bulk = useBulkDecideOrgStrings();

  const [selected, setSelected] = useState<ReadonlySet<number>>(() => new Set());
  const [pickerFor, setPickerFor] = useState<number | null>(null);
  const [message, setMessage] = useState<Message | null>(null);
  const messageRef = useRef<HTMLDivElement>(null);

  // A new list (tab, search, page) starts with nothing selected and no picker open.
  const listKey = `${status}|${search ?? ""}|${page}`;
  const [shownKey, setShownKey] = useState(listKey);
  if (shownKey !== listKey) {
    setShownKey(listKey);
    setSelected(new Set());
    setPickerFor(null);
  }

  // The decided row (or the bulk bar) leaves the page: focus goes to the result instead of being lost.
  const say = (next: Message) => {
    setMessage(next);
    requestAnimationFrame(() => messageRef.current?.focus());
  };

  const decideOne = (row: OrgStringDto, decision: OrgStringDecision, what: string) => {
    setMessage(null);
    decide.mutate(
      { id: row.id, decision },
      {
        onSuccess: (result) => {
          setPickerFor((open) => (open === row.id ? null : open));
          setSelected((prev) => {
            const next = new Set(prev);
            next.delete(row.id);
            return next;
          });
          say({
            tone: "ok",
            text: `${describe(row)} ${what}. Applied to ${plural(result.membersUpdated, "member")}.`,
          });
        },
        onError: (error) =>
          say({ tone: "error", text: `${describe(row)} was not changed: ${error.message}` }),
      },
    );
  };

  const decideMany = (action: "accept" | "unknown") => {
    const ids = [...selected];
    if (ids.length === 0) return;
    setMessage(null);
    bulk.mutate(
      { ids, action },
      {
        onSuccess: (result) => {
          setSelected(new Set());
          say({
            tone: "ok",
            text: `${plural(result.strings, "text")} ${action === "accept" ? "accepted" : "marked unknown"}. Applied to ${plural(result.membersUpdated, "member")}.`,
          });
        },
        onError: (error) => say({ tone: "error", text: `Nothing was changed: ${error.message}` }),
      },
    );
  };

  const items = list.data?.items ?? [];
  const selectedRows = items.filter((r) => selected.has(r.id));
  const withoutCandidate = selectedRows.filter((r) => r.candidates.length === 0).length;
  const busy = decide.isPending || bulk.isPending;

  return (
    <>
      <div className="page-head">
        <h1>Employer review</h1>
        <p className="lead">
          Members write their employer and workplace in their own words. Each distinct text is matched to the
          employer register once: a decision here applies to every member who wrote it and is remembered for
          later imports.
        </p>
      </div>

      <StatusTabs current={status} counts={list.data?.counts} search={search} />
      <p className="muted">{STATUS_HELP[status]}</p>

      <div className="filters card">
        <SearchBox
          label="Search what members wrote"
          placeholder="Employer or workplace text"
          value={search ?? ""}
          onSearch={(text) => update({ search: text })}
        />
      </div>

      <div ref={messageRef} tabIndex={-1} className="message-focus">
        {message ? (
          <p className={message.tone === "ok" ? "verdict verdict-ok" : "verdict verdict-broken"}>
            {message.text}
          </p>
        ) : null}
      </div>

      {list.isPending ? (
        <Loading label="Loading the review queue…" />
      ) : list.isError ? (
        <ErrorPanel
          error={list.error}
          title="Cannot load the review queue"
          onRetry={() => void list.refetch()}
        />
      ) : (
        <section aria-label="Employer texts" className={list.isPlaceholderData ? "is-stale" : undefined}>
          <PagedList
            result={list.data}
            noun="texts"
            onPage={(p) => update({ page: p })}
            busy={list.isFetching}
          >
            {items.length === 0 ? (
              <Empty>
                {search
                  ? "Nothing members wrote matches that search here. Try a shorter search, or another tab."
                  : status === "review"
                    ? "Nothing to review. New texts arrive with each member import."
                    : "No texts in this state."}
              </Empty>
            ) : (
              <>
                <div className="bulk-bar">
                  <SelectAll rows={items} selected={selected} onChange={setSelected} disabled={busy} />
                  <p className="bulk-count" aria-live="polite">
                    {selected.size === 0 ? "None selected" : `${plural(selected.size, "text")} selected`}
                  </p>
                  <div className="bulk-buttons">
                    <button
                      type="button"
                      className="button button-secondary button-small"
                      disabled={selected.size === 0 || busy || withoutCandidate > 0}
                      onClick={() => decideMany("accept")}
                    >
                      Accept selected
                    </button>
                    <button
                      type="button"
                      className="button button-secondary button-small"
                      disabled={selected.size === 0 || busy}
                      onClick={() => decideMany("unknown")}
                    >
                      Mark selected unknown
                    </button>
                  </div>
                  {withoutCandidate > 0 ? (
                    <p className="small text-warning bulk-note">
                      {plural(withoutCandidate, "selected text")} {withoutCandidate === 1 ? "has" : "have"} no
                      candidate to accept: choose an employer for {withoutCandidate === 1 ? "it" : "them"}, or
                      unselect {withoutCandidate === 1 ? "it" : "them"}.
                    </p>
                  ) : null}
                </div>
                <div className="table-scroll">
                  <table className="table table-cards review-table">
                    <caption className="visually-hidden">
                      {STATUS_LABEL[status]}: employer texts members wrote, most members first
                    </caption>
                    <thead>
                      <tr>
                        <th scope="col" className="check-col">
                          <span className="visually-hidden">Select</span>
                        </th>
                        <th scope="col">Members wrote</th>
                        <th scope="col" className="num">
                          Members
                        </th>
                        <th scope="col">Candidates</th>
                        <th scope="col">Decision</th>
                      </tr>
                    </thead>
                    <tbody>
                      {items.map((row) => (
                        <ReviewRow
                          key={row.id}
                          row={row}
                          checked={selected.has(row.id)}
                          onCheck={(on) =>
                            setSelected((prev) => {
                              const next = new Set(prev);
                              if (on) next.add(row.id);
                              else next.delete(row.id);
                              return next;
                            })
                          }
                          pickerOpen={pickerFor === row.id}
                          onTogglePicker={() => setPickerFor((open) => (open === row.id ? null : row.id))}
                          pending={(decide.isPending && decide.variables?.id === row.id) || bulk.isPending}
                          onDecide={(decision, what) => decideOne(row, decision, what)}
                        />
                      ))}
                    </tbody>
                  </table>
                </div>
              </>
            )}
          </PagedList>
        </section>
      )}
    </>
  );
}

function StatusTabs({
  current,
  counts,
  search,
}: {
  current: OrgStringStatus;
  counts: Record<string, number> | undefined;
  search: string | undefined;
}) {
  return (
    <nav aria-label="Match status" className="tabs">
      <ul className="tab-list">
        {ORG_STRING_STATUSES.map((s) => {
          const n = counts ? (counts[s] ?? 0) : undefined;
          const query = new URLSearchParams();
          if (s !== "review") query.set("status", s);
          if (search) query.set("search", search);
          const qs = query.toString();
          return (
            <li key={s}>
              <Link
                to={qs ? `/review?${qs}` : "/review"}
                className="tab"
                aria-current={s === current ? "page" : undefined}
              >
                {STATUS_LABEL[s]}
                {n !== undefined ? (
                  <span className={s === "review" && n > 0 ? "tab-count tab-count-attention" : "tab-count"}>
                    {formatNumber(n)}
                    <span className="visually-hidden"> texts</span>
                  </span>
                ) : null}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}

function SelectAll({
  rows,
  selected,
  onChange,
  disabled,
}: {
  rows: readonly OrgStringDto[];
  selected: ReadonlySet<number>;
  onChange: (next: ReadonlySet<number>) => void;
  disabled: boolean;
}) {
  const id = useId();
  const ref = useRef<HTMLInputElement>(null);
  const onPage = rows.filter((r) => selected.has(r.id)).length;
  const all = rows.length > 0 && onPage === rows.length;
  useEffect(() => {
    if (ref.current) ref.current.indeterminate = onPage > 0 && !all;
  }, [onPage, all]);
  return (
    <div className="field field-check select-all">
      <input
        ref={ref}
        id={id}
        type="checkbox"
        checked={all}
        disabled={disabled}
        onChange={(e) => onChange(e.target.checked ? new Set(rows.map((r) => r.id)) : new Set())}
      />
      <label htmlFor={id}>Select all on this page</label>
    </div>
  );
}

function ReviewRow({
  row,
  checked,
  onCheck,
  pickerOpen,
  onTogglePicker,
  pending,
  onDecide,
}: {
  row: OrgStringDto;
  checked: boolean;
  onCheck: (on: boolean) => void;
  pickerOpen: boolean;
  onTogglePicker: () => void;
  pending: boolean;
  onDecide: (decision: OrgStringDecision, what: string) => void;
}) {
  const top = row.candidates[0];
  const text = describe(row);
  const succession = successionOf(row.reason);
  const chooseId = `choose-${row.id}`;
  const pickerId = `picker-${row.id}`;
  const alreadyUnknown = row.status === "unmatched" && row.employerId === null;
  return (
    <>
      <tr className={pickerOpen ? "row-open" : undefined}>
        <td className="check-col" data-label="Select">
          <input
            type="checkbox"
            className="row-check"
            aria-label={`Select ${text}`}
            checked={checked}
            disabled={pending}
            onChange={(e) => onCheck(e.target.checked)}
          />
        </td>
        <th scope="row" data-label="Members wrote">
          {row.employerText.trim() ? row.employerText : <span className="muted">No employer given</span>}
          {row.workplaceText.trim() ? <span className="cell-sub">Workplace: {row.workplaceText}</span> : null}
        </th>
        <td data-label="Members" className="num">
          {formatNumber(row.members)}
        </td>
        <td data-label="Candidates">
          {row.employerName ? (
            <p className="current-match">
              <span className="muted small">Matched to </span>
              <strong>{row.employerName}</strong>
              {row.workplaceName ? `, ${row.workplaceName}` : ""}
              {row.confidence !== null && row.status === "auto" ? (
                <span className="muted small"> ({formatPercent(row.confidence)})</span>
              ) : null}
            </p>
          ) : null}
          {succession ? <p className="small">{succession}</p> : null}
          {row.candidates.length === 0 ? (
            <p className="muted small">{row.reason ?? "No candidate found on the register."}</p>
          ) : (
            <ol className="candidate-list">
              {shownCandidates(row).map((c, i) => (
                <Candidate key={`${c.employerId}-${c.workplaceId ?? ""}`} candidate={c} best={i === 0} />
              ))}
            </ol>
          )}
        </td>
        <td data-label="Decision">
          <div className="row-actions">
            <button
              type="button"
              className="button button-primary button-small"
              disabled={!top || pending}
              aria-label={top ? `Accept ${top.name} for ${text}` : `Accept: ${text} has no candidate`}
              onClick={() => top && onDecide({ action: "accept" }, `matched to ${top.name}`)}
            >
              Accept
            </button>
            <button
              id={chooseId}
              type="button"
              className="button button-secondary button-small"
              aria-label={`Choose another employer for ${text}`}
              aria-expanded={pickerOpen}
              aria-controls={pickerOpen ? pickerId : undefined}
              disabled={pending}
              onClick={onTogglePicker}
            >
              Choose another…
            </button>
            <button
              type="button"
              className="button button-secondary button-small"
              disabled={pending || alreadyUnknown}
              aria-label={`Mark unknown: ${text}`}
              onClick={() => onDecide({ action: "unknown" }, "marked unknown")}
            >
              Mark unknown
            </button>
          </div>
          {pending ? <p className="muted small">Saving…</p> : null}
        </td>
      </tr>
      {pickerOpen ? (
        <tr className="picker-row">
          <td colSpan={5}>
            <EmployerPicker
              id={pickerId}
              row={row}
              busy={pending}
              onCancel={() => {
                onTogglePicker();
                requestAnimationFrame(() => document.getElementById(chooseId)?.focus());
              }}
              onChoose={(employerId, workplaceId, name) =>
                onDecide({ action: "choose", employerId, workplaceId }, `matched to ${name}`)
              }
            />
          </td>
        </tr>
      ) : null}
    </>
  );
}

/**
 * The leading candidates, and every successor of an employer split between
 * several (a county council replaced by two unitary councils): the reviewer
 * must see each one to choose.
 */
function shownCandidates(row: OrgStringDto): OrgStringCandidate[] {
  return row.candidates.filter(
    (c, i) => i < TOP_CANDIDATES || c.evidence.some((e) => e.startsWith("successor of ")),
  );
}

/** What the reason says about an abolished employer ("... abolished 2023-04-01, succeeded by ..."). */
function successionOf(reason: string | null): string | null {
  const parts = (reason ?? "").split("; ").filter((p) => p.includes(" abolished "));
  return parts.length ? parts.join("; ") : null;
}

function Candidate({ candidate: c, best }: { candidate: OrgStringCandidate; best: boolean }) {
  return (
    <li className={best ? "candidate candidate-best" : "candidate"}>
      <span className="candidate-name">{c.name}</span>{" "}
      <span className="candidate-confidence">
        {formatPercent(c.confidence)}
        <span className="visually-hidden"> confidence</span>
      </span>
      {c.workplaceId === null ? null : <span className="muted small"> · workplace</span>}
      {c.closed ? <Badge tone="error">Closed</Badge> : null}
      {c.evidence.length > 0 ? (
        <ul className="evidence" aria-label="Evidence">
          {c.evidence.map((e) => (
            <li key={e}>{e}</li>
          ))}
        </ul>
      ) : null}
    </li>
  );
}

/** Search the employer register, pick an employer and (optionally) one of its workplaces. */
function EmployerPicker({
  id,
  row,
  busy,
  onCancel,
  onChoose,
}: {
  id: string;
  row: OrgStringDto;
  busy: boolean;
  onCancel: () => void;
  onChoose: (employerId: number, workplaceId: number | null, name: string) => void;
}) {
  const uid = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const search = useEmployerSearch();
  const [employerId, setEmployerId] = useState<number | null>(null);
  const [workplaceId, setWorkplaceId] = useState("");
  const workplaces = useWorkplaces(
    { employerId: employerId ?? undefined, pageSize: 500 },
    employerId !== null,
  );

  useEffect(() => inputRef.current?.focus(), []);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    search.run();
    setEmployerId(null);
    setWorkplaceId("");
  };

  const employer = search.employers.data?.items.find((e) => e.id === employerId);
  const workplace = workplaces.data?.items.find((w) => String(w.id) === workplaceId);
  const apply = () => {
    if (!employer) return;
    onChoose(
      employer.id,
      workplace ? workplace.id : null,
      workplace ? `${employer.name}, ${workplace.name}` : employer.name,
    );
  };

  return (
    <section id={id} className="picker" aria-labelledby={`${uid}-title`}>
      <h3 id={`${uid}-title`} className="picker-title">
        Choose the employer for {describe(row)}
      </h3>
      <search>
        <form className="search-form" onSubmit={submit}>
          <EmployerSearchField
            id={`${uid}-search`}
            label="Search the employer register"
            search={search}
            inputRef={inputRef}
          />
        </form>
      </search>

      <EmployerSearchResults search={search} noMatchHint="Try part of the name, or a register code.">
        {(found) => (
          <fieldset className="picker-choices">
            <legend>
              Employer
              {found.total > found.items.length ? (
                <span className="muted small">
                  {" "}
                  (first {found.items.length} of {formatNumber(found.total)}: search more precisely to see
                  others)
                </span>
              ) : null}
            </legend>
            <ul className="choice-list">
              {found.items.map((e) => (
                <li key={e.id}>
                  <input
                    id={`${uid}-e${e.id}`}
                    type="radio"
                    name={`${uid}-employer`}
                    checked={employerId === e.id}
                    onChange={() => {
                      setEmployerId(e.id);
                      setWorkplaceId("");
                    }}
                  />
                  <label htmlFor={`${uid}-e${e.id}`}>
                    <EmployerFound employer={e} count={plural(e.workplaceCount, "workplace")} />
                  </label>
                </li>
              ))}
            </ul>
          </fieldset>
        )}
      </EmployerSearchResults>

      {employer ? (
        <div className="field picker-workplace">
          <label htmlFor={`${uid}-workplace`}>Workplace (optional)</label>
          <select
            id={`${uid}-workplace`}
            value={workplaceId}
            onChange={(e) => setWorkplaceId(e.target.value)}
            disabled={workplaces.isPending}
          >
            <option value="">
              {workplaces.isPending ? "Loading workplaces…" : "No particular workplace"}
            </option>
            {(workplaces.data?.items ?? []).map((w) => (
              <option key={w.id} value={String(w.id)}>
                {workplaceChoice(w)}
              </option>
            ))}
          </select>
          {workplaces.isError ? (
            <p className="text-error small">Cannot load workplaces: {workplaces.error.message}</p>
          ) : null}
          {workplaces.data && workplaces.data.total > workplaces.data.items.length ? (
            <p className="muted small">
              Showing the first {formatNumber(workplaces.data.items.length)} of{" "}
              {formatNumber(workplaces.data.total)} workplaces.
            </p>
          ) : null}
          {workplace && isClosed(workplace.closedOn) ? (
            <p className="text-warning small">
              This workplace has closed: members recorded there make a notice of ballot wrong.
            </p>
          ) : null}
        </div>
      ) : null}

      <div className="form-actions">
        <button type="button" className="button button-primary" disabled={!employer || busy} onClick={apply}>
          {busy ? "Saving…" : `Apply to ${plural(row.members, "member")}`}
        </button>
        <button type="button" className="button button-secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </section>
  );
}
