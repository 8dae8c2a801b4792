import type { Kysely } from "kysely";
import { runSqlScript } from "../sql-script.js";

/**
 * Deliverability (decisions/0028): what happened to a message after the server took it. Delivery
 * status notifications (RFC 3464) arriving at a message's return path mark its ledger row bounced
 * (hard or soft, with the status code, never the address); SMS delivery reports mark it delivered.
 * A failed message may fall back to the member's next channel as a new ledger row naming the one it
 * replaces. Members carry a flag per channel when their email bounced for good or their mobile is not
 * a number: the data-quality view counts them, and a changed address clears it.
 *
 * Frozen in time: never edit after it has landed; add a new migration.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runSqlScript(
    db,
    `
alter table comms_messages add column bounce text check (bounce in ('hard','soft'));
-- The DSN's status code (5.1.1), or the provider's code for a text; never an address.
alter table comms_messages add column bounce_status text;
alter table comms_messages add column bounced_at timestamptz;
alter table comms_messages add column delivered_at timestamptz;
alter table comms_messages add column complained_at timestamptz;
-- A fallback message names the failed message it stands in for.
alter table comms_messages add column fallback_of bigint;
create index comms_messages_fallback_idx on comms_messages(send_id) where fallback_of is not null;

-- What a send falls back to: { "sms": { "templateId": n, "versions": { "en": v, "cy": v } }, "letter": ... }.
alter table comms_sends add column fallback jsonb;

alter table comms_suppressions drop constraint comms_suppressions_reason_check;
alter table comms_suppressions add constraint comms_suppressions_reason_check
  check (reason in ('unsubscribed','stop','hard_bounce','invalid_number','officer','complaint'));

alter table members add column email_undeliverable_at timestamptz;
alter table members add column mobile_undeliverable_at timestamptz;

-- A new address is a new chance: the flag belongs to the address that failed, whichever path changed it.
create function members_clear_undeliverable() returns trigger language plpgsql as $fn$
begin
  if new.email is distinct from old.email then new.email_undeliverable_at := null; end if;
  if new.mobile is distinct from old.mobile then new.mobile_undeliverable_at := null; end if;
  return new;
end
$fn$;
create trigger members_clear_undeliverable before update of email, mobile on members
  for each row execute function members_clear_undeliverable();
`,
  );
}
