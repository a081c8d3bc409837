import { DEMO_PASSWORD } from '../src/seed/demo-data';
import { drawnCourse, DrawnCourse, markWaitingAnswers } from './support/drawn-assessment';
import { bearer, createTestApp, DEMO, DemoAccount, TestApp } from './support/test-app';

interface Item {
  questionId: string;
  kind: string;
  options: { key: string; text: string }[] | null;
}

interface Session {
  cookie: string;
  csrf: string;
}

/** A signed-in browser's cookies for a demo account. */
async function sessionOf(t: TestApp, account: DemoAccount): Promise<Session> {
  const page = await t.http.get('/sign-in');
  const csrf = /lms_csrf=([^;]+)/.exec(String(page.headers['set-cookie']))![1];
  const res = await t.http
    .post('/sign-in')
    .set('Cookie', `lms_csrf=${csrf}`)
    .type('form')
    .send({ _csrf: csrf, email: DEMO[account], password: DEMO_PASSWORD });
  const session = /lms_session=([^;]+)/.exec(String(res.headers['set-cookie']))![1];
  return { cookie: `lms_session=${session}; lms_csrf=${csrf}`, csrf };
}

/** The <fieldset> of question `number` in a page. */
function question(html: string, number: number): string {
  const found = html
    .split('<fieldset')
    .slice(1)
    .find((f) => f.includes(`>Câu ${number} (`));
  if (!found) throw new Error(`No question ${number} in the page`);
  return found.slice(0, found.indexOf('</fieldset>'));
}

/** The review card of question `number` on the result page. */
function reviewCard(html: string, number: number): string {
  const found = html
    .split('<li class="card">')
    .slice(1)
    .find((c) => c.includes(`<p class="qno">Câu ${number}</p>`));
  if (!found) throw new Error(`No review of question ${number}`);
  return found;
}

/** Text of an HTML fragment without its tags, spaces collapsed. */
const textOf = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#x27;/g, "'")
    .replace(/\s+/g, ' ')
    .trim();

/**
 * Issue 16, the portal: a learner sits an assessment drawn from question banks in the web
 * portal without JavaScript — every kind of question in its section, answers saved by one form
 * (a refused one shown beside its question, the others kept), submitted, "being marked" while a
 * person marks the essay, then the score and, as the review policy allows, each question's
 * outcome, the right answer in words, points and the marker's feedback.
 */
describe('portal: a drawn attempt, from the first answer to the review', () => {
  let t: TestApp;
  let course: DrawnCourse;
  let chair: Session;
  let attemptId: string;
  let items: Item[];

  const page = async (s: Session, path: string, status = 200) =>
    (await t.http.get(path).set('Cookie', s.cookie).expect(status)).text;
  const post = (s: Session, path: string, form: Record<string, unknown>) =>
    t.http
      .post(path)
      .set('Cookie', s.cookie)
      .type('form')
      .send({ _csrf: s.csrf, ...form });
  /** The form field of the item of a kind (and of one of its parts). */
  const field = (kind: string, part?: string) => {
    const id = course.questions[kind];
    return part === undefined ? `r_${id}` : `r_${id}__${part}`;
  };
  /** The number a question of a kind has on the page (sections in order, fixed questions). */
  const numberOf = (kind: string) => items.findIndex((i) => i.kind === kind) + 1;
  const saved = async () =>
    new Map(
      (
        await t.dataSource.query<{ question_id: string; response: unknown }[]>(
          `SELECT question_id, response FROM attempt_items WHERE attempt_id = $1`,
          [attemptId],
        )
      ).map((r) => [r.question_id, r.response]),
    );

  beforeAll(async () => {
    t = await createTestApp();
    course = await drawnCourse(t, ['chair']);
    chair = await sessionOf(t, 'chair');
  });

  afterAll(async () => {
    await t.close();
  });

  it('starts from the course page and shows every kind of question by section', async () => {
    const started = await post(chair, `/learn/enrolments/${course.enrolments.chair}/attempts`, {});
    expect(started.status).toBe(303);
    attemptId = /\/learn\/attempts\/([0-9a-f-]{36})$/.exec(started.headers.location)![1];
    const api = await t.http
      .get(`/api/v1/attempts/${attemptId}`)
      .set(bearer(t.tokens.chair))
      .expect(200);
    expect(api.body).toMatchObject({ drawn: true, status: 'in_progress' });
    items = api.body.items as Item[];

    const html = await page(chair, `/learn/attempts/${attemptId}`);
    expect(html).toContain('<h2>Phần 1 — Trắc nghiệm</h2>');
    expect(html).toContain('<h2>Phần 2 — Tự luận và sắp xếp</h2>');
    expect(html.indexOf('Phần 1')).toBeLessThan(html.indexOf('Phần 2'));
    expect(html).toContain('Nộp bài trước');
    expect(html).toContain('Đã trả lời 0/8 câu.');

    const single = question(html, numberOf('single'));
    expect(single).toContain('5 đoàn viên');
    expect(single.match(/type="radio"/g)).toHaveLength(2);
    const tf = question(html, numberOf('true_false'));
    expect(tf.match(/type="radio"/g)).toHaveLength(2);
    expect(textOf(tf)).toContain('Đúng');
    expect(textOf(tf)).toContain('Sai');
    expect(tf).toContain(`name="${field('true_false')}" value="true"`);
    expect(question(html, numberOf('multiple')).match(/type="checkbox"/g)).toHaveLength(3);
    expect(question(html, numberOf('numeric'))).toContain('inputmode="decimal"');
    expect(question(html, numberOf('short_answer'))).toContain('type="text"');
    const ordering = question(html, numberOf('ordering'));
    expect(ordering.match(/<select/g)).toHaveLength(3);
    expect(ordering).toContain(`name="${field('ordering', 'a')}"`);
    expect(ordering).toContain('<option value="3">3</option>');
    const matching = question(html, numberOf('matching'));
    expect(matching.match(/<select/g)).toHaveLength(2);
    expect(textOf(matching)).toContain('Luật Công đoàn');
    expect(matching).toContain('<option value="r3">2012</option>');
    const essay = question(html, numberOf('essay'));
    expect(essay).toContain('<textarea');
    expect(textOf(essay)).toContain('Tối đa 400 từ.');
    expect(textOf(essay)).toContain('Nội dung: tối đa 6 điểm');
  });

  it('saves every good answer and shows each refusal beside its question, keeping what was typed', async () => {
    const res = await post(chair, `/learn/attempts/${attemptId}/answers`, {
      [field('single')]: 'B',
      [field('multiple')]: ['A', 'C'],
      [field('true_false')]: 'true',
      [field('numeric')]: 'một phần trăm',
      [field('short_answer')]: 'dai hoi cong doan co so',
      [field('ordering', 'a')]: '1',
      [field('ordering', 'b')]: '1',
      [field('ordering', 'c')]: '2',
      [field('matching', 'p1')]: 'r1',
      [field('matching', 'p2')]: 'r2',
      [field('essay')]: 'Chuẩn bị nội dung, thu thập ý kiến, gửi trước cho doanh nghiệp.',
    });
    expect(res.status).toBe(422);
    const html = res.text;
    expect(textOf(html)).toContain('Một số câu trả lời chưa được lưu');
    const numeric = question(html, numberOf('numeric'));
    expect(numeric).toContain('class="field-error"');
    expect(numeric).toContain('value="một phần trăm"');
    expect(numeric).toContain('aria-invalid="true"');
    const ordering = question(html, numberOf('ordering'));
    expect(textOf(ordering)).toContain('Mỗi vị trí chỉ được chọn cho một mục.');
    expect(ordering).toContain('<option value="2" selected>2</option>');
    for (const kind of ['single', 'multiple', 'true_false', 'short_answer', 'matching', 'essay']) {
      expect({ kind, error: question(html, numberOf(kind)).includes('field-error') }).toEqual({
        kind,
        error: false,
      });
    }
    // The others were saved, each in its kind's shape.
    const rows = await saved();
    expect(rows.get(course.questions.single)).toBe('B');
    expect(rows.get(course.questions.multiple)).toEqual(['A', 'C']);
    expect(rows.get(course.questions.true_false)).toBe(true);
    expect(rows.get(course.questions.matching)).toEqual({ p1: 'r1', p2: 'r2' });
    expect(rows.get(course.questions.numeric)).toBeNull();
    expect(rows.get(course.questions.ordering)).toBeNull();
  });

  it('takes a number with a decimal comma and an ordering, then shows every saved answer', async () => {
    const res = await post(chair, `/learn/attempts/${attemptId}/answers`, {
      [field('single')]: 'B',
      [field('multiple')]: ['A', 'C'],
      [field('true_false')]: 'true',
      [field('numeric')]: '1,0',
      [field('short_answer')]: 'Đại hội công đoàn cơ sở',
      [field('ordering', 'a')]: '1',
      [field('ordering', 'b')]: '2',
      [field('ordering', 'c')]: '3',
      [field('matching', 'p1')]: 'r1',
      [field('matching', 'p2')]: 'r2',
      [field('essay')]: 'Chuẩn bị nội dung, thu thập ý kiến, gửi trước cho doanh nghiệp.',
    });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/learn/attempts/${attemptId}?saved=1`);
    const rows = await saved();
    expect(rows.get(course.questions.numeric)).toBe(1);
    expect(rows.get(course.questions.ordering)).toEqual(['a', 'b', 'c']);

    const html = await page(chair, `/learn/attempts/${attemptId}?saved=1`);
    expect(html).toContain('Đã lưu câu trả lời.');
    expect(html).toContain('Đã trả lời 8/8 câu.');
    expect(question(html, numberOf('single'))).toMatch(/value="B" checked/);
    expect(question(html, numberOf('true_false'))).toMatch(/value="true" checked/);
    expect(question(html, numberOf('multiple')).match(/ checked/g)).toHaveLength(2);
    expect(question(html, numberOf('numeric'))).toContain('value="1"');
    expect(question(html, numberOf('short_answer'))).toContain('value="Đại hội công đoàn cơ sở"');
    const ordering = question(html, numberOf('ordering'));
    expect(ordering.match(/ selected>/g)).toHaveLength(3);
    expect(question(html, numberOf('matching'))).toContain(
      '<option value="r2" selected>2019</option>',
    );
    expect(question(html, numberOf('essay'))).toContain('gửi trước cho doanh nghiệp.</textarea>');
  });

  it('answers the autosave in JSON, writing only what changed; an emptied answer becomes unanswered', async () => {
    const res = await post(chair, `/learn/attempts/${attemptId}/answers`, {
      [field('single')]: 'B',
      [field('numeric')]: '3,5',
    }).set('Accept', 'application/json');
    expect(res.status).toBe(200);
    // The numeric changed; the six others the form no longer holds are emptied.
    expect(res.body).toEqual({ saved: 7 });
    expect((await saved()).get(course.questions.numeric)).toBe(3.5);
    const html = await page(chair, `/learn/attempts/${attemptId}`);
    expect(question(html, numberOf('numeric'))).toContain('value="3,5"');
    expect(html).toContain('Đã trả lời 2/8 câu.');
  });

  it('submits, then says a person is marking the essay and shows no score yet', async () => {
    // Everything right again, sent with the submit button.
    const res = await post(chair, `/learn/attempts/${attemptId}/submit`, {
      [field('single')]: 'B',
      [field('multiple')]: ['A', 'C'],
      [field('true_false')]: 'true',
      [field('numeric')]: '1',
      [field('short_answer')]: 'Đại hội công đoàn cơ sở',
      [field('ordering', 'a')]: '1',
      [field('ordering', 'b')]: '2',
      [field('ordering', 'c')]: '3',
      [field('matching', 'p1')]: 'r1',
      [field('matching', 'p2')]: 'r2',
      [field('essay')]: 'Chuẩn bị nội dung, thu thập ý kiến, gửi trước cho doanh nghiệp.',
    });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/learn/attempts/${attemptId}`);
    const html = await page(chair, `/learn/attempts/${attemptId}`);
    expect(textOf(html)).toContain('Bài làm đang được chấm');
    expect(textOf(html)).toContain('Người chấm đang chấm phần tự luận');
    // No score in words ("8,5/10"); an id in a link may start with "10", so look at the text.
    expect(textOf(html)).not.toMatch(/\d\/10\b/);
    expect(html).not.toContain('<fieldset');
    // What was submitted, in words, with no outcome and no right answer.
    expect(textOf(html)).toContain('Bài bạn đã nộp');
    expect(textOf(reviewCard(html, numberOf('single')))).toContain(
      'Câu trả lời của bạn 5 đoàn viên',
    );
    expect(textOf(reviewCard(html, numberOf('matching')))).toContain('Luật Công đoàn → 2024');
    expect(html).not.toContain('Đáp án đúng');
    const coursePage = await page(chair, `/learn/enrolments/${course.enrolments.chair}`);
    expect(textOf(coursePage)).toContain('Đang chấm');
  });

  it('once marked and released, shows the score and each question’s outcome, right answer, points and feedback', async () => {
    await markWaitingAnswers(
      t,
      course.assessmentId,
      attemptId,
      8,
      'Bài viết rõ ràng, cần thêm ví dụ.',
    );
    const html = await page(chair, `/learn/attempts/${attemptId}`);
    const text = textOf(html);
    expect(text).toContain('Kết quả bài kiểm tra');
    // 12 of 12 points automatically, 8 of 10 for the essay: 20/22 → 9.09.
    expect(text).toContain('9,09/10');
    expect(text).toContain('20/22');
    expect(text).toContain('Đạt');
    const single = textOf(reviewCard(html, numberOf('single')));
    expect(single).toContain('Đúng · 1/1 điểm');
    expect(single).toContain('Đáp án đúng 5 đoàn viên');
    expect(textOf(reviewCard(html, numberOf('true_false')))).toContain('Đáp án đúng Đúng');
    expect(textOf(reviewCard(html, numberOf('multiple')))).toContain(
      'Đáp án đúng Đại diện đối thoại với người sử dụng lao động Tổ chức đại hội công đoàn cơ sở',
    );
    expect(textOf(reviewCard(html, numberOf('numeric')))).toContain('Đáp án đúng 1');
    expect(textOf(reviewCard(html, numberOf('ordering')))).toContain(
      'Đáp án đúng Thu thập ý kiến người lao động Gửi nội dung đối thoại Tổ chức đối thoại',
    );
    expect(textOf(reviewCard(html, numberOf('matching')))).toContain(
      'Luật Công đoàn → 2024 Bộ luật Lao động → 2019',
    );
    const essay = textOf(reviewCard(html, numberOf('essay')));
    expect(essay).toContain('Đã chấm · 8/10 điểm');
    expect(essay).toContain('Nhận xét của người chấm Bài viết rõ ràng, cần thêm ví dụ.');
    expect(essay).not.toContain('Đáp án đúng');

    // The same page in English, with the switch's cookie.
    const en = textOf(
      (
        await t.http
          .get(`/learn/attempts/${attemptId}`)
          .set('Cookie', `${chair.cookie}; lms_lang=en`)
          .expect(200)
      ).text,
    );
    expect(en).toContain('Right answer');
    expect(en).toContain("Marker's feedback");
    expect(en).toContain('Right answer True');
  });

  it('never: a released attempt shows its score but no question; someone else’s is not found', async () => {
    const other = await drawnCourse(t, ['hrHanoi'], { reviewPolicy: 'never' });
    const hr = await sessionOf(t, 'hrHanoi');
    const started = await post(hr, `/learn/enrolments/${other.enrolments.hrHanoi}/attempts`, {});
    const id = /([0-9a-f-]{36})$/.exec(started.headers.location)![1];
    await post(hr, `/learn/attempts/${id}/submit`, {
      [`r_${other.questions.single}`]: 'B',
      [`r_${other.questions.essay}`]: 'Một câu trả lời ngắn.',
    }).expect(303);
    await markWaitingAnswers(t, other.assessmentId, id, 5, 'Quá ngắn.');
    const html = await page(hr, `/learn/attempts/${id}`);
    expect(textOf(html)).toContain('Kết quả bài kiểm tra');
    expect(textOf(html)).toContain('Bài kiểm tra này không cho xem lại từng câu.');
    expect(html).not.toContain('Đáp án đúng');
    expect(html).not.toContain('Quá ngắn.');

    await page(hr, `/learn/attempts/${attemptId}`, 404);
    await post(hr, `/learn/attempts/${attemptId}/answers`, {}).expect(404);
  });

  it('after the deadline, a save is refused for the whole form and the attempt can only be submitted', async () => {
    const hr = await sessionOf(t, 'hrHanoi');
    const other = await drawnCourse(t, ['hrHanoi']);
    const started = await post(hr, `/learn/enrolments/${other.enrolments.hrHanoi}/attempts`, {});
    const id = /([0-9a-f-]{36})$/.exec(started.headers.location)![1];
    await post(hr, `/learn/attempts/${id}/answers`, {
      [`r_${other.questions.single}`]: 'A',
    }).expect(303);
    await t.dataSource.query(
      `UPDATE assessment_attempts SET deadline = now() - interval '1 second' WHERE id = $1`,
      [id],
    );
    const refused = await post(hr, `/learn/attempts/${id}/answers`, {
      [`r_${other.questions.single}`]: 'B',
    });
    expect(refused.status).toBe(409);
    expect(refused.text).toContain('role="alert"');
    const html = await page(hr, `/learn/attempts/${id}`);
    expect(html).toContain('Đã hết giờ làm bài.');
    expect(html).toMatch(/<fieldset[^>]* disabled/);
    expect(html).toContain('Nộp bài để chấm');
    // Submitting grades what was saved in time; the essay waits for a marker.
    await post(hr, `/learn/attempts/${id}/submit`, {}).expect(303);
    expect(textOf(await page(hr, `/learn/attempts/${id}`))).toContain('Bài làm đang được chấm');
  });
});
