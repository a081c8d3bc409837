import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 13, item 9: the hard lock that anyone could set on anyone becomes a progressive hold
 * that the owner's right password from a known device lifts, and the owner is told.
 * - known_devices: a device that once signed in to the account holds a random token (only its
 *   SHA-256 is kept); with it, the right password passes a hold.
 * - notification_event gains 'account_locked', the message to the owner when a hold starts.
 */
export class LoginThrottle1796492000000 implements MigrationInterface {
  name = 'LoginThrottle1796492000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "known_devices" (
         "id" uuid NOT NULL DEFAULT gen_random_uuid(),
         "user_id" uuid NOT NULL,
         "token_hash" character(64) NOT NULL,
         "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
         "last_used_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
         CONSTRAINT "pk_known_devices" PRIMARY KEY ("id"),
         CONSTRAINT "uq_known_devices_token_hash" UNIQUE ("token_hash"),
         CONSTRAINT "fk_known_devices_user" FOREIGN KEY ("user_id")
           REFERENCES "user_accounts"("id") ON DELETE CASCADE)`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_known_devices_user_id" ON "known_devices" ("user_id", "last_used_at")`,
    );
    await queryRunner.query(
      `ALTER TYPE "public"."notification_event" ADD VALUE IF NOT EXISTS 'account_locked'`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    // An enum value cannot be dropped; messages already written keep it.
    await queryRunner.query(`DROP TABLE "known_devices"`);
  }
}
