/**
 * The one error type. Codes are `domain.reason`, stable and documented in
 * docs/errors.md; the HTTP layer maps them to a status, the CLI to an exit code.
 */
export const ERROR_CODES = {
  "request.invalid": { status: 400, description: "The request body, query or parameters failed validation." },
  "request.malformed_json": { status: 400, description: "The request body is not valid JSON." },
  "request.not_found": { status: 404, description: "No such route." },
  "request.too_large": { status: 413, description: "The request body is too large." },
  "database.in_use": {
    status: 409,
    description:
      "The embedded database folder is open in another process (named in the message); stop it first, or use a PostgreSQL server.",
  },
  "request.conflict": {
    status: 409,
    description: "The change conflicts with a record that already exists (a value that must be unique).",
  },
  "request.busy": {
    status: 503,
    description:
      "The change met another made at the same moment and was undone; nothing was written. Send it again.",
  },
  "request.invalid_reference": {
    status: 422,
    description: "The change refers to a record that does not exist, or removes one still referred to.",
  },
  "jobs.not_found": { status: 404, description: "No such background job in your scope." },
  "jobs.already_queued": { status: 409, description: "The same work is already queued or running." },
  "jobs.not_retryable": { status: 409, description: "Only a failed or cancelled job can be retried." },
  "jobs.unknown_kind": { status: 500, description: "No worker handles jobs of this kind." },
  "jobs.gave_up": {
    status: 409,
    description:
      "The job stopped (its worker died) more times than allowed; retry it once the cause is fixed.",
  },
  "jobs.cancelled": { status: 409, description: "The job was cancelled." },
  "auth.unauthenticated": { status: 401, description: "Sign in first (no or expired session)." },
  "auth.invalid_credentials": { status: 401, description: "Email or password is wrong." },
  "auth.csrf": { status: 403, description: "The request lacks the CSRF token of the session." },
  "auth.forbidden": { status: 403, description: "Your role may not do this." },
  "auth.rate_limited": { status: 429, description: "Too many failed sign-ins; wait and try again." },
  "users.duplicate_email": { status: 409, description: "A user with this email already exists." },
  "users.invalid_scope": {
    status: 422,
    description: "The role needs a scope (regions, sectors or workplaces) that exists.",
  },
  "org.not_found": { status: 404, description: "No such union, region, sector or branch in your scope." },
  "org.duplicate_code": { status: 409, description: "The code is already used in this union." },
  "org.in_use": { status: 409, description: "Still referenced by other records; it cannot be deleted." },
  "employers.not_found": { status: 404, description: "No such employer in your scope." },
  "employers.duplicate_code": {
    status: 409,
    description: "Another employer already has this register code.",
  },
  "workplaces.not_found": { status: 404, description: "No such workplace in your scope." },
  "workplaces.wrong_employer": {
    status: 422,
    description: "The workplace does not belong to the member's employer.",
  },
  "members.not_found": { status: 404, description: "No such member in your scope." },
  "members.duplicate_number": {
    status: 409,
    description: "The membership number is already used in this union.",
  },
  "members.invalid_reference": {
    status: 422,
    description: "A referenced employer, workplace, branch or region does not exist.",
  },
  "import.file_invalid": {
    status: 422,
    description: "The file cannot be used: its first problem is named by file, line and field.",
  },
  "import.xlsx_part_too_large": {
    status: 413,
    description:
      "A part of the .xlsx workbook (a sheet, its shared strings) expands beyond its limit (1 GB a sheet, 256 MB held in memory).",
  },
  "import.xlsx_too_large": {
    status: 413,
    description: "The .xlsx workbook expands beyond 2 GB in all.",
  },
  "import.too_many_rows": { status: 413, description: "The file has more than 5,000,000 rows." },
  "import.field_too_long": {
    status: 422,
    description:
      "A field of the file is longer than 10,000 characters (often a stray quote); its line is named.",
  },
  "import.not_found": { status: 404, description: "No such import job." },
  "import.already_running": {
    status: 409,
    description: "This import job is running; wait for it or retry once it has failed.",
  },
  "law.invalid_figures": {
    status: 422,
    description:
      "The ballot figures are inconsistent (e.g. more votes than entitled, or Yes + No + spoilt not equal to votes cast).",
  },
  "law.date_out_of_range": {
    status: 422,
    description:
      "The date is before the law Mandate knows (1 October 2005, when the Employment Relations Act 2004 changes had all taken effect).",
  },
  "law.method_not_in_force": {
    status: 422,
    description: "The voting method is not in force for the ballot's opening day.",
  },
  "law.unknown_commencement": {
    status: 404,
    description: "No change in the law has that commencement switch id.",
  },
  "law.commencement_source_required": {
    status: 422,
    description: "A commencement date is recorded only with its legal source.",
  },
  "law.rule_unconfirmed": {
    status: 422,
    description: "A rule this needs is not confirmed; record legal review before going on.",
  },
  "disputes.not_found": { status: 404, description: "No such dispute in your union." },
  "ballots.not_found": { status: 404, description: "No such ballot in your union." },
  "ballots.wrong_state": { status: 409, description: "The ballot is not in a state that allows this." },
  "turnout.invalid_returns": {
    status: 422,
    description:
      "The turnout returns file has problems (each with its line and field); nothing was recorded.",
  },
  "turnout.invalid_voted_feed": {
    status: 422,
    description:
      "The scrutineer's feed of papers returned has problems (each with its line and field); nothing was recorded.",
  },
  "canvass.assignment_not_found": {
    status: 404,
    description: "No such contact-list assignment in your scope.",
  },
  "comms.not_found": {
    status: 404,
    description: "No such template, version, segment, send or print batch in your union.",
  },
  "comms.template_invalid": {
    status: 422,
    description:
      "A template's text is too long, lacks a subject, or names a merge field that does not exist.",
  },
  "comms.version_not_draft": { status: 409, description: "Only a draft template version can be approved." },
  "comms.not_approved": { status: 409, description: "The template has no approved English version to send." },
  "comms.channel_unavailable": {
    status: 422,
    description:
      "The channel is not set up on this installation (no SMTP server or SMS provider configured).",
  },
  "comms.fallback_invalid": {
    status: 422,
    description:
      "A fallback template is not on a later channel (email, then SMS, then letter), repeats a channel, or has another purpose than the send's.",
  },
  "comms.signature_invalid": {
    status: 403,
    description: "A callback said to come from the SMS provider does not carry its valid signature.",
  },
  "comms.link_invalid": {
    status: 404,
    description: "The unsubscribe link is not one this installation issued.",
  },
  "plans.not_found": {
    status: 404,
    description: "No such plan, objective, task, meeting or resource in a plan you can see.",
  },
  "plans.exists": {
    status: 409,
    description: "The region already has a plan, or the sector a strategy: open it instead.",
  },
  "plans.not_yours": {
    status: 403,
    description:
      "You may change the status of tasks given to you only, or write plans of your own region or sector.",
  },
  "plans.invalid_reference": {
    status: 422,
    description:
      "The objective, meeting, constituency or owner named is not one of this plan's, or not a user of the union.",
  },
  "requests.not_found": { status: 404, description: "No such request for assistance that you can see." },
  "requests.no_department": { status: 404, description: "No such department in your union." },
  "requests.not_department_member": {
    status: 403,
    description: "Only members of the department (or the disputes unit) triage and answer its requests.",
  },
  "requests.no_origin": {
    status: 422,
    description: "Say which region or sector the request is for: it must be one of yours.",
  },
  "requests.resolved": { status: 409, description: "The request is resolved: raise a new one." },
  "materials.not_found": {
    status: 404,
    description: "No such material or version among those you may see.",
  },
  "materials.file_invalid": {
    status: 422,
    description:
      "The file is not one the library takes (PDF, PNG, JPEG, Word or PowerPoint), judged by its content, not its name.",
  },
  "materials.too_large": { status: 413, description: "The file is larger than the library takes (20 MB)." },
  "materials.invalid_audience": {
    status: 422,
    description:
      "The audience names a region, sector or ballot that does not exist, or lies outside what you may write for.",
  },
  "materials.state_conflict": {
    status: 409,
    description: "Only a draft can be approved, and only a draft or approved version withdrawn.",
  },
  "comms.no_result": {
    status: 409,
    description:
      "No constituency of the dispute has its result recorded: there is no result to tell members.",
  },
  "comms.notice_in_progress": {
    status: 409,
    description:
      "The result notice is still being sent; those not yet told can be told once it has finished.",
  },
  "bulletins.not_found": { status: 404, description: "No such bulletin addressed to you." },
  "bulletins.invalid": { status: 422, description: "The bulletin names a region that does not exist." },
  "bulletins.link_invalid": {
    status: 404,
    description:
      "A bulletin's email link that is not one of ours (or names a user or bulletin no longer here).",
  },
  "canvass.not_a_rep": { status: 422, description: "Contact lists are assigned to workplace reps only." },
  "canvass.outside_rep_scope": {
    status: 422,
    description:
      "The list names a workplace or members outside the rep's workplaces; change the rep's scope first.",
  },
  "canvass.too_many_rows": {
    status: 422,
    description: "The call sheet would be too long; choose a workplace or an assignment.",
  },
  "action.not_found": {
    status: 404,
    description: "No such dispute, day of action, claim or member in your scope.",
  },
  "action.invalid": {
    status: 422,
    description:
      "The day of action, claim or rules are not valid (the message says why); nothing was changed.",
  },
  "action.day_exists": {
    status: 409,
    description: "That day of action is already in the dispute's calendar.",
  },
  "action.day_already_claimed": {
    status: 409,
    description:
      "A member's day of action is claimed (or paid) once: another claim already holds one of the days.",
  },
  "action.claim_decided": {
    status: 409,
    description: "The claim has already been approved, rejected or paid.",
  },
  "action.no_pay_rules": {
    status: 409,
    description: "The dispute has no strike pay rules yet: a national officer sets them first.",
  },
  "action.evidence_too_large": {
    status: 413,
    description: "Evidence is at most 2 MB and 2,000 characters of note.",
  },
  "action.rota_opposed_in_principle": {
    status: 409,
    description:
      "The member's latest recorded position is opposed in principle: they are respected, never put on a picket rota.",
  },
  "action.rota_exempt_for_cover": {
    status: 409,
    description:
      "The member is exempted to provide essential-service cover on that day: never put on a picket rota.",
  },
  "action.rota_exists": {
    status: 409,
    description: "The member is already on that picket line's rota at that time.",
  },
  "action.no_supervisor": {
    status: 409,
    description: "The picket plan names no picket supervisor: name one before generating their letter.",
  },
  "action.naming_not_agreed": {
    status: 409,
    description:
      "The cover agreement does not record that the employer and the member agreed to naming: record a number, not a name.",
  },
  "action.exemption_exists": {
    status: 409,
    description: "The member is already exempted for cover on that day.",
  },
  "action.request_answered": {
    status: 409,
    description: "The employer's request for more cover has already been answered.",
  },
  "turnout.not_open": {
    status: 409,
    description:
      "The ballot has not opened yet: a member cannot report having voted or ask for a replacement paper before papers go out.",
  },
  "turnout.no_such_group": {
    status: 404,
    description:
      "No region, sector or employer of that id among the constituencies of the dispute you reach (or none given).",
  },
  "turnout.not_in_electorate": {
    status: 422,
    description: "The member is not in the ballot's frozen electorate, so has no vote to report on.",
  },
  "ballots.membership_changed": {
    status: 409,
    description: "The membership changed while the electorate was being frozen; freeze again.",
  },
  "ballots.freeze_running": { status: 409, description: "The ballot's electorate is being frozen already." },
  "ballots.snapshot_frozen": { status: 409, description: "The electorate is frozen; it cannot change." },
  "ballots.preflight_blocked": {
    status: 422,
    description: "Pre-flight checks found defects that block this; fix the data and run them again.",
  },
  "ballots.invalid": { status: 422, description: "The ballot set-up is incomplete or inconsistent." },
  "ballots.record_not_found": {
    status: 404,
    description: "No such record of the ballot (notice of action, suspension, copy request) in your reach.",
  },
  "ballots.scrutineer_report_qualified": {
    status: 409,
    description:
      "The scrutineer's report is qualified (s.231B) and not yet reviewed: no notice of industrial action until a national officer records the review.",
  },
  "documents.union_settings_incomplete": {
    status: 409,
    description:
      "The union's letter name, address and signatory (union settings) must be filled in before notices go to employers or members.",
  },
  "documents.not_found": { status: 404, description: "No such document." },
  "partner_agreements.not_found": {
    status: 404,
    description: "No such partner agreement between your union and another.",
  },
  "partner_agreements.wrong_state": {
    status: 409,
    description:
      "The partner agreement is not in a state that allows this (or it is not your side's to decide).",
  },
  "audit.chain_broken": { status: 500, description: "The audit log hash chain does not verify." },
  "audit.key_mismatch": {
    status: 500,
    description:
      "The audit key this process has is not the one the audit log was chained with (MANDATE_AUDIT_KEY or the key file in MANDATE_AUDIT_DIR); nothing is appended until it is.",
  },
  "audit.key_not_configured": {
    status: 500,
    description:
      "With a PostgreSQL server (DATABASE_URL), set MANDATE_AUDIT_KEY or MANDATE_AUDIT_DIR, so every process uses the same audit key.",
  },
  "results.file_invalid": {
    status: 422,
    description:
      "The result report cannot be used: its problems are named by file, sheet, line and field (no results found, a count that is not a number, figures that cannot be true, a constituency given twice).",
  },
  "results.file_too_large": { status: 413, description: "The result report is larger than 5 MB." },
  "results.unmatched": {
    status: 422,
    description:
      "Some constituencies of the report match none, or more than one, of the dispute's ballots; they are listed and nothing is recorded.",
  },
  "cli.usage": { status: 400, description: "The command line is incomplete or wrong." },
  "internal.error": { status: 500, description: "Something went wrong on the server." },
  "memberlink.not_found": {
    status: 404,
    description:
      "The member link is unknown, expired or withdrawn (the same answer for each, so a link cannot be probed).",
  },
  "memberlink.rate_limited": {
    status: 429,
    description: "Too many uses of a member link, or from one address, in a short time; wait and try again.",
  },
  "indicative.not_found": { status: 404, description: "No such indicative ballot in your union." },
  "indicative.wrong_state": {
    status: 409,
    description: "The indicative ballot is not in a state that allows this (not open, already closed...).",
  },
  "indicative.already_voted": {
    status: 409,
    description: "The member has already voted in this indicative ballot; one vote each.",
  },
  "indicative.not_on_roll": {
    status: 409,
    description: "The member was not among the dispute's members when the indicative ballot opened.",
  },
  "indicative.invalid_answers": {
    status: 422,
    description: "A vote must answer every question of the indicative ballot with one of its choices.",
  },
  "coalition.not_found": {
    status: 404,
    description: "No such coalition, or your union is not an agreed member of it.",
  },
  "coalition.wrong_state": {
    status: 409,
    description:
      "The coalition or membership is not in a state that allows this (already agreed, not yet agreed...).",
  },
  "coalition.invalid": {
    status: 422,
    description: "The coalition change is not valid (an unknown union, a public key that is not Ed25519...).",
  },
  "coalition.bad_signature": {
    status: 401,
    description: "A coalition report's signature does not verify under the sending union's registered key.",
  },
  "coalition.not_member": {
    status: 403,
    description: "A coalition report came from a union that is not an agreed member of the coalition.",
  },
  "coalition.replayed": {
    status: 409,
    description: "A coalition report's sequence number is not after the last one accepted from that union.",
  },
  "coalition.stale": {
    status: 409,
    description: "A coalition report was issued too long ago (or in the future); send a fresh one.",
  },
  "coalition.delivery_failed": {
    status: 502,
    description:
      "The coalition's coordinator could not be reached, or refused the report (its answer is given).",
  },
} as const satisfies Record<string, { status: number; description: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = "AppError";
    this.code = code;
    this.details = details;
  }

  get status(): number {
    return ERROR_CODES[this.code].status;
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}

/**
 * A PostgreSQL error (node-postgres or PGlite): a five-character SQLSTATE and
 * the fields the server adds. Its message and `detail` can quote the values
 * involved (a membership number, a name), so neither may reach a user, a job
 * record or a log.
 */
export function isPgError(e: unknown): e is { code: string; constraint?: string; table?: string } {
  if (typeof e !== "object" || e === null) return false;
  const code = (e as { code?: unknown }).code;
  return (
    typeof code === "string" &&
    /^[0-9A-Z]{5}$/.test(code) &&
    ("severity" in e || "routine" in e || "detail" in e)
  );
}

/**
 * The refusal a known PostgreSQL error stands for, without its message or
 * detail; null for errors that are the server's fault (they answer 500).
 */
export function appErrorFromPg(e: unknown): AppError | null {
  if (!isPgError(e)) return null;
  const code = e.code;
  if (code === "23505")
    return new AppError("request.conflict", "A record with the same unique value already exists.");
  if (code === "23503")
    return new AppError(
      "request.invalid_reference",
      "The change refers to a record that does not exist, or one still in use refers to it.",
    );
  if (code === "23502" || code === "23514")
    return new AppError("request.invalid", "A required value is missing or a value is not allowed.");
  // A deadlock or a serialisation failure: the transaction was rolled back whole, so sending the
  // request again is safe; a 503, not a 500, so that clients (and the web app) try again.
  if (code === "40001" || code === "40P01")
    return new AppError(
      "request.busy",
      "The change met another made at the same moment and was undone; nothing was written. Send it again.",
    );
  // Class 22, data exceptions: text where a number belongs, too long, out of range, a NUL byte.
  if (code.startsWith("22"))
    return new AppError(
      "request.invalid",
      "A value cannot be stored: wrong type, too long, out of range or not valid text.",
    );
  return null;
}

/** A message fit for a user or a job record: never a PostgreSQL message or detail. */
export function safeErrorMessage(e: unknown): string {
  const mapped = appErrorFromPg(e);
  if (mapped) return mapped.message;
  if (isPgError(e)) return `Database error ${e.code}.`;
  return e instanceof Error ? e.message : String(e);
}

/** Turns a PostgreSQL unique-violation into the domain error that explains it. */
export function pgErrorCode(e: unknown): string | undefined {
  if (
    typeof e === "object" &&
    e !== null &&
    "code" in e &&
    typeof (e as { code: unknown }).code === "string"
  ) {
    return (e as { code: string }).code;
  }
  return undefined;
}

export function pgConstraint(e: unknown): string | undefined {
  if (typeof e === "object" && e !== null && "constraint" in e) {
    const c = (e as { constraint: unknown }).constraint;
    if (typeof c === "string") return c;
  }
  return undefined;
}
