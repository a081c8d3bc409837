import { INestApplication } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { getDataSourceToken } from '@nestjs/typeorm';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool, PoolClient } from 'pg';
import { DataSource } from 'typeorm';
import { benchDatabase } from './dataset';
import { bootApp, people, percentile, Query } from './exam.bench';
import { Measure, MeasureContext, MeasureResult, round, Scale } from './measure';

/**
 * Issue 17, "Done when": 500 learners racing for the 30 seats of one session. Every learner
 * sends `POST /api/v1/sessions/:id/bookings` at the same moment through the whole app on a
 * loopback port; beside it, in the same run, the same crowd through a bare SQL transaction on a
 * pool of the app's size (lock the session row, count its booked seats, insert the booking as
 * booked or waitlisted with the next request number, mark the session full) on a second
 * session of its own course. Two lines: p50 and p99 of the sign-up in ms; ratio = bare / app.
 *
 * Afterwards, for both sessions, the check the issue asks for: exactly `seats` booked, the rest
 * waitlisted, and in request order — the request number is taken under the session's lock, so
 * it is the order the sign-ups reached the seat; every booked request precedes every waitlisted
 * one, and each waitlisted learner was told the position their request number gives (1…470,
 * none twice, none missing).
 */

interface SeatShape {
  learners: number;
  seats: number;
}

const SHAPE: Record<Scale, SeatShape> = {
  smoke: { learners: 60, seats: 10 },
  province: { learners: 500, seats: 30 },
  national: { learners: 500, seats: 30 },
};

/** The app's pool size (src/database/data-source-options.ts): the bare side gets the same. */
const POOL_MAX = 10;

/** `yyyy-MM-ddTHH:mm` in Vietnam time, `hours` from now: how the API takes session times. */
function vnIn(hours: number): string {
  return new Date(Date.now() + hours * 3_600_000 + 7 * 3_600_000).toISOString().slice(0, 16);
}

interface SignUp {
  ms: number;
  status: string;
  position: number | null;
  personId: string;
}

/**
 * Through the API, as an officer would: two published classroom courses with one open session
 * each (two days, `seats` seats, sign-up open now), and the learners enrolled in both (in SQL).
 */
async function sessions(
  base: string,
  officer: string,
  q: Query,
  rootId: string,
  personIds: string[],
  seats: number,
): Promise<string[]> {
  const api = async (path: string, body: unknown, expect: number) => {
    const res = await fetch(`${base}/api/v1${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${officer}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const json = (await res.json()) as { id: string };
    if (res.status !== expect)
      throw new Error(`POST ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  const tag = Date.now().toString(36).toUpperCase();
  const ids: string[] = [];
  for (const side of ['app', 'bare']) {
    const code = `LH-${tag}-${side.toUpperCase()}`;
    const course = await api(
      '/courses',
      {
        code,
        title: `Tập huấn chủ tịch công đoàn cơ sở ${code}`,
        deliveryMode: 'classroom',
        durationHours: 16,
        ownerOrgUnitId: rootId,
      },
      201,
    );
    await api(
      `/courses/${course.id}/lessons`,
      { title: 'Bài 1', kind: 'text', content: 'Nội dung' },
      201,
    );
    await api(`/courses/${course.id}/publish`, {}, 200);
    const session = await api(
      `/courses/${course.id}/sessions`,
      {
        title: `Lớp ${code}`,
        days: [
          { startsAt: vnIn(24 * 30), endsAt: vnIn(24 * 30 + 8) },
          { startsAt: vnIn(24 * 31), endsAt: vnIn(24 * 31 + 8) },
        ],
        venue: {
          name: 'Trường Cán bộ Công đoàn',
          address: '65 Quán Sứ, Hoàn Kiếm, Hà Nội',
          room: `P.${tag}-${side}`,
          capacity: seats,
        },
        signupOpensAt: vnIn(-1),
        signupClosesAt: vnIn(24 * 20),
        minSeats: 0,
        maxSeats: seats,
      },
      201,
    );
    await api(`/sessions/${session.id}/open`, {}, 200);
    await q(`INSERT INTO enrolments (course_id, person_id) SELECT $1, unnest($2::uuid[])`, [
      course.id,
      personIds,
    ]);
    ids.push(session.id);
  }
  return ids;
}

/** Every learner signs up at once through the app; one latency and answer each. */
async function raceApp(
  port: number,
  sessionId: string,
  tokens: string[],
  personOf: Map<string, string>,
) {
  const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
  const one = (token: string) =>
    new Promise<SignUp>((resolve, reject) => {
      const started = performance.now();
      const req = http.request(
        {
          host: '127.0.0.1',
          port,
          agent,
          method: 'POST',
          path: `/api/v1/sessions/${sessionId}/bookings`,
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () => {
            const ms = performance.now() - started;
            if (res.statusCode !== 201) {
              reject(new Error(`sign-up: ${res.statusCode} ${text.slice(0, 300)}`));
              return;
            }
            const body = JSON.parse(text) as { status: string; waitlistPosition: number | null };
            resolve({
              ms,
              status: body.status,
              position: body.waitlistPosition,
              personId: personOf.get(token)!,
            });
          });
        },
      );
      req.on('error', reject);
      req.end('{}');
    });
  try {
    return await Promise.all(tokens.map(one));
  } finally {
    agent.destroy();
  }
}

/**
 * The same race through bare SQL: one transaction per learner on a pool of the app's size,
 * doing the seat logic's writes and nothing else (no token, no scope, no audit, no outbox).
 */
async function raceBare(pool: Pool, sessionId: string, personIds: string[]): Promise<SignUp[]> {
  const one = async (personId: string): Promise<SignUp> => {
    const started = performance.now();
    let client: PoolClient | undefined;
    try {
      client = await pool.connect();
      await client.query('BEGIN');
      const {
        rows: [s],
      } = await client.query<{ course_id: string; max_seats: number }>(
        `SELECT course_id, max_seats FROM class_sessions WHERE id = $1 AND status IN ('open', 'full')
         FOR UPDATE`,
        [sessionId],
      );
      const {
        rows: [b],
      } = await client.query<{ status: string; position: number | null }>(
        `WITH n AS (
           SELECT count(*) FILTER (WHERE status = 'booked')::int AS booked
             FROM session_bookings WHERE session_id = $1 AND status IN ('booked', 'waitlisted')
         ), ins AS (
           INSERT INTO session_bookings (session_id, course_id, person_id, status, request_seq)
           SELECT $1, $2, $3, CASE WHEN n.booked < $4 THEN 'booked' ELSE 'waitlisted' END,
                  nextval('session_booking_request_seq')
             FROM n
           RETURNING status, request_seq
         )
         SELECT ins.status, CASE WHEN ins.status = 'waitlisted' THEN
                  (SELECT count(*)::int + 1 FROM session_bookings w
                    WHERE w.session_id = $1 AND w.status = 'waitlisted') END AS position
           FROM ins`,
        [sessionId, s.course_id, personId, s.max_seats],
      );
      await client.query(
        `UPDATE class_sessions SET status = 'full' WHERE id = $1 AND status = 'open'
            AND (SELECT count(*) FROM session_bookings WHERE session_id = $1 AND status = 'booked') >= max_seats`,
        [sessionId],
      );
      await client.query('COMMIT');
      return { ms: performance.now() - started, status: b.status, position: b.position, personId };
    } catch (err) {
      await client?.query('ROLLBACK');
      throw err;
    } finally {
      client?.release();
    }
  };
  return Promise.all(personIds.map(one));
}

/** Exactly `seats` booked, the rest waitlisted, in request order, as each was told. */
async function check(q: Query, label: string, sessionId: string, answers: SignUp[], seats: number) {
  const rows = (await q(
    `SELECT person_id, status, request_seq::int AS seq FROM session_bookings
      WHERE session_id = $1 ORDER BY request_seq`,
    [sessionId],
  )) as { person_id: string; status: string; seq: number }[];
  const problems: string[] = [];
  const booked = rows.filter((r) => r.status === 'booked');
  const waitlisted = rows.filter((r) => r.status === 'waitlisted');
  if (booked.length !== seats) problems.push(`${booked.length} booked, not ${seats}`);
  if (waitlisted.length !== answers.length - seats)
    problems.push(`${waitlisted.length} waitlisted, not ${answers.length - seats}`);
  if (rows.findIndex((r) => r.status === 'waitlisted') !== seats)
    problems.push('a waitlisted request precedes a booked one');
  const told = new Map(answers.map((a) => [a.personId, a]));
  waitlisted.forEach((r, i) => {
    const a = told.get(r.person_id);
    if (a?.status !== 'waitlisted' || a.position !== i + 1)
      problems.push(
        `request ${r.seq} is waitlisted #${i + 1} but was told ${a?.status} #${a?.position}`,
      );
  });
  for (const r of booked) {
    if (told.get(r.person_id)?.status !== 'booked')
      problems.push(`booked ${r.person_id} was told otherwise`);
  }
  const [{ status }] = (await q(`SELECT status FROM class_sessions WHERE id = $1`, [
    sessionId,
  ])) as {
    status: string;
  }[];
  if (status !== 'full') problems.push(`session is ${status}, not full`);
  console.error(
    `seats check (${label}): ${booked.length} booked, ${waitlisted.length} waitlisted in request order, ` +
      `${problems.length} problems`,
  );
  if (problems.length)
    throw new Error(`seats check (${label}):\n${problems.slice(0, 20).join('\n')}`);
}

interface SeatRun {
  app: number[];
  bare: number[];
}

async function runSeats(ctx: MeasureContext): Promise<SeatRun> {
  const shape = SHAPE[ctx.scale];
  const url = await benchDatabase(ctx.databaseUrl!, ctx.scale);
  const app: INestApplication = await bootApp(url, process.env.BENCH_LOG_LEVEL);
  const pool = new Pool({ connectionString: url, max: POOL_MAX });
  const q: Query = async (sql, params) =>
    (await pool.query(sql, params)).rows as Record<string, unknown>[];
  try {
    const ds = app.get<DataSource>(getDataSourceToken());
    await app.listen(0, '127.0.0.1');
    const port = ((app.getHttpServer() as http.Server).address() as AddressInfo).port;
    const who = await people(ds, app.get(JwtService), shape.learners);
    const personIds = who.tokens.map((t) => who.personOf.get(t)!);
    const [appSession, bareSession] = await sessions(
      `http://127.0.0.1:${port}`,
      who.officer,
      q,
      who.rootId,
      personIds,
      shape.seats,
    );
    await q(`ANALYZE session_bookings, class_sessions, enrolments`);
    const bare = await raceBare(pool, bareSession, personIds);
    const ours = await raceApp(port, appSession, who.tokens, who.personOf);
    const row = (label: string, xs: number[]) =>
      `${label} p50 ${round(percentile(xs, 0.5), 1)} ms, p99 ${round(percentile(xs, 0.99), 1)} ms`;
    console.error(
      `seats: ${shape.learners} learners racing for ${shape.seats} seats at once — ` +
        `${row(
          'app',
          ours.map((s) => s.ms),
        )} | ${row(
          'bare SQL',
          bare.map((s) => s.ms),
        )}`,
    );
    await check(q, 'app', appSession, ours, shape.seats);
    await check(q, 'bare', bareSession, bare, shape.seats);
    return { app: ours.map((s) => s.ms), bare: bare.map((s) => s.ms) };
  } finally {
    await pool.end();
    await app.close();
  }
}

/** One race serves both lines. */
let pending: { key: string; run: Promise<SeatRun> } | undefined;
function seatRun(ctx: MeasureContext): Promise<SeatRun> {
  const key = `${ctx.scale} ${ctx.databaseUrl ?? ''}`;
  if (!pending || pending.key !== key) pending = { key, run: runSeats(ctx) };
  return pending.run;
}

function line(name: string, p: number): Measure {
  return {
    name,
    needsDatabase: true,
    async run(ctx): Promise<MeasureResult> {
      const r = await seatRun(ctx);
      const value = percentile(r.app, p);
      const baseline = percentile(r.bare, p);
      return {
        name,
        value: round(value, 1),
        unit: 'ms',
        baseline: round(baseline, 1),
        ratio: round(baseline / value),
        n: r.app.length,
      };
    },
  };
}

export const seatsSignupP50Measure = line('seats.signup-p50', 0.5);
export const seatsSignupP99Measure = line('seats.signup-p99', 0.99);
