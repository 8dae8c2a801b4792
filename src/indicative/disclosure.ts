/**
 * Disclosure control of an indicative ballot's results (decision 0022). Pure.
 *
 * - While the ballot is open no answers are shown, only turnout: answers read
 *   between two votes would tell how the voter in between voted.
 * - A constituency with fewer votes than the minimum has its answers withheld.
 * - Withheld constituencies must not be recoverable as the overall figure less
 *   the shown ones: while the withheld constituencies together hold some votes
 *   but fewer than the minimum, the smallest shown constituency is withheld too.
 * - The overall answers are withheld when fewer than the minimum voted in all.
 */
import type { ConstituencyResult, IndicativeQuestion } from "./indicative.model.js";

export interface ConstituencyTally {
  key: string;
  label: string;
  roll: number;
  voted: number;
  /** votes[question][choice] */
  votes: number[][];
}

export type Withheld = ConstituencyResult["withheld"];

function questionsOf(questions: readonly IndicativeQuestion[], votes: number[][]) {
  return questions.map((q, i) => ({
    text: q.text,
    choices: q.choices.map((choice, j) => ({ choice, votes: votes[i]?.[j] ?? 0 })),
  }));
}

export function discloseResults(
  questions: readonly IndicativeQuestion[],
  tallies: readonly ConstituencyTally[],
  minimumCell: number,
  closed: boolean,
): { overall: ConstituencyResult; constituencies: ConstituencyResult[] } {
  const withheld = new Map<string, Withheld>();
  for (const t of tallies) {
    if (!closed) withheld.set(t.key, "open");
    else if (t.voted < minimumCell) withheld.set(t.key, "below_minimum");
  }
  if (closed) {
    const suppressedVotes = () =>
      tallies.filter((t) => withheld.has(t.key)).reduce((sum, t) => sum + t.voted, 0);
    for (;;) {
      const hidden = suppressedVotes();
      if (hidden === 0 || hidden >= minimumCell) break;
      const shown = tallies.filter((t) => !withheld.has(t.key)).sort((a, b) => a.voted - b.voted);
      const next = shown[0];
      if (!next) break;
      withheld.set(next.key, "complementary");
    }
  }
  const total: ConstituencyTally = {
    key: "overall",
    label: "All constituencies",
    roll: tallies.reduce((s, t) => s + t.roll, 0),
    voted: tallies.reduce((s, t) => s + t.voted, 0),
    votes: questions.map((q, i) =>
      q.choices.map((_, j) => tallies.reduce((s, t) => s + (t.votes[i]?.[j] ?? 0), 0)),
    ),
  };
  const result = (t: ConstituencyTally, w: Withheld): ConstituencyResult => ({
    key: t.key,
    label: t.label,
    roll: t.roll,
    voted: t.voted,
    questions: w ? null : questionsOf(questions, t.votes),
    withheld: w,
  });
  const overallWithheld: Withheld = !closed ? "open" : total.voted < minimumCell ? "below_minimum" : null;
  return {
    overall: result(total, overallWithheld),
    constituencies: tallies.map((t) => result(t, withheld.get(t.key) ?? null)),
  };
}

export function withheldNotes(minimumCell: number, rows: readonly ConstituencyResult[]): string[] {
  const notes: string[] = [];
  if (rows.some((r) => r.withheld === "open"))
    notes.push("Answers are shown when the ballot closes; until then only turnout is shown.");
  if (rows.some((r) => r.withheld === "below_minimum"))
    notes.push(`Answers are withheld where fewer than ${minimumCell} members voted.`);
  if (rows.some((r) => r.withheld === "complementary"))
    notes.push(
      "Answers of the smallest constituency shown are withheld too, so withheld answers cannot be worked out from the overall figures.",
    );
  return notes;
}
