import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Certificates get their last valid day (and the index the daily scan reads); the outbox gets
 * the four certificate messages and a topic, so that each change of a certificate is a message
 * of its own while programme messages (topic '') stay merged one a day per person and event.
 * Generated, then edited by hand: the generator dropped and re-created the outbox's unique
 * constraint around the enum change as well, which adding values does not need.
 */
export class CertificateExpiry1796483000000 implements MigrationInterface {
  name = 'CertificateExpiry1796483000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "certificates" ADD "expires_on" date`);
    await queryRunner.query(
      `CREATE INDEX "ix_certificates_expiring" ON "certificates"  ("expires_on") WHERE status = 'valid' AND expires_on IS NOT NULL`,
    );
    await queryRunner.query(
      `ALTER TYPE "public"."notification_event" ADD VALUE 'certificate_issued'`,
    );
    await queryRunner.query(
      `ALTER TYPE "public"."notification_event" ADD VALUE 'certificate_suspended'`,
    );
    await queryRunner.query(
      `ALTER TYPE "public"."notification_event" ADD VALUE 'certificate_reinstated'`,
    );
    await queryRunner.query(
      `ALTER TYPE "public"."notification_event" ADD VALUE 'certificate_revoked'`,
    );
    await queryRunner.query(
      `ALTER TABLE "notification_outbox" DROP CONSTRAINT "uq_notification_outbox_person_event_day"`,
    );
    await queryRunner.query(
      `ALTER TABLE "notification_outbox" ADD "topic" character varying(120) NOT NULL DEFAULT ''`,
    );
    await queryRunner.query(
      `ALTER TABLE "notification_outbox" ADD CONSTRAINT "uq_notification_outbox_person_event_day_topic" UNIQUE ("person_id", "event", "event_day", "topic")`,
    );
  }

  // Going down fails while certificate messages exist (they cannot be cast to the old enum):
  // on purpose, rather than deleting messages people were sent.
  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "notification_outbox" DROP CONSTRAINT "uq_notification_outbox_person_event_day_topic"`,
    );
    await queryRunner.query(`ALTER TABLE "notification_outbox" DROP COLUMN "topic"`);
    await queryRunner.query(
      `CREATE TYPE "public"."notification_event_old" AS ENUM('assigned', 'due_in_7_days', 'overdue', 'recert_window_open')`,
    );
    await queryRunner.query(
      `ALTER TABLE "notification_outbox" ALTER COLUMN "event" TYPE "public"."notification_event_old" USING "event"::"text"::"public"."notification_event_old"`,
    );
    await queryRunner.query(`DROP TYPE "public"."notification_event"`);
    await queryRunner.query(
      `ALTER TYPE "public"."notification_event_old" RENAME TO "notification_event"`,
    );
    await queryRunner.query(
      `ALTER TABLE "notification_outbox" ADD CONSTRAINT "uq_notification_outbox_person_event_day" UNIQUE ("person_id", "event", "event_day")`,
    );
    await queryRunner.query(`DROP INDEX "public"."ix_certificates_expiring"`);
    await queryRunner.query(`ALTER TABLE "certificates" DROP COLUMN "expires_on"`);
  }
}
