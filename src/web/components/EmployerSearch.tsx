/**
 * Searching the employer register to pick employers: the search box, what the
 * search found (or why not), and an employer as the results show it. The new
 * dispute form and the employer review picker both use them.
 */
import { type KeyboardEvent, type ReactNode, type Ref, useState } from "react";
import type { Page } from "../../shared/paging.js";
import { type EmployerListItemDto, useEmployers } from "../api/registers.js";
import { isClosed } from "../format.js";
import { Badge } from "./Badges.js";
import { Loading } from "./QueryState.js";

/** Enough to choose from; past that the search should be more precise. */
const EMPLOYER_RESULTS = 10;

/** The register is asked only when the user searches, not as they type. */
export function useEmployerSearch() {
  const [text, setText] = useState("");
  const [search, setSearch] = useState("");
  const employers = useEmployers({ search, pageSize: EMPLOYER_RESULTS }, search.length > 0);
  return { text, setText, search, run: () => setSearch(text.trim()), employers };
}

export type EmployerSearch = ReturnType<typeof useEmployerSearch>;

/**
 * The search box. In its own search form the button submits it; `nested` in
 * another form, Enter and the button search without sending that form.
 */
export function EmployerSearchField({
  id,
  label,
  search,
  inputRef,
  nested = false,
}: {
  id: string;
  label: string;
  search: EmployerSearch;
  inputRef: Ref<HTMLInputElement>;
  nested?: boolean;
}) {
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === "Enter") {
      event.preventDefault();
      search.run();
    }
  };
  return (
    <div className="field field-grow">
      <label htmlFor={id}>{label}</label>
      <div className="input-with-button">
        <input
          ref={inputRef}
          id={id}
          type="search"
          value={search.text}
          placeholder="Name or register code"
          autoComplete="off"
          spellCheck={false}
          onChange={(e) => search.setText(e.target.value)}
          onKeyDown={nested ? onKeyDown : undefined}
        />
        {nested ? (
          <button type="button" className="button button-secondary" onClick={search.run}>
            Search
          </button>
        ) : (
          <button type="submit" className="button button-primary">
            Search
          </button>
        )}
      </div>
    </div>
  );
}

/** What the last search found, drawn by `children`; nothing before a search, or why there is nothing to show. */
export function EmployerSearchResults({
  search,
  noMatchHint,
  children,
}: {
  search: EmployerSearch;
  /** Said after "No employer matches …". */
  noMatchHint?: string;
  children: (found: Page<EmployerListItemDto>) => ReactNode;
}) {
  const { employers } = search;
  if (search.search === "") return null;
  if (employers.isPending) return <Loading label="Searching employers…" />;
  if (employers.isError) {
    return (
      <p className="text-error" role="alert">
        Cannot search employers: {employers.error.message}
      </p>
    );
  }
  if (employers.data.items.length === 0) {
    return (
      <p className="muted" role="status">
        No employer matches “{search.search}
        {noMatchHint ? `”. ${noMatchHint}` : "”."}
      </p>
    );
  }
  return children(employers.data);
}

/** An employer as the register has it: name, closed or not, and what tells it from others of the name. */
export function EmployerFound({ employer: e, count }: { employer: EmployerListItemDto; count: string }) {
  return (
    <>
      {e.name}
      {isClosed(e.closedOn) ? <Badge tone="error">Closed</Badge> : null}
      <span className="cell-sub">{[e.sectorName, e.regionName, count].filter(Boolean).join(" · ")}</span>
    </>
  );
}
