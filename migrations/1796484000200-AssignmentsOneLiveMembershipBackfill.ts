import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 11, item 6 (data): every member row learns its assignment's programme; where a person
 * held several live memberships of one programme (the bug this fixes), one assignment keeps it
 * — the one where the person completed it, else the earliest — and each other one records that
 * it also targets the person; its member rows are no longer targeted (kept: history is never
 * deleted; enrolments are per person and course, so no progress is lost). Assignments that
 * finished their run say `assigned`.
 */
export class AssignmentsOneLiveMembershipBackfill1796484000200 implements MigrationInterface {
  name = 'AssignmentsOneLiveMembershipBackfill1796484000200';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `UPDATE "assignment_members" m SET "programme_id" = a."programme_id"
         FROM "programme_assignments" a
        WHERE a."id" = m."assignment_id" AND m."programme_id" IS NULL`,
    );
    await queryRunner.query(
      `WITH live AS (
         SELECT m.programme_id, m.person_id, m.assignment_id,
                bool_or(m.completed_at IS NOT NULL) AS completed, min(m.assigned_at) AS since,
                min(m.org_path) AS org_path
           FROM assignment_members m
          WHERE m.targeted
          GROUP BY m.programme_id, m.person_id, m.assignment_id
       ), ranked AS (
         SELECT l.*, row_number() OVER (
                  PARTITION BY l.programme_id, l.person_id
                  ORDER BY l.completed DESC, l.since, l.assignment_id) AS rank
           FROM live l
       ), also AS (
         INSERT INTO assignment_also_targets
                (assignment_id, programme_id, person_id, org_path, since)
         SELECT r.assignment_id, r.programme_id, r.person_id, r.org_path, r.since
           FROM ranked r WHERE r.rank > 1
         ON CONFLICT DO NOTHING
         RETURNING assignment_id, person_id
       )
       UPDATE assignment_members m SET targeted = false, untargeted_at = now()
         FROM ranked r
        WHERE r.rank > 1 AND m.assignment_id = r.assignment_id AND m.person_id = r.person_id
          AND m.targeted`,
    );
    await queryRunner.query(
      `UPDATE "programme_assignments" SET "status" = 'assigned' WHERE "status" = 'completed'`,
    );
  }

  // The duplicate memberships it resolved stay resolved (nothing tells them apart any more).
  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `UPDATE "programme_assignments" SET "status" = 'completed' WHERE "status" = 'assigned'`,
    );
  }
}
