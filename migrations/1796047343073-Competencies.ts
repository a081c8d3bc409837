import { MigrationInterface, QueryRunner } from 'typeorm';

export class Competencies1796047343073 implements MigrationInterface {
  name = 'Competencies1796047343073';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "competency_frameworks" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "code" character varying(40) COLLATE "C" NOT NULL, "name_vi" character varying(300) NOT NULL, "name_en" character varying(300) NOT NULL, "description" text, "owner_org_unit_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_c53c607331267ee0abcdd79af63" UNIQUE ("code"), CONSTRAINT "PK_9932b67ed3742f803f71abd89d5" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_competency_frameworks_owner" ON "competency_frameworks"  ("owner_org_unit_id", "code") `,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."framework_version_status" AS ENUM('draft', 'published', 'retired')`,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."current_level_policy" AS ENUM('latest_valid', 'highest_valid_within_years', 'supervisor_over_self')`,
    );
    await queryRunner.query(
      `CREATE TABLE "framework_versions" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "framework_id" uuid NOT NULL, "version_no" integer NOT NULL, "status" "public"."framework_version_status" NOT NULL DEFAULT 'draft', "proficient_level" smallint NOT NULL, "policy" "public"."current_level_policy" NOT NULL DEFAULT 'latest_valid', "policy_years" smallint, "copied_from_id" uuid, "published_at" TIMESTAMP WITH TIME ZONE, "retired_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_framework_versions_number" UNIQUE ("framework_id", "version_no"), CONSTRAINT "ck_framework_versions_policy_years" CHECK ((policy = 'highest_valid_within_years') = (policy_years IS NOT NULL) AND (policy_years IS NULL OR policy_years BETWEEN 1 AND 50)), CONSTRAINT "ck_framework_versions_proficient" CHECK (proficient_level >= 1), CONSTRAINT "ck_framework_versions_number" CHECK (version_no >= 1), CONSTRAINT "PK_125c2ccf3b5ad490d5db89ab683" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_framework_versions_one_draft" ON "framework_versions"  ("framework_id") WHERE status = 'draft'`,
    );
    await queryRunner.query(
      `CREATE TABLE "framework_levels" ("version_id" uuid NOT NULL, "level" smallint NOT NULL, "name_vi" character varying(100) NOT NULL, "name_en" character varying(100) NOT NULL, "description_vi" text, "description_en" text, CONSTRAINT "ck_framework_levels_level" CHECK (level BETWEEN 1 AND 10), CONSTRAINT "PK_35f1f1ae8c87975260c4b0e75ea" PRIMARY KEY ("version_id", "level"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "competency_domains" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "version_id" uuid NOT NULL, "code" character varying(40) COLLATE "C" NOT NULL, "name_vi" character varying(300) NOT NULL, "name_en" character varying(300) NOT NULL, "position" integer NOT NULL, CONSTRAINT "uq_competency_domains_code" UNIQUE ("version_id", "code"), CONSTRAINT "PK_6fe845a24a2c93d02598b8fb3a9" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "competencies" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "version_id" uuid NOT NULL, "domain_id" uuid NOT NULL, "lineage_id" uuid NOT NULL, "code" character varying(40) COLLATE "C" NOT NULL, "name_vi" character varying(300) NOT NULL, "name_en" character varying(300) NOT NULL, "description_vi" text, "description_en" text, "position" integer NOT NULL, CONSTRAINT "uq_competencies_code" UNIQUE ("version_id", "code"), CONSTRAINT "PK_0b29ecda233cc61de0d93527813" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_competencies_lineage" ON "competencies"  ("lineage_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_competencies_domain" ON "competencies"  ("domain_id", "position") `,
    );
    await queryRunner.query(
      `CREATE TABLE "competency_indicators" ("competency_id" uuid NOT NULL, "level" smallint NOT NULL, "text_vi" text NOT NULL, "text_en" text NOT NULL, CONSTRAINT "PK_d8db156c38fb5a17a7051de3b79" PRIMARY KEY ("competency_id", "level"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "role_profiles" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "version_id" uuid NOT NULL, "post_type" character varying(30) NOT NULL, "org_level" "public"."org_level", "sector" "public"."org_sector", "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_role_profiles_post_type" CHECK (post_type IN ('chair', 'vice_chair', 'standing_member', 'executive_member', 'inspection_chair', 'inspection_member', 'women_head')), CONSTRAINT "PK_90128cc6aeac4d977489c2615e0" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_role_profiles_level_sector" ON "role_profiles"  ("version_id", "post_type", "org_level", "sector") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_role_profiles_any_sector" ON "role_profiles"  ("version_id", "post_type", "sector") WHERE org_level IS NULL AND sector IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_role_profiles_level_any" ON "role_profiles"  ("version_id", "post_type", "org_level") WHERE org_level IS NOT NULL AND sector IS NULL`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_role_profiles_any_any" ON "role_profiles"  ("version_id", "post_type") WHERE org_level IS NULL AND sector IS NULL`,
    );
    await queryRunner.query(
      `CREATE TABLE "role_profile_requirements" ("profile_id" uuid NOT NULL, "competency_id" uuid NOT NULL, "required_level" smallint NOT NULL, "critical" boolean NOT NULL DEFAULT false, CONSTRAINT "ck_role_profile_requirements_level" CHECK (required_level >= 1), CONSTRAINT "PK_5ab544d96406884f7cf9d7d583f" PRIMARY KEY ("profile_id", "competency_id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_role_profile_requirements_competency" ON "role_profile_requirements"  ("competency_id") `,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."rating_source" AS ENUM('self', 'supervisor', 'assessment', 'course', 'hr')`,
    );
    await queryRunner.query(
      `CREATE TABLE "competency_ratings" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "person_id" uuid NOT NULL, "competency_id" uuid NOT NULL, "version_id" uuid NOT NULL, "level" smallint NOT NULL, "source" "public"."rating_source" NOT NULL, "rater_person_id" uuid, "rated_on" date NOT NULL, "valid_until" date NOT NULL, "note" text, "source_type" character varying(40), "source_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_competency_ratings_source_ref" CHECK ((source_type IS NULL) = (source_id IS NULL)), CONSTRAINT "ck_competency_ratings_valid" CHECK (valid_until >= rated_on), CONSTRAINT "PK_6870e756c00be4ff44d1e7bbf72" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_competency_ratings_source" ON "competency_ratings"  ("source_type", "source_id", "competency_id") WHERE source_id IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_competency_ratings_history" ON "competency_ratings"  ("person_id", "rated_on", "id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_competency_ratings_current" ON "competency_ratings"  ("person_id", "version_id", "competency_id", "rated_on") `,
    );
    await queryRunner.query(
      `ALTER TABLE "competency_frameworks" ADD CONSTRAINT "FK_4be24b203cbcc2b34b8dca0fd07" FOREIGN KEY ("owner_org_unit_id") REFERENCES "org_units"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "framework_versions" ADD CONSTRAINT "FK_94632f6e1c61e2768bc689e506e" FOREIGN KEY ("framework_id") REFERENCES "competency_frameworks"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "framework_versions" ADD CONSTRAINT "FK_e4cc74ea3ee20cadc14f5be1552" FOREIGN KEY ("copied_from_id") REFERENCES "framework_versions"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "framework_levels" ADD CONSTRAINT "FK_a03086da4ce92a1f29a227d2db8" FOREIGN KEY ("version_id") REFERENCES "framework_versions"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "competency_domains" ADD CONSTRAINT "FK_530bcf4ac512b26a31d1b5578d1" FOREIGN KEY ("version_id") REFERENCES "framework_versions"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "competencies" ADD CONSTRAINT "FK_e3313b47111918021cf0b3470f5" FOREIGN KEY ("version_id") REFERENCES "framework_versions"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "competencies" ADD CONSTRAINT "FK_f12835641905e07531b71f951df" FOREIGN KEY ("domain_id") REFERENCES "competency_domains"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "competency_indicators" ADD CONSTRAINT "FK_5757dd11e8f58ad50f5aa13f68f" FOREIGN KEY ("competency_id") REFERENCES "competencies"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "role_profiles" ADD CONSTRAINT "FK_0392816469b0bcba4faf406c745" FOREIGN KEY ("version_id") REFERENCES "framework_versions"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "role_profile_requirements" ADD CONSTRAINT "FK_4b2d47b703debc1277ed903d918" FOREIGN KEY ("profile_id") REFERENCES "role_profiles"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "role_profile_requirements" ADD CONSTRAINT "FK_b1b947d3440b6f2d087af781498" FOREIGN KEY ("competency_id") REFERENCES "competencies"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "competency_ratings" ADD CONSTRAINT "FK_ceb4c398ab6a6a73ab6b78235ce" FOREIGN KEY ("person_id") REFERENCES "people"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "competency_ratings" ADD CONSTRAINT "FK_6fc1398c4f7e3d8671c771fc3fd" FOREIGN KEY ("competency_id") REFERENCES "competencies"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "competency_ratings" ADD CONSTRAINT "FK_674bfa2e57d47f1e88bdeda3911" FOREIGN KEY ("version_id", "level") REFERENCES "framework_levels"("version_id","level") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "competency_ratings" ADD CONSTRAINT "FK_827fd0f47dee8ed78e58a08f9bc" FOREIGN KEY ("rater_person_id") REFERENCES "people"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "competency_ratings" DROP CONSTRAINT "FK_827fd0f47dee8ed78e58a08f9bc"`,
    );
    await queryRunner.query(
      `ALTER TABLE "competency_ratings" DROP CONSTRAINT "FK_674bfa2e57d47f1e88bdeda3911"`,
    );
    await queryRunner.query(
      `ALTER TABLE "competency_ratings" DROP CONSTRAINT "FK_6fc1398c4f7e3d8671c771fc3fd"`,
    );
    await queryRunner.query(
      `ALTER TABLE "competency_ratings" DROP CONSTRAINT "FK_ceb4c398ab6a6a73ab6b78235ce"`,
    );
    await queryRunner.query(
      `ALTER TABLE "role_profile_requirements" DROP CONSTRAINT "FK_b1b947d3440b6f2d087af781498"`,
    );
    await queryRunner.query(
      `ALTER TABLE "role_profile_requirements" DROP CONSTRAINT "FK_4b2d47b703debc1277ed903d918"`,
    );
    await queryRunner.query(
      `ALTER TABLE "role_profiles" DROP CONSTRAINT "FK_0392816469b0bcba4faf406c745"`,
    );
    await queryRunner.query(
      `ALTER TABLE "competency_indicators" DROP CONSTRAINT "FK_5757dd11e8f58ad50f5aa13f68f"`,
    );
    await queryRunner.query(
      `ALTER TABLE "competencies" DROP CONSTRAINT "FK_f12835641905e07531b71f951df"`,
    );
    await queryRunner.query(
      `ALTER TABLE "competencies" DROP CONSTRAINT "FK_e3313b47111918021cf0b3470f5"`,
    );
    await queryRunner.query(
      `ALTER TABLE "competency_domains" DROP CONSTRAINT "FK_530bcf4ac512b26a31d1b5578d1"`,
    );
    await queryRunner.query(
      `ALTER TABLE "framework_levels" DROP CONSTRAINT "FK_a03086da4ce92a1f29a227d2db8"`,
    );
    await queryRunner.query(
      `ALTER TABLE "framework_versions" DROP CONSTRAINT "FK_e4cc74ea3ee20cadc14f5be1552"`,
    );
    await queryRunner.query(
      `ALTER TABLE "framework_versions" DROP CONSTRAINT "FK_94632f6e1c61e2768bc689e506e"`,
    );
    await queryRunner.query(
      `ALTER TABLE "competency_frameworks" DROP CONSTRAINT "FK_4be24b203cbcc2b34b8dca0fd07"`,
    );
    await queryRunner.query(`DROP INDEX "public"."ix_competency_ratings_current"`);
    await queryRunner.query(`DROP INDEX "public"."ix_competency_ratings_history"`);
    await queryRunner.query(`DROP INDEX "public"."uq_competency_ratings_source"`);
    await queryRunner.query(`DROP TABLE "competency_ratings"`);
    await queryRunner.query(`DROP TYPE "public"."rating_source"`);
    await queryRunner.query(`DROP INDEX "public"."ix_role_profile_requirements_competency"`);
    await queryRunner.query(`DROP TABLE "role_profile_requirements"`);
    await queryRunner.query(`DROP INDEX "public"."uq_role_profiles_any_any"`);
    await queryRunner.query(`DROP INDEX "public"."uq_role_profiles_level_any"`);
    await queryRunner.query(`DROP INDEX "public"."uq_role_profiles_any_sector"`);
    await queryRunner.query(`DROP INDEX "public"."uq_role_profiles_level_sector"`);
    await queryRunner.query(`DROP TABLE "role_profiles"`);
    await queryRunner.query(`DROP TABLE "competency_indicators"`);
    await queryRunner.query(`DROP INDEX "public"."ix_competencies_domain"`);
    await queryRunner.query(`DROP INDEX "public"."ix_competencies_lineage"`);
    await queryRunner.query(`DROP TABLE "competencies"`);
    await queryRunner.query(`DROP TABLE "competency_domains"`);
    await queryRunner.query(`DROP TABLE "framework_levels"`);
    await queryRunner.query(`DROP INDEX "public"."uq_framework_versions_one_draft"`);
    await queryRunner.query(`DROP TABLE "framework_versions"`);
    await queryRunner.query(`DROP TYPE "public"."current_level_policy"`);
    await queryRunner.query(`DROP TYPE "public"."framework_version_status"`);
    await queryRunner.query(`DROP INDEX "public"."ix_competency_frameworks_owner"`);
    await queryRunner.query(`DROP TABLE "competency_frameworks"`);
  }
}
