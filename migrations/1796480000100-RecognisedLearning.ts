import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Learning recognised by an officer: an enrolment completed by hand (recognition of prior
 * learning, with the reason and who did it) and training done elsewhere, verified by an officer.
 * Both reach the transcript; neither is ever deleted (an external record is withdrawn).
 */
export class RecognisedLearning1796480000100 implements MigrationInterface {
  name = 'RecognisedLearning1796480000100';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TYPE "public"."completion_method" AS ENUM('rules', 'manual')`);
    await queryRunner.query(
      `ALTER TABLE "enrolments" ADD "completion_method" "public"."completion_method"`,
    );
    await queryRunner.query(`ALTER TABLE "enrolments" ADD "completion_reason" text`);
    await queryRunner.query(`ALTER TABLE "enrolments" ADD "completed_by" uuid`);
    await queryRunner.query(
      `UPDATE "enrolments" SET "completion_method" = 'rules' WHERE "status" = 'completed'`,
    );
    await queryRunner.query(
      `ALTER TABLE "training_records" ADD "recognition" "public"."completion_method" NOT NULL DEFAULT 'rules'`,
    );
    await queryRunner.query(`ALTER TABLE "training_records" ADD "note" text`);
    await queryRunner.query(
      `CREATE TYPE "public"."external_training_status" AS ENUM('verified', 'withdrawn')`,
    );
    await queryRunner.query(
      `CREATE TABLE "external_trainings" (
         "id" uuid NOT NULL DEFAULT gen_random_uuid(),
         "person_id" uuid NOT NULL,
         "title" character varying(300) NOT NULL,
         "provider" character varying(300) NOT NULL,
         "start_on" date NOT NULL,
         "end_on" date NOT NULL,
         "hours" numeric(6,1) NOT NULL,
         "evidence_note" text,
         "status" "public"."external_training_status" NOT NULL DEFAULT 'verified',
         "recorded_by" uuid,
         "verified_by_person_id" uuid,
         "verified_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
         "withdrawn_at" TIMESTAMP WITH TIME ZONE,
         "withdrawn_reason" text,
         "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
         CONSTRAINT "ck_external_trainings_dates" CHECK (end_on >= start_on),
         CONSTRAINT "ck_external_trainings_hours" CHECK (hours > 0),
         CONSTRAINT "ck_external_trainings_withdrawn" CHECK ((status = 'withdrawn') = (withdrawn_at IS NOT NULL)),
         CONSTRAINT "PK_external_trainings" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_external_trainings_person" ON "external_trainings" ("person_id", "end_on") `,
    );
    await queryRunner.query(
      `ALTER TABLE "external_trainings" ADD CONSTRAINT "FK_3475bc4e75389dfeeb25f554d94" FOREIGN KEY ("person_id") REFERENCES "people"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "external_trainings" ADD CONSTRAINT "FK_1cc3d860ab4977cfbd77641cbad" FOREIGN KEY ("verified_by_person_id") REFERENCES "people"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "external_trainings"`);
    await queryRunner.query(`DROP TYPE "public"."external_training_status"`);
    await queryRunner.query(`ALTER TABLE "training_records" DROP COLUMN "note"`);
    await queryRunner.query(`ALTER TABLE "training_records" DROP COLUMN "recognition"`);
    await queryRunner.query(`ALTER TABLE "enrolments" DROP COLUMN "completed_by"`);
    await queryRunner.query(`ALTER TABLE "enrolments" DROP COLUMN "completion_reason"`);
    await queryRunner.query(`ALTER TABLE "enrolments" DROP COLUMN "completion_method"`);
    await queryRunner.query(`DROP TYPE "public"."completion_method"`);
  }
}
