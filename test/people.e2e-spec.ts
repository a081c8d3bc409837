import { randomUUID } from 'node:crypto';
import { expectError } from './expect-error';
import { bearer, createTestApp, TestApp } from './support/test-app';
import { addDays, addYears } from '../src/common/dates/calendar';

interface Person {
  id: string;
  familyName: string;
  middleName: string | null;
  givenName: string;
  fullName: string;
  birthDate: string | null;
  gender: string | null;
  ethnicityCode: string | null;
  nationalId: string | null;
  email: string | null;
  phone: string | null;
  homeOrgUnitId: string;
  status: string;
}

interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

const vi = new Intl.Collator('vi', { sensitivity: 'base' });
/** Vietnamese list order: given name (tones included), then middle name, then family name. */
const viTones = new Intl.Collator('vi', { sensitivity: 'accent' });
const compareNames = (a: Person, b: Person) =>
  viTones.compare(a.givenName, b.givenName) ||
  viTones.compare(a.middleName ?? '', b.middleName ?? '') ||
  viTones.compare(a.familyName, b.familyName);
/** Today in Vietnam (yyyy-MM-dd) and a date as people read it (dd/MM/yyyy). */
const todayVn = () =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date());
const dmy = (iso: string) => iso.split('-').reverse().join('/');

const fold = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase();

describe('people', () => {
  let t: TestApp;
  let chairId: string;
  let hrId: string;
  let idCount = 0;

  beforeAll(async () => {
    t = await createTestApp();
    const rows = await t.dataSource.query<{ id: string; email: string }[]>(
      `SELECT p.id, u.email FROM people p JOIN user_accounts u ON u.person_id = p.id`,
    );
    const byEmail = new Map(rows.map((r) => [r.email.split('@')[0], r.id]));
    chairId = byEmail.get('chutich.mayhadong')!;
    hrId = byEmail.get('hr.hanoi')!;
  });

  afterAll(async () => {
    await t.close();
  });

  const nationalIdOf = async (id: string) =>
    (
      await t.dataSource.query<{ national_id: string }[]>(
        'SELECT national_id FROM people WHERE id = $1',
        [id],
      )
    )[0].national_id;

  /** A 12-digit CCCD no demo person has. */
  const newNationalId = () => `0790${String(900_000_00 + ++idCount).padStart(8, '0')}`;

  const list = async (token: string, query: Record<string, string | number>) =>
    (await t.http.get('/api/v1/people').query(query).set(bearer(token)).expect(200))
      .body as Page<Person>;

  async function createPerson(body: Record<string, unknown>): Promise<Person> {
    const res = await t.http
      .post('/api/v1/people')
      .set(bearer(t.tokens.hrHanoi))
      .send({ homeOrgUnitId: await t.unitId('HN-HD-MAY'), ...body });
    if (res.status !== 201) throw new Error(`create: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as Person;
  }

  describe('national ID', () => {
    it('is shown whole to hr.hanoi for a Hà Nội person', async () => {
      const res = await t.http
        .get(`/api/v1/people/${chairId}`)
        .set(bearer(t.tokens.hrHanoi))
        .expect(200);
      expect(res.body.nationalId).toBe(await nationalIdOf(chairId));
      expect(res.body.nationalId).toMatch(/^[0-9]{12}$/);
      expect(res.body).toMatchObject({
        id: chairId,
        fullName: 'Nguyễn Thị Hương',
        homeOrgUnitId: await t.unitId('HN-HD-MAY'),
      });
    });

    it('is masked for a training officer: ******** and the last 4 digits', async () => {
      const whole = await nationalIdOf(chairId);
      const res = await t.http
        .get(`/api/v1/people/${chairId}`)
        .set(bearer(t.tokens.officerHanoi))
        .expect(200);
      expect(res.body.nationalId).toBe(`********${whole.slice(-4)}`);
      const page = await list(t.tokens.officerHanoi, { limit: 100 });
      expect(page.items.length).toBeGreaterThan(5);
      for (const p of page.items) expect(p.nationalId).toMatch(/^\*{8}[0-9]{4}$/);
      const hrPage = await list(t.tokens.hrHanoi, { limit: 100 });
      for (const p of hrPage.items) expect(p.nationalId).toMatch(/^[0-9]{12}$/);
    });
  });

  describe('read access', () => {
    it('answers 404 to the Bắc Ninh training officer for a Hà Nội person', async () => {
      expectError(
        await t.http.get(`/api/v1/people/${chairId}`).set(bearer(t.tokens.officerBacNinh)),
        404,
        'PERSON_NOT_FOUND',
      );
      const bnPage = await list(t.tokens.officerBacNinh, { limit: 100 });
      expect(bnPage.items.map((p) => p.id)).not.toContain(chairId);
      const bn = await t.unitId('BN');
      const bnUnits = await t.dataSource.query<{ id: string }[]>(
        `SELECT o.id FROM org_units o, org_units b WHERE b.id = $1 AND o.path LIKE b.path || '%'`,
        [bn],
      );
      const inBn = new Set(bnUnits.map((u) => u.id));
      expect(bnPage.items.every((p) => inBn.has(p.homeOrgUnitId))).toBe(true);
    });

    it('lets a chair read their own profile but nobody else’s', async () => {
      const own = await t.http.get(`/api/v1/people/${chairId}`).set(bearer(t.tokens.chair));
      expect(own.status).toBe(200);
      expect(own.body.id).toBe(chairId);
      expectError(
        await t.http.get(`/api/v1/people/${hrId}`).set(bearer(t.tokens.chair)),
        403,
        'FORBIDDEN',
      );
      expectError(
        await t.http.get(`/api/v1/people/${randomUUID()}`).set(bearer(t.tokens.chair)),
        403,
        'FORBIDDEN',
      );
      expectError(await t.http.get('/api/v1/people').set(bearer(t.tokens.chair)), 403, 'FORBIDDEN');
    });

    it('answers 404 for an unknown id and 400 for a malformed one', async () => {
      expectError(
        await t.http.get(`/api/v1/people/${randomUUID()}`).set(bearer(t.tokens.admin)),
        404,
        'PERSON_NOT_FOUND',
      );
      for (const id of ['abc', '1', 'null']) {
        expectError(
          await t.http.get(`/api/v1/people/${id}`).set(bearer(t.tokens.admin)),
          400,
          'VALIDATION_FAILED',
        );
        expectError(
          await t.http
            .patch(`/api/v1/people/${id}`)
            .set(bearer(t.tokens.admin))
            .send({ givenName: 'X' }),
          400,
          'VALIDATION_FAILED',
        );
      }
    });
  });

  describe('create', () => {
    it('creates a person with the full name derived from its parts, diacritics exact', async () => {
      const nationalId = newNationalId();
      const home = await t.unitId('HN-HD-MAY');
      const res = await t.http
        .post('/api/v1/people')
        .set(bearer(t.tokens.hrHanoi))
        .send({
          familyName: 'Nguyễn',
          middleName: 'Thị',
          givenName: 'Hoa',
          birthDate: '1990-02-28',
          gender: 'female',
          ethnicityCode: '01',
          nationalId,
          email: 'Hoa.Nguyen@Example.VN',
          phone: '0912 345 678',
          homeOrgUnitId: home,
        })
        .expect(201);
      expect(res.body).toEqual({
        id: expect.any(String),
        familyName: 'Nguyễn',
        middleName: 'Thị',
        givenName: 'Hoa',
        fullName: 'Nguyễn Thị Hoa',
        birthDate: '1990-02-28',
        gender: 'female',
        ethnicityCode: '01',
        nationalId,
        email: 'hoa.nguyen@example.vn',
        phone: '0912345678',
        homeOrgUnitId: home,
        status: 'active',
      });
      expect(res.text).toContain('"fullName":"Nguyễn Thị Hoa"');
      const again = await t.http
        .get(`/api/v1/people/${res.body.id}`)
        .set(bearer(t.tokens.officerHanoi))
        .expect(200);
      expect(again.body.fullName).toBe('Nguyễn Thị Hoa');
      expect(again.body.nationalId).toBe(`********${nationalId.slice(-4)}`);
    });

    it('stores names in NFC, trimmed, and without a middle name when none is given', async () => {
      const person = await createPerson({
        familyName: '  Trần ',
        middleName: '   ',
        givenName: 'Thuỷ'.normalize('NFD'),
      });
      expect(person).toMatchObject({
        familyName: 'Trần',
        middleName: null,
        givenName: 'Thuỷ',
        fullName: 'Trần Thuỷ',
        birthDate: null,
        nationalId: null,
      });
      expect(person.givenName).toBe('Thuỷ'.normalize('NFC'));
    });

    it('accepts the longest names allowed', async () => {
      const person = await createPerson({
        familyName: 'Đ'.repeat(60),
        middleName: 'Ư'.repeat(80),
        givenName: 'Ậ'.repeat(60),
      });
      expect(person.fullName).toHaveLength(202);
    });

    it('refuses roles without write access and units outside the caller’s scope', async () => {
      const body = { familyName: 'Lê', givenName: 'Nam', homeOrgUnitId: await t.unitId('HN-HD') };
      for (const token of [t.tokens.chair, t.tokens.officerHanoi]) {
        expectError(
          await t.http.post('/api/v1/people').set(bearer(token)).send(body),
          403,
          'FORBIDDEN',
        );
      }
      expectError(
        await t.http
          .post('/api/v1/people')
          .set(bearer(t.tokens.hrHanoi))
          .send({ ...body, homeOrgUnitId: await t.unitId('BN-TS-BV') }),
        404,
        'ORG_UNIT_NOT_FOUND',
      );
      expectError(
        await t.http
          .post('/api/v1/people')
          .set(bearer(t.tokens.admin))
          .send({ ...body, homeOrgUnitId: randomUUID() }),
        404,
        'ORG_UNIT_NOT_FOUND',
      );
    });

    it('refuses a national ID already used with 409 PERSON_NATIONAL_ID_TAKEN', async () => {
      const taken = await nationalIdOf(hrId);
      const res = await t.http
        .post('/api/v1/people')
        .set(bearer(t.tokens.hrHanoi))
        .send({
          familyName: 'Lê',
          givenName: 'Nam',
          nationalId: taken,
          homeOrgUnitId: await t.unitId('HN'),
        });
      expectError(res, 409, 'PERSON_NATIONAL_ID_TAKEN', ['nationalId']);
      const [{ count }] = await t.dataSource.query<{ count: string }[]>(
        'SELECT count(*) AS count FROM people WHERE national_id = $1',
        [taken],
      );
      expect(Number(count)).toBe(1);
    });

    it.each([
      ['11 digits', '00119001234'],
      ['13 digits', '0011900123456'],
      ['letters', '00119001234A'],
      ['spaces', '001 19001234'],
      ['a number', 1190012345],
    ])('refuses a national ID with %s: 400 naming nationalId', async (_, nationalId) => {
      expectError(
        await t.http
          .post('/api/v1/people')
          .set(bearer(t.tokens.hrHanoi))
          .send({
            familyName: 'Lê',
            givenName: 'Nam',
            nationalId,
            homeOrgUnitId: await t.unitId('HN'),
          }),
        400,
        'VALIDATION_FAILED',
        ['nationalId'],
      );
    });

    it.each([
      ['an impossible date', { birthDate: '2026-02-30' }, ['birthDate']],
      ['a date in another format', { birthDate: '30/04/1985' }, ['birthDate']],
      ['a date with a time', { birthDate: '1985-04-30T00:00:00Z' }, ['birthDate']],
      ['an unknown field', { salary: 100 }, ['salary']],
      [
        'wrong types',
        { familyName: 1, givenName: true, homeOrgUnitId: 5, gender: 'x', birthDate: 19850430 },
        ['familyName', 'givenName', 'homeOrgUnitId', 'gender', 'birthDate'],
      ],
      ['a blank given name', { givenName: '   ' }, ['givenName']],
      ['a long family name', { familyName: 'x'.repeat(61) }, ['familyName']],
      ['a bad ethnicity code', { ethnicityCode: '55' }, ['ethnicityCode']],
      ['a bad e-mail', { email: 'not-an-email' }, ['email']],
      ['a bad phone', { phone: 'call me' }, ['phone']],
      ['a date given as a phone number', { phone: '2026-02-30' }, ['phone']],
      ['a phone number with too few digits', { phone: '091 234 567' }, ['phone']],
      ['a phone number on an unallocated prefix', { phone: '0712 345 678' }, ['phone']],
      ['a landline without its area code', { phone: '3826 1234' }, ['phone']],
      ['a premium-rate service number', { phone: '1900 1234' }, ['phone']],
      ['a number of another country', { phone: '+1 202 555 0123' }, ['phone']],
      ['an unknown status', { status: 'fired' }, ['status']],
      ['a null status', { status: null }, ['status']],
    ])('refuses a body with %s: 400 VALIDATION_FAILED', async (_, change, fields) => {
      expectError(
        await t.http
          .post('/api/v1/people')
          .set(bearer(t.tokens.hrHanoi))
          .send({
            familyName: 'Lê',
            givenName: 'Nam',
            homeOrgUnitId: await t.unitId('HN'),
            ...change,
          }),
        400,
        'VALIDATION_FAILED',
        fields,
      );
    });

    it('refuses an empty body naming every required field', async () => {
      expectError(
        await t.http.post('/api/v1/people').set(bearer(t.tokens.hrHanoi)).send({}),
        400,
        'VALIDATION_FAILED',
        ['familyName', 'givenName', 'homeOrgUnitId'],
      );
    });
  });

  describe('phone numbers (issue 13, item 7a)', () => {
    it('stores Vietnamese mobiles and landlines normalised, whatever form they were given in', async () => {
      for (const [given, stored] of [
        ['0912.345.678', '0912345678'],
        ['+84 983 000 111', '0983000111'],
        ['0084 352 000 111', '0352000111'],
        ['024 3826 1234', '02438261234'],
      ]) {
        const person = await createPerson({ familyName: 'Đỗ', givenName: 'Số', phone: given });
        expect([given, person.phone]).toEqual([given, stored]);
        const [row] = await t.dataSource.query<{ phone: string }[]>(
          'SELECT phone FROM people WHERE id = $1',
          [person.id],
        );
        expect(row.phone).toBe(stored);
      }
    });

    it('refuses a date as a phone number on update too, naming the field, and keeps the record', async () => {
      const person = await createPerson({
        familyName: 'Đỗ',
        givenName: 'Sửa',
        phone: '0912000333',
      });
      const res = await t.http
        .patch(`/api/v1/people/${person.id}`)
        .set(bearer(t.tokens.hrHanoi))
        .set('Accept-Language', 'en')
        .send({ phone: '2026-02-30' });
      expectError(res, 400, 'VALIDATION_FAILED', ['phone']);
      expect(res.body.details).toEqual([
        {
          field: 'phone',
          message:
            'Not a Vietnamese phone number: a 10-digit mobile (e.g. 0912 345 678 or +84 912 345 678) or an 11-digit landline starting 02 (e.g. 024 3826 1234).',
        },
      ]);
      const after = await t.http
        .get(`/api/v1/people/${person.id}`)
        .set(bearer(t.tokens.hrHanoi))
        .expect(200);
      expect(after.body.phone).toBe('0912000333');
      const updated = await t.http
        .patch(`/api/v1/people/${person.id}`)
        .set(bearer(t.tokens.hrHanoi))
        .send({ phone: '+84 24 3826 1234' })
        .expect(200);
      expect(updated.body.phone).toBe('02438261234');
      const cleared = await t.http
        .patch(`/api/v1/people/${person.id}`)
        .set(bearer(t.tokens.hrHanoi))
        .send({ phone: null })
        .expect(200);
      expect(cleared.body.phone).toBeNull();
    });
  });

  describe('list', () => {
    it('finds "Nguyễn Thị …" with "nguyen thi", with or without diacritics', async () => {
      await createPerson({ familyName: 'Nguyễn', middleName: 'Thị', givenName: 'Lụa' });
      for (const q of ['nguyen thi', 'Nguyễn Thị', 'NGUYEN THI']) {
        const page = await list(t.tokens.admin, { q, limit: 100 });
        const names = page.items.map((p) => p.fullName);
        expect(names).toEqual(expect.arrayContaining(['Nguyễn Thị Hương', 'Nguyễn Thị Lụa']));
        for (const name of names) expect(fold(name)).toContain('nguyen thi');
      }
      expect((await list(t.tokens.admin, { q: 'khong co ai ten nay' })).items).toEqual([]);
      expect((await list(t.tokens.admin, { q: '%' })).items).toEqual([]);
    });

    it('filters by unit subtree and by status', async () => {
      const may = await t.unitId('HN-HD-MAY');
      const page = await list(t.tokens.hrHanoi, { orgUnitId: may, limit: 100 });
      expect(page.items.length).toBeGreaterThanOrEqual(3);
      expect(page.items.every((p) => p.homeOrgUnitId === may)).toBe(true);
      const hd = await list(t.tokens.hrHanoi, { orgUnitId: await t.unitId('HN-HD'), limit: 100 });
      expect(hd.items.map((p) => p.id)).toEqual(
        expect.arrayContaining(page.items.map((p) => p.id)),
      );
      expectError(
        await t.http
          .get('/api/v1/people')
          .query({ orgUnitId: await t.unitId('BN') })
          .set(bearer(t.tokens.hrHanoi)),
        404,
        'ORG_UNIT_NOT_FOUND',
      );
      const retired = await createPerson({ familyName: 'Hà', givenName: 'Lão', status: 'retired' });
      const retiredPage = await list(t.tokens.hrHanoi, { status: 'retired', limit: 100 });
      expect(retiredPage.items.map((p) => p.id)).toEqual([retired.id]);
    });

    it('sorts by given name in Vietnamese order, then middle and family name', async () => {
      await createPerson({ familyName: 'Đỗ', givenName: 'Ánh' });
      await createPerson({ familyName: 'Bùi', givenName: 'Ân' });
      await createPerson({ familyName: 'Lý', givenName: 'Đào' });
      await createPerson({ familyName: 'Mai', givenName: 'Dung' });
      await createPerson({ familyName: 'Cao', givenName: 'Ơn' });
      await createPerson({ familyName: 'Tạ', givenName: 'Ông' });
      // Same given name: a middle name sorts before its longer forms.
      const lan = await createPerson({ familyName: 'Lê', middleName: 'Thị Thu', givenName: 'Ơn' });
      const an = await createPerson({ familyName: 'Trần', middleName: 'Thị', givenName: 'Ơn' });
      const page = await list(t.tokens.admin, { limit: 100 });
      expect(page.nextCursor).toBeNull();
      const given = page.items.map((p) => p.givenName);
      for (let i = 1; i < given.length; i++) {
        expect([given[i - 1], given[i], vi.compare(given[i - 1], given[i]) <= 0]).toEqual([
          given[i - 1],
          given[i],
          true,
        ]);
      }
      for (let i = 1; i < page.items.length; i++) {
        const [a, b] = [page.items[i - 1], page.items[i]];
        expect([a.fullName, b.fullName, compareNames(a, b) <= 0]).toEqual([
          a.fullName,
          b.fullName,
          true,
        ]);
      }
      const at = (name: string) => given.indexOf(name);
      expect(at('Ánh')).toBeLessThan(at('Ân'));
      expect(at('Dung')).toBeLessThan(at('Đào'));
      expect(at('Ông')).toBeLessThan(at('Ơn'));
      expect(at('Ân')).toBeLessThan(at('Bình'));
      const ids = page.items.map((p) => p.id);
      expect(ids.indexOf(an.id)).toBeLessThan(ids.indexOf(lan.id));
    });

    it('pages with a keyset cursor: same order as one page, no duplicates', async () => {
      const whole = await list(t.tokens.admin, { limit: 100 });
      const ids: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page = await list(t.tokens.admin, { limit: 7, ...(cursor ? { cursor } : {}) });
        expect(page.items.length).toBeLessThanOrEqual(7);
        ids.push(...page.items.map((p) => p.id));
        cursor = page.nextCursor;
        pages += 1;
      } while (cursor && pages < 50);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids).toEqual(whole.items.map((p) => p.id));
      expect(pages).toBe(Math.ceil(ids.length / 7));

      for (const bad of ['zzz', Buffer.from('["a","b"]').toString('base64url')]) {
        expectError(
          await t.http.get('/api/v1/people').query({ cursor: bad }).set(bearer(t.tokens.admin)),
          400,
          'INVALID_CURSOR',
        );
      }
      for (const limit of [0, 101, 'x']) {
        expectError(
          await t.http.get('/api/v1/people').query({ limit }).set(bearer(t.tokens.admin)),
          400,
          'VALIDATION_FAILED',
          ['limit'],
        );
      }
      expectError(
        await t.http
          .get('/api/v1/people')
          .query({ status: 'x', foo: 1 })
          .set(bearer(t.tokens.admin)),
        400,
        'VALIDATION_FAILED',
        ['status', 'foo'],
      );
    });
  });

  describe('update', () => {
    it('changes name parts and derives the full name again', async () => {
      const person = await createPerson({
        familyName: 'Phạm',
        middleName: 'Văn',
        givenName: 'Hải',
        nationalId: newNationalId(),
        email: 'hai@example.vn',
      });
      const res = await t.http
        .patch(`/api/v1/people/${person.id}`)
        .set(bearer(t.tokens.hrHanoi))
        .send({ middleName: 'Thị Thu', givenName: 'Hằng', gender: 'female' })
        .expect(200);
      expect(res.body).toEqual({
        ...person,
        middleName: 'Thị Thu',
        givenName: 'Hằng',
        fullName: 'Phạm Thị Thu Hằng',
        gender: 'female',
      });
      const found = await list(t.tokens.hrHanoi, { q: 'pham thi thu hang' });
      expect(found.items.map((p) => p.id)).toEqual([person.id]);
      expect((await list(t.tokens.hrHanoi, { q: 'pham van hai' })).items).toEqual([]);

      // null clears an optional field.
      const cleared = await t.http
        .patch(`/api/v1/people/${person.id}`)
        .set(bearer(t.tokens.hrHanoi))
        .send({ middleName: null, email: null, nationalId: null })
        .expect(200);
      expect(cleared.body).toMatchObject({
        fullName: 'Phạm Hằng',
        middleName: null,
        email: null,
        nationalId: null,
      });
      // Keeping one's own national ID is no conflict.
      const nationalId = newNationalId();
      await t.http
        .patch(`/api/v1/people/${person.id}`)
        .set(bearer(t.tokens.hrHanoi))
        .send({ nationalId })
        .expect(200);
      await t.http
        .patch(`/api/v1/people/${person.id}`)
        .set(bearer(t.tokens.hrHanoi))
        .send({ nationalId })
        .expect(200);
    });

    it('refuses conflicts, out-of-scope moves and roles without write access', async () => {
      const person = await createPerson({ familyName: 'Võ', givenName: 'Tâm' });
      expectError(
        await t.http
          .patch(`/api/v1/people/${person.id}`)
          .set(bearer(t.tokens.hrHanoi))
          .send({ nationalId: await nationalIdOf(chairId) }),
        409,
        'PERSON_NATIONAL_ID_TAKEN',
        ['nationalId'],
      );
      expectError(
        await t.http
          .patch(`/api/v1/people/${person.id}`)
          .set(bearer(t.tokens.hrHanoi))
          .send({ homeOrgUnitId: await t.unitId('BN-TS-BV') }),
        404,
        'ORG_UNIT_NOT_FOUND',
      );
      expectError(
        await t.http
          .patch(`/api/v1/people/${person.id}`)
          .set(bearer(t.tokens.officerHanoi))
          .send({ givenName: 'Tú' }),
        403,
        'FORBIDDEN',
      );
      expectError(
        await t.http
          .patch(`/api/v1/people/${person.id}`)
          .set(bearer(t.tokens.chair))
          .send({ givenName: 'Tú' }),
        403,
        'FORBIDDEN',
      );
      const [bnPerson] = await t.dataSource.query<{ id: string }[]>(
        `SELECT p.id FROM people p JOIN org_units o ON o.id = p.home_org_unit_id
          WHERE o.code = 'BN-TS-BV' LIMIT 1`,
      );
      expectError(
        await t.http
          .patch(`/api/v1/people/${bnPerson.id}`)
          .set(bearer(t.tokens.hrHanoi))
          .send({ givenName: 'Tú' }),
        404,
        'PERSON_NOT_FOUND',
      );
      // Moving within scope works.
      const moved = await t.http
        .patch(`/api/v1/people/${person.id}`)
        .set(bearer(t.tokens.hrHanoi))
        .send({ homeOrgUnitId: await t.unitId('HN-TL-CANON') })
        .expect(200);
      expect(moved.body.homeOrgUnitId).toBe(await t.unitId('HN-TL-CANON'));
    });

    it.each([
      [{ birthDate: '2026-02-30' }, 'birthDate'],
      [{ birthDate: '2025-13-01' }, 'birthDate'],
      [{ nickname: 'Tí' }, 'nickname'],
      [{ familyName: 42 }, 'familyName'],
      [{ familyName: null }, 'familyName'],
      [{ givenName: null }, 'givenName'],
      [{ givenName: '' }, 'givenName'],
      [{ homeOrgUnitId: null }, 'homeOrgUnitId'],
      [{ status: null }, 'status'],
      [{ gender: 'other' }, 'gender'],
      [{ nationalId: '12345678901' }, 'nationalId'],
      [{ middleName: ['Thị'] }, 'middleName'],
    ])('refuses the change %j with 400', async (change, field) => {
      const person = await createPerson({ familyName: 'Đào', givenName: 'Yến' });
      expectError(
        await t.http
          .patch(`/api/v1/people/${person.id}`)
          .set(bearer(t.tokens.hrHanoi))
          .send(change),
        400,
        'VALIDATION_FAILED',
        [field],
      );
      const after = await t.http
        .get(`/api/v1/people/${person.id}`)
        .set(bearer(t.tokens.hrHanoi))
        .expect(200);
      expect(after.body).toEqual(person);
    });
  });

  describe('birth dates (issue 11 item 14)', () => {
    /** Aged 16 from today, 80 until the day before the 81st birthday: both ends allowed. */
    const range = () => {
      const today = todayVn();
      return { earliest: addDays(addYears(today, -81), 1), latest: addYears(today, -16), today };
    };

    const peopleNamed = async (givenName: string) =>
      (
        await t.dataSource.query<{ n: number }[]>(
          'SELECT count(*)::int AS n FROM people WHERE given_name = $1',
          [givenName],
        )
      )[0].n;

    it.each([
      ['in the future', (r: ReturnType<typeof range>) => addDays(r.today, 1), 'ở tương lai'],
      [
        'giving an age of 15',
        (r: ReturnType<typeof range>) => addDays(r.latest, 1),
        'Chưa đủ 16 tuổi',
      ],
      [
        'giving an age of 81',
        (r: ReturnType<typeof range>) => addDays(r.earliest, -1),
        'Đã quá 80 tuổi',
      ],
      ['of 1885 for 1985', () => '1885-04-30', 'Đã quá 80 tuổi'],
    ])('refuses a birth date %s with 422 naming the allowed range', async (_, date, why) => {
      const r = range();
      const birthDate = date(r);
      const givenName = `Sinh ${birthDate}`;
      const res = await t.http
        .post('/api/v1/people')
        .set(bearer(t.tokens.hrHanoi))
        .send({
          familyName: 'Lê',
          givenName,
          birthDate,
          homeOrgUnitId: await t.unitId('HN-HD-MAY'),
        });
      expectError(res, 422, 'PERSON_BIRTH_DATE_OUT_OF_RANGE', ['birthDate']);
      expect(res.body.message).toBe(
        `Ngày sinh phải từ ${dmy(r.earliest)} đến ${dmy(r.latest)} (cán bộ từ 16 đến 80 tuổi).`,
      );
      expect(res.body.details).toEqual([
        {
          field: 'birthDate',
          message: expect.stringContaining(
            `${why}: ngày sinh phải từ ${dmy(r.earliest)} đến ${dmy(r.latest)}.`,
          ),
        },
      ]);
      expect(await peopleNamed(givenName)).toBe(0);
    });

    it('accepts a person who turns 16 today and one who is 80 until tomorrow', async () => {
      const r = range();
      for (const birthDate of [r.latest, r.earliest]) {
        expect(
          (await createPerson({ familyName: 'Lê', givenName: 'Biên', birthDate })).birthDate,
        ).toBe(birthDate);
      }
    });

    it('refuses the same on update, in English on request, and changes nothing', async () => {
      const r = range();
      const person = await createPerson({
        familyName: 'Phan',
        givenName: 'Tuổi',
        birthDate: '1980-01-01',
      });
      const res = await t.http
        .patch(`/api/v1/people/${person.id}`)
        .set(bearer(t.tokens.hrHanoi))
        .set('Accept-Language', 'en')
        .send({ birthDate: '2099-01-01', phone: '0912999888' });
      expectError(res, 422, 'PERSON_BIRTH_DATE_OUT_OF_RANGE', ['birthDate']);
      expect(res.body.message).toBe(
        `The birth date must be from ${dmy(r.earliest)} to ${dmy(r.latest)} (a person aged 16 to 80).`,
      );
      expect(res.body.details).toEqual([
        {
          field: 'birthDate',
          message: `01/01/2099 is in the future: the birth date must be from ${dmy(r.earliest)} to ${dmy(r.latest)}.`,
        },
      ]);
      const after = await t.http
        .get(`/api/v1/people/${person.id}`)
        .set(bearer(t.tokens.hrHanoi))
        .expect(200);
      expect(after.body).toEqual(person);
      // Clearing the birth date is still allowed.
      const cleared = await t.http
        .patch(`/api/v1/people/${person.id}`)
        .set(bearer(t.tokens.hrHanoi))
        .send({ birthDate: null })
        .expect(200);
      expect(cleared.body.birthDate).toBeNull();
    });

    it('names the format expected of an ethnicity code and a phone number', async () => {
      const body = {
        familyName: 'Lò',
        givenName: 'Định dạng',
        ethnicityCode: '55',
        phone: 'gọi tôi',
        homeOrgUnitId: await t.unitId('HN'),
      };
      const vi = await t.http.post('/api/v1/people').set(bearer(t.tokens.hrHanoi)).send(body);
      expectError(vi, 400, 'VALIDATION_FAILED', ['ethnicityCode', 'phone']);
      expect(vi.body.details).toEqual(
        expect.arrayContaining([
          {
            field: 'ethnicityCode',
            message:
              'Sai định dạng: mã dân tộc hai chữ số từ 01 đến 54 (ví dụ 01 là dân tộc Kinh).',
          },
          {
            field: 'phone',
            message:
              'Không phải số điện thoại Việt Nam: số di động 10 chữ số (ví dụ 0912 345 678 hoặc +84 912 345 678) hoặc số cố định 11 chữ số bắt đầu bằng 02 (ví dụ 024 3826 1234).',
          },
        ]),
      );
      const en = await t.http
        .post('/api/v1/people')
        .set(bearer(t.tokens.hrHanoi))
        .set('Accept-Language', 'en')
        .send(body);
      expect(en.body.details).toContainEqual({
        field: 'ethnicityCode',
        message:
          'Wrong format: an ethnic group code of two digits from 01 to 54 (e.g. 01 for Kinh).',
      });
    });

    it('words the national-ID conflict in the caller’s language', async () => {
      const nationalId = newNationalId();
      await createPerson({ familyName: 'Vương', givenName: 'Số', nationalId });
      const body = {
        familyName: 'Vương',
        givenName: 'Trùng',
        nationalId,
        homeOrgUnitId: await t.unitId('HN'),
      };
      const vi = await t.http.post('/api/v1/people').set(bearer(t.tokens.hrHanoi)).send(body);
      expectError(vi, 409, 'PERSON_NATIONAL_ID_TAKEN', ['nationalId']);
      expect(vi.body.details).toEqual([
        { field: 'nationalId', message: 'Số CCCD này đã thuộc về một cán bộ khác.' },
      ]);
      const en = await t.http
        .post('/api/v1/people')
        .set(bearer(t.tokens.hrHanoi))
        .set('Accept-Language', 'en')
        .send(body);
      expect(en.body.details).toEqual([
        { field: 'nationalId', message: 'This national ID belongs to another person.' },
      ]);
    });
  });
});
