import { type Expression, type ExpressionBuilder, type SqlBool, sql } from "kysely";
import type { Database } from "../db/database.js";
import type { Grant } from "./permissions.js";

/**
 * The SQL form of a grant's row scope. Every store query over members or
 * member counts takes a Grant and applies one of these, so a query cannot
 * be written without a scope. Mirrors `rowInScope` in permissions.ts.
 */
const NOTHING = sql<SqlBool>`false`;

export function memberInScope(grant: Grant) {
  return (eb: ExpressionBuilder<Database, "members">): Expression<SqlBool> => {
    const union = eb("members.union_id", "=", grant.unionId);
    const rows = grant.rows;
    switch (rows.kind) {
      case "all":
        return union;
      case "regions":
        return rows.ids.length ? eb.and([union, eb("members.region_id", "in", rows.ids)]) : NOTHING;
      case "workplaces":
        return rows.ids.length ? eb.and([union, eb("members.workplace_id", "in", rows.ids)]) : NOTHING;
      case "sectors":
        return rows.ids.length
          ? eb.and([
              union,
              eb(
                "members.employer_id",
                "in",
                eb
                  .selectFrom("employers")
                  .select("employers.id")
                  .where("employers.sector_id", "in", rows.ids),
              ),
            ])
          : NOTHING;
    }
  };
}

export function countsInScope(grant: Grant) {
  return (eb: ExpressionBuilder<Database, "member_counts">): Expression<SqlBool> => {
    const union = eb("member_counts.union_id", "=", grant.unionId);
    const rows = grant.rows;
    switch (rows.kind) {
      case "all":
        return union;
      case "regions":
        return rows.ids.length ? eb.and([union, eb("member_counts.region_id", "in", rows.ids)]) : NOTHING;
      case "workplaces":
        return rows.ids.length ? eb.and([union, eb("member_counts.workplace_id", "in", rows.ids)]) : NOTHING;
      case "sectors":
        return rows.ids.length
          ? eb.and([
              union,
              eb(
                "member_counts.employer_id",
                "in",
                eb
                  .selectFrom("employers")
                  .select("employers.id")
                  .where("employers.sector_id", "in", rows.ids),
              ),
            ])
          : NOTHING;
    }
  };
}
