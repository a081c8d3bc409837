import { DataSource } from 'typeorm';

/**
 * Programmes, assignments and members written straight into the tables, so that the
 * notification and recertification suites test their own statements without depending on the
 * shape of the programme API.
 */

export interface ProgrammeFixture {
  code: string;
  title: string;
  courseCodes: string[];
  ownerUnit: string;
  dueDays?: number;
  dueDate?: string;
  validityMonths?: number | null;
  windowDays?: number | null;
  recertProgrammeId?: string | null;
}

export async function createProgramme(ds: DataSource, p: ProgrammeFixture): Promise<string> {
  const [row] = await ds.query<{ id: string }[]>(
    `INSERT INTO programmes (code, title, owner_org_unit_id, due_rule_kind, due_days, due_date,
                             recert_validity_months, recert_window_days, recert_programme_id,
                             status, published_at)
     SELECT $1, $2, o.id, $4::programme_due_rule, $5, $6, $7, $8, $9, 'published', now()
       FROM org_units o WHERE o.code = $3
     RETURNING id`,
    [
      p.code,
      p.title,
      p.ownerUnit,
      p.dueDate ? 'fixed_date' : 'days_after_assignment',
      p.dueDate ? null : (p.dueDays ?? 90),
      p.dueDate ?? null,
      p.validityMonths ?? null,
      p.windowDays ?? null,
      p.recertProgrammeId ?? null,
    ],
  );
  const [set] = await ds.query<{ id: string }[]>(
    `INSERT INTO programme_course_sets (programme_id, position, rule) VALUES ($1, 1, 'any_order')
     RETURNING id`,
    [row.id],
  );
  await ds.query(
    `INSERT INTO programme_set_courses (set_id, course_id, position)
     SELECT $1, c.id, array_position($2::text[], c.code::text) FROM courses c
      WHERE c.code = ANY($2::text[])`,
    [set.id, p.courseCodes],
  );
  return row.id;
}

/** An assignment of named people, with their member rows (cycle 1) due on `dueOn`. */
export async function createAssignment(
  ds: DataSource,
  programmeId: string,
  unitCode: string,
  personIds: string[],
  dueOn: string,
): Promise<string> {
  const [a] = await ds.query<{ id: string }[]>(
    `INSERT INTO programme_assignments (programme_id, org_unit_id, audience, due_rule_kind,
                                        due_days, due_date, status)
     SELECT $1, o.id, jsonb_build_object('personIds', $3::jsonb), 'fixed_date', NULL, $4::date,
            'completed'
       FROM org_units o WHERE o.code = $2
     RETURNING id`,
    [programmeId, unitCode, JSON.stringify(personIds), dueOn],
  );
  await ds.query(
    `INSERT INTO assignment_members (assignment_id, programme_id, person_id, cycle, org_path, due_on)
     SELECT $1, $4, p.id, 1, u.path, $3::date
       FROM people p JOIN org_units u ON u.id = p.home_org_unit_id
      WHERE p.id = ANY($2::uuid[])`,
    [a.id, personIds, dueOn, programmeId],
  );
  return a.id;
}

/** People of a demo unit, by name order (chair first when asked for the chair's unit). */
export async function peopleOf(ds: DataSource, unitCode: string): Promise<string[]> {
  const rows = await ds.query<{ id: string }[]>(
    `SELECT p.id FROM people p JOIN org_units u ON u.id = p.home_org_unit_id
      WHERE u.code = $1 ORDER BY p.sort_key, p.id`,
    [unitCode],
  );
  return rows.map((r) => r.id);
}

export async function personIdByEmail(ds: DataSource, email: string): Promise<string> {
  const [row] = await ds.query<{ person_id: string }[]>(
    'SELECT person_id FROM user_accounts WHERE email = $1',
    [email],
  );
  if (!row) throw new Error(`no account ${email}`);
  return row.person_id;
}

/** Marks the person's latest take of each course completed at the given instant. */
export async function completeCourses(
  ds: DataSource,
  personId: string,
  courseCodes: string[],
  completedAt: string,
): Promise<void> {
  await ds.query(
    `INSERT INTO enrolments (course_id, person_id, status, completed_at)
     SELECT c.id, $1, 'completed', $3::timestamptz FROM courses c
      WHERE c.code = ANY($2::text[])
        AND NOT EXISTS (SELECT 1 FROM enrolments e WHERE e.course_id = c.id AND e.person_id = $1)`,
    [personId, courseCodes, completedAt],
  );
  await ds.query(
    `UPDATE enrolments e SET status = 'completed', completed_at = $3::timestamptz
       FROM courses c
      WHERE c.id = e.course_id AND c.code = ANY($2::text[]) AND e.person_id = $1
        AND e.cycle = (SELECT max(e2.cycle) FROM enrolments e2
                        WHERE e2.course_id = e.course_id AND e2.person_id = e.person_id)`,
    [personId, courseCodes, completedAt],
  );
}
