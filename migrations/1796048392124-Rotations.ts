import { MigrationInterface, QueryRunner } from 'typeorm';

export class Rotations1796048392124 implements MigrationInterface {
  name = 'Rotations1796048392124';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TYPE "public"."rotation_status" AS ENUM('planned', 'active', 'completed', 'cancelled')`,
    );
    await queryRunner.query(
      `CREATE TABLE "rotations" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "person_id" uuid NOT NULL, "from_post_id" uuid, "from_org_unit_id" uuid NOT NULL, "to_post_id" uuid NOT NULL, "to_org_unit_id" uuid NOT NULL, "start_date" date NOT NULL, "planned_end_date" date NOT NULL, "actual_end_date" date, "purpose" character varying(1000) NOT NULL, "status" "public"."rotation_status" NOT NULL DEFAULT 'planned', "from_appointment_id" uuid, "to_appointment_id" uuid, "return_appointment_id" uuid, "end_evaluation" text, "end_score" numeric(5,2), "end_level" "public"."evaluation_level", "cancel_reason" character varying(500), "created_by" uuid, "updated_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_rotations_completed" CHECK (status <> 'completed' OR (actual_end_date IS NOT NULL AND end_evaluation IS NOT NULL)), CONSTRAINT "ck_rotations_end_score" CHECK (end_score IS NULL OR (end_score >= 0 AND end_score <= 100)), CONSTRAINT "ck_rotations_actual_end" CHECK (actual_end_date IS NULL OR actual_end_date >= start_date), CONSTRAINT "ck_rotations_dates" CHECK (planned_end_date > start_date), CONSTRAINT "PK_5a7a0bdcb317671fa616b21f982" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "ux_rotations_active_person" ON "rotations"  ("person_id") WHERE status = 'active'`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_rotations_to_unit" ON "rotations"  ("to_org_unit_id", "start_date", "id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_rotations_person" ON "rotations"  ("person_id", "start_date", "id") `,
    );
    await queryRunner.query(
      `ALTER TABLE "rotations" ADD CONSTRAINT "FK_671ec32f9ed45b821c3bfffa396" FOREIGN KEY ("person_id") REFERENCES "people"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "rotations" ADD CONSTRAINT "FK_bbb9ed77c5bfef15dadb672beb9" FOREIGN KEY ("from_post_id") REFERENCES "posts"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "rotations" ADD CONSTRAINT "FK_e6793a974d712e589391cff0645" FOREIGN KEY ("from_org_unit_id") REFERENCES "org_units"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "rotations" ADD CONSTRAINT "FK_4b8707298a8bf9da97cf6cfe0f7" FOREIGN KEY ("to_post_id") REFERENCES "posts"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "rotations" ADD CONSTRAINT "FK_7025ae7a6f5869b52ebc9d8b3b5" FOREIGN KEY ("to_org_unit_id") REFERENCES "org_units"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "rotations" ADD CONSTRAINT "FK_688c259c5add8d1dcc0321ee120" FOREIGN KEY ("from_appointment_id") REFERENCES "appointments"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "rotations" ADD CONSTRAINT "FK_4e9057989c5bbb37da923c65b15" FOREIGN KEY ("to_appointment_id") REFERENCES "appointments"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "rotations" ADD CONSTRAINT "FK_88ee4eb6098f67e75f9d360f090" FOREIGN KEY ("return_appointment_id") REFERENCES "appointments"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "rotations" DROP CONSTRAINT "FK_88ee4eb6098f67e75f9d360f090"`,
    );
    await queryRunner.query(
      `ALTER TABLE "rotations" DROP CONSTRAINT "FK_4e9057989c5bbb37da923c65b15"`,
    );
    await queryRunner.query(
      `ALTER TABLE "rotations" DROP CONSTRAINT "FK_688c259c5add8d1dcc0321ee120"`,
    );
    await queryRunner.query(
      `ALTER TABLE "rotations" DROP CONSTRAINT "FK_7025ae7a6f5869b52ebc9d8b3b5"`,
    );
    await queryRunner.query(
      `ALTER TABLE "rotations" DROP CONSTRAINT "FK_4b8707298a8bf9da97cf6cfe0f7"`,
    );
    await queryRunner.query(
      `ALTER TABLE "rotations" DROP CONSTRAINT "FK_e6793a974d712e589391cff0645"`,
    );
    await queryRunner.query(
      `ALTER TABLE "rotations" DROP CONSTRAINT "FK_bbb9ed77c5bfef15dadb672beb9"`,
    );
    await queryRunner.query(
      `ALTER TABLE "rotations" DROP CONSTRAINT "FK_671ec32f9ed45b821c3bfffa396"`,
    );
    await queryRunner.query(`DROP INDEX "public"."ix_rotations_person"`);
    await queryRunner.query(`DROP INDEX "public"."ix_rotations_to_unit"`);
    await queryRunner.query(`DROP INDEX "public"."ux_rotations_active_person"`);
    await queryRunner.query(`DROP TABLE "rotations"`);
    await queryRunner.query(`DROP TYPE "public"."rotation_status"`);
  }
}
