import { expectError } from './expect-error';
import { QUESTIONS_OF_EACH_KIND } from './fixtures/bank-questions';
import { bearer, createTestApp, TestApp } from './support/test-app';

interface Bank {
  id: string;
  name: string;
  status: string;
  writable: boolean;
  questionCount: number;
  categories: { id: string; name: string; questionCount: number }[];
}
interface Question {
  id: string;
  kind: string;
  version: number;
  versionId: string;
  prompt: string;
  points: number;
  tags: string[];
  difficulty: number;
  status: string;
  categoryId: string | null;
  body: Record<string, unknown>;
  versions: { version: number; prompt: string }[];
}

/**
 * Question banks (issue 16, item 1): banks owned by a unit and shared down its subtree, their
 * categories, questions of every kind with versions, the filters of the random draw, scope
 * (404) and role (403) refusals, bad bodies (400 with details) and the audit trail.
 */
describe('question banks', () => {
  let t: TestApp;
  let bank: Bank;
  let otherBank: Bank;
  const made: Record<string, Question> = {};

  const officer = () => bearer(t.tokens.officerHanoi);
  const post = (url: string, body: object, as = officer()) => t.http.post(url).set(as).send(body);

  beforeAll(async () => {
    t = await createTestApp();
    const hn = await t.unitId('HN');
    let res = await post('/api/v1/question-banks', {
      ownerOrgUnitId: hn,
      name: 'Pháp luật về công đoàn',
      description: 'Câu hỏi dùng chung cho các lớp bồi dưỡng chủ tịch CĐCS',
    });
    expect(res.status).toBe(201);
    bank = res.body as Bank;
    res = await post('/api/v1/question-banks', { ownerOrgUnitId: hn, name: 'Kỹ năng đối thoại' });
    otherBank = res.body as Bank;
  });

  afterAll(async () => {
    await t.close();
  });

  it('creates a bank of a unit in scope and names its categories', async () => {
    expect(bank).toMatchObject({
      name: 'Pháp luật về công đoàn',
      status: 'active',
      writable: true,
      questionCount: 0,
      categories: [],
    });
    const res = await post(`/api/v1/question-banks/${bank.id}/categories`, {
      name: 'Luật Công đoàn 2024',
    }).expect(201);
    expect((res.body as Bank).categories).toEqual([
      { id: expect.any(String), name: 'Luật Công đoàn 2024', questionCount: 0 },
    ]);
    bank = res.body as Bank;
    // The same name again (in NFD, with spaces) is the same category.
    const again = await post(`/api/v1/question-banks/${bank.id}/categories`, {
      name: '  Luật Công đoàn 2024'.normalize('NFD'),
    });
    expectError(again, 409, 'QUESTION_CATEGORY_NAME_TAKEN');
  });

  it('takes a question of every kind, as version 1', async () => {
    for (const [kind, content] of Object.entries(QUESTIONS_OF_EACH_KIND)) {
      const res = await post(`/api/v1/question-banks/${bank.id}/questions`, {
        ...content,
        categoryId: bank.categories[0].id,
        tags: ['C2', 'Luật Công đoàn'],
        difficulty: kind === 'essay' ? 3 : 2,
      });
      expect({ kind, status: res.status }).toEqual({ kind, status: 201 });
      made[kind] = res.body as Question;
      expect(made[kind]).toMatchObject({
        kind,
        version: 1,
        prompt: content.prompt,
        points: content.points,
        body: content.body,
        status: 'active',
      });
      expect(made[kind].versions).toHaveLength(1);
    }
    const res = await t.http.get(`/api/v1/question-banks/${bank.id}`).set(officer()).expect(200);
    expect((res.body as Bank).questionCount).toBe(8);
    expect((res.body as Bank).categories[0].questionCount).toBe(8);
  });

  it('refuses bad questions with 400 and every failing field named, writing nothing', async () => {
    const url = `/api/v1/question-banks/${bank.id}/questions`;
    const single = QUESTIONS_OF_EACH_KIND.single;
    const cases: [object, string[]][] = [
      [{ ...single, body: { ...single.body, correct: 'Z' } }, ['body.correct']],
      [{ ...single, body: { ...single.body, kind: 'drawing' } }, ['body.kind']],
      [{ ...single, body: { ...single.body, hint: 'B' } }, ['body.hint']],
      [{ ...single, body: { kind: 'single', options: [] } }, ['body.options', 'body.correct']],
      [{ ...single, points: 0 }, ['points']],
      [{ ...single, points: '1' }, ['points']],
      [{ ...single, prompt: 12 }, ['prompt']],
      [{ ...single, body: 'single' }, ['body']],
      [{ ...single, body: undefined }, ['body']],
      [{ ...single, difficulty: 4 }, ['difficulty']],
      [{ ...single, tags: 'C2' }, ['tags']],
      [{ ...single, secret: true }, ['secret']],
      [
        {
          ...QUESTIONS_OF_EACH_KIND.short_answer,
          body: { ...QUESTIONS_OF_EACH_KIND.short_answer.body, patterns: ['(a)\\1'] },
        },
        ['body.patterns[0]'],
      ],
    ];
    const [{ n: before }] = await t.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM bank_question_versions`,
    );
    for (const [body, fields] of cases) {
      const res = await post(url, body);
      expect({ body, status: res.status }).toEqual({ body, status: 400 });
      expectError(res, 400, 'VALIDATION_FAILED');
      const named = (res.body.details as { field: string }[]).map((d) => d.field);
      expect({ body, named }).toEqual({ body, named: expect.arrayContaining(fields) });
    }
    // A category of another bank, a competency that does not exist: 422.
    const otherCategory = await post(`/api/v1/question-banks/${otherBank.id}/categories`, {
      name: 'Đối thoại',
    }).expect(201);
    expectError(
      await post(url, { ...single, categoryId: (otherCategory.body as Bank).categories[0].id }),
      422,
      'QUESTION_CATEGORY_UNKNOWN',
      ['categoryId'],
    );
    expectError(
      await post(url, { ...single, competencyId: '00000000-0000-4000-8000-000000000000' }),
      422,
      'QUESTION_COMPETENCY_UNKNOWN',
      ['competencyId'],
    );
    const [{ n: after }] = await t.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM bank_question_versions`,
    );
    expect(after).toBe(before);
  });

  it('keeps every version: a revision adds one, the same content does not, a stale one is refused', async () => {
    const q = made.single;
    const url = `/api/v1/question-banks/${bank.id}/questions/${q.id}`;
    const revised = {
      ...QUESTIONS_OF_EACH_KIND.single,
      prompt: 'Theo Luật Công đoàn 2024, công đoàn cơ sở cần ít nhất bao nhiêu đoàn viên?',
      expectedVersion: 1,
    };
    let res = await t.http.put(url).set(officer()).send(revised).expect(200);
    expect(res.body).toMatchObject({ version: 2, prompt: revised.prompt });
    expect((res.body as Question).versions.map((v) => v.version)).toEqual([2, 1]);
    expect((res.body as Question).versions[1].prompt).toBe(QUESTIONS_OF_EACH_KIND.single.prompt);
    const v2 = (res.body as Question).versionId;
    // The same content (the prompt in NFD): no new version; the placing given still changes.
    res = await t.http
      .put(url)
      .set(officer())
      .send({
        ...revised,
        prompt: revised.prompt.normalize('NFD'),
        expectedVersion: 2,
        difficulty: 1,
      })
      .expect(200);
    expect(res.body).toMatchObject({ version: 2, versionId: v2, difficulty: 1 });
    // Someone else's edit came first.
    expectError(
      await t.http
        .put(url)
        .set(officer())
        .send({ ...revised, expectedVersion: 1 }),
      409,
      'QUESTION_VERSION_CONFLICT',
    );
    // Another kind is another question.
    expectError(
      await t.http
        .put(url)
        .set(officer())
        .send({ ...QUESTIONS_OF_EACH_KIND.true_false }),
      422,
      'QUESTION_KIND_CHANGED',
    );
    const audit = await t.dataSource.query<{ action: string }[]>(
      `SELECT action FROM audit_log WHERE entity_id = $1 ORDER BY at, id`,
      [q.id],
    );
    expect(audit.map((a) => a.action)).toEqual([
      'bank_question.created',
      'bank_question.revised',
      'bank_question.revised',
    ]);
  });

  it('lists a bank’s questions by the filters of the random draw, page by page', async () => {
    const url = `/api/v1/question-banks/${bank.id}/questions`;
    await t.http
      .patch(`${url}/${made.numeric.id}`)
      .set(officer())
      .send({ tags: ['C5'], status: 'retired' })
      .expect(200);
    const list = async (query: string) => {
      const res = await t.http.get(`${url}?${query}`).set(officer()).expect(200);
      return res.body as { items: Question[]; nextCursor: string | null };
    };
    expect((await list('kind=essay')).items.map((q) => q.id)).toEqual([made.essay.id]);
    expect((await list('difficulty=3')).items.map((q) => q.kind)).toEqual(['essay']);
    expect((await list('tag=C5')).items.map((q) => q.kind)).toEqual(['numeric']);
    expect(
      (await list(`tag=${encodeURIComponent('Luật Công đoàn'.normalize('NFD'))}`)).items,
    ).toHaveLength(7);
    expect((await list('status=retired')).items.map((q) => q.kind)).toEqual(['numeric']);
    expect((await list(`categoryId=${bank.categories[0].id}&status=active`)).items).toHaveLength(7);
    // Keyset pages of 3: every question once, newest first.
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await list(`limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.items.map((q) => q.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(8);
    expect(new Set(seen).size).toBe(8);
    expect(seen[seen.length - 1]).toBe(made.single.id);
    expectError(await t.http.get(`${url}?difficulty=7`).set(officer()), 400, 'VALIDATION_FAILED');
    expectError(await t.http.get(`${url}?cursor=abc`).set(officer()), 400, 'INVALID_CURSOR');
  });

  it('refuses changes to an archived bank until it is restored', async () => {
    const url = `/api/v1/question-banks/${otherBank.id}`;
    await t.http.patch(url).set(officer()).send({ status: 'archived' }).expect(200);
    expectError(
      await post(`${url}/questions`, QUESTIONS_OF_EACH_KIND.true_false),
      409,
      'QUESTION_BANK_ARCHIVED',
    );
    await t.http.patch(url).set(officer()).send({ status: 'active' }).expect(200);
    await post(`${url}/questions`, QUESTIONS_OF_EACH_KIND.true_false).expect(201);
    expectError(await t.http.patch(url).set(officer()).send({}), 400, 'VALIDATION_FAILED');
  });

  it('shares a bank down its subtree: read (and drawn from) below, written only inside', async () => {
    // A national bank: Bắc Ninh's officer reads it, cannot change it.
    const national = await post(
      '/api/v1/question-banks',
      { ownerOrgUnitId: await t.unitId('VGCL'), name: 'Ngân hàng câu hỏi toàn quốc' },
      bearer(t.tokens.admin),
    ).expect(201);
    const nationalId = (national.body as Bank).id;
    const bn = bearer(t.tokens.officerBacNinh);
    const read = await t.http.get(`/api/v1/question-banks/${nationalId}`).set(bn).expect(200);
    expect((read.body as Bank).writable).toBe(false);
    expectError(
      await post(
        `/api/v1/question-banks/${nationalId}/questions`,
        QUESTIONS_OF_EACH_KIND.single,
        bn,
      ),
      404,
      'QUESTION_BANK_NOT_FOUND',
    );
    // Hà Nội's bank is not Bắc Ninh's at all: 404 for reading it, its questions and changing it.
    for (const path of [
      `/api/v1/question-banks/${bank.id}`,
      `/api/v1/question-banks/${bank.id}/questions`,
      `/api/v1/question-banks/${bank.id}/questions/${made.single.id}`,
    ]) {
      expectError(await t.http.get(path).set(bn), 404, 'QUESTION_BANK_NOT_FOUND');
    }
    expectError(
      await t.http.patch(`/api/v1/question-banks/${bank.id}`).set(bn).send({ name: 'Đổi tên' }),
      404,
      'QUESTION_BANK_NOT_FOUND',
    );
    expectError(
      await post('/api/v1/question-banks', { ownerOrgUnitId: await t.unitId('HN'), name: 'X' }, bn),
      404,
      'ORG_UNIT_NOT_FOUND',
    );
    const listed = await t.http.get('/api/v1/question-banks?limit=100').set(bn).expect(200);
    const names = (listed.body.items as Bank[]).map((b) => b.name);
    expect(names).toContain('Ngân hàng câu hỏi toàn quốc');
    expect(names).not.toContain('Pháp luật về công đoàn');
    // A question id of another bank through this one: 404.
    expectError(
      await t.http
        .get(`/api/v1/question-banks/${otherBank.id}/questions/${made.single.id}`)
        .set(officer()),
      404,
      'BANK_QUESTION_NOT_FOUND',
    );
    // An archived national bank leaves the catalogue below it.
    await t.http
      .patch(`/api/v1/question-banks/${nationalId}`)
      .set(bearer(t.tokens.admin))
      .send({ status: 'archived' })
      .expect(200);
    expectError(
      await t.http.get(`/api/v1/question-banks/${nationalId}`).set(bn),
      404,
      'QUESTION_BANK_NOT_FOUND',
    );
  });

  it('lets HR read banks but not change them, and a chair neither', async () => {
    const hr = bearer(t.tokens.hrHanoi);
    await t.http.get(`/api/v1/question-banks/${bank.id}`).set(hr).expect(200);
    expectError(
      await post(`/api/v1/question-banks/${bank.id}/questions`, QUESTIONS_OF_EACH_KIND.single, hr),
      403,
      'FORBIDDEN',
    );
    const chair = bearer(t.tokens.chair);
    expectError(await t.http.get('/api/v1/question-banks').set(chair), 403, 'FORBIDDEN');
    expectError(
      await t.http.get(`/api/v1/question-banks/${bank.id}/questions/${made.single.id}`).set(chair),
      403,
      'FORBIDDEN',
    );
  });
});
