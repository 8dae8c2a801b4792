import type { Kysely } from "kysely";
import { type Migration, type MigrationProvider, Migrator } from "kysely/migration";
import * as foundation from "./migrations/2026_11_27_0800_foundation.js";
import * as registersAndImports from "./migrations/2026_11_27_1000_registers_and_imports.js";
import * as ballots from "./migrations/2026_11_27_1200_ballots.js";
import * as auditKeys from "./migrations/2026_12_06_1000_audit_keys.js";
import * as boundaries from "./migrations/2026_12_06_1100_boundaries.js";
import * as signinThrottle from "./migrations/2026_12_06_1200_signin_throttle.js";
import * as lawSettings from "./migrations/2026_12_06_1400_law_settings.js";
import * as unionSettings from "./migrations/2026_12_06_1500_union_settings.js";
import * as ballotRecords from "./migrations/2026_12_06_1600_ballot_records.js";
import * as jobs from "./migrations/2026_12_06_1700_jobs.js";
import * as reviewFixes from "./migrations/2026_12_06_1800_review_fixes.js";
import * as letters from "./migrations/2026_12_06_1900_letters.js";
import * as memberImportStaging from "./migrations/2026_12_07_0100_member_import_staging.js";
import * as matching from "./migrations/2026_12_07_0500_matching.js";
import * as memberLink from "./migrations/2026_12_07_0900_member_link.js";
import * as turnout from "./migrations/2026_12_07_0900_turnout.js";
import * as contacts from "./migrations/2026_12_07_1000_contacts.js";
import * as statutoryMemberLinks from "./migrations/2026_12_07_1000_statutory_member_links.js";
import * as readiness from "./migrations/2026_12_07_1100_readiness.js";
import * as contactActivity from "./migrations/2026_12_07_1200_contact_activity.js";
import * as comms from "./migrations/2026_12_07_1300_comms.js";
import * as electoratePartitions from "./migrations/2026_12_07_1300_electorate_partitions.js";
import * as scrutineerVoted from "./migrations/2026_12_07_1300_scrutineer_voted.js";
import * as commsPrint from "./migrations/2026_12_07_1500_comms_print.js";
import * as membersMobileIndex from "./migrations/2026_12_07_1600_members_mobile_index.js";
import * as deliverability from "./migrations/2026_12_08_0100_deliverability.js";
import * as materials from "./migrations/2026_12_08_0200_materials.js";
import * as resultNotices from "./migrations/2026_12_08_0300_result_notices.js";
import * as plansAndRequests from "./migrations/2026_12_08_0600_plans_and_requests.js";
import * as coalition from "./migrations/2026_12_08_0700_coalition.js";
import * as dayOfAction from "./migrations/2026_12_08_0900_day_of_action.js";
import * as picketAndCover from "./migrations/2026_12_09_0100_picket_and_cover.js";
import * as actionBoard from "./migrations/2026_12_09_0200_action_board.js";
import * as digestSchedule from "./migrations/2026_12_09_0300_digest_schedule.js";
import * as strikePayLinks from "./migrations/2026_12_09_0400_strike_pay_links.js";

/**
 * Migrations in order of their ISO-date names. Listed explicitly (not read
 * from the folder) so they bundle and run the same from any working directory.
 */
const MIGRATIONS: Record<string, Migration> = {
  "2026_11_27_0800_foundation": foundation,
  "2026_11_27_1000_registers_and_imports": registersAndImports,
  "2026_11_27_1200_ballots": ballots,
  "2026_12_06_1000_audit_keys": auditKeys,
  "2026_12_06_1100_boundaries": boundaries,
  "2026_12_06_1200_signin_throttle": signinThrottle,
  "2026_12_06_1400_law_settings": lawSettings,
  "2026_12_06_1500_union_settings": unionSettings,
  "2026_12_06_1600_ballot_records": ballotRecords,
  "2026_12_06_1700_jobs": jobs,
  "2026_12_06_1800_review_fixes": reviewFixes,
  "2026_12_06_1900_letters": letters,
  "2026_12_07_0100_member_import_staging": memberImportStaging,
  "2026_12_07_0500_matching": matching,
  "2026_12_07_0900_member_link": memberLink,
  "2026_12_07_0900_turnout": turnout,
  "2026_12_07_1000_contacts": contacts,
  "2026_12_07_1000_statutory_member_links": statutoryMemberLinks,
  "2026_12_07_1100_readiness": readiness,
  "2026_12_07_1200_contact_activity": contactActivity,
  "2026_12_07_1300_comms": comms,
  "2026_12_07_1300_electorate_partitions": electoratePartitions,
  "2026_12_07_1300_scrutineer_voted": scrutineerVoted,
  "2026_12_07_1500_comms_print": commsPrint,
  "2026_12_07_1600_members_mobile_index": membersMobileIndex,
  "2026_12_08_0100_deliverability": deliverability,
  "2026_12_08_0200_materials": materials,
  "2026_12_08_0300_result_notices": resultNotices,
  "2026_12_08_0600_plans_and_requests": plansAndRequests,
  "2026_12_08_0700_coalition": coalition,
  "2026_12_08_0900_day_of_action": dayOfAction,
  "2026_12_09_0100_picket_and_cover": picketAndCover,
  "2026_12_09_0200_action_board": actionBoard,
  "2026_12_09_0300_digest_schedule": digestSchedule,
  "2026_12_09_0400_strike_pay_links": strikePayLinks,
};

class StaticProvider implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    return MIGRATIONS;
  }
}

export interface MigrateResult {
  applied: string[];
}

// biome-ignore lint/suspicious/noExplicitAny: migrations work on the untyped schema, as Kysely recommends
export async function migrateToLatest(db: Kysely<any>): Promise<MigrateResult> {
  const migrator = new Migrator({ db, provider: new StaticProvider() });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === "Error");
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`Migration ${failed?.migrationName ?? "(unknown)"} failed: ${message}`);
  }
  return { applied: (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName) };
}

export const MIGRATION_NAMES = Object.keys(MIGRATIONS);
