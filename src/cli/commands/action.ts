import fs from "node:fs";
import type { Command } from "commander";
import { actionCalendar, dayBoard, exportStrikePay } from "../../action/index.js";
import { can } from "../../auth/index.js";
import { partnerDayFigures } from "../../coalition/index.js";
import { isoDate, positiveInt } from "../args.js";
import type { Cli } from "../cli-context.js";
import { table } from "../output.js";

export function addActionCommands(program: Command, cli: Cli): void {
  const action = program
    .command("action")
    .description("the day of action: calendar, live board and strike pay");
  action
    .command("calendar")
    .description(
      "a dispute's days of action, each checked at every constituency's places: lawful, or why not",
    )
    .requiredOption("--dispute <id>", "the dispute", positiveInt("dispute"))
    .action((opts: { dispute: number }) =>
      cli.withContext(async (ctx, _open, out) => {
        const cal = await actionCalendar(ctx, opts.dispute);
        out.result(cal, () => {
          const rows = cal.days.flatMap((d) =>
            d.places.map((p) => ({
              day: d.day,
              kind: d.kind.replaceAll("_", " "),
              constituency: p.ballotName,
              place: p.workplaceName ?? `${p.employerName} (all workplaces)`,
              lawful: p.lawful ? "yes" : "NO",
              why: p.reasons.map((r) => `${r.message} [${r.citation}]`).join(" "),
            })),
          );
          return `${cal.dispute.title}: ${cal.days.length} day(s) of action\n${rows.length ? table(rows) : "No days planned."}`;
        });
      }),
    );
  action
    .command("board")
    .description(
      "the live board of a day of action in your scope: totals, by region, sector and union, workplaces by status",
    )
    .requiredOption("--date <date>", "the day (YYYY-MM-DD)", isoDate("date"))
    .action((opts: { date: string }) =>
      cli.withContext(async (ctx, _open, out) => {
        const b = await dayBoard(ctx, opts.date);
        // The other unions of the union's coalitions on this day, for those who may read what they share.
        const partners = can(ctx.actor, "coalition.read") ? await partnerDayFigures(ctx, opts.date) : [];
        out.result({ ...b, partners }, () => {
          const t = b.totals;
          const head = `Day of action ${b.day}: ${t.workplaces} workplace(s) reporting, ${t.out} out, ${t.atWork} at work, ${t.exempt} exempt for cover; ${t.picketUp} picket line(s) up, cover in place at ${t.coverInPlace}, ${t.openIncidents} open incident(s); ${t.notOnMap} not on the map.`;
          const shared = partners.flatMap((p) =>
            p.totals
              ? [
                  {
                    id: 0,
                    name: `${p.name} (${p.source === "report" ? `shared ${p.at}` : "shared"})`,
                    ...p.totals,
                  },
                ]
              : [],
          );
          if (!b.workplaces.length && !shared.length) return `${head}\nNo reports yet.`;
          const groups = (title: string, rows: typeof b.byRegion) =>
            `${title}\n${table(
              rows.map((r) => ({
                [title.toLowerCase()]: r.name,
                workplaces: r.workplaces,
                out: r.out,
                "at work": r.atWork,
                exempt: r.exempt,
                pickets: r.picketUp,
                cover: r.coverInPlace,
                incidents: r.openIncidents,
              })),
            )}`;
          const places = table(
            b.workplaces.map((w) => ({
              workplace: w.name,
              status: w.status,
              out: w.out,
              "at work": w.atWork ?? "",
              exempt: w.exempt ?? "",
              picket: w.picket ? "up" : "",
              incidents: w.incidents || "",
              "last report": w.at ?? "",
            })),
          );
          return [
            head,
            groups("Region", b.byRegion),
            groups("Sector", b.bySector),
            groups("Union", [...b.byUnion, ...shared]),
            places,
          ].join("\n\n");
        });
      }),
    );
  const pay = action.command("pay").description("strike pay and hardship grants");
  pay
    .command("export")
    .description(
      "write the strike pay and hardship grants due in a period as CSV for finance; every line exported is marked paid and never exported again (audited)",
    )
    .requiredOption("--from <date>", "first day (YYYY-MM-DD)", isoDate("from"))
    .requiredOption("--to <date>", "last day (YYYY-MM-DD)", isoDate("to"))
    .requiredOption("--out <file>", "where to write the CSV")
    .action((opts: { from: string; to: string; out: string }) =>
      cli.withContext(async (ctx, _open, out) => {
        const tmp = `${opts.out}.${process.pid}.tmp`;
        const result = await exportStrikePay(ctx, { from: opts.from, to: opts.to }, async (body) => {
          await fs.promises.writeFile(tmp, `\uFEFF${body}`, { flag: "wx" });
          await fs.promises.rename(tmp, opts.out);
        });
        out.result(
          { file: opts.out, export: result.exportId, lines: result.lines, total_pence: result.totalPence },
          () =>
            `Wrote ${result.lines} payment line(s), £${(result.totalPence / 100).toFixed(2)} in all, to ${opts.out} (export ${result.exportId}, audited).`,
        );
      }),
    );
}
