import type { ColumnType, Generated, Kysely, Transaction } from "kysely";

/**
 * The whole schema as Kysely sees it, table by table (snake_case as in SQL).
 * Dates (SQL `date`) travel as ISO strings "YYYY-MM-DD", never as Date
 * objects, so "as at" dates cannot shift with the time zone.
 */
type Id = Generated<number>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>;
type IsoDate = string;

/** A job of the durable queue (src/jobs): see migration 2026_12_06_1700_jobs. */
export interface JobsTable {
  id: Id;
  union_id: number;
  kind: string;
  state: ColumnType<JobState, JobState | undefined, JobState>;
  payload: ColumnType<unknown, string, string>;
  dedupe_key: string | null;
  actor: ColumnType<unknown, string, string>;
  created_by: number | null;
  done: ColumnType<number, number | undefined, number>;
  total: number | null;
  step: ColumnType<unknown, string | null | undefined, string | null>;
  result: ColumnType<unknown, string | null | undefined, string | null>;
  attempts: ColumnType<number, number | undefined, number>;
  max_attempts: ColumnType<number, number | undefined, number>;
  cancel_requested: ColumnType<boolean, boolean | undefined, boolean>;
  lease_owner: string | null;
  lease_until: Date | null;
  heartbeat_at: Date | null;
  run_after: ColumnType<Date, Date | undefined, Date>;
  error_code: string | null;
  error_message: string | null;
  created_at: CreatedAt;
  started_at: Date | null;
  finished_at: Date | null;
}
export type JobState = "queued" | "running" | "succeeded" | "failed" | "cancelled";

export interface JobProblemsTable {
  job_id: number;
  seq: number;
  at: CreatedAt;
  message: string;
}

export interface UnionsTable {
  id: Id;
  slug: string;
  name: string;
  created_at: CreatedAt;
}

export interface RegionsTable {
  id: Id;
  union_id: number;
  code: string;
  name: string;
  nation: ColumnType<string, string | undefined, string>;
}

export interface SectorsTable {
  id: Id;
  union_id: number;
  code: string;
  name: string;
}

export interface BranchesTable {
  id: Id;
  union_id: number;
  region_id: number | null;
  code: string;
  name: string;
}

export interface EmployersTable {
  id: Id;
  union_id: number;
  name: string;
  ods_code: string | null;
  dfe_urn: string | null;
  gss_code: string | null;
  companies_house_number: string | null;
  sector_id: number | null;
  region_id: number | null;
  nation: ColumnType<string, string | undefined, string>;
  important_public_service: string | null;
  devolved_welsh_authority: ColumnType<boolean, boolean | undefined, boolean>;
  opened_on: IsoDate | null;
  closed_on: IsoDate | null;
  parent_id: number | null;
  organisation_type: string | null;
  dfe_group_id: string | null;
  la_code: string | null;
  local_code: string | null;
  register_source: string | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

/** Employers that took over a closed one's work (a council abolished and replaced, or split). */
export interface EmployerSuccessorsTable {
  union_id: number;
  employer_id: number;
  successor_id: number;
  from_date: IsoDate | null;
  source: string;
}

export interface WorkplacesTable {
  id: Id;
  union_id: number;
  employer_id: number;
  region_id: number | null;
  site_code: string | null;
  name: string;
  address: string | null;
  postcode: string | null;
  /** From the register's address: members add it to a site's name. */
  town: string | null;
  opened_on: IsoDate | null;
  closed_on: IsoDate | null;
  headcount: number | null;
  headcount_on: IsoDate | null;
  headcount_source: string | null;
  organisation_type: string | null;
  register_source: string | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface MembersTable {
  id: Id;
  union_id: number;
  membership_number: string;
  forenames: string;
  surname: string;
  date_of_birth: IsoDate | null;
  address_line1: string | null;
  address_line2: string | null;
  town: string | null;
  home_postcode: string | null;
  postal_address: string | null;
  postal_postcode: string | null;
  postal_requested_on: IsoDate | null;
  postal_request_evidence: string | null;
  email: string | null;
  mobile: string | null;
  employer_id: number | null;
  workplace_id: number | null;
  job_title: string | null;
  job_category: string | null;
  branch_id: number | null;
  region_id: number | null;
  status: string;
  in_arrears: boolean;
  check_off: boolean;
  joined_on: IsoDate | null;
  left_on: IsoDate | null;
  consent_email: boolean;
  consent_sms: boolean;
  /** Set when the email bounced for good or the mobile is not a number; a new address clears it. */
  email_undeliverable_at: Later<Date>;
  mobile_undeliverable_at: Later<Date>;
  language: ColumnType<string, string | undefined, string>;
  employer_text: string | null;
  workplace_text: string | null;
  org_string_id: number | null;
  email_kind: string | null;
  duplicate_group_id: number | null;
  import_job_id: number | null;
  import_line: number | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface MemberHistoryTable {
  id: Id;
  union_id: number;
  member_id: number;
  valid_from: IsoDate;
  valid_to: IsoDate | null;
  employer_id: number | null;
  workplace_id: number | null;
  job_category: string | null;
  recorded_at: CreatedAt;
}

export interface UsersTable {
  id: Id;
  union_id: number;
  email: string;
  display_name: string;
  password_hash: string;
  role: string;
  created_at: CreatedAt;
  disabled_at: Date | null;
}

export interface UserScopesTable {
  user_id: number;
  region_id: number | null;
  sector_id: number | null;
  workplace_id: number | null;
}

export interface SessionsTable {
  token_hash: string;
  user_id: number;
  csrf_token: string;
  created_at: Date;
  expires_at: Date;
}

export interface SigninThrottleTable {
  key: string;
  failures: number;
  last_failure_at: Date;
}

export interface SigninKnownSourcesTable {
  key: string;
  last_success_at: Date;
}

export interface AuditLogTable {
  seq: number;
  at: Date;
  union_id: number | null;
  actor_user_id: number | null;
  actor_label: string;
  event: string;
  subject_type: string | null;
  subject_id: string | null;
  outcome: string;
  details: ColumnType<Record<string, unknown>, string, never>;
  prev_hash: string;
  hash: string;
  /** 1: plain SHA-256 (rows written before keyed chaining); 2: HMAC-SHA-256 with the audit key. */
  chain_version: ColumnType<number, number | undefined, never>;
}

export interface AuditHeadTable {
  id: number;
  seq: number;
  hash: string;
  /** HMAC of a fixed text under the audit key: which key the chain is keyed with, not the key. */
  key_id: string | null;
}

export interface MemberCountsTable {
  union_id: number;
  region_id: number | null;
  employer_id: number | null;
  workplace_id: number | null;
  status: string;
  in_arrears: boolean;
  has_home_address: boolean;
  has_workplace: boolean;
  n: number;
}

export interface MemberCountsVersionTable {
  union_id: number;
  version: number;
}

export interface RegisterAliasesTable {
  id: Id;
  union_id: number;
  employer_id: number;
  workplace_id: number | null;
  alias: string;
  normalised: string;
  kind: string;
  source: string | null;
  created_at: CreatedAt;
}

export interface RegisterImportsTable {
  id: Id;
  union_id: number;
  source: string;
  file_name: string;
  file_sha256: string;
  imported_at: Date;
  counts: ColumnType<Record<string, unknown>, string, string>;
  problems: ColumnType<unknown[], string, string>;
}

export interface OrgStringsTable {
  id: Id;
  union_id: number;
  /** text_key, with "@" and the date its period starts when the match depends on the date. */
  match_key: string;
  /** The normalised employer|workplace strings (matchKey). */
  text_key: string | null;
  employer_text: string;
  workplace_text: string;
  status: string;
  employer_id: number | null;
  workplace_id: number | null;
  confidence: number | null;
  reason: string | null;
  candidates: ColumnType<unknown[], string | undefined, string>;
  decided_by: number | null;
  decided_at: Date | null;
  updated_at: UpdatedAt;
}

export interface ImportJobsTable {
  id: Id;
  union_id: number;
  kind: string;
  file_name: string;
  file_path: string;
  file_sha256: string;
  mapping: ColumnType<Record<string, string>, string, string>;
  header_signature: ColumnType<string, string | undefined, string>;
  status: string;
  rows_read: ColumnType<number, number | undefined, number>;
  rows_inserted: ColumnType<number, number | undefined, number>;
  rows_updated: ColumnType<number, number | undefined, number>;
  rows_unchanged: ColumnType<number, number | undefined, number>;
  problems_not_kept: ColumnType<number, number | undefined, number>;
  rows_rejected: ColumnType<number, number | undefined, number>;
  last_line: ColumnType<number, number | undefined, number>;
  fixes: ColumnType<Record<string, number>, string | undefined, string>;
  error: string | null;
  created_by: number | null;
  created_by_label: string;
  created_at: Date;
  updated_at: Date;
  completed_at: Date | null;
}

export interface ImportRejectsTable {
  job_id: number;
  line: number;
  sheet: string | null;
  field: string;
  code: string;
  message: string;
  severity: string;
}

export interface DuplicateGroupsTable {
  id: Id;
  union_id: number;
  status: string;
  confidence: number;
  evidence: ColumnType<unknown[], string | undefined, string>;
  created_at: Date;
  decided_by: number | null;
  decided_at: Date | null;
}

export interface DisputesTable {
  id: Id;
  union_id: number;
  title: string;
  matters_in_issue: ColumnType<string, string | undefined, string>;
  coalition: ColumnType<string, string | undefined, string>;
  created_by: number | null;
  created_at: Date;
  updated_at: Date;
}

export interface DisputeEmployersTable {
  dispute_id: number;
  employer_id: number;
}

export interface BallotsTable {
  id: Id;
  union_id: number;
  dispute_id: number;
  name: string;
  kind: string;
  aggregation_test: string | null;
  aggregation_reason: ColumnType<string, string | undefined, string>;
  questions: string[];
  action_short_types: ColumnType<string[], string[] | undefined, string[]>;
  expected_periods: ColumnType<string, string | undefined, string>;
  voting_method: ColumnType<string, string | undefined, string>;
  opening_date: IsoDate;
  closing_date: IsoDate;
  planned_action_from: IsoDate | null;
  job_categories: string[] | null;
  include_arrears: ColumnType<boolean, boolean | undefined, boolean>;
  partner_union_ids: ColumnType<number[], number[] | undefined, number[]>;
  scrutineer_name: ColumnType<string, string | undefined, string>;
  scrutineer_address: ColumnType<string, string | undefined, string>;
  return_address: ColumnType<string, string | undefined, string>;
  authorised_person: ColumnType<string, string | undefined, string>;
  ips_belief: ColumnType<boolean, boolean | undefined, boolean>;
  ips_evidence: ColumnType<string, string | undefined, string>;
  wales_devolved: ColumnType<boolean, boolean | undefined, boolean>;
  check_off_route: ColumnType<boolean, boolean | undefined, boolean>;
  reballot: ColumnType<boolean, boolean | undefined, boolean>;
  dismissal_statement_reviewed: string | null;
  dismissal_statement_reviewed_by: number | null;
  state: ColumnType<string, string | undefined, string>;
  electorate_hash: string | null;
  electorate_entitled: number | null;
  electorate_as_at: IsoDate | null;
  frozen_at: Date | null;
  frozen_by: number | null;
  created_at: Date;
  updated_at: Date;
}

export interface BallotScopeTable {
  id: Id;
  ballot_id: number;
  employer_id: number;
  workplace_id: number | null;
}

export interface BallotElectorateTable {
  ballot_id: number;
  member_id: number;
  member_union_id: number;
  membership_number: string;
  included: boolean;
  reason: string;
  employer_id: number;
  workplace_id: number | null;
  job_category: string | null;
  check_off: boolean;
  left_on: IsoDate | null;
  paper_number: number | null;
  name: string;
  address_lines: string[];
  postcode: string | null;
}

export interface BallotDocumentsTable {
  id: Id;
  ballot_id: number;
  employer_id: number | null;
  kind: string;
  filename: string;
  content_type: string;
  content: Uint8Array;
  sha256: string;
  input: ColumnType<unknown, string, never>;
  electorate_hash: string;
  draft: ColumnType<boolean, boolean | undefined, never>;
  created_at: Date;
  created_by: number | null;
}

export interface NoticeReceiptsTable {
  id: Id;
  ballot_id: number;
  employer_id: number;
  kind: string;
  sent_on: IsoDate | null;
  received_on: IsoDate;
  method: ColumnType<string, string | undefined, string>;
  evidence: ColumnType<string, string | undefined, string>;
  recorded_by: number | null;
  recorded_at: Date;
}

export interface PartnerAgreementsTable {
  id: Generated<number>;
  union_id: number;
  partner_union_id: number;
  ballot_id: number | null;
  dispute_id: number | null;
  fields: string[];
  purpose: ColumnType<string, string | undefined, string>;
  state: ColumnType<string, string | undefined, string>;
  requested_by: number | null;
  requested_at: Date;
  decided_by: number | null;
  decided_by_union: number | null;
  decided_at: Date | null;
  employer_ids: number[] | null;
}

export interface BallotScrutineersTable {
  ballot_id: number;
  user_id: number;
  appointed_by: number | null;
  appointed_at: Date;
}

export interface BallotResultsTable {
  ballot_id: number;
  entitled: number;
  votes_cast: number;
  questions: ColumnType<unknown, string, string>;
  source: string;
  evaluation: ColumnType<unknown, string, string>;
  declared_on: IsoDate;
  recorded_by: number | null;
  recorded_at: Date;
}

export interface ActionNoticesTable {
  id: Id;
  ballot_id: number;
  continuous: boolean;
  start_date: IsoDate | null;
  dates: ColumnType<string[], string, string>;
  kinds: string[];
  given_on: IsoDate;
  shorter_notice_agreed: boolean;
  agreement_evidence: ColumnType<string, string | undefined, string>;
  created_at: Date;
  created_by: number | null;
  figures: ColumnType<unknown, string | undefined, string>;
  document_ids: ColumnType<number[], number[] | undefined, number[]>;
  employer_ids: number[] | null;
}

export interface ActionNoticeMembersTable {
  action_notice_id: number;
  member_id: number;
  employer_id: number;
  workplace_id: number | null;
  outcome: string;
}

export interface ActionSuspensionsTable {
  id: Id;
  action_notice_id: number;
  ballot_id: number;
  agreed_on: IsoDate;
  suspended_from: IsoDate;
  resume_from: IsoDate;
  evidence: string;
  resumed_on: IsoDate | null;
  resumption_evidence: ColumnType<string, string | undefined, string>;
  recorded_by: number | null;
  recorded_at: Date;
  resumption_recorded_by: number | null;
  resumption_recorded_at: Date | null;
}

export interface ScrutineerReportsTable {
  ballot_id: number;
  received_on: IsoDate;
  no_contravention: boolean;
  security_arrangements: boolean;
  no_interference: boolean;
  particulars: ColumnType<string, string | undefined, string>;
  reviewed_on: IsoDate | null;
  review_note: ColumnType<string, string | undefined, string>;
  reviewed_by: number | null;
  recorded_by: number | null;
  recorded_at: Date;
}

export interface ScrutineerReportRequestsTable {
  id: Id;
  ballot_id: number;
  requested_on: IsoDate;
  requester_type: string;
  reference: ColumnType<string, string | undefined, string>;
  employer_id: number | null;
  supplied_on: IsoDate | null;
  recorded_by: number | null;
  recorded_at: Date;
}

export interface BallotPaperChangesTable {
  id: Id;
  ballot_id: number;
  kind: string;
  recorded_on: IsoDate;
  paper_number: number | null;
  replaces_paper: number | null;
  member_id: number | null;
  employer_id: number | null;
  workplace_id: number | null;
  job_category: string | null;
  reason: string;
  recorded_by: number | null;
  recorded_at: Date;
}

export interface MandateExtensionsTable {
  id: Id;
  ballot_id: number;
  employer_id: number;
  agreed_on: IsoDate;
  last_day: IsoDate;
  evidence: string;
  recorded_by: number | null;
  recorded_at: Date;
}

export interface EmployerCorrespondenceTable {
  id: Id;
  ballot_id: number;
  employer_id: number;
  dated: IsoDate;
  direction: string;
  kind: string;
  summary: string;
  document_reference: ColumnType<string, string | undefined, string>;
  recorded_by: number | null;
  recorded_at: Date;
}

export interface Database {
  jobs: JobsTable;
  job_problems: JobProblemsTable;
  unions: UnionsTable;
  regions: RegionsTable;
  sectors: SectorsTable;
  branches: BranchesTable;
  employers: EmployersTable;
  workplaces: WorkplacesTable;
  employer_successors: EmployerSuccessorsTable;
  members: MembersTable;
  member_history: MemberHistoryTable;
  users: UsersTable;
  user_scopes: UserScopesTable;
  sessions: SessionsTable;
  signin_throttle: SigninThrottleTable;
  signin_known_sources: SigninKnownSourcesTable;
  audit_log: AuditLogTable;
  audit_head: AuditHeadTable;
  member_counts: MemberCountsTable;
  member_counts_version: MemberCountsVersionTable;
  register_aliases: RegisterAliasesTable;
  register_imports: RegisterImportsTable;
  org_strings: OrgStringsTable;
  import_jobs: ImportJobsTable;
  import_rejects: ImportRejectsTable;
  duplicate_groups: DuplicateGroupsTable;
  disputes: DisputesTable;
  dispute_employers: DisputeEmployersTable;
  ballots: BallotsTable;
  ballot_scope: BallotScopeTable;
  ballot_electorate: BallotElectorateTable;
  ballot_documents: BallotDocumentsTable;
  notice_receipts: NoticeReceiptsTable;
  ballot_results: BallotResultsTable;
  action_notices: ActionNoticesTable;
  action_notice_members: ActionNoticeMembersTable;
  action_suspensions: ActionSuspensionsTable;
  scrutineer_reports: ScrutineerReportsTable;
  scrutineer_report_requests: ScrutineerReportRequestsTable;
  ballot_paper_changes: BallotPaperChangesTable;
  mandate_extensions: MandateExtensionsTable;
  employer_correspondence: EmployerCorrespondenceTable;
  partner_agreements: PartnerAgreementsTable;
  ballot_scrutineers: BallotScrutineersTable;
  law_commencements: LawCommencementsTable;
  union_settings: UnionSettingsTable;
  ballot_legal_signoffs: BallotLegalSignoffsTable;
  turnout_returns: TurnoutReturnsTable;
  turnout_self_reports: TurnoutSelfReportsTable;
  indicative_ballots: IndicativeBallotsTable;
  indicative_roll: IndicativeRollTable;
  indicative_voted: IndicativeVotedTable;
  indicative_tally: IndicativeTallyTable;
  member_links: MemberLinksTable;
  member_link_throttle: MemberLinkThrottleTable;
  canvass_assignments: CanvassAssignmentsTable;
  canvass_assignment_members: CanvassAssignmentMembersTable;
  canvass_contacts: CanvassContactsTable;
  member_positions: MemberPositionsTable;
  turnout_activity_daily: TurnoutActivityDailyTable;
  plans: PlansTable;
  plan_objectives: PlanObjectivesTable;
  plan_objective_ballots: PlanObjectiveBallotsTable;
  plan_meetings: PlanMeetingsTable;
  plan_tasks: PlanTasksTable;
  plan_resources: PlanResourcesTable;
  departments: DepartmentsTable;
  department_members: DepartmentMembersTable;
  request_service_levels: RequestServiceLevelsTable;
  assistance_requests: AssistanceRequestsTable;
  assistance_request_answers: AssistanceRequestAnswersTable;
  comms_templates: CommsTemplatesTable;
  comms_template_versions: CommsTemplateVersionsTable;
  comms_segments: CommsSegmentsTable;
  comms_sends: CommsSendsTable;
  comms_messages: CommsMessagesTable;
  comms_suppressions: CommsSuppressionsTable;
  comms_rate_windows: CommsRateWindowsTable;
  comms_print_batches: CommsPrintBatchesTable;
  coalitions: CoalitionsTable;
  coalition_members: CoalitionMembersTable;
  coalition_ballots: CoalitionBallotsTable;
  coalition_reports: CoalitionReportsTable;
  disclosure_keys: DisclosureKeysTable;
  materials: MaterialsTable;
  material_versions: MaterialVersionsTable;
  result_notices: ResultNoticesTable;
  result_notice_sends: ResultNoticeSendsTable;
  bulletins: BulletinsTable;
  bulletin_reads: BulletinReadsTable;
  bulletin_emails: BulletinEmailsTable;
  digest_schedules: DigestSchedulesTable;
  digest_periods: DigestPeriodsTable;
  action_days: ActionDaysTable;
  strike_pay_rules: StrikePayRulesTable;
  strike_pay_exports: StrikePayExportsTable;
  strike_pay_claims: StrikePayClaimsTable;
  strike_pay_claim_days: StrikePayClaimDaysTable;
  action_reports: ActionReportsTable;
  picket_plans: PicketPlansTable;
  picket_lines: PicketLinesTable;
  picket_police_contacts: PicketPoliceContactsTable;
  picket_rota: PicketRotaTable;
  cover_agreements: CoverAgreementsTable;
  cover_exemptions: CoverExemptionsTable;
  cover_requests: CoverRequestsTable;
  action_board_workplaces: ActionBoardWorkplacesTable;
  action_board_slots: ActionBoardSlotsTable;
  action_incidents: ActionIncidentsTable;
  action_incident_followups: ActionIncidentFollowupsTable;
}

/** A coalition of unions (decisions/0032): coordinated here, or joined from here and coordinated elsewhere. */
export interface CoalitionsTable {
  id: Id;
  union_id: number;
  kind: string;
  name: string;
  coordinator_name: string;
  coordinator_url: string | null;
  remote_coalition_id: number | null;
  member_key: string | null;
  signing_public_key: string | null;
  signing_private_key: string | null;
  last_sequence_sent: ColumnType<number, number | undefined, number>;
  days_of_action: ColumnType<IsoDate[], IsoDate[] | undefined, IsoDate[]>;
  publish_daily: ColumnType<boolean, boolean | undefined, boolean>;
  agreed_by: number | null;
  agreed_at: Date | null;
  created_by: number | null;
  created_at: Date;
}

/** A union in a coordinated coalition; agreed_at records its agreement to share aggregates. */
export interface CoalitionMembersTable {
  id: Id;
  coalition_id: number;
  key: string;
  name: string;
  local_union_id: number | null;
  public_key: string | null;
  partner_of: string | null;
  brand_colour: string | null;
  state: ColumnType<string, string | undefined, string>;
  agreed_by_user: number | null;
  agreed_by_label: string | null;
  agreed_at: Date | null;
  last_sequence: ColumnType<number, number | undefined, number>;
  publish_daily: ColumnType<boolean, boolean | undefined, boolean>;
  added_by: number | null;
  added_at: Date;
}

export interface CoalitionBallotsTable {
  coalition_id: number;
  union_id: number;
  ballot_id: number;
}

export interface CoalitionReportsTable {
  id: Id;
  coalition_id: number;
  member_id: number;
  sequence: number;
  as_of: IsoDate;
  issued_at: Date;
  source: string;
  trigger: string;
  payload: ColumnType<unknown, string, string>;
  signature: string | null;
  received_at: Date;
}

export interface DisclosureKeysTable {
  union_id: number;
  key: Uint8Array;
  created_at: Date;
}

type Json<T> = ColumnType<T, string, string>;
/** A column set after the row is written: null until then, optional on insert. */
type Later<T> = ColumnType<T | null, T | null | undefined, T | null>;

/** A message template (decisions/0027); its text lives in versions. */
export interface CommsTemplatesTable {
  id: Id;
  union_id: number;
  name: string;
  channel: string;
  purpose: string;
  created_by: number | null;
  created_at: Date;
}

/** One language's text of a template; immutable once approved (its id is the ledger's content version). */
export interface CommsTemplateVersionsTable {
  id: Id;
  template_id: number;
  language: string;
  version: number;
  subject: string | null;
  body: string;
  compiled_html: string | null;
  state: ColumnType<string, string | undefined, string>;
  created_by: number | null;
  created_at: Date;
  approved_by: number | null;
  approved_at: Date | null;
  withdrawn_at: Date | null;
}

/** A saved audience: its definition is a SegmentDefinition (comms.model.ts). */
export interface CommsSegmentsTable {
  id: Id;
  union_id: number;
  name: string;
  definition: Json<unknown>;
  created_by: number | null;
  created_at: Date;
  updated_at: Date;
}

export interface CommsSendsTable {
  id: Id;
  union_id: number;
  template_id: number;
  segment_id: number | null;
  channel: string;
  purpose: string;
  ballot_id: number | null;
  definition: Json<unknown>;
  reach: Json<unknown>;
  versions: Json<Record<string, number>>;
  /** The templates a failed message falls back to, per channel (decisions/0028). */
  fallback: ColumnType<unknown, string | null | undefined, string | null>;
  job_id: number | null;
  created_by: number | null;
  created_at: Date;
}

/** The send ledger: one row per message (send, member, channel, content version). */
export interface CommsMessagesTable {
  id: ColumnType<string, never, never>;
  send_id: number;
  member_id: number;
  channel: string;
  content_version: number;
  state: ColumnType<string, string | undefined, string>;
  reason: string | null;
  address: string | null;
  attempts: ColumnType<number, number | undefined, number>;
  not_before: Date | null;
  claimed_at: Date | null;
  sent_at: Date | null;
  response: string | null;
  /** What came back after the server took it (decisions/0028). */
  bounce: Later<"hard" | "soft">;
  bounce_status: Later<string>;
  bounced_at: Later<Date>;
  delivered_at: Later<Date>;
  complained_at: Later<Date>;
  /** The failed message this one stands in for on the member's next channel. */
  fallback_of: Later<string>;
}

export interface CommsSuppressionsTable {
  id: Id;
  union_id: number;
  member_id: number;
  channel: string;
  reason: string;
  address: string | null;
  message_id: string | null;
  created_by: number | null;
  created_at: Date;
  lifted_at: Date | null;
  lifted_by: number | null;
}

/** A batch of letters for the mailing house: the PDF and its address file, made with its ledger rows marked sent. */
export interface CommsPrintBatchesTable {
  id: Id;
  union_id: number;
  send_id: number;
  batch_no: number;
  letters: number;
  pages: number;
  pdf: Uint8Array;
  pdf_sha256: string;
  csv: Uint8Array;
  csv_sha256: string;
  created_at: Date;
}

export interface CommsRateWindowsTable {
  key: string;
  second: Date;
  used: number;
}

/** An indicative (consultative) ballot of a dispute's members, run through member links (decision 0022). */
export interface IndicativeBallotsTable {
  id: Id;
  union_id: number;
  dispute_id: number;
  title: string;
  questions: ColumnType<{ text: string; choices: string[] }[], string, string>;
  constituency_kind: string;
  opens_on: IsoDate;
  closes_on: IsoDate;
  minimum_cell: ColumnType<number, number | undefined, number>;
  state: ColumnType<string, string | undefined, string>;
  created_by: number | null;
  created_at: Date;
  opened_at: Date | null;
  closed_at: Date | null;
}

export interface IndicativeRollTable {
  indicative_ballot_id: number;
  member_id: number;
  constituency: string;
}

export interface IndicativeVotedTable {
  indicative_ballot_id: number;
  member_id: number;
}

/** Counts only: no member, id, sequence or time (decision 0022). */
export interface IndicativeTallyTable {
  indicative_ballot_id: number;
  constituency: string;
  question: number;
  answer: number;
  votes: ColumnType<number, number | undefined, number>;
}

export interface MemberLinksTable {
  id: Id;
  union_id: number;
  member_id: number;
  indicative_ballot_id: number | null;
  /** A statutory ballot's link (never both kinds of ballot). */
  ballot_id: ColumnType<number | null, number | null | undefined, number | null>;
  /** A dispute's strike pay link: the member claims for themselves (at most one of the three). */
  dispute_id: ColumnType<number | null, number | null | undefined, number | null>;
  token_hash: string;
  expires_at: Date;
  revoked_at: Date | null;
  created_by: number | null;
  created_at: Date;
  last_used_at: Date | null;
}

export interface MemberLinkThrottleTable {
  key: string;
  window_start: Date;
  hits: number;
}

/** A commencement date recorded by a national officer on legal advice (decision 0013). */
export interface LawCommencementsTable {
  union_id: number;
  switch_id: string;
  commenced_on: string | null;
  source: string;
  recorded_by: number | null;
  recorded_at: Date;
}

export interface UnionSettingsTable {
  union_id: number;
  letter_name: string;
  address: string;
  signatory_name: string;
  signatory_title: string;
  contact: string;
  updated_at: Date;
  updated_by: number | null;
}

export interface BallotLegalSignoffsTable {
  id: Id;
  ballot_id: number;
  items: ColumnType<string[], string, never>;
  reviewer: string;
  reviewed: string;
  signed_at: Date;
  signed_by: number | null;
}

/** A database handle or an open transaction: services accept either. */
export type Db = Kysely<Database> | Transaction<Database>;

/** The scrutineer's running total of papers returned in a constituency, as at a date. */
export interface TurnoutReturnsTable {
  id: Id;
  union_id: number;
  ballot_id: number;
  as_of: IsoDate;
  papers_returned: number;
  source: string;
  recorded_by: number | null;
  recorded_at: Date;
}

/** A member's own report of whether they have voted or will vote (never how). */
export interface TurnoutSelfReportsTable {
  id: Id;
  union_id: number;
  ballot_id: number;
  member_id: number;
  kind: string;
  source: string;
  /** Why a replacement paper is needed (needs_replacement only). */
  reason: ColumnType<string | null, string | null | undefined, string | null>;
  recorded_by: number | null;
  recorded_at: Date;
}

/** An officer's assignment of a list (a workplace's members in a ballot, or named members) to a rep. */
export interface CanvassAssignmentsTable {
  id: Id;
  union_id: number;
  ballot_id: number;
  rep_user_id: number;
  workplace_id: number | null;
  created_by: number | null;
  created_at: Date;
  ended_at: Date | null;
  ended_by: number | null;
}

export interface CanvassAssignmentMembersTable {
  assignment_id: number;
  member_id: number;
}

/** One contact a rep made with a member in a ballot (append-only). */
export interface CanvassContactsTable {
  id: Id;
  union_id: number;
  ballot_id: number;
  member_id: number;
  workplace_id: number | null;
  rep_user_id: number | null;
  contact_type: string;
  outcome: string;
  report_id: number | null;
  occurred_at: Date;
}

/** A member's recorded position (history; the latest row holds). */
export interface MemberPositionsTable {
  id: Id;
  union_id: number;
  member_id: number;
  opposed_in_principle: boolean;
  recorded_by: number | null;
  recorded_at: Date;
}

/** Members' own reports counted per ballot, UK day and kind; kept by a trigger on turnout_self_reports. */
export interface TurnoutActivityDailyTable {
  union_id: number;
  ballot_id: number;
  day: IsoDate;
  kind: string;
  reports: number;
}

/** A regional plan or a national sector strategy (decisions/0031). */
export interface PlansTable {
  id: Id;
  union_id: number;
  kind: string;
  region_id: number | null;
  sector_id: number | null;
  title: string;
  summary: ColumnType<string, string | undefined, string>;
  created_by: number | null;
  created_at: Date;
  updated_at: Date;
}

export interface PlanObjectivesTable {
  id: Id;
  union_id: number;
  plan_id: number;
  text: string;
  created_at: Date;
}

export interface PlanObjectiveBallotsTable {
  objective_id: number;
  ballot_id: number;
}

export interface PlanMeetingsTable {
  id: Id;
  union_id: number;
  plan_id: number;
  held_on: IsoDate;
  title: string;
  attendees: ColumnType<string[], string, string>;
  decisions: ColumnType<string, string | undefined, string>;
  created_by: number | null;
  created_at: Date;
}

export interface PlanTasksTable {
  id: Id;
  union_id: number;
  plan_id: number;
  objective_id: number | null;
  ballot_id: number | null;
  meeting_id: number | null;
  title: string;
  owner_user_id: number | null;
  due_on: IsoDate | null;
  status: string;
  created_at: Date;
  updated_at: Date;
  done_at: Date | null;
}

export interface PlanResourcesTable {
  id: Id;
  union_id: number;
  plan_id: number;
  kind: string;
  /** numeric(12,2): read through a cast to float8. */
  quantity: ColumnType<string, number, number>;
  note: ColumnType<string, string | undefined, string>;
  created_at: Date;
}

/** A central department that answers requests for assistance (decisions/0031). */
export interface DepartmentsTable {
  id: Id;
  union_id: number;
  code: string;
  name: string;
  created_at: Date;
}

export interface DepartmentMembersTable {
  department_id: number;
  user_id: number;
}

export interface RequestServiceLevelsTable {
  union_id: number;
  urgency: string;
  amount: number;
  unit: string;
}

export interface AssistanceRequestsTable {
  id: Id;
  union_id: number;
  department_id: number;
  region_id: number | null;
  sector_id: number | null;
  raised_by: number | null;
  title: string;
  body: string;
  urgency: string;
  status: string;
  owner_user_id: number | null;
  raised_at: Date;
  due_at: Date;
  first_answered_at: Date | null;
  resolved_at: Date | null;
  escalated_at: Date | null;
  updated_at: Date;
}

export interface AssistanceRequestAnswersTable {
  id: Id;
  union_id: number;
  request_id: number;
  author_user_id: number | null;
  body: string;
  created_at: Date;
}
/** A file of the materials library (decisions/0029) and its audience. */
export interface MaterialsTable {
  id: Id;
  union_id: number;
  title: string;
  kind: string;
  description: ColumnType<string, string | undefined, string>;
  region_ids: ColumnType<number[], number[] | undefined, number[]>;
  sector_ids: ColumnType<number[], number[] | undefined, number[]>;
  ballot_id: number | null;
  created_by: number | null;
  created_at: Date;
}

/** One version of a material in one language, its bytes and its approval. */
export interface MaterialVersionsTable {
  id: Id;
  material_id: number;
  language: string;
  version: number;
  file_name: string;
  content_type: string;
  bytes: number;
  sha256: string;
  content: Uint8Array;
  note: ColumnType<string, string | undefined, string>;
  state: ColumnType<string, string | undefined, string>;
  created_by: number | null;
  created_at: Date;
  approved_by: number | null;
  approved_at: Date | null;
  withdrawn_by: number | null;
  withdrawn_at: Date | null;
  withdrawn_reason: string | null;
}

/** A round of a dispute's statutory result notice to members (decisions/0030). */
export interface ResultNoticesTable {
  id: Id;
  union_id: number;
  dispute_id: number;
  round: number;
  ballot_ids: number[];
  figures: Json<unknown>;
  created_by: number | null;
  created_at: Date;
}

export interface ResultNoticeSendsTable {
  notice_id: number;
  send_id: number;
  channel: string;
}

/** An officer bulletin: a digest (counts only) or an announcement, to users by role and region. */
export interface BulletinsTable {
  id: Id;
  union_id: number;
  kind: string;
  title: string;
  body: string;
  roles: ColumnType<string[], string[] | undefined, string[]>;
  region_ids: ColumnType<number[], number[] | undefined, number[]>;
  figures: Json<unknown> | null;
  created_by: number | null;
  created_at: Date;
  /** A scheduled digest's period (decisions/0037); null otherwise. */
  period_frequency: ColumnType<string | null, string | null | undefined, string | null>;
  period_start: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

/** A reader opened a bulletin, in the app or by the email's signed link (the read receipt). */
export interface BulletinReadsTable {
  bulletin_id: number;
  user_id: number;
  read_at: Date;
  via: ColumnType<string, string | undefined, string>;
}

/** A bulletin's email copy to one user: recorded before it leaves and after (decisions/0037). */
export interface BulletinEmailsTable {
  bulletin_id: number;
  user_id: number;
  state: string;
  message_id: string;
  queued_at: Date;
  sent_at: Date | null;
}

/** A union's digest schedule: off, daily or weekly at an hour of UK time (decisions/0037). */
export interface DigestSchedulesTable {
  union_id: number;
  frequency: string;
  hour: number;
  weekday: number;
  /** When the times were last changed: no period ending before this is made. */
  since: Date;
  updated_at: Date;
  updated_by: number | null;
}

/** A period whose digests were made: the unique key that makes them once (decisions/0037). */
export interface DigestPeriodsTable {
  union_id: number;
  frequency: string;
  period_start: Date;
  period_end: Date;
  made_at: Date;
  job_id: number | null;
}

/** A day of action in a dispute's calendar (decisions/0034). */
export interface ActionDaysTable {
  id: Id;
  union_id: number;
  dispute_id: number;
  day: IsoDate;
  kind: string;
  types: ColumnType<string[], string[] | undefined, string[]>;
  note: ColumnType<string, string | undefined, string>;
  created_by: number | null;
  created_at: Date;
}

/** The union's strike pay and hardship rules for one dispute. */
export interface StrikePayRulesTable {
  dispute_id: number;
  union_id: number;
  rate_pence: number;
  unpaid_days: number;
  max_paid_days: number | null;
  max_pence_per_member: number | null;
  hardship_max_pence: number;
  hardship_criteria: string[];
  updated_by: number | null;
  updated_at: Date;
}

export interface StrikePayExportsTable {
  id: Id;
  union_id: number;
  from_day: IsoDate;
  to_day: IsoDate;
  lines: number;
  /** bigint: node-postgres answers a string. */
  total_pence: ColumnType<string, number | string, number | string>;
  created_by: number | null;
  created_at: Date;
}

export interface StrikePayClaimsTable {
  id: Id;
  union_id: number;
  dispute_id: number;
  member_id: number;
  kind: string;
  state: ColumnType<string, string | undefined, string>;
  requested_pence: number | null;
  criteria_met: ColumnType<string[], string[] | undefined, string[]>;
  amount_pence: number | null;
  evidence_note: ColumnType<string, string | undefined, string>;
  evidence_name: string | null;
  evidence_type: string | null;
  evidence: Uint8Array | null;
  reference: string | null;
  submitted_by: number | null;
  submitted_at: Date;
  decided_by: number | null;
  decided_at: Date | null;
  decision_note: ColumnType<string, string | undefined, string>;
  export_id: number | null;
}

export interface StrikePayClaimDaysTable {
  claim_id: number;
  union_id: number;
  dispute_id: number;
  member_id: number;
  day: IsoDate;
  state: ColumnType<string, string | undefined, string>;
  amount_pence: number | null;
  export_id: number | null;
}

/** A rep's report of numbers out at a workplace on a day of action (append-only). */
export interface ActionReportsTable {
  id: Id;
  union_id: number;
  day: IsoDate;
  workplace_id: number;
  region_id: number | null;
  reported_at: Date;
  out_count: number;
  at_work_count: number | null;
  exempt_count: number | null;
  picket_up: ColumnType<boolean, boolean | undefined, boolean>;
  reported_by: number | null;
}

/** A picket plan per workplace and day of action of a dispute (decisions/0035). */
export interface PicketPlansTable {
  id: Id;
  union_id: number;
  dispute_id: number;
  workplace_id: number;
  day: IsoDate;
  lead_member_id: number | null;
  lead_name: ColumnType<string, string | undefined, string>;
  supervisor_member_id: number | null;
  supervisor_name: ColumnType<string, string | undefined, string>;
  supervisor_contact: ColumnType<string, string | undefined, string>;
  updated_by: number | null;
  updated_at: Date;
}

export interface PicketLinesTable {
  id: Id;
  plan_id: number;
  union_id: number;
  location: string;
  entrance: ColumnType<string, string | undefined, string>;
  starts_at: string;
  ends_at: string;
  expected_count: number | null;
  actual_count: number | null;
  actual_recorded_by: number | null;
  actual_recorded_at: Date | null;
  created_by: number | null;
  created_at: Date;
}

export interface PicketPoliceContactsTable {
  id: Id;
  plan_id: number;
  union_id: number;
  contacted_at: Date;
  force: string;
  officer: ColumnType<string, string | undefined, string>;
  method: string;
  notes: ColumnType<string, string | undefined, string>;
  recorded_by: number | null;
  recorded_at: Date;
}

export interface PicketRotaTable {
  id: Id;
  line_id: number;
  plan_id: number;
  union_id: number;
  member_id: number;
  day: IsoDate;
  starts_at: string;
  ends_at: string;
  added_by: number | null;
  added_at: Date;
}

export interface CoverItem {
  service: string;
  post: string;
  number: number;
}

export interface CoverAgreementsTable {
  id: Id;
  union_id: number;
  dispute_id: number;
  employer_id: number;
  day: IsoDate;
  items: ColumnType<CoverItem[], string, string>;
  union_agreed_by: number | null;
  union_agreed_name: string;
  employer_agreed_name: string;
  employer_agreed_role: ColumnType<string, string | undefined, string>;
  agreed_at: Date;
  naming_agreed: ColumnType<boolean, boolean | undefined, boolean>;
  note: ColumnType<string, string | undefined, string>;
  recorded_by: number | null;
  recorded_at: Date;
}

export interface CoverExemptionsTable {
  id: Id;
  agreement_id: number;
  union_id: number;
  day: IsoDate;
  workplace_id: number | null;
  member_id: number | null;
  number: number;
  post: ColumnType<string, string | undefined, string>;
  recorded_by: number | null;
  recorded_at: Date;
}

export interface CoverRequestsTable {
  id: Id;
  agreement_id: number;
  union_id: number;
  requested_at: Date;
  requested_by_name: string;
  details: string;
  posts_requested: number | null;
  outcome: string | null;
  posts_granted: number | null;
  answer_note: ColumnType<string, string | undefined, string>;
  answered_by: number | null;
  answered_at: Date | null;
  recorded_by: number | null;
  recorded_at: Date;
}
/** The board's latest figures per workplace and day (decisions/0036), upserted with each report. */
export interface ActionBoardWorkplacesTable {
  union_id: number;
  day: IsoDate;
  workplace_id: number;
  region_id: ColumnType<number, number | undefined, number>;
  sector_id: ColumnType<number, number | undefined, number>;
  out_count: ColumnType<number, number | undefined, number>;
  at_work_count: number | null;
  exempt_count: number | null;
  picket_up: ColumnType<boolean, boolean | undefined, boolean>;
  reported_at: Date | null;
  reports: ColumnType<number, number | undefined, number>;
  incidents: ColumnType<number, number | undefined, number>;
  open_incidents: ColumnType<number, number | undefined, number>;
}

/** The change in numbers out per half-hour slot of a day, by region and sector (0: none). */
export interface ActionBoardSlotsTable {
  union_id: number;
  day: IsoDate;
  region_id: number;
  sector_id: number;
  slot: number;
  out_delta: ColumnType<string | number, number, number>;
}

/** An incident on a day of action (police, employer, media, safety, other). */
export interface ActionIncidentsTable {
  id: Id;
  union_id: number;
  day: IsoDate;
  workplace_id: number;
  region_id: ColumnType<number, number | undefined, number>;
  sector_id: ColumnType<number, number | undefined, number>;
  kind: string;
  severity: string;
  occurred_at: Date;
  description: string;
  state: ColumnType<string, string | undefined, string>;
  recorded_by: number | null;
  recorded_at: Date;
  closed_by: number | null;
  closed_at: Date | null;
}

/** A follow-up to an incident: who does what, by when, and when it was done. */
export interface ActionIncidentFollowupsTable {
  id: Id;
  incident_id: number;
  who: string;
  what: string;
  due_on: IsoDate | null;
  done_at: Date | null;
  done_by: number | null;
  created_by: number | null;
  created_at: Date;
}
