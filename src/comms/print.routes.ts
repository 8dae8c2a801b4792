import { z } from "zod";
import { endWithResponse } from "../audit/index.js";
import type { App, AppDeps } from "../http/types.js";
import { ctxOf } from "../http/types.js";
import { PrintBatchDto } from "./comms.model.js";
import { downloadPrintBatch, listPrintBatches } from "./print.service.js";

const Id = z.coerce.number().int().positive().max(2_147_483_647);
const tags = ["communications"];

/** A letter send's print batches for the mailing house: listed, and each file downloaded (audited). */
export function printRoutes(app: App, deps: AppDeps): void {
  app.get(
    "/api/comms/sends/:id/print-batches",
    {
      schema: {
        tags,
        summary: "A letter send's print batches (PDF and address file each)",
        params: z.object({ id: Id }),
        response: { 200: z.array(PrintBatchDto) },
      },
    },
    (req) => listPrintBatches(ctxOf(deps, req), req.params.id),
  );
  app.get(
    "/api/comms/sends/:id/print-batches/:batchId/:format",
    {
      // No HEAD twin: Fastify would run this handler for HEAD and audit a download that sent nothing.
      exposeHeadRoute: false,
      schema: {
        tags,
        summary: "Download a print batch's PDF or the mailing house's address file (CSV)",
        params: z.object({ id: Id, batchId: Id, format: z.enum(["pdf", "csv"]) }),
      },
    },
    async (req, reply) => {
      const file = await downloadPrintBatch(
        ctxOf(deps, req),
        req.params.id,
        req.params.batchId,
        req.params.format,
      );
      endWithResponse(reply.raw, file.trail, undefined, () =>
        req.log.error({ code: "comms.print_batch_download" }, "download end not audited"),
      );
      return reply
        .header("content-type", file.contentType)
        .header("x-content-sha256", file.sha256)
        .header("content-disposition", `attachment; filename="${file.filename}"`)
        .send(file.content);
    },
  );
}
