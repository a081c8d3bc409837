import { expectError } from './expect-error';
import { QUESTIONS_OF_EACH_KIND } from './fixtures/bank-questions';
import { binary } from './support/binary-body';
import { bearer, createTestApp, TestApp } from './support/test-app';

interface Question {
  id: string;
  kind: string;
  prompt: string;
  points: number;
  tags: string[];
  body: Record<string, unknown>;
}
type Report = {
  dryRun: boolean;
  imported: number;
  items: { identifier: string; kind: string; prompt: string }[];
};

/**
 * QTI 3.0 exchange of a bank (issue 16, item 5): a bank with a question of every kind goes out
 * as a content package and comes back into another bank unchanged; a dry run writes nothing;
 * bad files are refused whole with 400 and their failures named; scope and role refusals.
 */
describe('question banks: QTI 3.0 exchange', () => {
  let t: TestApp;
  let source: string;
  let target: string;
  let pkg: Buffer;

  const officer = () => bearer(t.tokens.officerHanoi);
  const newBank = async (name: string) => {
    const res = await t.http
      .post('/api/v1/question-banks')
      .set(officer())
      .send({ ownerOrgUnitId: await t.unitId('HN'), name });
    return (res.body as { id: string }).id;
  };
  const questionsOf = async (bank: string) => {
    const res = await t.http
      .get(`/api/v1/question-banks/${bank}/questions?limit=100`)
      .set(officer())
      .expect(200);
    return res.body.items as Question[];
  };
  const upload = (
    bank: string,
    file: Buffer,
    name: string,
    fields: Record<string, string> = {},
  ) => {
    let call = t.http.post(`/api/v1/question-banks/${bank}/qti`).set(officer());
    for (const [k, v] of Object.entries(fields)) call = call.field(k, v);
    return call.attach('file', file, name);
  };

  beforeAll(async () => {
    t = await createTestApp();
    source = await newBank('Ngân hàng nguồn QTI');
    target = await newBank('Ngân hàng đích QTI');
    for (const content of Object.values(QUESTIONS_OF_EACH_KIND)) {
      await t.http
        .post(`/api/v1/question-banks/${source}/questions`)
        .set(officer())
        .send({ ...content, tags: ['Luật Công đoàn'] })
        .expect(201);
    }
  });

  afterAll(async () => {
    await t.close();
  });

  it('exports the active questions as a QTI content package', async () => {
    const res = await t.http
      .get(`/api/v1/question-banks/${source}/qti`)
      .set(officer())
      .buffer(true)
      .parse(binary)
      .expect(200);
    expect(res.headers['content-type']).toBe('application/zip');
    const disposition = String(res.headers['content-disposition']);
    expect(decodeURIComponent(disposition.split("filename*=UTF-8''")[1])).toBe(
      'Ngân hàng nguồn QTI (QTI).zip',
    );
    pkg = res.body as Buffer;
    expect(pkg.subarray(0, 2).toString('latin1')).toBe('PK');
    expect(pkg.toString('latin1')).toContain('imsmanifest.xml');
  });

  it('checks a package in a dry run without writing, then imports it unchanged', async () => {
    const dry = await upload(target, pkg, 'ngan-hang.zip').expect(200);
    expect(dry.body as Report).toMatchObject({ dryRun: true, imported: 0 });
    expect((dry.body as Report).items.map((i) => i.kind).sort()).toEqual(
      Object.keys(QUESTIONS_OF_EACH_KIND).sort(),
    );
    expect(await questionsOf(target)).toEqual([]);

    const done = await upload(target, pkg, 'ngan-hang.zip', { mode: 'commit' }).expect(201);
    expect(done.body as Report).toMatchObject({ dryRun: false, imported: 8 });
    const byKind = new Map((await questionsOf(target)).map((q) => [q.kind, q]));
    for (const [kind, content] of Object.entries(QUESTIONS_OF_EACH_KIND)) {
      expect({ kind, q: byKind.get(kind) }).toMatchObject({
        kind,
        q: { prompt: content.prompt, points: content.points, body: content.body },
      });
      expect(byKind.get(kind)!.tags).toContain('Luật Công đoàn');
    }
    const audit = await t.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'bank_question.imported'
          AND entity_id = ANY($1::uuid[])`,
      [[...byKind.values()].map((q) => q.id)],
    );
    expect(audit[0].n).toBe(8);
  });

  it('imports one item given as XML', async () => {
    const bank = await newBank('Ngân hàng một câu');
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<qti-assessment-item xmlns="http://www.imsglobal.org/xsd/imsqtiasi_v3p0" identifier="cau-1"
    title="Đoàn phí" adaptive="false" time-dependent="false" xml:lang="vi">
  <qti-response-declaration identifier="RESPONSE" cardinality="single" base-type="identifier">
    <qti-correct-response><qti-value>B</qti-value></qti-correct-response>
  </qti-response-declaration>
  <qti-outcome-declaration identifier="SCORE" cardinality="single" base-type="float"/>
  <qti-item-body>
    <qti-choice-interaction response-identifier="RESPONSE" max-choices="1">
      <qti-prompt>Đoàn viên đóng đoàn phí bằng bao nhiêu phần trăm tiền lương?</qti-prompt>
      <qti-simple-choice identifier="A">0,5%</qti-simple-choice>
      <qti-simple-choice identifier="B">1%</qti-simple-choice>
    </qti-choice-interaction>
  </qti-item-body>
  <qti-response-processing template="https://purl.imsglobal.org/spec/qti/v3p0/rptemplates/match_correct.xml"/>
</qti-assessment-item>`;
    await upload(bank, Buffer.from(xml, 'utf8'), 'cau-1.xml', { mode: 'commit' }).expect(201);
    const [q] = await questionsOf(bank);
    expect(q).toMatchObject({
      kind: 'single',
      prompt: 'Đoàn viên đóng đoàn phí bằng bao nhiêu phần trăm tiền lương?',
      body: { correct: 'B' },
    });
  });

  it('refuses a bad file whole with 400 and its failures named, writing nothing', async () => {
    const before = (await questionsOf(target)).length;
    expectError(
      await t.http
        .post(`/api/v1/question-banks/${target}/qti`)
        .set(officer())
        .field('mode', 'commit'),
      400,
      'QTI_FILE_REQUIRED',
    );
    const bad: [Buffer, string][] = [
      [Buffer.from('Không phải XML', 'utf8'), 'cau.xml'],
      [
        Buffer.from(
          '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><qti-assessment-item>&a;</qti-assessment-item>',
          'utf8',
        ),
        'entity.xml',
      ],
      [Buffer.concat([Buffer.from('PK\u0003\u0004', 'latin1'), Buffer.alloc(64)]), 'hong.zip'],
    ];
    for (const [file, name] of bad) {
      const res = await upload(target, file, name, { mode: 'commit' });
      expectError(res, 400, 'QTI_FILE_INVALID');
      expect((res.body.details as unknown[]).length).toBeGreaterThan(0);
    }
    expectError(
      await upload(target, pkg, 'ngan-hang.zip', { mode: 'commit', extra: 'x' }),
      400,
      'VALIDATION_FAILED',
    );
    expectError(
      await upload(target, pkg, 'ngan-hang.zip', { mode: 'commit', categoryId: 'abc' }),
      400,
      'VALIDATION_FAILED',
      ['categoryId'],
    );
    expect((await questionsOf(target)).length).toBe(before);
  });

  it('keeps another subtree out (404) and HR to reading (403)', async () => {
    const bn = bearer(t.tokens.officerBacNinh);
    expectError(
      await t.http.get(`/api/v1/question-banks/${source}/qti`).set(bn),
      404,
      'QUESTION_BANK_NOT_FOUND',
    );
    expectError(
      await t.http
        .post(`/api/v1/question-banks/${source}/qti`)
        .set(bn)
        .attach('file', pkg, 'ngan-hang.zip'),
      404,
      'QUESTION_BANK_NOT_FOUND',
    );
    const hr = bearer(t.tokens.hrHanoi);
    await t.http.get(`/api/v1/question-banks/${source}/qti`).set(hr).expect(200);
    expectError(
      await t.http
        .post(`/api/v1/question-banks/${source}/qti`)
        .set(hr)
        .attach('file', pkg, 'ngan-hang.zip'),
      403,
      'FORBIDDEN',
    );
  });
});
