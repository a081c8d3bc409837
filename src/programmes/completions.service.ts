import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { memberStatsLateral } from './progress.sql';

/**
 * Stamps completed_at (and expires_on, under the programme's recertification validity) on
 * member rows whose enrolments now satisfy the programme's set rules. Progress itself is always
 * computed live from enrolments; the stamp is what recertification, the learner's own list and
 * the notCompletedProgrammeId audience rule read. Set-based and idempotent. A course completion
 * stamps the learner's own memberships in its transaction (CourseParticipation), so the
 * programme shows completed with its expiry at once; an audience that needs it runs it for that
 * programme, and recertification's daily scan for everyone as a net (completions written by SQL
 * outside the service, or before this was so).
 * Enrolments live in the courses module, which must not depend on programmes, so completion is
 * picked up here rather than pushed from EnrolmentsService.
 */
export async function stampCompletions(
  em: EntityManager,
  programmeId?: string,
  personId?: string,
): Promise<number> {
  const params: unknown[] = [];
  let only = '';
  if (programmeId) {
    params.push(programmeId);
    only += ` AND pa.programme_id = $${params.length}`;
  }
  if (personId) {
    params.push(personId);
    only += ` AND m.person_id = $${params.length}`;
  }
  const rows = await em.query<{ n: number }[]>(
    `WITH done AS (
         SELECT m.assignment_id, m.person_id, m.cycle, st.done_at, pr.recert_validity_months
           FROM assignment_members m
           JOIN programme_assignments pa ON pa.id = m.assignment_id
           JOIN programmes pr ON pr.id = pa.programme_id
           CROSS JOIN ${memberStatsLateral('pa.programme_id')} st
          WHERE m.completed_at IS NULL AND st.complete${only}
       ), upd AS (
         UPDATE assignment_members m
            SET completed_at = d.done_at,
                expires_on = CASE WHEN d.recert_validity_months IS NULL THEN NULL
                  ELSE ((d.done_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date
                        + make_interval(months => d.recert_validity_months))::date END
           FROM done d
          WHERE m.assignment_id = d.assignment_id AND m.person_id = d.person_id
            AND m.cycle = d.cycle
         RETURNING 1
       )
       SELECT count(*)::int AS n FROM upd`,
    params,
  );
  return rows[0]?.n ?? 0;
}

@Injectable()
export class ProgrammeCompletionsService {
  stamp(em: EntityManager, programmeId?: string): Promise<number> {
    return stampCompletions(em, programmeId);
  }
}
