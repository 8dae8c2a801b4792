import { z } from "zod";
import type { App, AppDeps } from "../http/types.js";
import { ctxOf } from "../http/types.js";
import { BoardDto } from "./board.model.js";
import { boardBody, boardBriefingPdf } from "./board.service.js";

/** Whether an If-None-Match header names this entity tag (a list, or "*"; weak tags compare weakly). */
function ifNoneMatch(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header
    .split(",")
    .map((t) => t.trim().replace(/^W\//, ""))
    .some((t) => t === etag || t === "*");
}

/** The National Disputes Unit board (national officers; observers counts only; regional officers refused). */
export function boardRoutes(app: App, deps: AppDeps): void {
  app.get(
    "/api/board",
    {
      schema: {
        tags: ["board"],
        summary:
          "The disputes unit board: joint timetable and conflicts, every union's turnout, overdue tasks, requests past their service level, days of action",
        response: {
          200: BoardDto,
          304: z.null().describe("The figures held (If-None-Match) are current"),
        },
      },
    },
    async (request, reply) => {
      // The sign-in gate and the permission check (in boardBody) run before any tag is compared.
      const body = await boardBody(ctxOf(deps, request));
      reply.header("etag", body.etag);
      reply.header("cache-control", "private, no-cache");
      if (ifNoneMatch(request.headers["if-none-match"], body.etag)) return reply.code(304).send(null);
      return reply.type("application/json; charset=utf-8").send(body.json as never);
    },
  );
  app.get(
    "/api/board/briefing.pdf",
    {
      schema: {
        tags: ["board"],
        summary: "The disputes unit's daily briefing as a PDF (the board, counts only)",
      },
    },
    async (request, reply) => {
      const { filename, pdf } = await boardBriefingPdf(ctxOf(deps, request));
      return reply
        .type("application/pdf")
        .header("content-disposition", `attachment; filename="${filename}"`)
        .send(pdf);
    },
  );
}
