import { MigrationInterface, QueryRunner } from 'typeorm';

export class PostsEvaluations1796047532583 implements MigrationInterface {
  name = 'PostsEvaluations1796047532583';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TYPE "public"."post_type" AS ENUM('chair', 'vice_chair', 'standing_member', 'executive_member', 'inspection_chair', 'inspection_member', 'women_head')`,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."post_employment" AS ENUM('full_time', 'part_time')`,
    );
    await queryRunner.query(`CREATE TYPE "public"."post_status" AS ENUM('active', 'archived')`);
    await queryRunner.query(
      `CREATE TABLE "posts" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "org_unit_id" uuid NOT NULL, "post_type" "public"."post_type" NOT NULL, "title" character varying(200) NOT NULL, "employment" "public"."post_employment" NOT NULL, "single_holder" boolean NOT NULL, "key_post" boolean NOT NULL, "status" "public"."post_status" NOT NULL DEFAULT 'active', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_2829ac61eff60fcec60d7274b9e" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "ux_posts_unit_title" ON "posts"  ("org_unit_id", "post_type", "title") WHERE status = 'active'`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_posts_unit" ON "posts"  ("org_unit_id", "post_type", "id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "terms" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "org_unit_id" uuid NOT NULL, "name" character varying(120) NOT NULL, "start_date" date NOT NULL, "end_date" date NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_terms_dates" CHECK (end_date > start_date), CONSTRAINT "PK_33b6fe77d6ace7ff43cc8a65958" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_terms_unit" ON "terms"  ("org_unit_id", "start_date", "id") `,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."appointment_method" AS ENUM('elected', 'appointed')`,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."appointment_status" AS ENUM('active', 'ended', 'cancelled')`,
    );
    await queryRunner.query(
      `CREATE TABLE "appointments" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "person_id" uuid NOT NULL, "post_id" uuid NOT NULL, "term_id" uuid, "method" "public"."appointment_method" NOT NULL, "start_date" date NOT NULL, "end_date" date, "status" "public"."appointment_status" NOT NULL DEFAULT 'active', "end_reason" character varying(500), "created_by" uuid, "ended_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_appointments_status_end" CHECK ((status <> 'active' OR end_date IS NULL) AND (status <> 'ended' OR end_date IS NOT NULL)), CONSTRAINT "ck_appointments_dates" CHECK (end_date IS NULL OR end_date >= start_date), CONSTRAINT "PK_4a437a9a27e948726b8bb3e36ad" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_appointments_term" ON "appointments"  ("term_id") `);
    await queryRunner.query(
      `CREATE INDEX "ix_appointments_post" ON "appointments"  ("post_id", "start_date", "id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_appointments_person" ON "appointments"  ("person_id", "start_date", "id") `,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."evaluation_level" AS ENUM('excellent', 'good', 'completed', 'not_completed')`,
    );
    await queryRunner.query(
      `CREATE TABLE "evaluations" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "person_id" uuid NOT NULL, "year" integer NOT NULL, "revision" integer NOT NULL DEFAULT '1', "score" numeric(5,2) NOT NULL, "level" "public"."evaluation_level" NOT NULL, "evaluator_person_id" uuid NOT NULL, "comments" text, "superseded_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_evaluations_revision" UNIQUE ("person_id", "year", "revision"), CONSTRAINT "ck_evaluations_revision" CHECK (revision >= 1), CONSTRAINT "ck_evaluations_year" CHECK (year >= 1900 AND year <= 2200), CONSTRAINT "ck_evaluations_score" CHECK (score >= 0 AND score <= 100), CONSTRAINT "PK_f683b433eba0e6dae7e19b29e29" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_evaluations_year_current" ON "evaluations"  ("year", "level", "person_id") WHERE superseded_at IS NULL`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "ux_evaluations_current" ON "evaluations"  ("person_id", "year") WHERE superseded_at IS NULL`,
    );
    await queryRunner.query(
      `ALTER TABLE "posts" ADD CONSTRAINT "FK_6680918f42f3779985f61e1c03e" FOREIGN KEY ("org_unit_id") REFERENCES "org_units"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "terms" ADD CONSTRAINT "FK_23ce6cf58eae03cdd6d6248e07b" FOREIGN KEY ("org_unit_id") REFERENCES "org_units"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "appointments" ADD CONSTRAINT "FK_3f978467ebb28920a30b2ea44ee" FOREIGN KEY ("person_id") REFERENCES "people"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "appointments" ADD CONSTRAINT "FK_853ffe76569ac1607df3dd5f233" FOREIGN KEY ("post_id") REFERENCES "posts"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "appointments" ADD CONSTRAINT "FK_8c2a9be4fb5f48fcd4957634e58" FOREIGN KEY ("term_id") REFERENCES "terms"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "evaluations" ADD CONSTRAINT "FK_64375f9220b60eb3a8b699b89e1" FOREIGN KEY ("person_id") REFERENCES "people"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "evaluations" ADD CONSTRAINT "FK_9cac97d02419b7b8c65dd571af6" FOREIGN KEY ("evaluator_person_id") REFERENCES "people"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "evaluations" DROP CONSTRAINT "FK_9cac97d02419b7b8c65dd571af6"`,
    );
    await queryRunner.query(
      `ALTER TABLE "evaluations" DROP CONSTRAINT "FK_64375f9220b60eb3a8b699b89e1"`,
    );
    await queryRunner.query(
      `ALTER TABLE "appointments" DROP CONSTRAINT "FK_8c2a9be4fb5f48fcd4957634e58"`,
    );
    await queryRunner.query(
      `ALTER TABLE "appointments" DROP CONSTRAINT "FK_853ffe76569ac1607df3dd5f233"`,
    );
    await queryRunner.query(
      `ALTER TABLE "appointments" DROP CONSTRAINT "FK_3f978467ebb28920a30b2ea44ee"`,
    );
    await queryRunner.query(`ALTER TABLE "terms" DROP CONSTRAINT "FK_23ce6cf58eae03cdd6d6248e07b"`);
    await queryRunner.query(`ALTER TABLE "posts" DROP CONSTRAINT "FK_6680918f42f3779985f61e1c03e"`);
    await queryRunner.query(`DROP INDEX "public"."ux_evaluations_current"`);
    await queryRunner.query(`DROP INDEX "public"."ix_evaluations_year_current"`);
    await queryRunner.query(`DROP TABLE "evaluations"`);
    await queryRunner.query(`DROP TYPE "public"."evaluation_level"`);
    await queryRunner.query(`DROP INDEX "public"."ix_appointments_person"`);
    await queryRunner.query(`DROP INDEX "public"."ix_appointments_post"`);
    await queryRunner.query(`DROP INDEX "public"."ix_appointments_term"`);
    await queryRunner.query(`DROP TABLE "appointments"`);
    await queryRunner.query(`DROP TYPE "public"."appointment_status"`);
    await queryRunner.query(`DROP TYPE "public"."appointment_method"`);
    await queryRunner.query(`DROP INDEX "public"."ix_terms_unit"`);
    await queryRunner.query(`DROP TABLE "terms"`);
    await queryRunner.query(`DROP INDEX "public"."ix_posts_unit"`);
    await queryRunner.query(`DROP INDEX "public"."ux_posts_unit_title"`);
    await queryRunner.query(`DROP TABLE "posts"`);
    await queryRunner.query(`DROP TYPE "public"."post_status"`);
    await queryRunner.query(`DROP TYPE "public"."post_employment"`);
    await queryRunner.query(`DROP TYPE "public"."post_type"`);
  }
}
