import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Migration 1796057059740-PipelineFacts was edited after it had landed (commits 9a9dd05 and
 * 217574c), so a database holds whichever of its three versions it ran:
 *  1. without the nine-box index and with the org-unit trigger firing on a path change only;
 *  2. with the index, the trigger as in 1;
 *  3. with the index, and the trigger firing on a status change too (an archived unit's posts
 *     leave the pipeline).
 * This brings every one of them to version 3: the index if missing, the trigger function and
 * the trigger re-created as version 3 wrote them. A database of version 1 or 2 may hold facts
 * that missed an archive, so the facts are rebuilt at the next refresh (as_of = null).
 * Migrations that landed are never edited again: a change is a new migration.
 */
export class PipelineFactsRepair1796490000100 implements MigrationInterface {
  name = 'PipelineFactsRepair1796490000100';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX IF NOT EXISTS "ix_pipeline_nominee_facts_box" ON "pipeline_nominee_facts"  ("performance", "best_rank", "sort_key", "person_id") WHERE solo`,
    );
    await queryRunner.query(`DROP TRIGGER IF EXISTS tr_pipeline_mark_unit ON "org_units"`);
    await queryRunner.query(
      `CREATE OR REPLACE FUNCTION pipeline_mark_unit() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     INSERT INTO pipeline_dirty_posts (post_id) SELECT DISTINCT x.post_id FROM (SELECT p.id AS post_id FROM posts p WHERE p.org_unit_id = NEW.id AND p.key_post) x
      WHERE x.post_id IS NOT NULL;
     RETURN NULL;
   END $$`,
    );
    await queryRunner.query(
      `CREATE TRIGGER tr_pipeline_mark_unit AFTER UPDATE ON "org_units" FOR EACH ROW
     WHEN (OLD.path IS DISTINCT FROM NEW.path OR OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION pipeline_mark_unit()`,
    );
    await queryRunner.query(`UPDATE pipeline_facts_state SET as_of = NULL WHERE id = 1`);
  }

  /** Nothing to undo: version 3 is what the PipelineFacts migration now creates itself. */
  public async down(): Promise<void> {}
}
