import { EntityManager } from 'typeorm';
import { ValiditySubject } from '../certificates/certificate-expiry.service';

/**
 * The certificate validity recertification gives a completed course: the person is a targeted
 * member of an assignment whose programme holds the course and has a recertification policy;
 * the certificate is then valid `recert_validity_months` from the completion's date in Vietnam,
 * through that day (the same arithmetic as the programme's own expires_on: a month added to the
 * 31st ends on the last day of a shorter month). Under several such programmes the earliest day
 * wins. Null when no policy governs the course for this person.
 *
 * Registered with the certificates module by RecertificationService; runs inside the issuing
 * transaction, on two indexed lookups (members by person, set courses by course).
 */
export async function recertificationValidity(
  em: EntityManager,
  subject: ValiditySubject,
): Promise<string | null> {
  const [row] = await em.query<{ last_day: string | null }[]>(
    `SELECT min((($3::timestamptz AT TIME ZONE 'Asia/Ho_Chi_Minh')::date
                 + make_interval(months => p.recert_validity_months))::date)::text AS last_day
       FROM assignment_members m
       JOIN programme_assignments a ON a.id = m.assignment_id
       JOIN programmes p ON p.id = a.programme_id
      WHERE m.person_id = $1 AND m.targeted AND p.recert_validity_months IS NOT NULL
        AND EXISTS (SELECT 1 FROM programme_course_sets cs
                      JOIN programme_set_courses sc ON sc.set_id = cs.id
                     WHERE cs.programme_id = p.id AND sc.course_id = $2)`,
    [subject.personId, subject.courseId, subject.completedAt],
  );
  return row?.last_day ?? null;
}
