import { PGlite } from '@electric-sql/pglite';
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../src/database/data-source-options';
import { AssignmentsService } from '../src/programmes/assignments.service';
import { RecertificationService } from '../src/programmes/recertification.service';
import { expectError } from './expect-error';
import {
  adminQuery,
  copyPgliteDir,
  openPgliteCopy,
  PGLITE_DIR_ENV,
  preparedPgliteDir,
  TEMPLATE_DB_ENV,
  withDatabase,
} from './support/databases';
import { peopleOf, personIdByEmail } from './support/programme-fixtures';
import { bearer, createTestApp, DEMO, TestApp } from './support/test-app';
import { todayVn } from '../src/common/dates/vietnam-dates';

jest.setTimeout(120_000);

/** Today in Vietnam plus `n` days, yyyy-MM-dd. */
function inDays(n: number): string {
  return new Date(Date.parse(`${todayVn()}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

interface RunBody {
  assignment: { id: string; status: string };
  matched: number;
  added: number;
  untargeted: number;
  retargeted: number;
}

async function courseId(ds: DataSource, code: string): Promise<string> {
  const [row] = await ds.query<{ id: string }[]>(`SELECT id FROM courses WHERE code = $1`, [code]);
  return row.id;
}

/** A published programme of one set, straight in the database (the API is tested elsewhere). */
async function insertProgramme(ds: DataSource, code: string, courses: string[]): Promise<string> {
  const [p] = await ds.query<{ id: string }[]>(
    `INSERT INTO programmes (code, title, owner_org_unit_id, due_rule_kind, due_days, status,
                             published_at)
     SELECT $1::text, 'Chương trình ' || $1::text, id, 'days_after_assignment', 30, 'published', now()
       FROM org_units WHERE code = 'HN'
     RETURNING id`,
    [code],
  );
  await ds.query(
    `WITH s AS (INSERT INTO programme_course_sets (programme_id, position, rule)
                VALUES ($1, 1, 'any_order') RETURNING id)
     INSERT INTO programme_set_courses (set_id, course_id, position)
     SELECT s.id, c.id, x.pos FROM s
       CROSS JOIN unnest($2::text[]) WITH ORDINALITY AS x(code, pos)
       JOIN courses c ON c.code = x.code`,
    [p.id, courses],
  );
  return p.id;
}

describe('assignments', () => {
  let t: TestApp;
  let hanoi: string;
  let may: string;
  let chairId: string;
  const officer = () => bearer(t.tokens.officerHanoi);

  const publishedProgramme = async (courses: string[]) => {
    const code = `P-${randomBytes(3).toString('hex').toUpperCase()}`;
    return insertProgramme(t.dataSource, code, courses);
  };

  const counts = async (programmeId: string) => {
    const [row] = await t.dataSource.query<
      { assignments: number; members: number; enrolments: number; duplicates: number }[]
    >(
      `SELECT (SELECT count(*)::int FROM programme_assignments WHERE programme_id = $1) AS assignments,
              (SELECT count(*)::int FROM assignment_members m
                 JOIN programme_assignments a ON a.id = m.assignment_id
                WHERE a.programme_id = $1) AS members,
              (SELECT count(*)::int FROM enrolments e
                WHERE e.course_id IN (SELECT sc.course_id FROM programme_set_courses sc
                                        JOIN programme_course_sets s ON s.id = sc.set_id
                                       WHERE s.programme_id = $1)) AS enrolments,
              (SELECT count(*)::int FROM (SELECT course_id, person_id FROM enrolments
                                           GROUP BY course_id, person_id HAVING count(*) > 1) d)
                AS duplicates`,
      [programmeId],
    );
    return row;
  };

  beforeAll(async () => {
    t = await createTestApp({ ASSIGNMENT_ASYNC_THRESHOLD: '8', ASSIGNMENT_JOB_POLL_MS: '100' });
    hanoi = await t.unitId('HN');
    may = await t.unitId('HN-HD-MAY');
    chairId = await personIdByEmail(t.dataSource, DEMO.chair);
  });

  afterAll(async () => {
    await t.close();
  });

  it('re-running adds only people who newly match and untargets those who left', async () => {
    const programmeId = await publishedProgramme(['K04', 'K05']);
    const res = await t.http
      .post(`/api/v1/programmes/${programmeId}/assignments`)
      .set(officer())
      .send({ audience: { orgUnitId: hanoi, postTypes: ['chair'] } })
      .expect(201);
    const first = res.body as RunBody;
    expect(first).toMatchObject({ matched: 6, added: 6, untargeted: 0, retargeted: 0 });
    // The targeting is done ("assigned"); how far the learners are is progress, not status.
    expect(first.assignment.status).toBe('assigned');
    expect(await counts(programmeId)).toMatchObject({ members: 6, enrolments: 12, duplicates: 0 });
    // The "assigned" message of each new member is in the outbox, written with the members.
    const [told] = await t.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM notification_outbox o
         JOIN assignment_members m ON m.person_id = o.person_id AND m.assignment_id = $1
        WHERE o.event = 'assigned'`,
      [first.assignment.id],
    );
    expect(told.n).toBe(6);

    // One chair's appointment ends; a new chair is appointed at the upper unit HN-HD.
    const [leaving] = await t.dataSource.query<{ id: string; person_id: string }[]>(
      `SELECT a.id, a.person_id FROM appointments a JOIN posts po ON po.id = a.post_id
         JOIN org_units o ON o.id = po.org_unit_id
        WHERE po.post_type = 'chair' AND o.code = 'HN-TL-DIEN'`,
    );
    await t.dataSource.query(
      `UPDATE appointments SET status = 'ended', end_date = CURRENT_DATE - 1 WHERE id = $1`,
      [leaving.id],
    );
    const [joining] = await t.dataSource.query<{ id: string }[]>(
      `SELECT pe.id FROM people pe JOIN org_units o ON o.id = pe.home_org_unit_id
        WHERE o.code = 'HN' ORDER BY pe.sort_key LIMIT 1`,
    );
    await t.dataSource.query(
      `WITH po AS (INSERT INTO posts (org_unit_id, post_type, title, employment, single_holder, key_post)
                   SELECT id, 'chair', 'Chủ tịch', 'full_time', true, true FROM org_units WHERE code = 'HN-HD'
                   RETURNING id)
       INSERT INTO appointments (person_id, post_id, method, start_date, status)
       SELECT $1, po.id, 'elected', CURRENT_DATE - 10, 'active' FROM po`,
      [joining.id],
    );
    const again = await t.http
      .post(`/api/v1/assignments/${first.assignment.id}/run`)
      .set(officer())
      .expect(200);
    expect(again.body).toMatchObject({ matched: 6, added: 1, untargeted: 1, retargeted: 0 });
    expect(await counts(programmeId)).toMatchObject({ members: 7, enrolments: 14, duplicates: 0 });
    const [kept] = await t.dataSource.query<{ targeted: boolean; untargeted_at: Date | null }[]>(
      `SELECT targeted, untargeted_at FROM assignment_members WHERE assignment_id = $1 AND person_id = $2`,
      [first.assignment.id, leaving.person_id],
    );
    expect(kept.targeted).toBe(false);
    expect(kept.untargeted_at).not.toBeNull();
    // A third run changes nothing.
    const third = await t.http
      .post(`/api/v1/assignments/${first.assignment.id}/run`)
      .set(officer())
      .expect(200);
    expect(third.body).toMatchObject({ matched: 6, added: 0, untargeted: 0, retargeted: 0 });
    // Re-runs (not first runs: the "told already" test applies) told only the newcomer: each of
    // the 7 members has exactly one mention of the assignment in one "assigned" message.
    const mentions = await t.dataSource.query<{ person_id: string; n: number }[]>(
      `SELECT o.person_id, count(*)::int AS n
         FROM notification_outbox o, jsonb_array_elements(o.payload->'programmes') x
        WHERE o.event = 'assigned' AND x->>'assignmentId' = $1
        GROUP BY o.person_id`,
      [first.assignment.id],
    );
    expect(mentions).toHaveLength(7);
    expect(mentions.every((m) => m.n === 1)).toBe(true);
    expect(mentions.map((m) => m.person_id)).toContain(joining.id);
    const progress = await t.http
      .get(`/api/v1/assignments/${first.assignment.id}/progress?byUnit=true`)
      .set(officer())
      .expect(200);
    expect(progress.body.counts.total).toBe(6);
    expect(progress.body.untargeted).toBe(1);
    const units = progress.body.byUnit as { name: string; total: number }[];
    expect(units.reduce((n, u) => n + u.total, 0)).toBe(6);
    expect(units.length).toBeGreaterThanOrEqual(2);
    // Scope and role.
    expectError(
      await t.http
        .post(`/api/v1/assignments/${first.assignment.id}/run`)
        .set(bearer(t.tokens.officerBacNinh)),
      404,
      'ASSIGNMENT_NOT_FOUND',
    );
    expectError(
      await t.http
        .post(`/api/v1/assignments/${first.assignment.id}/run`)
        .set(bearer(t.tokens.hrHanoi)),
      403,
      'FORBIDDEN',
    );
    expectError(
      await t.http
        .get(`/api/v1/assignments/${first.assignment.id}/progress`)
        .set(bearer(t.tokens.officerBacNinh)),
      404,
      'ASSIGNMENT_NOT_FOUND',
    );
    expectError(
      await t.http
        .get(`/api/v1/assignments/${first.assignment.id}/progress`)
        .set(bearer(t.tokens.chair)),
      403,
      'FORBIDDEN',
    );
  });

  it('a run that fails mid-way leaves nothing: no assignment, member or enrolment', async () => {
    const programmeId = await publishedProgramme(['K04', 'K05']);
    // K05 is archived after the programme was published: the run fails after writing members.
    await t.dataSource.query(`UPDATE courses SET status = 'archived' WHERE code = 'K05'`);
    const before = await counts(programmeId);
    try {
      expectError(
        await t.http
          .post(`/api/v1/programmes/${programmeId}/assignments`)
          .set(officer())
          .send({ audience: { orgUnitId: hanoi, postTypes: ['chair'] } }),
        409,
        'PROGRAMME_COURSE_UNAVAILABLE',
      );
      expect(await counts(programmeId)).toEqual({ ...before, assignments: 0, members: 0 });
    } finally {
      await t.dataSource.query(`UPDATE courses SET status = 'published' WHERE code = 'K05'`);
    }
  });

  it('the daily scan writes the "assigned" messages a crash after a job’s commit left out', async () => {
    const programmeId = await publishedProgramme(['K02']);
    const res = await t.http
      .post(`/api/v1/programmes/${programmeId}/assignments`)
      .set(officer())
      .send({ audience: { orgUnitId: hanoi, orgLevels: ['grassroots'] } })
      .expect(202);
    const { jobId, assignmentId } = res.body as { jobId: string; assignmentId: string };
    const messages = async () => {
      const [row] = await t.dataSource.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM notification_outbox
          WHERE event = 'assigned' AND payload->'programmes' @> $1::jsonb`,
        [JSON.stringify([{ assignmentId }])],
      );
      return row.n;
    };
    for (let i = 0; i < 100; i += 1) {
      const poll = await t.http.get(`/api/v1/assignment-jobs/${jobId}`).set(officer());
      if ((poll.body as { status: string }).status === 'done' && (await messages()) === 18) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(await messages()).toBe(18);
    // As if the process had died between the job's commit and its messages.
    await t.dataSource.query(
      `DELETE FROM notification_outbox
        WHERE event = 'assigned' AND payload->'programmes' @> $1::jsonb`,
      [JSON.stringify([{ assignmentId }])],
    );
    const scan = t.app.get(RecertificationService);
    const first = await scan.runDailyScan();
    expect(first.notifications.assigned).toBeGreaterThanOrEqual(18);
    expect(await messages()).toBe(18);
    const again = await scan.runDailyScan();
    expect(again.notifications.assigned).toBe(0);
    expect(await messages()).toBe(18);

    // The other order: the scan told some members (just after midnight) before the job's own
    // write came, dated the day of the job's commit (the day before). That write sees messages
    // of the assignment already there and tells only the others, once each.
    await t.dataSource.query(
      `DELETE FROM notification_outbox
        WHERE id IN (SELECT id FROM notification_outbox
                      WHERE event = 'assigned' AND payload->'programmes' @> $1::jsonb
                      ORDER BY id LIMIT 7)`,
      [JSON.stringify([{ assignmentId }])],
    );
    expect(await messages()).toBe(11);
    const assignments = t.app.get(AssignmentsService);
    const commitDay = new Date(Date.parse(`${todayVn()}T00:00:00Z`) - 86_400_000)
      .toISOString()
      .slice(0, 10);
    expect(await assignments.notifyAssigned(assignmentId, true, commitDay)).toBe(7);
    expect(await messages()).toBe(18);
    const [{ dup }] = await t.dataSource.query<{ dup: number }[]>(
      `SELECT count(*)::int AS dup FROM (
         SELECT person_id FROM notification_outbox
          WHERE event = 'assigned' AND payload->'programmes' @> $1::jsonb
          GROUP BY person_id HAVING count(*) > 1) d`,
      [JSON.stringify([{ assignmentId }])],
    );
    expect(dup).toBe(0);
  });

  it('a large audience answers 202 with a job that completes; progress is polled', async () => {
    const programmeId = await publishedProgramme(['K03']);
    const res = await t.http
      .post(`/api/v1/programmes/${programmeId}/assignments`)
      .set(officer())
      .send({ audience: { orgUnitId: hanoi, orgLevels: ['grassroots'] } })
      .expect(202);
    const { jobId, assignmentId, matched } = res.body as {
      jobId: string;
      assignmentId: string;
      matched: number;
    };
    expect(matched).toBe(18);
    let job: { status: string; processed: number; total: number } | undefined;
    for (let i = 0; i < 100; i += 1) {
      const poll = await t.http.get(`/api/v1/assignment-jobs/${jobId}`).set(officer()).expect(200);
      job = poll.body as typeof job;
      if (job!.status === 'done' || job!.status === 'failed') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(job).toMatchObject({ status: 'done', processed: 18, total: 18 });
    expect(await counts(programmeId)).toMatchObject({ assignments: 1, members: 18 });
    // The "assigned" messages follow the job's commit, in a transaction of their own.
    const told = async () => {
      const [row] = await t.dataSource.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM notification_outbox o
           JOIN assignment_members m ON m.person_id = o.person_id AND m.assignment_id = $1
          WHERE o.event = 'assigned' AND o.payload->'programmes' @> $2::jsonb`,
        [assignmentId, JSON.stringify([{ assignmentId }])],
      );
      return row.n;
    };
    for (let i = 0; i < 100 && (await told()) < 18; i += 1) {
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(await told()).toBe(18);
    expectError(
      await t.http.get(`/api/v1/assignment-jobs/${jobId}`).set(bearer(t.tokens.officerBacNinh)),
      404,
      'ASSIGNMENT_JOB_NOT_FOUND',
    );
    expectError(
      await t.http.get(`/api/v1/assignment-jobs/${jobId}`).set(bearer(t.tokens.chair)),
      403,
      'FORBIDDEN',
    );
    const a = await t.http.get(`/api/v1/assignments/${assignmentId}`).set(officer()).expect(200);
    expect(a.body.status).toBe('assigned');
    // The job's run is audited in its own transaction, for the officer who queued it.
    const audit = await t.http
      .get('/api/v1/audit')
      .query({ entityType: 'programme_assignment', entityId: assignmentId })
      .set(bearer(t.tokens.admin))
      .expect(200);
    const [officerUser] = await t.dataSource.query<{ id: string }[]>(
      `SELECT id FROM user_accounts WHERE email = $1`,
      [DEMO.officerHanoi],
    );
    expect(audit.body.items).toEqual([
      expect.objectContaining({
        action: 'programme_assignment.run',
        actorUserId: officerUser.id,
        after: expect.objectContaining({ jobId, matched: 18, added: 18 }),
      }),
      expect.objectContaining({
        action: 'programme_assignment.create',
        actorUserId: officerUser.id,
        after: expect.objectContaining({ matched: 18, audience: { orgLevels: ['grassroots'] } }),
      }),
    ]);
  });

  it('overdue from due dates: counts, the overdue list (keyset) and the CSV', async () => {
    const programmeId = await publishedProgramme(['K02']);
    const res = await t.http
      .post(`/api/v1/programmes/${programmeId}/assignments`)
      .set(officer())
      .send({ audience: { orgUnitId: hanoi, postTypes: ['vice_chair'] }, dueDate: inDays(30) })
      .expect(201);
    const id = (res.body as RunBody).assignment.id;
    // Time passes: the due date (never in the past when assigned) is now behind us.
    await t.dataSource.query(
      `UPDATE assignment_members SET due_on = '2025-01-31' WHERE assignment_id = $1`,
      [id],
    );
    // One vice-chair has completed K02 already: completed, not overdue.
    const [done] = await t.dataSource.query<{ person_id: string }[]>(
      `SELECT person_id FROM assignment_members WHERE assignment_id = $1 ORDER BY person_id LIMIT 1`,
      [id],
    );
    await t.dataSource.query(
      `UPDATE enrolments SET status = 'completed', completed_at = now()
        WHERE person_id = $1 AND course_id = $2`,
      [done.person_id, await courseId(t.dataSource, 'K02')],
    );
    const progress = await t.http
      .get(`/api/v1/assignments/${id}/progress`)
      .set(officer())
      .expect(200);
    expect(progress.body.counts).toEqual({
      total: 6,
      not_started: 0,
      in_progress: 0,
      completed: 1,
      overdue: 5,
    });
    const page1 = await t.http
      .get(`/api/v1/assignments/${id}/overdue?limit=3`)
      .set(officer())
      .expect(200);
    expect(page1.body.items).toHaveLength(3);
    expect(page1.body.items[0]).toMatchObject({
      dueOn: '2025-01-31',
      completedCourses: 0,
      requiredCourses: 1,
      daysOverdue: expect.any(Number),
    });
    const page2 = await t.http
      .get(`/api/v1/assignments/${id}/overdue?limit=3&cursor=${page1.body.nextCursor as string}`)
      .set(officer())
      .expect(200);
    expect(page2.body.items).toHaveLength(2);
    expect(page2.body.nextCursor).toBeNull();
    const ids = [...page1.body.items, ...page2.body.items].map(
      (i: { personId: string }) => i.personId,
    );
    expect(new Set(ids).size).toBe(5);
    expect(ids).not.toContain(done.person_id);
    const csv = await t.http
      .get(`/api/v1/assignments/${id}/export.csv`)
      .set(officer())
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    const body = csv.body as Buffer;
    expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = body.toString('utf8').slice(1);
    const lines = text.trim().split('\r\n');
    expect(lines[0]).toBe(
      'Họ và tên,Đơn vị,Hạn hoàn thành,Trạng thái,Số khóa đã hoàn thành,Số khóa yêu cầu,Ngày hoàn thành',
    );
    expect(lines).toHaveLength(7);
    expect(lines.filter((l) => l.includes('Quá hạn'))).toHaveLength(5);
    expect(lines.filter((l) => l.includes('Đã hoàn thành'))).toHaveLength(1);
    expect(text).toContain('31/01/2025');
  });

  it('refuses bad assignment bodies with details (400)', async () => {
    const programmeId = await publishedProgramme(['K02']);
    expectError(
      await t.http
        .post(`/api/v1/programmes/${programmeId}/assignments`)
        .set(officer())
        .send({ audience: { postTypes: [] }, dueDate: 'tomorrow' }),
      400,
      'VALIDATION_FAILED',
      ['audience.orgUnitId', 'audience.postTypes', 'dueDate'],
    );
    expectError(
      await t.http.post(`/api/v1/programmes/${programmeId}/assignments`).set(officer()).send({}),
      400,
      'VALIDATION_FAILED',
      ['audience'],
    );
  });

  it('refuses bad input — wrong types, unknown fields, other people’s ids — and never backdates', async () => {
    const programmeId = await publishedProgramme(['K02']);
    const url = `/api/v1/programmes/${programmeId}/assignments`;
    expectError(
      await t.http
        .post(url)
        .set(officer())
        .send({
          audience: { orgUnitId: hanoi, personIds: 'x', withinCurrentTerm: 'yes', extra: 1 },
          dueDate: 20270101,
          note: 'x',
        }),
      400,
      'VALIDATION_FAILED',
      ['audience.personIds', 'audience.withinCurrentTerm', 'audience.extra', 'dueDate', 'note'],
    );
    expectError(
      await t.http
        .post(url)
        .set(officer())
        .send({ audience: { orgUnitId: hanoi }, dueDate: '2027-02-30' }),
      400,
      'VALIDATION_FAILED',
      ['dueDate'],
    );
    const [bacNinhPerson] = await peopleOf(t.dataSource, 'BN-YP-SAMSUNG');
    expectError(
      await t.http
        .post(url)
        .set(officer())
        .send({ audience: { orgUnitId: hanoi, personIds: [bacNinhPerson] } }),
      404,
      'PERSON_NOT_FOUND',
      ['audience.personIds[0]'],
    );
    expectError(
      await t.http
        .post(url)
        .set(officer())
        .send({ audience: { orgUnitId: await t.unitId('BN') } }),
      404,
      'ORG_UNIT_NOT_FOUND',
    );
    expectError(
      await t.http
        .post(url)
        .set(bearer(t.tokens.officerBacNinh))
        .send({ audience: { orgUnitId: await t.unitId('BN') } }),
      404,
      'PROGRAMME_NOT_FOUND',
    );
    expectError(
      await t.http
        .post(url)
        .set(bearer(t.tokens.hrHanoi))
        .send({ audience: { orgUnitId: hanoi } }),
      403,
      'FORBIDDEN',
    );
    // A due date before today is refused (422); today is fine.
    const body = (dueDate: string) => ({
      audience: { orgUnitId: may, personIds: [chairId] },
      dueDate,
    });
    const yesterday = inDays(-1);
    const refused = await t.http.post(url).set(officer()).send(body(yesterday));
    expectError(refused, 422, 'DUE_DATE_IN_PAST', ['dueDate']);
    const dd = (iso: string) => iso.split('-').reverse().join('/');
    expect(refused.body.message).toBe(
      `Hạn hoàn thành ${dd(yesterday)} đã qua: hãy chọn hạn từ hôm nay (${dd(todayVn())}) trở đi.`,
    );
    const en = await t.http
      .post(url)
      .set(officer())
      .set('Accept-Language', 'en')
      .send(body(yesterday));
    expect(en.body.message).toMatch(/^The due date .* has passed/);
    expect(await counts(programmeId)).toMatchObject({ assignments: 0, members: 0 });
    // A programme whose own fixed date has passed cannot be assigned without a new date.
    await t.dataSource.query(
      `UPDATE programmes SET due_rule_kind = 'fixed_date', due_days = NULL, due_date = $2
        WHERE id = $1`,
      [programmeId, yesterday],
    );
    expectError(
      await t.http
        .post(url)
        .set(officer())
        .send({ audience: { orgUnitId: may, personIds: [chairId] } }),
      422,
      'DUE_DATE_IN_PAST',
      ['dueDate'],
    );
    const today = await t.http.post(url).set(officer()).send(body(todayVn())).expect(201);
    const id = (today.body as RunBody).assignment.id;
    const [member] = await t.dataSource.query<{ due_on: string }[]>(
      `SELECT due_on::text AS due_on FROM assignment_members WHERE assignment_id = $1`,
      [id],
    );
    expect(member.due_on).toBe(todayVn());
    // Once its date has passed, a re-run would add people overdue at once: refused.
    await t.dataSource.query(`UPDATE programme_assignments SET due_date = $2 WHERE id = $1`, [
      id,
      yesterday,
    ]);
    expectError(
      await t.http.post(`/api/v1/assignments/${id}/run`).set(officer()),
      422,
      'ASSIGNMENT_DUE_DATE_PASSED',
    );
  });

  describe('one live membership per person and programme', () => {
    let programmeId: string;
    let narrow: string;
    let wide: string;
    let wideCount: number;
    let viceChairId: string;
    const homes = new Map<string, string>();

    const liveMemberships = () =>
      t.dataSource.query<{ person_id: string; n: number }[]>(
        `SELECT person_id, count(DISTINCT assignment_id)::int AS n FROM assignment_members
          WHERE programme_id = $1 AND targeted GROUP BY person_id ORDER BY person_id`,
        [programmeId],
      );
    const moveHome = async (personId: string, unitCode: string) => {
      const [row] = await t.dataSource.query<{ home_org_unit_id: string }[]>(
        `SELECT home_org_unit_id FROM people WHERE id = $1`,
        [personId],
      );
      if (!homes.has(personId)) homes.set(personId, row.home_org_unit_id);
      await t.dataSource.query(
        `UPDATE people SET home_org_unit_id = (SELECT id FROM org_units WHERE code = $2)
          WHERE id = $1`,
        [personId, unitCode],
      );
    };

    afterAll(async () => {
      for (const [personId, unitId] of homes) {
        await t.dataSource.query(`UPDATE people SET home_org_unit_id = $2 WHERE id = $1`, [
          personId,
          unitId,
        ]);
      }
    });

    it('a second assignment records that it also targets them; the learner sees it once', async () => {
      programmeId = await publishedProgramme(['K04']);
      [{ person_id: viceChairId }] = await t.dataSource.query<{ person_id: string }[]>(
        `SELECT a.person_id FROM appointments a JOIN posts po ON po.id = a.post_id
           JOIN org_units o ON o.id = po.org_unit_id
          WHERE o.code = 'HN-HD-MAY' AND po.post_type = 'vice_chair' AND a.status = 'active'`,
      );
      const url = `/api/v1/programmes/${programmeId}/assignments`;
      const first = await t.http
        .post(url)
        .set(officer())
        .send({
          audience: { orgUnitId: may, personIds: [chairId, viceChairId] },
          dueDate: inDays(60),
        })
        .expect(201);
      narrow = (first.body as RunBody).assignment.id;
      expect(first.body).toMatchObject({ matched: 2, added: 2, alsoTargeted: 0 });
      // Chairs and vice-chairs of the grassroots unions under HN-HD (the MAY pair among them).
      const audience = {
        orgUnitId: await t.unitId('HN-HD'),
        postTypes: ['chair', 'vice_chair'],
        orgLevels: ['grassroots'],
      };
      const preview = await t.http
        .post(`/api/v1/programmes/${programmeId}/audience-preview`)
        .set(officer())
        .send({ audience })
        .expect(200);
      wideCount = preview.body.count as number;
      expect(wideCount).toBeGreaterThan(4);
      const second = await t.http
        .post(url)
        .set(officer())
        .send({ audience, dueDate: inDays(30) })
        .expect(201);
      wide = (second.body as RunBody).assignment.id;
      expect(second.body).toMatchObject({
        matched: wideCount,
        added: wideCount - 2,
        alsoTargeted: 2,
        untargeted: 0,
        kept: 0,
      });
      // Nobody holds the programme twice; the chair keeps the first assignment's due date.
      const live = await liveMemberships();
      expect(live).toHaveLength(wideCount);
      expect(live.every((r) => r.n === 1)).toBe(true);
      const [held] = await t.dataSource.query<{ assignment_id: string; due_on: string }[]>(
        `SELECT assignment_id, due_on::text AS due_on FROM assignment_members
          WHERE programme_id = $1 AND person_id = $2`,
        [programmeId, chairId],
      );
      expect(held).toEqual({ assignment_id: narrow, due_on: inDays(60) });
      const mine = await t.http.get('/api/v1/me/assignments').set(bearer(t.tokens.chair));
      const items = (mine.body.items as { programme: { id: string } }[]).filter(
        (i) => i.programme.id === programmeId,
      );
      expect(items).toHaveLength(1);
      // One "assigned" message per person for the programme: the chair was told once.
      const [told] = await t.dataSource.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM notification_outbox o,
                jsonb_array_elements(o.payload->'programmes') x
          WHERE o.event = 'assigned' AND o.person_id = $1 AND x->>'programmeId' = $2`,
        [chairId, programmeId],
      );
      expect(told.n).toBe(1);
      // The database itself refuses a second live membership.
      await expect(
        t.dataSource.query(
          `INSERT INTO assignment_members (assignment_id, programme_id, person_id, cycle,
                                           org_path, due_on)
           VALUES ($1, $2, $3, 1, '/x/', $4)`,
          [wide, programmeId, chairId, inDays(30)],
        ),
      ).rejects.toThrow(/uq_assignment_members_live/);
      // The programme's assignments with their counts, newest first, page by page.
      const page1 = await t.http
        .get(`/api/v1/programmes/${programmeId}/assignments`)
        .query({ limit: 1 })
        .set(officer())
        .expect(200);
      expect(page1.body.items).toEqual([
        expect.objectContaining({
          id: wide,
          status: 'assigned',
          counts: {
            targeted: wideCount,
            members: wideCount - 2,
            alsoTargeted: 2,
            completed: 0,
            untargeted: 0,
          },
        }),
      ]);
      const page2 = await t.http
        .get(`/api/v1/programmes/${programmeId}/assignments`)
        .query({ limit: 1, cursor: page1.body.nextCursor as string })
        .set(bearer(t.tokens.hrHanoi))
        .expect(200);
      expect(page2.body).toEqual({
        items: [
          expect.objectContaining({
            id: narrow,
            counts: { targeted: 2, members: 2, alsoTargeted: 0, completed: 0, untargeted: 0 },
          }),
        ],
        nextCursor: null,
      });
      // Progress of the wide assignment counts everyone it targets.
      const progress = await t.http
        .get(`/api/v1/assignments/${wide}/progress`)
        .set(officer())
        .expect(200);
      expect(progress.body).toMatchObject({
        counts: { total: wideCount, not_started: wideCount },
        alsoTargeted: 2,
        untargeted: 0,
      });
    });

    it('a re-run never untargets someone who started, completed or is targeted elsewhere', async () => {
      // The vice-chair's home moves to another union under HN-HD: out of the first assignment's
      // unit, still a vice-chair of a grassroots union under HN-HD (the second's audience).
      await moveHome(viceChairId, 'HN-HD-THPT');
      const again = await t.http.post(`/api/v1/assignments/${narrow}/run`).set(officer());
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({ matched: 1, added: 0, untargeted: 0, kept: 1 });
      // Three members of the wide assignment move to the federation office (not grassroots):
      // one has started K04, one completed it, one has not begun.
      const others = await t.dataSource.query<{ person_id: string }[]>(
        `SELECT person_id FROM assignment_members WHERE assignment_id = $1 ORDER BY person_id
          LIMIT 3`,
        [wide],
      );
      const [started, completed, idle] = others.map((o) => o.person_id);
      const k04 = await courseId(t.dataSource, 'K04');
      await t.dataSource.query(
        `UPDATE enrolments SET status = 'in_progress' WHERE person_id = $1 AND course_id = $2`,
        [started, k04],
      );
      await t.dataSource.query(
        `UPDATE enrolments SET status = 'completed', completed_at = now()
          WHERE person_id = $1 AND course_id = $2`,
        [completed, k04],
      );
      for (const p of [started, completed, idle]) await moveHome(p, 'HN');
      const rerun = await t.http.post(`/api/v1/assignments/${wide}/run`).set(officer());
      expect(rerun.status).toBe(200);
      expect(rerun.body).toMatchObject({
        matched: wideCount - 3,
        added: 0,
        untargeted: 1,
        kept: 2,
        alsoTargeted: 2,
      });
      const targeted = await t.dataSource.query<{ person_id: string; targeted: boolean }[]>(
        `SELECT person_id, targeted FROM assignment_members
          WHERE assignment_id = $1 AND person_id = ANY($2::uuid[])`,
        [wide, [started, completed, idle]],
      );
      expect(Object.fromEntries(targeted.map((r) => [r.person_id, r.targeted]))).toEqual({
        [started]: true,
        [completed]: true,
        [idle]: false,
      });
      // The vice-chair is still held by the first assignment, targeted by the second.
      const again2 = await t.http.post(`/api/v1/assignments/${narrow}/run`).set(officer());
      expect(again2.body).toMatchObject({ untargeted: 0, kept: 1 });
      const list = await t.http
        .get(`/api/v1/programmes/${programmeId}/assignments`)
        .set(officer())
        .expect(200);
      const byId = new Map(
        (list.body.items as { id: string; counts: Record<string, number> }[]).map((i) => [
          i.id,
          i.counts,
        ]),
      );
      expect(byId.get(wide)).toEqual({
        targeted: wideCount - 1,
        members: wideCount - 3,
        alsoTargeted: 2,
        completed: 0,
        untargeted: 1,
      });
      expect((await liveMemberships()).every((r) => r.n === 1)).toBe(true);
    });

    it('an assignment whose people are all held elsewhere closes its records when they leave', async () => {
      const other = await publishedProgramme(['K05']);
      const url = `/api/v1/programmes/${other}/assignments`;
      const holder = await t.http
        .post(url)
        .set(officer())
        .send({ audience: { orgUnitId: may, personIds: [chairId] } })
        .expect(201);
      const second = await t.http
        .post(url)
        .set(officer())
        .send({ audience: { orgUnitId: await t.unitId('HN-HD'), personIds: [chairId] } })
        .expect(201);
      expect(second.body).toMatchObject({ matched: 1, added: 0, alsoTargeted: 1 });
      const countsOf = async (id: string) =>
        (
          (await t.http.get(url).set(officer()).expect(200)).body.items as {
            id: string;
            counts: Record<string, number>;
          }[]
        ).find((i) => i.id === id)?.counts;
      expect(await countsOf(second.body.assignment.id as string)).toMatchObject({
        targeted: 1,
        members: 0,
        alsoTargeted: 1,
      });
      // The chair moves out of HN-HD: the second assignment no longer targets them, and then
      // the first (holding, not started) lets them go.
      await moveHome(chairId, 'HN');
      const rerun = await t.http
        .post(`/api/v1/assignments/${second.body.assignment.id as string}/run`)
        .set(officer())
        .expect(200);
      expect(rerun.body).toMatchObject({ matched: 0, alsoTargeted: 0 });
      expect(await countsOf(second.body.assignment.id as string)).toMatchObject({
        targeted: 0,
        alsoTargeted: 0,
      });
      const first = await t.http
        .post(`/api/v1/assignments/${holder.body.assignment.id as string}/run`)
        .set(officer())
        .expect(200);
      expect(first.body).toMatchObject({ matched: 0, untargeted: 1, kept: 0 });
    });

    it('audits every assignment and re-run: who, when, the rule, the counts', async () => {
      const [officerUser] = await t.dataSource.query<{ id: string; person_id: string }[]>(
        `SELECT id, person_id FROM user_accounts WHERE email = $1`,
        [DEMO.officerHanoi],
      );
      const res = await t.http
        .get('/api/v1/audit')
        .query({ entityType: 'programme_assignment', entityId: wide })
        .set(bearer(t.tokens.hrHanoi))
        .expect(200);
      const entries = res.body.items as {
        action: string;
        actorUserId: string;
        actorPersonId: string;
        at: string;
        after: Record<string, unknown>;
      }[];
      expect(entries.map((e) => e.action)).toEqual([
        'programme_assignment.run',
        'programme_assignment.run',
        'programme_assignment.create',
      ]);
      for (const e of entries) {
        expect(e).toMatchObject({
          actorUserId: officerUser.id,
          actorPersonId: officerUser.person_id,
        });
        expect(e.after).toMatchObject({
          programmeId,
          audience: { postTypes: ['chair', 'vice_chair'], orgLevels: ['grassroots'] },
          dueDate: inDays(30),
        });
      }
      expect(entries[0].after).toMatchObject({
        matched: wideCount - 3,
        added: 0,
        untargeted: 1,
        kept: 2,
        alsoTargeted: 2,
        jobId: null,
      });
      expect(entries[1].after).toMatchObject({ matched: wideCount, added: wideCount - 2 });
      expect(Date.parse(entries[0].at)).toBeGreaterThan(Date.parse(entries[2].at));
      // Outside the reader's scope: nothing.
      const other = await t.http
        .get('/api/v1/audit')
        .query({ entityType: 'programme_assignment', entityId: wide })
        .set(bearer(t.tokens.officerBacNinh));
      expect(other.status).toBe(403);
    });
  });

  it('lists a programme’s assignments within the reader’s scope; refuses bad queries', async () => {
    // A national programme (owned by the confederation) assigned by both federations.
    const [p] = await t.dataSource.query<{ id: string }[]>(
      `INSERT INTO programmes (code, title, owner_org_unit_id, due_rule_kind, due_days, status,
                               published_at)
       SELECT 'P-QG-' || substr(md5(random()::text), 1, 6), 'Chương trình toàn quốc', id,
              'days_after_assignment', 30, 'published', now()
         FROM org_units WHERE code = 'VGCL'
       RETURNING id`,
    );
    await t.dataSource.query(
      `WITH s AS (INSERT INTO programme_course_sets (programme_id, position, rule)
                  VALUES ($1, 1, 'any_order') RETURNING id)
       INSERT INTO programme_set_courses (set_id, course_id, position)
       SELECT s.id, c.id, 1 FROM s JOIN courses c ON c.code = 'K05'`,
      [p.id],
    );
    const url = `/api/v1/programmes/${p.id}/assignments`;
    const mine = await t.http
      .post(url)
      .set(officer())
      .send({ audience: { orgUnitId: may, personIds: [chairId] } })
      .expect(201);
    const [bnPerson] = await peopleOf(t.dataSource, 'BN-YP-SAMSUNG');
    const theirs = await t.http
      .post(url)
      .set(bearer(t.tokens.officerBacNinh))
      .send({ audience: { orgUnitId: await t.unitId('BN-YP-SAMSUNG'), personIds: [bnPerson] } })
      .expect(201);
    const ids = async (token: string) =>
      ((await t.http.get(url).set(bearer(token)).expect(200)).body.items as { id: string }[]).map(
        (i) => i.id,
      );
    expect(await ids(t.tokens.officerHanoi)).toEqual([mine.body.assignment.id]);
    expect(await ids(t.tokens.officerBacNinh)).toEqual([theirs.body.assignment.id]);
    expect(await ids(t.tokens.admin)).toEqual([theirs.body.assignment.id, mine.body.assignment.id]);
    // A programme outside the reader's catalogue answers 404; a learner 403.
    const hanoiOnly = await publishedProgramme(['K03']);
    expectError(
      await t.http
        .get(`/api/v1/programmes/${hanoiOnly}/assignments`)
        .set(bearer(t.tokens.officerBacNinh)),
      404,
      'PROGRAMME_NOT_FOUND',
    );
    expectError(await t.http.get(url).set(bearer(t.tokens.chair)), 403, 'FORBIDDEN');
    expectError(
      await t.http.get(url).query({ limit: 0, extra: 1 }).set(officer()),
      400,
      'VALIDATION_FAILED',
      ['limit', 'extra'],
    );
    expectError(
      await t.http.get(url).query({ cursor: 'bm9wZQ' }).set(officer()),
      400,
      'INVALID_CURSOR',
    );
    expectError(
      await t.http.get('/api/v1/programmes/not-a-uuid/assignments').set(officer()),
      400,
      'VALIDATION_FAILED',
    );
    // A row written by an older release says "completed": read as "assigned".
    await t.dataSource.query(
      `UPDATE programme_assignments SET status = 'completed' WHERE id = $1`,
      [mine.body.assignment.id],
    );
    const legacy = await t.http
      .get(`/api/v1/assignments/${mine.body.assignment.id as string}`)
      .set(officer())
      .expect(200);
    expect(legacy.body.status).toBe('assigned');
    expect((await t.http.get(url).set(officer())).body.items[0].status).toBe('assigned');
  });

  it('enrolments of a run carry the due date; an earlier one stands, a finished take is left', async () => {
    const programmeId = await publishedProgramme(['K02']);
    const k02 = await courseId(t.dataSource, 'K02');
    const people = await peopleOf(t.dataSource, 'HN-HD-HTX');
    expect(people.length).toBeGreaterThanOrEqual(3);
    const [later, earlier, done] = people;
    const due = inDays(45);
    await t.dataSource.query(
      `INSERT INTO enrolments (course_id, person_id, due_on, status, completed_at)
       VALUES ($1, $2, $3, 'enrolled', NULL), ($1, $4, $5, 'enrolled', NULL),
              ($1, $6, $7, 'completed', now())
       ON CONFLICT (course_id, person_id, cycle) DO UPDATE
          SET due_on = EXCLUDED.due_on, status = EXCLUDED.status,
              completed_at = EXCLUDED.completed_at`,
      [k02, later, inDays(90), earlier, inDays(10), done, inDays(90)],
    );
    await t.http
      .post(`/api/v1/programmes/${programmeId}/assignments`)
      .set(officer())
      .send({ audience: { orgUnitId: await t.unitId('HN-HD-HTX') }, dueDate: due })
      .expect(201);
    const rows = await t.dataSource.query<{ person_id: string; due_on: string }[]>(
      `SELECT person_id, due_on::text AS due_on FROM enrolments
        WHERE course_id = $1 AND person_id = ANY($2::uuid[])`,
      [k02, people],
    );
    const dueOf = Object.fromEntries(rows.map((r) => [r.person_id, r.due_on]));
    expect(dueOf[later]).toBe(due);
    expect(dueOf[earlier]).toBe(inDays(10));
    expect(dueOf[done]).toBe(inDays(90));
    for (const p of people.slice(3)) expect(dueOf[p]).toBe(due);
  });
});

/**
 * The crash test: the app runs in a child process, the job pauses between batches (a test
 * hook), the test kill -9s it after the first batch — and finds no member row at all; then the
 * app boots again, reclaims the orphaned job (stale heartbeat) and completes it.
 */
describe('assignment job killed mid-way', () => {
  let url: string | undefined;
  let dataDir: string | undefined;
  let drop: (() => Promise<void>) | undefined;

  /** A DataSource on the crash test's database; PGlite only while no child holds it. */
  const withDb = async <T>(fn: (ds: DataSource) => Promise<T>): Promise<T> => {
    let pglite: PGlite | undefined;
    let ds: DataSource;
    if (url) {
      ds = new DataSource(dataSourceOptions({ url }));
    } else {
      pglite = new PGlite(dataDir);
      await pglite.waitReady;
      ds = new DataSource(dataSourceOptions({ pglite }));
    }
    await ds.initialize();
    try {
      return await fn(ds);
    } finally {
      await ds.destroy();
      await pglite?.close();
    }
  };

  const startChild = (env: Record<string, string>): { child: ChildProcess; lines: string[] } => {
    const child = spawn(
      process.execPath,
      ['-r', '@swc-node/register', 'test/support/assignment-job-child.ts'],
      {
        cwd: join(__dirname, '..'),
        env: {
          ...process.env,
          NODE_ENV: 'test',
          LOG_LEVEL: 'silent',
          SEED_DEMO: 'false',
          ASSIGNMENT_BATCH_SIZE: '2',
          ASSIGNMENT_JOB_POLL_MS: '100',
          ASSIGNMENT_JOB_STALE_SECONDS: '1',
          ...(url ? { DATABASE_URL: url } : { DATABASE_URL: '', DATA_DIR: dataDir! }),
          ...env,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const lines: string[] = [];
    let buffer = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      const parts = buffer.split('\n');
      buffer = parts.pop()!;
      lines.push(...parts);
    });
    child.stderr.on('data', (chunk: Buffer) => process.stderr.write(chunk));
    return { child, lines };
  };

  const waitFor = async (lines: string[], test: (l: string) => boolean, what: string) => {
    for (let i = 0; i < 1200; i += 1) {
      if (lines.some(test)) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`timed out waiting for ${what}; got ${lines.join(' | ')}`);
  };

  const exited = (child: ChildProcess) =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve();
      else child.once('exit', () => resolve());
    });

  beforeAll(async () => {
    const baseUrl = process.env.DATABASE_URL;
    if (baseUrl) {
      const name = `lms_t_${randomBytes(6).toString('hex')}`;
      await adminQuery(
        baseUrl,
        `CREATE DATABASE "${name}" TEMPLATE "${process.env[TEMPLATE_DB_ENV]!}"`,
      );
      url = withDatabase(baseUrl, name);
      drop = () => adminQuery(baseUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    } else {
      const copy = copyPgliteDir(preparedPgliteDir(PGLITE_DIR_ENV));
      dataDir = copy.dir;
      drop = async () => copy.remove();
    }
  });

  afterAll(async () => {
    await drop?.();
  });

  it('leaves no half assignment, then completes after a restart', async () => {
    const setup = await withDb(async (ds) => {
      const programmeId = await insertProgramme(ds, 'P-CRASH', ['K04']);
      const [a] = await ds.query<{ id: string }[]>(
        `INSERT INTO programme_assignments (programme_id, org_unit_id, audience, due_rule_kind, due_days)
         SELECT $1, id, '{"postTypes":["chair","vice_chair"]}'::jsonb, 'days_after_assignment', 30
           FROM org_units WHERE code = 'HN'
         RETURNING id`,
        [programmeId],
      );
      const [job] = await ds.query<{ id: string }[]>(
        `INSERT INTO assignment_jobs (assignment_id, total) VALUES ($1, 12) RETURNING id`,
        [a.id],
      );
      return { assignmentId: a.id, jobId: job.id, k04: await courseId(ds, 'K04') };
    });
    const state = () =>
      withDb(async (ds) => {
        const [row] = await ds.query<
          {
            members: number;
            enrolments: number;
            messages: number;
            status: string;
            attempts: number;
          }[]
        >(
          `SELECT (SELECT count(*)::int FROM assignment_members WHERE assignment_id = $1) AS members,
                  (SELECT count(*)::int FROM enrolments WHERE course_id = $3) AS enrolments,
                  (SELECT count(*)::int FROM notification_outbox
                    WHERE event = 'assigned' AND payload->'programmes' @> $4::jsonb) AS messages,
                  j.status, j.attempts
             FROM assignment_jobs j WHERE j.id = $2`,
          [
            setup.assignmentId,
            setup.jobId,
            setup.k04,
            JSON.stringify([{ assignmentId: setup.assignmentId }]),
          ],
        );
        return row;
      });

    const first = startChild({ ASSIGNMENT_JOB_TEST_DELAY_MS: '60000' });
    await waitFor(
      first.lines,
      (l) => l.startsWith('progress') && l.includes('"processed":2'),
      'the first batch',
    );
    first.child.kill('SIGKILL');
    await exited(first.child);

    const between = await state();
    expect(between).toMatchObject({
      members: 0,
      enrolments: 0,
      messages: 0,
      status: 'running',
      attempts: 1,
    });

    await new Promise((r) => setTimeout(r, 1200)); // the heartbeat goes stale
    const second = startChild({});
    await waitFor(second.lines, (l) => l.startsWith('finished'), 'the job to finish');
    expect(second.lines.find((l) => l.startsWith('finished'))).toContain('"status":"done"');
    await waitFor(second.lines, (l) => l.startsWith('notified'), 'the messages');
    expect(second.lines.find((l) => l.startsWith('notified'))).toContain('"messages":12');
    second.child.kill('SIGTERM');
    await exited(second.child);

    // The messages were queued after the job's commit: all of them, exactly once.
    expect(await state()).toEqual({
      members: 12,
      enrolments: 12,
      messages: 12,
      status: 'done',
      attempts: 2,
    });
  });
});

/**
 * The migrations of issue 11 on a database that holds the old bug: two live memberships of one
 * programme for one person. The suite's template is taken back before them (their down
 * migrations), the duplicates are written in the old shape, and migrating again resolves them:
 * one assignment keeps the membership, the other records that it also targets the person.
 */
describe('migrating a database with duplicate memberships', () => {
  let ds: DataSource;
  let close: () => Promise<void>;

  beforeAll(async () => {
    const baseUrl = process.env.DATABASE_URL;
    if (baseUrl) {
      const name = `lms_t_${randomBytes(6).toString('hex')}`;
      await adminQuery(
        baseUrl,
        `CREATE DATABASE "${name}" TEMPLATE "${process.env[TEMPLATE_DB_ENV]!}"`,
      );
      ds = new DataSource(dataSourceOptions({ url: withDatabase(baseUrl, name) }));
      await ds.initialize();
      close = async () => {
        await ds.destroy();
        await adminQuery(baseUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      };
    } else {
      const { pglite, remove } = await openPgliteCopy(preparedPgliteDir(PGLITE_DIR_ENV));
      ds = new DataSource(dataSourceOptions({ pglite }));
      await ds.initialize();
      close = async () => {
        await ds.destroy();
        await pglite.close();
        remove();
      };
    }
  });

  afterAll(async () => {
    await close?.();
  });

  it('keeps one membership per person and programme, and records the other assignment', async () => {
    const ours = [
      'OutboxOnePendingPerDay1796484000400',
      'AssignmentsOneLiveMembershipEnforced1796484000300',
      'AssignmentsOneLiveMembershipBackfill1796484000200',
      'AssignmentsOneLiveMembership1796484000100',
    ];
    const stampOf = (name: string) => Number(/(\d{13})$/.exec(name)![1]);
    const undone: string[] = [];
    // Later migrations go down first (each must be able to), then ours, newest first.
    for (;;) {
      const [last] = await ds.query<{ name: string }[]>(
        `SELECT name FROM migrations ORDER BY id DESC LIMIT 1`,
      );
      if (stampOf(last.name) < stampOf(ours[ours.length - 1])) break;
      undone.push(last.name);
      await ds.undoLastMigration({ transaction: 'each' });
    }
    expect(undone.slice(-ours.length)).toEqual(ours);
    // The old shape: no programme on member rows, a status called "completed".
    const programmeId = await insertProgramme(ds, 'P-MIGR', ['K04']);
    const people = await peopleOf(ds, 'HN-HD-MAY');
    const [early, late] = await ds.query<{ id: string }[]>(
      `INSERT INTO programme_assignments (programme_id, org_unit_id, audience, due_rule_kind,
                                          due_days, status, created_at)
       SELECT $1, o.id, '{}'::jsonb, 'days_after_assignment', 30, 'completed', x.at
         FROM org_units o, unnest(ARRAY[now() - interval '2 days', now()]) AS x(at)
        WHERE o.code = 'HN-HD-MAY'
        ORDER BY x.at
       RETURNING id`,
      [programmeId],
    );
    const member = (assignmentId: string, personId: string, daysAgo: number, done: boolean) =>
      ds.query(
        `INSERT INTO assignment_members (assignment_id, person_id, cycle, org_path, assigned_at,
                                         due_on, completed_at)
         VALUES ($1, $2, 1, '/1/', now() - make_interval(days => $3), CURRENT_DATE + 30,
                 CASE WHEN $4 THEN now() END)`,
        [assignmentId, personId, daysAgo, done],
      );
    // people[0] in both (the earlier keeps it); people[1] in both, completed through the later
    // one (that one keeps it); people[2] in the later one only.
    await member(early.id, people[0], 2, false);
    await member(late.id, people[0], 0, false);
    await member(early.id, people[1], 2, false);
    await member(late.id, people[1], 0, true);
    await member(late.id, people[2], 0, false);

    await ds.runMigrations({ transaction: 'each' });

    const live = await ds.query<{ person_id: string; assignment_id: string }[]>(
      `SELECT person_id, assignment_id FROM assignment_members
        WHERE programme_id = $1 AND targeted ORDER BY person_id`,
      [programmeId],
    );
    expect(Object.fromEntries(live.map((r) => [r.person_id, r.assignment_id]))).toEqual({
      [people[0]]: early.id,
      [people[1]]: late.id,
      [people[2]]: late.id,
    });
    const also = await ds.query<{ assignment_id: string; person_id: string }[]>(
      `SELECT assignment_id, person_id FROM assignment_also_targets
        WHERE programme_id = $1 AND targeted`,
      [programmeId],
    );
    expect(also).toHaveLength(2);
    expect(also).toEqual(
      expect.arrayContaining([
        { assignment_id: late.id, person_id: people[0] },
        { assignment_id: early.id, person_id: people[1] },
      ]),
    );
    // Nothing deleted: the five rows are all there.
    const [{ n }] = await ds.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM assignment_members WHERE programme_id = $1`,
      [programmeId],
    );
    expect(n).toBe(5);
    const statuses = await ds.query<{ status: string }[]>(
      `SELECT DISTINCT status::text FROM programme_assignments WHERE programme_id = $1`,
      [programmeId],
    );
    expect(statuses).toEqual([{ status: 'assigned' }]);
    await expect(
      ds.query(
        `UPDATE assignment_members SET targeted = true WHERE assignment_id = $1 AND person_id = $2`,
        [late.id, people[0]],
      ),
    ).rejects.toThrow(/uq_assignment_members_live/);
  });
});
