import { SubmittedAttemptsService } from '../src/assessments/submitted-attempts.service';
import { AuthService } from '../src/auth/auth.service';
import { DEMO_PASSWORD } from '../src/seed/demo-data';
import { drawnCourse, DrawnCourse, markWaitingAnswers } from './support/drawn-assessment';
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

/** The text of a page: tags dropped, entities of quotes read, spaces folded. */
const textOf = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&#x3D;/g, '=')
    .replace(/\s+/g, ' ')
    .trim();

/** The text of a field's error beside it (the element `id`-error). */
function errorBeside(html: string, id: string): string {
  const m = new RegExp(`id="${id}-error">(.*?)</p>`, 's').exec(html);
  return m ? textOf(m[1]) : '';
}

/** The card of one answer of the attempt page, by its position. */
function itemCard(html: string, position: number): string {
  const start = html.indexOf(`id="item-${position}"`);
  if (start < 0) return '';
  const end = html.indexOf('<li class="card attempt-item"', start);
  return html.slice(start, end < 0 ? undefined : end);
}

const ESSAY = 'Bước một: thu thập ý kiến người lao động.\n\nBước hai: gửi nội dung đối thoại.';
const REASON = 'Phúc khảo: học viên chọn đúng theo Điều lệ Công đoàn Việt Nam';

/**
 * Issue 16 in the portal: the officer reads one learner's submitted drawn attempt — each answer
 * in words, the right answer, the automatic points and any override with its reason and who
 * made it — and overrides an auto-graded answer with "Sửa điểm". The override is
 * MarkingService.mark, as PUT /attempts/:id/items/:position/mark: the points are stored, the
 * audit entry written, bad input refused beside its field, scope and rights the API's.
 */
describe('portal: overriding an auto-graded answer', () => {
  let t: TestApp;
  let course: DrawnCourse;
  let officer: Session;
  let officerName: string;
  let chairName: string;
  const attempts = {} as Record<'chair' | 'hrHanoi' | 'officerHanoi', string>;

  const get = (path: string, who = officer) => t.http.get(path).set('Cookie', who.cookie);
  const post = (path: string, form: Record<string, string>, who = officer) =>
    t.http
      .post(path)
      .set('Cookie', who.cookie)
      .type('form')
      .send({ _csrf: who.csrf, ...form });
  const list = () => `/officer/assessments/${course.assessmentId}/attempts`;
  const attemptPage = (id: string) => `${list()}/${id}`;
  const positionOf = async (attemptId: string, questionId: string) =>
    (
      await t.dataSource.query<{ position: number }[]>(
        `SELECT position FROM attempt_items WHERE attempt_id = $1 AND question_id = $2`,
        [attemptId, questionId],
      )
    )[0].position;
  const itemRow = async (attemptId: string, position: number) =>
    (
      await t.dataSource.query<{ final_points: string | null; auto_points: string | null }[]>(
        `SELECT final_points, auto_points FROM attempt_items
          WHERE attempt_id = $1 AND position = $2`,
        [attemptId, position],
      )
    )[0];
  const marksOf = (attemptId: string) =>
    t.dataSource.query<{ points: string }[]>(
      `SELECT points FROM attempt_marks WHERE attempt_id = $1`,
      [attemptId],
    );

  beforeAll(async () => {
    t = await createTestApp();
    course = await drawnCourse(t, ['chair', 'hrHanoi', 'officerHanoi']);
    officer = await sessionOf(t, 'officerHanoi');
    const rows = await t.dataSource.query<{ email: string; full_name: string }[]>(
      `SELECT u.email, p.full_name FROM user_accounts u JOIN people p ON p.id = u.person_id
        WHERE u.email = ANY($1::text[])`,
      [[DEMO.chair, DEMO.officerHanoi]],
    );
    chairName = rows.find((r) => r.email === DEMO.chair)!.full_name;
    officerName = rows.find((r) => r.email === DEMO.officerHanoi)!.full_name;
    for (const learner of ['chair', 'hrHanoi', 'officerHanoi'] as const) {
      const s = learner === 'officerHanoi' ? officer : await sessionOf(t, learner);
      const started = await post(
        `/learn/enrolments/${course.enrolments[learner]}/attempts`,
        {},
        s,
      ).expect(303);
      attempts[learner] = /([0-9a-f-]{36})$/.exec(started.headers.location)![1];
      await post(
        `/learn/attempts/${attempts[learner]}/submit`,
        {
          // The chair picks the wrong option (0 of 1 point); the others the right one.
          [`r_${course.questions.single}`]: learner === 'chair' ? 'A' : 'B',
          [`r_${course.questions.true_false}`]: 'true',
          [`r_${course.questions.essay}`]: ESSAY,
        },
        s,
      ).expect(303);
    }
  });

  afterAll(async () => {
    await t?.close();
  });

  it('is linked from the assessment page, the grading queue and the list of attempts', async () => {
    const a = await get(`/officer/assessments/${course.assessmentId}`).expect(200);
    expect(a.text).toContain(`href="${list()}"`);
    expect(textOf(a.text)).toContain('Các lượt làm bài đã nộp (sửa điểm)');
    const queue = await get(`/officer/assessments/${course.assessmentId}/marking`).expect(200);
    expect(queue.text).toContain(`href="${attemptPage(attempts.chair)}#item-`);
    const page = await get(list()).expect(200);
    expect(textOf(page.text)).toContain('Các lượt làm bài đã nộp');
    expect(page.text).toContain(`<a href="${attemptPage(attempts.chair)}">${chairName}</a>`);
    expect(page.text).toContain(`href="${attemptPage(attempts.hrHanoi)}"`);
    // Newest submission first; the officer's own attempt is not listed (its page shows answers).
    expect(page.text.indexOf(attempts.hrHanoi)).toBeLessThan(page.text.indexOf(attempts.chair));
    expect(page.text).not.toContain(attempts.officerHanoi);
    expect(textOf(page.text)).toContain('Chưa công bố (1 câu chờ chấm)');
  });

  it('pages the list with the cursor the service hands out', async () => {
    const actor = (await t.app.get(AuthService).authenticate(t.tokens.officerHanoi))!;
    const first = await t.app
      .get(SubmittedAttemptsService)
      .list(actor, course.assessmentId, { limit: 1 });
    expect(first.items.map((i) => i.id)).toEqual([attempts.hrHanoi]);
    const next = await get(`${list()}?cursor=${first.nextCursor!}`).expect(200);
    expect(next.text).toContain(`href="${attemptPage(attempts.chair)}"`);
    expect(next.text).not.toContain(`href="${attemptPage(attempts.hrHanoi)}"`);
    expect(next.text).toContain(`href="${list()}"`);
    // A cursor it cannot read is a refusal, never a server error.
    expect((await get(`${list()}?cursor=bm90LWEtY3Vyc29y`)).status).toBeLessThan(500);
  });

  it('shows each answer in words with the right answer, the automatic points and a form', async () => {
    const res = await get(attemptPage(attempts.chair)).expect(200);
    const page = textOf(res.text);
    expect(page).toContain(`Bài làm của ${chairName}`);
    expect(page).toContain('Chưa công bố (1 câu chờ chấm)');
    const single = await positionOf(attempts.chair, course.questions.single);
    const card = textOf(itemCard(res.text, single));
    expect(card).toContain('Công đoàn cơ sở được thành lập khi có ít nhất bao nhiêu đoàn viên?');
    expect(card).toContain('Học viên trả lời 3 đoàn viên');
    expect(card).toContain('Đáp án đúng 5 đoàn viên');
    expect(card).toContain('Điểm chấm tự động 0 điểm · Sai');
    expect(card).toContain('Sửa điểm');
    expect(itemCard(res.text, single)).toContain(
      'name="points" inputmode="decimal" pattern="[0-9]{1,4}([.,][0-9]{1,2})?"',
    );
    const tf = textOf(
      itemCard(res.text, await positionOf(attempts.chair, course.questions.true_false)),
    );
    expect(tf).toContain('Học viên trả lời Đúng');
    expect(tf).toContain('1 điểm · Đúng');
    // The essay is read as paragraphs and marked in the queue, not overridden here.
    const essay = itemCard(res.text, await positionOf(attempts.chair, course.questions.essay));
    expect(essay).toContain('<p>Bước một: thu thập ý kiến người lao động.</p>');
    expect(textOf(essay)).toContain('Chấm câu tự luận trong hàng chờ chấm');
    expect(essay).not.toContain('name="points"');
    // An unanswered question says so.
    const numeric = itemCard(res.text, await positionOf(attempts.chair, course.questions.numeric));
    expect(textOf(numeric)).toContain('Học viên không trả lời câu này.');
  });

  it('refuses a missing reason, points above the item’s and "abc" beside the field', async () => {
    const single = await positionOf(attempts.chair, course.questions.single);
    const path = `${attemptPage(attempts.chair)}/items/${single}`;
    const noReason = await post(path, { points: '1', reason: '' });
    expect(noReason.status).toBe(400);
    expect(errorBeside(itemCard(noReason.text, single), `o${single}-reason`)).toBe(
      'Cần lý do sửa điểm.',
    );
    expect(itemCard(noReason.text, single)).toMatch(/name="points"[^>]*value="1"/);

    const above = await post(path, { points: '2', reason: REASON });
    expect(above.status).toBe(400);
    const card = itemCard(above.text, single);
    expect(errorBeside(card, `o${single}-points`)).toBe('Không được vượt quá 1 điểm của câu.');
    expect(card).toMatch(/name="points"[^>]*value="2" aria-invalid="true"/);
    expect(card).toContain(`value="${REASON}"`);

    const abc = await post(path, { points: 'abc', reason: REASON });
    expect(abc.status).toBe(400);
    expect(errorBeside(itemCard(abc.text, single), `o${single}-points`)).toMatch(/^Phải là số/);
    expect(errorBeside(itemCard(abc.text, single), `o${single}-reason`)).toBe('');

    const en = await t.http
      .post(path)
      .set('Cookie', `${officer.cookie}; lms_lang=en`)
      .type('form')
      .send({ _csrf: officer.csrf, points: '1' });
    expect(en.status).toBe(400);
    expect(errorBeside(itemCard(en.text, single), `o${single}-reason`)).toBe(
      'Give the reason for the override.',
    );
    expect(await marksOf(attempts.chair)).toHaveLength(0);
    expect(Number((await itemRow(attempts.chair, single)).final_points)).toBe(0);
  });

  it('overrides with a decimal comma: the points stored, the audit written, the page says so', async () => {
    const single = await positionOf(attempts.chair, course.questions.single);
    const res = await post(`${attemptPage(attempts.chair)}/items/${single}`, {
      points: '0,5',
      reason: REASON,
    });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(
      `${attemptPage(attempts.chair)}?saved=${single}#item-${single}`,
    );
    const row = await itemRow(attempts.chair, single);
    expect(Number(row.final_points)).toBe(0.5);
    expect(Number(row.auto_points)).toBe(0);
    const [audit] = await t.dataSource.query<
      { actor_user_id: string; after: { reason: string; finalPoints: number; position: number } }[]
    >(
      `SELECT l.actor_user_id, l.after FROM audit_log l
        WHERE l.action = 'attempt_mark.override' AND l.after->>'attemptId' = $1`,
      [attempts.chair],
    );
    expect(audit.after).toMatchObject({ reason: REASON, finalPoints: 0.5, position: single });
    const [me] = await t.dataSource.query<{ id: string }[]>(
      `SELECT id FROM user_accounts WHERE email = $1`,
      [DEMO.officerHanoi],
    );
    expect(audit.actor_user_id).toBe(me.id);

    const page = await get(res.headers.location).expect(200);
    expect(textOf(page.text)).toContain('Đã sửa điểm câu');
    const card = textOf(itemCard(page.text, single));
    expect(card).toContain('Điểm chấm tự động 0 điểm · Sai');
    expect(card).toContain('Điểm của câu 0,5 điểm');
    expect(card).toContain(`Sửa thành 0,5 điểm, bởi ${officerName} (bạn chấm)`);
    expect(card).toContain(`Lý do: ${REASON}`);
    const listed = textOf((await get(list()).expect(200)).text);
    expect(listed).toMatch(new RegExp(`${chairName} .*Chưa công bố \\(1 câu chờ chấm\\) 1`));
  });

  it('recomputes a released result when an answer is overridden', async () => {
    await markWaitingAnswers(t, course.assessmentId, attempts.hrHanoi, 8, 'Tốt');
    const before = await t.dataSource.query<{ score: string }[]>(
      `SELECT score FROM assessment_attempts WHERE id = $1`,
      [attempts.hrHanoi],
    );
    const single = await positionOf(attempts.hrHanoi, course.questions.single);
    const res = await post(`${attemptPage(attempts.hrHanoi)}/items/${single}`, {
      points: '0',
      reason: 'Phúc khảo: đáp án được chấm nhầm',
    });
    expect(res.status).toBe(303);
    const [after] = await t.dataSource.query<{ score: string }[]>(
      `SELECT score FROM assessment_attempts WHERE id = $1`,
      [attempts.hrHanoi],
    );
    expect(Number(after.score)).toBeLessThan(Number(before[0].score));
    const page = textOf((await get(res.headers.location).expect(200)).text);
    expect(page).toContain('Kết quả đã công bố được tính lại.');
    expect(page).toContain(`Đã công bố: ${String(Number(after.score)).replace('.', ',')}/10 điểm`);
  });

  it('neither shows an officer their own attempt (its right answers) nor takes an override of it', async () => {
    await get(attemptPage(attempts.officerHanoi)).expect(404);
    const single = await positionOf(attempts.officerHanoi, course.questions.single);
    const res = await post(`${attemptPage(attempts.officerHanoi)}/items/${single}`, {
      points: '0',
      reason: REASON,
    });
    expect([403, 404]).toContain(res.status);
    expect(res.text).not.toContain('Đáp án đúng');
    expect(await marksOf(attempts.officerHanoi)).toHaveLength(0);
  });

  it('keeps officers of other provinces out (not found) and learners out (forbidden)', async () => {
    const single = await positionOf(attempts.chair, course.questions.single);
    const bacNinh = await sessionOf(t, 'officerBacNinh');
    await get(list(), bacNinh).expect(404);
    await get(attemptPage(attempts.chair), bacNinh).expect(404);
    const refused = await post(
      `${attemptPage(attempts.chair)}/items/${single}`,
      { points: '1', reason: REASON },
      bacNinh,
    );
    expect(refused.status).toBe(404);
    expect(textOf(refused.text)).toContain('Không tìm thấy');
    const chair = await sessionOf(t, 'chair');
    await get(attemptPage(attempts.chair), chair).expect(403);
    expect(
      (
        await post(
          `${attemptPage(attempts.chair)}/items/${single}`,
          { points: '1', reason: REASON },
          chair,
        )
      ).status,
    ).toBe(403);
    // An attempt named under another assessment is not found either.
    const other = await drawnCourse(t, ['chair']);
    await get(`/officer/assessments/${other.assessmentId}/attempts/${attempts.chair}`).expect(404);
    // One mark only: the override made above.
    expect(await marksOf(attempts.chair)).toHaveLength(1);
    expect(Number((await itemRow(attempts.chair, single)).final_points)).toBe(0.5);
  });

  it('answers a position that is no number with a refusal on top, never a server error', async () => {
    const res = await post(`${attemptPage(attempts.chair)}/items/abc`, {
      points: '1',
      reason: REASON,
    });
    expect(res.status).toBe(400);
    expect(res.text).toContain('role="alert"');
    expect(textOf(res.text)).toContain('Phải là số thứ tự của câu trong lượt làm bài');
  });
});
