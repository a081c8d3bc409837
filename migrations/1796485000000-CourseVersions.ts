import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Courses get versions (issue 11, item 5): the code stays the course's name across versions,
 * each version has its number (unique per code), at most one published and one draft version
 * per code; a version remembers the one it was made from; 'superseded' marks a published
 * version replaced by a newer one. Assessments get their review policy (item 2), and a
 * learner's attempts are listed newest first through (person_id, started_at, id).
 */
export class CourseVersions1796485000000 implements MigrationInterface {
  name = 'CourseVersions1796485000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."ix_attempts_person"`);
    await queryRunner.query(
      `CREATE TYPE "public"."assessment_review_policy" AS ENUM('never', 'after_submission', 'after_close')`,
    );
    await queryRunner.query(
      `ALTER TABLE "assessments" ADD "review_policy" "public"."assessment_review_policy" NOT NULL DEFAULT 'after_close'`,
    );
    await queryRunner.query(`ALTER TABLE "courses" ADD "version_no" integer NOT NULL DEFAULT '1'`);
    await queryRunner.query(`ALTER TABLE "courses" ADD "based_on_id" uuid`);
    await queryRunner.query(`ALTER TABLE "courses" ADD "superseded_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "courses" ADD "retired_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(
      `ALTER TABLE "courses" DROP CONSTRAINT "UQ_86b3589486bac01d2903e22471c"`,
    );
    await queryRunner.query(`ALTER TYPE "public"."course_status" ADD VALUE 'superseded'`);
    await queryRunner.query(
      `CREATE INDEX "ix_attempts_person" ON "assessment_attempts"  ("person_id", "started_at", "id") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "ux_courses_draft_code" ON "courses"  ("code") WHERE status = 'draft'`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "ux_courses_published_code" ON "courses"  ("code") WHERE status = 'published'`,
    );
    await queryRunner.query(
      `ALTER TABLE "courses" ADD CONSTRAINT "ck_courses_version_no" CHECK (version_no >= 1)`,
    );
    await queryRunner.query(
      `ALTER TABLE "courses" ADD CONSTRAINT "uq_courses_code_version" UNIQUE ("code", "version_no")`,
    );
    await queryRunner.query(
      `ALTER TABLE "courses" ADD CONSTRAINT "FK_72f2f35f085c45b82f43363ad61" FOREIGN KEY ("based_on_id") REFERENCES "courses"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "courses" DROP CONSTRAINT "FK_72f2f35f085c45b82f43363ad61"`,
    );
    await queryRunner.query(`ALTER TABLE "courses" DROP CONSTRAINT "uq_courses_code_version"`);
    await queryRunner.query(`ALTER TABLE "courses" DROP CONSTRAINT "ck_courses_version_no"`);
    await queryRunner.query(`DROP INDEX "public"."ux_courses_published_code"`);
    await queryRunner.query(`DROP INDEX "public"."ux_courses_draft_code"`);
    await queryRunner.query(`DROP INDEX "public"."ix_attempts_person"`);
    await queryRunner.query(
      `CREATE TYPE "public"."course_status_old" AS ENUM('draft', 'published', 'archived')`,
    );
    // Going down fails while a superseded version exists: on purpose, rather than losing it.
    await queryRunner.query(`ALTER TABLE "courses" ALTER COLUMN "status" DROP DEFAULT`);
    await queryRunner.query(
      `ALTER TABLE "courses" ALTER COLUMN "status" TYPE "public"."course_status_old" USING "status"::"text"::"public"."course_status_old"`,
    );
    await queryRunner.query(`ALTER TABLE "courses" ALTER COLUMN "status" SET DEFAULT 'draft'`);
    await queryRunner.query(`DROP TYPE "public"."course_status"`);
    await queryRunner.query(`ALTER TYPE "public"."course_status_old" RENAME TO "course_status"`);
    await queryRunner.query(
      `ALTER TABLE "courses" ADD CONSTRAINT "UQ_86b3589486bac01d2903e22471c" UNIQUE ("code")`,
    );
    await queryRunner.query(`ALTER TABLE "courses" DROP COLUMN "retired_at"`);
    await queryRunner.query(`ALTER TABLE "courses" DROP COLUMN "superseded_at"`);
    await queryRunner.query(`ALTER TABLE "courses" DROP COLUMN "based_on_id"`);
    await queryRunner.query(`ALTER TABLE "courses" DROP COLUMN "version_no"`);
    await queryRunner.query(`ALTER TABLE "assessments" DROP COLUMN "review_policy"`);
    await queryRunner.query(`DROP TYPE "public"."assessment_review_policy"`);
    await queryRunner.query(
      `CREATE INDEX "ix_attempts_person" ON "assessment_attempts" USING btree ("person_id", "started_at") `,
    );
  }
}
