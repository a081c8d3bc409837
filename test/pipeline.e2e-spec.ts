import { randomBytes } from 'node:crypto';
import { retirementDate } from '../src/planning/retirement';
import { dateVi } from '../src/reports/report-format';
import { DEMO_AT_RISK } from '../src/rotations/rotations.seed';
import { expectError } from './expect-error';
import { extractPdfText } from './support/pdf-text';
import { bearer, createTestApp, TestApp } from './support/test-app';
import { addMonths } from '../src/common/dates/calendar';
import { todayVn } from '../src/common/dates/vietnam-dates';

interface PipelinePost {
  postId: string;
  postType: string;
  title: string;
  orgUnit: { id: string; code: string; name: string };
  holders: { personId: string; fullName: string; retirementDate: string | null }[];
  termEnd: string | null;
  nominees: {
    readyNow: { personId: string; readinessLabel: string; statusLabel: string }[];
    ready1To2Years: { personId: string; readinessLabel: string; statusLabel: string }[];
    ready3PlusYears: { personId: string; readinessLabel: string; statusLabel: string }[];
  };
  benchStrength: number;
  atRisk: boolean;
  riskReasons: string[];
  riskReasonLabels: string[];
}
interface Report {
  orgUnit: { id: string; code: string; name: string };
  asOf: string;
  monthsAhead: number;
  summary: {
    keyPosts: number;
    coveredPosts: number;
    coverage: number;
    atRiskPosts: number;
    nominees: number;
    women: { count: number; ratio: number; target: number; met: boolean };
    under40: { count: number; ratio: number; target: number; met: boolean };
  };
  nineBox: {
    performance: string;
    performanceLabel: string;
    potential: string;
    potentialLabel: string;
    count: number;
    names: string[];
  }[];
  items: PipelinePost[];
  nextCursor: string | null;
}

/**
 * The pipeline view (issue 5, item 6) on a subtree built by the test under Hà Nội, whose
 * figures are computed by hand below. Dates are relative to today, so the risks stay put.
 *
 *   unit A (term ends in 12 months): P1 chair — holder; n1 ready now           → covered
 *                                    P2 vice  — holder; n2 1–2 y (+ a removed and a draft-cycle
 *                                               ready-now nomination, neither counts) → at risk: term
 *   unit B (term ends in 60 months): P3 chair — holder retiring within 12 months (62 then, but the
 *                                               statutory roadmap by birth month may say up to 3
 *                                               months earlier); none → at risk: retirement
 *                                    P4 vice  — holder; n3 3+ y, n4 ready now   → covered
 *                                    (an executive-member post, not key, with n6 ready now: ignored)
 *   unit C (no term):                P5 chair — vacant; n5 1–2 y                → at risk: vacant
 *                                    P6 vice  — holder; n1 1–2 y               → not at risk
 *
 * Key posts 6, covered 2 (coverage 1/3), at risk 3. Nominees n1…n5 = 5 people (n1 once, with
 * their best readiness, ready now); women: n1 only → 1/5 = 0.2 < 0.25 (not met); under 40: n1
 * only → 0.2 ≥ 0.15 (met). Latest evaluations: n1 excellent (2025; 2024 was not completed),
 * n2 good (2025 revision 2; revision 1 "excellent" superseded), n3 none, n4 completed,
 * n5 not completed. Nine-box (performance/potential): n1 high/high, n2 medium/medium,
 * n3 low/low, n4 low/high, n5 low/medium.
 */
describe('pipeline view', () => {
  let t: TestApp;
  let hr: { Authorization: string };
  let upper: string;
  const suffix = randomBytes(3).toString('hex').toUpperCase();
  let count = 0;
  const today = todayVn();
  const h3Birth = addMonths(addMonths(today, 12), -62 * 12);
  const NEXT_TERM = ['2033–2038', '2033-07-01', '2038-06-30'];
  const ids: Record<string, string> = {};
  const names: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestApp();
    hr = bearer(t.tokens.hrHanoi);
    const [hrPerson] = await t.dataSource.query<{ id: string }[]>(
      `SELECT person_id AS id FROM user_accounts WHERE email = 'hr.hanoi@lms.congdoan.test'`,
    );

    const unit = async (code: string, name: string, level: string, parentId: string) => {
      const res = await t.http
        .post('/api/v1/org-units')
        .set(hr)
        .send({
          code: `T5P-${suffix}-${code}`,
          name,
          level,
          ...(level === 'grassroots' ? { sector: 'private' } : {}),
          parentId,
        });
      if (res.status !== 201) throw new Error(`unit ${JSON.stringify(res.body)}`);
      return (res.body as { id: string }).id;
    };
    const person = async (
      key: string,
      unitId: string,
      p: { family: string; middle: string; given: string; gender: string; birth: string },
    ) => {
      const res = await t.http
        .post('/api/v1/people')
        .set(hr)
        .send({
          familyName: p.family,
          middleName: p.middle,
          givenName: p.given,
          gender: p.gender,
          birthDate: p.birth,
          homeOrgUnitId: unitId,
          nationalId: `0016${String(60_000_000 + ++count).padStart(8, '0')}`,
        });
      if (res.status !== 201) throw new Error(`person ${JSON.stringify(res.body)}`);
      ids[key] = (res.body as { id: string }).id;
      names[key] = `${p.family} ${p.middle} ${p.given}`;
    };
    const post = async (key: string, unitId: string, postType: string) => {
      const res = await t.http.post('/api/v1/posts').set(hr).send({ orgUnitId: unitId, postType });
      if (res.status !== 201) throw new Error(`post ${JSON.stringify(res.body)}`);
      ids[key] = (res.body as { id: string }).id;
    };
    const term = async (unitId: string, start: string, end: string) => {
      await t.http
        .post('/api/v1/terms')
        .set(hr)
        .send({ orgUnitId: unitId, name: 'Nhiệm kỳ thử nghiệm', startDate: start, endDate: end })
        .expect(201);
    };
    const appoint = async (personKey: string, postKey: string) => {
      await t.http
        .post('/api/v1/appointments')
        .set(hr)
        .send({
          personId: ids[personKey],
          postId: ids[postKey],
          method: 'elected',
          startDate: addMonths(today, -24),
        })
        .expect(201);
    };

    upper = await unit(
      'UP',
      'Công đoàn phường Thử nghiệm Nguồn cán bộ',
      'upper',
      await t.unitId('HN'),
    );
    const a = await unit('A', 'Công đoàn cơ sở Công ty Ánh Dương', 'grassroots', upper);
    const b = await unit('B', 'Công đoàn cơ sở Công ty Bình Minh', 'grassroots', upper);
    const c = await unit('C', 'Công đoàn cơ sở Hợp tác xã Cửu Long', 'grassroots', upper);
    await term(a, addMonths(today, -48), addMonths(today, 12));
    await term(b, addMonths(today, -24), addMonths(today, 60));
    for (const [key, unitId, type] of [
      ['P1', a, 'chair'],
      ['P2', a, 'vice_chair'],
      ['P3', b, 'chair'],
      ['P4', b, 'vice_chair'],
      ['EX', b, 'executive_member'],
      ['P5', c, 'chair'],
      ['P6', c, 'vice_chair'],
    ] as const) {
      await post(key, unitId, type);
    }
    const male = (given: string, birth: string) => ({
      family: 'Phạm',
      middle: 'Văn',
      given,
      gender: 'male',
      birth,
    });
    await person('h1', a, { ...male('Ánh', '1980-05-05'), gender: 'female', middle: 'Thị' });
    await person('h2', a, male('Bảo', '1978-02-02'));
    // 62 years old 12 months from today: retiring at the latest then, under the roadmap.
    await person('h3', b, male('Cường', h3Birth));
    await person('h4', b, male('Dũng', '1983-03-03'));
    await person('h5', c, male('Đức', '1979-09-09'));
    await person('n1', a, {
      family: 'Nguyễn',
      middle: 'Thị',
      given: 'Hương',
      gender: 'female',
      birth: '1990-01-15',
    });
    await person('n2', a, male('Khánh', '1975-06-01'));
    await person('n3', b, male('Long', '1980-07-07'));
    await person('n4', b, male('Minh', '1970-08-08'));
    await person('n5', c, male('Nam', '1972-10-10'));
    await person('n6', b, male('Phúc', '1991-11-11'));
    await person('n7', a, {
      family: 'Lê',
      middle: 'Thị',
      given: 'Quỳnh',
      gender: 'female',
      birth: '1992-12-12',
    });
    for (const [h, p] of [
      ['h1', 'P1'],
      ['h2', 'P2'],
      ['h3', 'P3'],
      ['h4', 'P4'],
      ['h5', 'P6'],
    ]) {
      await appoint(h, p);
    }

    const cycle = async (status: string, term = ['2028–2033', '2028-07-01', '2033-06-30']) => {
      const [row] = await t.dataSource.query<{ id: string }[]>(
        `INSERT INTO planning_cycles (org_unit_id, term_label, term_start, term_end, status, rules)
         VALUES ($1, $3, $4, $5, $2, '{}'::jsonb) RETURNING id`,
        [upper, status, ...term],
      );
      return row.id;
    };
    const open = await cycle('open');
    // The unit's draft list for the following term (one list per unit and term).
    const draft = await cycle('draft', NEXT_TERM);
    const nominate = async (
      cycleId: string,
      personKey: string,
      postKey: string,
      readiness: string,
      status = 'approved',
    ) => {
      await t.dataSource.query(
        `INSERT INTO planning_cycle_posts (cycle_id, post_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
        [cycleId, ids[postKey]],
      );
      await t.dataSource.query(
        `INSERT INTO nominations (cycle_id, post_id, person_id, readiness, status, removal_reason,
                                  approved_at, first_time)
         VALUES ($1, $2, $3, $4, $5::nomination_status, $6, CASE WHEN $5::text = 'approved' THEN now() END, TRUE)`,
        [
          cycleId,
          ids[postKey],
          ids[personKey],
          readiness,
          status,
          status === 'removed' ? 'moved' : null,
        ],
      );
    };
    await nominate(open, 'n1', 'P1', 'ready_now');
    await nominate(open, 'n2', 'P2', 'ready_1_2_years', 'proposed');
    await nominate(open, 'n7', 'P2', 'ready_now', 'removed');
    await nominate(draft, 'n7', 'P2', 'ready_now', 'proposed');
    await nominate(open, 'n3', 'P4', 'ready_3_plus_years');
    await nominate(open, 'n4', 'P4', 'ready_now');
    await nominate(open, 'n6', 'EX', 'ready_now');
    await nominate(open, 'n5', 'P5', 'ready_1_2_years');
    await nominate(open, 'n1', 'P6', 'ready_1_2_years');

    const evaluate = async (
      key: string,
      year: number,
      score: number,
      level: string,
      revision = 1,
      superseded = false,
    ) => {
      await t.dataSource.query(
        `INSERT INTO evaluations (person_id, year, revision, score, level, evaluator_person_id,
                                  superseded_at)
         VALUES ($1, $2, $3, $4, $5, $6, CASE WHEN $7::boolean THEN now() END)`,
        [ids[key], year, revision, score, level, hrPerson.id, superseded],
      );
    };
    await evaluate('n1', 2024, 40, 'not_completed');
    await evaluate('n1', 2025, 95, 'excellent');
    await evaluate('n2', 2025, 92, 'excellent', 1, true);
    await evaluate('n2', 2025, 80, 'good', 2);
    await evaluate('n4', 2025, 60, 'completed');
    await evaluate('n5', 2025, 45, 'not_completed');
    // Boots the app and builds its fixtures over the API: generous on a loaded machine.
  }, 60_000);

  afterAll(async () => {
    await t.close();
  });

  const report = async (query: Record<string, string | number> = {}) =>
    (await t.http.get(`/api/v1/org-units/${upper}/pipeline`).query(query).set(hr).expect(200))
      .body as Report;

  it('computes the subtree figures checked by hand', async () => {
    const r = await report();
    expect(r.asOf).toBe(today);
    expect(r.monthsAhead).toBe(24);
    expect(r.summary).toEqual({
      keyPosts: 6,
      coveredPosts: 2,
      coverage: 0.3333,
      atRiskPosts: 3,
      nominees: 5,
      women: { count: 1, ratio: 0.2, target: 0.25, met: false },
      under40: { count: 1, ratio: 0.2, target: 0.15, met: true },
    });
  });

  it('places each nominee in the nine-box: latest evaluation × best readiness', async () => {
    const r = await report();
    const cell = (performance: string, potential: string) =>
      r.nineBox.find((c) => c.performance === performance && c.potential === potential)!;
    expect(r.nineBox).toHaveLength(9);
    expect(r.nineBox.reduce((s, c) => s + c.count, 0)).toBe(5);
    expect(cell('high', 'high')).toMatchObject({ count: 1, names: [names.n1] });
    expect(cell('medium', 'medium')).toMatchObject({ count: 1, names: [names.n2] });
    expect(cell('low', 'low')).toMatchObject({ count: 1, names: [names.n3] });
    expect(cell('low', 'high')).toMatchObject({ count: 1, names: [names.n4] });
    expect(cell('low', 'medium')).toMatchObject({ count: 1, names: [names.n5] });
    for (const [perf, pot] of [
      ['medium', 'high'],
      ['high', 'medium'],
      ['high', 'low'],
      ['medium', 'low'],
    ]) {
      expect(cell(perf, pot)).toMatchObject({ count: 0, names: [] });
    }
  });

  it('lists each key post with holders, term end, nominees by readiness, bench and risk', async () => {
    const r = await report({ limit: 100 });
    const byId = new Map(r.items.map((p) => [p.postId, p]));
    expect(r.items).toHaveLength(6);
    expect(byId.has(ids.EX)).toBe(false);
    const p1 = byId.get(ids.P1)!;
    expect(p1).toMatchObject({
      postType: 'chair',
      title: 'Chủ tịch',
      termEnd: addMonths(today, 12),
      benchStrength: 1,
      atRisk: false,
      riskReasons: [],
    });
    expect(p1.holders.map((h) => h.personId)).toEqual([ids.h1]);
    // Born 05/1980, she retires at 60, at the end of the month she reaches it (Decree 135/2020).
    expect(p1.holders[0].retirementDate).toBe('2040-05-31');
    expect(p1.nominees.readyNow.map((n) => n.personId)).toEqual([ids.n1]);

    const p2 = byId.get(ids.P2)!;
    expect(p2).toMatchObject({ benchStrength: 0, atRisk: true, riskReasons: ['term_end'] });
    expect(p2.nominees.ready1To2Years.map((n) => n.personId)).toEqual([ids.n2]);
    expect(p2.nominees.readyNow).toEqual([]);

    const p3 = byId.get(ids.P3)!;
    expect(p3).toMatchObject({
      atRisk: true,
      riskReasons: ['retirement'],
      termEnd: addMonths(today, 60),
    });
    expect(p3.holders[0].retirementDate).toBe(retirementDate(h3Birth, 'male'));
    expect(p3.holders[0].retirementDate! <= addMonths(today, 12)).toBe(true);

    const p4 = byId.get(ids.P4)!;
    expect(p4).toMatchObject({ benchStrength: 1, atRisk: false });
    expect(p4.nominees.readyNow.map((n) => n.personId)).toEqual([ids.n4]);
    expect(p4.nominees.ready3PlusYears.map((n) => n.personId)).toEqual([ids.n3]);

    expect(byId.get(ids.P5)).toMatchObject({
      holders: [],
      termEnd: null,
      atRisk: true,
      riskReasons: ['vacant'],
    });
    expect(byId.get(ids.P6)).toMatchObject({ atRisk: false, benchStrength: 0 });
    expect(r.items.filter((p) => p.atRisk)).toHaveLength(r.summary.atRiskPosts);

    // A shorter horizon drops the term end (12 months) and the retirement (12 months) risks.
    const near = await report({ monthsAhead: 6, limit: 100 });
    expect(near.summary.atRiskPosts).toBe(1);
    expect(near.items.filter((p) => p.atRisk).map((p) => p.postId)).toEqual([ids.P5]);
  });

  it('labels readiness, statuses, risk reasons and nine-box bands in the caller’s language', async () => {
    const r = await report({ limit: 100 });
    const byId = new Map(r.items.map((p) => [p.postId, p]));
    expect(byId.get(ids.P1)!.nominees.readyNow[0]).toMatchObject({
      readinessLabel: 'Sẵn sàng ngay',
      statusLabel: 'Đã phê duyệt',
    });
    expect(byId.get(ids.P2)!.nominees.ready1To2Years[0]).toMatchObject({
      readinessLabel: 'Sẵn sàng sau 1–2 năm',
      statusLabel: 'Đề xuất',
    });
    expect(byId.get(ids.P3)!.riskReasonLabels).toEqual([
      'Người đảm nhiệm nghỉ hưu trong thời hạn xem xét',
    ]);
    expect(byId.get(ids.P5)!.riskReasonLabels).toEqual(['Chức danh đang khuyết người']);
    expect(byId.get(ids.P1)!.riskReasonLabels).toEqual([]);
    expect(r.nineBox[0]).toMatchObject({
      performance: 'high',
      performanceLabel: 'Cao',
      potential: 'high',
      potentialLabel: 'Cao',
    });
    const english = (
      await t.http
        .get(`/api/v1/org-units/${upper}/pipeline`)
        .query({ limit: 100 })
        .set(hr)
        .set('Accept-Language', 'en')
        .expect(200)
    ).body as Report;
    const p3 = english.items.find((p) => p.postId === ids.P3)!;
    expect(p3.riskReasonLabels).toEqual(['A holder retires within the horizon']);
    expect(english.items.find((p) => p.postId === ids.P1)!.nominees.readyNow[0]).toMatchObject({
      readinessLabel: 'Ready now',
      statusLabel: 'Approved',
    });
    expect(english.nineBox[0]).toMatchObject({ performanceLabel: 'High', potentialLabel: 'High' });
  });

  it('pages the posts on a keyset in tree order', async () => {
    const first = await report({ limit: 4 });
    expect(first.items).toHaveLength(4);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await report({ limit: 4, cursor: first.nextCursor! });
    expect(second.items).toHaveLength(2);
    expect(second.nextCursor).toBeNull();
    const all = [...first.items, ...second.items].map((p) => p.postId);
    expect(new Set(all).size).toBe(6);
    expect(all.slice(0, 2).sort()).toEqual([ids.P1, ids.P2].sort());
    expect(second.summary).toEqual(first.summary);
  });

  it('exports CSV for Excel: BOM, Vietnamese header, dd/MM/yyyy, one line per key post', async () => {
    const res = await t.http
      .get(`/api/v1/org-units/${upper}/pipeline`)
      .query({ format: 'csv' })
      .set(hr)
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
    const bytes = res.body as Buffer;
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.toString('utf8').slice(1).trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'Mã đơn vị,Đơn vị,Chức danh,Người đảm nhiệm,Ngày sinh,Ngày nghỉ hưu,Hết nhiệm kỳ,' +
        'Sẵn sàng ngay,Sẵn sàng 1–2 năm,Sẵn sàng sau 3 năm,Số người sẵn sàng ngay,Có nguy cơ,Lý do',
    );
    expect(lines).toHaveLength(7);
    const p1 = lines.find((l) => l.includes(names.h1))!;
    expect(p1).toContain('Công đoàn cơ sở Công ty Ánh Dương,Chủ tịch');
    expect(p1).toContain(`05/05/1980,31/05/2040,${dateVi(addMonths(today, 12))},${names.n1}`);
    expect(lines.find((l) => l.includes(names.h3))).toMatch(/,Có,nghỉ hưu$/);
    expect(lines.find((l) => l.includes('Cửu Long'))).toMatch(/,Có,khuyết người$/);
  });

  it('prints a PDF report whose text carries the diacritics', async () => {
    const res = await t.http
      .get(`/api/v1/org-units/${upper}/pipeline`)
      .query({ format: 'pdf' })
      .set(hr)
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const pdf = res.body as Buffer;
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = extractPdfText(pdf);
    for (const expected of [
      'BÁO CÁO NGUỒN CÁN BỘ KẾ CẬN CÁC CHỨC DANH CHỦ CHỐT',
      'Công đoàn phường Thử nghiệm Nguồn cán bộ',
      'Có người sẵn sàng ngay: 2/6 chức danh (33,3%)',
      'Tỷ lệ nữ: 20% (1 người)',
      'chưa đạt',
      'Công đoàn cơ sở Công ty Ánh',
      names.n1,
      names.n5,
      '(khuyết)',
      names.h3,
      'Ma trận 9 ô',
      'Trang 1/1',
    ]) {
      expect(text).toContain(expected);
    }
  });

  it('shows the demo Hà Nội subtree with its at-risk post', async () => {
    const unit = await t.unitId('HN');
    const all: PipelinePost[] = [];
    let cursor: string | null = null;
    do {
      const query: Record<string, string | number> = { limit: 100 };
      if (cursor) query.cursor = cursor;
      const page = (
        await t.http.get(`/api/v1/org-units/${unit}/pipeline`).query(query).set(hr).expect(200)
      ).body as Report;
      all.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    const atRisk = all.find(
      (p) => p.orgUnit.code === DEMO_AT_RISK.unit && p.postType === DEMO_AT_RISK.postType,
    );
    expect(atRisk).toMatchObject({ atRisk: true, benchStrength: 0 });
    expect(atRisk!.nominees.ready3PlusYears).toHaveLength(1);
  });

  it('answers 404 outside the HR scope, 403 without the HR role and 400 for bad queries', async () => {
    const bn = await t.unitId('BN');
    expectError(
      await t.http.get(`/api/v1/org-units/${bn}/pipeline`).set(hr),
      404,
      'ORG_UNIT_NOT_FOUND',
    );
    for (const format of ['json', 'csv', 'pdf']) {
      expectError(
        await t.http.get(`/api/v1/org-units/${bn}/pipeline`).query({ format }).set(hr),
        404,
        'ORG_UNIT_NOT_FOUND',
      );
    }
    for (const token of [t.tokens.officerHanoi, t.tokens.chair]) {
      expectError(
        await t.http.get(`/api/v1/org-units/${upper}/pipeline`).set(bearer(token)),
        403,
        'FORBIDDEN',
      );
    }
    const admin = await t.http
      .get(`/api/v1/org-units/${bn}/pipeline`)
      .set(bearer(t.tokens.admin))
      .expect(200);
    expect(admin.body.orgUnit.code).toBe('BN');
    for (const [query, field] of [
      [{ monthsAhead: 0 }, 'monthsAhead'],
      [{ monthsAhead: 'soon' }, 'monthsAhead'],
      [{ format: 'docx' }, 'format'],
      [{ limit: 0 }, 'limit'],
      [{ other: 1 }, 'other'],
    ] as [Record<string, string | number>, string][]) {
      expectError(
        await t.http.get(`/api/v1/org-units/${upper}/pipeline`).query(query).set(hr),
        400,
        'VALIDATION_FAILED',
        [field],
      );
    }
    expectError(
      await t.http.get(`/api/v1/org-units/${upper}/pipeline`).query({ cursor: 'abc' }).set(hr),
      400,
      'INVALID_CURSOR',
    );
  });
});
