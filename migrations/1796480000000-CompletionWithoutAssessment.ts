import { MigrationInterface, QueryRunner } from 'typeorm';

/** A course without a final assessment completes on its lessons: its transcript line has no score. */
export class CompletionWithoutAssessment1796480000000 implements MigrationInterface {
  name = 'CompletionWithoutAssessment1796480000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "training_records" ALTER COLUMN "score" DROP NOT NULL`);
    await queryRunner.query(`ALTER TABLE "training_records" ALTER COLUMN "grade" DROP NOT NULL`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "training_records" ALTER COLUMN "grade" SET NOT NULL`);
    await queryRunner.query(`ALTER TABLE "training_records" ALTER COLUMN "score" SET NOT NULL`);
  }
}
