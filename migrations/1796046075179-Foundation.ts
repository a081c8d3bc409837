import { MigrationInterface, QueryRunner } from 'typeorm';

export class Foundation1796046075179 implements MigrationInterface {
  name = 'Foundation1796046075179';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "auth_sessions" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL, "ip" character varying(64), "user_agent" character varying(300), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "revoked_at" TIMESTAMP WITH TIME ZONE, "revoked_reason" character varying(20), CONSTRAINT "PK_641507381f32580e8479efc36cd" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_auth_sessions_user" ON "auth_sessions"  ("user_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "refresh_tokens" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "token_hash" character(64) NOT NULL, "session_id" uuid NOT NULL, "user_id" uuid NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "used_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_a7838d2ba25be1342091b6695f1" UNIQUE ("token_hash"), CONSTRAINT "PK_7d8bee0204106019488c4c50ffa" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_refresh_tokens_session" ON "refresh_tokens"  ("session_id") `,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."org_level" AS ENUM('confederation', 'federation', 'sectoral', 'upper', 'grassroots', 'sub_unit')`,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."org_sector" AS ENUM('public_service', 'state_enterprise', 'private', 'fdi', 'cooperative', 'informal')`,
    );
    await queryRunner.query(`CREATE TYPE "public"."org_status" AS ENUM('active', 'archived')`);
    await queryRunner.query(
      `CREATE TABLE "org_units" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "seq" BIGSERIAL NOT NULL, "code" character varying(40) NOT NULL, "name" character varying(300) NOT NULL, "search_name" character varying(300) NOT NULL, "sort_key" character varying(700) COLLATE "C" NOT NULL, "level" "public"."org_level" NOT NULL, "sector" "public"."org_sector", "province_code" character(2), "parent_id" uuid, "path" character varying(400) COLLATE "C" NOT NULL, "depth" integer NOT NULL, "member_count" integer NOT NULL DEFAULT '0', "status" "public"."org_status" NOT NULL DEFAULT 'active', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_3411b503b30db349646e3079e93" UNIQUE ("seq"), CONSTRAINT "UQ_5382611e999b45b0e98a7859c71" UNIQUE ("code"), CONSTRAINT "PK_b4a19b7f3756560cd75643be5a7" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_org_units_path" ON "org_units"  ("path") `);
    await queryRunner.query(`CREATE INDEX "ix_org_units_search" ON "org_units"  ("search_name") `);
    await queryRunner.query(
      `CREATE INDEX "ix_org_units_parent" ON "org_units"  ("parent_id", "sort_key", "id") `,
    );
    await queryRunner.query(`CREATE TYPE "public"."person_gender" AS ENUM('male', 'female')`);
    await queryRunner.query(
      `CREATE TYPE "public"."person_status" AS ENUM('active', 'inactive', 'retired', 'deceased')`,
    );
    await queryRunner.query(
      `CREATE TABLE "people" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "family_name" character varying(60) NOT NULL, "middle_name" character varying(80), "given_name" character varying(60) NOT NULL, "full_name" character varying(210) NOT NULL, "search_name" character varying(210) NOT NULL, "sort_key" character varying(210) COLLATE "C" NOT NULL, "birth_date" date, "gender" "public"."person_gender", "ethnicity_code" character(2), "national_id" character(12), "email" character varying(254), "phone" character varying(20), "home_org_unit_id" uuid NOT NULL, "status" "public"."person_status" NOT NULL DEFAULT 'active', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_80e26703deec2dd0c4dd2180ecb" UNIQUE ("national_id"), CONSTRAINT "PK_aa866e71353ee94c6cc51059c5b" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_people_search" ON "people"  ("search_name") `);
    await queryRunner.query(
      `CREATE INDEX "ix_people_home_org" ON "people"  ("home_org_unit_id", "sort_key", "id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "user_accounts" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "email" character varying(254) NOT NULL, "password_hash" character varying(200) NOT NULL, "person_id" uuid NOT NULL, "active" boolean NOT NULL DEFAULT true, "failed_logins" integer NOT NULL DEFAULT '0', "locked_until" TIMESTAMP WITH TIME ZONE, "last_login_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_df3802ec9c31dd9491e3589378d" UNIQUE ("email"), CONSTRAINT "UQ_a66270f0a19aaaee0bf72d5adb0" UNIQUE ("person_id"), CONSTRAINT "PK_125e915cf23ad1cfb43815ce59b" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."user_role" AS ENUM('admin', 'hr', 'training_officer', 'learner')`,
    );
    await queryRunner.query(
      `CREATE TABLE "role_grants" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL, "role" "public"."user_role" NOT NULL, "org_unit_id" uuid NOT NULL, "granted_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "revoked_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_f7cf33da46b9f884f2d459e0eff" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "ux_role_grants_active" ON "role_grants"  ("user_id", "role", "org_unit_id") WHERE revoked_at IS NULL`,
    );
    await queryRunner.query(`CREATE INDEX "ix_role_grants_user" ON "role_grants"  ("user_id") `);
    await queryRunner.query(
      `ALTER TABLE "org_units" ADD CONSTRAINT "FK_93e336d1c079edb2cecd9c8f599" FOREIGN KEY ("parent_id") REFERENCES "org_units"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "people" ADD CONSTRAINT "FK_018600aeea8785956d07cb85022" FOREIGN KEY ("home_org_unit_id") REFERENCES "org_units"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "user_accounts" ADD CONSTRAINT "FK_a66270f0a19aaaee0bf72d5adb0" FOREIGN KEY ("person_id") REFERENCES "people"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "role_grants" ADD CONSTRAINT "FK_2b1c3c28ffbc09b85170c655d4b" FOREIGN KEY ("user_id") REFERENCES "user_accounts"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "role_grants" ADD CONSTRAINT "FK_3d0e2b7b2d6349d8c3ee0ad729b" FOREIGN KEY ("org_unit_id") REFERENCES "org_units"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "role_grants" DROP CONSTRAINT "FK_3d0e2b7b2d6349d8c3ee0ad729b"`,
    );
    await queryRunner.query(
      `ALTER TABLE "role_grants" DROP CONSTRAINT "FK_2b1c3c28ffbc09b85170c655d4b"`,
    );
    await queryRunner.query(
      `ALTER TABLE "user_accounts" DROP CONSTRAINT "FK_a66270f0a19aaaee0bf72d5adb0"`,
    );
    await queryRunner.query(
      `ALTER TABLE "people" DROP CONSTRAINT "FK_018600aeea8785956d07cb85022"`,
    );
    await queryRunner.query(
      `ALTER TABLE "org_units" DROP CONSTRAINT "FK_93e336d1c079edb2cecd9c8f599"`,
    );
    await queryRunner.query(`DROP INDEX "public"."ix_role_grants_user"`);
    await queryRunner.query(`DROP INDEX "public"."ux_role_grants_active"`);
    await queryRunner.query(`DROP TABLE "role_grants"`);
    await queryRunner.query(`DROP TYPE "public"."user_role"`);
    await queryRunner.query(`DROP TABLE "user_accounts"`);
    await queryRunner.query(`DROP INDEX "public"."ix_people_home_org"`);
    await queryRunner.query(`DROP INDEX "public"."ix_people_search"`);
    await queryRunner.query(`DROP TABLE "people"`);
    await queryRunner.query(`DROP TYPE "public"."person_status"`);
    await queryRunner.query(`DROP TYPE "public"."person_gender"`);
    await queryRunner.query(`DROP INDEX "public"."ix_org_units_parent"`);
    await queryRunner.query(`DROP INDEX "public"."ix_org_units_search"`);
    await queryRunner.query(`DROP INDEX "public"."ix_org_units_path"`);
    await queryRunner.query(`DROP TABLE "org_units"`);
    await queryRunner.query(`DROP TYPE "public"."org_status"`);
    await queryRunner.query(`DROP TYPE "public"."org_sector"`);
    await queryRunner.query(`DROP TYPE "public"."org_level"`);
    await queryRunner.query(`DROP INDEX "public"."ix_refresh_tokens_session"`);
    await queryRunner.query(`DROP TABLE "refresh_tokens"`);
    await queryRunner.query(`DROP INDEX "public"."ix_auth_sessions_user"`);
    await queryRunner.query(`DROP TABLE "auth_sessions"`);
  }
}
