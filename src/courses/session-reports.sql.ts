/**
 * Reports over classroom sessions (issue 17, item 6).
 *
 * NO-SHOW, the one definition every report here uses: a booking that still holds its seat
 * (status 'booked': cancelled and moved bookings are not counted at all) whose person was marked
 * neither present nor late on any day of the session, unless they were excused on every day.
 * So an unmarked day counts as not attended (nobody saw them), an excused absence on every day
 * is not a no-show (they asked in time), and one day present or late is enough to have shown.
 * In SQL, over the session's days d LEFT JOIN the person's marks a:
 *   count(present|late) = 0 AND count(excused) < count(days).
 */
export const NO_SHOW_SQL = `(count(*) FILTER (WHERE a.status IN ('present', 'late')) = 0
   AND count(*) FILTER (WHERE a.status = 'excused') < count(*))`;

/** Current post titles of a person `p` ('; '-joined), for the sheet's "Chức vụ" column. */
const POSTS_OF_PERSON = `(SELECT string_agg(po.title, '; ' ORDER BY ap.start_date, po.title)
    FROM appointments ap JOIN posts po ON po.id = ap.post_id
   WHERE ap.person_id = p.id AND ap.status = 'active')`;

/**
 * The booked people of session $1 with their marks (one per day, in day order; null where
 * unmarked) and the seconds of the days they attended (present or late). One statement; the
 * marks come from the session's primary keys. National ID numbers are not read.
 */
export const SHEET_PEOPLE_SQL = `SELECT p.full_name, o.name AS unit_name, ${POSTS_OF_PERSON} AS posts,
       m.marks, m.attended_seconds
  FROM session_bookings b
  JOIN people p ON p.id = b.person_id
  JOIN org_units o ON o.id = p.home_org_unit_id
  CROSS JOIN LATERAL (
    SELECT array_agg(a.status ORDER BY d.day_no) AS marks,
           COALESCE(sum(extract(epoch FROM d.ends_at - d.starts_at))
                      FILTER (WHERE a.status IN ('present', 'late')), 0)::float8 AS attended_seconds
      FROM class_session_days d
      LEFT JOIN session_attendance a
        ON a.session_id = d.session_id AND a.day_no = d.day_no AND a.person_id = b.person_id
     WHERE d.session_id = b.session_id) m
 WHERE b.session_id = $1 AND b.status = 'booked'
 ORDER BY p.sort_key, p.id`;

/** Days of session $1 in order. */
export const SESSION_DAYS_SQL = `SELECT day_no, starts_at, ends_at FROM class_session_days
  WHERE session_id = $1 ORDER BY day_no`;

/** Instructors of session $1 (people) by name; outside trainers come from the session row. */
export const SESSION_INSTRUCTORS_SQL = `SELECT p.full_name FROM class_session_instructors i
  JOIN people p ON p.id = i.person_id WHERE i.session_id = $1 ORDER BY p.sort_key, p.id`;

/** Bookings of session $1 counted by status. */
export const BOOKING_COUNTS_SQL = `SELECT
    (count(*) FILTER (WHERE status = 'booked'))::int AS booked,
    (count(*) FILTER (WHERE status = 'waitlisted'))::int AS waitlisted,
    (count(*) FILTER (WHERE status = 'cancelled'))::int AS cancelled,
    (count(*) FILTER (WHERE status = 'moved'))::int AS moved
  FROM session_bookings WHERE session_id = $1`;

/** Per day of session $1: the marks of the people booked now, by status. */
export const DAY_COUNTS_SQL = `SELECT d.day_no, d.starts_at, d.ends_at,
    (count(*) FILTER (WHERE a.status = 'present'))::int AS present,
    (count(*) FILTER (WHERE a.status = 'late'))::int AS late,
    (count(*) FILTER (WHERE a.status = 'absent'))::int AS absent,
    (count(*) FILTER (WHERE a.status = 'excused'))::int AS excused,
    (count(b.id) FILTER (WHERE a.status IS NULL))::int AS unmarked
  FROM class_session_days d
  LEFT JOIN session_bookings b ON b.session_id = d.session_id AND b.status = 'booked'
  LEFT JOIN session_attendance a
    ON a.session_id = d.session_id AND a.day_no = d.day_no AND a.person_id = b.person_id
 WHERE d.session_id = $1
 GROUP BY d.day_no, d.starts_at, d.ends_at
 ORDER BY d.day_no`;

/**
 * The no-shows among the people booked on session $1 now (NO_SHOW_SQL), over the days that
 * have ended by $2: a day still to come makes no one a no-show, and before the first day has
 * ended there are none.
 */
export const SESSION_NO_SHOWS_SQL = `SELECT count(*)::int AS no_shows FROM (
  SELECT b.id
    FROM session_bookings b
    JOIN class_session_days d ON d.session_id = b.session_id
    LEFT JOIN session_attendance a
      ON a.session_id = d.session_id AND a.day_no = d.day_no AND a.person_id = b.person_id
   WHERE b.session_id = $1 AND b.status = 'booked' AND d.ends_at <= $2
   GROUP BY b.id
  HAVING ${NO_SHOW_SQL}) x`;

/**
 * No-shows per child unit of a unit, in one statement. Parameters: $1 the unit's id, $2 its path,
 * $3 the first instant counted (the `from` day's midnight in Vietnam), $4 the instant after the
 * last (the day after `to`, midnight in Vietnam).
 * - ended: sessions that are done and whose last day ends in [$3, $4) — found from the days by
 *   ix_class_session_days_ends (a range of end times), the last day being the one no other day
 *   of the session ends after;
 * - per_booking: each booking still holding its seat on such a session, of a person whose home
 *   unit lies in the subtree ($2), with its bucket — the path of the child unit it falls under
 *   (the path one segment below $2; the unit's own people have the unit's path) — and whether
 *   it is a no-show (NO_SHOW_SQL over the session's days);
 * then every child unit with its counts (zeros where none), and the whole subtree as one more
 * row (unit_id null).
 */
export const UNIT_NO_SHOWS_SQL = `WITH ended AS (
  SELECT d.session_id
    FROM class_session_days d
    JOIN class_sessions s ON s.id = d.session_id AND s.status = 'done'
   WHERE d.ends_at >= $3 AND d.ends_at < $4
     AND NOT EXISTS (SELECT 1 FROM class_session_days l
                      WHERE l.session_id = d.session_id AND l.ends_at > d.ends_at)
),
per_booking AS (
  SELECT substr(o.path, 1, length($2) + strpos(substr(o.path, length($2) + 1), '/')) AS bucket,
         ${NO_SHOW_SQL} AS no_show
    FROM ended e
    JOIN session_bookings b ON b.session_id = e.session_id AND b.status = 'booked'
    JOIN people p ON p.id = b.person_id
    JOIN org_units o ON o.id = p.home_org_unit_id
    JOIN class_session_days d ON d.session_id = b.session_id
    LEFT JOIN session_attendance a
      ON a.session_id = d.session_id AND a.day_no = d.day_no AND a.person_id = b.person_id
   WHERE o.path LIKE $2 || '%'
   GROUP BY b.id, o.path
),
per_bucket AS (
  SELECT bucket, count(*)::int AS booked, (count(*) FILTER (WHERE no_show))::int AS no_shows
    FROM per_booking GROUP BY bucket
)
SELECT k.id AS unit_id, k.code, k.name, COALESCE(pb.booked, 0) AS booked,
       COALESCE(pb.no_shows, 0) AS no_shows, k.sort_key, 0 AS is_total
  FROM org_units k
  LEFT JOIN per_bucket pb ON pb.bucket = k.path
 WHERE k.parent_id = $1
UNION ALL
SELECT NULL, NULL, NULL, COALESCE(sum(booked), 0)::int, COALESCE(sum(no_shows), 0)::int, NULL, 1
  FROM per_bucket
ORDER BY is_total, sort_key, unit_id`;
