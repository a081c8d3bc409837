import { AudienceRule } from './programme.types';

/**
 * The SQL of "the people an audience rule targets", as ONE set-based statement over people,
 * their home unit, current appointments, terms, enrolments and programme members. Columns:
 * person_id, org_path (the home unit's path), sort_key, full_name.
 *
 * Decisions, so that a rule reads the same to every officer:
 * - Everyone lies in the subtree of the assignment's unit by their HOME unit (`rootPath`), and
 *   only active people count.
 * - Post filters (postTypes, appointedSince, withinCurrentTerm) look at appointments current
 *   on `today` (not cancelled, started, not ended). One appointment must meet all of them.
 * - orgLevels / sectors apply to the unit of that appointment's post when a post filter is
 *   given ("chairs of grassroots unions"), else to the person's home unit.
 * - withinCurrentTerm: the appointment started inside the post unit's term that covers today
 *   (elected or appointed in the current term).
 * - notCompletedCourseId: no completed enrolment of that course; notCompletedProgrammeId: no
 *   member row of that programme with completed_at set.
 */
export function audienceSql(
  rule: AudienceRule,
  rootPath: string,
  today: string,
  start = 1,
): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const p = (value: unknown) => {
    params.push(value);
    return `$${start + params.length - 1}`;
  };
  const where: string[] = [`h.path LIKE ${p(`${rootPath}%`)}`, `pe.status = 'active'`];
  if (rule.personIds?.length) where.push(`pe.id = ANY(${p(rule.personIds)}::uuid[])`);

  const postFilter =
    !!rule.postTypes?.length || !!rule.appointedSince || rule.withinCurrentTerm === true;
  const unitConds: string[] = [];
  const unitAlias = postFilter ? 'pu' : 'h';
  if (rule.orgLevels?.length) {
    unitConds.push(`${unitAlias}.level = ANY(${p(rule.orgLevels)}::org_level[])`);
  }
  if (rule.sectors?.length) {
    unitConds.push(`${unitAlias}.sector = ANY(${p(rule.sectors)}::org_sector[])`);
  }
  if (postFilter) {
    const d = p(today);
    const conds = [
      `a.person_id = pe.id`,
      `a.status <> 'cancelled'`,
      `a.start_date <= ${d}::date`,
      `(a.end_date IS NULL OR a.end_date >= ${d}::date)`,
    ];
    if (rule.postTypes?.length) {
      conds.push(`po.post_type = ANY(${p(rule.postTypes)}::post_type[])`);
    }
    if (rule.appointedSince) conds.push(`a.start_date >= ${p(rule.appointedSince)}::date`);
    if (rule.withinCurrentTerm) {
      conds.push(`EXISTS (SELECT 1 FROM terms t
                           WHERE t.org_unit_id = po.org_unit_id
                             AND t.start_date <= ${d}::date AND t.end_date >= ${d}::date
                             AND a.start_date >= t.start_date)`);
    }
    conds.push(...unitConds);
    const joinUnit = unitConds.length ? 'JOIN org_units pu ON pu.id = po.org_unit_id' : '';
    where.push(`EXISTS (SELECT 1 FROM appointments a
                          JOIN posts po ON po.id = a.post_id
                          ${joinUnit}
                         WHERE ${conds.join(' AND ')})`);
  } else {
    where.push(...unitConds);
  }
  if (rule.notCompletedCourseId) {
    where.push(`NOT EXISTS (SELECT 1 FROM enrolments e
                             WHERE e.person_id = pe.id AND e.course_id = ${p(rule.notCompletedCourseId)}::uuid
                               AND e.status = 'completed')`);
  }
  if (rule.notCompletedProgrammeId) {
    where.push(`NOT EXISTS (SELECT 1 FROM assignment_members m
                              JOIN programme_assignments pa ON pa.id = m.assignment_id
                             WHERE m.person_id = pe.id
                               AND pa.programme_id = ${p(rule.notCompletedProgrammeId)}::uuid
                               AND m.completed_at IS NOT NULL)`);
  }
  return {
    sql: `SELECT pe.id AS person_id, h.path AS org_path, pe.sort_key, pe.full_name
            FROM people pe
            JOIN org_units h ON h.id = pe.home_org_unit_id
           WHERE ${where.join('\n             AND ')}`,
    params,
  };
}
