/**
 * The catalogue of audit events: every event the system writes, declared
 * once. docs/audit-events.md is generated from it (npm run docs) and a test
 * fails when that page is stale.
 */
export const AUDIT_EVENTS = {
  "auth.login_succeeded": { personal: false, description: "A user signed in." },
  "auth.login_failed": {
    personal: false,
    description: "A sign-in was refused (wrong password, unknown or disabled user).",
  },
  "auth.logout": { personal: false, description: "A user signed out." },
  "job.started": {
    personal: false,
    description: "A background job started, or resumed after its worker stopped (kind, attempt).",
  },
  "job.finished": { personal: false, description: "A background job finished." },
  "job.failed": { personal: false, description: "A background job failed (its error code)." },
  "job.cancelled": { personal: false, description: "A background job was cancelled at a user's request." },
  "job.cancel_requested": {
    personal: false,
    description: "A user asked for a background job to be cancelled.",
  },
  "job.retried": { personal: false, description: "A user put a failed or cancelled job back in the queue." },
  "auth.access_denied": {
    personal: false,
    description:
      "A signed-in user's request was refused by the permission gate; the role, action and route pattern are recorded.",
  },
  "auth.access_denied_summary": {
    personal: false,
    description:
      "A signed-in user was refused more than 10 times within a minute: the first 10 are recorded one by one, the rest counted in this one row per user per minute (with the last route pattern).",
  },
  "auth.id_enumeration": {
    personal: false,
    description:
      "A signed-in user got more than 20 not-found answers for members, employers, workplaces, disputes, ballots or documents within a minute (one row per user per minute; the count and route pattern are recorded, not the ids).",
  },
  "user.created": { personal: false, description: "A user account was created, with its role and scope." },
  "union.created": { personal: false, description: "A union (tenant) was created." },
  "union.updated": { personal: false, description: "A union was renamed." },
  "union.settings_updated": {
    personal: false,
    description:
      "A national officer changed who the union's notices come from (letter name, address, contact, signatory; fields named).",
  },
  "region.created": { personal: false, description: "A region was created." },
  "region.updated": { personal: false, description: "A region was changed." },
  "region.deleted": { personal: false, description: "A region was deleted." },
  "sector.created": { personal: false, description: "A sector was created." },
  "sector.updated": { personal: false, description: "A sector was changed." },
  "sector.deleted": { personal: false, description: "A sector was deleted." },
  "branch.created": { personal: false, description: "A branch was created." },
  "branch.updated": { personal: false, description: "A branch was changed." },
  "branch.deleted": { personal: false, description: "A branch was deleted." },
  "employer.created": { personal: false, description: "An employer was created." },
  "employer.updated": { personal: false, description: "An employer was changed (fields named)." },
  "employer.deleted": { personal: false, description: "An employer was deleted." },
  "workplace.created": { personal: false, description: "A workplace was created." },
  "workplace.updated": { personal: false, description: "A workplace was changed (fields named)." },
  "workplace.deleted": { personal: false, description: "A workplace was deleted." },
  "member.created": { personal: true, description: "A member record was created." },
  "member.updated": {
    personal: true,
    description:
      "A member record was changed; the names of the changed fields are recorded, not their values.",
  },
  "member.deleted": { personal: true, description: "A member record was erased." },
  "members.exported": {
    personal: true,
    description:
      "Member records left the system in an export (written until exports were audited at start and end; now `export.finished`).",
  },
  "export.started": {
    personal: true,
    description:
      "An export or download began: its kind (`members_csv`, `document`, `register_quality_csv`, `member_links_csv`, `canvass_call_sheet`, `canvass_osdi`, `member_links_pdf`, `comms_print_batch`, `result_notice_members`, `strike_pay_csv`, `strike_pay_evidence`, `picket_letter`, `picket_rota_csv`), subject and an `exportId` shared with the row that ends it. An export with no ending row was cut off without the server seeing it.",
  },
  "export.finished": {
    personal: true,
    description:
      "An export or download was handed over whole; rows or bytes are recorded, with the `exportId` of its start.",
  },
  "export.failed": {
    personal: true,
    description:
      "An export or download stopped part-way (connection closed, error); what was sent so far and why are recorded, with the `exportId` of its start.",
  },
  "dispute.created": { personal: false, description: "A dispute was set up with its employers." },
  "ballot.created": { personal: false, description: "A ballot (constituency) was set up in a dispute." },
  "ballot.updated": { personal: false, description: "A ballot's set-up was changed (fields named)." },
  "turnout.returns_imported": {
    personal: false,
    description:
      "The scrutineer's turnout returns were recorded for a dispute's constituencies (rows and constituencies counted).",
  },
  "turnout.voted_feed_imported": {
    personal: true,
    description:
      "The scrutineer's per-member feed of papers returned was recorded as reports of having voted (rows, members, reports written, constituencies and the file's SHA-256; never how anyone voted).",
  },
  "turnout.self_report_recorded": {
    personal: true,
    description:
      "A member's own report of whether they have voted or will vote was recorded (ballot and source; never how anyone voted).",
  },
  "comms.template_approved": {
    personal: false,
    description: "A message template version was approved for sending (template, version, language).",
  },
  "comms.send_queued": {
    personal: false,
    description: "A send was queued: template, segment, channel, purpose and its job.",
  },
  "comms.print_batch_made": {
    personal: true,
    description:
      "A batch of a letter send was made for the mailing house: its PDF and address file stored, its letters marked sent (send, batch number, letters, pages).",
  },
  "comms.unsubscribed": {
    personal: true,
    description: "A member unsubscribed from campaign messages on a channel through the link in a message.",
  },
  "comms.suppressed": {
    personal: true,
    description:
      "A member's address was suppressed after a hard bounce or an invalid number, or the member replied STOP to a text (channel, reason; never the address or number).",
  },
  "comms.bounced": {
    personal: true,
    description:
      "A delivery status notification came back for a member's message (send, channel, hard or soft, the status code, whether the address was flagged undeliverable; never the address).",
  },
  "comms.complaint": {
    personal: true,
    description:
      "A member's mailbox provider reported a message as a complaint (marked as spam): campaign email to that address stops (send, channel; never the address).",
  },
  "comms.suppression_lifted": {
    personal: true,
    description:
      "A member's suppression on a channel was lifted: they replied START to a text after a STOP (channel, reason; never the number).",
  },
  "comms.result_notice_queued": {
    personal: false,
    description:
      "A round of a dispute's statutory result notice to members (s.231) was queued: its constituencies, one send per channel and their jobs.",
  },
  "bulletin.published": {
    personal: false,
    description:
      "A bulletin was published to users: an announcement (roles, regions) or a digest (period, region; counts only).",
  },
  "bulletin.schedule_changed": {
    personal: false,
    description:
      "A national officer set the union's digest schedule: off, daily or weekly, the hour (UK time) and the weekday.",
  },
  "material.created": {
    personal: false,
    description:
      "A campaign material was added to the library (kind and audience's region, sector and ballot ids).",
  },
  "material.version_uploaded": {
    personal: false,
    description:
      "A file was uploaded as a draft version of a material (language, version, type, bytes, SHA-256).",
  },
  "material.approved": {
    personal: false,
    description:
      "A material's draft version was approved for use; the language's earlier approved version is superseded.",
  },
  "material.withdrawn": {
    personal: false,
    description:
      "A material's version was withdrawn from use (language, version; the reason is kept with the version).",
  },
  "material.downloaded": {
    personal: false,
    description: "A material's file was downloaded (version, language, state, bytes).",
  },
  "canvass.contact_logged": {
    personal: true,
    description:
      "A rep logged a contact with a member during a ballot (contact and ballot ids; never the outcome or what was said).",
  },
  "canvass.assignment_created": {
    personal: false,
    description: "An officer assigned a contact list (a workplace's, or named members) to a rep.",
  },
  "canvass.assignment_ended": {
    personal: false,
    description: "An officer ended a rep's contact-list assignment.",
  },
  "action.day_planned": {
    personal: false,
    description: "A day of action (strike or action short of a strike) was added to a dispute's calendar.",
  },
  "action.day_removed": {
    personal: false,
    description: "A day of action was taken out of a dispute's calendar.",
  },
  "action.pay_rules_set": {
    personal: false,
    description:
      "The strike pay and hardship rules of a dispute were set or changed (rate, unpaid days, caps, criteria).",
  },
  "action.claim_submitted": {
    personal: true,
    description:
      "A strike pay or hardship claim was entered for a member (claim, member and the number of days; whether evidence came with it, never the evidence).",
  },
  "action.claim_decided": {
    personal: true,
    description: "A strike pay or hardship claim was approved or rejected (claim, member, decision, amount).",
  },
  "action.report_recorded": {
    personal: false,
    description: "A rep reported numbers out at a workplace on a day of action.",
  },
  "action.picket_plan_set": {
    personal: true,
    description:
      "A picket plan for a workplace and day of action was set or changed: its lead and picket supervisor (which fields changed, never the names or contact).",
  },
  "action.picket_line_added": {
    personal: false,
    description: "A picket line (location, entrance, times, expected numbers) was added to a picket plan.",
  },
  "action.picket_line_removed": {
    personal: false,
    description: "A picket line was taken out of a picket plan, with its rota.",
  },
  "action.picket_numbers_recorded": {
    personal: false,
    description: "The expected or actual number of pickets on a picket line was recorded.",
  },
  "action.police_contact_recorded": {
    personal: false,
    description:
      "The picket supervisor's contact with the police was recorded (when and how; never the notes or the officer's name).",
  },
  "action.rota_added": {
    personal: true,
    description: "A member was put on the rota of a picket line (line, member, time slot).",
  },
  "action.rota_removed": {
    personal: true,
    description: "A member was taken off the rota of a picket line.",
  },
  "action.cover_agreed": {
    personal: false,
    description:
      "Essential-service cover with an employer for a day was recorded (services, posts and numbers; whether naming was agreed).",
  },
  "action.cover_exemption_recorded": {
    personal: true,
    description:
      "Members were exempted to provide essential-service cover: a named member where naming was agreed, otherwise a number.",
  },
  "action.cover_request_recorded": {
    personal: false,
    description: "An employer's request for more essential-service cover was recorded.",
  },
  "action.cover_request_answered": {
    personal: false,
    description: "An employer's request for more cover was answered (granted, refused or partly).",
  },
  "action.incident_recorded": {
    personal: false,
    description:
      "An incident on a day of action was recorded at a workplace (kind, severity, day; never the description).",
  },
  "action.incident_updated": {
    personal: false,
    description: "An officer closed, reopened or changed the severity of a day-of-action incident.",
  },
  "action.incident_followup": {
    personal: false,
    description:
      "A follow-up to a day-of-action incident was added or marked done or not done (never who or what).",
  },
  "member.position_recorded": {
    personal: true,
    description:
      "A member's position on industrial action (opposed in principle or not) was recorded or changed; the field is named, not its value.",
  },
  "electorate.frozen": {
    personal: true,
    description:
      "A ballot's electorate was frozen: members copied into the snapshot, with its hash and counts.",
  },
  "ballot.documents_generated": {
    personal: false,
    description: "Notices or other documents were generated from the frozen electorate (kinds and hashes).",
  },
  "ballot.voter_file_exported": {
    personal: true,
    description: "The scrutineer's voter file (names and postal addresses) left the system.",
  },
  "ballot.receipt_recorded": {
    personal: false,
    description: "Proof of an employer's receipt of a notice was recorded.",
  },
  "ballot.result_recorded": {
    personal: false,
    description: "A ballot result was recorded, with its verdict.",
  },
  "ballot.action_notice_created": {
    personal: false,
    description: "Notices of industrial action were generated for the ballot's employers.",
  },
  "law.commencement_recorded": {
    personal: false,
    description:
      "A national officer recorded the commencement date of a change in the law (or that it is not in force), with its legal source; the previous value is recorded.",
  },
  "ballot.action_suspended": {
    personal: false,
    description:
      "Industrial action under a notice was recorded as suspended by agreement with the employer, with the agreed resumption date (s.234A(7A)-(7B)).",
  },
  "ballot.action_resumed": {
    personal: false,
    description:
      "Suspended industrial action was recorded as resumed on a date agreed, without a new notice.",
  },
  "ballot.scrutineer_report_recorded": {
    personal: false,
    description: "The scrutineer's report (s.231B) was recorded: its date and whether it is qualified.",
  },
  "ballot.scrutineer_report_reviewed": {
    personal: false,
    description: "A national officer recorded the review of a qualified scrutineer's report.",
  },
  "ballot.report_copy_requested": {
    personal: false,
    description:
      "A request for a copy of the scrutineer's report was recorded (requester type only), or its supply.",
  },
  "ballot.paper_changed": {
    personal: false,
    description:
      "A replacement voting paper or a late joiner (entitled with a new paper number, or not entitled with the reason) was recorded.",
  },
  "ballot.mandate_extended": {
    personal: false,
    description: "An extension of the mandate agreed with an employer (regime B, s.234(1)) was recorded.",
  },
  "ballot.correspondence_recorded": {
    personal: false,
    description: "An employer's objection or other correspondence about the ballot was logged.",
  },
  "ballot.legal_signed_off": {
    personal: false,
    description:
      "A national officer recorded the legal sign-off of a ballot's items needing legal review (reviewer, what was reviewed); final documents follow.",
  },
  "ballot.statement_reviewed": {
    personal: false,
    description: "A national officer recorded the legally reviewed wording of the voting-paper statement.",
  },
  "ballot.scrutineer_appointed": {
    personal: false,
    description:
      "A scrutineer user was appointed to a ballot; they see that ballot's counts and enter its result.",
  },
  "ballot.scrutineer_removed": {
    personal: false,
    description: "A scrutineer user's appointment to a ballot ended.",
  },
  "partner_agreement.requested": {
    personal: false,
    description:
      "A union asked a partner union for its members in a ballot or dispute, naming the fields; written in both unions' logs.",
  },
  "partner_agreement.accepted": {
    personal: false,
    description:
      "A partner union's national officer accepted a request for its members; written in both unions' logs.",
  },
  "partner_agreement.declined": {
    personal: false,
    description:
      "A partner union's national officer declined a request for its members; written in both unions' logs.",
  },
  "partner_agreement.withdrawn": {
    personal: false,
    description:
      "Either union withdrew a partner agreement; later freezes leave the partner's members out. Written in both unions' logs.",
  },
  "partner_agreement.members_shared": {
    personal: true,
    description:
      "A freeze copied a partner union's members into another union's ballot under an accepted agreement (counts and fields); written in the partner's log.",
  },
  "members.seeded": { personal: true, description: "Demo member records were generated in bulk." },
  "register.imported": {
    personal: false,
    description: "An official register file was loaded into employers and workplaces, with counts.",
  },
  "org_string.decided": {
    personal: true,
    description:
      "A reviewer decided which employer and workplace a written string means; the members it applies to were updated (count recorded).",
  },
  "members.imported": {
    personal: true,
    description:
      "A member import job finished; counts of inserted, updated, unchanged and rejected rows are recorded.",
  },
  "import.failed": {
    personal: false,
    description: "A member import job stopped with an error; it can be resumed.",
  },
  "duplicates.detected": {
    personal: true,
    description:
      "Duplicate detection grouped member records; counts of linked and review groups are recorded.",
  },
  "duplicates.decided": {
    personal: true,
    description: "A reviewer confirmed a duplicate group as one person, or as different people.",
  },
  "audit.verified": {
    personal: false,
    description: "The audit chain was verified; the outcome and rows checked are recorded.",
  },
  "indicative.created": {
    personal: false,
    description: "An indicative (consultative) ballot was set up for a dispute, with its questions.",
  },
  "indicative.opened": {
    personal: false,
    description:
      "An indicative ballot opened: its roll of voters was fixed (count of voters and constituencies).",
  },
  "indicative.closed": {
    personal: false,
    description: "An indicative ballot closed; its results may be read.",
  },
  "indicative.voted": {
    personal: true,
    description:
      "A member voted in an indicative ballot through their member link. The member and the ballot are recorded, never the answers.",
  },
  "memberlink.issued": {
    personal: true,
    description:
      "An officer issued member links for an indicative ballot's voters, a statutory ballot's frozen electorate or a dispute's strike pay (count, expiry); earlier links of those members for it were withdrawn.",
  },
  "memberlink.revoked": { personal: true, description: "An officer withdrew a member link." },
  "memberlink.opened": {
    personal: true,
    description: "A member opened their member link (the link and the member are recorded).",
  },
  "memberlink.address_confirmed": {
    personal: true,
    description: "A member confirmed through their member link that the postal address held is right.",
  },
  "memberlink.address_corrected": {
    personal: true,
    description:
      "A member corrected their postal address through their member link (with a `member.updated` row naming the fields).",
  },
  "memberlink.reported": {
    personal: true,
    description:
      "A member reported through their statutory ballot's link that they have voted, need a replacement paper (with the reason) or that their address is wrong; `recorded` false when it repeated their latest report. Never how anyone voted.",
  },
  "memberlink.claimed": {
    personal: true,
    description:
      "A member claimed strike pay or a hardship grant for themselves through their dispute's strike pay link (the claim's id, kind and number of days; with the claim's own `action.claim_submitted`). Never the evidence.",
  },
  "plan.created": {
    personal: false,
    description: "A regional plan or a national sector strategy was created (kind, region or sector).",
  },
  "plan.updated": { personal: false, description: "A plan's title or summary was changed (fields named)." },
  "plan.objective_added": {
    personal: false,
    description: "An objective was added to a plan, with the constituencies (ballot ids) it is about.",
  },
  "plan.task_added": {
    personal: false,
    description: "A task was added to a plan (owner's user id, due date; from a meeting when one is named).",
  },
  "plan.task_updated": {
    personal: false,
    description: "A plan's task was changed: its status, owner or due date (fields named, the new status).",
  },
  "plan.resource_committed": {
    personal: false,
    description:
      "Resources were committed to a plan (kind and quantity: officer days, reps, materials, budget).",
  },
  "plan.meeting_recorded": {
    personal: false,
    description: "A plan's meeting was recorded (date, number of attendees, actions that became tasks).",
  },
  "request.raised": {
    personal: false,
    description: "A request for assistance was raised to a department (department, urgency, due time).",
  },
  "request.triaged": {
    personal: false,
    description: "A department triaged a request for assistance (urgency, owner's user id; fields named).",
  },
  "request.answered": {
    personal: false,
    description: "A department answered a request for assistance (`resolved` when the answer closes it).",
  },
  "request.escalated": {
    personal: false,
    description:
      "A request for assistance missed its service level without a first answer and was escalated to the disputes unit (recorded once, by the system).",
  },
  "requests.configured": {
    personal: false,
    description:
      "A national officer changed the departments, their members or the service levels (what, ids).",
  },
  "coalition.created": {
    personal: false,
    description: "A coalition of unions was set up, with its coordinator.",
  },
  "coalition.changed": {
    personal: false,
    description: "A coalition's days of action or publishing schedule changed.",
  },
  "coalition.member_invited": {
    personal: false,
    description:
      "The coordinator added a union to a coalition (on this installation, or elsewhere with its public key).",
  },
  "coalition.member_agreed": {
    personal: false,
    description:
      "A union agreed to share aggregates with a coalition (who agreed, when): recorded in both the coordinator's and the member's logs.",
  },
  "coalition.ballots_linked": {
    personal: false,
    description: "A union chose which of its ballots count in a coalition (ballot ids).",
  },
  "coalition.joined_remote": {
    personal: false,
    description:
      "A union recorded its agreement to a coalition coordinated on another installation; a signing key was made.",
  },
  "coalition.published": {
    personal: false,
    description:
      "A union published its aggregates to a coalition (sequence, by hand or on schedule; counts only).",
  },
  "coalition.report_received": {
    personal: false,
    description:
      "A signed report from a member union on another installation was verified and accepted (sequence).",
  },
  "coalition.report_refused": {
    personal: false,
    description: "A report sent to a coalition was refused (bad signature, not a member, replayed or stale).",
  },
} as const satisfies Record<string, { personal: boolean; description: string }>;

export type AuditEvent = keyof typeof AUDIT_EVENTS;

export function renderAuditEventsDoc(): string {
  const lines = [
    "# Audit events",
    "",
    "Generated from `src/audit/events.ts` by `npm run docs`; a test fails when this page is stale.",
    "",
    "Every row is chained to the previous one with an HMAC under the audit key, which is kept outside the",
    "database, and the chain's head is anchored by signed checkpoints beside the data folder and in every",
    "generated PDF (`mandate audit verify` checks both; see decisions/0008). Rows carry ids, field names and",
    "counts, never the personal values themselves. Exports write `export.started` and then `export.finished`",
    "or `export.failed`, sharing one `exportId`.",
    "",
    "| event | personal data | what it records |",
    "| --- | --- | --- |",
  ];
  for (const [name, e] of Object.entries(AUDIT_EVENTS)) {
    lines.push(`| \`${name}\` | ${e.personal ? "yes" : "no"} | ${e.description} |`);
  }
  return `${lines.join("\n")}\n`;
}
