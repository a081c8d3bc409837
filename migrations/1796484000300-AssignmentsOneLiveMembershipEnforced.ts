import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 11, item 6 (schema, second half): the database holds the rule. A member row's
 * programme is its assignment's (composite foreign key, replacing the one on assignment_id
 * alone), and among targeted rows a person appears once per programme and cycle (partial
 * unique index).
 */
export class AssignmentsOneLiveMembershipEnforced1796484000300 implements MigrationInterface {
  name = 'AssignmentsOneLiveMembershipEnforced1796484000300';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "assignment_members" ALTER COLUMN "programme_id" SET NOT NULL`,
    );
    await queryRunner.query(
      `ALTER TABLE "assignment_members" DROP CONSTRAINT "FK_58f03ebcf7c02a3008f479a5a90"`,
    );
    await queryRunner.query(
      `ALTER TABLE "assignment_members" ADD CONSTRAINT "FK_e6c64e8d31736b518a89149d6c1" FOREIGN KEY ("assignment_id", "programme_id") REFERENCES "programme_assignments"("id","programme_id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_assignment_members_live" ON "assignment_members"  ("programme_id", "person_id", "cycle") WHERE targeted`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."uq_assignment_members_live"`);
    await queryRunner.query(
      `ALTER TABLE "assignment_members" DROP CONSTRAINT "FK_e6c64e8d31736b518a89149d6c1"`,
    );
    await queryRunner.query(
      `ALTER TABLE "assignment_members" ADD CONSTRAINT "FK_58f03ebcf7c02a3008f479a5a90" FOREIGN KEY ("assignment_id") REFERENCES "programme_assignments"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "assignment_members" ALTER COLUMN "programme_id" DROP NOT NULL`,
    );
  }
}
