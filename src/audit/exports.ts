/**
 * Every export and download of personal data is audited twice: when it starts
 * (so an export cut off half-way, or a process that dies mid-stream, still
 * left a row) and when it ends, as finished or failed. The three rows of one
 * export share an `exportId`.
 */
import type { Ctx } from "../context.js";
import { randomToken } from "../shared/hash.js";
import { recordAudit } from "./record.js";

export type ExportKind =
  | "members_csv"
  | "document"
  | "register_quality_csv"
  | "member_links_csv"
  | "canvass_call_sheet"
  | "canvass_osdi"
  | "member_links_pdf"
  | "comms_print_batch"
  | "result_notice_members"
  | "strike_pay_csv"
  | "strike_pay_evidence"
  | "picket_letter"
  | "picket_rota_csv";

export interface ExportTrail {
  readonly exportId: string;
  /** Records `export.finished` (once; later calls do nothing). */
  finished(details?: Record<string, unknown>): Promise<void>;
  /** Records `export.failed` (once; later calls do nothing). `why` is a fixed phrase, never an error message. */
  failed(why: string, details?: Record<string, unknown>): Promise<void>;
}

export interface ExportSubject {
  subjectType: string;
  subjectId: string | number;
  /** Ids, counts, filters: never personal values. */
  details?: Record<string, unknown>;
}

/** Records `export.started` and returns the trail that records how the export ended. */
export async function startExport(ctx: Ctx, kind: ExportKind, subject: ExportSubject): Promise<ExportTrail> {
  const exportId = randomToken(12);
  const base = { kind, exportId };
  await recordAudit(ctx, "export.started", {
    subjectType: subject.subjectType,
    subjectId: subject.subjectId,
    details: { ...base, ...subject.details },
  });
  let ended = false;
  const end = async (event: "export.finished" | "export.failed", details: Record<string, unknown>) => {
    if (ended) return;
    ended = true;
    await recordAudit(ctx, event, {
      subjectType: subject.subjectType,
      subjectId: subject.subjectId,
      outcome: event === "export.finished" ? "success" : "failure",
      details: { ...base, ...subject.details, ...details },
    });
  };
  return {
    exportId,
    finished: (details = {}) => end("export.finished", details),
    failed: (why, details = {}) => end("export.failed", { ...details, why }),
  };
}

/** Why an export stopped, in words safe for the log: the error's message could carry data. */
export function failureReason(e: unknown): string {
  if (e instanceof ExportAborted) return "the receiving end closed before the export completed";
  return "the export stopped with an error";
}

export class ExportAborted extends Error {
  constructor() {
    super("The receiving end closed before the export completed.");
    this.name = "ExportAborted";
  }
}

/**
 * Ends the trail when an HTTP response ends: finished once the last byte has
 * been handed to the connection, failed when the connection closes first.
 */
export function endWithResponse(
  response: NodeJS.EventEmitter & { writableFinished: boolean; destroyed: boolean },
  trail: ExportTrail,
  details: () => Record<string, unknown> = () => ({}),
  onAuditError: (e: unknown) => void = () => undefined,
): void {
  let ended = false;
  const closed = () => {
    if (ended) return;
    ended = true;
    void trail.failed(failureReason(new ExportAborted()), details()).catch(onAuditError);
  };
  response.once("finish", () => {
    // Torn down first and only then ended: nothing reached the other end.
    if (response.destroyed) return closed();
    void trail.finished(details()).catch(onAuditError);
  });
  // The connection may have gone before the handler got here.
  if (response.destroyed) closed();
  else
    response.once("close", () => {
      if (!response.writableFinished) closed();
    });
}

/**
 * Settles when an HTTP response has been handed over whole; rejects with
 * ExportAborted (after calling `onClosedEarly`) when the connection closes first.
 */
export function whenDelivered(
  response: NodeJS.EventEmitter & { writableFinished: boolean; destroyed: boolean },
  onClosedEarly: () => void,
): Promise<void> {
  const delivered = new Promise<void>((resolve, reject) => {
    const closed = () => {
      onClosedEarly();
      reject(new ExportAborted());
    };
    response.once("finish", () => (response.destroyed ? closed() : resolve()));
    if (response.destroyed) closed();
    else
      response.once("close", () => {
        if (!response.writableFinished) closed();
      });
  });
  // Whoever awaits it sees the rejection; an export that failed first never does.
  delivered.catch(() => undefined);
  return delivered;
}
