import type { DataSource, Migration } from 'typeorm';

/**
 * The session advisory lock every migration run takes on PostgreSQL (npm run migration:run and
 * a start with MIGRATE_ON_START), so replicas that start together, or a release step that runs
 * beside a start, apply each migration once and never race on the migrations table.
 */
export const MIGRATION_LOCK_SQL = `hashtextextended('lms:migrations', 0)`;

/** A start-up refusal: main.ts prints its message as one line and exits non-zero. */
export class StartupError extends Error {
  readonly startup = true;
}

/**
 * Whether the DataSource talks to the embedded database (one connection, one process: nothing
 * to lock against, and a held session would starve every other query).
 */
export function isEmbedded(dataSource: DataSource): boolean {
  return !(dataSource.options as { url?: string }).url;
}

/**
 * Applies pending migrations, each in its own transaction. On PostgreSQL under a session
 * advisory lock held on a connection of its own: a second runner waits, then finds nothing
 * pending. On the embedded database there is one process and one connection: no lock.
 */
export async function runMigrationsLocked(dataSource: DataSource): Promise<Migration[]> {
  if (isEmbedded(dataSource)) return dataSource.runMigrations({ transaction: 'each' });
  const session = dataSource.createQueryRunner();
  try {
    await session.connect();
    await session.query(`SELECT pg_advisory_lock(${MIGRATION_LOCK_SQL})`);
    try {
      return await dataSource.runMigrations({ transaction: 'each' });
    } finally {
      await session.query(`SELECT pg_advisory_unlock(${MIGRATION_LOCK_SQL})`);
    }
  } finally {
    await session.release();
  }
}

/**
 * What a start does with the schema: apply what is pending (MIGRATE_ON_START), or refuse to
 * serve a schema older than the code. A schema newer than the code (a migration this build
 * does not know) is served: the release order is migrate, then roll the replicas.
 */
export async function prepareSchema(
  dataSource: DataSource,
  options: { migrateOnStart: boolean },
): Promise<{ applied: string[] }> {
  if (options.migrateOnStart) {
    const applied = await runMigrationsLocked(dataSource);
    return { applied: applied.map((m) => m.name) };
  }
  const pending = await pendingMigrations(dataSource);
  if (pending.length) {
    throw new StartupError(
      `cơ sở dữ liệu cũ hơn mã / the database schema is older than the code: ` +
        `${pending.length} migration(s) pending (${pending.join(', ')}); ` +
        'run `npm run migration:run` or set MIGRATE_ON_START=true',
    );
  }
  return { applied: [] };
}

/** Names of the migrations this build has that the database has not run (oldest first). */
export async function pendingMigrations(dataSource: DataSource): Promise<string[]> {
  const known = dataSource.migrations.map((m) => m.name ?? m.constructor.name);
  const table = dataSource.options.migrationsTableName ?? 'migrations';
  const [exists] = await dataSource.query<{ present: boolean }[]>(
    `SELECT to_regclass($1) IS NOT NULL AS present`,
    [table],
  );
  if (!exists?.present) return known;
  const rows = await dataSource.query<{ name: string }[]>(`SELECT name FROM "${table}"`);
  const done = new Set(rows.map((r) => r.name));
  return known.filter((name) => !done.has(name));
}
