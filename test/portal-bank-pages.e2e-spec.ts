import { unzipSync } from 'fflate';
import { QuestionBanksService } from '../src/assessments/question-banks.service';
import { AuthService } from '../src/auth/auth.service';
import { DEMO_PASSWORD } from '../src/seed/demo-data';
import { createTestApp, DEMO, TestApp } from './support/test-app';

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

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

/** The text of the element with this id (its first line of markup, enough for a field error). */
function errorBeside(html: string, id: string): string {
  const m = new RegExp(`id="${id}-error">(.*?)</div>`, 's').exec(html);
  return m ? m[1].replace(/<[^>]+>/g, ' ') : '';
}

/**
 * Issue 16 in the portal: the training officer's question bank pages — banks, a bank's
 * categories and questions (filtered and paged), QTI out and in, and the question editor of each
 * kind, where a save is a new version and a refusal comes back beside its field with what was
 * typed. Scope and rights as in the API: another province's bank is "không tìm thấy", HR reads
 * but may not edit, a chair has no page here.
 */
describe('portal: the question bank pages', () => {
  let t: TestApp;
  let officer: Session;
  let bacNinh: Session;
  let hr: Session;
  let chair: Session;
  let bankId = '';
  let categoryId = '';
  let singleId = '';
  let hanoiBankId = '';

  const get = (path: string, who = officer) => t.http.get(path).set('Cookie', who.cookie);
  const post = (path: string, form: Record<string, string | string[]>, who = officer) =>
    t.http
      .post(path)
      .set('Cookie', who.cookie)
      .type('form')
      .send({ _csrf: who.csrf, ...form });

  beforeAll(async () => {
    t = await createTestApp();
    officer = await cookieOf(t, DEMO.officerHanoi);
    bacNinh = await cookieOf(t, DEMO.officerBacNinh);
    hr = await cookieOf(t, DEMO.hrHanoi);
    chair = await cookieOf(t, DEMO.chair);
    const [row] = await t.dataSource.query<{ id: string }[]>(
      `SELECT b.id FROM question_banks b JOIN org_units o ON o.id = b.owner_org_unit_id
        WHERE o.code = 'HN' ORDER BY b.created_at LIMIT 1`,
    );
    hanoiBankId = row.id;
  });

  afterAll(async () => {
    await t?.close();
  });

  it('lists the banks the officer reads and creates one owned by a unit of the subtree', async () => {
    const list = await get('/officer/banks').expect(200);
    expect(list.text).toContain('Ngân hàng câu hỏi Luật Công đoàn (Hà Nội)');
    expect(list.text).toContain('Được sửa');
    expect(list.text).toContain('href="/officer/banks"');
    // The owner select offers the officer's units only.
    expect(list.text).toContain('(HN)');
    expect(list.text).not.toContain('(BN)');

    const hn = await t.unitId('HN');
    const refused = await post('/officer/banks', { name: '  ', ownerOrgUnitId: hn });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('id="bank-name-error"');

    const created = await post('/officer/banks', {
      name: 'Kỹ năng thương lượng tập thể',
      description: 'Câu hỏi cho lớp bồi dưỡng chủ tịch CĐCS',
      ownerOrgUnitId: hn,
    }).expect(303);
    const m = new RegExp(`^/officer/banks/(${UUID})$`).exec(created.headers.location);
    expect(m).not.toBeNull();
    bankId = m![1];
    const page = await get(`/officer/banks/${bankId}`).expect(200);
    expect(page.text).toContain('<h1>Kỹ năng thương lượng tập thể</h1>');
    expect(page.text).toContain('Ngân hàng chưa có câu hỏi nào.');
  });

  it('adds a category, and refuses the same name twice beside the field', async () => {
    await post(`/officer/banks/${bankId}/categories`, { name: 'Thương lượng' }).expect(303);
    const page = await get(`/officer/banks/${bankId}`).expect(200);
    expect(page.text).toContain('Thương lượng');
    categoryId = new RegExp(`<option value="(${UUID})"[^>]*>Thương lượng</option>`).exec(
      page.text,
    )![1];
    const again = await post(`/officer/banks/${bankId}/categories`, { name: 'Thương lượng' });
    expect(again.status).toBe(409);
    expect(again.text).toContain('id="category-error"');
    expect(again.text).toContain('Ngân hàng đã có nhóm câu hỏi');
  });

  it('creates a single-choice question through the editor', async () => {
    const form = await get(`/officer/banks/${bankId}/questions/new?kind=single`).expect(200);
    expect(form.text).toContain('Câu hỏi mới: Một lựa chọn');
    expect(form.text).toContain('name="option_7"');
    expect(form.text).toContain('type="radio" name="right"');

    const res = await post(`/officer/banks/${bankId}/questions`, {
      kind: 'single',
      prompt: 'Ai ký thỏa ước lao động tập thể phía người lao động?',
      option_0: 'Chủ tịch công đoàn cơ sở',
      option_1: 'Kế toán trưởng',
      option_2: '',
      option_3: 'Giám đốc nhân sự',
      right: '0',
      points: '2',
      categoryId,
      tags: 'Thương lượng, C2, C2',
      difficulty: '3',
    }).expect(303);
    const m = new RegExp(`^/officer/banks/${bankId}/questions/(${UUID})\\?saved=1$`).exec(
      res.headers.location,
    );
    expect(m).not.toBeNull();
    singleId = m![1];
    const [row] = await t.dataSource.query<
      { body: Record<string, unknown>; points: number; tags: string[]; difficulty: number }[]
    >(
      `SELECT v.body, v.points, q.tags, q.difficulty FROM bank_questions q
         JOIN bank_question_versions v ON v.question_id = q.id AND v.version = q.current_version
        WHERE q.id = $1`,
      [singleId],
    );
    expect(row.body).toEqual({
      kind: 'single',
      options: [
        { key: 'A', text: 'Chủ tịch công đoàn cơ sở' },
        { key: 'B', text: 'Kế toán trưởng' },
        { key: 'C', text: 'Giám đốc nhân sự' },
      ],
      correct: 'A',
    });
    expect(row.points).toBe(2);
    expect(row.tags).toEqual(['Thương lượng', 'C2']);
    expect(row.difficulty).toBe(3);

    const page = await get(res.headers.location).expect(200);
    expect(page.text).toContain('Đã lưu. Câu hỏi đang ở phiên bản 1.');
    expect(page.text).toContain('<strong>Phiên bản 1</strong>');
    expect(page.text).toMatch(/value="0" checked/);
  });

  it('creates an essay: its points are the sum of the rubric', async () => {
    const res = await post(`/officer/banks/${bankId}/questions`, {
      kind: 'essay',
      prompt: 'Trình bày các bước chuẩn bị một phiên thương lượng tập thể.',
      wordLimit: '300',
      rubric: 'Nội dung | 6\nTrình bày | 4',
      categoryId: '',
      tags: '',
      difficulty: '2',
    }).expect(303);
    const id = new RegExp(`questions/(${UUID})`).exec(res.headers.location)![1];
    const [row] = await t.dataSource.query<{ body: Record<string, unknown>; points: number }[]>(
      `SELECT v.body, v.points FROM bank_question_versions v WHERE v.question_id = $1`,
      [id],
    );
    expect(row.points).toBe(10);
    expect(row.body).toEqual({
      kind: 'essay',
      wordLimit: 300,
      rubric: [
        { key: 'C1', title: 'Nội dung', maxPoints: 6 },
        { key: 'C2', title: 'Trình bày', maxPoints: 4 },
      ],
    });
    const page = await get(`/officer/banks/${bankId}/questions/${id}`).expect(200);
    expect(page.text).toContain('Nội dung | 6\nTrình bày | 4');
  });

  it('creates a question of every other kind from its fields', async () => {
    const forms: Record<string, Record<string, string | string[]>> = {
      multiple: {
        prompt: 'Những việc nào thuộc nhiệm vụ của chủ tịch CĐCS?',
        option_0: 'Đối thoại với người sử dụng lao động',
        option_1: 'Ký hợp đồng thay doanh nghiệp',
        option_2: 'Tổ chức đại hội',
        right: ['0', '2'],
        policy: 'right_minus_wrong',
        points: '3',
      },
      true_false: {
        prompt: 'Đoàn viên phải đóng đoàn phí hằng tháng.',
        correct: 'true',
        points: '1',
      },
      short_answer: {
        prompt: 'Cơ quan lãnh đạo cao nhất của CĐCS là gì?',
        accepted: 'Đại hội công đoàn cơ sở\n\nĐại hội CĐCS',
        ignoreDiacritics: 'true',
        patterns: '',
        points: '2',
      },
      numeric: {
        prompt: 'Mức đóng đoàn phí là bao nhiêu phần trăm tiền lương?',
        value: '1,5',
        tolerance: '0,25',
        points: '1',
      },
      ordering: {
        prompt: 'Sắp xếp các bước đối thoại.',
        items: 'Thu thập ý kiến\nGửi nội dung\nTổ chức đối thoại',
        partialCredit: 'true',
        points: '2',
      },
      matching: {
        prompt: 'Nối văn bản với năm ban hành.',
        pairs: 'Luật Công đoàn | 2024\nBộ luật Lao động | 2019',
        distractors: '2012',
        points: '2',
      },
    };
    const bodies: Record<string, unknown> = {
      multiple: {
        kind: 'multiple',
        options: [
          { key: 'A', text: 'Đối thoại với người sử dụng lao động' },
          { key: 'B', text: 'Ký hợp đồng thay doanh nghiệp' },
          { key: 'C', text: 'Tổ chức đại hội' },
        ],
        correct: ['A', 'C'],
        partialCredit: 'right_minus_wrong',
      },
      true_false: { kind: 'true_false', correct: true },
      short_answer: {
        kind: 'short_answer',
        accepted: ['Đại hội công đoàn cơ sở', 'Đại hội CĐCS'],
        caseSensitive: false,
        ignoreDiacritics: true,
        patterns: [],
      },
      numeric: { kind: 'numeric', value: 1.5, tolerance: 0.25 },
      ordering: {
        kind: 'ordering',
        items: [
          { key: 'A', text: 'Thu thập ý kiến' },
          { key: 'B', text: 'Gửi nội dung' },
          { key: 'C', text: 'Tổ chức đối thoại' },
        ],
        partialCredit: true,
      },
      matching: {
        kind: 'matching',
        premises: [
          { key: 'P1', text: 'Luật Công đoàn' },
          { key: 'P2', text: 'Bộ luật Lao động' },
        ],
        responses: [
          { key: 'R1', text: '2024' },
          { key: 'R2', text: '2019' },
          { key: 'R3', text: '2012' },
        ],
        pairs: { P1: 'R1', P2: 'R2' },
        partialCredit: false,
      },
    };
    for (const [kind, form] of Object.entries(forms)) {
      const res = await post(`/officer/banks/${bankId}/questions`, {
        kind,
        difficulty: '2',
        ...form,
      });
      expect({ kind, status: res.status }).toEqual({ kind, status: 303 });
      const id = new RegExp(`questions/(${UUID})`).exec(res.headers.location)![1];
      const [row] = await t.dataSource.query<{ body: unknown }[]>(
        `SELECT body FROM bank_question_versions WHERE question_id = $1`,
        [id],
      );
      expect(row.body).toEqual(bodies[kind]);
      // Opened again, the editor shows what was saved; saved unchanged, it stays version 1.
      const page = await get(`/officer/banks/${bankId}/questions/${id}`).expect(200);
      expect(page.text).toContain('<strong>Phiên bản 1</strong>');
    }
  });

  it('refuses a single choice without its right option: 400, the message beside it, what was typed kept', async () => {
    const res = await post(`/officer/banks/${bankId}/questions`, {
      kind: 'single',
      prompt: 'Câu hỏi chưa có đáp án đúng',
      option_0: 'Phương án thứ nhất',
      option_1: '',
      points: '1',
      difficulty: '2',
    });
    expect(res.status).toBe(400);
    expect(res.text).toContain('role="alert"');
    expect(res.text).toContain('Câu hỏi chưa được lưu');
    expect(errorBeside(res.text, 'right')).toContain('Hãy đánh dấu phương án đúng.');
    expect(errorBeside(res.text, 'options')).toContain('Phải có từ 2 đến 20 phương án.');
    expect(res.text).toContain('Câu hỏi chưa có đáp án đúng</textarea>');
    expect(res.text).toContain('value="Phương án thứ nhất"');
    const [{ n }] = await t.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM bank_questions q JOIN bank_question_versions v
          ON v.question_id = q.id WHERE v.prompt = 'Câu hỏi chưa có đáp án đúng'`,
    );
    expect(n).toBe(0);
  });

  it('places a failure of a line of a textarea by its line number', async () => {
    const res = await post(`/officer/banks/${bankId}/questions`, {
      kind: 'essay',
      prompt: 'Bài luận',
      wordLimit: 'nhiều',
      rubric: 'Nội dung | 6\n\nTrình bày | không',
      difficulty: '2',
    });
    expect(res.status).toBe(400);
    expect(errorBeside(res.text, 'rubric')).toContain('Dòng 3');
    expect(errorBeside(res.text, 'wordLimit')).toContain('Giới hạn số từ');
    expect(res.text).toContain('Nội dung | 6\n\nTrình bày | không</textarea>');
  });

  it('saves a change as version 2 and lists the versions, newest first', async () => {
    const res = await post(`/officer/banks/${bankId}/questions/${singleId}`, {
      expectedVersion: '1',
      prompt: 'Ai là người ký thỏa ước lao động tập thể thay mặt người lao động?',
      option_0: 'Chủ tịch công đoàn cơ sở',
      option_1: 'Kế toán trưởng',
      option_2: 'Giám đốc nhân sự',
      right: '0',
      points: '2',
      categoryId,
      tags: 'Thương lượng',
      difficulty: '3',
    }).expect(303);
    const page = await get(res.headers.location).expect(200);
    expect(page.text).toContain('<strong>Phiên bản 2</strong>');
    const versions = page.text.slice(page.text.indexOf('id="versions"'));
    const v2 = versions.indexOf('Ai là người ký thỏa ước');
    const v1 = versions.indexOf('Ai ký thỏa ước lao động tập thể phía người lao động?');
    expect(v2).toBeGreaterThan(0);
    expect(v1).toBeGreaterThan(v2);

    // An edit from version 1 again is told the question moved on (409), on the form.
    const stale = await post(`/officer/banks/${bankId}/questions/${singleId}`, {
      expectedVersion: '1',
      prompt: 'Một sửa đổi khác',
      option_0: 'X',
      option_1: 'Y',
      right: '1',
      points: '1',
      difficulty: '1',
    });
    expect(stale.status).toBe(409);
    expect(stale.text).toContain('phiên bản 2');
    expect(stale.text).toContain('Một sửa đổi khác</textarea>');
  });

  it('filters the questions and pages them with “Trang sau”', async () => {
    const essays = await get(`/officer/banks/${bankId}?kind=essay`).expect(200);
    expect(essays.text).toContain('Trình bày các bước chuẩn bị');
    expect(essays.text).not.toContain('Ai là người ký thỏa ước');
    const byCategory = await get(`/officer/banks/${bankId}?categoryId=${categoryId}`).expect(200);
    expect(byCategory.text).toContain('Ai là người ký thỏa ước');
    expect(byCategory.text).not.toContain('Trình bày các bước chuẩn bị');
    const byTag = await get(
      `/officer/banks/${bankId}?tag=${encodeURIComponent('Thương lượng')}&difficulty=3`,
    ).expect(200);
    expect(byTag.text).toContain('Ai là người ký thỏa ước');
    expect(byTag.text).not.toContain('Trình bày các bước chuẩn bị');

    // 25 more true/false questions: the first page shows 20, "Trang sau" the rest.
    const auth = t.app.get(AuthService);
    const actor = (await auth.authenticate(t.tokens.officerHanoi))!;
    const banks = t.app.get(QuestionBanksService);
    for (let i = 1; i <= 25; i++) {
      await banks.createQuestion(actor, bankId, {
        prompt: `Câu đúng sai số ${i}`,
        points: 1,
        body: { kind: 'true_false', correct: i % 2 === 0 },
      });
    }
    const first = await get(`/officer/banks/${bankId}?kind=true_false`).expect(200);
    const rows = (html: string) => (html.match(/Câu đúng sai số \d+/g) ?? []).length;
    expect(rows(first.text)).toBe(20);
    const next = /<a href="([^"]+)" rel="next">Trang sau<\/a>/.exec(first.text)?.[1];
    expect(next).toBeDefined();
    const href = next!
      .replace(/&amp;/g, '&')
      .replace(/&#x3D;/g, '=')
      .replace(/#.*$/, '');
    const second = await get(href).expect(200);
    expect(rows(second.text) + (second.text.includes('Đoàn viên phải đóng') ? 1 : 0)).toBe(6);
    expect(second.text).not.toContain('rel="next"');
    expect(second.text).toContain('Trang đầu');

    // A filter typed by hand that cannot be read: said so, the list unfiltered.
    const bad = await get(`/officer/banks/${bankId}?difficulty=9`).expect(200);
    expect(bad.text).toContain('role="alert"');
  });

  it('retires and restores a question, archives and restores the bank', async () => {
    await post(`/officer/banks/${bankId}/questions/${singleId}/status`, {
      status: 'retired',
    }).expect(303);
    const retired = await get(`/officer/banks/${bankId}?status=retired`).expect(200);
    expect(retired.text).toContain('Ai là người ký thỏa ước');
    await post(`/officer/banks/${bankId}/questions/${singleId}/status`, {
      status: 'active',
    }).expect(303);

    await post(`/officer/banks/${bankId}/status`, { status: 'archived' }).expect(303);
    const archived = await get(`/officer/banks/${bankId}`).expect(200);
    expect(archived.text).toContain('Đã lưu trữ');
    expect(archived.text).toContain('Khôi phục ngân hàng');
    // No question is added to an archived bank: the service's 409, on the form.
    const refused = await post(`/officer/banks/${bankId}/questions`, {
      kind: 'true_false',
      prompt: 'Câu hỏi vào ngân hàng đã lưu trữ',
      correct: 'false',
      points: '1',
      difficulty: '1',
    });
    expect(refused.status).toBe(409);
    expect(refused.text).toContain('Ngân hàng câu hỏi đã lưu trữ');
    await post(`/officer/banks/${bankId}/status`, { status: 'active' }).expect(303);
  });

  it('exports the bank as QTI and imports it into another bank after a dry run', async () => {
    const zip = await get(`/officer/banks/${bankId}/qti`)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(zip.headers['content-type']).toContain('application/zip');
    expect(zip.headers['content-disposition']).toContain('attachment');
    const files = Object.keys(unzipSync(new Uint8Array(zip.body as Buffer)));
    expect(files).toContain('imsmanifest.xml');

    const hn = await t.unitId('HN');
    const target = await post('/officer/banks', { name: 'Ngân hàng nhập QTI', ownerOrgUnitId: hn });
    const targetId = /banks\/([0-9a-f-]{36})/.exec(target.headers.location)![1];
    const count = async () =>
      (
        await t.dataSource.query<{ n: number }[]>(
          `SELECT count(*)::int AS n FROM bank_questions WHERE bank_id = $1`,
          [targetId],
        )
      )[0].n;
    const upload = (mode: string, csrf: string | null = officer.csrf) =>
      t.http
        .post(`/officer/banks/${targetId}/qti${csrf ? `?_csrf=${csrf}` : ''}`)
        .set('Cookie', officer.cookie)
        .field('mode', mode)
        .attach('file', zip.body as Buffer, 'bank.zip');

    expect((await upload('dry-run', null)).status).toBe(403);
    const dry = await upload('dry-run').expect(200);
    expect(dry.text).toContain('Kết quả chạy thử');
    expect(dry.text).toContain('Chưa có gì được ghi');
    expect(await count()).toBe(0);
    const real = await upload('commit').expect(303);
    expect(real.headers.location).toMatch(/imported=\d+/);
    expect(await count()).toBeGreaterThan(20);

    const bad = await t.http
      .post(`/officer/banks/${targetId}/qti?_csrf=${officer.csrf}`)
      .set('Cookie', officer.cookie)
      .field('mode', 'dry-run')
      .attach('file', Buffer.from('not a package'), 'x.xml');
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('Tệp QTI không đọc được');
  });

  it('answers “không tìm thấy” to a Bắc Ninh officer for a Hà Nội bank, its editor and its question', async () => {
    for (const path of [
      `/officer/banks/${hanoiBankId}`,
      `/officer/banks/${bankId}`,
      `/officer/banks/${bankId}/questions/new?kind=single`,
      `/officer/banks/${bankId}/questions/${singleId}`,
      `/officer/banks/${bankId}/qti`,
    ]) {
      const res = await get(path, bacNinh);
      expect({ path, status: res.status }).toEqual({ path, status: 404 });
      expect(res.text).toContain('Không tìm thấy');
    }
    const list = await get('/officer/banks', bacNinh).expect(200);
    expect(list.text).not.toContain('Kỹ năng thương lượng tập thể');
    const write = await post(
      `/officer/banks/${bankId}/questions/${singleId}`,
      { prompt: 'x', option_0: 'a', option_1: 'b', right: '0', points: '1', difficulty: '1' },
      bacNinh,
    );
    expect(write.status).toBe(404);
  });

  it('lets HR read the bank but not edit (403), and gives a chair no bank page', async () => {
    const read = await get(`/officer/banks/${bankId}`, hr).expect(200);
    expect(read.text).not.toContain('Thêm nhóm');
    const question = await get(`/officer/banks/${bankId}/questions/${singleId}`, hr).expect(200);
    expect(question.text).toContain('<fieldset class="bare" disabled>');
    expect(question.text).not.toContain('Lưu câu hỏi');
    const editor = await get(`/officer/banks/${bankId}/questions/new?kind=single`, hr);
    expect(editor.status).toBe(403);
    const save = await post(
      `/officer/banks/${bankId}/questions`,
      { kind: 'true_false', prompt: 'x', correct: 'true', points: '1', difficulty: '1' },
      hr,
    );
    expect(save.status).toBe(403);
    for (const path of ['/officer/banks', `/officer/banks/${bankId}`]) {
      const res = await get(path, chair);
      expect({ path, status: res.status }).toEqual({ path, status: 403 });
    }
  });
});
