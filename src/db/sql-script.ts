import { type Kysely, sql } from "kysely";

/**
 * Splits a migration script into statements. Both drivers run one statement
 * per call in the extended protocol, so a script is sent statement by
 * statement. Dollar-quoted bodies ($fn$ ... $fn$) may contain semicolons.
 */
export function splitSqlStatements(script: string): string[] {
  const statements: string[] = [];
  let current = "";
  let inDollar: string | null = null;
  const lines = script.split("\n");
  for (const line of lines) {
    const trimmed = line.trim();
    if (trimmed.startsWith("--") && inDollar === null) continue;
    current += `${line}\n`;
    for (const m of line.matchAll(/\$[a-z_]*\$/g)) {
      if (inDollar === null) inDollar = m[0];
      else if (inDollar === m[0]) inDollar = null;
    }
    if (inDollar === null && trimmed.endsWith(";")) {
      statements.push(current.trim().replace(/;$/, ""));
      current = "";
    }
  }
  if (current.trim()) statements.push(current.trim());
  return statements;
}

export async function runSqlScript(db: Kysely<unknown>, script: string): Promise<void> {
  for (const statement of splitSqlStatements(script)) {
    await sql.raw(statement).execute(db);
  }
}
