import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Data only: planning rules no longer carry a flat retirement age per gender (the statutory
 * roadmap of migration RetirementRoadmap replaces it), so the key leaves the stored rule sets.
 * The audit log keeps every cycle's earlier rules.
 */
export class PlanningRulesWithoutFlatRetirementAge1796482000400 implements MigrationInterface {
  name = 'PlanningRulesWithoutFlatRetirementAge1796482000400';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `UPDATE planning_cycles SET rules = rules - 'retirementAge' WHERE rules ? 'retirementAge'`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `UPDATE planning_cycles
          SET rules = rules || '{"retirementAge": {"male": 62, "female": 60}}'::jsonb`,
    );
  }
}
