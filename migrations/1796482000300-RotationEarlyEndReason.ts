import { MigrationInterface, QueryRunner } from 'typeorm';

export class RotationEarlyEndReason1796482000300 implements MigrationInterface {
  name = 'RotationEarlyEndReason1796482000300';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "rotations" ADD "early_end_reason" character varying(1000)`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "rotations" DROP COLUMN "early_end_reason"`);
  }
}
