import type { DataSource } from 'typeorm';
import type { Permission } from '../../src/auth/roles';

/**
 * Walking the routes of the OpenAPI document with real ids: the fixtures that find an id of each
 * resource in a subtree of the demo data, and bodies valid for each operation's DTO. Shared by
 * scope-ids.e2e-spec (every :id route with another subtree's id) and permission-matrix.e2e-spec.
 */

export const ZERO_ID = '00000000-0000-4000-8000-000000000000';

export type Schema = {
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
export interface Operation {
  'x-permission'?: { permission: Permission | 'public' };
  parameters?: { name: string; in: string; required?: boolean; schema?: Schema }[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
}
export interface OpenApi {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
}

/**
 * Routes whose path parameter is not an id of a resource owned in a subtree, so "another
 * subtree" means nothing for them. Each says why.
 */
export const NOT_SCOPED: Record<string, string> = {
  'GET /api/v1/verify/{code}': 'public certificate verification: anyone holding the code reads it',
  'GET /api/v1/import-templates/{kind}': 'the parameter is an import kind, not an id in a subtree',
  'GET /api/v1/exports/{kind}':
    'the parameter is an import kind; the subtree is ?orgUnitId, checked for scope',
  'GET /api/v1/calendar/{token}.ics':
    'a person’s calendar feed: the secret token is the key (test/session-calendar checks it)',
};

/** Routes that answer another status by their own rule, not by scope. Each says why. */
export const OTHER_STATUS: Record<string, [number, string]> = {
  'POST /api/v1/people/{id}/ratings/self': [
    403,
    'a self-rating is only ever one’s own: anyone else’s id is refused before any lookup',
  ],
};

/**
 * Bodies the schema alone does not make valid (cross-field rules, "at least one field"): given
 * by hand so that the call reaches the service.
 */
export const BODIES: Record<string, unknown> = {
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
  'PATCH /api/v1/question-banks/{id}': { name: 'Kiểm tra phạm vi' },
  'PATCH /api/v1/question-banks/{id}/questions/{questionId}': { difficulty: 2 },
  'PUT /api/v1/question-banks/{id}/questions/{questionId}': {
    prompt: 'Câu hỏi?',
    points: 1,
    body: { kind: 'true_false', correct: true },
  },
  'POST /api/v1/question-banks/{id}/questions': {
    prompt: 'Câu hỏi?',
    points: 1,
    body: { kind: 'true_false', correct: true },
  },
  'PUT /api/v1/framework-versions/{id}/competencies/{code}': {
    domainCode: 'D1',
    nameVi: 'Năng lực kiểm tra',
    nameEn: 'Checked competency',
    indicators: [{ level: 1, textVi: 'Biết', textEn: 'Knows' }],
  },
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
  // A venue without a room: no clash check, so the call is valid however often the walk repeats it.
  'POST /api/v1/courses/{id}/sessions': {
    title: 'Lớp kiểm tra phạm vi',
    days: [{ startsAt: '2030-03-10T08:00', endsAt: '2030-03-10T16:00' }],
    venue: { name: 'Hội trường', capacity: 30 },
    signupOpensAt: '2030-02-01T08:00',
    signupClosesAt: '2030-03-01T08:00',
    maxSeats: 30,
  },
  'PATCH /api/v1/sessions/{id}': { title: 'Lớp kiểm tra phạm vi' },
  'POST /api/v1/appointments/{id}/end': { endDate: '2026-01-01', reason: 'Kiểm tra phạm vi' },
  'POST /api/v1/planning-cycles/{id}/reviews': { year: 2026 },
  // An override of an auto-graded answer: no rubric to match, so valid whatever the item.
  'PUT /api/v1/attempts/{attemptId}/items/{position}/mark': {
    points: 0,
    reason: 'Kiểm tra phạm vi',
  },
};

/** Resources that the demo data has nowhere in Hà Nội: their routes are not walked yet. */
export const NO_DEMO_DATA = new Set([
  'certificates',
  'external-trainings',
  'lessons',
  'attempts',
  'frameworks',
  'framework-versions',
  'role-profiles',
  'assignment-jobs',
  'reviews',
  'change-requests',
  'profile-change-requests',
  // Classroom sessions and their bookings (issue 17): the demo data schedules none yet;
  // test/classroom-sessions.e2e-spec checks their scope and role refusals itself,
  // test/session-calendar.e2e-spec those of their .ics files, and test/session-reports.e2e-spec
  // those of a session's reports (attendance sheet, report, bookings export).
  'sessions',
  'bookings',
  // Days of a session (sessions/{id}/days/{dayId}): attendance and the check-in code (issue 17,
  // item 3); test/session-attendance.e2e-spec checks their scope and role refusals.
  'days',
]);

/**
 * An id from a subtree (Hà Nội, Bắc Ninh …) for the parameter after each path segment (the resource the
 * segment names), from the demo data. `prev` holds the ids already chosen for the same path,
 * so a nested id belongs to its parent. A route with a segment missing here fails the suite:
 * a new `:id` route needs its fixture.
 */
/**
 * A subtree to take ids from: `root` is the code of its top unit, `unit` the code of the org unit
 * used for `/org-units/{id}`, and `person`, when given, narrows people-owned resources (a person,
 * their enrolments, attempts, certificates, external trainings, account) to that one person.
 */
export interface Tree {
  root: string;
  unit: string;
  person?: string;
}

export const HANOI: Tree = { root: 'HN', unit: 'HN-HD-MAY' };
export const BACNINH: Tree = { root: 'BN', unit: 'BN-YP-SAMSUNG' };

export const FIXTURES: Record<
  string,
  (prev: Record<string, string>, tree: Tree) => [string, unknown[]]
> = {
  'org-units': (_, tree) => [`SELECT id FROM org_units WHERE code = $1`, [tree.unit]],
  // An import belongs to the unit of the importer's grant.
  imports: (_, tree) => [
    `SELECT i.id FROM imports i ${inTree('i.org_unit_id', tree)} ORDER BY i.id LIMIT 1`,
    [],
  ],
  people: (_, tree) => [
    `SELECT p.id FROM people p ${inTree('p.home_org_unit_id', tree, 'p.id')} ORDER BY p.id LIMIT 1`,
    [],
  ],
  posts: (_, tree) => [
    `SELECT po.id FROM posts po ${inTree('po.org_unit_id', tree)} ORDER BY po.id LIMIT 1`,
    [],
  ],
  terms: (_, tree) => [
    `SELECT t.id FROM terms t ${inTree('t.org_unit_id', tree)} ORDER BY t.id LIMIT 1`,
    [],
  ],
  appointments: (_, tree) => [
    `SELECT a.id FROM appointments a JOIN posts po ON po.id = a.post_id ${inTree('po.org_unit_id', tree)}
      ORDER BY a.id LIMIT 1`,
    [],
  ],
  rotations: (_, tree) => [
    `SELECT r.id FROM rotations r ${inTree('r.to_org_unit_id', tree)} ORDER BY r.id LIMIT 1`,
    [],
  ],
  'planning-cycles': (_, tree) => [
    `SELECT c.id FROM planning_cycles c ${inTree('c.org_unit_id', tree)}
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
  courses: (_, tree) => [
    `SELECT c.id FROM courses c ${inTree('c.owner_org_unit_id', tree)} ORDER BY c.id LIMIT 1`,
    [],
  ],
  lessons: (prev) => [
    `SELECT id FROM course_lessons WHERE course_id = $1 ORDER BY position LIMIT 1`,
    [prev.courses ?? prev.enrolments],
  ],
  // A session of a course owned in the subtree (the officer's scope of it).
  sessions: (_, tree) => [
    `SELECT s.id FROM class_sessions s JOIN courses c ON c.id = s.course_id
      ${inTree('c.owner_org_unit_id', tree)} ORDER BY s.id LIMIT 1`,
    [],
  ],
  // A booking of a person of the subtree (with a person: theirs).
  bookings: (_, tree) => [
    `SELECT b.id FROM session_bookings b JOIN people p ON p.id = b.person_id
      ${inTree('p.home_org_unit_id', tree, 'p.id')} ORDER BY b.id LIMIT 1`,
    [],
  ],
  enrolments: (_, tree) => [
    `SELECT e.id FROM enrolments e JOIN people p ON p.id = e.person_id ${inTree('p.home_org_unit_id', tree, 'p.id')}
      ORDER BY e.id LIMIT 1`,
    [],
  ],
  // With a person: an assessment of a course that the person is enrolled in.
  assessments: (_, tree) => [
    `SELECT a.id FROM assessments a JOIN courses c ON c.id = a.course_id
      ${inTree('c.owner_org_unit_id', tree)}
      ${tree.person ? `AND EXISTS (SELECT 1 FROM enrolments e WHERE e.course_id = c.id AND e.person_id = '${tree.person}')` : ''}
      ORDER BY a.id LIMIT 1`,
    [],
  ],
  questions: (prev) =>
    prev['question-banks']
      ? [
          `SELECT id FROM bank_questions WHERE bank_id = $1 ORDER BY created_at, id LIMIT 1`,
          [prev['question-banks']],
        ]
      : [
          `SELECT id FROM assessment_questions WHERE assessment_id = $1 ORDER BY position LIMIT 1`,
          [prev.assessments ?? prev.attempts],
        ],
  // A person of the subtree, enrolled in the assessment's course when the demo has one.
  accommodations: (prev, tree) => [
    `SELECT p.id FROM people p ${inTree('p.home_org_unit_id', tree, 'p.id')}
      ORDER BY EXISTS (SELECT 1 FROM enrolments e JOIN assessments a ON a.course_id = e.course_id
                        WHERE e.person_id = p.id AND a.id = $1) DESC, p.id
      LIMIT 1`,
    [prev.assessments],
  ],
  'question-banks': (_, tree) => [
    `SELECT b.id FROM question_banks b ${inTree('b.owner_org_unit_id', tree)} ORDER BY b.id LIMIT 1`,
    [],
  ],
  attempts: (_, tree) => [
    `SELECT a.id FROM assessment_attempts a JOIN people p ON p.id = a.person_id
      ${inTree('p.home_org_unit_id', tree, 'p.id')} ORDER BY a.id LIMIT 1`,
    [],
  ],
  // The position of an answer in a drawn attempt (attempts/{attemptId}/items/{position}).
  items: (prev) => [
    `SELECT position::text AS id FROM attempt_items WHERE attempt_id = $1 ORDER BY position LIMIT 1`,
    [prev.attempts],
  ],
  programmes: (_, tree) => [
    `SELECT pr.id FROM programmes pr ${inTree('pr.owner_org_unit_id', tree)} ORDER BY pr.id LIMIT 1`,
    [],
  ],
  assignments: (_, tree) => [
    `SELECT a.id FROM programme_assignments a ${inTree('a.org_unit_id', tree)} ORDER BY a.id LIMIT 1`,
    [],
  ],
  'assignment-jobs': (_, tree) => [
    `SELECT j.id FROM assignment_jobs j JOIN programme_assignments a ON a.id = j.assignment_id
      ${inTree('a.org_unit_id', tree)} ORDER BY j.id LIMIT 1`,
    [],
  ],
  certificates: (_, tree) => [
    `SELECT c.id FROM certificates c JOIN people p ON p.id = c.person_id
      ${inTree('p.home_org_unit_id', tree, 'p.id')} ORDER BY c.id LIMIT 1`,
    [],
  ],
  frameworks: (_, tree) => [
    `SELECT f.id FROM competency_frameworks f ${inTree('f.owner_org_unit_id', tree)} ORDER BY f.id LIMIT 1`,
    [],
  ],
  'framework-versions': (_, tree) => [
    `SELECT v.id FROM framework_versions v JOIN competency_frameworks f ON f.id = v.framework_id
      ${inTree('f.owner_org_unit_id', tree)} ORDER BY v.id LIMIT 1`,
    [],
  ],
  'role-profiles': (_, tree) => [
    `SELECT rp.id FROM role_profiles rp JOIN framework_versions v ON v.id = rp.version_id
      JOIN competency_frameworks f ON f.id = v.framework_id
      ${inTree('f.owner_org_unit_id', tree)} ORDER BY rp.id LIMIT 1`,
    [],
  ],
  'external-trainings': (_, tree) => [
    `SELECT x.id FROM external_trainings x JOIN people p ON p.id = x.person_id
      ${inTree('p.home_org_unit_id', tree, 'p.id')} ORDER BY x.id LIMIT 1`,
    [],
  ],
  // A person's profile change requests: /me/profile/change-requests/{id} and the HR queue's.
  'change-requests': (_, tree) => changeRequestIn(tree),
  'profile-change-requests': (_, tree) => changeRequestIn(tree),
  accounts: (_, tree) => [
    `SELECT u.id FROM user_accounts u JOIN people p ON p.id = u.person_id
      ${inTree('p.home_org_unit_id', tree, 'p.id')}
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

function changeRequestIn(tree: Tree): [string, unknown[]] {
  return [
    `SELECT r.id FROM profile_change_requests r JOIN people p ON p.id = r.person_id
      ${inTree('p.home_org_unit_id', tree, 'p.id')} ORDER BY r.id LIMIT 1`,
    [],
  ];
}

/** The join and condition "the unit in `unitColumn` lies in the tree" (codes are constants here). */
export function inTree(unitColumn: string, tree: Tree, personColumn?: string): string {
  const person = tree.person && personColumn ? ` AND ${personColumn} = '${tree.person}'` : '';
  return `JOIN org_units tree_o ON tree_o.id = ${unitColumn}
    WHERE tree_o.path LIKE (SELECT path FROM org_units WHERE code = '${tree.root}') || '%'${person}`;
}

/** A body that passes validation, from the operation's schema: only the required fields. */
export function sample(doc: OpenApi, schema: Schema | undefined, name = ''): unknown {
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

/** A body valid for the operation's DTO (by hand where the schema alone does not say enough). */
export function validBody(doc: OpenApi, route: string, op: Operation): unknown {
  return BODIES[route] ?? sample(doc, op.requestBody?.content?.['application/json']?.schema);
}

/** The operation's required query parameters, with valid values. */
export function requiredQuery(doc: OpenApi, op: Operation): Record<string, unknown> {
  return Object.fromEntries(
    (op.parameters ?? [])
      .filter((p) => p.in === 'query' && p.required)
      .map((p) => [p.name, sample(doc, p.schema, p.name)]),
  );
}

export type ResolvedPath =
  | { url: string; ids: Record<string, string> }
  | { missing: string; noFixture: boolean; param: string };

/**
 * The URL of `path` with each {param} replaced by an id of the tree: the resource named by the
 * segment before it, nested ids belonging to their parent.
 */
export async function resolvePath(
  dataSource: DataSource,
  path: string,
  tree: Tree,
): Promise<ResolvedPath> {
  const segments = path.split('/');
  const ids: Record<string, string> = {};
  let url = '';
  for (const [i, segment] of segments.entries()) {
    if (i > 0) url += '/';
    const param = /^\{(.+)\}$/.exec(segment);
    if (!param) {
      url += segment;
      continue;
    }
    const resource = segments[i - 1];
    const fixture = FIXTURES[resource];
    if (!fixture) return { missing: resource, noFixture: true, param: param[1] };
    const [sql, params] = fixture(ids, tree);
    const [row] = await dataSource.query<{ id: string }[]>(sql, params);
    if (!row) return { missing: resource, noFixture: false, param: param[1] };
    ids[resource] = row.id;
    url += encodeURIComponent(row.id);
  }
  return { url, ids };
}
