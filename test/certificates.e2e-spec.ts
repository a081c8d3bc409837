import { randomUUID } from 'node:crypto';
import { IssueCertificateInput } from '../src/certificates/certificates.service';
import { binary } from './support/binary-body';
import { issueTestCertificate } from './support/certificate-fixtures';
import { extractPdfText } from './support/pdf-text';
import { bearer, createTestApp, DEMO, TestApp } from './support/test-app';

const COURSE_TITLE = 'Kỹ năng thương lượng, đối thoại tại nơi làm việc';

describe('certificates and transcripts', () => {
  let t: TestApp;
  let chairId: string;
  let hanoiId: string;

  const issue = (overrides: Partial<IssueCertificateInput> = {}) =>
    issueTestCertificate(t, {
      personId: chairId,
      issuerOrgUnitId: hanoiId,
      courseCode: 'K02',
      courseTitle: COURSE_TITLE,
      ...overrides,
    });

  beforeAll(async () => {
    t = await createTestApp();
    const rows = await t.dataSource.query<{ person_id: string }[]>(
      'SELECT person_id FROM user_accounts WHERE email = $1',
      [DEMO.chair],
    );
    chairId = rows[0].person_id;
    hanoiId = await t.unitId('HN');
  });

  afterAll(async () => {
    await t.close();
  });

  let first: Awaited<ReturnType<typeof issue>>;
  let firstPdf: Buffer;

  it('numbers serials per year in sequence and lists the holder’s certificates', async () => {
    first = await issue();
    const second = await issue({ courseCode: 'K03', courseTitle: 'Tài chính công đoàn cơ sở' });
    const year = new Intl.DateTimeFormat('en', {
      timeZone: 'Asia/Ho_Chi_Minh',
      year: 'numeric',
    }).format(new Date());
    expect(first.serial).toBe(`GCN-${year}-000001`);
    expect(second.serial).toBe(`GCN-${year}-000002`);
    expect(first.code).toMatch(/^[A-Z2-7]{24}$/);

    const res = await t.http.get('/api/v1/me/certificates').set(bearer(t.tokens.chair)).expect(200);
    expect(res.body.items).toHaveLength(2);
    expect(res.body.items).toEqual(
      expect.arrayContaining([
        {
          id: first.id,
          serial: first.serial,
          code: first.code,
          courseTitle: COURSE_TITLE,
          issuedAt: expect.any(String),
          status: 'valid',
          expiresOn: null, // a course outside any recertification policy: valid without end
        },
      ]),
    );
    const others = await t.http
      .get('/api/v1/me/certificates')
      .set(bearer(t.tokens.officerHanoi))
      .expect(200);
    expect(others.body.items).toEqual([]);
  });

  it('serves the PDF with the Vietnamese texts, the same bytes on every download', async () => {
    const res = await t.http
      .get(`/api/v1/certificates/${first.id}/pdf`)
      .set(bearer(t.tokens.chair))
      .buffer(true)
      .parse(binary)
      .expect(200)
      .expect('content-type', 'application/pdf');
    firstPdf = res.body as Buffer;
    expect(firstPdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = extractPdfText(firstPdf);
    expect(text).toContain('Nguyễn Thị Hương');
    expect(text).toContain(COURSE_TITLE);
    expect(text).toContain('GIẤY CHỨNG NHẬN');
    expect(text).toContain(first.serial);

    const again = await t.http
      .get(`/api/v1/certificates/${first.id}/pdf`)
      .set(bearer(t.tokens.chair))
      .buffer(true)
      .parse(binary)
      .expect(200);
    expect((again.body as Buffer).equals(firstPdf)).toBe(true);
    const cached = await t.dataSource.query<{ n: string }[]>(
      `SELECT count(*) AS n FROM certificate_pdfs p JOIN certificates c ON c.pdf_sha256 = p.sha256
        WHERE c.id = $1`,
      [first.id],
    );
    expect(Number(cached[0].n)).toBe(1);
  });

  it('lets staff in scope download the PDF and hides it from everyone else', async () => {
    const url = `/api/v1/certificates/${first.id}/pdf`;
    const hanoi = await t.http
      .get(url)
      .set(bearer(t.tokens.officerHanoi))
      .buffer(true)
      .parse(binary)
      .expect(200);
    expect((hanoi.body as Buffer).equals(firstPdf)).toBe(true);
    await t.http.get(url).set(bearer(t.tokens.hrHanoi)).expect(200);
    await t.http.get(url).set(bearer(t.tokens.admin)).expect(200);
    const bacNinh = await t.http.get(url).set(bearer(t.tokens.officerBacNinh)).expect(404);
    expect(bacNinh.body.code).toBe('CERTIFICATE_NOT_FOUND');
    await t.http
      .get(`/api/v1/certificates/${randomUUID()}/pdf`)
      .set(bearer(t.tokens.chair))
      .expect(404);
    await t.http.get('/api/v1/certificates/not-a-uuid/pdf').set(bearer(t.tokens.chair)).expect(400);
    await t.http.get(url).expect(401);
  });

  it('verifies a code publicly with the allowed fields only', async () => {
    const res = await t.http.get(`/api/v1/verify/${first.code}`).expect(200);
    expect(res.body).toEqual({
      status: 'valid',
      statusText: 'Còn hiệu lực',
      statusChangedOn: null,
      validUntil: null,
      replacedBy: null,
      holderName: 'Nguyễn Thị Hương',
      courseTitle: COURSE_TITLE,
      issuedOn: expect.stringMatching(/^\d{2}\/\d{2}\/\d{4}$/),
      grade: 'Giỏi',
      issuer: 'Liên đoàn Lao động Thành phố Hà Nội',
      serial: first.serial,
    });
    const raw = JSON.stringify(res.body);
    expect(raw).not.toContain('1985-09-02');
    expect(raw).not.toMatch(/\d{12}/);
    expect(raw).not.toContain(chairId);
    const [person] = await t.dataSource.query<{ national_id: string | null }[]>(
      'SELECT national_id FROM people WHERE id = $1',
      [chairId],
    );
    expect(person.national_id).toMatch(/^\d{12}$/);
    expect(raw).not.toContain(person.national_id!);
    expect(raw).not.toMatch(/\*{4}\d{4}/); // nor its masked form
    const en = await t.http
      .get(`/api/v1/verify/${first.code}`)
      .set('Accept-Language', 'en-GB,en;q=0.9')
      .expect(200);
    expect(en.body).toMatchObject({ status: 'valid', statusText: 'Valid' });

    const unknown = await t.http.get('/api/v1/verify/AAAAAAAAAAAAAAAAAAAAAAAA').expect(404);
    expect(unknown.body.code).toBe('CERTIFICATE_NOT_FOUND');
    await t.http.get('/api/v1/verify/nonsense').expect(404);
  });

  it('issues exactly one certificate when two completions of an enrolment race', async () => {
    const enrolmentId = randomUUID();
    const [a, b] = await Promise.all([issue({ enrolmentId }), issue({ enrolmentId })]);
    expect(a.id).toBe(b.id);
    expect(a.serial).toBe(b.serial);
    const rows = await t.dataSource.query<{ n: string }[]>(
      'SELECT count(*) AS n FROM certificates WHERE enrolment_id = $1',
      [enrolmentId],
    );
    expect(Number(rows[0].n)).toBe(1);
    const recordRows = await t.dataSource.query<{ n: string }[]>(
      'SELECT count(*) AS n FROM training_records WHERE enrolment_id = $1',
      [enrolmentId],
    );
    expect(Number(recordRows[0].n)).toBe(1);
    // The loser gave its serial back: the next certificate follows without a gap.
    const next = await issue();
    const seq = (s: string) => Number(s.slice(-6));
    expect(seq(next.serial)).toBe(seq(a.serial) + 1);
    // A later retry returns the same certificate.
    const retry = await issue({ enrolmentId });
    expect(retry.id).toBe(a.id);
  });

  it('gives the transcript as JSON and as CSV for Excel', async () => {
    const url = `/api/v1/people/${chairId}/transcript`;
    const own = await t.http.get(url).set(bearer(t.tokens.chair)).expect(200);
    expect(own.body.items.length).toBeGreaterThanOrEqual(2);
    expect(own.body.items).toEqual(
      expect.arrayContaining([
        {
          kind: 'course',
          courseCode: 'K02',
          courseTitle: COURSE_TITLE,
          provider: null,
          completedOn: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
          hours: 16,
          score: 8.5,
          grade: 'Giỏi',
          recognition: 'rules',
          note: null,
          certificateSerial: first.serial,
        },
      ]),
    );
    await t.http.get(url).set(bearer(t.tokens.hrHanoi)).expect(200);
    await t.http.get(url).set(bearer(t.tokens.officerHanoi)).expect(200);

    const csv = await t.http
      .get(`${url}?format=csv`)
      .set(bearer(t.tokens.officerHanoi))
      .buffer(true)
      .parse(binary)
      .expect(200)
      .expect('content-type', 'text/csv; charset=utf-8')
      .expect('content-disposition', /^attachment; filename="transcript-.+\.csv"$/);
    const bytes = csv.body as Buffer;
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString('utf8').trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'Mã khóa học,Tên khóa học,Ngày hoàn thành,Số giờ,Xếp loại,Số hiệu chứng nhận,' +
        'Hình thức,Đơn vị đào tạo,Ghi chú',
    );
    expect(lines).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `^K02,"${COURSE_TITLE}",\\d{2}/\\d{2}/\\d{4},16,Giỏi,${first.serial},Hoàn thành khóa học,,$`,
        ),
      ),
    );
    await t.http.get(`${url}?format=xml`).set(bearer(t.tokens.chair)).expect(400);
  });

  it('hides a transcript from staff out of scope (404) and from other learners (403)', async () => {
    const url = `/api/v1/people/${chairId}/transcript`;
    const outOfScope = await t.http.get(url).set(bearer(t.tokens.officerBacNinh)).expect(404);
    expect(outOfScope.body.code).toBe('PERSON_NOT_FOUND');
    await t.http.get(`${url}?format=csv`).set(bearer(t.tokens.officerBacNinh)).expect(404);
    const rows = await t.dataSource.query<{ person_id: string }[]>(
      'SELECT person_id FROM user_accounts WHERE email = $1',
      [DEMO.officerHanoi],
    );
    const learner = await t.http
      .get(`/api/v1/people/${rows[0].person_id}/transcript`)
      .set(bearer(t.tokens.chair))
      .expect(403);
    expect(learner.body.code).toBe('FORBIDDEN');
  });

  it('keeps the issued texts when the person is renamed later', async () => {
    await t.http
      .patch(`/api/v1/people/${chairId}`)
      .set(bearer(t.tokens.hrHanoi))
      .send({ familyName: 'Trần', givenName: 'Hoa' })
      .expect(200);
    const verify = await t.http.get(`/api/v1/verify/${first.code}`).expect(200);
    expect(verify.body.holderName).toBe('Nguyễn Thị Hương');
    const pdf = await t.http
      .get(`/api/v1/certificates/${first.id}/pdf`)
      .set(bearer(t.tokens.chair))
      .buffer(true)
      .parse(binary)
      .expect(200);
    expect((pdf.body as Buffer).equals(firstPdf)).toBe(true);
    const rows = await t.dataSource.query<{ holder: string }[]>(
      "SELECT snapshot->>'holderName' AS holder FROM certificates WHERE id = $1",
      [first.id],
    );
    expect(rows[0].holder).toBe('Nguyễn Thị Hương');
  });
});

describe('public verification throttle', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ PUBLIC_LIMIT_PER_MINUTE: '2' });
  });

  afterAll(async () => {
    await t.close();
  });

  it('answers 429 past the per-minute limit of one address', async () => {
    const code = 'AAAAAAAAAAAAAAAAAAAAAAAA';
    await t.http.get(`/api/v1/verify/${code}`).expect(404);
    await t.http.get(`/api/v1/verify/${code}`).expect(404);
    const res = await t.http.get(`/api/v1/verify/${code}`).expect(429);
    expect(res.body.code).toBe('TOO_MANY_REQUESTS');
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  });
});
