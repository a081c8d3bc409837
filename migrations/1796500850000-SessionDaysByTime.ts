import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 17, the officers' session calendar (GET /sessions?month=): the days of sessions looked
 * up by time, for the sessions with a day in a month.
 */
export class SessionDaysByTime1796500850000 implements MigrationInterface {
  name = 'SessionDaysByTime1796500850000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "ix_class_session_days_starts" ON "class_session_days" ("starts_at", "session_id")`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "ix_class_session_days_starts"`);
  }
}
