import { expectError } from './expect-error';
import { cccd, csvOf, xlsxOf } from './support/import-files';
import { bearer, createTestApp, TestApp } from './support/test-app';

jest.setTimeout(60_000);

const PEOPLE_HEADER = ['Họ và tên', 'Ngày sinh', 'Giới tính', 'Số CCCD', 'Số điện thoại', 'Đơn vị'];

describe('imports', () => {
  let t: TestApp;
  const hr = () => bearer(t.tokens.hrHanoi);

  const upload = (
    file: Buffer,
    fields: Record<string, string>,
    name = 'can-bo.csv',
    token = t.tokens.hrHanoi,
  ) => {
    const req = t.http.post('/api/v1/imports').set(bearer(token));
    for (const [k, v] of Object.entries(fields)) void req.field(k, v);
    return req.attach('file', file, name);
  };

  const countPeople = async () => {
    const [row] = await t.dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM people`);
    return row.n;
  };

  beforeAll(async () => {
    t = await createTestApp();
  });

  afterAll(async () => {
    await t.close();
  });

  it('a dry run answers the report and writes nothing', async () => {
    const before = await countPeople();
    const file = csvOf([
      PEOPLE_HEADER,
      ['Nguyễn Văn An', '15/03/1985', 'Nam', cccd(1985, 'male', 1), '0912 345 678', 'HN-HD-MAY'],
    ]);
    const res = await upload(file, { kind: 'people', mode: 'dry-run' }).expect(200);
    expect(res.body.totals).toEqual({ created: 1, updated: 0, unchanged: 0, error: 0, total: 1 });
    expect(res.body.state).toBe('done');
    expect(await countPeople()).toBe(before);
  });
});
