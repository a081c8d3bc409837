import { randomUUID } from 'node:crypto';
import { expectError } from './expect-error';
import { createProgramme } from './support/programme-fixtures';
import { bearer, createTestApp, TestApp } from './support/test-app';

jest.setTimeout(120_000);

/**
 * Issue 13, item 7b: an audience filter naming a course or programme that does not exist (or
 * that the officer cannot use) matched everyone — "has not completed X" is true of all when
 * there is no X. It is now refused with 422 AUDIENCE_UNKNOWN_REFERENCE on preview, on create and
 * on a re-run, and nothing is written.
 */
describe('audience references', () => {
  let t: TestApp;
  let hanoi: string;
  let programmeId: string;
  let bacNinhDraftCourse: string;
  let bacNinhDraftProgramme: string;
  const officer = () => bearer(t.tokens.officerHanoi);

  const idOf = async (sql: string, params: unknown[] = []) =>
    (await t.dataSource.query<{ id: string }[]>(sql, params))[0].id;

  const written = async () => {
    const [row] = await t.dataSource.query<{ n: number }[]>(
      `SELECT ((SELECT count(*) FROM programme_assignments)
              + (SELECT count(*) FROM assignment_members)
              + (SELECT count(*) FROM enrolments))::int AS n`,
    );
    return row.n;
  };

  beforeAll(async () => {
    t = await createTestApp();
    hanoi = await t.unitId('HN');
    programmeId = await createProgramme(t.dataSource, {
      code: 'P-AUD-REF',
      title: 'Chương trình kiểm tra nhóm đối tượng',
      ownerUnit: 'HN',
      courseCodes: ['K04', 'K05'],
    });
    // A Bắc Ninh draft course and programme: outside the Hà Nội officer's catalogue.
    bacNinhDraftCourse = await idOf(
      `INSERT INTO courses (code, title, description, delivery_mode, duration_hours, pass_score,
                            owner_org_unit_id)
       SELECT 'BN-NHAP', 'Bản nháp Bắc Ninh', description, delivery_mode, duration_hours,
              pass_score, (SELECT id FROM org_units WHERE code = 'BN')
         FROM courses WHERE code = 'K01' LIMIT 1
       RETURNING id`,
    );
    bacNinhDraftProgramme = await idOf(
      `INSERT INTO programmes (code, title, owner_org_unit_id, due_rule_kind, due_days)
       SELECT 'BN-CT-NHAP', 'Chương trình nháp Bắc Ninh', id, 'days_after_assignment', 30
         FROM org_units WHERE code = 'BN'
       RETURNING id`,
    );
  });

  afterAll(async () => {
    await t.close();
  });

  const unknownCourse = randomUUID();
  const unknownProgramme = randomUUID();

  it.each([
    [
      'a course that does not exist',
      { notCompletedCourseId: unknownCourse },
      'notCompletedCourseId',
    ],
    [
      'a programme that does not exist',
      { notCompletedProgrammeId: unknownProgramme },
      'notCompletedProgrammeId',
    ],
    [
      'a draft course of another federation',
      () => ({ notCompletedCourseId: bacNinhDraftCourse }),
      'notCompletedCourseId',
    ],
    [
      'a draft programme of another federation',
      () => ({ notCompletedProgrammeId: bacNinhDraftProgramme }),
      'notCompletedProgrammeId',
    ],
  ])(
    'refuses an audience naming %s with 422 on preview and on create, writing nothing',
    async (_, filter, field) => {
      const rule = typeof filter === 'function' ? filter() : filter;
      const value = Object.values(rule)[0];
      const before = await written();
      const audience = { orgUnitId: hanoi, postTypes: ['chair'], ...rule };
      const preview = await t.http
        .post(`/api/v1/programmes/${programmeId}/audience-preview`)
        .set(officer())
        .send({ audience });
      expectError(preview, 422, 'AUDIENCE_UNKNOWN_REFERENCE', [`audience.${field}`]);
      expect(preview.body.details).toEqual([{ field: `audience.${field}`, message: value }]);
      const create = await t.http
        .post(`/api/v1/programmes/${programmeId}/assignments`)
        .set(officer())
        .set('Accept-Language', 'en')
        .send({ audience });
      expectError(create, 422, 'AUDIENCE_UNKNOWN_REFERENCE', [`audience.${field}`]);
      expect(create.body.message).toMatch(/course or programme/);
      expect(await written()).toBe(before);
    },
  );

  it('names both fields when both are unknown', async () => {
    const res = await t.http
      .post(`/api/v1/programmes/${programmeId}/assignments`)
      .set(officer())
      .send({
        audience: {
          orgUnitId: hanoi,
          notCompletedCourseId: unknownCourse,
          notCompletedProgrammeId: unknownProgramme,
        },
      });
    expectError(res, 422, 'AUDIENCE_UNKNOWN_REFERENCE', [
      'audience.notCompletedCourseId',
      'audience.notCompletedProgrammeId',
    ]);
  });

  it('refuses filters the audience does not have (completedCourses) with 400 naming them', async () => {
    const res = await t.http
      .post(`/api/v1/programmes/${programmeId}/assignments`)
      .set(officer())
      .send({ audience: { orgUnitId: hanoi, completedCourses: ['K99'] } });
    expectError(res, 400, 'VALIDATION_FAILED', ['audience.completedCourses']);
  });

  it('still takes a course and a programme of the catalogue, a national one included', async () => {
    const k04 = await idOf(`SELECT id FROM courses WHERE code = 'K04'`);
    const res = await t.http
      .post(`/api/v1/programmes/${programmeId}/audience-preview`)
      .set(officer())
      .send({
        audience: {
          orgUnitId: hanoi,
          postTypes: ['chair'],
          notCompletedCourseId: k04,
          notCompletedProgrammeId: programmeId,
        },
      })
      .expect(200);
    expect(res.body.count).toBeGreaterThan(0);
  });

  it('refuses to re-run an assignment whose stored rule names a course that is gone', async () => {
    const k05 = await idOf(`SELECT id FROM courses WHERE code = 'K05'`);
    const created = await t.http
      .post(`/api/v1/programmes/${programmeId}/assignments`)
      .set(officer())
      .send({ audience: { orgUnitId: hanoi, postTypes: ['chair'], notCompletedCourseId: k05 } })
      .expect(201);
    const assignmentId = (created.body as { assignment: { id: string } }).assignment.id;
    // A rule written before the check (or naming a course since deleted).
    await t.dataSource.query(
      `UPDATE programme_assignments
          SET audience = jsonb_set(audience, '{notCompletedCourseId}', to_jsonb($2::text))
        WHERE id = $1`,
      [assignmentId, unknownCourse],
    );
    const before = await written();
    const res = await t.http.post(`/api/v1/assignments/${assignmentId}/run`).set(officer());
    expectError(res, 422, 'AUDIENCE_UNKNOWN_REFERENCE', ['audience.notCompletedCourseId']);
    expect(await written()).toBe(before);
  });
});
