import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 15, item 4: accounts administered end to end.
 * - user_accounts.password_hash may be NULL: an invited account has no usable password until its
 *   owner sets one through the invitation link (its status reads "invited").
 * - user_accounts.deactivated_at: when an administrator last deactivated the account (the reason
 *   is in the audit log); NULL while active.
 * - account_tokens: one-time links to set a password (purpose invite, 7 days) or to reset a
 *   forgotten one (purpose reset, 1 hour). Only the SHA-256 of a token is kept; a token is spent
 *   (used_at) or superseded by a newer one of the same purpose (superseded_at), never deleted.
 * - indexes for the account list's filters (last sign-in, live grants by role).
 * - notification_event gains 'account_invited' and 'password_reset'.
 */
export class AccountAdministration1796500000000 implements MigrationInterface {
  name = 'AccountAdministration1796500000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "user_accounts" ALTER COLUMN "password_hash" DROP NOT NULL`,
    );
    await queryRunner.query(
      `ALTER TABLE "user_accounts" ADD "deactivated_at" TIMESTAMP WITH TIME ZONE`,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."account_token_purpose" AS ENUM ('invite', 'reset')`,
    );
    await queryRunner.query(
      `CREATE TABLE "account_tokens" (
         "id" uuid NOT NULL DEFAULT gen_random_uuid(),
         "user_id" uuid NOT NULL,
         "purpose" "public"."account_token_purpose" NOT NULL,
         "token_hash" character(64) NOT NULL,
         "created_by" uuid,
         "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
         "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
         "used_at" TIMESTAMP WITH TIME ZONE,
         "superseded_at" TIMESTAMP WITH TIME ZONE,
         CONSTRAINT "pk_account_tokens" PRIMARY KEY ("id"),
         CONSTRAINT "uq_account_tokens_token_hash" UNIQUE ("token_hash"),
         CONSTRAINT "ck_account_tokens_expiry" CHECK ("expires_at" > "created_at"),
         CONSTRAINT "fk_account_tokens_user" FOREIGN KEY ("user_id")
           REFERENCES "user_accounts"("id") ON DELETE RESTRICT)`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_account_tokens_user_open" ON "account_tokens" ("user_id", "purpose")
        WHERE "used_at" IS NULL AND "superseded_at" IS NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_user_accounts_last_login" ON "user_accounts" ("last_login_at", "id")`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_role_grants_live_role" ON "role_grants" ("role", "user_id")
        WHERE "revoked_at" IS NULL`,
    );
    await queryRunner.query(
      `ALTER TYPE "public"."notification_event" ADD VALUE IF NOT EXISTS 'account_invited'`,
    );
    await queryRunner.query(
      `ALTER TYPE "public"."notification_event" ADD VALUE IF NOT EXISTS 'password_reset'`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    // Enum values cannot be dropped; messages already written keep them. An account still
    // waiting for its password keeps no usable one: the down migration refuses rather than guess.
    await queryRunner.query(`DROP INDEX "public"."ix_role_grants_live_role"`);
    await queryRunner.query(`DROP INDEX "public"."ix_user_accounts_last_login"`);
    await queryRunner.query(`DROP TABLE "account_tokens"`);
    await queryRunner.query(`DROP TYPE "public"."account_token_purpose"`);
    await queryRunner.query(`ALTER TABLE "user_accounts" DROP COLUMN "deactivated_at"`);
    await queryRunner.query(
      `ALTER TABLE "user_accounts" ALTER COLUMN "password_hash" SET NOT NULL`,
    );
  }
}
