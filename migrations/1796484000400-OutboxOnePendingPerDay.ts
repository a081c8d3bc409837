import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 11, item 7: no message is lost. One message per person, event and day while it waits
 * (what comes later that day joins it), but once it is claimed or sent what comes later goes in
 * a second message: the unique key becomes a partial unique index over pending messages. And a
 * new kind of message: courses a development plan enrolled the person in. (The certificate
 * messages before it made the key per topic; it stays per topic, over pending messages.)
 */
export class OutboxOnePendingPerDay1796484000400 implements MigrationInterface {
  name = 'OutboxOnePendingPerDay1796484000400';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TYPE "public"."notification_event" ADD VALUE IF NOT EXISTS 'plan_enrolled'`,
    );
    await queryRunner.query(
      `ALTER TABLE "notification_outbox" DROP CONSTRAINT "uq_notification_outbox_person_event_day_topic"`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_notification_outbox_pending" ON "notification_outbox"  ("person_id", "event", "event_day", "topic") WHERE status = 'pending'`,
    );
  }

  // Going down fails once a person has two messages of one event and day, or a plan_enrolled
  // message (they cannot be cast to the old type): on purpose, rather than deleting messages
  // people were sent.
  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."uq_notification_outbox_pending"`);
    await queryRunner.query(
      `ALTER TABLE "notification_outbox" ADD CONSTRAINT "uq_notification_outbox_person_event_day_topic" UNIQUE ("person_id", "event", "event_day", "topic")`,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."notification_event_old" AS ENUM('assigned', 'due_in_7_days', 'overdue', 'recert_window_open', 'certificate_issued', 'certificate_suspended', 'certificate_reinstated', 'certificate_revoked')`,
    );
    await queryRunner.query(
      `ALTER TABLE "notification_outbox" ALTER COLUMN "event" TYPE "public"."notification_event_old" USING "event"::"text"::"public"."notification_event_old"`,
    );
    await queryRunner.query(`DROP TYPE "public"."notification_event"`);
    await queryRunner.query(
      `ALTER TYPE "public"."notification_event_old" RENAME TO "notification_event"`,
    );
  }
}
