/** Pure: bringing a held day-of-action board up to date (shared by the web client and tests; no I/O). */
import type { BoardWorkplaceDto, DayBoardDto, DayBoardWireDto } from "./dayboard.model.js";

/** The board as sent (each workplace a row in the order of `fields`) back into objects. */
export function boardFromWire(wire: DayBoardWireDto): DayBoardDto {
  const { fields, workplaces, ...rest } = wire;
  return {
    ...rest,
    workplaces: workplaces.map((row) => {
      const w: Record<string, unknown> = {};
      for (let i = 0; i < fields.length; i++) w[fields[i]!] = row[i];
      return w as BoardWorkplaceDto;
    }),
  };
}

/**
 * The board the reader holds, brought up to date by an answer to `?since=`: a whole board replaces it;
 * changes replace the workplaces they name and drop the removed ones. Changes to a version the reader
 * does not hold cannot be applied, so they give undefined (ask for the whole board again).
 */
export function applyBoardChanges(held: DayBoardDto | undefined, next: DayBoardDto): DayBoardDto | undefined {
  if (next.since === null) return next;
  if (!held || held.version !== next.since) return undefined;
  const byId = new Map(held.workplaces.map((w) => [w.id, w]));
  for (const id of next.removed) byId.delete(id);
  for (const w of next.workplaces) byId.set(w.id, w);
  return { ...next, since: null, removed: [], workplaces: [...byId.values()].sort((a, b) => a.id - b.id) };
}
