import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 17, item 5: the calendar of classroom sessions.
 * - `class_sessions.calendar_sequence`: the iCalendar SEQUENCE of the session's events, raised by
 *   every change a calendar shows (days, venue, link, title, instructors, cancellation).
 * - `class_session_removed_days`: the last times of day numbers a correction took away, so a
 *   calendar that imported them gets them back as cancelled events (same UID) instead of keeping
 *   a day that no longer exists.
 * - `session_day_reminders`: one row per person reminded of a session day at its start time —
 *   the unique marker that makes the reminder scan idempotent (a moved day is a new start time,
 *   so it is reminded again). No foreign key to the day: a correction rewrites the days.
 * - `calendar_feeds`: a person's secret feed URLs; only the SHA-256 of the token is kept, one
 *   live feed per person (partial unique index), a revoked one kept with when and why (revoked, or rotated to a new token).
 * - three messages: the reminder the day before, a change of days, venue or link, a cancellation.
 */
export class SessionCalendar1796500800000 implements MigrationInterface {
  name = 'SessionCalendar1796500800000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    for (const event of ['session_reminder', 'session_changed', 'session_cancelled']) {
      await queryRunner.query(
        `ALTER TYPE "public"."notification_event" ADD VALUE IF NOT EXISTS '${event}'`,
      );
    }
    await queryRunner.query(
      `ALTER TABLE "class_sessions" ADD "calendar_sequence" integer NOT NULL DEFAULT 0`,
    );
    // The reminder scan looks up the days that start in the next 24 hours through
    // ix_class_session_days_starts (starts_at, session_id), made by 1796500850000 for the
    // officers' calendar as well.
    await queryRunner.query(
      `CREATE TABLE "class_session_removed_days" (
        "session_id" uuid NOT NULL,
        "day_no" integer NOT NULL,
        "starts_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "ends_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "removed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_class_session_removed_days" PRIMARY KEY ("session_id", "day_no"),
        CONSTRAINT "FK_class_session_removed_days_session" FOREIGN KEY ("session_id") REFERENCES "class_sessions"("id") ON DELETE RESTRICT
      )`,
    );
    await queryRunner.query(
      `CREATE TABLE "session_day_reminders" (
        "session_id" uuid NOT NULL,
        "day_no" integer NOT NULL,
        "person_id" uuid NOT NULL,
        "starts_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "reminded_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT clock_timestamp(),
        CONSTRAINT "PK_session_day_reminders" PRIMARY KEY ("session_id", "day_no", "person_id", "starts_at"),
        CONSTRAINT "FK_session_day_reminders_session" FOREIGN KEY ("session_id") REFERENCES "class_sessions"("id") ON DELETE RESTRICT,
        CONSTRAINT "FK_session_day_reminders_person" FOREIGN KEY ("person_id") REFERENCES "people"("id") ON DELETE RESTRICT
      )`,
    );
    await queryRunner.query(
      `CREATE TABLE "calendar_feeds" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "person_id" uuid NOT NULL,
        "user_id" uuid NOT NULL,
        "token_hash" character(64) NOT NULL,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT clock_timestamp(),
        "revoked_at" TIMESTAMP WITH TIME ZONE,
        "revoked_reason" character varying(16),
        CONSTRAINT "ck_calendar_feeds_end" CHECK ((revoked_at IS NULL) = (revoked_reason IS NULL) AND (revoked_reason IS NULL OR revoked_reason IN ('rotated', 'revoked'))),
        CONSTRAINT "uq_calendar_feeds_token_hash" UNIQUE ("token_hash"),
        CONSTRAINT "PK_calendar_feeds" PRIMARY KEY ("id"),
        CONSTRAINT "FK_calendar_feeds_person" FOREIGN KEY ("person_id") REFERENCES "people"("id") ON DELETE RESTRICT,
        CONSTRAINT "FK_calendar_feeds_user" FOREIGN KEY ("user_id") REFERENCES "user_accounts"("id") ON DELETE RESTRICT
      )`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "ux_calendar_feeds_live" ON "calendar_feeds" ("person_id") WHERE revoked_at IS NULL`,
    );
  }

  // The added event values stay (PostgreSQL cannot drop one); nothing else refers to them then.
  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "calendar_feeds"`);
    await queryRunner.query(`DROP TABLE "session_day_reminders"`);
    await queryRunner.query(`DROP TABLE "class_session_removed_days"`);
    await queryRunner.query(`ALTER TABLE "class_sessions" DROP COLUMN "calendar_sequence"`);
  }
}
