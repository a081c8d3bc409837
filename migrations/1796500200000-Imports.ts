import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 15 (items 1, 2, 3, 7): bulk import of a federation's spreadsheets.
 * - people.external_id: the id HR's own system gives a cadre; an import matches people by CCCD
 *   first, then by it, so it is unique where given.
 * - imports: one row per upload (its mode, state, totals and progress; the scope of the actor
 *   who sent it, kept so a job resumed after a restart applies the same scope).
 * - import_rows: the staging table and, after validation, the per-row report. One wide row per
 *   spreadsheet row with the normalised values of every kind (most columns null for a given
 *   kind), so validation and the apply are INSERT … SELECT / UPDATE … FROM over it.
 */
export class Imports1796500200000 implements MigrationInterface {
  name = 'Imports1796500200000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "people" ADD "external_id" character varying(60)`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "ux_people_external_id" ON "people" ("external_id")
        WHERE external_id IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE TABLE "imports" (
         "id" uuid NOT NULL DEFAULT gen_random_uuid(),
         "kinds" text[] NOT NULL DEFAULT '{}',
         "requested_kind" character varying(20),
         "mode" character varying(10) NOT NULL,
         "on_error" character varying(12) NOT NULL,
         "state" character varying(12) NOT NULL,
         "file_name" character varying(255) NOT NULL,
         "file_path" character varying(1000) NOT NULL,
         "file_format" character varying(4) NOT NULL,
         "file_bytes" bigint NOT NULL,
         "headers" jsonb NOT NULL DEFAULT '{}',
         "totals" jsonb NOT NULL DEFAULT '{}',
         "rows_total" integer,
         "rows_done" integer NOT NULL DEFAULT 0,
         "error_code" character varying(60),
         "attempts" integer NOT NULL DEFAULT 0,
         "actor_user_id" uuid,
         "actor_person_id" uuid,
         "scope_paths" text[] NOT NULL,
         "org_unit_id" uuid,
         "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
         "started_at" TIMESTAMP WITH TIME ZONE,
         "heartbeat_at" TIMESTAMP WITH TIME ZONE,
         "finished_at" TIMESTAMP WITH TIME ZONE,
         CONSTRAINT "pk_imports" PRIMARY KEY ("id"),
         CONSTRAINT "ck_imports_mode" CHECK (mode IN ('dry-run', 'commit')),
         CONSTRAINT "ck_imports_on_error" CHECK (on_error IN ('all-or-none', 'valid-only')),
         CONSTRAINT "ck_imports_state" CHECK (state IN ('queued', 'staging', 'validating',
           'applying', 'done', 'failed', 'rolled_back')),
         CONSTRAINT "fk_imports_org_unit" FOREIGN KEY ("org_unit_id")
           REFERENCES "org_units"("id") ON DELETE SET NULL)`,
    );
    await queryRunner.query(`CREATE INDEX "ix_imports_state" ON "imports" ("state", "created_at")`);
    await queryRunner.query(
      `CREATE TABLE "import_rows" (
         "import_id" uuid NOT NULL,
         "kind" character varying(20) NOT NULL,
         "row_no" integer NOT NULL,
         "raw" jsonb NOT NULL,
         "errors" jsonb NOT NULL DEFAULT '[]',
         "outcome" character varying(10),
         "target_id" uuid,
         "unit_id" uuid,
         "parent_id" uuid,
         "code" character varying(40),
         "name" character varying(300),
         "search_name" character varying(300),
         "sort_key" character varying(700),
         "level" character varying(20),
         "sector" character varying(20),
         "province_code" character varying(2),
         "member_count" integer,
         "parent_code" character varying(40),
         "parent_path" text,
         "unit_code" character varying(40),
         "unit_path" text,
         "external_id" character varying(60),
         "family_name" character varying(60),
         "middle_name" character varying(80),
         "given_name" character varying(60),
         "birth_date" date,
         "gender" character varying(10),
         "ethnicity_code" character varying(2),
         "national_id" character varying(12),
         "email" character varying(254),
         "phone" character varying(20),
         CONSTRAINT "pk_import_rows" PRIMARY KEY ("import_id", "kind", "row_no"),
         CONSTRAINT "fk_import_rows_import" FOREIGN KEY ("import_id")
           REFERENCES "imports"("id") ON DELETE CASCADE)`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "import_rows"`);
    await queryRunner.query(`DROP TABLE "imports"`);
    await queryRunner.query(`DROP INDEX "ux_people_external_id"`);
    await queryRunner.query(`ALTER TABLE "people" DROP COLUMN "external_id"`);
  }
}
