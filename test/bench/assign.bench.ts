import { INestApplication } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { getDataSourceToken } from '@nestjs/typeorm';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module';
import { configureApp } from '../../src/app.setup';
import { Actor } from '../../src/auth/actor';
import { PasswordService } from '../../src/auth/password.service';
import { APP_CONFIG, loadConfig } from '../../src/config/app-config';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { AssignmentJobsWorker } from '../../src/programmes/assignment-jobs.worker';
import { AssignmentsService } from '../../src/programmes/assignments.service';
import { audienceSql } from '../../src/programmes/audience.sql';
import { MY_ASSIGNMENTS_SQL, toMyAssignment } from '../../src/programmes/progress.service';
import { benchDatabase, once, SHAPES } from './dataset';
import { Measure, MeasureResult, round, Scale } from './measure';
import { todayVn } from '../../src/common/dates/vietnam-dates';

export const PROGRAMME_CODE = 'B-PROG-CHAIRS';
const COURSES = ['B-K01', 'B-K02', 'B-K03'];
const LEARNER_EMAIL = 'bench.chair@lms.congdoan.test';
const LEARNER_PASSWORD = 'Bench@2026-learner';

/**
 * A chair post and a current appointment in every grassroots union (the unit's first person).
 * The heatmap measure makes the same rows in its 'competencies' step; both are idempotent
 * (ON CONFLICT / NOT EXISTS), so whichever runs first creates them and the other reuses them.
 */
async function generateChairs(ds: DataSource, scale: Scale): Promise<void> {
  const { p } = SHAPES[scale];
  await ds.transaction(async (em) => {
    await em.query(
      `INSERT INTO posts (org_unit_id, post_type, title, employment, single_holder, key_post)
       SELECT id, 'chair', 'Chủ tịch', 'part_time', true, true
         FROM org_units WHERE level = 'grassroots'
       ON CONFLICT (org_unit_id, post_type, title) WHERE status = 'active' DO NOTHING`,
    );
    await em.query(
      `INSERT INTO appointments (person_id, post_id, method, start_date, status)
       SELECT pe.id, po.id, 'elected', DATE '2023-07-01', 'active'
         FROM org_units gr
         JOIN posts po ON po.org_unit_id = gr.id AND po.post_type = 'chair' AND po.title = 'Chủ tịch'
         JOIN people pe ON pe.national_id = lpad((gr.seq * $1)::text, 12, '0')
        WHERE gr.level = 'grassroots'
          AND NOT EXISTS (SELECT 1 FROM appointments a WHERE a.post_id = po.id)`,
      [p],
    );
  });
  await ds.query('ANALYZE');
}

/** Three published courses and a published programme of them (one set, in order). */
async function generateProgramme(ds: DataSource): Promise<void> {
  await ds.transaction(async (em) => {
    await em.query(
      `INSERT INTO courses (code, title, delivery_mode, duration_hours, owner_org_unit_id, status,
                            published_at)
       SELECT x.code, 'Khóa học ' || x.code, 'online', 8, o.id, 'published', now()
         FROM unnest($1::text[]) AS x(code), org_units o WHERE o.seq = 1`,
      [COURSES],
    );
    await em.query(
      `WITH pr AS (
         INSERT INTO programmes (code, title, owner_org_unit_id, due_rule_kind, due_days, status,
                                 published_at)
         SELECT $1, 'Bồi dưỡng chủ tịch CĐCS (bench)', id, 'days_after_assignment', 90,
                'published', now()
           FROM org_units WHERE seq = 1 RETURNING id
       ), s AS (
         INSERT INTO programme_course_sets (programme_id, position, rule)
         SELECT id, 1, 'all_in_order' FROM pr RETURNING id
       )
       INSERT INTO programme_set_courses (set_id, course_id, position)
       SELECT s.id, c.id, x.pos FROM s
         CROSS JOIN unnest($2::text[]) WITH ORDINALITY AS x(code, pos)
         JOIN courses c ON c.code = x.code`,
      [PROGRAMME_CODE, COURSES],
    );
  });
}

/** A sign-in for one chair, the learner whose list the throughput measure asks for. */
async function generateLearner(ds: DataSource): Promise<void> {
  const hash = await new PasswordService().hash(LEARNER_PASSWORD);
  await ds.query(
    `WITH chair AS (
       SELECT a.person_id, pe.home_org_unit_id FROM appointments a
         JOIN posts po ON po.id = a.post_id AND po.post_type = 'chair'
         JOIN people pe ON pe.id = a.person_id
        ORDER BY pe.national_id LIMIT 1
     ), u AS (
       INSERT INTO user_accounts (email, password_hash, person_id)
       SELECT $1, $2, person_id FROM chair RETURNING id
     )
     INSERT INTO role_grants (user_id, role, org_unit_id)
     SELECT u.id, 'learner', chair.home_org_unit_id FROM u, chair`,
    [LEARNER_EMAIL, hash],
  );
}

export async function prepare(databaseUrl: string, scale: Scale): Promise<string> {
  const url = await benchDatabase(databaseUrl, scale);
  const ds = new DataSource(dataSourceOptions({ url }));
  await ds.initialize();
  try {
    await once(ds, 'chairs', () => generateChairs(ds, scale));
    await once(ds, 'programme', () => generateProgramme(ds));
    await once(ds, 'learner', () => generateLearner(ds));
  } finally {
    await ds.destroy();
  }
  return url;
}

export async function bootApp(url: string): Promise<INestApplication> {
  const config = loadConfig({
    ...process.env,
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: url,
    SEED_DEMO: 'false',
    LOGIN_IP_LIMIT_PER_MINUTE: '100000',
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

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * Assigning the 3-course programme to every grassroots chair (~150k at national scale) through
 * the real service path — AssignmentsService.create: scope checks, the audience count, the 202
 * job, the worker's claim and its batched run in one transaction with the "assigned" messages —
 * timed until the job is done (what the officer waits for; nothing of the run is left after it);
 * beside ONE bare statement writing the same member rows and enrolments (the same audience SQL,
 * INSERT … SELECT … RETURNING into INSERT … SELECT) through a bare pg Pool — the baseline
 * writes no messages, so the 149,600 queued e-mails are part of what the ratio charges us for.
 * Each run starts from a clean state (the previous run's rows, messages included, deleted
 * outside the timing); median of 3, alternating.
 */
export const assignMeasure: Measure = {
  name: 'programmes.assign-chairs',
  needsDatabase: true,
  async run({ scale, databaseUrl }): Promise<MeasureResult> {
    const url = await prepare(databaseUrl!, scale);
    const app = await bootApp(url);
    const pool = new Pool({ connectionString: url, max: 2 });
    try {
      const ds = app.get<DataSource>(getDataSourceToken());
      const [root] = await ds.query<{ id: string; path: string }[]>(
        `SELECT id, path FROM org_units WHERE seq = 1`,
      );
      const [programme] = await ds.query<{ id: string }[]>(
        `SELECT id FROM programmes WHERE code = $1`,
        [PROGRAMME_CODE],
      );
      const courseIds = (
        await ds.query<{ id: string }[]>(
          `SELECT c.id FROM programme_set_courses sc
             JOIN programme_course_sets s ON s.id = sc.set_id
             JOIN courses c ON c.id = sc.course_id
            WHERE s.programme_id = $1 ORDER BY sc.position`,
          [programme.id],
        )
      ).map((r) => r.id);
      const actor = new Actor(
        '00000000-0000-4000-8000-000000000001',
        '00000000-0000-4000-8000-000000000002',
        'bench@lms.congdoan.test',
        '00000000-0000-4000-8000-000000000003',
        [{ role: 'admin', orgUnitId: root.id, path: root.path }],
      );
      const assignments = app.get(AssignmentsService);
      const worker = app.get(AssignmentJobsWorker);
      const audience = { orgUnitId: root.id, postTypes: ['chair'] };

      const clean = async () => {
        await pool.query(`DELETE FROM enrolments WHERE course_id = ANY($1::uuid[])`, [courseIds]);
        await pool.query(
          `DELETE FROM assignment_members WHERE assignment_id IN
             (SELECT id FROM programme_assignments WHERE programme_id = $1)`,
          [programme.id],
        );
        await pool.query(`DELETE FROM assignment_also_targets WHERE programme_id = $1`, [
          programme.id,
        ]);
        await pool.query(
          `DELETE FROM assignment_jobs WHERE assignment_id IN
             (SELECT id FROM programme_assignments WHERE programme_id = $1)`,
          [programme.id],
        );
        await pool.query(`DELETE FROM programme_assignments WHERE programme_id = $1`, [
          programme.id,
        ]);
        // The run's "assigned" messages too: left in place, the next run would merge into them
        // (another statement path) instead of writing fresh ones as a real first run does.
        await pool.query(
          `DELETE FROM notification_outbox WHERE event = 'assigned'
              AND payload->'programmes' @> $1::jsonb`,
          [JSON.stringify([{ programmeId: programme.id }])],
        );
        await pool.query(`VACUUM ANALYZE enrolments, assignment_members, notification_outbox`);
      };
      const memberCount = async () => {
        const { rows } = await pool.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM assignment_members m
             JOIN programme_assignments a ON a.id = m.assignment_id WHERE a.programme_id = $1`,
          [programme.id],
        );
        return rows[0].n;
      };

      // Timed until the job reports done (its members and enrolments committed: the people are
      // assigned). Its "assigned" messages are queued right after, in their own transaction:
      // awaited before the next iteration, timed apart and printed.
      const notifyMs: number[] = [];
      const ours = async () => {
        await clean();
        const t0 = process.hrtime.bigint();
        const finished = new Promise<string>((resolve) => {
          worker.onFinished = (p) => resolve(p.status);
        });
        const notified = new Promise<number | null>((resolve) => {
          worker.onNotified = (p) => resolve(p.messages);
        });
        const outcome = await assignments.create(actor, programme.id, { audience });
        let s: number;
        if (outcome.kind === 'job') {
          const status = await finished;
          const tDone = process.hrtime.bigint();
          if (status !== 'done') throw new Error(`assignment job ended ${status}`);
          s = Number(tDone - t0) / 1e9;
          await notified;
          notifyMs.push(Number(process.hrtime.bigint() - tDone) / 1e6);
        } else {
          // Up to the job threshold (smoke scale) the run is synchronous, messages included.
          s = Number(process.hrtime.bigint() - t0) / 1e9;
          notifyMs.push(0);
        }
        worker.onFinished = null;
        worker.onNotified = null;
        const rows = await memberCount();
        const { rows: told } = await pool.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM notification_outbox WHERE event = 'assigned'
              AND payload->'programmes' @> $1::jsonb`,
          [JSON.stringify([{ programmeId: programme.id }])],
        );
        if (told[0].n !== rows) throw new Error(`assign: ${told[0].n} messages, ${rows} members`);
        return { s, rows };
      };
      const bare = async () => {
        await clean();
        const { rows } = await pool.query<{ id: string }>(
          `INSERT INTO programme_assignments (programme_id, org_unit_id, audience, due_rule_kind,
                                              due_days, status)
           VALUES ($1, $2, $3::jsonb, 'days_after_assignment', 90, 'assigned') RETURNING id`,
          [programme.id, root.id, JSON.stringify({ postTypes: ['chair'] })],
        );
        const aud = audienceSql({ postTypes: ['chair'] }, root.path, todayVn(), 5);
        const t0 = process.hrtime.bigint();
        // The same result as ours: members with their programme, enrolments with the due date.
        await pool.query(
          `WITH m AS (
             INSERT INTO assignment_members (assignment_id, programme_id, person_id, cycle,
                                             org_path, due_on)
             SELECT $1, $4, a.person_id, 1, a.org_path, $2::date + 90 FROM (${aud.sql}) a
             RETURNING person_id, due_on
           )
           INSERT INTO enrolments (course_id, person_id, due_on)
           SELECT c.course_id, m.person_id, m.due_on
             FROM m CROSS JOIN unnest($3::uuid[]) AS c(course_id)
           ON CONFLICT DO NOTHING`,
          [rows[0].id, todayVn(), courseIds, programme.id, ...aud.params],
        );
        const s = Number(process.hrtime.bigint() - t0) / 1e9;
        return { s, rows: await memberCount() };
      };

      const n = 3;
      const oursS: number[] = [];
      const bareS: number[] = [];
      let members = 0;
      for (let i = 0; i < n; i += 1) {
        const b = await bare();
        bareS.push(b.s);
        const o = await ours();
        oursS.push(o.s);
        if (o.rows !== b.rows) throw new Error(`assign: ${o.rows} members ours, ${b.rows} bare`);
        members = o.rows;
      }
      const value = median(oursS);
      const baseline = median(bareS);
      console.error(
        `assign: ${members} members × ${courseIds.length} courses each run; ` +
          `"assigned" messages queued after the commit in ${round(median(notifyMs) / 1000, 2)} s`,
      );
      return {
        name: this.name,
        value: round(value, 2),
        unit: 's',
        baseline: round(baseline, 2),
        ratio: round(value / baseline),
        n,
      };
    } finally {
      await pool.end();
      await app.close();
    }
  },
};

/** 50 concurrent keep-alive clients, each sending GET `path` back to back for `seconds`. */
async function hammer(
  port: number,
  path: string,
  headers: Record<string, string>,
  seconds: number,
): Promise<number> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 50 });
  const until = Date.now() + seconds * 1000;
  let done = 0;
  const one = () =>
    new Promise<void>((resolve, reject) => {
      const req = http.request(
        { host: '127.0.0.1', port, path, method: 'GET', headers, agent },
        (res) => {
          res.resume();
          res.on('end', () => {
            if (res.statusCode !== 200) reject(new Error(`${path}: ${res.statusCode}`));
            else resolve();
          });
        },
      );
      req.on('error', reject);
      req.end();
    });
  const t0 = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: 50 }, async () => {
      while (Date.now() < until) {
        await one();
        done += 1;
      }
    }),
  );
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  agent.destroy();
  return done / s;
}

/**
 * GET /api/v1/me/assignments at 50 concurrent requests through the whole Nest app on a loopback
 * port (authentication, actor, the one query, mapping), beside a bare node:http server with a pg
 * Pool of the same size answering the same statement for the same person. Requests per second;
 * ratio = ours / bare (higher is better here).
 */
export const meAssignmentsMeasure: Measure = {
  name: 'programmes.me-assignments',
  needsDatabase: true,
  async run({ scale, databaseUrl }): Promise<MeasureResult> {
    const url = await prepare(databaseUrl!, scale);
    const app = await bootApp(url);
    const pool = new Pool({ connectionString: url, max: 10 });
    const bareServer = http.createServer((req, res) => {
      pool
        .query(MY_ASSIGNMENTS_SQL, [personId, todayVn()])
        .then(({ rows }) => {
          const body = JSON.stringify({ items: rows.map(toMyAssignment) });
          res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
          res.end(body);
        })
        .catch(() => {
          res.writeHead(500);
          res.end();
        });
    });
    let personId = '';
    try {
      const ds = app.get<DataSource>(getDataSourceToken());
      const [learner] = await ds.query<{ person_id: string }[]>(
        `SELECT person_id FROM user_accounts WHERE email = $1`,
        [LEARNER_EMAIL],
      );
      personId = learner.person_id;
      // The learner holds the programme (the assign measure leaves it; a direct run otherwise).
      const [held] = await ds.query<unknown[]>(
        `SELECT 1 FROM assignment_members WHERE person_id = $1 AND targeted`,
        [personId],
      );
      if (!held) {
        const [root] = await ds.query<{ id: string; path: string }[]>(
          `SELECT id, path FROM org_units WHERE seq = 1`,
        );
        const [programme] = await ds.query<{ id: string }[]>(
          `SELECT id FROM programmes WHERE code = $1`,
          [PROGRAMME_CODE],
        );
        const actor = new Actor(
          '00000000-0000-4000-8000-000000000001',
          '00000000-0000-4000-8000-000000000002',
          'bench@lms.congdoan.test',
          '00000000-0000-4000-8000-000000000003',
          [{ role: 'admin', orgUnitId: root.id, path: root.path }],
        );
        await app.get(AssignmentsService).create(actor, programme.id, {
          audience: { orgUnitId: root.id, personIds: [personId] },
        });
      }
      await app.listen(0, '127.0.0.1');
      const port = (app.getHttpServer() as http.Server).address() as AddressInfo;
      const login = await fetch(`http://127.0.0.1:${port.port}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: LEARNER_EMAIL, password: LEARNER_PASSWORD }),
      });
      const { accessToken } = (await login.json()) as { accessToken: string };
      const mine = await fetch(`http://127.0.0.1:${port.port}/api/v1/me/assignments`, {
        headers: { authorization: `Bearer ${accessToken}` },
      });
      const items = ((await mine.json()) as { items: unknown[] }).items;
      if (!items.length) throw new Error('me/assignments: the bench learner holds no programme');
      await new Promise<void>((resolve) => bareServer.listen(0, '127.0.0.1', resolve));
      const barePort = (bareServer.address() as AddressInfo).port;

      const seconds = scale === 'smoke' ? 2 : 5;
      const auth = { authorization: `Bearer ${accessToken}` };
      await hammer(port.port, '/api/v1/me/assignments', auth, 1); // warm-up
      await hammer(barePort, '/', {}, 1);
      const bare = await hammer(barePort, '/', {}, seconds);
      const ours = await hammer(port.port, '/api/v1/me/assignments', auth, seconds);
      return {
        name: this.name,
        value: round(ours, 0),
        unit: 'req/s',
        baseline: round(bare, 0),
        ratio: round(ours / bare),
        n: 50,
      };
    } finally {
      await new Promise<void>((resolve) => bareServer.close(() => resolve()));
      await pool.end();
      await app.close();
    }
  },
};
