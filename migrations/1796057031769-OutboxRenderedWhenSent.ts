import { MigrationInterface, QueryRunner } from 'typeorm';

export class OutboxRenderedWhenSent1796057031769 implements MigrationInterface {
  name = 'OutboxRenderedWhenSent1796057031769';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "notification_outbox" ALTER COLUMN "subject" DROP NOT NULL`,
    );
    await queryRunner.query(
      `ALTER TABLE "notification_outbox" ALTER COLUMN "subject" DROP DEFAULT`,
    );
    await queryRunner.query(
      `ALTER TABLE "notification_outbox" ALTER COLUMN "body_text" DROP NOT NULL`,
    );
    await queryRunner.query(
      `ALTER TABLE "notification_outbox" ALTER COLUMN "body_text" DROP DEFAULT`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "notification_outbox" ALTER COLUMN "body_text" SET DEFAULT ''`,
    );
    await queryRunner.query(
      `ALTER TABLE "notification_outbox" ALTER COLUMN "body_text" SET NOT NULL`,
    );
    await queryRunner.query(
      `ALTER TABLE "notification_outbox" ALTER COLUMN "subject" SET DEFAULT ''`,
    );
    await queryRunner.query(
      `ALTER TABLE "notification_outbox" ALTER COLUMN "subject" SET NOT NULL`,
    );
  }
}
