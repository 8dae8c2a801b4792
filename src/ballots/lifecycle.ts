/**
 * The ballot's lifecycle as one table: for each state, which actions it
 * allows, and for each it refuses, why, in the words the officer reads. The
 * services refuse from it (`refuseUnless`), the ballot DTO carries it (each
 * action with its answer), and the web app disables its buttons with the same
 * reason. Pure: no database, no clock.
 */
import { BALLOT_STATES, type BallotState } from "./ballots.model.js";

export const BALLOT_ACTIONS = [
  "edit_setup",
  "record_statement",
  "freeze",
  "list_electorate",
  "generate_notices",
  "produce_voter_file",
  "record_replacements",
  "record_result",
  "record_scrutineer_report",
  "produce_result_notices",
  "preview_action_notice",
  "give_action_notice",
  "extend_mandate",
] as const;
export type BallotAction = (typeof BALLOT_ACTIONS)[number];

/** What each action is, in the officer's words, and the states it is allowed in. */
const ACTIONS: Record<BallotAction, { doing: string; allowed: readonly BallotState[] }> = {
  edit_setup: { doing: "changing the set-up", allowed: ["draft", "frozen"] },
  record_statement: { doing: "recording the statement wording", allowed: ["draft", "frozen"] },
  freeze: { doing: "freezing the electorate", allowed: ["draft", "frozen"] },
  // A thawed (draft) ballot's rows are no electorate: names are listed only from a frozen snapshot.
  list_electorate: { doing: "listing the electorate", allowed: BALLOT_STATES.slice(1) },
  generate_notices: { doing: "generating notices", allowed: ["frozen", "notices_issued"] },
  produce_voter_file: {
    doing: "producing the voter file",
    allowed: ["notices_issued", "open", "closed", "result_declared"],
  },
  record_replacements: {
    doing: "recording replacement papers and late joiners",
    allowed: ["notices_issued", "open"],
  },
  record_result: {
    doing: "recording a result",
    allowed: ["notices_issued", "open", "closed", "result_declared"],
  },
  record_scrutineer_report: {
    doing: "recording the scrutineer's report",
    allowed: ["closed", "result_declared"],
  },
  produce_result_notices: { doing: "producing result notices", allowed: ["result_declared"] },
  preview_action_notice: {
    doing: "counting the affected employees",
    allowed: ["notices_issued", "open", "closed", "result_declared"],
  },
  give_action_notice: { doing: "giving notice of industrial action", allowed: ["result_declared"] },
  extend_mandate: { doing: "recording an extension of the mandate", allowed: ["result_declared"] },
};

const STATE_WORDS: Record<BallotState, string> = {
  draft: "a draft (its electorate is not frozen)",
  frozen: "frozen",
  notices_issued: "past its notices of ballot",
  open: "open for voting",
  closed: "closed",
  result_declared: "declared",
};

/** Why an action is refused in a state, said for the officer; specific where a general sentence would puzzle. */
function reasonFor(state: BallotState, action: BallotAction): string {
  const { doing, allowed } = ACTIONS[action];
  if ((action === "edit_setup" || action === "freeze" || action === "record_statement") && state !== "draft")
    return `The notices of ballot have been generated from the frozen electorate, so ${doing} is no longer possible.`;
  if (state === "draft" && allowed.includes("frozen"))
    return `Freeze the electorate first: ${doing} needs a frozen electorate.`;
  if (state === "draft")
    return `The ballot is a draft; ${doing} comes later, once the notices of ballot are out.`;
  const words = allowed.map((s) => STATE_WORDS[s]);
  return `The ballot is ${STATE_WORDS[state]}; ${doing} needs it to be ${words.join(" or ")}.`;
}

export type ActionAnswer =
  | { action: BallotAction; allowed: true }
  | { action: BallotAction; allowed: false; code: "ballots.wrong_state"; reason: string };

/** The answer for one state and action. */
export function canDo(state: BallotState, action: BallotAction): ActionAnswer {
  if (ACTIONS[action].allowed.includes(state)) return { action, allowed: true };
  return { action, allowed: false, code: "ballots.wrong_state", reason: reasonFor(state, action) };
}

/** Every action's answer in a state, in a fixed order (the ballot DTO's `actions`). */
export function actionsIn(state: BallotState): ActionAnswer[] {
  return BALLOT_ACTIONS.map((a) => canDo(state, a));
}

/** The states an action is allowed in (for the refusal's details). */
export function allowedStates(action: BallotAction): readonly BallotState[] {
  return ACTIONS[action].allowed;
}
