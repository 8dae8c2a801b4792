/**
 * A coalition in the demo union, so `npm start` shows one: the demo union coordinates "NHS pay 2026/27
 * coalition" with a joint day of action, links its demo ballot and publishes its aggregates; a second
 * health union running its own Mandate has agreed, its key is registered and its signed report is
 * received through the same verification a real one goes through. That union's figures are made up for
 * the demo from the demo union's own published cells (about half as many members at the same trusts),
 * and its ballot closes too late for the day, so the timetable shows a conflict.
 */
import {
  addCoalitionMember,
  aggregatesOf,
  createCoalition,
  generateSigningKeys,
  linkCoalitionBallots,
  publishToCoalition,
  receiveCoalitionReport,
  type SignedReport,
  signReport,
} from "../coalition/index.js";
import type { Ctx } from "../context.js";
import { addDays } from "../law/index.js";
import { ukDate } from "../shared/clock.js";
import type { DemoBallot } from "./demo-ballot.js";

export interface DemoCoalition {
  coalitionId: number;
}

type Cell = SignedReport["report"]["release"]["breakdowns"]["employer"][number];

/** A made-up partner cell: about half the demo union's figure, withheld below 10, rounded to 5. */
function partnerCell(c: Cell): Cell {
  const half = (n: number | null) => {
    if (n === null) return null;
    const v = Math.round(n / 2 / 5) * 5;
    return v < 10 ? null : v;
  };
  const entitled = half(c.entitled);
  return { ...c, entitled, returned: null, turnout: null, yesShare: null, mandate: "pending" };
}

export async function seedDemoCoalition(ctx: Ctx, ballot: DemoBallot): Promise<DemoCoalition> {
  const today = ukDate(ctx.clock.now());
  const day = addDays(today, 70);
  const coalition = await createCoalition(ctx, {
    name: "NHS pay 2026/27 coalition",
    key: "demo",
    daysOfAction: [day],
  });
  await linkCoalitionBallots(ctx, coalition.id, { ballotIds: [ballot.ballotId] });
  await publishToCoalition(ctx, coalition.id, "hand");

  const keys = generateSigningKeys();
  await addCoalitionMember(ctx, coalition.id, {
    key: "rchw",
    name: "Royal College of Health Workers",
    publicKey: keys.publicKey,
    agreedBy: "General Secretary, by letter to the coordinator",
    brandColour: "#7a2d8c",
  });
  const [own] = await aggregatesOf(ctx, coalition.id);
  const cells = (b: "employer" | "sector" | "region") => (own?.release.breakdowns[b] ?? []).map(partnerCell);
  const totals = (list: Cell[]) => ({
    entitled: list.reduce((s, c) => s + (c.entitled ?? 0), 0),
    returned: 0,
    turnout: null,
    suppressedCells: list.filter((c) => c.entitled === null).length,
  });
  const employer = cells("employer");
  const sector = cells("sector");
  const region = cells("region");
  const envelope = signReport(
    {
      version: 1 as const,
      coalitionId: coalition.id,
      union: "rchw",
      sequence: 1,
      asOf: today,
      issuedAt: ctx.clock.now().toISOString(),
      timetable: [
        {
          name: "RCHW members in the region's trusts",
          openingDate: addDays(today, 35),
          closingDate: addDays(today, 63),
          resultDate: null,
          mandate: "pending" as const,
        },
      ],
      release: {
        breakdowns: { employer, sector, region },
        totals: { employer: totals(employer), sector: totals(sector), region: totals(region) },
      },
    },
    keys.privateKey,
  );
  await receiveCoalitionReport(ctx.db, ctx.clock, envelope);
  return { coalitionId: coalition.id };
}
