import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PERMISSIONS, Permission } from '../src/auth/roles';
import { bearer, TestApp, createTestApp } from './support/test-app';

const ZERO_ID = '00000000-0000-4000-8000-000000000000';

type Schema = {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  minimum?: number;
  minItems?: number;
  minLength?: number;
  example?: unknown;
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
};
interface Operation {
  'x-permission'?: { permission: Permission | 'public' };
  parameters?: { name: string; in: string; required?: boolean; schema?: Schema }[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
}
interface OpenApi {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
}

/**
 * Routes whose path parameter is not an id of a resource owned in a subtree, so "another
 * subtree" means nothing for them. Each says why.
 */
const NOT_SCOPED: Record<string, string> = {
  'GET /api/v1/verify/{code}': 'public certificate verification: anyone holding the code reads it',
  'GET /api/v1/org-units/{id}':
    'the union hierarchy is everyone’s map (org-units:read for every role); what hangs under a unit is scoped',
};

/** Routes that answer another status by their own rule, not by scope. Each says why. */
const OTHER_STATUS: Record<string, [number, string]> = {
  'POST /api/v1/people/{id}/ratings/self': [
    403,
    'a self-rating is only ever one’s own: anyone else’s id is refused before any lookup',
  ],
};

/**
 * Bodies the schema alone does not make valid (cross-field rules, "at least one field"): given
 * by hand so that the call reaches the service.
 */
const BODIES: Record<string, unknown> = {
  'PATCH /api/v1/courses/{id}': { title: 'Kiểm tra phạm vi' },
  'POST /api/v1/courses/{id}/lessons': { title: 'Bài kiểm tra', kind: 'text', content: 'Nội dung' },
  'PATCH /api/v1/courses/{id}/lessons/{lessonId}': { title: 'Bài kiểm tra' },
  'POST /api/v1/courses/{id}/copy': { code: 'SCOPE-COPY' },
  'PUT /api/v1/assessments/{id}': {
    title: 'Kiểm tra',
    timeLimitMinutes: 10,
    maxAttempts: 1,
    passScore: 5,
    questions: [
      {
        kind: 'single',
        prompt: 'Câu hỏi?',
        options: [
          { key: 'a', text: 'A' },
          { key: 'b', text: 'B' },
        ],
        correct: ['a'],
        points: 1,
      },
    ],
  },
  'PATCH /api/v1/assessments/{id}': { title: 'Kiểm tra' },
  'PATCH /api/v1/assessments/{id}/questions/{questionId}': { prompt: 'Câu hỏi?' },
  'POST /api/v1/people/{id}/ratings/self': {
    versionId: ZERO_ID,
    ratings: [{ competencyCode: 'C1', level: 1 }],
  },
  'POST /api/v1/people/{id}/ratings': {
    versionId: ZERO_ID,
    ratings: [{ competencyCode: 'C1', level: 1 }],
  },
  'POST /api/v1/people/{id}/external-trainings': {
    title: 'Khóa ngoài',
    provider: 'Trường Đảng',
    startOn: '2025-01-01',
    endOn: '2025-01-02',
    hours: 8,
  },
  'POST /api/v1/appointments/{id}/end': { endDate: '2026-01-01', reason: 'Kiểm tra phạm vi' },
  'POST /api/v1/planning-cycles/{id}/reviews': { year: 2026 },
};

/** Resources that the demo data has nowhere in Hà Nội: their routes are not walked yet. */
const NO_DEMO_DATA = new Set([
  'certificates',
  'external-trainings',
  'lessons',
  'attempts',
  'frameworks',
  'framework-versions',
  'role-profiles',
  'assignment-jobs',
  'reviews',
]);

/**
 * An id from Hà Nội's subtree for the parameter after each path segment (the resource the
 * segment names), from the demo data. `prev` holds the ids already chosen for the same path,
 * so a nested id belongs to its parent. A route with a segment missing here fails the suite:
 * a new `:id` route needs its fixture.
 */
const FIXTURES: Record<string, (prev: Record<string, string>) => [string, unknown[]]> = {
  'org-units': () => [`SELECT id FROM org_units WHERE code = 'HN-HD-MAY'`, []],
  people: () => [
    `SELECT p.id FROM people p JOIN org_units o ON o.id = p.home_org_unit_id
      WHERE o.path LIKE (SELECT path FROM org_units WHERE code = 'HN') || '%'
      ORDER BY p.id LIMIT 1`,
    [],
  ],
  posts: () => [`SELECT po.id FROM posts po ${inHn('po.org_unit_id')} ORDER BY po.id LIMIT 1`, []],
  terms: () => [`SELECT t.id FROM terms t ${inHn('t.org_unit_id')} ORDER BY t.id LIMIT 1`, []],
  appointments: () => [
    `SELECT a.id FROM appointments a JOIN posts po ON po.id = a.post_id ${inHn('po.org_unit_id')}
      ORDER BY a.id LIMIT 1`,
    [],
  ],
  rotations: () => [
    `SELECT r.id FROM rotations r ${inHn('r.to_org_unit_id')} ORDER BY r.id LIMIT 1`,
    [],
  ],
  'planning-cycles': () => [
    `SELECT c.id FROM planning_cycles c ${inHn('c.org_unit_id')}
      ORDER BY (SELECT count(*) FROM nominations n WHERE n.cycle_id = c.id) DESC, c.id LIMIT 1`,
    [],
  ],
  nominations: (prev) => [
    `SELECT id FROM nominations WHERE cycle_id = $1 ORDER BY id LIMIT 1`,
    [prev['planning-cycles']],
  ],
  reviews: (prev) => [
    `SELECT id FROM nomination_reviews WHERE cycle_id = $1 ORDER BY id LIMIT 1`,
    [prev['planning-cycles']],
  ],
  courses: () => [
    `SELECT c.id FROM courses c ${inHn('c.owner_org_unit_id')} ORDER BY c.id LIMIT 1`,
    [],
  ],
  lessons: (prev) => [
    `SELECT id FROM course_lessons WHERE course_id = $1 ORDER BY position LIMIT 1`,
    [prev.courses ?? prev.enrolments],
  ],
  enrolments: () => [
    `SELECT e.id FROM enrolments e JOIN people p ON p.id = e.person_id ${inHn('p.home_org_unit_id')}
      ORDER BY e.id LIMIT 1`,
    [],
  ],
  assessments: () => [
    `SELECT a.id FROM assessments a JOIN courses c ON c.id = a.course_id
      ${inHn('c.owner_org_unit_id')} ORDER BY a.id LIMIT 1`,
    [],
  ],
  questions: (prev) => [
    `SELECT id FROM assessment_questions WHERE assessment_id = $1 ORDER BY position LIMIT 1`,
    [prev.assessments ?? prev.attempts],
  ],
  attempts: () => [
    `SELECT a.id FROM assessment_attempts a JOIN people p ON p.id = a.person_id
      ${inHn('p.home_org_unit_id')} ORDER BY a.id LIMIT 1`,
    [],
  ],
  programmes: () => [
    `SELECT pr.id FROM programmes pr ${inHn('pr.owner_org_unit_id')} ORDER BY pr.id LIMIT 1`,
    [],
  ],
  assignments: () => [
    `SELECT a.id FROM programme_assignments a ${inHn('a.org_unit_id')} ORDER BY a.id LIMIT 1`,
    [],
  ],
  'assignment-jobs': () => [
    `SELECT j.id FROM assignment_jobs j JOIN programme_assignments a ON a.id = j.assignment_id
      ${inHn('a.org_unit_id')} ORDER BY j.id LIMIT 1`,
    [],
  ],
  certificates: () => [
    `SELECT c.id FROM certificates c JOIN people p ON p.id = c.person_id
      ${inHn('p.home_org_unit_id')} ORDER BY c.id LIMIT 1`,
    [],
  ],
  frameworks: () => [
    `SELECT f.id FROM competency_frameworks f ${inHn('f.owner_org_unit_id')} ORDER BY f.id LIMIT 1`,
    [],
  ],
  'framework-versions': () => [
    `SELECT v.id FROM framework_versions v JOIN competency_frameworks f ON f.id = v.framework_id
      ${inHn('f.owner_org_unit_id')} ORDER BY v.id LIMIT 1`,
    [],
  ],
  'role-profiles': () => [
    `SELECT rp.id FROM role_profiles rp JOIN framework_versions v ON v.id = rp.version_id
      JOIN competency_frameworks f ON f.id = v.framework_id
      ${inHn('f.owner_org_unit_id')} ORDER BY rp.id LIMIT 1`,
    [],
  ],
  'external-trainings': () => [
    `SELECT x.id FROM external_trainings x JOIN people p ON p.id = x.person_id
      ${inHn('p.home_org_unit_id')} ORDER BY x.id LIMIT 1`,
    [],
  ],
  accounts: () => [
    `SELECT u.id FROM user_accounts u JOIN people p ON p.id = u.person_id
      ${inHn('p.home_org_unit_id')}
      ORDER BY EXISTS (SELECT 1 FROM role_grants g WHERE g.user_id = u.id) DESC, u.email
      LIMIT 1`,
    [],
  ],
  grants: (prev) => [
    `SELECT id FROM role_grants WHERE user_id = $1 ORDER BY id LIMIT 1`,
    [prev.accounts],
  ],
  // Codes inside a framework version or a role profile: one that exists there.
  domains: (prev) => [
    `SELECT code AS id FROM competency_domains WHERE version_id = $1 ORDER BY code LIMIT 1`,
    [prev['framework-versions']],
  ],
  competencies: (prev) => [
    prev['role-profiles']
      ? `SELECT c.code AS id FROM role_profiles rp JOIN competencies c ON c.version_id = rp.version_id
          WHERE rp.id = $1 ORDER BY c.code LIMIT 1`
      : `SELECT code AS id FROM competencies WHERE version_id = $1 ORDER BY code LIMIT 1`,
    [prev['role-profiles'] ?? prev['framework-versions']],
  ],
  requirements: (prev) => [
    `SELECT c.code AS id FROM role_profiles rp JOIN competencies c ON c.version_id = rp.version_id
      WHERE rp.id = $1 ORDER BY c.code LIMIT 1`,
    [prev['role-profiles']],
  ],
};

function inHn(unitColumn: string): string {
  return `JOIN org_units hn_o ON hn_o.id = ${unitColumn}
    WHERE hn_o.path LIKE (SELECT path FROM org_units WHERE code = 'HN') || '%'`;
}

/** A body that passes validation, from the operation's schema: only the required fields. */
function sample(doc: OpenApi, schema: Schema | undefined, name = ''): unknown {
  if (!schema) return undefined;
  if (schema.$ref)
    return sample(doc, doc.components!.schemas![schema.$ref.split('/').pop()!], name);
  const union = schema.allOf ?? schema.oneOf ?? schema.anyOf;
  if (union) return sample(doc, union[0], name);
  if (schema.example !== undefined && schema.type !== 'object') return schema.example;
  if (schema.enum) return schema.enum[0];
  switch (schema.type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const key of schema.required ?? []) {
        out[key] = sample(doc, schema.properties?.[key], key);
      }
      return out;
    }
    case 'array':
      return Array.from({ length: Math.max(schema.minItems ?? 0, 1) }, () =>
        sample(doc, schema.items, name),
      );
    case 'integer':
    case 'number':
      return Math.max(schema.minimum ?? 1, 1);
    case 'boolean':
      return true;
    default:
      if (schema.format === 'uuid' || /Id$/.test(name))
        return '00000000-0000-4000-8000-000000000000';
      if (schema.format === 'date' || /(Date|On)$/.test(name)) return '2099-01-01';
      if (schema.format === 'date-time') return '2099-01-01T00:00:00.000Z';
      if (schema.format === 'email') return 'nobody@lms.congdoan.test';
      return 'Kiểm tra phạm vi '.padEnd(Math.max(schema.minLength ?? 0, 20), 'x');
  }
}

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
        const segments = path.split('/');
        const ids: Record<string, string> = {};
        let url = '';
        let complete = true;
        for (const [i, segment] of segments.entries()) {
          if (i > 0) url += '/';
          const param = /^\{(.+)\}$/.exec(segment);
          if (!param) {
            url += segment;
            continue;
          }
          const resource = segments[i - 1];
          const fixture = FIXTURES[resource];
          if (!fixture) {
            complete = false;
            wrong.push(`${route}: no fixture for a {${param[1]}} after /${resource}`);
            break;
          }
          const [sql, params] = fixture(ids);
          const [row] = await t.dataSource.query<{ id: string }[]>(sql, params);
          if (!row) {
            complete = false;
            if (!NO_DEMO_DATA.has(resource)) {
              wrong.push(`${route}: the demo data has no ${resource} in Hà Nội`);
            }
            break;
          }
          ids[resource] = row.id;
          url += encodeURIComponent(row.id);
        }
        if (!complete) continue;
        const body =
          BODIES[route] ?? sample(doc, op.requestBody?.content?.['application/json']?.schema);
        const query = Object.fromEntries(
          (op.parameters ?? [])
            .filter((p) => p.in === 'query' && p.required)
            .map((p) => [p.name, sample(doc, p.schema, p.name)]),
        );
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
