import { MigrationInterface, QueryRunner } from 'typeorm';

export class LearningEvidence1796048491229 implements MigrationInterface {
  name = 'LearningEvidence1796048491229';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "assessments" ADD "competency_bands" jsonb`);
    await queryRunner.query(`ALTER TABLE "assessment_questions" ADD "competency_lineage_id" uuid`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "assessment_questions" DROP COLUMN "competency_lineage_id"`,
    );
    await queryRunner.query(`ALTER TABLE "assessments" DROP COLUMN "competency_bands"`);
  }
}
