import { MigrationInterface, QueryRunner } from 'typeorm';

export class NominationsByPost1796482000500 implements MigrationInterface {
  name = 'NominationsByPost1796482000500';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "ix_nominations_post_current" ON "nominations"  ("post_id", "person_id") WHERE status <> 'removed'`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."ix_nominations_post_current"`);
  }
}
