import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 17, items 3 and 4: attendance per session day and the attendance share of completion.
 * `session_attendance` holds the current mark of each booked person and day (one row, replaced
 * by a later mark); `session_attendance_changes` keeps every mark ever given, with the mark it
 * replaced, who gave it and how (an officer's list or the learner's QR check-in): a correction
 * never overwrites without trace. Both are written by one statement (see
 * session-attendance.service.ts). `courses.attendance_min_percent` is the share of session time a
 * learner must attend when the course has classroom sessions (80 % by default, DOMAIN.md).
 */
export class SessionAttendance1796500700000 implements MigrationInterface {
  name = 'SessionAttendance1796500700000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "courses" ADD "attendance_min_percent" smallint NOT NULL DEFAULT 80`,
    );
    await queryRunner.query(
      `ALTER TABLE "courses" ADD CONSTRAINT "ck_courses_attendance_min_percent"
         CHECK (attendance_min_percent >= 0 AND attendance_min_percent <= 100)`,
    );
    await queryRunner.query(
      `CREATE TABLE "session_attendance" (
        "session_id" uuid NOT NULL,
        "day_no" integer NOT NULL,
        "person_id" uuid NOT NULL,
        "status" character varying(16) NOT NULL,
        "source" character varying(16) NOT NULL,
        "marked_by" uuid,
        "marked_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT clock_timestamp(),
        CONSTRAINT "ck_session_attendance_status" CHECK (status IN ('present', 'late', 'absent', 'excused')),
        CONSTRAINT "ck_session_attendance_source" CHECK (source IN ('officer', 'check_in')),
        CONSTRAINT "PK_session_attendance" PRIMARY KEY ("session_id", "day_no", "person_id"),
        CONSTRAINT "FK_session_attendance_day" FOREIGN KEY ("session_id", "day_no") REFERENCES "class_session_days"("session_id", "day_no") ON DELETE RESTRICT,
        CONSTRAINT "FK_session_attendance_person" FOREIGN KEY ("person_id") REFERENCES "people"("id") ON DELETE RESTRICT
      )`,
    );
    // Completion sums a person's attended days.
    await queryRunner.query(
      `CREATE INDEX "ix_session_attendance_person" ON "session_attendance" ("person_id", "session_id")`,
    );
    await queryRunner.query(
      `CREATE TABLE "session_attendance_changes" (
        "id" bigint GENERATED ALWAYS AS IDENTITY,
        "session_id" uuid NOT NULL,
        "day_no" integer NOT NULL,
        "person_id" uuid NOT NULL,
        "previous_status" character varying(16),
        "status" character varying(16) NOT NULL,
        "source" character varying(16) NOT NULL,
        "changed_by" uuid,
        "changed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT clock_timestamp(),
        CONSTRAINT "PK_session_attendance_changes" PRIMARY KEY ("id"),
        CONSTRAINT "FK_session_attendance_changes_day" FOREIGN KEY ("session_id", "day_no") REFERENCES "class_session_days"("session_id", "day_no") ON DELETE RESTRICT
      )`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_session_attendance_changes_mark" ON "session_attendance_changes" ("session_id", "day_no", "person_id", "id")`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "session_attendance_changes"`);
    await queryRunner.query(`DROP TABLE "session_attendance"`);
    await queryRunner.query(
      `ALTER TABLE "courses" DROP CONSTRAINT "ck_courses_attendance_min_percent"`,
    );
    await queryRunner.query(`ALTER TABLE "courses" DROP COLUMN "attendance_min_percent"`);
  }
}
