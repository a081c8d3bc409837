import { MigrationInterface, QueryRunner } from 'typeorm';

export class DevelopmentPlans1796051299410 implements MigrationInterface {
  name = 'DevelopmentPlans1796051299410';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "enrolments" ADD "due_on" date`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "enrolments" DROP COLUMN "due_on"`);
  }
}
