import type { Kysely } from "kysely";
import { runSqlScript } from "../sql-script.js";

/**
 * The materials library (decisions/0029): leaflets, posters, FAQs, social cards and bulletins as files,
 * each material with an audience (regions, sectors, a ballot) and versions per language, each version
 * stored with its bytes (as print batches are) and its approval: draft, approved by whom and when,
 * superseded by a later approved version, or withdrawn.
 *
 * Frozen in time: never edit after it has landed; add a new migration.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runSqlScript(
    db,
    `
create table materials (
  id integer generated always as identity primary key,
  union_id integer not null references unions(id),
  title text not null check (length(title) between 1 and 200),
  kind text not null check (kind in ('leaflet','poster','faq','social_card','bulletin','other')),
  description text not null default '' check (length(description) <= 2000),
  -- The audience: empty lists mean every region or sector; a ballot narrows it to that ballot's reach.
  region_ids integer[] not null default '{}',
  sector_ids integer[] not null default '{}',
  ballot_id integer references ballots(id),
  created_by integer references users(id),
  created_at timestamptz not null
);
create index materials_union_idx on materials(union_id, created_at desc);

create table material_versions (
  id integer generated always as identity primary key,
  material_id integer not null references materials(id),
  language text not null check (language in ('en','cy')),
  version integer not null check (version > 0),
  file_name text not null check (length(file_name) between 1 and 200),
  -- Found from the file's first bytes, never from its name.
  content_type text not null check (content_type in ('application/pdf','image/png','image/jpeg',
    'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    'application/vnd.openxmlformats-officedocument.presentationml.presentation')),
  bytes integer not null check (bytes > 0),
  sha256 text not null,
  content bytea not null,
  note text not null default '' check (length(note) <= 1000),
  state text not null default 'draft' check (state in ('draft','approved','superseded','withdrawn')),
  created_by integer references users(id),
  created_at timestamptz not null,
  approved_by integer references users(id),
  approved_at timestamptz,
  withdrawn_by integer references users(id),
  withdrawn_at timestamptz,
  withdrawn_reason text check (length(withdrawn_reason) <= 500),
  constraint material_versions_uq unique (material_id, language, version)
);
-- At most one approved version per material and language: what reps are offered.
create unique index material_versions_approved_uq on material_versions(material_id, language)
  where state = 'approved';
`,
  );
}
