import { sameCourseSql } from './course-family.sql';

/**
 * The attendance share of the completion rule (issue 17, item 4), as a boolean SQL expression
 * over the enrolment `e` and its course `c`: true when the course has classroom sessions (any
 * not cancelled, of any version) and the learner attended less than the course's
 * attendance_min_percent of the time of the session they are booked on. Attended time is the
 * length of the days marked present or late; absent, excused and unmarked days count as not
 * attended. Without a booking the share is nothing. Compared in whole seconds, multiplied out,
 * so that 80 of 100 minutes is exactly 80 %.
 */
/** The session days of the learner's current booking, with their attendance marks, over `e`/`c`. */
const BOOKED_DAYS_SQL = `FROM session_bookings b
    JOIN class_session_days d ON d.session_id = b.session_id
    LEFT JOIN session_attendance a
      ON a.session_id = d.session_id AND a.day_no = d.day_no AND a.person_id = b.person_id
   WHERE b.person_id = e.person_id AND b.status = 'booked' AND ${sameCourseSql('b.course_id', 'c.id')}`;

/** Seconds of a booked day marked attended (present or late), as an aggregate. */
const ATTENDED_SECONDS = `COALESCE(sum(extract(epoch FROM d.ends_at - d.starts_at))
                    FILTER (WHERE a.status IN ('present', 'late')), 0)`;

/**
 * The hours the learner attended of the session they are booked on (days marked present or
 * late), rounded to two decimals, for the certificate (issue 17, item 4); null without a
 * booked session (a course without classroom sessions prints its duration only).
 */
export const ATTENDED_HOURS_SQL = `(SELECT CASE WHEN count(*) = 0 THEN NULL
            ELSE round((${ATTENDED_SECONDS} / 3600)::numeric, 2) END
    ${BOOKED_DAYS_SQL})`;

/**
 * Whether the attendance share must still wait (parameter $2: the app clock's now): the
 * learner's booked session is not done and has a day that has not ended. The share is judged
 * over the whole session, so a learner past 80 % on day 4 of 5 completes once day 5 is over
 * (a mark then) or when the officer completes the session — and the certificate counts every
 * day attended.
 */
export const ATTENDANCE_PENDING_SQL = `EXISTS (
  SELECT 1 FROM session_bookings b
    JOIN class_sessions s ON s.id = b.session_id
    JOIN class_session_days d ON d.session_id = b.session_id
   WHERE b.person_id = e.person_id AND b.status = 'booked' AND ${sameCourseSql('b.course_id', 'c.id')}
     AND s.status <> 'done' AND d.ends_at > $2::timestamptz)`;

export const ATTENDANCE_SHORT_SQL = `COALESCE((
  SELECT ${ATTENDED_SECONDS} * 100
         < c.attendance_min_percent * sum(extract(epoch FROM d.ends_at - d.starts_at))
    ${BOOKED_DAYS_SQL}
), EXISTS (SELECT 1 FROM class_sessions s
            WHERE ${sameCourseSql('s.course_id', 'c.id')} AND s.status <> 'cancelled'))`;

/**
 * Writes marks of one day in one statement from a JSON list [{person_id, status}]: the current
 * mark is inserted or replaced, and every mark is appended to the change log with the mark it
 * replaced. The statement's snapshot reads the previous marks before they are replaced; callers
 * hold the session row's lock, so no other mark of the session lands in between.
 * Parameters: $1 session, $2 day, $3 marks (jsonb), $4 source, $5 user id.
 */
export const WRITE_MARKS_SQL = `WITH input AS (
  SELECT m.person_id, m.status
    FROM jsonb_to_recordset($3::jsonb) AS m(person_id uuid, status varchar)
), prev AS (
  SELECT a.person_id, a.status FROM session_attendance a
   WHERE a.session_id = $1 AND a.day_no = $2 AND a.person_id IN (SELECT person_id FROM input)
), up AS (
  INSERT INTO session_attendance (session_id, day_no, person_id, status, source, marked_by)
  SELECT $1, $2, i.person_id, i.status, $4, $5 FROM input i
  ON CONFLICT (session_id, day_no, person_id) DO UPDATE
     SET status = EXCLUDED.status, source = EXCLUDED.source, marked_by = EXCLUDED.marked_by,
         marked_at = clock_timestamp()
  RETURNING person_id, status
), log AS (
  INSERT INTO session_attendance_changes
         (session_id, day_no, person_id, previous_status, status, source, changed_by)
  SELECT $1, $2, u.person_id, p.status, u.status, $4, $5
    FROM up u LEFT JOIN prev p ON p.person_id = u.person_id
)
SELECT u.person_id, u.status, p.status AS previous_status
  FROM up u LEFT JOIN prev p ON p.person_id = u.person_id`;
