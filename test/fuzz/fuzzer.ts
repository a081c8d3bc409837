import fc from 'fast-check';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { JwtService } from '@nestjs/jwt';
import { DataSource } from 'typeorm';
import { Caller, caseArbitrary, describeCase, FuzzCase, FuzzOperation } from './operations';

/** Tables whose rows a refused request may add: the rate limiter counts refused calls too. */
const COUNTERS = new Set(['rate_limit_hits']);

/** What the fuzzer needs from a running app: its HTTP server, database and demo tokens. */
export interface FuzzTarget {
  http: TestAgent;
  dataSource: DataSource;
  tokens: Record<Exclude<Caller, 'none'>, string>;
}

/** Tally of answers, by status class. */
export interface FuzzTally {
  requests: number;
  byClass: Record<string, number>;
  /** Answers by "status CODE" (the error body's code; none for a 2xx), to see what was reached. */
  byCode: Record<string, number>;
}

export const newTally = (): FuzzTally => ({ requests: 0, byClass: {}, byCode: {} });

/**
 * Rows a refused call writes by design, per operation: the wrong password that starts a hold on
 * signing in tells the account's owner (an account_locked message in the outbox; issue 13, item 9).
 */
const REFUSED_MAY_WRITE: Record<string, string[]> = {
  'POST /api/v1/auth/login': ['notification_outbox'],
};

/** Table of the net rows each table gained since the fuzzer began (see installRowDeltas). */
const DELTAS = 'fuzz_row_deltas';

/**
 * Makes every table but the counters keep its net row change in DELTAS, transactionally: a
 * statement trigger adds the rows a statement inserted and subtracts those it deleted, so a
 * change rolled back leaves no trace, as with a count. Reading the deltas before and after a
 * case is one small SELECT instead of a count(*) of every table (three times faster overall).
 * Installed on the test's own copy of the database, never by a migration. Returns the query
 * that reads the deltas.
 */
export async function installRowDeltas(dataSource: DataSource): Promise<string> {
  const tables = await dataSource.query<{ name: string }[]>(
    `SELECT table_name AS name FROM information_schema.tables
      WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`,
  );
  await dataSource.query(`CREATE TABLE "${DELTAS}" (name text PRIMARY KEY, n bigint NOT NULL)`);
  await dataSource.query(
    `CREATE FUNCTION fuzz_rows_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN
       UPDATE "${DELTAS}" SET n = n + (SELECT count(*) FROM new_rows) WHERE name = TG_TABLE_NAME;
       RETURN NULL;
     END $$`,
  );
  await dataSource.query(
    `CREATE FUNCTION fuzz_rows_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN
       UPDATE "${DELTAS}" SET n = n - (SELECT count(*) FROM old_rows) WHERE name = TG_TABLE_NAME;
       RETURN NULL;
     END $$`,
  );
  for (const { name } of tables.filter((t) => !COUNTERS.has(t.name))) {
    await dataSource.query(`INSERT INTO "${DELTAS}" (name, n) VALUES ($1, 0)`, [name]);
    await dataSource.query(
      `CREATE TRIGGER fuzz_rows_inserted AFTER INSERT ON "${name}" REFERENCING NEW TABLE AS new_rows
       FOR EACH STATEMENT EXECUTE FUNCTION fuzz_rows_inserted()`,
    );
    await dataSource.query(
      `CREATE TRIGGER fuzz_rows_deleted AFTER DELETE ON "${name}" REFERENCING OLD TABLE AS old_rows
       FOR EACH STATEMENT EXECUTE FUNCTION fuzz_rows_deleted()`,
    );
  }
  return `SELECT name, n::int AS n FROM "${DELTAS}"`;
}

/** Net row change of every watched table, by name. */
async function rowCounts(dataSource: DataSource, sql: string): Promise<Record<string, number>> {
  const rows = await dataSource.query<{ name: string; n: number }[]>(sql);
  return Object.fromEntries(rows.map((r) => [r.name, Number(r.n)]));
}

/**
 * Ids that exist, by the path segment naming the resource before a parameter. The admin's
 * account and grants are left out: a case that revoked the admin's grant would turn every
 * following case into a 403 and hide validation.
 */
const REAL_IDS: Record<string, string> = {
  accounts: `SELECT id FROM user_accounts WHERE email <> 'admin@lms.congdoan.test'`,
  grants: `SELECT g.id FROM role_grants g JOIN user_accounts u ON u.id = g.user_id
            WHERE u.email <> 'admin@lms.congdoan.test'`,
  appointments: 'SELECT id FROM appointments',
  assessments: 'SELECT id FROM assessments',
  questions: 'SELECT id FROM assessment_questions',
  assignments: 'SELECT id FROM programme_assignments',
  attempts: 'SELECT id FROM assessment_attempts',
  certificates: 'SELECT id FROM certificates',
  courses: 'SELECT id FROM courses',
  lessons: 'SELECT id FROM course_lessons',
  enrolments: 'SELECT id FROM enrolments',
  'external-trainings': 'SELECT id FROM external_trainings',
  'framework-versions': 'SELECT id FROM framework_versions',
  competencies: 'SELECT code AS id FROM competencies',
  requirements: 'SELECT code AS id FROM competencies',
  domains: 'SELECT code AS id FROM competency_domains',
  // The top of the tree first: a framework's owner must be the confederation or a federation.
  'org-units': 'SELECT id FROM org_units ORDER BY level, sort_key',
  people: 'SELECT id FROM people',
  'planning-cycles': 'SELECT id FROM planning_cycles',
  nominations: 'SELECT id FROM nominations',
  reviews: 'SELECT id FROM nomination_reviews',
  posts: 'SELECT id FROM posts',
  programmes: 'SELECT id FROM programmes',
  'role-profiles': 'SELECT id FROM role_profiles',
  rotations: 'SELECT id FROM rotations',
  terms: 'SELECT id FROM terms',
};

/** A few existing ids per resource (see REAL_IDS). */
export async function loadRealIds(dataSource: DataSource): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const [segment, sql] of Object.entries(REAL_IDS)) {
    const order = sql.includes('ORDER BY') ? '' : ' ORDER BY 1';
    const rows = await dataSource.query<{ id: string }[]>(`${sql}${order} LIMIT 5`);
    out[segment] = rows.map((r) => String(r.id));
  }
  return out;
}

/** Keys of the stable error body (docs DESIGN.md, "Errors"). */
const ERROR_KEYS = ['code', 'details', 'error', 'message', 'statusCode'];

/** Why a 4xx body is not the stable error body, or undefined when it is. */
function errorBodyProblem(status: number, body: unknown): string | undefined {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return 'no JSON object';
  const b = body as Record<string, unknown>;
  const keys = Object.keys(b).sort().join(',');
  if (keys !== ERROR_KEYS.join(',')) return `keys ${keys}`;
  if (b.statusCode !== status) return `statusCode ${String(b.statusCode)}`;
  if (typeof b.error !== 'string') return 'error not a string';
  if (typeof b.code !== 'string' || !/^[A-Z][A-Z0-9_]*$/.test(b.code)) return 'code not a CODE';
  if (typeof b.message !== 'string' || !/\S/.test(b.message)) return 'empty message';
  if (!Array.isArray(b.details)) return 'details not an array';
  for (const d of b.details as unknown[]) {
    const ok =
      d !== null &&
      typeof d === 'object' &&
      Object.keys(d).sort().join(',') === 'field,message' &&
      typeof (d as { field: unknown }).field === 'string' &&
      typeof (d as { message: unknown }).message === 'string';
    if (!ok) return `detail ${JSON.stringify(d)}`;
  }
  return undefined;
}

/**
 * Sends one case and checks the three rules: never a 5xx; a 4xx carries exactly the stable
 * error body; a refused call wrote nothing (row counts of every table, counters aside, equal
 * before and after, as kept by installRowDeltas). Throws a readable message otherwise.
 */
export async function sendAndCheck(
  target: FuzzTarget,
  countSql: string,
  c: FuzzCase,
  tally: FuzzTally,
): Promise<void> {
  const before = await rowCounts(target.dataSource, countSql);
  let call = target.http[c.method](c.url);
  if (c.caller !== 'none') call = call.set('Authorization', `Bearer ${target.tokens[c.caller]}`);
  if (c.body !== undefined) call = call.set('Content-Type', 'application/json').send(c.body);
  const res = await call;
  tally.requests += 1;
  const cls = `${Math.floor(res.status / 100)}xx`;
  tally.byClass[cls] = (tally.byClass[cls] ?? 0) + 1;
  const code = (res.body as { code?: unknown } | undefined)?.code;
  const codeKey = `${res.status}${typeof code === 'string' ? ` ${code}` : ''}`;
  tally.byCode[codeKey] = (tally.byCode[codeKey] ?? 0) + 1;
  if (c.caller !== 'none' && res.status === 401 && code === 'UNAUTHENTICATED') {
    // The harness's own token no longer works (expired, or its session ended): every later
    // case would stop at 401 and test nothing, so the run stops here instead.
    throw new Error(
      `the ${c.caller} token was refused: renew it (renewTokens) before ${c.operation}`,
    );
  }
  const where = `${res.status} ${JSON.stringify((res.body as { code?: unknown } | undefined)?.code ?? '')}`;
  if (res.status >= 500) throw new Error(`server error ${where} for ${describeCase(c)}`);
  if (res.status >= 400) {
    const problem = errorBodyProblem(res.status, res.body);
    if (problem) {
      throw new Error(
        `${where}: not the stable error body (${problem}): ${JSON.stringify(res.body).slice(0, 300)}`,
      );
    }
    const after = await rowCounts(target.dataSource, countSql);
    const allowed = REFUSED_MAY_WRITE[c.operation] ?? [];
    const changed = Object.keys(after).filter(
      (t) => after[t] !== before[t] && !allowed.includes(t),
    );
    if (changed.length > 0) {
      throw new Error(
        `${where} refused, yet wrote rows: ${changed
          .map((t) => `${t} ${before[t]}→${after[t]}`)
          .join(', ')}`,
      );
    }
  }
}

/**
 * Fresh access tokens for the demo sessions, signed as the login signed them: a bench run lasts
 * longer than an access token (15 minutes), and signing in again could meet a hold that an
 * earlier case (wrong passwords on the login route) put on the account.
 */
export function renewTokens(target: FuzzTarget, jwt: JwtService): void {
  for (const key of Object.keys(target.tokens) as (keyof FuzzTarget['tokens'])[]) {
    const { sub, sid } = jwt.decode<{ sub: string; sid: string }>(target.tokens[key]);
    target.tokens[key] = jwt.sign({ sub, sid }, { expiresIn: 900 });
  }
}

/** Seed of one operation: the run's seed mixed with its name, so each replays alone. */
export function operationSeed(seed: number, op: FuzzOperation): number {
  let h = seed | 0;
  for (let i = 0; i < op.key.length; i += 1) h = Math.imul(h ^ op.key.charCodeAt(i), 16777619);
  return h | 0;
}

/** The property of one operation, for fc.assert (jest) or fc.check (bench). */
export function operationProperty(
  target: FuzzTarget,
  countSql: string,
  op: FuzzOperation,
  tally: FuzzTally,
  realIds: Record<string, string[]> = {},
): fc.IAsyncProperty<[FuzzCase]> {
  return fc.asyncProperty(caseArbitrary(op, realIds), (c) =>
    sendAndCheck(target, countSql, c, tally),
  );
}

/** A client of a Nest app's HTTP server, for targets built outside test/support. */
export const agentOf = (server: Parameters<typeof request>[0]): TestAgent => request(server);
