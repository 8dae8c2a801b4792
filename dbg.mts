import fs from "node:fs";
import { readHeaders, readMemberFile, detectMapping } from "./src/members/import/index.js";
fs.writeFileSync("/tmp/dbg.csv", "\ufeffMembership No,Surname,Forename(s),Post Code,Employer\r\nA1,Smith,Jo,ls9 7tf,LTHT\r\n,Nobody,X,,NHS\r\n");
const h = await readHeaders("/tmp/dbg.csv", { file: "dbg.csv" });
console.log(h, detectMapping(h.headers));
for await (const r of readMemberFile("/tmp/dbg.csv", { file: "dbg.csv" })) console.log(JSON.stringify(r).slice(0, 300));
console.log("done");
