import { RequestMethod } from '@nestjs/common';
import { PATH_METADATA, METHOD_METADATA } from '@nestjs/common/constants';
import { ModulesContainer, Reflector } from '@nestjs/core';
import type { Response } from 'supertest';
import { ACCESS_KEY, AccessRule, PAGE_KEY } from '../src/auth/access.decorators';
import { Permission, PERMISSIONS, Role } from '../src/auth/roles';
import {
  BACNINH,
  HANOI,
  NOT_SCOPED,
  OpenApi,
  Operation,
  OTHER_STATUS,
  requiredQuery,
  resolvePath,
  Tree,
  validBody,
  ZERO_ID,
} from './support/route-walk';
import { bearer, createTestApp, DEMO, DemoAccount, TestApp } from './support/test-app';

/**
 * Issue 13: every operation × every demo account (and no token) × an id in the caller's scope and
 * one outside it, with the answer that the route's declared access rule (@Public or
 * @RequirePermission, read from the handlers' metadata) and the roles table (src/auth/roles.ts)
 * call for:
 * - no token → 401 UNAUTHENTICATED, except on @Public routes;
 * - a role set that lacks the route's permission → 403 FORBIDDEN, whatever the id: the guard
 *   decides before any lookup, so the answer tells nothing about the resource;
 * - the permission and an id outside the caller's subtree → 404 NOT_FOUND;
 * - the permission and an id inside it → neither 401, 403 nor 404.
 *
 * Writes must not change what later cells read: a write that the guard lets through is sent
 * with a body its DTO refuses (400 after the guard), and the operations without a body — which
 * would act — run last, one at a time, each on an id looked up afresh.
 */

/** The roles each demo account holds (README, "Demo accounts"; every account is a learner). */
const ACCOUNT_ROLES: Record<DemoAccount, readonly Role[]> = {
  admin: ['admin', 'learner'],
  hrHanoi: ['hr', 'learner'],
  officerHanoi: ['training_officer', 'learner'],
  officerBacNinh: ['training_officer', 'learner'],
  chair: ['learner'],
};

/**
 * "A person's …" reads: the person themself, or staff holding this permission with the person in
 * scope. Anyone else is refused 403 before any lookup, whatever the id (people.service
 * assertCanRead): the right to read others is what they lack, as on a route they may not call.
 */
const READ_OTHERS: Record<string, Permission> = {
  'GET /api/v1/people/{id}': 'people:read',
  'GET /api/v1/people/{id}/competencies': 'people:read',
  'GET /api/v1/people/{id}/ratings': 'people:read',
  'GET /api/v1/people/{id}/gaps': 'people:read',
  'GET /api/v1/people/{id}/transcript': 'training:read',
  'GET /api/v1/people/{id}/external-trainings': 'training:read',
};

/** Routes on the caller's own learning only: the in-scope id is one of the caller's own. */
const OWN_ONLY = new Set([
  'POST /api/v1/assessments/{id}/attempts',
  'GET /api/v1/attempts/{id}',
  'PUT /api/v1/attempts/{id}/answers/{questionId}',
  'POST /api/v1/attempts/{id}/submit',
  'POST /api/v1/enrolments/{id}/lessons/{lessonId}/complete',
]);

/**
 * Routes whose in-scope call answers a 404 of another thing than the path's resource, by the
 * demo data: the code expected, and why.
 */
const DOMAIN_404: Record<string, [string, string]> = {
  'GET /api/v1/people/{id}/competencies': [
    'FRAMEWORK_VERSION_NOT_FOUND',
    'the demo data publishes no competency framework to rate against',
  ],
  'GET /api/v1/role-profiles': ['FRAMEWORK_VERSION_NOT_FOUND', 'the same, and the versionId given'],
  'GET /api/v1/role-profiles/resolve': [
    'FRAMEWORK_VERSION_NOT_FOUND',
    'the same, and the versionId given',
  ],
};

type Caller = DemoAccount | 'anonymous';
/** 'refused': 403 by a rule of the route's own (OTHER_STATUS), with its own code. */
type Expected = 401 | 403 | 404 | 'allowed' | 'public' | 'refused';

interface Cell {
  route: string;
  method: string;
  path: string;
  op: Operation;
  caller: Caller;
  /** Where the path's ids come from, and whether that subtree is the caller's. */
  tree?: { name: string; tree: Tree; inScope: boolean };
  expected: Expected;
  /** An operation without a body that the guard lets through: it acts, so it runs last. */
  acts: boolean;
}

const API_PREFIX = '/api/v1';
/**
 * Ids that exist nowhere: the answer must be the one for another subtree's id (404, or 403
 * without the right), so that neither tells whether a resource exists.
 */
const NOWHERE = 'nowhere';
const BATCH = 4;

/** Every handler's route and access rule, from the controllers' metadata. */
function declaredRoutes(t: TestApp): Map<string, AccessRule | undefined> {
  const reflector = t.app.get(Reflector);
  const routes = new Map<string, AccessRule | undefined>();
  for (const module of t.app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (new (...args: never[]) => unknown) | null;
      // The portal's pages are not the API: their access is walked by test/portal-pages.
      if (!controller || Reflect.getMetadata(PAGE_KEY, controller)) continue;
      const base = Reflect.getMetadata(PATH_METADATA, controller) as string | string[];
      for (const name of Object.getOwnPropertyNames(controller.prototype)) {
        if (name === 'constructor') continue;
        const handler = (controller.prototype as Record<string, unknown>)[name];
        if (typeof handler !== 'function') continue;
        const sub = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        if (sub === undefined || method === undefined) continue;
        const rule = reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_KEY, [
          handler,
          controller,
        ]);
        for (const b of [base].flat()) {
          for (const s of [sub].flat()) {
            const joined = `/${[b, s].filter((p) => p && p !== '/').join('/')}`
              .replace(/\/+/g, '/')
              .replace(/:([A-Za-z0-9_]+)/g, '{$1}');
            const path = joined === '/health' ? joined : `${API_PREFIX}${joined}`;
            routes.set(`${RequestMethod[method]} ${path}`, rule);
          }
        }
      }
    }
  }
  return routes;
}

function describeExpected(expected: Expected): string {
  if (expected === 'allowed') return 'neither 401, 403 nor 404';
  if (expected === 'public') return 'neither 401 nor 403';
  return String(expected);
}

function matches(route: string, res: Response, expected: Expected): boolean {
  const code = (res.body as { code?: string } | undefined)?.code;
  switch (expected) {
    case 401:
      return res.status === 401 && code === 'UNAUTHENTICATED';
    case 403:
      return res.status === 403 && code === 'FORBIDDEN';
    case 404:
      return res.status === 404;
    case 'refused':
      return res.status === 403;
    case 'allowed':
      return (
        (![401, 403, 404].includes(res.status) || code === DOMAIN_404[route]?.[0]) &&
        res.status < 500
      );
    case 'public':
      return ![401, 403].includes(res.status) && res.status < 500;
  }
}

describe('permission matrix', () => {
  let t: TestApp;
  let doc: OpenApi;
  let rules: Map<string, AccessRule | undefined>;
  const cells: Cell[] = [];
  const trees: Record<string, Tree> = { 'Hà Nội': HANOI, 'Bắc Ninh': BACNINH, [NOWHERE]: HANOI };

  beforeAll(async () => {
    t = await createTestApp();
    doc = (await t.http.get('/docs-json').expect(200)).body as OpenApi;
    rules = declaredRoutes(t);
    for (const account of Object.keys(DEMO) as DemoAccount[]) {
      const [row] = await t.dataSource.query<{ person_id: string }[]>(
        `SELECT person_id FROM user_accounts WHERE email = $1`,
        [DEMO[account]],
      );
      // Catalogue items of Hà Nội are the chair's to see once published; the rest is their own.
      trees[`${account}’s own`] = { root: 'HN', unit: 'HN-HD-MAY', person: row.person_id };
    }
  });

  afterAll(async () => {
    await t?.close();
  });

  it('declares an access rule on every route, the same one the OpenAPI document shows', () => {
    const documented = new Map<string, string | undefined>();
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        documented.set(`${method.toUpperCase()} ${path}`, op['x-permission']?.permission);
      }
    }
    const declared = new Map(
      [...rules].map(([route, rule]) => [
        route,
        rule?.kind === 'permission' ? rule.permission : rule?.kind,
      ]),
    );
    expect(Object.fromEntries(declared)).toEqual(Object.fromEntries(documented));
    expect(declared.size).toBeGreaterThan(150);
  });

  // Every route × every demo account (well over a thousand requests): the one long test here.
  it('answers 401, 403, 404 or the route itself in every cell', async () => {
    /** Which subtrees are in each caller's scope, and which are not. */
    const scopes: Record<DemoAccount, { inScope: string[]; outOfScope: string[] }> = {
      admin: { inScope: ['Hà Nội', 'Bắc Ninh'], outOfScope: [NOWHERE] },
      hrHanoi: { inScope: ['Hà Nội'], outOfScope: ['Bắc Ninh', NOWHERE] },
      officerHanoi: { inScope: ['Hà Nội'], outOfScope: ['Bắc Ninh', NOWHERE] },
      officerBacNinh: { inScope: ['Bắc Ninh'], outOfScope: ['Hà Nội', NOWHERE] },
      chair: { inScope: ['chair’s own'], outOfScope: ['Bắc Ninh', NOWHERE] },
    };
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const route = `${method.toUpperCase()} ${path}`;
        const rule = rules.get(route);
        if (!rule) throw new Error(`${route}: no access rule declared`);
        const hasIds = path.includes('{');
        const acts = method !== 'get' && !op.requestBody;
        const add = (caller: Caller, expected: Expected, tree?: Cell['tree']) =>
          cells.push({ route, method, path, op, caller, tree, expected, acts });
        const inHanoi = { name: 'Hà Nội', tree: HANOI, inScope: true };
        if (rule.kind === 'public') {
          add('anonymous', 'public');
          continue;
        }
        add('anonymous', 401, hasIds ? inHanoi : undefined);
        for (const account of Object.keys(ACCOUNT_ROLES) as DemoAccount[]) {
          const holds = (permission: Permission) =>
            ACCOUNT_ROLES[account].some((role) =>
              (PERMISSIONS[permission] as readonly Role[]).includes(role),
            );
          const can = holds(rule.permission);
          if (!hasIds) {
            add(account, can ? 'allowed' : 403);
            continue;
          }
          const { inScope, outOfScope } = scopes[account];
          const own = `${account}’s own`;
          for (const name of OWN_ONLY.has(route) ? [own] : inScope) {
            const tree = trees[name];
            const others = !tree.person && READ_OTHERS[route];
            add(account, can && (!others || holds(others)) ? 'allowed' : 403, {
              name,
              tree,
              inScope: true,
            });
          }
          for (const name of outOfScope) {
            const others = READ_OTHERS[route];
            const expected =
              !can || (others && !holds(others))
                ? 403
                : NOT_SCOPED[route]
                  ? 'allowed'
                  : OTHER_STATUS[route]
                    ? 'refused'
                    : 404;
            add(account, expected, { name, tree: trees[name], inScope: false });
          }
        }
      }
    }

    const urls = new Map<string, Promise<string | undefined>>();
    /** The URL with ids of the cell's subtree; undefined when the demo data has none there. */
    const urlFor = (cell: Cell, fresh: boolean): Promise<string | undefined> => {
      if (!cell.tree) return Promise.resolve(cell.path);
      if (cell.tree.name === NOWHERE) return Promise.resolve(placeholder(cell.path));
      const key = `${cell.path} ${cell.tree.name}`;
      const cached = urls.get(key);
      if (cached && !fresh) return cached;
      const resolving = resolvePath(t.dataSource, cell.path, cell.tree.tree).then((resolved) =>
        'url' in resolved ? resolved.url : undefined,
      );
      urls.set(key, resolving);
      return resolving;
    };
    const placeholder = (path: string) =>
      path.replace(/\{([^}]+)\}/g, (_, name: string) => (/code$/i.test(name) ? 'C1' : ZERO_ID));

    const wrong: string[] = [];
    const skipped: string[] = [];
    let checked = 0;
    const run = async (cell: Cell, fresh = false): Promise<void> => {
      let url = await urlFor(cell, fresh);
      if (url === undefined) {
        // The guard answers 401 and 403 before any lookup: any well-formed id will do.
        if (cell.expected === 401 || cell.expected === 403) url = placeholder(cell.path);
        else {
          skipped.push(`${cell.route} ${cell.caller} (${cell.tree!.name})`);
          return;
        }
      }
      if (cell.expected === 'public') url = placeholder(cell.path);
      let token: string | undefined;
      if (cell.caller !== 'anonymous') {
        // Signing out ends the session: that cell gets a session of its own.
        token =
          cell.route === 'POST /api/v1/auth/logout'
            ? await t.login(DEMO[cell.caller])
            : t.tokens[cell.caller];
      }
      const body = validBody(doc, cell.route, cell.op);
      // A write the guard lets through gets a field its DTO forbids: refused after the guard.
      const sent =
        cell.expected === 'allowed' || cell.expected === 'public'
          ? body === undefined
            ? undefined
            : { ...(body as object), matrixProbe: true }
          : body;
      let call = t.http[cell.method as 'get'](url).query(requiredQuery(doc, cell.op));
      if (token) call = call.set(bearer(token));
      const res = await (sent === undefined ? call : call.send(sent as object));
      checked++;
      if (!matches(cell.route, res, cell.expected)) {
        wrong.push(
          `${cell.route} ${cell.caller}${cell.tree ? ` (${cell.tree.name})` : ''}: ` +
            `${res.status} ${String((res.body as { code?: string })?.code)} ` +
            `${JSON.stringify((res.body as { details?: unknown })?.details ?? '')}, ` +
            `expected ${describeExpected(cell.expected)}`,
        );
      }
    };

    const lastness = (c: Cell) =>
      c.path.startsWith(`${API_PREFIX}/accounts`) ? 2 : c.method === 'delete' ? 1 : 0;
    const first = cells.filter((c) => !(c.acts && c.expected === 'allowed'));
    const last = cells
      .filter((c) => c.acts && c.expected === 'allowed')
      // Accounts last of all: revoking a grant may take a right from a demo account.
      // then deletions, which take the id from later calls (each looks its id up afresh).
      .sort((a, b) => lastness(a) - lastness(b));
    for (let i = 0; i < first.length; i += BATCH) {
      await Promise.all(first.slice(i, i + BATCH).map((cell) => run(cell)));
    }
    for (const cell of last) await run(cell, true);

    const count = (e: Expected) => cells.filter((c) => c.expected === e).length;
    console.log(
      `permission matrix: ${cells.length} cells over ${Object.keys(doc.paths).length} paths ` +
        `(${count(401)} × 401, ${count(403)} × 403, ${count(404)} × 404, ` +
        `${count('refused')} refused by the route's own rule, ${count('allowed')} allowed, ${count('public')} public); ${checked} checked, ` +
        `${skipped.length} skipped for want of demo data` +
        (skipped.length ? `:\n  ${skipped.join('\n  ')}` : ''),
    );
    expect(wrong).toEqual([]);
    expect(checked).toBeGreaterThan(1000);
  }, 180_000);
});
