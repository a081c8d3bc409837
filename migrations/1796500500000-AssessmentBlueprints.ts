import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Assessments that draw from question banks (issue 16, items 2, 3 and 6).
 * - An assessment gains a blueprint (assessment_rules: fixed bank questions and random rules in
 *   sections), shuffles, an availability window, a grading policy over attempts and marking by
 *   people (a second marker, and a third when the two differ by more than a threshold).
 * - A drawn attempt records its layout in attempt_items: the question, the version it showed,
 *   the order of its options, its points; the learner's response lives on the same row, so an
 *   autosave is one UPDATE of one row. The seed that drew it is kept on the attempt.
 * - An attempt is released (released_at) when its grade is final: at once when no person has
 *   to mark it, else when the officer releases it after marking.
 * - Marks (attempt_marks) and accommodations are history: a changed mark or a revoked
 *   accommodation is superseded, never deleted.
 */
export class AssessmentBlueprints1796500500000 implements MigrationInterface {
  name = 'AssessmentBlueprints1796500500000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TYPE "public"."assessment_grading_policy" AS ENUM('highest', 'latest', 'average', 'first')`,
    );
    await queryRunner.query(
      `ALTER TABLE "assessments"
         ADD "drawn" boolean NOT NULL DEFAULT false,
         ADD "shuffle_questions" boolean NOT NULL DEFAULT false,
         ADD "shuffle_options" boolean NOT NULL DEFAULT false,
         ADD "opens_at" TIMESTAMP WITH TIME ZONE,
         ADD "closes_at" TIMESTAMP WITH TIME ZONE,
         ADD "grading_policy" "public"."assessment_grading_policy" NOT NULL DEFAULT 'highest',
         ADD "second_marking" boolean NOT NULL DEFAULT false,
         ADD "marker_threshold" numeric(8,2),
         ADD CONSTRAINT "ck_assessments_window" CHECK (opens_at IS NULL OR closes_at IS NULL OR opens_at < closes_at),
         ADD CONSTRAINT "ck_assessments_threshold" CHECK (marker_threshold IS NULL OR marker_threshold >= 0)`,
    );
    await queryRunner.query(
      `CREATE TABLE "assessment_rules" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "assessment_id" uuid NOT NULL,
        "position" integer NOT NULL,
        "section" character varying(200) NOT NULL,
        "bank_id" uuid NOT NULL,
        "question_id" uuid,
        "category_id" uuid,
        "tag" character varying(100),
        "difficulty" smallint,
        "kind" "public"."bank_question_kind",
        "count" integer NOT NULL DEFAULT 1,
        "points" integer,
        CONSTRAINT "pk_assessment_rules" PRIMARY KEY ("id"),
        CONSTRAINT "uq_assessment_rules_position" UNIQUE ("assessment_id", "position"),
        CONSTRAINT "ck_assessment_rules_count" CHECK (count BETWEEN 1 AND 200),
        CONSTRAINT "ck_assessment_rules_points" CHECK (points IS NULL OR points BETWEEN 1 AND 1000),
        CONSTRAINT "ck_assessment_rules_fixed" CHECK (question_id IS NULL OR (count = 1 AND category_id IS NULL AND tag IS NULL AND difficulty IS NULL AND kind IS NULL)),
        CONSTRAINT "fk_assessment_rules_assessment" FOREIGN KEY ("assessment_id") REFERENCES "assessments"("id") ON DELETE CASCADE,
        CONSTRAINT "fk_assessment_rules_bank" FOREIGN KEY ("bank_id") REFERENCES "question_banks"("id") ON DELETE RESTRICT,
        CONSTRAINT "fk_assessment_rules_question" FOREIGN KEY ("question_id") REFERENCES "bank_questions"("id") ON DELETE RESTRICT,
        CONSTRAINT "fk_assessment_rules_category" FOREIGN KEY ("category_id") REFERENCES "question_categories"("id") ON DELETE RESTRICT
      )`,
    );
    await queryRunner.query(
      `ALTER TABLE "assessment_attempts"
         ADD "seed" character varying(64),
         ADD "released_at" TIMESTAMP WITH TIME ZONE`,
    );
    await queryRunner.query(
      `UPDATE "assessment_attempts" SET "released_at" = "submitted_at" WHERE "submitted_at" IS NOT NULL`,
    );
    // The deadline scan: open attempts by deadline.
    await queryRunner.query(
      `CREATE INDEX "ix_attempts_open_deadline" ON "assessment_attempts" ("deadline") WHERE submitted_at IS NULL`,
    );
    // The grading queue of an assessment: submitted, not yet released.
    await queryRunner.query(
      `CREATE INDEX "ix_attempts_unreleased" ON "assessment_attempts" ("assessment_id", "submitted_at", "id") WHERE submitted_at IS NOT NULL AND released_at IS NULL`,
    );
    await queryRunner.query(
      `CREATE TABLE "attempt_items" (
        "attempt_id" uuid NOT NULL,
        "position" integer NOT NULL,
        "section" character varying(200) NOT NULL,
        "question_id" uuid NOT NULL,
        "version" integer NOT NULL,
        "option_order" jsonb,
        "points" integer NOT NULL,
        "response" jsonb,
        "saved_at" TIMESTAMP WITH TIME ZONE,
        "auto_points" numeric(8,2),
        "correct" boolean,
        "needs_marking" boolean NOT NULL DEFAULT false,
        "final_points" numeric(8,2),
        CONSTRAINT "pk_attempt_items" PRIMARY KEY ("attempt_id", "position"),
        CONSTRAINT "uq_attempt_items_question" UNIQUE ("attempt_id", "question_id"),
        CONSTRAINT "fk_attempt_items_attempt" FOREIGN KEY ("attempt_id") REFERENCES "assessment_attempts"("id") ON DELETE RESTRICT,
        CONSTRAINT "fk_attempt_items_version" FOREIGN KEY ("question_id", "version") REFERENCES "bank_question_versions"("question_id", "version") ON DELETE RESTRICT
      )`,
    );
    // Item statistics per question version.
    await queryRunner.query(
      `CREATE INDEX "ix_attempt_items_version" ON "attempt_items" ("question_id", "version")`,
    );
    await queryRunner.query(
      `CREATE TABLE "attempt_marks" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "attempt_id" uuid NOT NULL,
        "position" integer NOT NULL,
        "marker_no" smallint NOT NULL,
        "marker_user_id" uuid,
        "criteria" jsonb NOT NULL DEFAULT '{}',
        "points" numeric(8,2) NOT NULL,
        "feedback" text,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "superseded_at" TIMESTAMP WITH TIME ZONE,
        CONSTRAINT "pk_attempt_marks" PRIMARY KEY ("id"),
        CONSTRAINT "ck_attempt_marks_marker" CHECK (marker_no BETWEEN 1 AND 3),
        CONSTRAINT "ck_attempt_marks_points" CHECK (points >= 0),
        CONSTRAINT "fk_attempt_marks_item" FOREIGN KEY ("attempt_id", "position") REFERENCES "attempt_items"("attempt_id", "position") ON DELETE RESTRICT
      )`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "ux_attempt_marks_current" ON "attempt_marks" ("attempt_id", "position", "marker_no") WHERE superseded_at IS NULL`,
    );
    await queryRunner.query(
      `CREATE TABLE "assessment_accommodations" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "assessment_id" uuid NOT NULL,
        "person_id" uuid NOT NULL,
        "extra_minutes" integer NOT NULL DEFAULT 0,
        "extra_attempts" integer NOT NULL DEFAULT 0,
        "reason" character varying(1000) NOT NULL,
        "granted_by_user_id" uuid,
        "granted_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "revoked_at" TIMESTAMP WITH TIME ZONE,
        "revoked_by_user_id" uuid,
        CONSTRAINT "pk_assessment_accommodations" PRIMARY KEY ("id"),
        CONSTRAINT "ck_accommodations_extra" CHECK (extra_minutes BETWEEN 0 AND 600 AND extra_attempts BETWEEN 0 AND 10 AND (extra_minutes > 0 OR extra_attempts > 0)),
        CONSTRAINT "fk_accommodations_assessment" FOREIGN KEY ("assessment_id") REFERENCES "assessments"("id") ON DELETE CASCADE,
        CONSTRAINT "fk_accommodations_person" FOREIGN KEY ("person_id") REFERENCES "people"("id") ON DELETE RESTRICT
      )`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "ux_accommodations_current" ON "assessment_accommodations" ("assessment_id", "person_id") WHERE revoked_at IS NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_accommodations_list" ON "assessment_accommodations" ("assessment_id", "granted_at", "id")`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "assessment_accommodations"`);
    await queryRunner.query(`DROP TABLE "attempt_marks"`);
    await queryRunner.query(`DROP TABLE "attempt_items"`);
    await queryRunner.query(`DROP INDEX "ix_attempts_unreleased"`);
    await queryRunner.query(`DROP INDEX "ix_attempts_open_deadline"`);
    await queryRunner.query(
      `ALTER TABLE "assessment_attempts" DROP COLUMN "released_at", DROP COLUMN "seed"`,
    );
    await queryRunner.query(`DROP TABLE "assessment_rules"`);
    await queryRunner.query(
      `ALTER TABLE "assessments" DROP CONSTRAINT "ck_assessments_threshold", DROP CONSTRAINT "ck_assessments_window",
         DROP COLUMN "marker_threshold", DROP COLUMN "second_marking", DROP COLUMN "grading_policy",
         DROP COLUMN "closes_at", DROP COLUMN "opens_at", DROP COLUMN "shuffle_options",
         DROP COLUMN "shuffle_questions", DROP COLUMN "drawn"`,
    );
    await queryRunner.query(`DROP TYPE "public"."assessment_grading_policy"`);
  }
}
