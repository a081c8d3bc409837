import { randomUUID } from 'node:crypto';
import { expectError } from './expect-error';
import { bearer, createTestApp, TestApp } from './support/test-app';

interface Unit {
  id: string;
  code: string;
  name: string;
  level: string;
  sector: string | null;
  provinceCode: string | null;
  parentId: string | null;
  depth: number;
  memberCount: number;
  status: string;
}

interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

const vi = new Intl.Collator('vi', { sensitivity: 'base' });

describe('org-units', () => {
  let t: TestApp;
  let codeCount = 0;

  beforeAll(async () => {
    t = await createTestApp();
  });

  afterAll(async () => {
    await t.close();
  });

  const list = async (token: string, query: Record<string, string | number | boolean>) =>
    (await t.http.get('/api/v1/org-units').query(query).set(bearer(token)).expect(200))
      .body as Page<Unit>;

  const codes = (page: Page<Unit>) => page.items.map((u) => u.code);

  async function createUnit(
    token: string,
    parentCode: string | { id: string },
    body: Partial<Unit> & { level: string },
  ): Promise<Unit> {
    codeCount += 1;
    const parentId = typeof parentCode === 'string' ? await t.unitId(parentCode) : parentCode.id;
    const res = await t.http
      .post('/api/v1/org-units')
      .set(bearer(token))
      .send({ code: `T-${codeCount}`, name: `Đơn vị thử ${codeCount}`, parentId, ...body });
    if (res.status !== 201) throw new Error(`create: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as Unit;
  }

  /** Every page of a listing, following nextCursor to the end. */
  async function allPages(
    token: string,
    query: Record<string, string | number | boolean>,
  ): Promise<{ items: Unit[]; pages: number }> {
    const items: Unit[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await list(token, { ...query, ...(cursor ? { cursor } : {}) });
      pages += 1;
      expect(page.items.length).toBeLessThanOrEqual(Number(query.limit ?? 20));
      items.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor && pages < 100);
    return { items, pages };
  }

  describe('list', () => {
    it('starts at the tops of the caller’s scope when given no parameters', async () => {
      expect(codes(await list(t.tokens.admin, {}))).toEqual(['VGCL']);
      expect(codes(await list(t.tokens.hrHanoi, {}))).toEqual(['HN']);
      expect(codes(await list(t.tokens.officerBacNinh, {}))).toEqual(['BN']);
      expect(codes(await list(t.tokens.chair, {}))).toEqual(['HN-HD-MAY']);
      const page = await list(t.tokens.hrHanoi, {});
      expect(page.nextCursor).toBeNull();
      expect(page.items[0]).toEqual({
        id: await t.unitId('HN'),
        code: 'HN',
        name: 'Liên đoàn Lao động Thành phố Hà Nội',
        level: 'federation',
        sector: null,
        provinceCode: '01',
        parentId: await t.unitId('VGCL'),
        depth: 1,
        memberCount: 1_100_000,
        status: 'active',
      });
    });

    it('lists the children of a unit in Vietnamese order', async () => {
      const children = await list(t.tokens.hrHanoi, { parentId: await t.unitId('HN-HD') });
      expect(codes(children).sort()).toEqual(['HN-HD-HTX', 'HN-HD-MAY', 'HN-HD-THPT']);
      const names = children.items.map((u) => u.name);
      expect(names).toEqual([...names].sort(vi.compare));
      expect(children.items.every((u) => u.parentId === children.items[0].parentId)).toBe(true);
      expect(
        codes(await list(t.tokens.admin, { parentId: await t.unitId('VGCL') })).sort(),
      ).toEqual(['BN', 'HN']);
    });

    it('searches names without diacritics, with them, and in any case', async () => {
      for (const q of ['ha noi', 'hà nội', 'HÀ NỘI', 'Hà Nội'.normalize('NFD'), '  ha   noi ']) {
        const found = await list(t.tokens.admin, { q });
        expect(found.items.map((u) => u.name)).toContain('Liên đoàn Lao động Thành phố Hà Nội');
      }
      const dong = await list(t.tokens.admin, { q: 'dong anh' });
      expect(codes(dong).sort()).toEqual(['HN-TL-COKHI', 'HN-TL-DIEN']);
      expect(codes(await list(t.tokens.admin, { q: 'hn-hd-m' }))).toEqual(['HN-HD-MAY']);
      // LIKE wildcards in a query are plain characters.
      expect((await list(t.tokens.admin, { q: '%' })).items).toEqual([]);
      expect((await list(t.tokens.admin, { q: '_' })).items).toEqual([]);
    });

    it('searches inside a subtree, and only inside the caller’s scope', async () => {
      const underTl = await list(t.tokens.admin, {
        q: 'cong ty',
        under: await t.unitId('HN-KCN-TL'),
      });
      expect(codes(underTl).sort()).toEqual(['HN-TL-CANON', 'HN-TL-COKHI', 'HN-TL-DIEN']);
      const underBn = await list(t.tokens.admin, { q: 'cong ty', under: await t.unitId('BN') });
      expect(codes(underBn).sort()).toEqual(['BN-YP-BAOBI', 'BN-YP-NUOC', 'BN-YP-SAMSUNG']);
      // Without `under`, the search covers the caller's scope only.
      const bnOfficer = await list(t.tokens.officerBacNinh, { q: 'cong doan co so' });
      expect(bnOfficer.items.length).toBeGreaterThan(0);
      expect(bnOfficer.items.every((u) => u.code.startsWith('BN'))).toBe(true);
      expect((await list(t.tokens.officerBacNinh, { q: 'ha noi' })).items).toEqual([]);
      expectError(
        await t.http
          .get('/api/v1/org-units')
          .query({ under: await t.unitId('HN') })
          .set(bearer(t.tokens.officerBacNinh)),
        404,
        'ORG_UNIT_NOT_FOUND',
      );
      expectError(
        await t.http
          .get('/api/v1/org-units')
          .query({ parentId: await t.unitId('HN') })
          .set(bearer(t.tokens.officerBacNinh)),
        404,
        'ORG_UNIT_NOT_FOUND',
      );
      const levels = await list(t.tokens.admin, { level: 'upper' });
      expect(codes(levels).sort()).toEqual(['BN-KCN-YP', 'BN-TS', 'HN-HD', 'HN-KCN-TL']);
      const fdi = await list(t.tokens.hrHanoi, { sector: 'fdi' });
      expect(codes(fdi)).toEqual(['HN-TL-CANON']);
    });

    it('pages with a keyset cursor: no duplicates, no gaps, ends with null', async () => {
      const under = await t.unitId('VGCL');
      const { items, pages } = await allPages(t.tokens.admin, { under, limit: 2 });
      const [{ count }] = await t.dataSource.query<{ count: string }[]>(
        `SELECT count(*) AS count FROM org_units WHERE status = 'active'`,
      );
      expect(items).toHaveLength(Number(count));
      expect(new Set(items.map((u) => u.id)).size).toBe(items.length);
      // The last page is known to be last: no extra request for an empty page.
      expect(pages).toBe(Math.ceil(items.length / 2));
      const onePage = await list(t.tokens.admin, { under, limit: 100 });
      expect(onePage.nextCursor).toBeNull();
      expect(items.map((u) => u.id)).toEqual(onePage.items.map((u) => u.id));
      const firstPage = await list(t.tokens.admin, { under, limit: 2 });
      expect(firstPage.nextCursor).toEqual(expect.any(String));
    });

    it('refuses a bad cursor with 400 INVALID_CURSOR', async () => {
      const encode = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
      for (const cursor of [
        'not-a-cursor',
        encode(['a']),
        encode({ a: 1 }),
        encode(['a', 'not-a-uuid']),
        encode([null, randomUUID()]),
        'x'.repeat(400),
      ]) {
        expectError(
          await t.http.get('/api/v1/org-units').query({ cursor }).set(bearer(t.tokens.admin)),
          400,
          'INVALID_CURSOR',
          ['cursor'],
        );
      }
    });

    it.each([
      [{ limit: 0 }, 'limit'],
      [{ limit: 101 }, 'limit'],
      [{ limit: 'ten' }, 'limit'],
      [{ limit: 2.5 }, 'limit'],
      [{ parentId: 'x' }, 'parentId'],
      [{ under: '123' }, 'under'],
      [{ level: 'village' }, 'level'],
      [{ sector: 'x' }, 'sector'],
      [{ includeArchived: 'maybe' }, 'includeArchived'],
      [{ q: '' }, 'q'],
      [{ q: 'x'.repeat(101) }, 'q'],
      [{ other: 1 }, 'other'],
    ])('refuses query %j with 400 VALIDATION_FAILED', async (query, field) => {
      expectError(
        await t.http.get('/api/v1/org-units').query(query).set(bearer(t.tokens.admin)),
        400,
        'VALIDATION_FAILED',
        [field],
      );
    });

    it('refuses a repeated query parameter', async () => {
      expectError(
        await t.http.get('/api/v1/org-units?q=a&q=b').set(bearer(t.tokens.admin)),
        400,
        'VALIDATION_FAILED',
        ['q'],
      );
      expectError(
        await t.http.get('/api/v1/org-units?limit=1&limit=2').set(bearer(t.tokens.admin)),
        400,
        'VALIDATION_FAILED',
        ['limit'],
      );
    });
  });

  describe('get', () => {
    it('reads a unit in scope', async () => {
      const res = await t.http
        .get(`/api/v1/org-units/${await t.unitId('HN-HD-MAY')}`)
        .set(bearer(t.tokens.chair))
        .expect(200);
      expect(res.body).toMatchObject({
        code: 'HN-HD-MAY',
        name: 'Công đoàn cơ sở Công ty TNHH May Hà Đông',
        level: 'grassroots',
        sector: 'private',
        depth: 3,
      });
    });

    it('answers 404 outside the caller’s scope', async () => {
      expectError(
        await t.http
          .get(`/api/v1/org-units/${await t.unitId('HN-HD')}`)
          .set(bearer(t.tokens.officerBacNinh)),
        404,
        'ORG_UNIT_NOT_FOUND',
      );
      expectError(
        await t.http
          .get(`/api/v1/org-units/${await t.unitId('HN-HD-THPT')}`)
          .set(bearer(t.tokens.chair)),
        404,
        'ORG_UNIT_NOT_FOUND',
      );
      expectError(
        await t.http.get(`/api/v1/org-units/${randomUUID()}`).set(bearer(t.tokens.admin)),
        404,
        'ORG_UNIT_NOT_FOUND',
      );
    });

    it('answers 400 for a malformed id in the path', async () => {
      for (const id of ['not-a-uuid', '123', `${randomUUID()}x`, "1' OR '1'='1"]) {
        const path = `/api/v1/org-units/${encodeURIComponent(id)}`;
        expectError(await t.http.get(path).set(bearer(t.tokens.admin)), 400, 'VALIDATION_FAILED');
        expectError(
          await t.http.patch(path).set(bearer(t.tokens.admin)).send({ name: 'Tên mới' }),
          400,
          'VALIDATION_FAILED',
        );
        expectError(
          await t.http
            .post(`${path}/move`)
            .set(bearer(t.tokens.admin))
            .send({ parentId: randomUUID() }),
          400,
          'VALIDATION_FAILED',
        );
        expectError(
          await t.http.post(`${path}/archive`).set(bearer(t.tokens.admin)),
          400,
          'VALIDATION_FAILED',
        );
      }
    });

    it('needs a token', async () => {
      expectError(await t.http.get('/api/v1/org-units'), 401, 'UNAUTHENTICATED');
    });
  });

  describe('create', () => {
    it('lets hr.hanoi create under Hà Nội; the new unit joins the path-based scopes', async () => {
      const hn = await t.unitId('HN');
      const res = await t.http
        .post('/api/v1/org-units')
        .set(bearer(t.tokens.hrHanoi))
        .send({
          code: 'HN-XP-BD',
          name: 'Công đoàn phường Ba Đình',
          level: 'upper',
          parentId: hn,
          memberCount: 12_345,
        })
        .expect(201);
      expect(res.body).toEqual({
        id: expect.any(String),
        code: 'HN-XP-BD',
        name: 'Công đoàn phường Ba Đình',
        level: 'upper',
        sector: null,
        provinceCode: '01',
        parentId: hn,
        depth: 2,
        memberCount: 12_345,
        status: 'active',
      });
      const upper = res.body as Unit;

      // A grassroots union under the new unit: the new unit's path lies in hr.hanoi's scope.
      const grassroots = await createUnit(t.tokens.hrHanoi, upper, {
        name: 'Công đoàn cơ sở Trường Tiểu học Nguyễn Trãi',
        level: 'grassroots',
        sector: 'public_service',
      });
      expect(grassroots).toMatchObject({ parentId: upper.id, depth: 3, provinceCode: '01' });

      for (const token of [t.tokens.hrHanoi, t.tokens.officerHanoi, t.tokens.admin]) {
        await t.http.get(`/api/v1/org-units/${grassroots.id}`).set(bearer(token)).expect(200);
      }
      expectError(
        await t.http.get(`/api/v1/org-units/${grassroots.id}`).set(bearer(t.tokens.officerBacNinh)),
        404,
        'ORG_UNIT_NOT_FOUND',
      );
      expect(codes(await list(t.tokens.hrHanoi, { parentId: hn }))).toContain('HN-XP-BD');
      expect(codes(await list(t.tokens.hrHanoi, { parentId: upper.id }))).toEqual([
        grassroots.code,
      ]);
      expect(codes(await list(t.tokens.officerHanoi, { q: 'ba dinh' }))).toEqual(['HN-XP-BD']);
      // People can now be placed there.
      await t.http
        .post('/api/v1/people')
        .set(bearer(t.tokens.hrHanoi))
        .send({ familyName: 'Vũ', givenName: 'Minh', homeOrgUnitId: grassroots.id })
        .expect(201);
    });

    it('keeps the province given, and an upper-level union may sit under the confederation', async () => {
      const unit = await createUnit(t.tokens.admin, 'VGCL', {
        name: 'Công đoàn Tổng công ty Hàng không Việt Nam',
        level: 'upper',
        provinceCode: '79',
      });
      expect(unit).toMatchObject({ depth: 1, provinceCode: '79', level: 'upper' });
    });

    it('refuses roles without write access with 403 FORBIDDEN', async () => {
      const body = {
        code: 'X-403',
        name: 'Không được tạo',
        level: 'sub_unit',
        parentId: await t.unitId('HN-HD-MAY'),
      };
      for (const token of [t.tokens.chair, t.tokens.officerHanoi]) {
        expectError(
          await t.http.post('/api/v1/org-units').set(bearer(token)).send(body),
          403,
          'FORBIDDEN',
        );
      }
    });

    it('answers 404 when the parent lies outside the caller’s scope', async () => {
      expectError(
        await t.http
          .post('/api/v1/org-units')
          .set(bearer(t.tokens.hrHanoi))
          .send({
            code: 'X-404',
            name: 'Công đoàn phường Kinh Bắc',
            level: 'upper',
            parentId: await t.unitId('BN'),
          }),
        404,
        'ORG_UNIT_NOT_FOUND',
      );
      expectError(
        await t.http
          .post('/api/v1/org-units')
          .set(bearer(t.tokens.admin))
          .send({ code: 'X-404', name: 'Không cha', level: 'upper', parentId: randomUUID() }),
        404,
        'ORG_UNIT_NOT_FOUND',
      );
    });

    it('refuses a code already used with 409 ORG_UNIT_CODE_TAKEN', async () => {
      const res = await t.http
        .post('/api/v1/org-units')
        .set(bearer(t.tokens.hrHanoi))
        .send({
          code: 'HN-HD',
          name: 'Trùng mã',
          level: 'upper',
          parentId: await t.unitId('HN'),
        });
      expectError(res, 409, 'ORG_UNIT_CODE_TAKEN', ['code']);
      expect(res.body.message).toContain('HN-HD');
    });

    it.each([
      ['federation', 'HN'],
      ['confederation', 'VGCL'],
      ['upper', 'HN-HD'],
      ['sub_unit', 'HN-HD'],
      ['grassroots', 'HN-HD-MAY'],
    ])('refuses a %s under %s with 422 ORG_UNIT_LEVEL_INVALID', async (level, parent) => {
      expectError(
        await t.http
          .post('/api/v1/org-units')
          .set(bearer(t.tokens.admin))
          .send({ code: 'X-422', name: 'Sai cấp', level, parentId: await t.unitId(parent) }),
        422,
        'ORG_UNIT_LEVEL_INVALID',
      );
    });

    it('refuses a sector on a unit that is not grassroots with 422', async () => {
      expectError(
        await t.http
          .post('/api/v1/org-units')
          .set(bearer(t.tokens.hrHanoi))
          .send({
            code: 'X-SECTOR',
            name: 'Công đoàn phường Có Khu vực',
            level: 'upper',
            sector: 'private',
            parentId: await t.unitId('HN'),
          }),
        422,
        'ORG_UNIT_SECTOR_INVALID',
        ['sector'],
      );
      const subUnit = await createUnit(t.tokens.hrHanoi, 'HN-HD-MAY', {
        name: 'Công đoàn bộ phận Xưởng cắt',
        level: 'sub_unit',
        sector: 'private',
      });
      expect(subUnit).toMatchObject({ level: 'sub_unit', sector: 'private', depth: 4 });
    });

    const valid = { code: 'X-400', name: 'Hợp lệ', level: 'upper' };
    it.each([
      ['no fields', {}, ['code', 'name', 'level', 'parentId']],
      [
        'wrong types',
        { code: 1, name: 2, level: 3, parentId: 4, memberCount: '10' },
        ['code', 'name', 'level', 'parentId', 'memberCount'],
      ],
      ['an unknown field', { ...valid, path: '/1/', seq: 5 }, ['path', 'seq']],
      ['a negative member count', { ...valid, memberCount: -1 }, ['memberCount']],
      ['a fractional member count', { ...valid, memberCount: 1.5 }, ['memberCount']],
      ['a huge member count', { ...valid, memberCount: 1e12 }, ['memberCount']],
      ['a one-digit province', { ...valid, provinceCode: '1' }, ['provinceCode']],
      ['a lettered province', { ...valid, provinceCode: 'HN' }, ['provinceCode']],
      ['a numeric province', { ...valid, provinceCode: 1 }, ['provinceCode']],
      ['a code with spaces', { ...valid, code: 'A B' }, ['code']],
      ['a long code', { ...valid, code: 'A'.repeat(41) }, ['code']],
      ['a one-letter name', { ...valid, name: 'A' }, ['name']],
      ['a blank name', { ...valid, name: '     ' }, ['name']],
      ['an unknown level', { ...valid, level: 'district' }, ['level']],
      ['an unknown sector', { ...valid, sector: 'foreign' }, ['sector']],
      ['null fields', { code: null, name: null, level: null }, ['code', 'name', 'level']],
    ])('refuses a body with %s: 400 VALIDATION_FAILED', async (_, body, fields) => {
      const parentId = await t.unitId('HN');
      expectError(
        await t.http
          .post('/api/v1/org-units')
          .set(bearer(t.tokens.admin))
          .send(Object.keys(body).length ? { parentId, ...body } : {}),
        400,
        'VALIDATION_FAILED',
        fields,
      );
    });
    it('answers a NUL character, which PostgreSQL cannot store, with 400 naming the field', async () => {
      const created = await t.http
        .post('/api/v1/org-units')
        .set(bearer(t.tokens.admin))
        .send({
          code: 'X-NUL',
          name: 'Tên\u0000lỗi',
          level: 'upper',
          parentId: await t.unitId('HN'),
        });
      expectError(created, 400, 'VALIDATION_FAILED', ['name']);
      const searched = await t.http
        .get('/api/v1/org-units')
        .query({ q: 'a\u0000b' })
        .set(bearer(t.tokens.admin));
      expectError(searched, 400, 'INVALID_VALUE');
    });
  });

  describe('update', () => {
    it('renames: the search finds the new name, the JSON keeps its diacritics', async () => {
      const unit = await createUnit(t.tokens.hrHanoi, 'HN', {
        name: 'Công đoàn phường Hoàn Kiếm',
        level: 'upper',
      });
      const name = 'Công đoàn phường Cửa Nam – Hoàn Kiếm cũ';
      const res = await t.http
        .patch(`/api/v1/org-units/${unit.id}`)
        .set(bearer(t.tokens.hrHanoi))
        .send({ name: name.normalize('NFD'), memberCount: 7_001 })
        .expect(200);
      expect(res.body).toEqual({ ...unit, name, memberCount: 7_001 });
      expect(res.text).toContain(`"name":"${name}"`);
      expect(codes(await list(t.tokens.hrHanoi, { q: 'cua nam' }))).toEqual([unit.code]);
      expect(codes(await list(t.tokens.hrHanoi, { q: 'cửa nam' }))).toEqual([unit.code]);
      expect((await list(t.tokens.hrHanoi, { q: 'phuong hoan kiem' })).items).toEqual([]);
      const again = await t.http
        .get(`/api/v1/org-units/${unit.id}`)
        .set(bearer(t.tokens.officerHanoi))
        .expect(200);
      expect(again.body.name).toBe(name);

      const recoded = await t.http
        .patch(`/api/v1/org-units/${unit.id}`)
        .set(bearer(t.tokens.hrHanoi))
        .send({ code: 'HN-XP-CN', provinceCode: '01' })
        .expect(200);
      expect(recoded.body.code).toBe('HN-XP-CN');
      // The same code again is no conflict.
      await t.http
        .patch(`/api/v1/org-units/${unit.id}`)
        .set(bearer(t.tokens.hrHanoi))
        .send({ code: 'HN-XP-CN' })
        .expect(200);
    });

    it('refuses a taken code, a sector above grassroots, and units out of scope', async () => {
      const hd = await t.unitId('HN-HD');
      expectError(
        await t.http
          .patch(`/api/v1/org-units/${hd}`)
          .set(bearer(t.tokens.hrHanoi))
          .send({ code: 'HN-KCN-TL' }),
        409,
        'ORG_UNIT_CODE_TAKEN',
        ['code'],
      );
      expectError(
        await t.http
          .patch(`/api/v1/org-units/${hd}`)
          .set(bearer(t.tokens.hrHanoi))
          .send({ sector: 'fdi' }),
        422,
        'ORG_UNIT_SECTOR_INVALID',
      );
      expectError(
        await t.http
          .patch(`/api/v1/org-units/${await t.unitId('BN-TS')}`)
          .set(bearer(t.tokens.hrHanoi))
          .send({ name: 'Không được sửa' }),
        404,
        'ORG_UNIT_NOT_FOUND',
      );
      expectError(
        await t.http
          .patch(`/api/v1/org-units/${hd}`)
          .set(bearer(t.tokens.officerHanoi))
          .send({ name: 'Không được sửa' }),
        403,
        'FORBIDDEN',
      );
    });

    it.each([
      [{ name: null }, 'name'],
      [{ code: null }, 'code'],
      [{ memberCount: null }, 'memberCount'],
      [{ memberCount: -1 }, 'memberCount'],
      [{ name: 5 }, 'name'],
      [{ level: 'grassroots' }, 'level'],
      [{ parentId: '00000000-0000-4000-8000-000000000000' }, 'parentId'],
      [{ provinceCode: '123' }, 'provinceCode'],
    ])('refuses the change %j with 400', async (body, field) => {
      expectError(
        await t.http
          .patch(`/api/v1/org-units/${await t.unitId('HN-HD')}`)
          .set(bearer(t.tokens.admin))
          .send(body),
        400,
        'VALIDATION_FAILED',
        [field],
      );
    });

    it('clears a sector and a province with null', async () => {
      const unit = await createUnit(t.tokens.admin, 'HN-HD', {
        level: 'grassroots',
        sector: 'fdi',
        provinceCode: '01',
      });
      const res = await t.http
        .patch(`/api/v1/org-units/${unit.id}`)
        .set(bearer(t.tokens.admin))
        .send({ sector: null, provinceCode: null })
        .expect(200);
      expect(res.body).toMatchObject({ sector: null, provinceCode: null });
    });
  });

  describe('move', () => {
    const move = (token: string, id: string, parentId: string) =>
      t.http.post(`/api/v1/org-units/${id}/move`).set(bearer(token)).send({ parentId });

    it('moves a whole subtree: paths, depths and scopes follow', async () => {
      const root = await createUnit(t.tokens.hrHanoi, 'HN-HD', {
        name: 'Công đoàn cơ sở Công ty Cổ phần Dệt Hà Đông',
        level: 'grassroots',
        sector: 'private',
      });
      const mid = await createUnit(t.tokens.hrHanoi, root, {
        name: 'Công đoàn bộ phận Phân xưởng Dệt',
        level: 'sub_unit',
      });
      const leaf = await createUnit(t.tokens.hrHanoi, mid, {
        name: 'Tổ công đoàn Ca đêm',
        level: 'sub_unit',
      });
      expect([root.depth, mid.depth, leaf.depth]).toEqual([3, 4, 5]);
      const subtree = [root.id, mid.id, leaf.id].sort();
      const hd = await t.unitId('HN-HD');
      const tl = await t.unitId('HN-KCN-TL');
      const underIds = async (token: string, under: string) =>
        (await list(token, { under, limit: 100 })).items.map((u) => u.id);
      const [{ path: mayPathBefore }] = await t.dataSource.query<{ path: string }[]>(
        `SELECT path FROM org_units WHERE code = 'HN-HD-MAY'`,
      );

      const moved = await move(t.tokens.hrHanoi, root.id, tl).expect(200);
      expect(moved.body).toMatchObject({ id: root.id, parentId: tl, depth: 3 });
      expect(await underIds(t.tokens.hrHanoi, tl)).toEqual(expect.arrayContaining(subtree));
      const oldSide = await underIds(t.tokens.hrHanoi, hd);
      expect(oldSide.filter((id) => subtree.includes(id))).toEqual([]);
      expect(oldSide).toContain(await t.unitId('HN-HD-MAY'));
      const [{ path: mayPathAfter }] = await t.dataSource.query<{ path: string }[]>(
        `SELECT path FROM org_units WHERE code = 'HN-HD-MAY'`,
      );
      expect(mayPathAfter).toBe(mayPathBefore);

      // Under an upper-level union that sits directly under the confederation: one level higher.
      const corporation = await createUnit(t.tokens.admin, 'VGCL', {
        name: 'Công đoàn Tổng công ty Dệt May Việt Nam',
        level: 'upper',
      });
      await move(t.tokens.admin, root.id, corporation.id).expect(200);
      const depths = async () =>
        Promise.all(
          [root, mid, leaf].map(
            async (u) =>
              (
                await t.http
                  .get(`/api/v1/org-units/${u.id}`)
                  .set(bearer(t.tokens.admin))
                  .expect(200)
              ).body as Unit,
          ),
        );
      const after = await depths();
      expect(after.map((u) => u.depth)).toEqual([2, 3, 4]);
      expect(after.map((u) => u.parentId)).toEqual([corporation.id, root.id, mid.id]);
      const rows = await t.dataSource.query<{ id: string; path: string; depth: number }[]>(
        `SELECT o.id, o.path, o.depth FROM org_units o WHERE o.id = ANY($1)`,
        [[corporation.id, root.id, mid.id, leaf.id]],
      );
      const pathOf = new Map(rows.map((r) => [r.id, r.path]));
      expect(pathOf.get(root.id)!.startsWith(pathOf.get(corporation.id)!)).toBe(true);
      expect(pathOf.get(leaf.id)!.startsWith(pathOf.get(mid.id)!)).toBe(true);
      expect(await underIds(t.tokens.admin, corporation.id)).toEqual(
        expect.arrayContaining(subtree),
      );
      expect((await underIds(t.tokens.admin, tl)).filter((id) => subtree.includes(id))).toEqual([]);
      // Out of Hà Nội now: hr.hanoi no longer sees the subtree.
      expectError(
        await t.http.get(`/api/v1/org-units/${leaf.id}`).set(bearer(t.tokens.hrHanoi)),
        404,
        'ORG_UNIT_NOT_FOUND',
      );
      // And back, one level deeper again.
      await move(t.tokens.admin, root.id, tl).expect(200);
      expect((await depths()).map((u) => u.depth)).toEqual([3, 4, 5]);
      await t.http.get(`/api/v1/org-units/${leaf.id}`).set(bearer(t.tokens.hrHanoi)).expect(200);
      // Moving to the current parent changes nothing.
      await move(t.tokens.hrHanoi, root.id, tl).expect(200);
      expect((await depths()).map((u) => u.depth)).toEqual([3, 4, 5]);
    });

    it('refuses a move under itself or its own descendant with 422 ORG_UNIT_MOVE_CYCLE', async () => {
      const top = await createUnit(t.tokens.hrHanoi, 'HN-HD', { level: 'grassroots' });
      const child = await createUnit(t.tokens.hrHanoi, top, { level: 'sub_unit' });
      const grandchild = await createUnit(t.tokens.hrHanoi, child, { level: 'sub_unit' });
      expectError(await move(t.tokens.hrHanoi, top.id, top.id), 422, 'ORG_UNIT_MOVE_CYCLE');
      expectError(await move(t.tokens.hrHanoi, top.id, child.id), 422, 'ORG_UNIT_MOVE_CYCLE');
      expectError(await move(t.tokens.hrHanoi, top.id, grandchild.id), 422, 'ORG_UNIT_MOVE_CYCLE');
      expectError(
        await move(t.tokens.hrHanoi, child.id, grandchild.id),
        422,
        'ORG_UNIT_MOVE_CYCLE',
      );
      expectError(
        await move(t.tokens.admin, await t.unitId('HN'), grandchild.id),
        422,
        'ORG_UNIT_MOVE_CYCLE',
      );
      const [{ count }] = await t.dataSource.query<{ count: string }[]>(
        `SELECT count(*) AS count FROM org_units p JOIN org_units c ON c.parent_id = p.id
          WHERE c.path NOT LIKE p.path || '%' OR c.depth <> p.depth + 1`,
      );
      expect(Number(count)).toBe(0);
    });

    it('refuses a wrong level, a target out of scope, a bad body and a missing role', async () => {
      const unit = await createUnit(t.tokens.hrHanoi, 'HN-HD', { level: 'grassroots' });
      expectError(
        await move(t.tokens.hrHanoi, unit.id, await t.unitId('HN-HD-MAY')),
        422,
        'ORG_UNIT_LEVEL_INVALID',
      );
      expectError(
        await move(t.tokens.hrHanoi, unit.id, await t.unitId('BN-TS')),
        404,
        'ORG_UNIT_NOT_FOUND',
      );
      expectError(
        await move(t.tokens.hrHanoi, await t.unitId('BN-TS-GO'), await t.unitId('HN-HD')),
        404,
        'ORG_UNIT_NOT_FOUND',
      );
      expectError(await move(t.tokens.hrHanoi, unit.id, 'x'), 400, 'VALIDATION_FAILED', [
        'parentId',
      ]);
      expectError(
        await t.http
          .post(`/api/v1/org-units/${unit.id}/move`)
          .set(bearer(t.tokens.hrHanoi))
          .send({ parentId: await t.unitId('HN-KCN-TL'), depth: 1 }),
        400,
        'VALIDATION_FAILED',
        ['depth'],
      );
      expectError(
        await move(t.tokens.officerHanoi, unit.id, await t.unitId('HN-KCN-TL')),
        403,
        'FORBIDDEN',
      );
    });
  });

  describe('archive', () => {
    const archive = (token: string, id: string) =>
      t.http.post(`/api/v1/org-units/${id}/archive`).set(bearer(token));

    it('archives only a unit without active children; archived units leave the lists', async () => {
      const hn = await t.unitId('HN');
      const upper = await createUnit(t.tokens.hrHanoi, 'HN', {
        name: 'Công đoàn phường Tây Hồ',
        level: 'upper',
      });
      const child = await createUnit(t.tokens.hrHanoi, upper, {
        name: 'Công đoàn cơ sở Khách sạn Hồ Tây',
        level: 'grassroots',
      });
      expectError(await archive(t.tokens.hrHanoi, upper.id), 409, 'ORG_UNIT_HAS_ACTIVE_CHILDREN');

      const archivedChild = await archive(t.tokens.hrHanoi, child.id).expect(200);
      expect(archivedChild.body).toEqual({ ...child, status: 'archived' });
      const archivedUpper = await archive(t.tokens.hrHanoi, upper.id).expect(200);
      expect(archivedUpper.body.status).toBe('archived');
      // Archiving twice is harmless.
      await archive(t.tokens.hrHanoi, upper.id).expect(200);

      expect(codes(await list(t.tokens.hrHanoi, { parentId: hn }))).not.toContain(upper.code);
      expect(
        codes(await list(t.tokens.hrHanoi, { parentId: hn, includeArchived: true })),
      ).toContain(upper.code);
      expect(
        codes(await list(t.tokens.hrHanoi, { parentId: hn, includeArchived: false })),
      ).not.toContain(upper.code);
      expect((await list(t.tokens.hrHanoi, { q: 'tay' })).items).toEqual([]);
      expect(
        codes(await list(t.tokens.hrHanoi, { q: 'tay', includeArchived: true })).sort(),
      ).toEqual([child.code, upper.code].sort());
      // Still readable by id: history stays.
      await t.http.get(`/api/v1/org-units/${upper.id}`).set(bearer(t.tokens.hrHanoi)).expect(200);
      // Nothing new goes under an archived unit.
      expectError(
        await t.http
          .post('/api/v1/org-units')
          .set(bearer(t.tokens.hrHanoi))
          .send({ code: 'X-ARCH', name: 'Không được', level: 'grassroots', parentId: upper.id }),
        409,
        'ORG_UNIT_ARCHIVED',
      );
      expectError(
        await t.http
          .post(
            `/api/v1/org-units/${(await createUnit(t.tokens.hrHanoi, 'HN-HD', { level: 'grassroots' })).id}/move`,
          )
          .set(bearer(t.tokens.hrHanoi))
          .send({ parentId: upper.id }),
        409,
        'ORG_UNIT_ARCHIVED',
      );
    });

    it('refuses to archive the root, units out of scope, and callers without the role', async () => {
      expectError(await archive(t.tokens.admin, await t.unitId('VGCL')), 403, 'FORBIDDEN');
      expectError(
        await archive(t.tokens.hrHanoi, await t.unitId('BN-TS-GO')),
        404,
        'ORG_UNIT_NOT_FOUND',
      );
      // A Bắc Ninh officer may not even see the Hà Nội unit's write side: the role answers first.
      const empty = await createUnit(t.tokens.hrHanoi, 'HN-HD', { level: 'grassroots' });
      for (const token of [t.tokens.chair, t.tokens.officerHanoi, t.tokens.officerBacNinh]) {
        expectError(await archive(token, await t.unitId('HN-HD-MAY')), 403, 'FORBIDDEN');
        expectError(await archive(token, empty.id), 403, 'FORBIDDEN');
      }
      const unchanged = await t.http
        .get(`/api/v1/org-units/${empty.id}`)
        .set(bearer(t.tokens.hrHanoi))
        .expect(200);
      expect(unchanged.body.status).toBe('active');
    });

    describe('with people and post holders', () => {
      const hr = () => bearer(t.tokens.hrHanoi);
      let idCount = 0;

      const createPerson = (homeOrgUnitId: string, body: Record<string, unknown> = {}) =>
        t.http
          .post('/api/v1/people')
          .set(hr())
          .send({
            familyName: 'Lê',
            middleName: 'Thị',
            givenName: 'Lưu Trữ',
            homeOrgUnitId,
            nationalId: `0013${String(70_000_000 + ++idCount).padStart(8, '0')}`,
            ...body,
          });

      async function newPerson(homeOrgUnitId: string, body: Record<string, unknown> = {}) {
        const res = await createPerson(homeOrgUnitId, body);
        if (res.status !== 201)
          throw new Error(`person: ${res.status} ${JSON.stringify(res.body)}`);
        return res.body as { id: string; status: string; homeOrgUnitId: string };
      }

      const patchPerson = (id: string, body: Record<string, unknown>) =>
        t.http.patch(`/api/v1/people/${id}`).set(hr()).send(body);

      const appoint = (personId: string, postId: string, body: Record<string, unknown> = {}) =>
        t.http
          .post('/api/v1/appointments')
          .set(hr())
          .send({ personId, postId, method: 'elected', startDate: '2023-07-01', ...body });

      async function newPost(orgUnitId: string, postType = 'chair') {
        const res = await t.http.post('/api/v1/posts').set(hr()).send({ orgUnitId, postType });
        if (res.status !== 201) throw new Error(`post: ${res.status} ${JSON.stringify(res.body)}`);
        return res.body as { id: string };
      }

      const status = async (id: string) =>
        (
          (await t.http.get(`/api/v1/org-units/${id}`).set(hr()).expect(200)).body as {
            status: string;
          }
        ).status;

      it('refuses while active people call the unit home, and archives once they have moved', async () => {
        const unit = await createUnit(t.tokens.hrHanoi, 'HN-HD', { level: 'grassroots' });
        const first = await newPerson(unit.id);
        const second = await newPerson(unit.id);
        // Someone retired keeps the unit as home in the records but does not hold it open.
        await newPerson(unit.id, { status: 'retired' });

        const refused = await archive(t.tokens.hrHanoi, unit.id);
        expectError(refused, 409, 'ORG_UNIT_HAS_PEOPLE');
        expect(refused.body.message).toContain('2 cán bộ');
        const english = await archive(t.tokens.hrHanoi, unit.id).set('Accept-Language', 'en');
        expectError(english, 409, 'ORG_UNIT_HAS_PEOPLE');
        expect(english.body.message).toContain('2 active people');
        expect(await status(unit.id)).toBe('active');

        // One moves to another unit, the other leaves active service: nothing holds the unit.
        await patchPerson(first.id, { homeOrgUnitId: await t.unitId('HN-HD-MAY') }).expect(200);
        expectError(await archive(t.tokens.hrHanoi, unit.id), 409, 'ORG_UNIT_HAS_PEOPLE');
        await patchPerson(second.id, { status: 'inactive' }).expect(200);
        const archived = await archive(t.tokens.hrHanoi, unit.id).expect(200);
        expect(archived.body.status).toBe('archived');

        // Nobody joins an archived unit: not as a new person, not by moving, not by coming back.
        expectError(await createPerson(unit.id), 409, 'ORG_UNIT_ARCHIVED');
        expectError(await createPerson(unit.id, { status: 'inactive' }), 409, 'ORG_UNIT_ARCHIVED');
        expectError(
          await patchPerson(first.id, { homeOrgUnitId: unit.id }),
          409,
          'ORG_UNIT_ARCHIVED',
        );
        expectError(await patchPerson(second.id, { status: 'active' }), 409, 'ORG_UNIT_ARCHIVED');
        // Their records stay editable where that lets no one in.
        await patchPerson(second.id, { phone: '0912000111' }).expect(200);
        const people = await t.http
          .get('/api/v1/people')
          .query({ orgUnitId: unit.id, status: 'active' })
          .set(hr())
          .expect(200);
        expect(people.body.items).toEqual([]);
      });

      it('refuses while posts of the unit have current holders, whatever their home unit', async () => {
        const unit = await createUnit(t.tokens.hrHanoi, 'HN-HD', { level: 'grassroots' });
        const post = await newPost(unit.id);
        // The chair's home is elsewhere: only the appointment ties them to the unit.
        const chair = await newPerson(await t.unitId('HN-HD-MAY'));
        const appointment = (await appoint(chair.id, post.id).expect(201)).body as { id: string };

        const refused = await archive(t.tokens.hrHanoi, unit.id);
        expectError(refused, 409, 'ORG_UNIT_HAS_HOLDERS');
        expect(refused.body.message).toContain('1 người');
        await t.http
          .post(`/api/v1/appointments/${appointment.id}/end`)
          .set(hr())
          .send({ endDate: '2025-06-30', reason: 'Chuyển công tác' })
          .expect(200);

        // An end date still ahead keeps its holder in the post.
        const other = await newPerson(await t.unitId('HN-HD-MAY'));
        const ahead = `${new Date().getUTCFullYear() + 1}-12-31`;
        const deputy = (
          await appoint(other.id, (await newPost(unit.id, 'vice_chair')).id, {
            endDate: ahead,
          }).expect(201)
        ).body as { id: string };
        expectError(await archive(t.tokens.hrHanoi, unit.id), 409, 'ORG_UNIT_HAS_HOLDERS');
        // A cancelled appointment never counted.
        await t.http
          .post(`/api/v1/appointments/${deputy.id}/cancel`)
          .set(hr())
          .send({ reason: 'Nhập nhầm' })
          .expect(200);
        await archive(t.tokens.hrHanoi, unit.id).expect(200);

        // Nobody starts holding a post of an archived unit; past terms may still be recorded.
        expectError(
          await appoint(other.id, post.id, { startDate: '2026-01-01' }),
          409,
          'ORG_UNIT_ARCHIVED',
        );
        await appoint(other.id, post.id, { startDate: '2019-01-01', endDate: '2019-12-31' }).expect(
          201,
        );
      });

      it('lets a concurrent person-create and archive never leave an active person in an archived unit', async () => {
        for (let round = 0; round < 4; round += 1) {
          const unit = await createUnit(t.tokens.hrHanoi, 'HN-HD', { level: 'grassroots' });
          const [created, archived] = await Promise.all([
            createPerson(unit.id),
            archive(t.tokens.hrHanoi, unit.id),
          ]);
          if (created.status === 201) {
            expectError(archived, 409, 'ORG_UNIT_HAS_PEOPLE');
            expect(await status(unit.id)).toBe('active');
          } else {
            expectError(created, 409, 'ORG_UNIT_ARCHIVED');
            expect(archived.status).toBe(200);
            expect(await status(unit.id)).toBe('archived');
          }
          const [{ active }] = await t.dataSource.query<{ active: number }[]>(
            `SELECT count(*)::int AS active FROM people p JOIN org_units o ON o.id = p.home_org_unit_id
              WHERE o.id = $1 AND o.status = 'archived' AND p.status = 'active'`,
            [unit.id],
          );
          expect(active).toBe(0);
        }
      });
    });
  });
});
