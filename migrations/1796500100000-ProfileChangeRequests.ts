import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Self-service profile (issue 15, item 5): a person's changes to name, birth date, gender and
 * CCCD wait as requests for HR (never deleted: they change state), at most one pending per
 * person (a partial unique index, so two tabs cannot leave two); and a person may turn reminder
 * e-mails off (notification_preferences.email_notifications, on by default).
 */
export class ProfileChangeRequests1796500100000 implements MigrationInterface {
  name = 'ProfileChangeRequests1796500100000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "notification_preferences" ADD "email_notifications" boolean NOT NULL DEFAULT true`,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."profile_change_request_state" AS ENUM('pending', 'approved', 'rejected', 'withdrawn', 'superseded')`,
    );
    await queryRunner.query(
      `CREATE TABLE "profile_change_requests" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "person_id" uuid NOT NULL,
        "state" "public"."profile_change_request_state" NOT NULL DEFAULT 'pending',
        "requested" jsonb NOT NULL,
        "note" character varying(1000),
        "requested_by_user_id" uuid,
        "decided_at" TIMESTAMP WITH TIME ZONE,
        "decided_by_user_id" uuid,
        "decided_by_person_id" uuid,
        "decision_note" character varying(1000),
        "superseded_by_id" uuid,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "pk_profile_change_requests" PRIMARY KEY ("id"),
        CONSTRAINT "ck_profile_change_requests_decided" CHECK (state NOT IN ('approved', 'rejected') OR decided_at IS NOT NULL)
      )`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "ux_profile_change_requests_one_pending" ON "profile_change_requests" ("person_id") WHERE state = 'pending'`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_profile_change_requests_queue" ON "profile_change_requests" ("state", "created_at", "id")`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_profile_change_requests_person" ON "profile_change_requests" ("person_id", "created_at")`,
    );
    await queryRunner.query(
      `ALTER TABLE "profile_change_requests" ADD CONSTRAINT "fk_profile_change_requests_person" FOREIGN KEY ("person_id") REFERENCES "people"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "profile_change_requests" ADD CONSTRAINT "fk_profile_change_requests_superseded_by" FOREIGN KEY ("superseded_by_id") REFERENCES "profile_change_requests"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "profile_change_requests"`);
    await queryRunner.query(`DROP TYPE "public"."profile_change_request_state"`);
    await queryRunner.query(
      `ALTER TABLE "notification_preferences" DROP COLUMN "email_notifications"`,
    );
  }
}
