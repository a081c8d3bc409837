import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 17, items 1 and 2: classroom sessions of a course (days, venue or meeting link,
 * instructors, sign-up window, seats) and the bookings of people to them. Bookings are never
 * deleted: a booking changes state (booked, waitlisted, cancelled, moved) and the change is
 * audited. The partial unique index makes "one active booking per person and course" hold
 * in the database, not only in code; the waitlist orders by a sequence taken at request time
 * (an integer: two billion bookings is far beyond a million cadres, and the keyset cursor of
 * the booking lists is an int).
 */
export class ClassroomSessions1796500600000 implements MigrationInterface {
  name = 'ClassroomSessions1796500600000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TYPE "public"."notification_event" ADD VALUE IF NOT EXISTS 'session_seat_granted'`,
    );
    await queryRunner.query(
      `CREATE TABLE "class_sessions" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "course_id" uuid NOT NULL,
        "title" character varying(200) NOT NULL,
        "status" character varying(16) NOT NULL DEFAULT 'draft',
        "venue_name" character varying(200),
        "venue_address" character varying(300),
        "venue_room" character varying(100),
        "venue_capacity" integer,
        "online_url" character varying(500),
        "external_trainers" jsonb NOT NULL DEFAULT '[]',
        "signup_opens_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "signup_closes_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "min_seats" integer NOT NULL DEFAULT 0,
        "max_seats" integer NOT NULL,
        "cancel_cutoff_hours" integer NOT NULL DEFAULT 24,
        "created_by" uuid,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "ck_class_sessions_status" CHECK (status IN ('draft', 'open', 'full', 'closed', 'done', 'cancelled')),
        CONSTRAINT "ck_class_sessions_seats" CHECK (min_seats >= 0 AND max_seats >= 1 AND min_seats <= max_seats),
        CONSTRAINT "ck_class_sessions_window" CHECK (signup_opens_at < signup_closes_at),
        CONSTRAINT "ck_class_sessions_place" CHECK (venue_name IS NOT NULL OR online_url IS NOT NULL),
        CONSTRAINT "PK_class_sessions" PRIMARY KEY ("id"),
        CONSTRAINT "FK_class_sessions_course" FOREIGN KEY ("course_id") REFERENCES "courses"("id") ON DELETE RESTRICT
      )`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_class_sessions_course" ON "class_sessions" ("course_id", "id")`,
    );
    // Clash checks look up non-cancelled sessions of one room.
    await queryRunner.query(
      `CREATE INDEX "ix_class_sessions_room" ON "class_sessions" (lower(venue_name), lower(venue_room)) WHERE status <> 'cancelled' AND venue_room IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE TABLE "class_session_days" (
        "session_id" uuid NOT NULL,
        "day_no" integer NOT NULL,
        "starts_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "ends_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        CONSTRAINT "ck_class_session_days_order" CHECK (starts_at < ends_at),
        CONSTRAINT "PK_class_session_days" PRIMARY KEY ("session_id", "day_no"),
        CONSTRAINT "FK_class_session_days_session" FOREIGN KEY ("session_id") REFERENCES "class_sessions"("id") ON DELETE RESTRICT
      )`,
    );
    await queryRunner.query(
      `CREATE TABLE "class_session_instructors" (
        "session_id" uuid NOT NULL,
        "person_id" uuid NOT NULL,
        CONSTRAINT "PK_class_session_instructors" PRIMARY KEY ("session_id", "person_id"),
        CONSTRAINT "FK_class_session_instructors_session" FOREIGN KEY ("session_id") REFERENCES "class_sessions"("id") ON DELETE RESTRICT,
        CONSTRAINT "FK_class_session_instructors_person" FOREIGN KEY ("person_id") REFERENCES "people"("id") ON DELETE RESTRICT
      )`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_class_session_instructors_person" ON "class_session_instructors" ("person_id")`,
    );
    await queryRunner.query(`CREATE SEQUENCE "session_booking_request_seq" AS integer`);
    await queryRunner.query(
      `CREATE TABLE "session_bookings" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "session_id" uuid NOT NULL,
        "course_id" uuid NOT NULL,
        "person_id" uuid NOT NULL,
        "status" character varying(16) NOT NULL,
        "request_seq" integer NOT NULL DEFAULT nextval('session_booking_request_seq'),
        "requested_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT clock_timestamp(),
        "booked_by" uuid,
        "moved_to_booking_id" uuid,
        "changed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT clock_timestamp(),
        CONSTRAINT "ck_session_bookings_status" CHECK (status IN ('booked', 'waitlisted', 'cancelled', 'moved')),
        CONSTRAINT "PK_session_bookings" PRIMARY KEY ("id"),
        CONSTRAINT "FK_session_bookings_session" FOREIGN KEY ("session_id") REFERENCES "class_sessions"("id") ON DELETE RESTRICT,
        CONSTRAINT "FK_session_bookings_person" FOREIGN KEY ("person_id") REFERENCES "people"("id") ON DELETE RESTRICT,
        CONSTRAINT "FK_session_bookings_moved_to" FOREIGN KEY ("moved_to_booking_id") REFERENCES "session_bookings"("id") ON DELETE RESTRICT
      )`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "ux_session_bookings_active" ON "session_bookings" ("course_id", "person_id") WHERE status IN ('booked', 'waitlisted')`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_session_bookings_session" ON "session_bookings" ("session_id", "request_seq")`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_session_bookings_person" ON "session_bookings" ("person_id", "request_seq")`,
    );
  }

  // The added event value stays (PostgreSQL cannot drop one); nothing else refers to it then.
  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "session_bookings"`);
    await queryRunner.query(`DROP SEQUENCE "session_booking_request_seq"`);
    await queryRunner.query(`DROP TABLE "class_session_instructors"`);
    await queryRunner.query(`DROP TABLE "class_session_days"`);
    await queryRunner.query(`DROP TABLE "class_sessions"`);
  }
}
