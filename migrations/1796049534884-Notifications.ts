import { MigrationInterface, QueryRunner } from 'typeorm';

export class Notifications1796049534884 implements MigrationInterface {
  name = 'Notifications1796049534884';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "enrolments" DROP CONSTRAINT "uq_enrolments_course_person"`,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."notification_event" AS ENUM('assigned', 'due_in_7_days', 'overdue', 'recert_window_open')`,
    );
    await queryRunner.query(`CREATE TYPE "public"."notification_locale" AS ENUM('vi', 'en')`);
    await queryRunner.query(`CREATE TYPE "public"."notification_channel" AS ENUM('email', 'log')`);
    await queryRunner.query(
      `CREATE TYPE "public"."notification_status" AS ENUM('pending', 'sending', 'sent', 'failed', 'dead')`,
    );
    await queryRunner.query(
      `CREATE TABLE "notification_outbox" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "person_id" uuid NOT NULL, "event" "public"."notification_event" NOT NULL, "event_day" date NOT NULL, "locale" "public"."notification_locale" NOT NULL, "channel" "public"."notification_channel" NOT NULL DEFAULT 'email', "to_address" character varying(254), "subject" character varying(500) NOT NULL DEFAULT '', "body_text" text NOT NULL DEFAULT '', "body_html" text, "payload" jsonb NOT NULL DEFAULT '{}', "status" "public"."notification_status" NOT NULL DEFAULT 'pending', "attempts" integer NOT NULL DEFAULT '0', "next_attempt_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "lease_until" TIMESTAMP WITH TIME ZONE, "last_error" text, "sent_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_notification_outbox_person_event_day" UNIQUE ("person_id", "event", "event_day"), CONSTRAINT "PK_83d47c7dba1da2d038749fe757e" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_notification_outbox_person" ON "notification_outbox"  ("person_id", "created_at", "id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_notification_outbox_claim" ON "notification_outbox"  ("status", "next_attempt_at") `,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."notification_preference_locale" AS ENUM('vi', 'en')`,
    );
    await queryRunner.query(
      `CREATE TABLE "notification_preferences" ("person_id" uuid NOT NULL, "locale" "public"."notification_preference_locale" NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_57d4eb7d38306aef3208185725e" PRIMARY KEY ("person_id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "recertification_targets" ("source_assignment_id" uuid NOT NULL, "target_programme_id" uuid NOT NULL, "target_assignment_id" uuid NOT NULL, CONSTRAINT "uq_recertification_targets_target" UNIQUE ("target_assignment_id"), CONSTRAINT "PK_959a373077a6cd494b1f6bf7f5f" PRIMARY KEY ("source_assignment_id", "target_programme_id"))`,
    );
    await queryRunner.query(`ALTER TABLE "enrolments" ADD "cycle" integer NOT NULL DEFAULT '1'`);
    await queryRunner.query(
      `ALTER TABLE "enrolments" ADD CONSTRAINT "uq_enrolments_course_person_cycle" UNIQUE ("course_id", "person_id", "cycle")`,
    );
    await queryRunner.query(
      `ALTER TABLE "notification_outbox" ADD CONSTRAINT "FK_b85309fa997c38e1b1a0f9ece21" FOREIGN KEY ("person_id") REFERENCES "people"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "notification_preferences" ADD CONSTRAINT "FK_57d4eb7d38306aef3208185725e" FOREIGN KEY ("person_id") REFERENCES "people"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "recertification_targets" ADD CONSTRAINT "FK_bbed71374003c0207db7f944115" FOREIGN KEY ("source_assignment_id") REFERENCES "programme_assignments"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "recertification_targets" ADD CONSTRAINT "FK_8b07a26fdf0d355fe9728c09421" FOREIGN KEY ("target_assignment_id") REFERENCES "programme_assignments"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "recertification_targets" DROP CONSTRAINT "FK_8b07a26fdf0d355fe9728c09421"`,
    );
    await queryRunner.query(
      `ALTER TABLE "recertification_targets" DROP CONSTRAINT "FK_bbed71374003c0207db7f944115"`,
    );
    await queryRunner.query(
      `ALTER TABLE "notification_preferences" DROP CONSTRAINT "FK_57d4eb7d38306aef3208185725e"`,
    );
    await queryRunner.query(
      `ALTER TABLE "notification_outbox" DROP CONSTRAINT "FK_b85309fa997c38e1b1a0f9ece21"`,
    );
    await queryRunner.query(
      `ALTER TABLE "enrolments" DROP CONSTRAINT "uq_enrolments_course_person_cycle"`,
    );
    await queryRunner.query(`ALTER TABLE "enrolments" DROP COLUMN "cycle"`);
    await queryRunner.query(`DROP TABLE "recertification_targets"`);
    await queryRunner.query(`DROP TABLE "notification_preferences"`);
    await queryRunner.query(`DROP TYPE "public"."notification_preference_locale"`);
    await queryRunner.query(`DROP INDEX "public"."ix_notification_outbox_claim"`);
    await queryRunner.query(`DROP INDEX "public"."ix_notification_outbox_person"`);
    await queryRunner.query(`DROP TABLE "notification_outbox"`);
    await queryRunner.query(`DROP TYPE "public"."notification_status"`);
    await queryRunner.query(`DROP TYPE "public"."notification_channel"`);
    await queryRunner.query(`DROP TYPE "public"."notification_locale"`);
    await queryRunner.query(`DROP TYPE "public"."notification_event"`);
    await queryRunner.query(
      `ALTER TABLE "enrolments" ADD CONSTRAINT "uq_enrolments_course_person" UNIQUE ("course_id", "person_id")`,
    );
  }
}
