import { type FormEvent, useEffect, useId, useState } from "react";

/**
 * A search box that applies on submit (Enter or the button), so each keystroke
 * does not fire a query; it follows the URL when that changes (back button).
 */
export function SearchBox({
  label,
  value,
  placeholder,
  onSearch,
}: {
  label: string;
  value: string;
  placeholder?: string;
  onSearch: (text: string) => void;
}) {
  const id = useId();
  const [text, setText] = useState(value);
  useEffect(() => setText(value), [value]);
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    onSearch(text.trim());
  };
  return (
    <search>
      <form className="search-form" onSubmit={submit}>
        <div className="field field-grow">
          <label htmlFor={id}>{label}</label>
          <div className="input-with-button">
            <input
              id={id}
              type="search"
              value={text}
              placeholder={placeholder}
              onChange={(e) => setText(e.target.value)}
              autoComplete="off"
              spellCheck={false}
            />
            <button type="submit" className="button button-primary">
              Search
            </button>
          </div>
        </div>
      </form>
    </search>
  );
}
