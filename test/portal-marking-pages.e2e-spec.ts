import { DEMO_PASSWORD } from '../src/seed/demo-data';
import { drawnCourse, DrawnCourse } from './support/drawn-assessment';
import { createTestApp, DEMO, DemoAccount, TestApp } from './support/test-app';

jest.setTimeout(90_000);

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

/** The text of a page or fragment: tags dropped, spaces folded. */
const textOf = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#x27;/g, "'")
    .replace(/\s+/g, ' ')
    .trim();

/** The text of a field's error beside it (the element `id`-error). */
function errorBeside(html: string, id: string): string {
  const m = new RegExp(`id="${id}-error">(.*?)</p>`, 's').exec(html);
  return m ? textOf(m[1]) : '';
}

/** The queue entry (a card of the list) of a learner. */
function entryOf(html: string, name: string): string {
  const cards = html.split('<li class="card marking-entry"').slice(1);
  return cards.find((c) => c.includes(name)) ?? '';
}

const ESSAY = 'Bước một: thu thập ý kiến người lao động.\n\nBước hai: gửi nội dung đối thoại.';

/**
 * Issue 16 in the portal: the officer's grading queue. Each essay waiting for a mark, with the
 * learner, the question, the answer as paragraphs and its word count, the rubric; a mark per
 * criterion (a decimal comma read), refused beside the criterion in the page's language; the
 * release of the attempts marked, with how many were released and how many still wait. Scope
 * and rights are MarkingService's, as the API's.
 */
describe('portal: the grading queue', () => {
  let t: TestApp;
  let course: DrawnCourse;
  let officer: Session;
  let names: Record<'chair' | 'hrHanoi', string>;
  const attempts = {} as Record<'chair' | 'hrHanoi', string>;

  const get = (path: string, who = officer) => t.http.get(path).set('Cookie', who.cookie);
  const post = (path: string, form: Record<string, string>, who = officer) =>
    t.http
      .post(path)
      .set('Cookie', who.cookie)
      .type('form')
      .send({ _csrf: who.csrf, ...form });
  const queue = () => `/officer/assessments/${course.assessmentId}/marking`;
  const essayPosition = async (attemptId: string) =>
    (
      await t.dataSource.query<{ position: number }[]>(
        `SELECT position FROM attempt_items WHERE attempt_id = $1 AND needs_marking`,
        [attemptId],
      )
    )[0].position;

  beforeAll(async () => {
    t = await createTestApp();
    course = await drawnCourse(t, ['chair', 'hrHanoi']);
    officer = await sessionOf(t, 'officerHanoi');
    const rows = await t.dataSource.query<{ email: string; full_name: string }[]>(
      `SELECT u.email, p.full_name FROM user_accounts u JOIN people p ON p.id = u.person_id
        WHERE u.email = ANY($1::text[])`,
      [[DEMO.chair, DEMO.hrHanoi]],
    );
    const nameOf = (email: string) => rows.find((r) => r.email === email)!.full_name;
    names = { chair: nameOf(DEMO.chair), hrHanoi: nameOf(DEMO.hrHanoi) };
    for (const learner of ['chair', 'hrHanoi'] as const) {
      const s = await sessionOf(t, learner);
      const started = await post(
        `/learn/enrolments/${course.enrolments[learner]}/attempts`,
        {},
        s,
      ).expect(303);
      attempts[learner] = /([0-9a-f-]{36})$/.exec(started.headers.location)![1];
      await post(
        `/learn/attempts/${attempts[learner]}/submit`,
        {
          [`r_${course.questions.single}`]: 'B',
          [`r_${course.questions.essay}`]: learner === 'chair' ? ESSAY : 'Ngắn gọn.',
        },
        s,
      ).expect(303);
    }
  });

  afterAll(async () => {
    await t?.close();
  });

  it('is linked from the assessment page and the blueprint page', async () => {
    const a = await get(`/officer/assessments/${course.assessmentId}`).expect(200);
    expect(a.text).toContain(`href="${queue()}"`);
    expect(a.text).toContain('Chấm bài (hàng chờ chấm)');
    const bp = await get(`/officer/assessments/${course.assessmentId}/blueprint`).expect(200);
    expect(bp.text).toContain(`href="${queue()}"`);
  });

  it('lists each essay waiting, with the learner, question, paragraphs, word count and rubric', async () => {
    const res = await get(queue()).expect(200);
    const chair = entryOf(res.text, names.chair);
    expect(textOf(chair)).toContain(
      'Trình bày cách chuẩn bị một cuộc đối thoại định kỳ tại doanh nghiệp.',
    );
    expect(chair).toContain('<p>Bước một: thu thập ý kiến người lao động.</p>');
    expect(chair).toContain('<p>Bước hai: gửi nội dung đối thoại.</p>');
    expect(textOf(chair)).toContain('(16 từ)');
    expect(textOf(chair)).toContain('Cần người chấm thứ nhất');
    expect(textOf(chair)).toContain('Nội dung (tối đa 6)');
    expect(textOf(chair)).toContain('Trình bày (tối đa 4)');
    // A text input that takes a decimal comma (a number input drops it), two places at most.
    expect(chair).toContain(
      'name="c_noi-dung" inputmode="decimal" pattern="[0-9]{1,4}([.,][0-9]{1,2})?"',
    );
    expect(textOf(entryOf(res.text, names.hrHanoi))).toContain('(2 từ)');
    // Nothing is ready yet: the release says 0 and cannot be pressed.
    expect(textOf(res.text)).toContain('0 lượt làm bài đã chấm xong');
    expect(res.text).toMatch(/<button type="submit" aria-describedby="release-ready" disabled>/);
  });

  it('pages the queue with the cursor the service hands out', async () => {
    const api = await t.http
      .get(`/api/v1/assessments/${course.assessmentId}/marking?limit=1`)
      .set('Authorization', `Bearer ${t.tokens.officerHanoi}`)
      .expect(200);
    expect(api.body.items).toHaveLength(1);
    // The chair submitted first; the page after the chair's answer holds the other learner's.
    const next = await get(`${queue()}?cursor=${api.body.nextCursor as string}`).expect(200);
    expect(entryOf(next.text, names.chair)).toBe('');
    expect(entryOf(next.text, names.hrHanoi)).not.toBe('');
    expect(next.text).toContain(`href="${queue()}#queue"`);
    expect(next.text).toContain(`name="cursor" value="${api.body.nextCursor as string}"`);
  });

  it('refuses a criterion beyond its points and a blank one beside each, keeping what was typed', async () => {
    const position = await essayPosition(attempts.chair);
    const path = `${queue()}/${attempts.chair}/${position}`;
    const res = await post(path, { 'c_noi-dung': '7', 'c_trinh-bay': '', feedback: 'Tốt' });
    expect(res.status).toBe(400);
    const chair = entryOf(res.text, names.chair);
    const formId = /id="(m\d+)-c_noi-dung"/.exec(chair)![1];
    expect(errorBeside(chair, `${formId}-c_noi-dung`)).toBe('Phải từ 0 đến 6 điểm.');
    expect(errorBeside(chair, `${formId}-c_trinh-bay`)).toBe('Thiếu điểm của tiêu chí này.');
    expect(chair).toMatch(/name="c_noi-dung"[^>]*value="7" aria-invalid="true"/);
    expect(chair).toContain('>Tốt</textarea>');
    // The other learner's form is untouched.
    expect(entryOf(res.text, names.hrHanoi)).not.toContain('aria-invalid');

    const en = await t.http
      .post(path)
      .set('Cookie', `${officer.cookie}; lms_lang=en`)
      .type('form')
      .send({ _csrf: officer.csrf, 'c_noi-dung': '7', 'c_trinh-bay': '1' });
    expect(en.status).toBe(400);
    expect(errorBeside(entryOf(en.text, names.chair), `${formId}-c_noi-dung`)).toBe(
      'Must be from 0 to 6 points.',
    );
    const marks = await t.dataSource.query(`SELECT 1 FROM attempt_marks WHERE attempt_id = $1`, [
      attempts.chair,
    ]);
    expect(marks).toHaveLength(0);
  });

  it('saves a mark with decimal commas; the answer leaves the queue and the attempt is ready', async () => {
    const position = await essayPosition(attempts.chair);
    const res = await post(`${queue()}/${attempts.chair}/${position}`, {
      'c_noi-dung': '5,5',
      'c_trinh-bay': '2,5',
      feedback: 'Đủ các bước, cần thêm ví dụ.',
    });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`${queue()}?saved=final#queue`);
    const [item] = await t.dataSource.query<{ final_points: string }[]>(
      `SELECT final_points FROM attempt_items WHERE attempt_id = $1 AND position = $2`,
      [attempts.chair, position],
    );
    expect(Number(item.final_points)).toBe(8);
    const page = await get(`${queue()}?saved=final`).expect(200);
    expect(textOf(page.text)).toContain('Đã lưu điểm. Câu trả lời đã có điểm cuối cùng.');
    expect(entryOf(page.text, names.chair)).toBe('');
    expect(entryOf(page.text, names.hrHanoi)).not.toBe('');
    expect(textOf(page.text)).toContain('1 lượt làm bài đã chấm xong');
    expect(textOf(page.text)).toContain('Công bố kết quả (1)');
  });

  it('releases the ready attempts and says how many were released and how many still wait', async () => {
    const res = await post(`${queue()}/release`, {});
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`${queue()}?released=1&waiting=1&remaining=0`);
    const page = await get(res.headers.location).expect(200);
    expect(textOf(page.text)).toContain('Đã công bố 1 lượt làm bài. Còn 1 lượt chờ chấm.');
    expect(textOf(page.text)).toContain('0 lượt làm bài đã chấm xong');
    const [attempt] = await t.dataSource.query<{ released: boolean }[]>(
      `SELECT released_at IS NOT NULL AS released FROM assessment_attempts WHERE id = $1`,
      [attempts.chair],
    );
    expect(attempt.released).toBe(true);
    // The learner now sees the result with the marker's feedback.
    const chair = await sessionOf(t, 'chair');
    const result = await get(`/learn/attempts/${attempts.chair}`, chair).expect(200);
    expect(textOf(result.text)).toContain('Kết quả bài kiểm tra');
    expect(textOf(result.text)).toContain('Đủ các bước, cần thêm ví dụ.');
  });

  it('keeps officers of other provinces, HR and learners out, as the API does', async () => {
    const bacNinh = await sessionOf(t, 'officerBacNinh');
    await get(queue(), bacNinh).expect(404);
    const position = await essayPosition(attempts.hrHanoi);
    const refused = await post(
      `${queue()}/${attempts.hrHanoi}/${position}`,
      { 'c_noi-dung': '1', 'c_trinh-bay': '1' },
      bacNinh,
    );
    expect(refused.status).toBe(404);
    await get(queue(), await sessionOf(t, 'chair')).expect(403);
    const hr = await sessionOf(t, 'hrHanoi');
    expect((await get(queue(), hr)).status).toBeGreaterThanOrEqual(403);
    const a = await get(`/officer/assessments/${course.assessmentId}`, hr);
    expect(a.text).not.toContain(`href="${queue()}"`);
    const marks = await t.dataSource.query(`SELECT 1 FROM attempt_marks WHERE attempt_id = $1`, [
      attempts.hrHanoi,
    ]);
    expect(marks).toHaveLength(0);
  });

  it('with second marking, shows my mark as mine and waits for another marker', async () => {
    const second = await drawnCourse(t, ['chair'], { secondMarking: true });
    const chair = await sessionOf(t, 'chair');
    const started = await post(
      `/learn/enrolments/${second.enrolments.chair}/attempts`,
      {},
      chair,
    ).expect(303);
    const attemptId = /([0-9a-f-]{36})$/.exec(started.headers.location)![1];
    await post(
      `/learn/attempts/${attemptId}/submit`,
      { [`r_${second.questions.essay}`]: ESSAY },
      chair,
    ).expect(303);
    const path = `/officer/assessments/${second.assessmentId}/marking`;
    const position = await essayPosition(attemptId);
    const saved = await post(`${path}/${attemptId}/${position}`, {
      'c_noi-dung': '4',
      'c_trinh-bay': '3,25',
    });
    expect(saved.headers.location).toBe(`${path}?saved=needs-second#queue`);
    const mine = textOf(entryOf((await get(path).expect(200)).text, names.chair));
    expect(mine).toContain('Cần người chấm thứ hai');
    expect(mine).toContain('Người chấm 1: 7,25 điểm (bạn chấm)');
    expect(mine).toContain('Bạn là người chấm 1 của câu này');
    // Another officer over Hà Nội sees the same mark, not as theirs, and takes the second slot.
    const admin = await sessionOf(t, 'admin');
    const theirs = textOf(entryOf((await get(path, admin).expect(200)).text, names.chair));
    expect(theirs).toContain('Người chấm 1: 7,25 điểm');
    expect(theirs).not.toContain('(bạn chấm)');
    const again = await post(
      `${path}/${attemptId}/${position}`,
      { 'c_noi-dung': '5', 'c_trinh-bay': '3' },
      admin,
    );
    expect(again.headers.location).toBe(`${path}?saved=final#queue`);
    const ready = await get(path).expect(200);
    expect(entryOf(ready.text, names.chair)).toBe('');
    expect(textOf(ready.text)).toContain('Công bố kết quả (1)');
  });

  it('shows on top a refusal for an answer that is not on the page', async () => {
    const res = await post(`${queue()}/${attempts.hrHanoi}/abc`, {
      'c_noi-dung': '1',
      'c_trinh-bay': '1',
    });
    expect(res.status).toBe(400);
    expect(res.text).toContain('role="alert"');
    expect(textOf(res.text)).toContain('Phải là số thứ tự của câu trong lượt làm bài');
  });

  it('answers a cursor it cannot read with a refusal, never a server error', async () => {
    const res = await get(`${queue()}?cursor=bm90LWEtY3Vyc29y`);
    expect(res.status).toBeLessThan(500);
  });
});
