import { INestApplication } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { getDataSourceToken } from '@nestjs/typeorm';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import globalSetup from '../support/global-setup';
import globalTeardown from '../support/global-teardown';
import { createTestApp } from '../support/test-app';
import { AppModule } from '../../src/app.module';
import { configureApp } from '../../src/app.setup';
import { APP_CONFIG, loadConfig } from '../../src/config/app-config';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { benchDatabase } from './dataset';
import { runTakers, TakerOutcome, TakerPlan } from './exam-takers';
import { Measure, MeasureContext, MeasureResult, round, Scale } from './measure';

/**
 * Issue 16, "Done when": an exam of 2,000 concurrent takers — each starts an attempt of 30
 * questions drawn at random from a bank, autosaves an answer every few seconds, then submits —
 * timed through the whole app on a loopback port, beside a bare node:http + pg server doing the
 * same writes for the same generator of takers (exam-takers.ts, in a worker thread) in the same
 * run. Afterwards a check in SQL that every last-saved answer is stored and every item graded.
 *
 * Four lines: p50 and p99 of the autosave and of the submit, in ms. Here ratio = bare / app
 * (the bare server's latency over ours): 1 is as fast as the bare server, ≥ 0.5 means at most
 * twice its latency. The target is on the autosave: p99 < 100 ms and ratio ≥ 0.5.
 *
 * PostgreSQL (DATABASE_URL) at any scale; without it the smoke size runs on PGlite (in-process,
 * one connection), where the bare server goes through the app's DataSource instead of a pool.
 */

interface ExamShape {
  takers: number;
  saves: number;
  gapMs: [number, number];
  rampMs: number;
}

/** 2,000 takers from province scale up; a few dozen at smoke, with short gaps, for CI. */
const SHAPE: Record<Scale, ExamShape> = {
  smoke: { takers: 40, saves: 5, gapMs: [20, 80], rampMs: 300 },
  province: { takers: 2000, saves: 30, gapMs: [2000, 6000], rampMs: 30_000 },
  national: { takers: 2000, saves: 30, gapMs: [2000, 6000], rampMs: 30_000 },
};

const CATEGORIES = 3;
const QUESTIONS_PER_CATEGORY = 50;
const DRAWN_PER_CATEGORY = 10;
const KINDS = ['single', 'multiple', 'true_false', 'numeric', 'short_answer'] as const;
const TAKER_EMAIL = (i: number) => `exam.taker.${String(i).padStart(5, '0')}@bench.lms.test`;
const OFFICER_EMAIL = 'exam.officer@bench.lms.test';

/** The whole app on `url`, as assign.bench boots it; BENCH_LOG_LEVEL=error shows its 500s. */
export async function bootApp(url: string, logLevel = 'silent'): Promise<INestApplication> {
  const config = loadConfig({
    ...process.env,
    NODE_ENV: 'test',
    LOG_LEVEL: logLevel,
    DATABASE_URL: url,
    SEED_DEMO: 'false',
  });
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] })
    .overrideProvider(APP_CONFIG)
    .useValue(config)
    .compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ logger: false });
  configureApp(app);
  await app.init();
  return app;
}

export type Query = (sql: string, params?: unknown[]) => Promise<Record<string, unknown>[]>;

/** A bank question of `kind` (auto-graded), its prompt numbered. */
function bankQuestion(kind: (typeof KINDS)[number], n: number, categoryId: string) {
  const prompt = `Câu hỏi số ${n} về tổ chức công đoàn cơ sở`;
  const options = ['A', 'B', 'C', 'D'].map((key) => ({ key, text: `Phương án ${key} (${n})` }));
  const body = {
    single: { kind, options, correct: 'B' },
    multiple: { kind, options, correct: ['A', 'C'], partialCredit: 'all_or_nothing' },
    true_false: { kind, correct: n % 2 === 0 },
    numeric: { kind, value: n % 6, tolerance: 0 },
    short_answer: {
      kind,
      accepted: ['Đại hội công đoàn cơ sở'],
      caseSensitive: false,
      ignoreDiacritics: true,
      patterns: [],
    },
  }[kind];
  return { prompt, points: kind === 'multiple' ? 2 : 1, body, difficulty: 1 + (n % 3), categoryId };
}

/**
 * Accounts and live sessions for `takers` learners and one administrator, made in SQL (signing
 * in 2,000 times would hash 2,000 passwords), and their access tokens signed with the app's own
 * key. The people and accounts are kept for later runs (ON CONFLICT); sessions are new each run.
 */
export async function people(
  ds: DataSource,
  jwt: JwtService,
  takers: number,
): Promise<{ officer: string; tokens: string[]; personOf: Map<string, string>; rootId: string }> {
  const [root] = await ds.query<{ id: string }[]>(
    `SELECT id FROM org_units WHERE parent_id IS NULL ORDER BY path LIMIT 1`,
  );
  await ds.query(
    `INSERT INTO people (family_name, middle_name, given_name, full_name, search_name, sort_key,
                         birth_date, gender, ethnicity_code, national_id, home_org_unit_id)
     SELECT 'Thí', 'Sinh', 'Số ' || i, 'Thí Sinh Số ' || i, 'thi sinh so ' || i,
            'so ' || lpad(i::text, 6, '0'), DATE '1980-01-01' + i % 7000,
            (CASE WHEN i % 2 = 0 THEN 'female' ELSE 'male' END)::person_gender, '01',
            '97' || lpad(i::text, 10, '0'), $1
       FROM generate_series(0, $2) i
     ON CONFLICT DO NOTHING`,
    [root.id, takers],
  );
  // Person 0 is the officer; 1…takers are the takers. No password: they never sign in.
  await ds.query(
    `INSERT INTO user_accounts (email, password_hash, person_id)
     SELECT CASE WHEN i = 0 THEN $2 ELSE 'exam.taker.' || lpad(i::text, 5, '0') || '@bench.lms.test'
            END, '!bench-no-password', p.id
       FROM generate_series(0, $1) i JOIN people p ON p.national_id = '97' || lpad(i::text, 10, '0')
     ON CONFLICT DO NOTHING`,
    [takers, OFFICER_EMAIL],
  );
  await ds.query(
    `INSERT INTO role_grants (user_id, role, org_unit_id)
     SELECT u.id, 'admin', $2 FROM user_accounts u WHERE u.email = $1
        AND NOT EXISTS (SELECT 1 FROM role_grants g WHERE g.user_id = u.id AND g.revoked_at IS NULL)`,
    [OFFICER_EMAIL, root.id],
  );
  const emails = [OFFICER_EMAIL, ...Array.from({ length: takers }, (_, i) => TAKER_EMAIL(i + 1))];
  const sessions = await ds.query<{ user_id: string; session_id: string; person_id: string }[]>(
    `WITH s AS (
       INSERT INTO auth_sessions (user_id, user_agent)
       SELECT u.id, 'exam bench' FROM unnest($1::text[]) WITH ORDINALITY AS x(email, ord)
         JOIN user_accounts u ON u.email = x.email
        ORDER BY x.ord
       RETURNING id, user_id
     )
     SELECT s.user_id, s.id AS session_id, u.person_id
       FROM s JOIN user_accounts u ON u.id = s.user_id
       JOIN unnest($1::text[]) WITH ORDINALITY AS x(email, ord) ON x.email = u.email
      ORDER BY x.ord`,
    [emails],
  );
  if (sessions.length !== takers + 1) throw new Error(`exam: ${sessions.length} sessions made`);
  const sign = (s: { user_id: string; session_id: string }) =>
    jwt.sign({ sub: s.user_id, sid: s.session_id }, { expiresIn: 3600, algorithm: 'HS256' });
  const tokens = sessions.slice(1).map(sign);
  const personOf = new Map(sessions.slice(1).map((s, i) => [tokens[i], s.person_id]));
  return { officer: sign(sessions[0]), tokens, personOf, rootId: root.id };
}

/**
 * Through the API, as an officer would: a bank of 150 auto-graded questions in 3 categories,
 * and `count` published courses, each with a lesson and a final assessment whose blueprint
 * draws 10 questions of each category (30), with the takers enrolled (in SQL).
 */
async function exams(
  base: string,
  officer: string,
  q: Query,
  rootId: string,
  personIds: string[],
  count: number,
): Promise<{ assessmentIds: string[]; categoryIds: string[] }> {
  const api = async (method: string, path: string, body: unknown, expect: number) => {
    const res = await fetch(`${base}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${officer}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const json = (await res.json()) as { id: string };
    if (res.status !== expect)
      throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  const tag = `${Date.now().toString(36).toUpperCase()}`;
  const bank = await api(
    'POST',
    '/question-banks',
    { ownerOrgUnitId: rootId, name: `Ngân hàng đề thi (bench ${tag})` },
    201,
  );
  for (let c = 1; c <= CATEGORIES; c += 1) {
    await api('POST', `/question-banks/${bank.id}/categories`, { name: `Chủ đề ${c}` }, 201);
  }
  const categoryIds = (
    await q(`SELECT id FROM question_categories WHERE bank_id = $1 ORDER BY name`, [bank.id])
  ).map((r) => r.id as string);
  const questions = categoryIds.flatMap((categoryId, c) =>
    Array.from({ length: QUESTIONS_PER_CATEGORY }, (_, k) => {
      const n = c * QUESTIONS_PER_CATEGORY + k;
      return bankQuestion(KINDS[n % KINDS.length], n, categoryId);
    }),
  );
  for (let i = 0; i < questions.length; i += 10) {
    await Promise.all(
      questions
        .slice(i, i + 10)
        .map((question) => api('POST', `/question-banks/${bank.id}/questions`, question, 201)),
    );
  }
  const assessmentIds: string[] = [];
  for (let e = 0; e < count; e += 1) {
    const code = `EX-${tag}-${e + 1}`;
    const course = await api(
      'POST',
      '/courses',
      {
        code,
        title: `Thi cuối khóa ${code}`,
        deliveryMode: 'online',
        durationHours: 4,
        ownerOrgUnitId: rootId,
      },
      201,
    );
    await api(
      'POST',
      `/courses/${course.id}/lessons`,
      { title: 'Bài 1', kind: 'text', content: 'Nội dung' },
      201,
    );
    const assessment = await api(
      'POST',
      '/assessments',
      {
        courseId: course.id,
        title: 'Kiểm tra cuối khóa',
        timeLimitMinutes: 30,
        maxAttempts: 1,
        passScore: 5,
        questions: [
          {
            kind: 'true_false',
            prompt: 'Thay bằng đề rút từ ngân hàng.',
            options: [
              { key: 'true', text: 'Đúng' },
              { key: 'false', text: 'Sai' },
            ],
            correct: ['true'],
            points: 1,
          },
        ],
      },
      201,
    );
    await api(
      'PUT',
      `/assessments/${assessment.id}/blueprint`,
      {
        sections: categoryIds.map((categoryId, c) => ({
          title: `Phần ${c + 1}`,
          rules: [{ bankId: bank.id, categoryId, count: DRAWN_PER_CATEGORY }],
        })),
        shuffleQuestions: true,
        shuffleOptions: true,
      },
      200,
    );
    await api('POST', `/courses/${course.id}/publish`, {}, 200);
    await q(`INSERT INTO enrolments (course_id, person_id) SELECT $1, unnest($2::uuid[])`, [
      course.id,
      personIds,
    ]);
    assessmentIds.push(assessment.id);
  }
  return { assessmentIds, categoryIds };
}

/** Whether a stored item's response is right, in SQL (the bare server's grading). */
const RIGHT_SQL = `COALESCE(CASE v.body->>'kind'
    WHEN 'single' THEN i.response = v.body->'correct'
    WHEN 'true_false' THEN i.response = v.body->'correct'
    WHEN 'multiple' THEN i.response @> (v.body->'correct') AND (v.body->'correct') @> i.response
    WHEN 'numeric' THEN abs((i.response #>> '{}')::numeric - (v.body->>'value')::numeric)
                        <= (v.body->>'tolerance')::numeric
    WHEN 'short_answer' THEN lower(i.response #>> '{}') IN
      (SELECT lower(x) FROM jsonb_array_elements_text(v.body->'accepted') x)
    ELSE false END, false)`;

/**
 * The bare server: node:http and the pool, the same three routes, a token → person map in
 * memory instead of verification, no validation, no framework. Start: one statement inserting
 * the attempt and drawing 10 questions of each category in SQL. Autosave: the guarded UPDATE of
 * the item with the attempt row share-locked (as the app's). Submit: one statement that locks
 * the attempt, grades every item by SQL comparisons and closes the attempt with its score.
 */
function bareServer(q: Query, personOf: Map<string, string>, categoryIds: string[]): http.Server {
  const routes: [
    RegExp,
    string,
    (m: string[], person: string, body: unknown) => Promise<[number, unknown]>,
  ][] = [
    [
      /^\/api\/v1\/assessments\/([0-9a-f-]{36})\/attempts$/,
      'POST',
      async ([, assessmentId], person) => {
        const [row] = await q(
          `WITH e AS (
             SELECT e.id FROM enrolments e JOIN assessments a ON a.course_id = e.course_id
              WHERE a.id = $1 AND e.person_id = $2
           ), t AS (
             INSERT INTO assessment_attempts (assessment_id, enrolment_id, person_id, number,
                                              started_at, deadline, seed)
             SELECT $1, e.id, $2, 1, now(), now() + interval '30 minutes', 'bare' FROM e
             RETURNING id
           ), d AS (
             SELECT q.id, q.current_version AS version, q.category_id,
                    row_number() OVER (PARTITION BY q.category_id ORDER BY random()) AS k
               FROM bank_questions q WHERE q.category_id = ANY($3::uuid[])
           ), i AS (
             INSERT INTO attempt_items (attempt_id, position, section, question_id, version, points)
             SELECT t.id, row_number() OVER (ORDER BY d.category_id, d.k), 'Phần', d.id, d.version,
                    v.points
               FROM t, d JOIN bank_question_versions v ON v.question_id = d.id AND v.version = d.version
              WHERE d.k <= $4
             RETURNING question_id, version
           )
           SELECT (SELECT id FROM t) AS id,
                  jsonb_agg(jsonb_build_object('questionId', i.question_id, 'kind', v.body->>'kind',
                                               'options', v.body->'options')) AS items
             FROM i JOIN bank_question_versions v
               ON v.question_id = i.question_id AND v.version = i.version`,
          [assessmentId, person, categoryIds, DRAWN_PER_CATEGORY],
        );
        return row?.id ? [201, row] : [404, { code: 'ASSESSMENT_NOT_FOUND' }];
      },
    ],
    [
      /^\/api\/v1\/attempts\/([0-9a-f-]{36})\/responses\/([0-9a-f-]{36})$/,
      'PUT',
      async ([, attemptId, questionId], person, body) => {
        const response = (body as { response?: unknown }).response ?? null;
        const [row] = await q(
          `WITH t AS (
             SELECT id FROM assessment_attempts
              WHERE id = $1 AND person_id = $2 AND submitted_at IS NULL AND deadline > now()
              FOR SHARE
           ), u AS (
             UPDATE attempt_items i SET response = $4::jsonb, saved_at = now()
               FROM t WHERE i.attempt_id = t.id AND i.question_id = $3
             RETURNING i.saved_at
           )
           SELECT saved_at FROM u`,
          [attemptId, person, questionId, JSON.stringify(response)],
        );
        return row
          ? [200, { questionId, response, savedAt: row.saved_at }]
          : [409, { code: 'ATTEMPT_CLOSED' }];
      },
    ],
    [
      /^\/api\/v1\/attempts\/([0-9a-f-]{36})\/submit$/,
      'POST',
      async ([, attemptId], person) => {
        const [row] = await q(
          `WITH t AS (
             SELECT id FROM assessment_attempts
              WHERE id = $1 AND person_id = $2 AND submitted_at IS NULL FOR UPDATE
           ), g AS (
             UPDATE attempt_items i
                SET correct = r.right, auto_points = r.earned, final_points = r.earned,
                    needs_marking = false
               FROM (SELECT i.attempt_id, i.position, ${RIGHT_SQL} AS right,
                            CASE WHEN ${RIGHT_SQL} THEN i.points ELSE 0 END AS earned
                       FROM attempt_items i JOIN t ON t.id = i.attempt_id
                       JOIN bank_question_versions v
                         ON v.question_id = i.question_id AND v.version = i.version) r
              WHERE i.attempt_id = r.attempt_id AND i.position = r.position
             RETURNING i.points, i.final_points
           ), s AS (
             SELECT sum(final_points) AS earned, sum(points)::int AS total FROM g
           ), u AS (
             UPDATE assessment_attempts a
                SET submitted_at = now(), released_at = now(), points_earned = s.earned,
                    points_total = s.total, score = round(s.earned * 10 / s.total, 2),
                    passed = round(s.earned * 10 / s.total, 2) >= 5
               FROM t, s WHERE a.id = t.id
             RETURNING a.id, a.score, a.passed, a.submitted_at
           )
           SELECT * FROM u`,
          [attemptId, person],
        );
        return row ? [200, row] : [404, { code: 'ATTEMPT_NOT_FOUND' }];
      },
    ],
  ];
  return http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const reply = (status: number, body: unknown) => {
        const text = JSON.stringify(body);
        res.writeHead(status, {
          'content-type': 'application/json; charset=utf-8',
          'content-length': Buffer.byteLength(text),
        });
        res.end(text);
      };
      const person = personOf.get((req.headers.authorization ?? '').slice(7));
      if (!person) return reply(401, { code: 'AUTH_REQUIRED' });
      for (const [pattern, method, handle] of routes) {
        const m = pattern.exec(req.url ?? '');
        if (!m || req.method !== method) continue;
        let body: unknown;
        try {
          body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {};
        } catch {
          return reply(400, { code: 'BAD_JSON' });
        }
        handle(m, person, body).then(
          ([status, out]) => reply(status, out),
          (err: unknown) => reply(500, { message: String(err) }),
        );
        return;
      }
      reply(404, { code: 'NOT_FOUND' });
    });
  });
}

/** Nearest-rank percentile of latencies in ms. */
export function percentile(xs: number[], p: number): number {
  if (!xs.length) return NaN;
  const sorted = Float64Array.from(xs).sort();
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)];
}

/**
 * None lost: for every attempt the takers started, each item's stored response is the last one
 * its taker sent (and had acknowledged), an item never answered is null; every attempt is
 * submitted and every item graded (auto_points not null).
 */
async function check(q: Query, label: string, outcome: TakerOutcome, takers: number) {
  const attemptIds = Object.keys(outcome.lastSent);
  const rows = await q(
    `SELECT i.attempt_id, i.question_id, i.response, i.auto_points, t.submitted_at
       FROM attempt_items i JOIN assessment_attempts t ON t.id = i.attempt_id
      WHERE i.attempt_id = ANY($1::uuid[])`,
    [attemptIds],
  );
  const problems: string[] = [];
  let answered = 0;
  for (const r of rows) {
    const sent = outcome.lastSent[r.attempt_id as string];
    const expected = Object.hasOwn(sent, r.question_id as string)
      ? sent[r.question_id as string]
      : null;
    if (expected !== null) answered += 1;
    if (JSON.stringify(r.response) !== JSON.stringify(expected)) {
      problems.push(
        `${r.attempt_id as string}/${r.question_id as string}: stored ${JSON.stringify(r.response)}, sent ${JSON.stringify(expected)}`,
      );
    }
    if (r.submitted_at === null) problems.push(`${r.attempt_id as string}: not submitted`);
    if (r.auto_points === null)
      problems.push(`${r.attempt_id as string}/${r.question_id as string}: not graded`);
  }
  const sentCount = Object.values(outcome.lastSent).reduce((n, s) => n + Object.keys(s).length, 0);
  if (attemptIds.length !== takers)
    problems.push(`${attemptIds.length} attempts of ${takers} takers`);
  if (rows.length !== takers * CATEGORIES * DRAWN_PER_CATEGORY) {
    problems.push(`${rows.length} items stored, ${takers * CATEGORIES * DRAWN_PER_CATEGORY} drawn`);
  }
  if (answered !== sentCount) problems.push(`${answered} answers stored, ${sentCount} sent`);
  console.error(
    `exam check (${label}): ${attemptIds.length} attempts submitted, ${rows.length} items graded, ` +
      `${answered} last-saved answers stored of ${sentCount} sent, ${problems.length} problems`,
  );
  if (problems.length)
    throw new Error(`exam check (${label}):\n${problems.slice(0, 20).join('\n')}`);
}

/** What the servers' thread went through during one exam: event-loop delay and GC pauses. */
interface ThreadStats {
  loopP50: number;
  loopP99: number;
  loopMax: number;
  gcCount: number;
  gcMs: number;
  gcMaxMs: number;
}

interface ExamRun {
  app: TakerOutcome;
  bare: TakerOutcome;
  shape: ExamShape;
  thread: { app: ThreadStats | null; bare: ThreadStats | null };
}

/**
 * Runs `exam` while watching the servers' thread (this one; the takers have their own): how
 * late its event loop ran (1 ms resolution) and how long garbage collection paused it. Both
 * servers face the same watch, so the two exams' figures compare.
 */
async function watched<T>(exam: () => Promise<T>): Promise<[T, ThreadStats]> {
  const loop = monitorEventLoopDelay({ resolution: 1 });
  const pauses: number[] = [];
  const gc = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) pauses.push(e.duration);
  });
  gc.observe({ entryTypes: ['gc'] });
  loop.enable();
  try {
    const out = await exam();
    return [
      out,
      {
        loopP50: loop.percentile(50) / 1e6,
        loopP99: loop.percentile(99) / 1e6,
        loopMax: loop.max / 1e6,
        gcCount: pauses.length,
        gcMs: pauses.reduce((a, b) => a + b, 0),
        gcMaxMs: Math.max(0, ...pauses),
      },
    ];
  } finally {
    loop.disable();
    gc.disconnect();
  }
}

async function runExam(ctx: MeasureContext): Promise<ExamRun> {
  const shape = { ...(ctx.databaseUrl ? SHAPE[ctx.scale] : SHAPE.smoke) };
  // For profiling: EXAM_TAKERS=n changes the crowd, EXAM_PHASES=app (or bare) runs one server.
  if (process.env.EXAM_TAKERS) shape.takers = Number(process.env.EXAM_TAKERS);
  const phases = (process.env.EXAM_PHASES ?? 'bare,app').split(',');
  if (!ctx.databaseUrl && ctx.scale !== 'smoke') {
    console.error(`exam: ${ctx.scale} scale needs DATABASE_URL; the smoke size runs on PGlite`);
  }
  let app: INestApplication;
  let q: Query;
  let close: () => Promise<void>;
  if (ctx.databaseUrl) {
    const url = await benchDatabase(ctx.databaseUrl, ctx.scale);
    app = await bootApp(url, process.env.BENCH_LOG_LEVEL);
    const pool = new Pool({ connectionString: url, max: 10 });
    q = async (sql, params) => (await pool.query(sql, params)).rows as Record<string, unknown>[];
    close = async () => {
      await pool.end();
      await app.close();
    };
  } else {
    await globalSetup();
    const t = await createTestApp();
    app = t.app;
    q = (sql, params) => t.dataSource.query(sql, params);
    close = async () => {
      await t.close();
      await globalTeardown();
    };
  }
  let bare: http.Server | undefined;
  const setUpAt = performance.now() / 1000;
  try {
    const ds = app.get<DataSource>(getDataSourceToken());
    await app.listen(0, '127.0.0.1');
    const appServer = app.getHttpServer() as http.Server;
    // Longer than any gap, so neither server closes a kept-alive socket as a taker reuses it.
    appServer.keepAliveTimeout = 65_000;
    const port = (appServer.address() as AddressInfo).port;
    const who = await people(ds, app.get(JwtService), shape.takers);
    const { assessmentIds, categoryIds } = await exams(
      `http://127.0.0.1:${port}`,
      who.officer,
      q,
      who.rootId,
      [...who.personOf.values()],
      2,
    );
    /**
     * Each exam starts from a settled database: the rows the exam before it wrote vacuumed and
     * analysed, and its dirty pages written out. Otherwise the second exam would pay for the
     * first (autovacuum of 60,000 updated items, a checkpoint's writes) while the first paid
     * for nothing.
     */
    const settle = async () => {
      if (!ctx.databaseUrl) return;
      await q(`VACUUM (ANALYZE) attempt_items, assessment_attempts, enrolments`);
      // CHECKPOINT needs a superuser (or pg_checkpoint): without, the vacuum alone.
      await q(`CHECKPOINT`).catch(() => undefined);
    };
    bare = bareServer(q, who.personOf, categoryIds);
    bare.keepAliveTimeout = 65_000;
    await new Promise<void>((resolve) => bare!.listen(0, '127.0.0.1', resolve));
    const barePort = (bare.address() as AddressInfo).port;
    const plan = (p: number, assessmentId: string, seed: number): TakerPlan => ({
      port: p,
      assessmentId,
      tokens: who.tokens,
      saves: shape.saves,
      gapMs: shape.gapMs,
      rampMs: shape.rampMs,
      seed,
    });
    // The bare server first, then the app, each exam on its own assessment (one attempt each).
    console.error(`exam: set up in ${round(performance.now() / 1000 - setUpAt, 1)} s; bare exam…`);
    const skipped: TakerOutcome = {
      startMs: [],
      saveMs: [],
      saveAtMs: [],
      lastStartMs: 0,
      submitMs: [],
      lastSent: {},
      errors: [],
      wallSeconds: 0,
    };
    const exam = async (phase: string, p: number, assessmentId: string, seed: number) => {
      if (!phases.includes(phase)) return [skipped, null] as const;
      await settle();
      return watched(() => runTakers(plan(p, assessmentId, seed)));
    };
    const [bareOutcome, bareThread] = await exam('bare', barePort, assessmentIds[1], 2);
    console.error(`exam: bare exam done in ${round(bareOutcome.wallSeconds, 1)} s; app exam…`);
    const [appOutcome, appThread] = await exam('app', port, assessmentIds[0], 1);
    const thread = { app: appThread, bare: bareThread };
    // The figures first, so that a run that fails its checks still shows what it measured.
    report({ app: appOutcome, bare: bareOutcome, shape, thread });
    for (const [label, o] of [
      ['bare', bareOutcome],
      ['app', appOutcome],
    ] as const) {
      if (o.errors.length) {
        const kinds = new Map<string, number>();
        for (const e of o.errors) {
          const k = e.replace(/"correlationId".*|Mã tra cứu.*/, '').slice(0, 120);
          kinds.set(k, (kinds.get(k) ?? 0) + 1);
        }
        console.error(`exam (${label}) failures:`, [...kinds].slice(0, 10));
        throw new Error(
          `exam (${label}): ${o.errors.length} failed requests, e.g.\n${o.errors.slice(0, 5).join('\n')}`,
        );
      }
    }
    if (phases.includes('app')) await check(q, 'app', appOutcome, shape.takers);
    if (phases.includes('bare')) await check(q, 'bare', bareOutcome, shape.takers);
    return { app: appOutcome, bare: bareOutcome, shape, thread };
  } finally {
    if (bare) await new Promise<void>((resolve) => bare!.close(() => resolve()));
    await close();
  }
}

/** One exam run serves the four lines (and a second `--only exam` measure reuses it). */
let pending: { key: string; run: Promise<ExamRun> } | undefined;
function examRun(ctx: MeasureContext): Promise<ExamRun> {
  const key = `${ctx.scale} ${ctx.databaseUrl ?? ''}`;
  if (!pending || pending.key !== key) {
    pending = { key, run: runExam(ctx) };
  }
  return pending.run;
}

const afterStarts = (o: TakerOutcome) => o.saveMs.filter((_, i) => o.saveAtMs[i] > o.lastStartMs);

const threadLine = (label: string, t: ThreadStats | null) =>
  t
    ? `  ${label} thread: event-loop delay p50 ${round(t.loopP50, 1)} ms, p99 ${round(t.loopP99, 1)} ms, ` +
      `max ${round(t.loopMax, 1)} ms; GC ${t.gcCount} pauses, ${round(t.gcMs)} ms in all, ` +
      `longest ${round(t.gcMaxMs, 1)} ms`
    : `  ${label} thread: not run`;

/**
 * EXAM_TIMELINE=1: the autosaves in 10-second slices of the exam (by when each was sent), with
 * their count, p50, p99 and slowest, for each server — where in the exam the slow ones fall.
 */
function timeline(label: string, o: TakerOutcome): string[] {
  const slices = new Map<number, number[]>();
  o.saveMs.forEach((ms, i) => {
    const k = Math.floor(o.saveAtMs[i] / 10_000);
    const slice = slices.get(k);
    if (slice) slice.push(ms);
    else slices.set(k, [ms]);
  });
  return [`  ${label}: last start answered at ${round(o.lastStartMs / 1000, 1)} s`].concat(
    [...slices.entries()]
      .sort(([a], [b]) => a - b)
      .map(
        ([k, ms]) =>
          `  ${label} ${String(k * 10).padStart(4)} s: n ${String(ms.length).padStart(5)}, ` +
          `p50 ${round(percentile(ms, 0.5), 1)}, p99 ${round(percentile(ms, 0.99), 1)}, ` +
          `max ${round(Math.max(...ms), 1)} ms`,
      ),
  );
}

function report({ app, bare, shape, thread }: ExamRun): void {
  if (process.env.EXAM_TIMELINE) {
    console.error([...timeline('bare', bare), ...timeline('app', app)].join('\n'));
  }
  const row = (label: string, a: number[], b: number[]) =>
    `  ${label.padEnd(9)} app p50 ${round(percentile(a, 0.5), 1)} ms, p99 ${round(percentile(a, 0.99), 1)} ms | ` +
    `bare p50 ${round(percentile(b, 0.5), 1)} ms, p99 ${round(percentile(b, 0.99), 1)} ms | ` +
    `ratio bare/app p99 ${round(percentile(b, 0.99) / percentile(a, 0.99))} (n ${a.length}/${b.length})`;
  console.error(
    [
      `exam: ${shape.takers} concurrent takers × (start, ${shape.saves} autosaves ${shape.gapMs[0] / 1000}–${shape.gapMs[1] / 1000} s apart, submit); ` +
        `${CATEGORIES * DRAWN_PER_CATEGORY} questions drawn of ${CATEGORIES * QUESTIONS_PER_CATEGORY}; ` +
        `app exam ${round(app.wallSeconds, 1)} s, bare exam ${round(bare.wallSeconds, 1)} s`,
      row('start', app.startMs, bare.startMs),
      row('autosave', app.saveMs, bare.saveMs),
      row('submit', app.submitMs, bare.submitMs),
      // The autosaves sent once every taker has started: the exam without the start burst.
      row('autosave after the last start', afterStarts(app), afterStarts(bare)),
      threadLine('app', thread.app),
      threadLine('bare', thread.bare),
      `  ratio = bare latency / app latency: 1 is the bare server's speed, ≥ 0.5 is at most twice ` +
        `its latency. Target: autosave p99 < 100 ms and ratio ≥ 0.5 — ` +
        `${percentile(app.saveMs, 0.99) < 100 && percentile(bare.saveMs, 0.99) / percentile(app.saveMs, 0.99) >= 0.5 ? 'met' : 'MISSED'}`,
    ].join('\n'),
  );
}

function line(name: string, pick: (o: TakerOutcome) => number[], p: number): Measure {
  return {
    name,
    needsDatabase: false,
    async run(ctx): Promise<MeasureResult> {
      const r = await examRun(ctx);
      const value = percentile(pick(r.app), p);
      const baseline = percentile(pick(r.bare), p);
      return {
        name,
        value: round(value, 1),
        unit: 'ms',
        baseline: round(baseline, 1),
        ratio: round(baseline / value),
        n: pick(r.app).length,
      };
    },
  };
}

export const examAutosaveP50Measure = line('exam.autosave-p50', (o) => o.saveMs, 0.5);
export const examAutosaveP99Measure = line('exam.autosave-p99', (o) => o.saveMs, 0.99);
export const examSubmitP50Measure = line('exam.submit-p50', (o) => o.submitMs, 0.5);
export const examSubmitP99Measure = line('exam.submit-p99', (o) => o.submitMs, 0.99);
