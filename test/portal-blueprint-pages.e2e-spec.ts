import { randomBytes } from 'node:crypto';
import { BlueprintService } from '../src/assessments/blueprint.service';
import { AuthService } from '../src/auth/auth.service';
import { DEMO_PASSWORD } from '../src/seed/demo-data';
import { bearer, createTestApp, DEMO, TestApp } from './support/test-app';

jest.setTimeout(60_000);

interface Session {
  cookie: string;
  csrf: string;
}

/** A signed-in browser's cookies for a demo account. */
async function cookieOf(t: TestApp, email: string): Promise<Session> {
  const page = await t.http.get('/sign-in');
  const csrf = /lms_csrf=([^;]+)/.exec(String(page.headers['set-cookie']))![1];
  const res = await t.http
    .post('/sign-in')
    .set('Cookie', `lms_csrf=${csrf}`)
    .type('form')
    .send({ _csrf: csrf, email, password: DEMO_PASSWORD });
  const session = /lms_session=([^;]+)/.exec(String(res.headers['set-cookie']))![1];
  return { cookie: `lms_session=${session}; lms_csrf=${csrf}`, csrf };
}

/** The text of a field's error beside it (the element `id`-error), tags dropped. */
function errorBeside(html: string, id: string): string {
  const m = new RegExp(`id="${id}-error">(.*?)</(p|div)>`, 's').exec(html);
  return m ? m[1].replace(/<[^>]+>/g, ' ') : '';
}

/**
 * Issue 16 in the portal: the officer builds an assessment drawn from question banks — rules
 * added (random or fixed), refused beside the rule or field in Vietnamese, moved and removed;
 * shuffles, grading policy and second marking; the window typed in Vietnam's time — and grants
 * and revokes accommodations to the course's learners. Once the course is published the
 * blueprint is read only, the window still moves. Scope and rights as the API's.
 */
describe('portal: the assessment builder pages', () => {
  let t: TestApp;
  let officer: Session;
  let bacNinh: Session;
  let hr: Session;
  let chair: Session;
  let courseId = '';
  let assessmentId = '';
  let hanoiBank = '';
  let bacNinhBank = '';
  const learners: { id: string; name: string }[] = [];

  const get = (path: string, who = officer) => t.http.get(path).set('Cookie', who.cookie);
  const post = (path: string, form: Record<string, string>, who = officer) =>
    t.http
      .post(path)
      .set('Cookie', who.cookie)
      .type('form')
      .send({ _csrf: who.csrf, ...form });
  const page = () => `/officer/assessments/${assessmentId}/blueprint`;
  const stored = async () => {
    const actor = (await t.app.get(AuthService).authenticate(t.tokens.officerHanoi))!;
    return t.app.get(BlueprintService).get(actor, assessmentId);
  };

  beforeAll(async () => {
    t = await createTestApp();
    officer = await cookieOf(t, DEMO.officerHanoi);
    bacNinh = await cookieOf(t, DEMO.officerBacNinh);
    hr = await cookieOf(t, DEMO.hrHanoi);
    chair = await cookieOf(t, DEMO.chair);
    const bankOf = async (unit: string) =>
      (
        await t.dataSource.query<{ id: string }[]>(
          `SELECT b.id FROM question_banks b JOIN org_units o ON o.id = b.owner_org_unit_id
            WHERE o.code = $1 ORDER BY b.created_at LIMIT 1`,
          [unit],
        )
      )[0].id;
    hanoiBank = await bankOf('HN');
    bacNinhBank = await bankOf('BN');

    const api = bearer(t.tokens.officerHanoi);
    const code = `BP-${randomBytes(3).toString('hex').toUpperCase()}`;
    const course = await t.http
      .post('/api/v1/courses')
      .set(api)
      .send({
        code,
        title: `Đối thoại tại nơi làm việc ${code}`,
        deliveryMode: 'online',
        durationHours: 4,
        ownerOrgUnitId: await t.unitId('HN'),
      })
      .expect(201);
    courseId = course.body.id as string;
    await t.http
      .post(`/api/v1/courses/${courseId}/lessons`)
      .set(api)
      .send({ title: 'Bài 1', kind: 'text', content: 'Nội dung' })
      .expect(201);
    const assessment = await t.http
      .post('/api/v1/assessments')
      .set(api)
      .send({
        courseId,
        title: 'Kiểm tra cuối khóa',
        timeLimitMinutes: 20,
        maxAttempts: 2,
        questions: [
          {
            kind: 'true_false',
            prompt: 'Kết quả đối thoại phải được ghi biên bản.',
            options: [
              { key: 'true', text: 'Đúng' },
              { key: 'false', text: 'Sai' },
            ],
            correct: ['true'],
            points: 1,
          },
        ],
      })
      .expect(201);
    assessmentId = assessment.body.id as string;
    learners.push(
      ...(await t.dataSource.query<{ id: string; name: string }[]>(
        `SELECT p.id, p.full_name AS name FROM people p JOIN org_units o ON o.id = p.home_org_unit_id
          WHERE o.path LIKE (SELECT path FROM org_units WHERE code = 'HN') || '%'
          ORDER BY p.sort_key LIMIT 2`,
      )),
    );
  });

  afterAll(async () => {
    await t?.close();
  });

  it('is linked from the assessment page, and offers the banks the officer may use', async () => {
    const a = await get(`/officer/assessments/${assessmentId}`).expect(200);
    expect(a.text).toContain(`href="${page()}"`);
    expect(a.text).toContain(`href="/officer/assessments/${assessmentId}/accommodations"`);
    const res = await get(page()).expect(200);
    expect(res.text).toContain('<h1>Cấu trúc đề rút từ ngân hàng</h1>');
    expect(res.text).toContain('Chưa có quy tắc rút câu nào.');
    expect(res.text).toContain('Bài kiểm tra đang dùng câu hỏi riêng.');
    expect(res.text).toContain(`<option value="${hanoiBank}"`);
    expect(res.text).not.toContain(`<option value="${bacNinhBank}"`);
    // No rule yet: the settings wait for the first one.
    expect(res.text).toContain('Thêm ít nhất một quy tắc rút câu');
    // In English for who asks for it.
    const en = await get(page()).set('Accept-Language', 'en').expect(200);
    expect(en.text).toContain('<h1>Blueprint drawn from question banks</h1>');
    expect(en.text).toContain('Add a draw rule');
  });

  it('adds a random rule and shows what it can draw now', async () => {
    const added = await post(`${page()}/rules`, {
      sectionTitle: 'Phần 1 — Pháp luật',
      bankId: hanoiBank,
      tag: 'C2',
      count: '2',
      points: '',
    }).expect(303);
    expect(added.headers.location).toBe(`${page()}?saved=added#rules`);
    const res = await get(`${page()}?saved=added`).expect(200);
    expect(res.text).toContain('Đã thêm quy tắc rút câu.');
    expect(res.text).toContain('Phần 1 — Pháp luật');
    expect(res.text).toContain('Rút ngẫu nhiên 2 câu');
    expect(res.text).toContain('Nhãn: C2');
    expect(res.text).toMatch(/Hiện có \d+ câu dùng được/);
    expect(res.text).not.toContain('Bài kiểm tra đang dùng câu hỏi riêng.');
    // The assessment's page no longer offers questions of its own: it points to the blueprint.
    const a = await get(`/officer/assessments/${assessmentId}`).expect(200);
    expect(a.text).toContain('Mỗi lượt làm bài rút 2 câu hỏi theo cấu trúc đề.');
    expect(a.text).not.toContain(`action="/officer/assessments/${assessmentId}/questions"`);
    const bp = await stored();
    expect(bp.drawn).toBe(true);
    expect(bp.sections).toEqual([
      {
        title: 'Phần 1 — Pháp luật',
        rules: [expect.objectContaining({ bankId: hanoiBank, tag: 'C2', count: 2 })],
      },
    ]);
  });

  it('refuses a short pool, a bank out of scope and a bad count beside the field', async () => {
    const short = await post(`${page()}/rules`, {
      sectionTitle: 'Phần 1 — Pháp luật',
      bankId: hanoiBank,
      count: '150',
    });
    expect(short.status).toBe(422);
    expect(errorBeside(short.text, 'add-count')).toMatch(/Không đủ câu hỏi: hiện chỉ có \d+ câu/);
    // What was typed stays in the form.
    expect(short.text).toContain('id="add-count" name="count" inputmode="numeric" value="150"');

    const foreign = await post(`${page()}/rules`, {
      sectionTitle: 'Phần 2',
      bankId: bacNinhBank,
      count: '1',
    });
    expect(foreign.status).toBe(422);
    expect(errorBeside(foreign.text, 'add-bank')).toContain('nằm ngoài phạm vi');

    const bad = await post(`${page()}/rules`, {
      sectionTitle: 'Phần 2',
      bankId: hanoiBank,
      count: 'hai',
      difficulty: '3',
    });
    expect(bad.status).toBe(400);
    expect(errorBeside(bad.text, 'add-count')).not.toBe('');
    expect((await stored()).sections).toHaveLength(1);
  });

  it('picks a fixed question from the bank’s list, moves it up and removes it', async () => {
    const list = await get(`${page()}?pick=${hanoiBank}`).expect(200);
    const m =
      /name="questionId" value="([0-9a-f-]{36})"><input type="hidden" name="sectionTitle" value="([^"]*)">\s*<span>([^<]*)/.exec(
        list.text,
      );
    expect(m).not.toBeNull();
    const [questionId, prompt] = [m![1], m![3].trim()];
    await post(`${page()}/rules`, {
      bankId: hanoiBank,
      questionId,
      sectionTitle: 'Phần 1 — Pháp luật',
    }).expect(303);
    let res = await get(page()).expect(200);
    expect(res.text).toContain(`Câu cố định</strong>: ${prompt}`);
    let bp = await stored();
    expect(bp.sections[0].rules.map((r) => r.questionId)).toEqual([null, questionId]);

    await post(`${page()}/rules/move`, { section: '0', rule: '1', direction: 'up' }).expect(303);
    bp = await stored();
    expect(bp.sections[0].rules.map((r) => r.questionId)).toEqual([questionId, null]);

    // The same fixed question twice cannot be drawn: refused beside the rule being added.
    const twice = await post(`${page()}/rules`, {
      bankId: hanoiBank,
      questionId,
      sectionTitle: 'Phần 1 — Pháp luật',
    });
    expect(twice.status).toBe(422);
    expect(errorBeside(twice.text, 'add-question')).toContain('Không đủ câu hỏi');

    await post(`${page()}/rules/remove`, { section: '0', rule: '0' }).expect(303);
    bp = await stored();
    expect(bp.sections[0].rules).toHaveLength(1);
    expect(bp.sections[0].rules[0].questionId).toBeNull();
    res = await get(`${page()}?saved=removed`).expect(200);
    expect(res.text).toContain('Đã bỏ quy tắc rút câu.');

    // The last rule cannot go: a blueprint has at least one section.
    const last = await post(`${page()}/rules/remove`, { section: '0', rule: '0' });
    expect(last.status).toBe(400);
    expect((await stored()).sections[0].rules).toHaveLength(1);
  });

  it('saves the shuffles, grading policy and second marking; refuses a bad threshold', async () => {
    const bad = await post(`${page()}/settings`, {
      shuffleQuestions: 'true',
      gradingPolicy: 'average',
      markerThreshold: 'nhiều',
    });
    expect(bad.status).toBe(400);
    expect(errorBeside(bad.text, 'threshold')).not.toBe('');
    expect(bad.text).toMatch(/name="shuffleQuestions" value="true" checked/);

    await post(`${page()}/settings`, {
      shuffleQuestions: 'true',
      shuffleOptions: 'true',
      gradingPolicy: 'average',
      secondMarking: 'true',
      markerThreshold: '1,5',
    }).expect(303);
    expect(await stored()).toMatchObject({
      shuffleQuestions: true,
      shuffleOptions: true,
      gradingPolicy: 'average',
      secondMarking: true,
      markerThreshold: 1.5,
    });
    const res = await get(page()).expect(200);
    expect(res.text).toContain(
      '<option value="average" selected>Điểm trung bình các lượt</option>',
    );
    // The rules were stored again unchanged.
    expect((await stored()).sections[0].rules[0]).toMatchObject({ tag: 'C2', count: 2 });
  });

  it('takes the window in Vietnam time and refuses one that closes before it opens', async () => {
    const bad = await post(`/officer/assessments/${assessmentId}/window`, {
      opensAt: '2026-12-10T08:00',
      closesAt: '2026-12-10T07:00',
    });
    expect(bad.status).toBe(400);
    expect(errorBeside(bad.text, 'closes')).toContain('Thời điểm đóng phải sau thời điểm mở.');
    expect(bad.text).toContain('value="2026-12-10T07:00"');

    await post(`/officer/assessments/${assessmentId}/window`, {
      opensAt: '2026-12-10T08:00',
      closesAt: '',
    }).expect(303);
    expect(await stored()).toMatchObject({ opensAt: '2026-12-10T01:00:00.000Z', closesAt: null });
    const res = await get(page()).expect(200);
    expect(res.text).toContain('Mở từ 10/12/2026 08:00');
    expect(res.text).toContain('value="2026-12-10T08:00"');
  });

  it('lets HR read without forms, and keeps other provinces and chairs out', async () => {
    const read = await get(page(), hr).expect(200);
    expect(read.text).toContain('Rút ngẫu nhiên 2 câu');
    expect(read.text).toContain('Bạn chỉ có quyền xem cấu trúc đề.');
    expect(read.text).not.toContain('id="add-rule"');
    await post(`${page()}/rules/remove`, { section: '0', rule: '0' }, hr).expect(403);
    await get(page(), bacNinh).expect(404);
    await post(`${page()}/settings`, { gradingPolicy: 'first' }, bacNinh).expect(404);
    await get(page(), chair).expect(403);
    await get(`/officer/assessments/${assessmentId}/accommodations`, bacNinh).expect(404);
    expect((await stored()).gradingPolicy).toBe('average');
  });

  it('reads only once the course is published; the window still moves', async () => {
    await t.http
      .post(`/api/v1/courses/${courseId}/publish`)
      .set(bearer(t.tokens.officerHanoi))
      .expect(200);
    const res = await get(page()).expect(200);
    expect(res.text).toContain('Khóa học đã công bố nên cấu trúc đề chỉ xem được');
    expect(res.text).not.toContain('id="add-rule"');
    expect(res.text).toContain('<dd>Điểm trung bình các lượt</dd>');
    const locked = await post(`${page()}/settings`, { gradingPolicy: 'first' });
    expect(locked.status).toBe(409);
    expect(locked.text).toContain('đã công bố nên không thể thay đổi');
    await post(`/officer/assessments/${assessmentId}/window`, {
      opensAt: '',
      closesAt: '2026-12-20T17:00',
    }).expect(303);
    expect(await stored()).toMatchObject({ opensAt: null, closesAt: '2026-12-20T10:00:00.000Z' });
  });

  it('grants an accommodation to an enrolled learner, lists it with its reason, and revokes it', async () => {
    const empty = await get(`/officer/assessments/${assessmentId}/accommodations`).expect(200);
    expect(empty.text).toContain('Chưa có điều chỉnh nào.');
    expect(empty.text).toContain('Khóa học chưa có học viên nào trong phạm vi của bạn.');

    await t.http
      .post('/api/v1/enrolments')
      .set(bearer(t.tokens.officerHanoi))
      .send({ courseId, personIds: learners.map((l) => l.id) })
      .expect(200);
    const path = `/officer/assessments/${assessmentId}/accommodations`;
    const list = await get(path).expect(200);
    for (const l of learners) expect(list.text).toContain(`<option value="${l.id}"`);
    const word = learners[0].name.split(' ').pop()!;
    const found = await get(`${path}?q=${encodeURIComponent(word)}`).expect(200);
    expect(found.text).toContain(`<option value="${learners[0].id}"`);
    const none = await get(`${path}?q=Zzzyx`).expect(200);
    expect(none.text).toContain('Không có học viên nào của khóa học');

    const refused = await post(path, {
      personId: learners[0].id,
      extraMinutes: '15',
      extraAttempts: '',
      reason: 'x',
    });
    expect(refused.status).toBe(400);
    expect(errorBeside(refused.text, 'acc-reason')).not.toBe('');
    expect(refused.text).toContain(`<option value="${learners[0].id}" selected>`);
    const nothing = await post(path, {
      personId: learners[0].id,
      extraMinutes: '0',
      extraAttempts: '0',
      reason: 'Không cần gì thêm',
    });
    expect(nothing.status).toBe(400);
    expect(errorBeside(nothing.text, 'acc-minutes')).toContain('Cần thêm thời gian hoặc thêm lượt');
    const unpicked = await post(path, { personId: '', extraMinutes: '5', reason: 'Thị lực kém' });
    expect(unpicked.status).toBe(400);
    expect(unpicked.text).toContain('Hãy chọn học viên.');

    await post(path, {
      personId: learners[0].id,
      extraMinutes: '15',
      extraAttempts: '1',
      reason: 'Thị lực kém, cần thêm thời gian đọc đề',
    }).expect(303);
    let res = await get(`${path}?saved=granted`).expect(200);
    expect(res.text).toContain('Đã cấp điều chỉnh.');
    expect(res.text).toContain('Thị lực kém, cần thêm thời gian đọc đề');
    expect(res.text).toContain('Đang áp dụng');
    // HR reads the list but has no forms.
    const hrRead = await get(path, hr).expect(200);
    expect(hrRead.text).toContain('Thị lực kém, cần thêm thời gian đọc đề');
    expect(hrRead.text).not.toContain('/revoke"');
    await post(`${path}/${learners[0].id}/revoke`, {}, hr).expect(403);

    await post(`${path}/${learners[0].id}/revoke`, {}).expect(303);
    res = await get(`${path}?saved=revoked`).expect(200);
    expect(res.text).toContain('Đã thu hồi điều chỉnh.');
    expect(res.text).toMatch(/Đã thu hồi \d\d\/\d\d\/\d{4} \d\d:\d\d/);
    expect(res.text).not.toContain('Đang áp dụng');
    // Nothing current to revoke any more: the service's 409, as a page.
    await post(`${path}/${learners[0].id}/revoke`, {}).expect(409);
  });
});
