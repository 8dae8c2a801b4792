import { z } from "zod";

/** A row id in a path or query: a positive whole number that fits PostgreSQL's `integer`. */
export const RowId = z.coerce.number().int().positive().max(2_147_483_647);

/** The params of a `/:id` route. */
export const IdParams = z.object({ id: RowId });
