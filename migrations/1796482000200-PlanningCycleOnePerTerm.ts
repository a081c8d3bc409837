import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A unit has one planning list per term: no two cycles of a unit that are not closed may
 * overlap in their terms (a closed cycle is history). Overlapping date ranges per unit need
 * an exclusion constraint with btree_gist, which PGlite does not load, so a trigger keeps the
 * invariant: it serialises the writers of one unit's cycles on a transaction-scoped advisory
 * lock, then looks for an overlapping live or draft cycle (a new snapshot per statement, so it
 * sees whatever a writer that held the lock before committed). A violation is reported as an
 * exclusion violation naming ex_planning_cycles_one_per_term. The service takes the same lock
 * and checks first, to answer 409 PLANNING_CYCLE_EXISTS with the cycle it found; the trigger
 * holds for every other writer. Cycles already in the database are not checked (closing one of
 * two duplicates is always allowed).
 */
export class PlanningCycleOnePerTerm1796482000200 implements MigrationInterface {
  name = 'PlanningCycleOnePerTerm1796482000200';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE FUNCTION planning_cycles_one_per_term() RETURNS trigger LANGUAGE plpgsql AS $$
       DECLARE
         other uuid;
       BEGIN
         IF NEW.status = 'closed' THEN
           RETURN NEW;
         END IF;
         PERFORM pg_advisory_xact_lock(
           hashtextextended('planning_cycles:' || NEW.org_unit_id::text, 0));
         SELECT c.id INTO other FROM planning_cycles c
          WHERE c.org_unit_id = NEW.org_unit_id AND c.id <> NEW.id AND c.status <> 'closed'
            AND c.term_start <= NEW.term_end AND NEW.term_start <= c.term_end
          LIMIT 1;
         IF other IS NOT NULL THEN
           RAISE EXCEPTION 'planning cycle % already covers this term of the unit', other
             USING ERRCODE = 'exclusion_violation',
                   CONSTRAINT = 'ex_planning_cycles_one_per_term';
         END IF;
         RETURN NEW;
       END $$`,
    );
    await queryRunner.query(
      `CREATE TRIGGER tr_planning_cycles_one_per_term
       BEFORE INSERT OR UPDATE OF org_unit_id, term_start, term_end, status ON "planning_cycles"
       FOR EACH ROW EXECUTE FUNCTION planning_cycles_one_per_term()`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER tr_planning_cycles_one_per_term ON "planning_cycles"`);
    await queryRunner.query(`DROP FUNCTION planning_cycles_one_per_term()`);
  }
}
