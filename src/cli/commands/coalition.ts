import type { Command } from "commander";
import { coalitionStatus, publishToCoalition } from "../../coalition/index.js";
import { positiveInt } from "../args.js";
import type { Cli } from "../cli-context.js";
import { table } from "../output.js";

/** `mandate coalition ...`: the coalitions the union is in, their joint timetable's conflicts, publishing. */
export function addCoalitionCommands(program: Command, cli: Cli): void {
  const coalition = program
    .command("coalition")
    .description("coalitions of unions: joint timetable and shared aggregates");
  coalition
    .command("status")
    .description(
      "each coalition: its days of action, members and their last report, and the timetable's conflicts",
    )
    .action(() =>
      cli.withContext(async (ctx, _open, out) => {
        const status = await coalitionStatus(ctx);
        out.result(status, () => {
          if (!status.length) return "Your union is in no coalition.";
          return status
            .map(({ coalition: c, timetable: t }) => {
              const head = `${c.name} (id ${c.id}, coordinated by ${c.coordinator}${c.kind === "remote" ? ` at ${c.coordinatorUrl}` : ""}; you: ${c.you.key ?? "-"}, ${c.you.state})\nDays of action: ${c.daysOfAction.join(", ") || "none set"}`;
              const members = c.members.length
                ? table(
                    c.members.map((m) => ({
                      union: m.key,
                      name: m.name,
                      where: m.where,
                      agreed: m.state === "agreed" ? (m.agreedAt?.slice(0, 10) ?? "yes") : "invited",
                      "last report": m.lastReportAsOf ? `${m.lastReportAsOf} (#${m.lastSequence})` : "-",
                    })),
                  )
                : "";
              const conflicts = !t
                ? "Agree to the coalition to see its timetable."
                : t.conflicts.length
                  ? `Conflicts (${t.conflicts.length}):\n${t.conflicts.map((x) => `  ${x.day} ${x.union} / ${x.ballot}: ${x.reason} [${x.citation}]`).join("\n")}`
                  : "No conflicts with the days of action.";
              return [head, members, conflicts].filter(Boolean).join("\n");
            })
            .join("\n\n");
        });
      }),
    );
  coalition
    .command("publish <coalition>")
    .description(
      "publish your union's aggregates to the coalition now (stored here, or signed and sent to the coordinator)",
    )
    .action((id: string) =>
      cli.withContext(async (ctx, _open, out) => {
        const r = await publishToCoalition(ctx, positiveInt("coalition")(id), "hand");
        out.result(
          r,
          () =>
            `Published report ${r.sequence} as at ${r.asOf} (${r.cells} cells, ${r.delivered === "here" ? "stored here" : "sent to the coordinator"}).`,
        );
      }),
    );
}
