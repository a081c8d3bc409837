import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OpenApi, Operation, sample, Schema } from '../support/route-walk';
import {
  nastyCsv,
  nastyPathValue,
  nastyQueryValue,
  nastyValue,
  nest,
  Raw,
  toJson,
} from './hostile';

/** A query parameter of an operation, as the OpenAPI document declares it. */
type Parameter = NonNullable<Operation['parameters']>[number];

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** One operation of the committed OpenAPI document that the fuzzer attacks. */
export interface FuzzOperation {
  /** "POST /api/v1/courses": names the jest case and `--only` matches it. */
  key: string;
  method: Method;
  path: string;
  public: boolean;
  query: Parameter[];
  /** The JSON body schema, when the operation takes one. */
  body?: Schema;
  /** A body that passes validation, from the schema (required fields only). */
  valid?: Record<string, unknown>;
}

/**
 * Operations that would end the fuzzer's own session: sent without the admin's token, so a
 * hostile body cannot log the admin out under the following cases.
 */
const OWN_SESSION = new Set(['POST /api/v1/auth/logout']);

const DOC = JSON.parse(
  readFileSync(join(__dirname, '..', '..', 'openapi.json'), 'utf8'),
) as OpenApi;

function resolve(schema: Schema | undefined): Schema | undefined {
  if (!schema) return undefined;
  if (schema.$ref) return resolve(DOC.components?.schemas?.[schema.$ref.split('/').pop()!]);
  const union = schema.allOf ?? schema.oneOf ?? schema.anyOf;
  return union ? resolve(union[0]) : schema;
}

/**
 * Every write operation and every GET that takes query parameters, from openapi.json. A CSV
 * upload is a JSON string field (CSV_FIELDS): it gets hostile CSV text besides every other attack.
 */
export function fuzzOperations(): FuzzOperation[] {
  const ops: FuzzOperation[] = [];
  for (const [path, byMethod] of Object.entries(DOC.paths)) {
    for (const [method, op] of Object.entries(byMethod)) {
      const query = (op.parameters ?? []).filter((p) => p.in === 'query');
      if (method === 'get' && query.length === 0) continue;
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const body = resolve(op.requestBody?.content?.['application/json']?.schema);
      ops.push({
        key: `${method.toUpperCase()} ${path}`,
        method: method as Method,
        path,
        public: op['x-permission']?.permission === 'public',
        query,
        body,
        valid: body ? (sample(DOC, body) as Record<string, unknown>) : undefined,
      });
    }
  }
  return ops;
}

/** Who sends the case: the admin mostly, so that permission does not hide validation. */
export type Caller = 'admin' | 'hrHanoi' | 'officerHanoi' | 'officerBacNinh' | 'chair' | 'none';

export interface FuzzCase {
  /** The operation's key, "METHOD /path" as in the document. */
  operation: string;
  method: Method;
  /** Path with its parameters filled and the query string, percent-encoded. */
  url: string;
  caller: Caller;
  /** Raw JSON text of the body, or undefined for none. */
  body?: string;
  /** What kind of attack the body is, for the report. */
  attack: string;
}

const ellipsis = (text: string, max = 240) =>
  text.length > max ? `${text.slice(0, max)}… (${text.length} chars)` : text;

/** The readable one-liner fast-check prints for a counterexample (bodies run to 50 kB). */
export function describeCase(c: FuzzCase): string {
  return `${c.method.toUpperCase()} ${ellipsis(c.url, 300)} as ${c.caller} [${c.attack}] body=${
    c.body === undefined ? '(none)' : ellipsis(c.body)
  }`;
}

/** Body fields that carry the text of a CSV file (uploads travel as JSON strings). */
const CSV_FIELDS = new Set(['csv']);

type Body = { attack: string; value: unknown } | undefined;

/** Hostile bodies for an operation: mostly one defect in an otherwise valid body. */
function bodyArbitrary(op: FuzzOperation, valid: Record<string, unknown>): fc.Arbitrary<Body> {
  const props = Object.keys(op.body?.properties ?? {});
  const required = op.body?.required ?? [];
  const known = props.length > 0 ? props : ['x'];
  const options: { weight: number; arbitrary: fc.Arbitrary<Body> }[] = [
    {
      weight: 1,
      arbitrary: fc
        .constantFrom<unknown>('text', 42, true, null, [], [valid], new Raw('1e400'))
        .map((value) => ({ attack: 'not an object', value })),
    },
    {
      weight: 4,
      arbitrary: fc
        .tuple(fc.constantFrom(...known), nastyValue)
        .map(([field, bad]) => ({ attack: `bad ${field}`, value: { ...valid, [field]: bad } })),
    },
    {
      weight: 1,
      arbitrary: fc.tuple(fc.string({ maxLength: 12 }), nastyValue).map(([field, extra]) => ({
        attack: 'unknown field',
        value: { ...valid, [`zz${field}`]: extra },
      })),
    },
    {
      weight: 1,
      arbitrary: fc.integer({ min: 33, max: 40 }).map((depth) => ({
        attack: `nested ${depth}`,
        value: nest(depth, depth % 2 === 0, valid),
      })),
    },
    {
      weight: 1,
      arbitrary: fc
        .dictionary(fc.constantFrom(...known), nastyValue, { maxKeys: 4 })
        .map((value) => ({ attack: 'several bad fields', value })),
    },
  ];
  for (const field of props.filter((p) => CSV_FIELDS.has(p))) {
    options.push({
      weight: 4,
      arbitrary: nastyCsv.map((csv) => ({
        attack: `hostile ${field}`,
        value: { ...valid, [field]: csv },
      })),
    });
  }
  if (required.length > 0) {
    options.push({
      weight: 1,
      arbitrary: fc.constantFrom(...required).map((field) => {
        const value = { ...valid };
        delete value[field];
        return { attack: `missing ${field}`, value };
      }),
    });
  }
  if (!op.body) {
    // No body expected: nothing, or something anyway.
    options.push({ weight: 4, arbitrary: fc.constant(undefined) });
  }
  return fc.oneof(...options);
}

function queryArbitrary(op: FuzzOperation): fc.Arbitrary<string> {
  if (op.query.length === 0) return fc.constant('');
  const pair = fc.oneof(
    fc.tuple(fc.constantFrom(...op.query.map((p) => p.name)), nastyQueryValue),
    fc.tuple(fc.constantFrom(...op.query.map((p) => `${p.name}[a]`), 'zz', '%00'), nastyQueryValue),
  );
  return fc.array(pair, { minLength: 1, maxLength: 4 }).map((pairs) => {
    // Node's HTTP parser itself answers 431 beyond 16 kB of headers: keep the URL below.
    let query = '';
    for (const [k, v] of pairs) {
      const next = `${query ? '&' : '?'}${k}=${v}`;
      if (query && query.length + next.length > 10_000) break;
      query += next;
    }
    return query;
  });
}

/**
 * The query of a write operation: its required parameters with valid values (each value of an
 * enum in turn), so that the body reaches the service; now and then a hostile query instead.
 */
function writeQueryArbitrary(op: FuzzOperation): fc.Arbitrary<string> {
  if (op.query.length === 0) return fc.constant('');
  const required = op.query.filter((p) => p.required);
  const valid = fc
    .tuple(
      ...required.map((p) => {
        const schema = p.schema;
        const values = schema?.enum ?? [sample(DOC, schema, p.name)];
        return fc.constantFrom(...values.map((v) => `${p.name}=${encodeURIComponent(String(v))}`));
      }),
    )
    .map((pairs) => (pairs.length > 0 ? `?${pairs.join('&')}` : ''));
  return fc.oneof({ weight: 4, arbitrary: valid }, { weight: 1, arbitrary: queryArbitrary(op) });
}

/** Resource (path segment of REAL_IDS) that a body field named `…Id` refers to. */
const ID_FIELDS: Record<string, string> = {
  personId: 'people',
  courseId: 'courses',
  orgUnitId: 'org-units',
  parentId: 'org-units',
  toOrgUnitId: 'org-units',
  fromOrgUnitId: 'org-units',
  postId: 'posts',
  programmeId: 'programmes',
  versionId: 'framework-versions',
  assessmentId: 'assessments',
  cycleId: 'planning-cycles',
  nominationId: 'nominations',
  enrolmentId: 'enrolments',
  termId: 'terms',
  lessonId: 'lessons',
  ownerOrgUnitId: 'org-units',
  homeOrgUnitId: 'org-units',
  assignmentId: 'assignments',
  attemptId: 'attempts',
  certificateId: 'certificates',
  notCompletedCourseId: 'courses',
  notCompletedProgrammeId: 'programmes',
  recertProgrammeId: 'programmes',
  fromPostId: 'posts',
  toPostId: 'posts',
  appointmentId: 'appointments',
  fromAppointmentId: 'appointments',
  toAppointmentId: 'appointments',
  returnAppointmentId: 'appointments',
  evaluatorPersonId: 'people',
  raterPersonId: 'people',
  profileId: 'role-profiles',
  questionId: 'questions',
  frameworkId: 'framework-versions',
  basedOnId: 'framework-versions',
};

/**
 * The valid body, and copies whose id fields name existing rows: a defect in one other field
 * then reaches the service instead of stopping at a 404 for the id.
 */
function validBodies(op: FuzzOperation, realIds: Record<string, string[]>) {
  const valid = op.valid ?? {};
  const variants = [valid];
  for (let i = 0; i < 3; i += 1) {
    const copy: Record<string, unknown> = { ...valid };
    let changed = false;
    for (const key of Object.keys(copy)) {
      const real = realIds[ID_FIELDS[key] ?? ''] ?? [];
      if (real.length > 0 && typeof copy[key] === 'string') {
        copy[key] = real[i % real.length];
        changed = true;
      }
    }
    if (changed) variants.push(copy);
  }
  return fc.constantFrom(...variants);
}

/** Cases for one operation: hostile path ids, query, body, and caller. */
export function caseArbitrary(
  op: FuzzOperation,
  realIds: Record<string, string[]> = {},
): fc.Arbitrary<FuzzCase> {
  const segments = op.path.split('/');
  // Each parameter: sometimes an id that exists (of any subtree, maybe under another parent),
  // so that bodies reach the services; else a random uuid or no id at all.
  const params = segments
    .map((segment, i) => ({ segment, owner: segments[i - 1] }))
    .filter(({ segment }) => /^\{.+\}$/.test(segment))
    .map(({ owner }) => {
      const real = realIds[owner] ?? [];
      return real.length > 0
        ? fc.oneof(fc.constantFrom(...real.map(encodeURIComponent)), nastyPathValue)
        : nastyPathValue;
    });
  const caller: fc.Arbitrary<Caller> = OWN_SESSION.has(op.key)
    ? fc.constant('none')
    : fc.oneof(
        { weight: 6, arbitrary: fc.constant<Caller>('admin') },
        {
          weight: 1,
          arbitrary: fc.constantFrom<Caller>(
            'hrHanoi',
            'officerHanoi',
            'officerBacNinh',
            'chair',
            'none',
          ),
        },
      );
  const sendBody = op.method !== 'get';
  return fc
    .record({
      ids: fc.tuple(...params),
      query: op.method === 'get' ? queryArbitrary(op) : writeQueryArbitrary(op),
      body: sendBody
        ? validBodies(op, realIds).chain((valid) => bodyArbitrary(op, valid))
        : fc.constant<Body>(undefined),
      caller,
    })
    .map(({ ids, query, body, caller: who }) => {
      let i = 0;
      const url = op.path.replace(/\{[^}]+\}/g, () => ids[i++]) + query;
      const c: FuzzCase = {
        operation: op.key,
        method: op.method,
        url,
        caller: who,
        body: body ? toJson(body.value) : undefined,
        attack: body?.attack ?? (query ? 'query' : 'path'),
      };
      return Object.assign(c, { [fc.toStringMethod]: () => describeCase(c) });
    });
}
