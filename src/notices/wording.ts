/** Words shared by the documents, so the same thing is called the same on every one. */
import type { ActionKind, ActionSpec } from "./documents.model.js";

/** The kinds of action as the documents name them; each kind is a separate question (s.229(2)). */
export const ACTION_LABEL: Record<ActionKind, string> = {
  strike: "Strike",
  action_short_of_strike: "Action short of a strike",
};

/** "Strike" or "Action short of a strike: overtime ban; call-out ban". */
export function describeAction(action: ActionSpec): string {
  const label = ACTION_LABEL[action.kind];
  return action.types.length ? `${label}: ${action.types.join("; ")}` : label;
}
