import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 12, item 3: rate-limit counters live in the database so that every replica behind the
 * load balancer counts the same hits. One row per throttler and tracker (a client address, an
 * account's e-mail), a fixed window; rows whose window ended are pruned as hits come in.
 * Unlogged: counters are worth nothing after a crash, and skipping the WAL keeps a hit cheap.
 */
export class RateLimitHits1796491000000 implements MigrationInterface {
  name = 'RateLimitHits1796491000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE UNLOGGED TABLE "rate_limit_hits" (
         "key" character varying(300) NOT NULL,
         "hits" integer NOT NULL,
         "window_ends_at" TIMESTAMP WITH TIME ZONE NOT NULL,
         CONSTRAINT "pk_rate_limit_hits" PRIMARY KEY ("key"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_rate_limit_hits_window_ends_at" ON "rate_limit_hits" ("window_ends_at")`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "rate_limit_hits"`);
  }
}
