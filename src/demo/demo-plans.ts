/**
 * Campaign coordination in the demo union, so `npm start` shows it at work: the central departments (with
 * a demo legal officer in Legal and Membership data), the plan of the region of the demo ballot tied to its
 * constituency, the health sector's strategy, and requests for assistance: one answered, one escalated
 * after missing its service level, one waiting. Greater London (unless it holds the ballot) is left without
 * a plan, as the disputes unit's roll-up will say.
 */
import { sql } from "kysely";
import type { Actor } from "../auth/index.js";
import type { Ctx } from "../context.js";
import type { Db } from "../db/database.js";
import { addMeeting, addObjective, addResource, addTask, createPlan, updateTask } from "../plans/index.js";
import {
  answerRequest,
  createDepartment,
  listRequests,
  raiseRequest,
  setDepartmentMembers,
} from "../requests/index.js";
import { ukDate } from "../shared/clock.js";
import type { DemoBallot } from "./demo-ballot.js";

export const DEMO_LEGAL_EMAIL = "legal@demo.mandate.test";

export interface DemoPlans {
  plans: number;
  requests: number;
  departments: number;
}

const DEPARTMENTS = [
  ["legal", "Legal"],
  ["communications", "Communications"],
  ["membership-data", "Membership data"],
  ["finance", "Finance"],
  ["it", "IT"],
] as const;

async function actorOf(db: Db, unionId: number, email: string): Promise<Actor | null> {
  const user = await db
    .selectFrom("users")
    .select(["id", "role", "email"])
    .where("union_id", "=", unionId)
    .where("email", "=", email)
    .executeTakeFirst();
  if (!user) return null;
  const scopes = await db.selectFrom("user_scopes").selectAll().where("user_id", "=", user.id).execute();
  return {
    kind: "user",
    userId: user.id,
    unionId,
    role: user.role as Actor["role"],
    label: user.email,
    regionIds: scopes.flatMap((s) => (s.region_id ? [s.region_id] : [])),
    sectorIds: scopes.flatMap((s) => (s.sector_id ? [s.sector_id] : [])),
    workplaceIds: scopes.flatMap((s) => (s.workplace_id ? [s.workplace_id] : [])),
  };
}

function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/**
 * Moves a demo request's times back, as if raised (and answered) hours ago, so the demo shows a request
 * answered a day ago and one past its service level. Demo data only: the audit rows keep their own times.
 */
async function backdate(db: Db, requestId: number, hours: number): Promise<void> {
  const shift = sql`make_interval(hours => ${hours})`;
  await db
    .updateTable("assistance_requests")
    .set({
      raised_at: sql`raised_at - ${shift}`,
      due_at: sql`due_at - ${shift}`,
      first_answered_at: sql`first_answered_at - ${shift}`,
      resolved_at: sql`resolved_at - ${shift}`,
      updated_at: sql`updated_at - ${shift}`,
    })
    .where("id", "=", requestId)
    .execute();
  await db
    .updateTable("assistance_request_answers")
    .set({ created_at: sql`created_at - ${shift}` })
    .where("request_id", "=", requestId)
    .execute();
}

export async function seedDemoPlans(
  ctx: Ctx,
  options: { ballot: DemoBallot | null; legalUserId: number },
): Promise<DemoPlans> {
  const unionId = ctx.actor.unionId;
  const as = (actor: Actor): Ctx => ({ ...ctx, actor });
  const today = ukDate(ctx.clock.now());
  const departments: Record<string, number> = {};
  for (const [code, name] of DEPARTMENTS)
    departments[code] = (await createDepartment(ctx, { code, name })).id;
  await setDepartmentMembers(ctx, departments.legal!, { userIds: [options.legalUserId] });
  await setDepartmentMembers(ctx, departments["membership-data"]!, { userIds: [options.legalUserId] });

  // The region of the demo ballot: its plan is tied to the ballot's constituency.
  const ballotRegion = options.ballot
    ? await ctx.db
        .selectFrom("ballot_scope as bs")
        .innerJoin("employers as e", "e.id", "bs.employer_id")
        .select("e.region_id")
        .where("bs.ballot_id", "=", options.ballot.ballotId)
        .where("e.region_id", "is not", null)
        .executeTakeFirst()
    : undefined;
  const regionals = await ctx.db
    .selectFrom("users")
    .innerJoin("user_scopes", "user_scopes.user_id", "users.id")
    .select(["users.email", "user_scopes.region_id"])
    .where("users.union_id", "=", unionId)
    .where("users.role", "=", "regional")
    .orderBy("users.id")
    .execute();
  const officerEmail =
    regionals.find((r) => r.region_id === ballotRegion?.region_id)?.email ?? regionals[0]?.email ?? null;
  const officer = officerEmail ? await actorOf(ctx.db, unionId, officerEmail) : null;
  let plans = 0;
  let requests = 0;
  const rep = (
    await ctx.db
      .selectFrom("users")
      .select("id")
      .where("union_id", "=", unionId)
      .where("role", "=", "rep")
      .orderBy("id")
      .executeTakeFirst()
  )?.id;

  if (officer?.regionIds.length) {
    const writer = as(officer);
    let plan = await createPlan(writer, {
      kind: "region",
      regionId: ballotRegion?.region_id ?? officer.regionIds[0]!,
      sectorId: null,
      title: "Regional plan: NHS pay 2026/27",
      summary:
        "Get every trust in the ballot over the 50% turnout line: reps in every ward, a phone bank twice a week and leaflets at every site before papers go out.",
    });
    plans++;
    plan = await addObjective(writer, plan.id, {
      text: "Every trust in the ballot over 50% turnout",
      ballotIds: options.ballot ? [options.ballot.ballotId] : [],
    });
    const objectiveId = plan.objectiveList[0]!.id;
    const task = (title: string, dueIn: number, owner: number | null | undefined, withObjective = true) =>
      addTask(writer, plan.id, {
        title,
        objectiveId: withObjective ? objectiveId : null,
        ballotId: null,
        ownerUserId: owner ?? null,
        dueOn: addDays(today, dueIn),
        status: "todo",
      });
    await task("Recruit a rep for every ward without one", -3, rep);
    await task("Phone bank: members with no email or mobile", 5, officer.userId);
    plan = await task("Leaflet every site before papers go out", 14, rep);
    const done = plan.taskList.find((t) => t.title.startsWith("Recruit"));
    if (done) await updateTask(writer, done.id, { status: "doing" });
    await addResource(writer, plan.id, {
      kind: "officer_days",
      quantity: 12,
      note: "Two organisers, six days",
    });
    await addResource(writer, plan.id, { kind: "reps", quantity: 40, note: "" });
    await addResource(writer, plan.id, { kind: "materials", quantity: 5000, note: "Leaflets and posters" });
    await addResource(writer, plan.id, { kind: "budget", quantity: 1500, note: "Printing and travel" });
    await addMeeting(writer, plan.id, {
      heldOn: addDays(today, -7),
      title: "Regional disputes committee",
      attendees: ["Regional secretary", "Regional organiser", "Branch secretaries"],
      decisions: "The phone bank runs Tuesdays and Thursdays; each branch names a turnout lead.",
      actions: [
        {
          title: "Each branch names its turnout lead",
          ownerUserId: officer.userId,
          dueOn: addDays(today, -1),
        },
      ],
    });

    // Requests from the region: legal answered, communications escalated, membership data waiting.
    const legal = await raiseRequest(as(officer), {
      departmentId: departments.legal!,
      title: "Does the notice of ballot need every ward listed?",
      body: "One trust says the notice must list each ward, not each hospital. Please advise before we send it.",
      urgency: "high",
      regionId: null,
      sectorId: null,
    });
    const lawyer = await actorOf(ctx.db, unionId, DEMO_LEGAL_EMAIL);
    if (lawyer)
      await answerRequest(as(lawyer), legal.id, {
        body: "No: the notice lists the categories and workplaces, as the employer keeps them. A hospital is a workplace.",
        resolve: true,
      });
    await backdate(ctx.db, legal.id, 30);
    const press = await raiseRequest(as(officer), {
      departmentId: departments.communications!,
      title: "Press statement on the trust's letter to staff",
      body: "The trust has written to all staff discouraging them from voting. We need a statement today.",
      urgency: "critical",
      regionId: null,
      sectorId: null,
    });
    await backdate(ctx.db, press.id, 9);
    const data = await raiseRequest(as(officer), {
      departmentId: departments["membership-data"]!,
      title: "Members with no workplace at two trusts",
      body: "About 200 members at two trusts have no workplace recorded. Can you match them from the check-off list?",
      urgency: "normal",
      regionId: null,
      sectorId: null,
    });
    await backdate(ctx.db, data.id, 2);
    requests += 3;
  }

  const sectorOfficer = await ctx.db
    .selectFrom("users")
    .select("email")
    .where("union_id", "=", unionId)
    .where("role", "=", "sector")
    .orderBy("id")
    .executeTakeFirst();
  const sector = sectorOfficer ? await actorOf(ctx.db, unionId, sectorOfficer.email) : null;
  if (sector?.sectorIds.length) {
    const writer = as(sector);
    let plan = await createPlan(writer, {
      kind: "sector",
      regionId: null,
      sectorId: sector.sectorIds[0]!,
      title: "National sector strategy",
      summary: "One message in every region: the pay lost since 2010, and what a strong turnout wins.",
    });
    plans++;
    plan = await addObjective(writer, plan.id, {
      text: "Same-day strike dates across the sector",
      ballotIds: [],
    });
    await addTask(writer, plan.id, {
      title: "Agree the joint timetable with the partner unions",
      objectiveId: plan.objectiveList[0]!.id,
      ballotId: null,
      ownerUserId: sector.userId,
      dueOn: addDays(today, 10),
      status: "doing",
    });
  }
  // The communications request has missed its service level: the first read escalates it, once.
  await listRequests(ctx);
  return { plans, requests, departments: DEPARTMENTS.length };
}
