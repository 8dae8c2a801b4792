import type { Command } from "commander";
import { listPlans, type PlanListDto, plansRollup, type RollupDto } from "../../plans/index.js";
import { listRequests, type RequestListDto } from "../../requests/index.js";
import type { Cli } from "../cli-context.js";
import { table } from "../output.js";

/** The JSON of `mandate plans list`: snake_case keys; with --overdue, the overdue tasks too. */
export function plansJson(list: PlanListDto, rollup: RollupDto | null) {
  return {
    as_at: list.asAt,
    plans: list.plans.map((p) => ({
      id: p.id,
      kind: p.kind,
      scope: p.scopeName,
      title: p.title,
      objectives: p.objectives,
      open_tasks: p.tasks.open,
      overdue_tasks: p.tasks.overdue,
      done_tasks: p.tasks.done,
      updated_at: p.updatedAt,
    })),
    ...(rollup
      ? {
          overdue_tasks: rollup.overdueTasks.map((t) => ({
            id: t.id,
            plan_id: t.planId,
            scope: t.scopeName,
            title: t.title,
            owner: t.owner?.name ?? null,
            due_on: t.dueOn,
            days_overdue: t.daysOverdue,
            status: t.status,
          })),
        }
      : {}),
  };
}

/** The JSON of `mandate requests list`. */
export function requestsJson(list: RequestListDto) {
  return {
    as_at: list.asAt,
    truncated: list.truncated,
    requests: list.requests.map((r) => ({
      id: r.id,
      department: r.department.name,
      region: r.region?.name ?? null,
      sector: r.sector?.name ?? null,
      title: r.title,
      urgency: r.urgency,
      status: r.status,
      owner: r.owner?.name ?? null,
      raised_at: r.raisedAt,
      due_at: r.dueAt,
      first_answered_at: r.firstAnsweredAt,
      resolved_at: r.resolvedAt,
      escalated_at: r.escalatedAt,
      service_level: r.serviceLevel,
    })),
  };
}

const SERVICE_WORDS = { waiting: "waiting", met: "met", missed: "MISSED" } as const;
const minute = (iso: string) => iso.slice(0, 16).replace("T", " ");

/** `mandate plans` and `mandate requests`: campaign plans and requests for assistance, read as the disputes unit. */
export function addPlansCommands(program: Command, cli: Cli): void {
  const plans = program.command("plans").description("regional plans and national sector strategies");
  plans
    .command("list")
    .description("every plan with its task counts; --overdue: only plans with overdue tasks, and those tasks")
    .option("--overdue", "only plans with tasks past their due date (by today's date), listing those tasks")
    .action((opts: { overdue?: boolean }) =>
      cli.withContext(async (ctx, _open, out) => {
        const overdue = opts.overdue === true;
        const list = await listPlans(ctx, { overdue });
        const rollup = overdue ? await plansRollup(ctx) : null;
        out.result(plansJson(list, rollup), () => {
          const rows = list.plans.map((p) => ({
            id: p.id,
            plan: p.kind === "region" ? "regional plan" : "sector strategy",
            for: p.scopeName,
            title: p.title,
            objectives: p.objectives,
            open: p.tasks.open,
            overdue: p.tasks.overdue,
            done: p.tasks.done,
          }));
          const tasks = rollup
            ? `\n\nOverdue tasks:\n${table(
                rollup.overdueTasks.map((t) => ({
                  task: t.id,
                  for: t.scopeName,
                  title: t.title,
                  owner: t.owner?.name ?? "",
                  due: t.dueOn,
                  days_late: t.daysOverdue,
                  status: t.status,
                })),
              )}`
            : "";
          return `Plans as at ${list.asAt}\n${table(rows)}${tasks}`;
        });
      }),
    );

  const requests = program
    .command("requests")
    .description("requests for assistance to the union's departments");
  requests
    .command("list")
    .description(
      "requests for assistance, newest first, with their service-level state; escalates any missed",
    )
    .option("--open", "only requests not yet resolved")
    .action((opts: { open?: boolean }) =>
      cli.withContext(async (ctx, _open, out) => {
        const list = await listRequests(ctx, { open: opts.open === true });
        out.result(requestsJson(list), () => {
          const rows = list.requests.map((r) => ({
            id: r.id,
            department: r.department.name,
            from: r.region?.name ?? r.sector?.name ?? "",
            urgency: r.urgency,
            status: r.status,
            raised: minute(r.raisedAt),
            due: minute(r.dueAt),
            service: SERVICE_WORDS[r.serviceLevel],
            escalated: r.escalatedAt ? "yes" : "",
            title: r.title,
          }));
          return `Requests for assistance as at ${minute(list.asAt)} (UTC)\n${table(rows)}${list.truncated ? "\n(only the newest shown)" : ""}`;
        });
      }),
    );
}
