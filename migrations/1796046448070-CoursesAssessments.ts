import { MigrationInterface, QueryRunner } from 'typeorm';

export class CoursesAssessments1796046448070 implements MigrationInterface {
  name = 'CoursesAssessments1796046448070';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "assessments" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "course_id" uuid NOT NULL, "title" character varying(300) NOT NULL, "time_limit_minutes" integer NOT NULL, "max_attempts" integer NOT NULL, "pass_score" numeric(4,2) NOT NULL, "partial_credit" boolean NOT NULL DEFAULT false, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_2d76c87300726d247589833f63f" UNIQUE ("course_id"), CONSTRAINT "ck_assessments_limits" CHECK (time_limit_minutes > 0 AND max_attempts > 0), CONSTRAINT "ck_assessments_pass_score" CHECK (pass_score >= 0 AND pass_score <= 10), CONSTRAINT "PK_a3442bd80a00e9111cefca57f6c" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."question_kind" AS ENUM('single', 'multiple', 'true_false')`,
    );
    await queryRunner.query(
      `CREATE TABLE "assessment_questions" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "assessment_id" uuid NOT NULL, "position" integer NOT NULL, "kind" "public"."question_kind" NOT NULL, "prompt" text NOT NULL, "options" jsonb NOT NULL, "correct" jsonb NOT NULL, "points" integer NOT NULL, CONSTRAINT "uq_assessment_questions_position" UNIQUE ("assessment_id", "position"), CONSTRAINT "PK_b47caf1bca7fa7b888dd02cfe73" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "assessment_attempts" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "assessment_id" uuid NOT NULL, "enrolment_id" uuid NOT NULL, "person_id" uuid NOT NULL, "number" integer NOT NULL, "started_at" TIMESTAMP WITH TIME ZONE NOT NULL, "deadline" TIMESTAMP WITH TIME ZONE NOT NULL, "submitted_at" TIMESTAMP WITH TIME ZONE, "points_earned" numeric(8,2), "points_total" integer, "score" numeric(4,2), "passed" boolean, CONSTRAINT "uq_attempts_number" UNIQUE ("enrolment_id", "number"), CONSTRAINT "PK_3761b6653b00f7df0ca4c1049ce" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_attempts_person" ON "assessment_attempts"  ("person_id", "started_at") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "ux_attempts_open" ON "assessment_attempts"  ("enrolment_id") WHERE submitted_at IS NULL`,
    );
    await queryRunner.query(
      `CREATE TABLE "attempt_answers" ("attempt_id" uuid NOT NULL, "question_id" uuid NOT NULL, "selected" jsonb NOT NULL, "saved_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_481462ba60b9c3d57495c0ff96e" PRIMARY KEY ("attempt_id", "question_id"))`,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."course_delivery_mode" AS ENUM('online', 'classroom', 'blended')`,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."course_status" AS ENUM('draft', 'published', 'archived')`,
    );
    await queryRunner.query(
      `CREATE TABLE "courses" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "code" character varying(40) COLLATE "C" NOT NULL, "title" character varying(300) NOT NULL, "description" text, "delivery_mode" "public"."course_delivery_mode" NOT NULL, "duration_hours" numeric(6,1) NOT NULL, "pass_score" numeric(4,2) NOT NULL DEFAULT '5', "owner_org_unit_id" uuid NOT NULL, "status" "public"."course_status" NOT NULL DEFAULT 'draft', "published_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_86b3589486bac01d2903e22471c" UNIQUE ("code"), CONSTRAINT "ck_courses_duration" CHECK (duration_hours > 0), CONSTRAINT "ck_courses_pass_score" CHECK (pass_score >= 0 AND pass_score <= 10), CONSTRAINT "PK_3f70a487cc718ad8eda4e6d58c9" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_courses_owner" ON "courses"  ("owner_org_unit_id", "code") `,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."lesson_kind" AS ENUM('text', 'video', 'link', 'assessment')`,
    );
    await queryRunner.query(
      `CREATE TABLE "course_lessons" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "course_id" uuid NOT NULL, "position" integer NOT NULL, "title" character varying(300) NOT NULL, "kind" "public"."lesson_kind" NOT NULL, "content" text, "url" character varying(2000), "required" boolean NOT NULL DEFAULT true, "assessment_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_b3d3faee87fdbd38e69b835975b" UNIQUE ("assessment_id"), CONSTRAINT "uq_course_lessons_position" UNIQUE ("course_id", "position"), CONSTRAINT "ck_course_lessons_assessment" CHECK ((kind = 'assessment') = (assessment_id IS NOT NULL)), CONSTRAINT "ck_course_lessons_url" CHECK (kind NOT IN ('video', 'link') OR url IS NOT NULL), CONSTRAINT "PK_3b9df6e0f006a24c680208e4e9e" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."enrolment_status" AS ENUM('enrolled', 'in_progress', 'completed')`,
    );
    await queryRunner.query(
      `CREATE TABLE "enrolments" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "course_id" uuid NOT NULL, "person_id" uuid NOT NULL, "status" "public"."enrolment_status" NOT NULL DEFAULT 'enrolled', "assessment_score" numeric(4,2), "assessment_passed_at" TIMESTAMP WITH TIME ZONE, "score" numeric(4,2), "grade" character varying(40), "completed_at" TIMESTAMP WITH TIME ZONE, "certificate_id" uuid, "enrolled_by" uuid, "enrolled_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_enrolments_course_person" UNIQUE ("course_id", "person_id"), CONSTRAINT "PK_6e79971fbd26967c4da9ed52770" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_enrolments_person" ON "enrolments"  ("person_id", "enrolled_at", "id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "lesson_completions" ("enrolment_id" uuid NOT NULL, "lesson_id" uuid NOT NULL, "completed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_e95ddae1afe24509bffb6ad674a" PRIMARY KEY ("enrolment_id", "lesson_id"))`,
    );
    await queryRunner.query(
      `ALTER TABLE "assessment_questions" ADD CONSTRAINT "FK_b8c94c86174f73f45aca9fee781" FOREIGN KEY ("assessment_id") REFERENCES "assessments"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "assessment_attempts" ADD CONSTRAINT "FK_a6580a164dbc7b3232c8a2f063e" FOREIGN KEY ("assessment_id") REFERENCES "assessments"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "attempt_answers" ADD CONSTRAINT "FK_32015c863766540050618a1165c" FOREIGN KEY ("attempt_id") REFERENCES "assessment_attempts"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "attempt_answers" ADD CONSTRAINT "FK_fff29b83c9965e08837b508f0cd" FOREIGN KEY ("question_id") REFERENCES "assessment_questions"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "courses" ADD CONSTRAINT "FK_16083a6a1ea051929aeb01e1086" FOREIGN KEY ("owner_org_unit_id") REFERENCES "org_units"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "course_lessons" ADD CONSTRAINT "FK_1bb754da7dd104c4a3beb9677c8" FOREIGN KEY ("course_id") REFERENCES "courses"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "enrolments" ADD CONSTRAINT "FK_88e4829cd9da8e01cc305788db5" FOREIGN KEY ("course_id") REFERENCES "courses"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "enrolments" ADD CONSTRAINT "FK_a4fc25ab2aa3cbb959aa601a017" FOREIGN KEY ("person_id") REFERENCES "people"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "lesson_completions" ADD CONSTRAINT "FK_e3ce3a995746962676df26c0fc0" FOREIGN KEY ("enrolment_id") REFERENCES "enrolments"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "lesson_completions" ADD CONSTRAINT "FK_bdcedea316987f7483035423e9a" FOREIGN KEY ("lesson_id") REFERENCES "course_lessons"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "lesson_completions" DROP CONSTRAINT "FK_bdcedea316987f7483035423e9a"`,
    );
    await queryRunner.query(
      `ALTER TABLE "lesson_completions" DROP CONSTRAINT "FK_e3ce3a995746962676df26c0fc0"`,
    );
    await queryRunner.query(
      `ALTER TABLE "enrolments" DROP CONSTRAINT "FK_a4fc25ab2aa3cbb959aa601a017"`,
    );
    await queryRunner.query(
      `ALTER TABLE "enrolments" DROP CONSTRAINT "FK_88e4829cd9da8e01cc305788db5"`,
    );
    await queryRunner.query(
      `ALTER TABLE "course_lessons" DROP CONSTRAINT "FK_1bb754da7dd104c4a3beb9677c8"`,
    );
    await queryRunner.query(
      `ALTER TABLE "courses" DROP CONSTRAINT "FK_16083a6a1ea051929aeb01e1086"`,
    );
    await queryRunner.query(
      `ALTER TABLE "attempt_answers" DROP CONSTRAINT "FK_fff29b83c9965e08837b508f0cd"`,
    );
    await queryRunner.query(
      `ALTER TABLE "attempt_answers" DROP CONSTRAINT "FK_32015c863766540050618a1165c"`,
    );
    await queryRunner.query(
      `ALTER TABLE "assessment_attempts" DROP CONSTRAINT "FK_a6580a164dbc7b3232c8a2f063e"`,
    );
    await queryRunner.query(
      `ALTER TABLE "assessment_questions" DROP CONSTRAINT "FK_b8c94c86174f73f45aca9fee781"`,
    );
    await queryRunner.query(`DROP TABLE "lesson_completions"`);
    await queryRunner.query(`DROP INDEX "public"."ix_enrolments_person"`);
    await queryRunner.query(`DROP TABLE "enrolments"`);
    await queryRunner.query(`DROP TYPE "public"."enrolment_status"`);
    await queryRunner.query(`DROP TABLE "course_lessons"`);
    await queryRunner.query(`DROP TYPE "public"."lesson_kind"`);
    await queryRunner.query(`DROP INDEX "public"."ix_courses_owner"`);
    await queryRunner.query(`DROP TABLE "courses"`);
    await queryRunner.query(`DROP TYPE "public"."course_status"`);
    await queryRunner.query(`DROP TYPE "public"."course_delivery_mode"`);
    await queryRunner.query(`DROP TABLE "attempt_answers"`);
    await queryRunner.query(`DROP INDEX "public"."ux_attempts_open"`);
    await queryRunner.query(`DROP INDEX "public"."ix_attempts_person"`);
    await queryRunner.query(`DROP TABLE "assessment_attempts"`);
    await queryRunner.query(`DROP TABLE "assessment_questions"`);
    await queryRunner.query(`DROP TYPE "public"."question_kind"`);
    await queryRunner.query(`DROP TABLE "assessments"`);
  }
}
