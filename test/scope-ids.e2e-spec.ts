import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PERMISSIONS } from '../src/auth/roles';
import {
  HANOI,
  NO_DEMO_DATA,
  NOT_SCOPED,
  OpenApi,
  OTHER_STATUS,
  requiredQuery,
  resolvePath,
  validBody,
} from './support/route-walk';
import { bearer, TestApp, createTestApp } from './support/test-app';

/**
 * Issue 12, item 8: every route with a path parameter, taken from the running app's OpenAPI
 * document (so a new route is covered without touching this file), called by a Bắc Ninh
 * officer — training officer and HR of Bắc Ninh — with an id that exists in Hà Nội. The answer
 * is 404, as if the id did not exist; 403 when the route's permission is one Bắc Ninh's roles
 * lack (admin-only routes). Write routes get a body valid for their DTO, so the call reaches
 * the service's scope check instead of stopping at validation.
 */
describe('scope of every :id route', () => {
  let t: TestApp;
  let doc: OpenApi;
  let other: { Authorization: string };
  const roles = ['training_officer', 'hr'];

  beforeAll(async () => {
    t = await createTestApp();
    await t.dataSource.query(
      `INSERT INTO role_grants (user_id, role, org_unit_id)
       SELECT u.id, 'hr', o.id FROM user_accounts u, org_units o
        WHERE u.email = 'daotao.bacninh@lms.congdoan.test' AND o.code = 'BN'`,
    );
    // An import by Hà Nội's HR (the demo data holds none): a dry run of one unit.
    const csv =
      '\ufeffMã đơn vị,Tên đơn vị,Cấp,Mã đơn vị cấp trên\r\nHN-SCOPE-1,Công đoàn thử,Công đoàn cơ sở,HN-HD\r\n';
    await t.http
      .post('/api/v1/imports')
      .set(bearer(t.tokens.hrHanoi))
      .field('kind', 'org_units')
      .attach('file', Buffer.from(csv, 'utf8'), 'don-vi.csv')
      .expect(200);
    other = bearer(await t.login('daotao.bacninh@lms.congdoan.test'));
    doc = (await t.http.get('/docs-json').expect(200)).body as OpenApi;
  });

  afterAll(async () => {
    await t?.close();
  });

  it('answers 404 (or 403 without the right) for an id of another subtree', async () => {
    const checked: string[] = [];
    const wrong: string[] = [];
    for (const [path, ops] of Object.entries(doc.paths)) {
      if (!path.includes('{')) continue;
      for (const [method, op] of Object.entries(ops)) {
        const route = `${method.toUpperCase()} ${path}`;
        if (NOT_SCOPED[route]) continue;
        const permission = op['x-permission']?.permission;
        if (!permission || permission === 'public') {
          wrong.push(`${route}: public route with a path parameter, not listed in NOT_SCOPED`);
          continue;
        }
        const resolved = await resolvePath(t.dataSource, path, HANOI);
        if ('missing' in resolved) {
          if (resolved.noFixture)
            wrong.push(`${route}: no fixture for a {${resolved.param}} after /${resolved.missing}`);
          else if (!NO_DEMO_DATA.has(resolved.missing))
            wrong.push(`${route}: the demo data has no ${resolved.missing} in Hà Nội`);
          continue;
        }
        const url = resolved.url;
        const body = validBody(doc, route, op);
        const query = requiredQuery(doc, op);
        const can = (PERMISSIONS[permission] as readonly string[]).some((r) => roles.includes(r));
        const expected = OTHER_STATUS[route]?.[0] ?? (can ? 404 : 403);
        const call = t.http[method as 'get'](url).query(query).set(other);
        const res = await (body === undefined ? call : call.send(body as object));
        checked.push(route);
        if (res.status !== expected) {
          wrong.push(
            `${route} (${permission}): ${res.status} ${String(res.body?.code)} ${JSON.stringify(
              res.body?.details ?? '',
            )}, expected ${expected}`,
          );
        }
      }
    }
    expect(wrong).toEqual([]);
    // The document is the source: a broken walk that checks nothing must not pass.
    expect(checked.length).toBeGreaterThan(60);
  });

  it('keeps scope-skipping helpers (…Unscoped) away from controllers', () => {
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (
          entry.name.endsWith('.controller.ts') &&
          /Unscoped\b/.test(readFileSync(path, 'utf8'))
        )
          offenders.push(path);
      }
    };
    walk(join(__dirname, '..', 'src'));
    expect(offenders).toEqual([]);
  });
});
