import assert from "node:assert/strict";
import { once } from "node:events";
import { createWriteStream, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { readMemberFile } from "./index.js";

const ROWS = 200_000;
const dir = mkdtempSync(join(tmpdir(), "mandate-member-stream-"));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A large export with the usual mess in it: case, O-for-0 postcodes, typo domains, work emails, lost zeros, bad rows. */
async function writeExport(path: string, rows: number): Promise<void> {
  const out = createWriteStream(path);
  const write = async (s: string) => {
    if (!out.write(s)) await once(out, "drain");
  };
  await write(
    "\uFEFFMembership No,Title,Forename(s),Surname,DOB,Address 1,Addr Line 2,Town,Post Code,E-mail,Mobile No," +
      "Employer Name,Work Location,Job Title,Branch,Status,Pay Method\r\n",
  );
  const surnames = ["SMITH", "jones", "O'Brien", "mcdonald", "Patel", "Khan", "Nowak", "Van der Berg"];
  const postcodes = ["ls97tf", "LS9 OTF", "SW1A 1AA", "BD4 8SE", "LS1 3EX", "LS9", "NOT KNOWN"];
  const domains = ["gmail.com", "nhs.net", "gmial.com", "hotmail.co.uk", "leeds.gov.uk", "btinternet.com"];
  const statuses = ["Active", "Current", "Lapsed", "Left", "Active", "Paying"];
  for (let i = 0; i < rows; i++) {
    const number = i % 997 === 0 ? "" : `M${100000 + i}`;
    const dob =
      i % 3 === 0 ? String(25000 + (i % 9000)) : `${1 + (i % 28)}/${1 + (i % 12)}/19${50 + (i % 50)}`;
    const mobile = i % 5 === 0 ? `7700${900000 + (i % 1000)}` : `07700 ${900000 + (i % 1000)}`;
    await write(
      `${number},Mr,JOHN,${surnames[i % 8]},${dob},"${i} High Street, Flat ${i % 9}",Harehills,Leeds,` +
        `${postcodes[i % 7]},John.${i}@${domains[i % 6]},${mobile},Leeds Teaching Hospitals NHS Trust,` +
        `St James's,Staff Nurse,Leeds Health,${statuses[i % 6]},${i % 2 ? "Check-off" : "Direct Debit"}\r\n`,
    );
  }
  out.end();
  await once(out, "finish");
}

test(`streams ${ROWS.toLocaleString("en-GB")} CSV rows quickly in bounded memory`, async (t) => {
  const path = join(dir, "big.csv");
  await writeExport(path, ROWS);

  const baseline = process.memoryUsage();
  let peakHeap = baseline.heapUsed;
  let peakRss = baseline.rss;
  let rows = 0;
  let usable = 0;
  let lastLine = 0;
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  for await (const row of readMemberFile(path, { file: "big.csv", today: "2026-11-20" })) {
    rows++;
    if (row.member) usable++;
    assert.ok(row.line > lastLine);
    lastLine = row.line;
    if (rows % 10_000 === 0) {
      const m = process.memoryUsage();
      peakHeap = Math.max(peakHeap, m.heapUsed);
      peakRss = Math.max(peakRss, m.rss);
    }
  }
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuStarted);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const perSecond = Math.round(rows / seconds);
  const perCpuSecond = Math.round(rows / cpuSeconds);
  const heapGrowthMb = (peakHeap - baseline.heapUsed) / 1e6;
  const rssGrowthMb = (peakRss - baseline.rss) / 1e6;
  t.diagnostic(
    `${rows} rows in ${seconds.toFixed(2)} s = ${perSecond} rows/s ` +
      `(${cpuSeconds.toFixed(2)} s CPU = ${perCpuSecond} rows per CPU-second); ` +
      `heap +${heapGrowthMb.toFixed(0)} MB (peak ${(peakHeap / 1e6).toFixed(0)} MB), rss +${rssGrowthMb.toFixed(0)} MB`,
  );

  assert.equal(rows, ROWS);
  assert.equal(lastLine, ROWS + 1);
  assert.equal(usable, ROWS - Math.ceil(ROWS / 997));
  // Test files run side by side, often on a busy machine: elapsed time then
  // measures the neighbours as much as this code. CPU time spent by this
  // process is the steadier measure of the reader's own speed, so the bound
  // holds if either measure clears it.
  assert.ok(
    Math.max(perSecond, perCpuSecond) > 20_000,
    `${perSecond} rows/s, ${perCpuSecond} rows per CPU-second`,
  );
  // Holding every row would take well over 500 MB here; streaming stays far below this generous bound.
  assert.ok(heapGrowthMb < 250, `heap grew ${heapGrowthMb.toFixed(0)} MB`);
});
