import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 11, item 6 (schema, first half): a person holds at most one live membership of a
 * programme. Members get the programme of their assignment (filled by the next migration, then
 * enforced by the one after), assignments that target someone held elsewhere record it in
 * assignment_also_targets, and the assignment status `completed` (which read as "the learners
 * completed") gets its new name `assigned` beside it — the old label stays in the type, so rows
 * an older release writes during a rolling deploy stay readable (the API reads them as
 * `assigned`).
 */
export class AssignmentsOneLiveMembership1796484000100 implements MigrationInterface {
  name = 'AssignmentsOneLiveMembership1796484000100';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TYPE "public"."assignment_status" ADD VALUE IF NOT EXISTS 'assigned' AFTER 'running'`,
    );
    await queryRunner.query(
      `ALTER TABLE "programme_assignments" ADD CONSTRAINT "uq_programme_assignments_id_programme" UNIQUE ("id", "programme_id")`,
    );
    await queryRunner.query(`ALTER TABLE "assignment_members" ADD "programme_id" uuid`);
    await queryRunner.query(
      `CREATE TABLE "assignment_also_targets" ("assignment_id" uuid NOT NULL, "person_id" uuid NOT NULL, "programme_id" uuid NOT NULL, "org_path" character varying(400) COLLATE "C" NOT NULL, "since" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "targeted" boolean NOT NULL DEFAULT true, "untargeted_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_c92fca4fb666a691bc2b95dcbf0" PRIMARY KEY ("assignment_id", "person_id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_assignment_also_targets_person" ON "assignment_also_targets"  ("programme_id", "person_id") WHERE targeted`,
    );
    await queryRunner.query(
      `ALTER TABLE "assignment_also_targets" ADD CONSTRAINT "FK_3043caf55a52b6eb724de8236e1" FOREIGN KEY ("assignment_id", "programme_id") REFERENCES "programme_assignments"("id","programme_id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "assignment_also_targets" ADD CONSTRAINT "FK_f425af2b63ab35042a9c82e712a" FOREIGN KEY ("person_id") REFERENCES "people"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
  }

  // Going down fails while an assignment says `assigned` (the previous migration's down turns
  // them back into `completed` first).
  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "assignment_also_targets" DROP CONSTRAINT "FK_f425af2b63ab35042a9c82e712a"`,
    );
    await queryRunner.query(
      `ALTER TABLE "assignment_also_targets" DROP CONSTRAINT "FK_3043caf55a52b6eb724de8236e1"`,
    );
    await queryRunner.query(`DROP INDEX "public"."ix_assignment_also_targets_person"`);
    await queryRunner.query(`DROP TABLE "assignment_also_targets"`);
    await queryRunner.query(`ALTER TABLE "assignment_members" DROP COLUMN "programme_id"`);
    await queryRunner.query(
      `ALTER TABLE "programme_assignments" DROP CONSTRAINT "uq_programme_assignments_id_programme"`,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."assignment_status_old" AS ENUM('pending', 'running', 'completed', 'failed', 'rolled_back')`,
    );
    await queryRunner.query(
      `ALTER TABLE "programme_assignments" ALTER COLUMN "status" DROP DEFAULT`,
    );
    await queryRunner.query(
      `ALTER TABLE "programme_assignments" ALTER COLUMN "status" TYPE "public"."assignment_status_old" USING "status"::"text"::"public"."assignment_status_old"`,
    );
    await queryRunner.query(`DROP TYPE "public"."assignment_status"`);
    await queryRunner.query(
      `ALTER TYPE "public"."assignment_status_old" RENAME TO "assignment_status"`,
    );
    await queryRunner.query(
      `ALTER TABLE "programme_assignments" ALTER COLUMN "status" SET DEFAULT 'pending'`,
    );
  }
}
