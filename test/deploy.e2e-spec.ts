import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { DataSource, MigrationInterface } from 'typeorm';
import { MIGRATIONS } from '../migrations';
import { PipelineFacts1796057059740 } from '../migrations/1796057059740-PipelineFacts';
import { PipelineFactsRepair1796490000100 } from '../migrations/1796490000100-PipelineFactsRepair';
import { PasswordService } from '../src/auth/password.service';
import { APP_CONFIG, AppConfig } from '../src/config/app-config';
import { exclusively } from '../src/database/advisory-lock';
import { dataSourceOptions } from '../src/database/data-source-options';
import {
  isEmbedded,
  pendingMigrations,
  prepareSchema,
  runMigrationsLocked,
  StartupError,
} from '../src/database/schema';
import { startupFailureLine } from '../src/main';
import { PipelineFactsV11796057059740 } from './fixtures/pipeline-facts-v1.migration';
import { PipelineFactsV21796057059740 } from './fixtures/pipeline-facts-v2.migration';
import {
  adminQuery,
  openPgliteCopy,
  PGLITE_EMPTY_DIR_ENV,
  preparedPgliteDir,
  withDatabase,
} from './support/databases';
import { createTestApp, DEMO, TestApp } from './support/test-app';

type Migrations = (new () => MigrationInterface)[];
const baseUrl = process.env.DATABASE_URL;
const onPostgres = !!baseUrl;

/** A fresh, empty database (a copy of an empty PGlite cluster, or a new PostgreSQL database) and its closer. */
async function freshDatabase(
  migrations: Migrations,
): Promise<{ open: () => DataSource; close: () => Promise<void> }> {
  if (baseUrl) {
    const name = `lms_deploy_${randomBytes(5).toString('hex')}`;
    await adminQuery(baseUrl, `CREATE DATABASE "${name}"`);
    const url = withDatabase(baseUrl, name);
    const opened: DataSource[] = [];
    return {
      open: () => {
        const ds = new DataSource(dataSourceOptions({ url }, { migrations }));
        opened.push(ds);
        return ds;
      },
      close: async () => {
        for (const ds of opened) if (ds.isInitialized) await ds.destroy();
        await adminQuery(baseUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      },
    };
  }
  const { pglite, remove } = await openPgliteCopy(preparedPgliteDir(PGLITE_EMPTY_DIR_ENV));
  let ds: DataSource | null = null;
  return {
    open: () => (ds = new DataSource(dataSourceOptions({ pglite }, { migrations }))),
    close: async () => {
      if (ds?.isInitialized) await ds.destroy();
      if (!pglite.closed) await pglite.close();
      remove();
    },
  };
}

/** Triggers, functions and indexes of the public schema, as the catalogue defines them. */
async function catalogue(ds: DataSource): Promise<string[]> {
  const rows = await ds.query<{ def: string }[]>(
    `SELECT 'trigger ' || c.relname || '.' || t.tgname || ': ' || pg_get_triggerdef(t.oid) AS def
       FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE NOT t.tgisinternal AND n.nspname = 'public'
     UNION ALL
     SELECT 'function ' || p.proname || ': ' || pg_get_functiondef(p.oid)
       FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
      WHERE n.nspname = 'public' AND p.prokind = 'f'
     UNION ALL
     SELECT 'index ' || indexname || ': ' || indexdef FROM pg_indexes WHERE schemaname = 'public'
     ORDER BY 1`,
  );
  return rows.map((r) => r.def);
}

const withoutRepair = MIGRATIONS.filter((m) => m !== PipelineFactsRepair1796490000100);
const withPipelineFacts = (version: new () => MigrationInterface): Migrations =>
  withoutRepair.map((m) => (m === PipelineFacts1796057059740 ? version : m));

/** The DataSource now knows every migration of the code (as a newer build would). */
function knowAll(ds: DataSource): void {
  (ds as { migrations: MigrationInterface[] }).migrations = MIGRATIONS.map((M) => new M());
}

/** Migrates a fresh database with `migrations`, then runs the repair by hand. */
async function beforeAndAfterRepair(
  migrations: Migrations,
): Promise<{ before: string[]; after: string[] }> {
  const db = await freshDatabase(migrations);
  try {
    const ds = await db.open().initialize();
    await ds.runMigrations({ transaction: 'each' });
    const before = await catalogue(ds);
    const runner = ds.createQueryRunner();
    try {
      await new PipelineFactsRepair1796490000100().up(runner);
    } finally {
      await runner.release();
    }
    return { before, after: await catalogue(ds) };
  } finally {
    await db.close();
  }
}

describe(`deployment (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  jest.setTimeout(240_000);

  describe('the repair of the edited PipelineFacts migration', () => {
    let current: { before: string[]; after: string[] };
    beforeAll(async () => {
      current = await beforeAndAfterRepair(withoutRepair);
    });

    it('changes nothing on a database that ran the final version', () => {
      expect(current.after).toEqual(current.before);
      expect(current.after.join('\n')).toContain('ix_pipeline_nominee_facts_box');
      expect(current.after.join('\n')).toMatch(
        /tr_pipeline_mark_unit.*old\.status IS DISTINCT FROM new\.status/i,
      );
    });

    it.each([
      ['1 (d64ec86)', PipelineFactsV11796057059740],
      ['2 (9a9dd05)', PipelineFactsV21796057059740],
    ])(
      'brings a database that ran version %s to the same triggers, functions and indexes',
      async (_label, version) => {
        const old = await beforeAndAfterRepair(withPipelineFacts(version));
        expect(old.before).not.toEqual(current.before);
        expect(old.after).toEqual(current.after);
      },
    );

    it('runs as a registered migration and marks the facts for a rebuild', async () => {
      const db = await freshDatabase(withPipelineFacts(PipelineFactsV11796057059740));
      try {
        const ds = await db.open().initialize();
        await ds.runMigrations({ transaction: 'each' });
        await ds.query(`UPDATE pipeline_facts_state SET as_of = '2026-01-01' WHERE id = 1`);
        knowAll(ds);
        const applied = await runMigrationsLocked(ds);
        expect(applied.map((m) => m.name)).toEqual(['PipelineFactsRepair1796490000100']);
        const [state] = await ds.query<{ as_of: string | null }[]>(
          `SELECT as_of FROM pipeline_facts_state WHERE id = 1`,
        );
        expect(state?.as_of).toBeNull();
        expect(await catalogue(ds)).toEqual(current.after);
      } finally {
        await db.close();
      }
    });
  });

  describe('migrations as a release step', () => {
    it(
      onPostgres
        ? 'two runners started together on a fresh database both succeed, each migration once'
        : 'the embedded database (one connection, one process) migrates without a lock',
      async () => {
        const db = await freshDatabase(MIGRATIONS);
        try {
          if (onPostgres) {
            const [a, b] = [await db.open().initialize(), await db.open().initialize()];
            expect(isEmbedded(a)).toBe(false);
            const [ra, rb] = await Promise.all([runMigrationsLocked(a), runMigrationsLocked(b)]);
            expect(ra.length + rb.length).toBe(MIGRATIONS.length);
            const rows = await a.query<{ name: string; n: number }[]>(
              `SELECT name, count(*)::int AS n FROM migrations GROUP BY name`,
            );
            expect(rows).toHaveLength(MIGRATIONS.length);
            expect(rows.every((r) => r.n === 1)).toBe(true);
            expect(await pendingMigrations(b)).toEqual([]);
          } else {
            const ds = await db.open().initialize();
            expect(isEmbedded(ds)).toBe(true);
            const applied = await runMigrationsLocked(ds);
            expect(applied).toHaveLength(MIGRATIONS.length);
            expect(await runMigrationsLocked(ds)).toHaveLength(0);
          }
        } finally {
          await db.close();
        }
      },
    );

    it('a start without MIGRATE_ON_START refuses a schema older than the code, in one line', async () => {
      const db = await freshDatabase(withoutRepair);
      try {
        const ds = await db.open().initialize();
        await ds.runMigrations({ transaction: 'each' });
        knowAll(ds); // the code is one migration ahead of this database
        expect(await pendingMigrations(ds)).toEqual(['PipelineFactsRepair1796490000100']);
        let refusal: unknown;
        await prepareSchema(ds, { migrateOnStart: false }).catch((e: unknown) => (refusal = e));
        expect(refusal).toBeInstanceOf(StartupError);
        const line = startupFailureLine(refusal);
        expect(line).toMatch(/older than the code.*PipelineFactsRepair1796490000100/);
        expect(line).not.toContain('\n');
        expect((await prepareSchema(ds, { migrateOnStart: true })).applied).toEqual([
          'PipelineFactsRepair1796490000100',
        ]);
        expect(await prepareSchema(ds, { migrateOnStart: false })).toEqual({ applied: [] });
      } finally {
        await db.close();
      }
    });
  });

  it(
    onPostgres
      ? 'a scan runs on one replica at a time: the other skips while the lock is held'
      : 'a scan on the embedded database (one process) runs without a lock',
    async () => {
      const db = await freshDatabase([]);
      try {
        const a = await db.open().initialize();
        const task = jest.fn().mockResolvedValue('ran');
        if (onPostgres) {
          const b = await db.open().initialize();
          let inner: unknown;
          const outer = await exclusively(
            a,
            'lms:test-scan',
          )(async () => {
            inner = await exclusively(b, 'lms:test-scan')(task);
            return 'outer ran';
          });
          expect(outer).toBe('outer ran');
          expect(inner).toEqual({ skipped: 'locked', lock: 'lms:test-scan' });
          expect(task).not.toHaveBeenCalled();
          // Released after the run: the next tick of the other replica runs.
          expect(await exclusively(b, 'lms:test-scan')(task)).toBe('ran');
        } else {
          expect(await exclusively(a, 'lms:test-scan')(task)).toBe('ran');
        }
        expect(task).toHaveBeenCalledTimes(1);
      } finally {
        await db.close();
      }
    },
  );

  describe('production never runs the demo', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp();
    });
    afterAll(() => t?.close());

    it('an account that still has the demo password cannot sign in (403 DEMO_PASSWORD_REFUSED)', async () => {
      const config = t.app.get<AppConfig>(APP_CONFIG);
      config.env = 'production';
      try {
        const res = await t.http
          .post('/api/v1/auth/login')
          .send({ email: DEMO.chair, password: 'Demo@2026' });
        expect(res.status).toBe(403);
        expect(res.body).toMatchObject({ statusCode: 403, code: 'DEMO_PASSWORD_REFUSED' });
        const hash = await new PasswordService().hash('Another#2026');
        await t.dataSource.query(`UPDATE user_accounts SET password_hash = $2 WHERE email = $1`, [
          DEMO.chair,
          hash,
        ]);
        await t.login(DEMO.chair, 'Another#2026');
      } finally {
        config.env = 'test';
      }
    });

    it('the start refuses NODE_ENV=production without DATABASE_URL: one line, exit 1', () => {
      const root = join(__dirname, '..');
      const result = spawnSync(process.execPath, ['-r', '@swc-node/register', 'src/main.ts'], {
        cwd: root,
        encoding: 'utf8',
        timeout: 120_000,
        env: {
          PATH: process.env.PATH,
          NODE_ENV: 'production',
          JWT_SECRET: 'x'.repeat(40),
          NOTIFY_CHANNEL: 'log',
          PORT: '0',
        },
      });
      expect(result.status).toBe(1);
      const lines = result.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/cannot start: .*DATABASE_URL is required/);
      expect(result.stdout).toBe('');
    });
  });
});
