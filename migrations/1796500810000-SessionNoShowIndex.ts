import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 17, item 6: the no-show rate per unit reads the sessions whose last day ended within a
 * range of dates. Without an index on the days' end times that is a scan of every session day
 * ever held; with it, a range scan of the days that ended in the period (session_id rides along
 * so that the "no later day" check and the join to the session need no heap visit of the day).
 */
export class SessionNoShowIndex1796500810000 implements MigrationInterface {
  name = 'SessionNoShowIndex1796500810000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "ix_class_session_days_ends" ON "class_session_days" ("ends_at", "session_id")`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "ix_class_session_days_ends"`);
  }
}
