import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer, Reflector } from '@nestjs/core';
import { ACCESS_KEY, AccessRule, PAGE_KEY } from '../src/auth/access.decorators';
import { Actor } from '../src/auth/actor';
import { AuthService } from '../src/auth/auth.service';
import { DEMO_PASSWORD } from '../src/seed/demo-data';
import { createTestApp, DEMO, DemoAccount, TestApp } from './support/test-app';

interface PageRoute {
  method: 'GET' | 'POST';
  path: string;
  rule: AccessRule;
}

/** Every route of the portal's controllers, from their decorators. */
function pageRoutes(t: TestApp): PageRoute[] {
  const reflector = t.app.get(Reflector);
  const out: PageRoute[] = [];
  for (const module of t.app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (new (...args: never[]) => unknown) | null;
      if (!controller || !Reflect.getMetadata(PAGE_KEY, controller)) continue;
      const base = Reflect.getMetadata(PATH_METADATA, controller) as string;
      for (const name of Object.getOwnPropertyNames(controller.prototype)) {
        const handler = (controller.prototype as Record<string, unknown>)[name];
        if (name === 'constructor' || typeof handler !== 'function') continue;
        const sub = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        if (sub === undefined || method === undefined) continue;
        const rule = reflector.getAllAndOverride<AccessRule>(ACCESS_KEY, [handler, controller]);
        const path = `/${[base, sub].filter((p) => p && p !== '/').join('/')}`.replace(/\/+/g, '/');
        out.push({ method: RequestMethod[method] as 'GET' | 'POST', path, rule });
      }
    }
  }
  return out;
}

const NOWHERE = '00000000-0000-4000-8000-00000000abcd';

/** A signed-in browser's cookies for a demo account. */
async function cookieOf(t: TestApp, email: string): Promise<{ cookie: string; csrf: string }> {
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

/**
 * Issue 14: every page of the portal holds the access rules of the API — generated from the page
 * controllers' own declarations, like the API's permission matrix: no session → the sign-in page;
 * a role without the page's permission → 403 page; an id that exists nowhere → 404 page; a form
 * without its CSRF token → 403 and nothing written; never a 500.
 */
describe('portal pages: access rules of every route', () => {
  let t: TestApp;
  let routes: PageRoute[];
  const sessions = {} as Record<DemoAccount, { cookie: string; csrf: string }>;
  const actors = {} as Record<DemoAccount, Actor>;

  beforeAll(async () => {
    t = await createTestApp();
    routes = pageRoutes(t);
    const auth = t.app.get(AuthService);
    for (const [key, email] of Object.entries(DEMO) as [DemoAccount, string][]) {
      sessions[key] = await cookieOf(t, email);
      actors[key] = (await auth.authenticate(t.tokens[key]))!;
    }
  });

  afterAll(async () => {
    await t?.close();
  });

  const url = (path: string) => path.replace(/:[A-Za-z0-9_]+/g, NOWHERE);
  const send = (route: PageRoute, cookie?: string, form: Record<string, string> = {}) => {
    const call =
      route.method === 'GET'
        ? t.http.get(url(route.path))
        : t.http.post(url(route.path)).type('form').send(form);
    return cookie ? call.set('Cookie', cookie) : call;
  };

  it('finds the portal routes, each with an access rule', () => {
    expect(routes.length).toBeGreaterThan(5);
    expect(routes.filter((r) => !r.rule)).toEqual([]);
  });

  it('sends a visitor without a session to sign in, from every page that needs one', async () => {
    for (const route of routes.filter((r) => r.rule.kind === 'permission' && r.method === 'GET')) {
      const res = await send(route);
      expect({ route: route.path, status: res.status, to: res.headers.location }).toEqual({
        route: route.path,
        status: 303,
        to: `/sign-in?next=${encodeURIComponent(url(route.path))}`,
      });
    }
  });

  it('refuses every form without its CSRF token, whoever sends it', async () => {
    for (const route of routes.filter((r) => r.method === 'POST')) {
      const res = await send(route, sessions.admin.cookie, { x: '1' });
      expect({ route: route.path, status: res.status }).toEqual({ route: route.path, status: 403 });
      expect(res.text).toContain('Biểu mẫu đã hết hạn');
    }
  });

  it("lists the HR subtree's people with each one's current posts (one query for the page)", async () => {
    const holders = await t.dataSource.query<
      { full_name: string; search_name: string; title: string }[]
    >(
      `SELECT pe.full_name, pe.search_name, p.title FROM appointments a
         JOIN people pe ON pe.id = a.person_id JOIN posts p ON p.id = a.post_id
         JOIN org_units o ON o.id = pe.home_org_unit_id
        WHERE a.status <> 'cancelled' AND a.start_date <= current_date
          AND (a.end_date IS NULL OR a.end_date >= current_date)
          AND o.path LIKE (SELECT path FROM org_units WHERE code = 'HN') || '%'
        ORDER BY pe.full_name LIMIT 3`,
    );
    expect(holders.length).toBeGreaterThan(0);
    for (const h of holders) {
      const res = await t.http
        .get(`/hr?q=${encodeURIComponent(h.search_name)}`)
        .set('Cookie', sessions.hrHanoi.cookie)
        .expect(200);
      const item = res.text.split('<li').find((chunk) => chunk.includes(h.full_name));
      expect({ name: h.full_name, listed: item !== undefined }).toEqual({
        name: h.full_name,
        listed: true,
      });
      expect(res.text).toContain(h.title);
    }
  });

  it('answers 403 to a role without the right and 404 for an id nowhere, as pages', async () => {
    for (const route of routes.filter((r) => r.rule.kind === 'permission' && r.method === 'GET')) {
      const permission = (route.rule as Extract<AccessRule, { kind: 'permission' }>).permission;
      for (const account of Object.keys(DEMO) as DemoAccount[]) {
        const res = await send(route, sessions[account].cookie);
        const allowed = actors[account].can(permission);
        const expected = !allowed ? [403] : route.path.includes(':') ? [404] : [200, 303];
        const seen = { route: route.path, account, status: res.status };
        expect(expected.map((status) => ({ ...seen, status }))).toContainEqual(seen);
        if (res.status === 303) continue;
        expect(res.headers['content-type'] ?? 'text/html').toMatch(
          /text\/html|application\/pdf|text\/csv/,
        );
      }
    }
  });
});
