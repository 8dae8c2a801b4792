import assert from "node:assert/strict";
import { test } from "node:test";
import { splitSqlStatements } from "./sql-script.js";

test("statements split on semicolons, but not inside dollar-quoted bodies or comments", () => {
  const parts = splitSqlStatements(`
create table a (x int);
-- a comment; with a semicolon
create function f() returns trigger language plpgsql as $fn$
begin
  raise exception 'no; never';
end
$fn$;
insert into a values (1);
`);
  assert.equal(parts.length, 3);
  assert.match(parts[1]!, /raise exception 'no; never';\nend\n\$fn\$$/);
  assert.equal(parts[2], "insert into a values (1)");
});
