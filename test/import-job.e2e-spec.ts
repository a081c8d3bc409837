import { PGlite } from '@electric-sql/pglite';
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../src/database/data-source-options';
import { expectError } from './expect-error';
import {
  adminQuery,
  copyPgliteDir,
  PGLITE_DIR_ENV,
  preparedPgliteDir,
  TEMPLATE_DB_ENV,
  withDatabase,
} from './support/databases';
import { cccd, csvOf } from './support/import-files';
import { bearer, createTestApp, TestApp } from './support/test-app';

jest.setTimeout(180_000);

const HEADER = ['Họ và tên', 'Ngày sinh', 'Giới tính', 'Số CCCD', 'Đơn vị'];

/** `n` people of unit `unit`, each with a valid and distinct CCCD (serials from `from`). */
function peopleCsv(n: number, from: number, unit: string): Buffer {
  const rows: string[][] = [HEADER];
  for (let i = 0; i < n; i++) {
    const year = 1970 + (i % 30);
    const gender = i % 2 ? 'female' : 'male';
    rows.push([
      `Nguyễn ${gender === 'female' ? 'Thị' : 'Văn'} Số${i}`,
      `0${1 + (i % 9)}/0${1 + (i % 9)}/${year}`,
      gender === 'female' ? 'Nữ' : 'Nam',
      cccd(year, gender, from + i),
      unit,
    ]);
  }
  return csvOf(rows);
}

describe('import jobs', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });

  afterAll(async () => {
    await t.close();
  });

  it('runs a file above 5,000 rows as a job: 202, progress polled, then done', async () => {
    const res = await t.http
      .post('/api/v1/imports')
      .set(bearer(t.tokens.hrHanoi))
      .field('kind', 'people')
      .field('mode', 'commit')
      .attach('file', peopleCsv(5_200, 900_000, 'HN-HD-MAY'), 'ca-nuoc.csv')
      .expect(202);
    // Queued when answered; the job scan may already have claimed it (staging) by the time the
    // answer is written, as it did once on a loaded CI machine.
    expect(res.body).toMatchObject({ rowsDone: 0, mode: 'commit' });
    expect(['queued', 'staging']).toContain(res.body.state);
    const id = res.body.id as string;
    const seen: { state: string; rowsDone: number; rowsTotal: number | null }[] = [];
    for (let i = 0; i < 600; i++) {
      const poll = await t.http.get(`/api/v1/imports/${id}`).set(bearer(t.tokens.hrHanoi));
      expect(poll.status).toBe(200);
      seen.push(poll.body);
      if (['done', 'failed', 'rolled_back'].includes(poll.body.state as string)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const last = seen[seen.length - 1];
    expect(last).toMatchObject({
      state: 'done',
      rowsDone: 5_200,
      rowsTotal: 5_200,
      totals: { created: 5_200, updated: 0, unchanged: 0, error: 0, total: 5_200 },
    });
    // Progress only grows.
    const done = seen.map((s) => s.rowsDone);
    expect([...done].sort((a, b) => a - b)).toEqual(done);
    const [count] = await t.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM people WHERE full_name LIKE 'Nguyễn % Số%'`,
    );
    expect(count.n).toBe(5_200);
    // Another caller's scope does not reach it.
    expectError(
      await t.http.get(`/api/v1/imports/${id}`).set(bearer(t.tokens.chair)),
      403,
      'FORBIDDEN',
    );
  });
});

/**
 * The crash test: the app runs in a child process; the job pauses after its first staged batch
 * (a test hook); the test kill -9s the process there and finds nothing of the file written;
 * the app boots again, claims the orphaned job (stale heartbeat) and completes it, once.
 */
describe('import job killed mid-way', () => {
  let url: string | undefined;
  let dataDir: string | undefined;
  let fileDir: string;
  let drop: (() => Promise<void>) | undefined;

  const withDb = async <T>(fn: (ds: DataSource) => Promise<T>): Promise<T> => {
    let pglite: PGlite | undefined;
    let ds: DataSource;
    if (url) {
      ds = new DataSource(dataSourceOptions({ url }));
    } else {
      pglite = new PGlite(dataDir);
      await pglite.waitReady;
      ds = new DataSource(dataSourceOptions({ pglite }));
    }
    await ds.initialize();
    try {
      return await fn(ds);
    } finally {
      await ds.destroy();
      await pglite?.close();
    }
  };

  const startChild = (env: Record<string, string>): { child: ChildProcess; lines: string[] } => {
    const child = spawn(
      process.execPath,
      ['-r', '@swc-node/register', 'test/support/import-job-child.ts'],
      {
        cwd: join(__dirname, '..'),
        env: {
          ...process.env,
          NODE_ENV: 'test',
          LOG_LEVEL: 'silent',
          SEED_DEMO: 'false',
          IMPORT_BATCH_SIZE: '500',
          IMPORT_JOB_POLL_MS: '100',
          IMPORT_JOB_STALE_SECONDS: '1',
          ...(url ? { DATABASE_URL: url } : { DATABASE_URL: '', DATA_DIR: dataDir! }),
          ...env,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const lines: string[] = [];
    let buffer = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      const parts = buffer.split('\n');
      buffer = parts.pop()!;
      lines.push(...parts);
    });
    child.stderr.on('data', (chunk: Buffer) => process.stderr.write(chunk));
    return { child, lines };
  };

  const waitFor = async (lines: string[], test: (l: string) => boolean, what: string) => {
    for (let i = 0; i < 2400; i += 1) {
      if (lines.some(test)) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`timed out waiting for ${what}; got ${lines.join(' | ')}`);
  };

  const exited = (child: ChildProcess) =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve();
      else child.once('exit', () => resolve());
    });

  beforeAll(async () => {
    fileDir = mkdtempSync(join(tmpdir(), 'lms-import-job-'));
    const baseUrl = process.env.DATABASE_URL;
    if (baseUrl) {
      const name = `lms_t_${randomBytes(6).toString('hex')}`;
      await adminQuery(
        baseUrl,
        `CREATE DATABASE "${name}" TEMPLATE "${process.env[TEMPLATE_DB_ENV]!}"`,
      );
      url = withDatabase(baseUrl, name);
      drop = () => adminQuery(baseUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    } else {
      const copy = copyPgliteDir(preparedPgliteDir(PGLITE_DIR_ENV));
      dataDir = copy.dir;
      drop = async () => copy.remove();
    }
  });

  afterAll(async () => {
    await drop?.();
    rmSync(fileDir, { recursive: true, force: true });
  });

  it('leaves nothing of the file written, then completes exactly once after a restart', async () => {
    const rows = 6_000;
    const filePath = join(fileDir, 'upload-1');
    writeFileSync(filePath, peopleCsv(rows, 700_000, 'HN-HD'));
    const importId = await withDb(async (ds) => {
      const [rec] = await ds.query<{ id: string }[]>(
        `INSERT INTO imports (mode, on_error, state, file_name, file_path, file_format, file_bytes,
                              requested_kind, actor_user_id, actor_person_id, scope_paths,
                              org_unit_id)
         SELECT 'commit', 'all-or-none', 'queued', 'ca-nuoc.csv', $1, 'csv', 1, 'people',
                u.id, u.person_id, ARRAY[o.path], o.id
           FROM user_accounts u, org_units o
          WHERE u.email = 'hr.hanoi@lms.congdoan.test' AND o.code = 'HN'
         RETURNING id`,
        [filePath],
      );
      return rec.id;
    });
    const state = () =>
      withDb(async (ds) => {
        const [row] = await ds.query<
          {
            people: number;
            state: string;
            attempts: number;
            created: number | null;
            staged: number;
          }[]
        >(
          `SELECT (SELECT count(*)::int FROM people WHERE full_name LIKE 'Nguyễn % Số%') AS people,
                  (SELECT count(*)::int FROM import_rows WHERE import_id = i.id) AS staged,
                  i.state, i.attempts, (i.totals->'all'->>'created')::int AS created
             FROM imports i WHERE i.id = $1`,
          [importId],
        );
        return row;
      });

    const first = startChild({ IMPORT_JOB_TEST_DELAY_MS: '60000' });
    await waitFor(
      first.lines,
      (l) => l.startsWith('progress') && l.includes('"rowsDone":500'),
      'the first batch',
    );
    first.child.kill('SIGKILL');
    await exited(first.child);

    expect(await state()).toEqual({
      people: 0,
      staged: 0,
      state: 'staging',
      attempts: 1,
      created: null,
    });

    await new Promise((r) => setTimeout(r, 1200)); // the heartbeat goes stale
    const second = startChild({});
    await waitFor(second.lines, (l) => l.startsWith('finished'), 'the import to finish');
    expect(second.lines.find((l) => l.startsWith('finished'))).toContain('"state":"done"');
    second.child.kill('SIGTERM');
    await exited(second.child);

    expect(await state()).toEqual({
      people: rows,
      staged: rows,
      state: 'done',
      attempts: 2,
      created: rows,
    });
    const audits = await withDb((ds) =>
      ds.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM audit_log WHERE action = 'import.commit' AND entity_id = $1`,
        [importId],
      ),
    );
    expect(audits[0].n).toBe(1);
  });
});
