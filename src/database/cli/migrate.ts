import { runMigrationsLocked } from '../schema';
import { openCliDataSource } from './open';

/**
 * `npm run migration:run`, the release step: applies pending migrations to DATABASE_URL or the
 * embedded database. On PostgreSQL under the migration advisory lock, so runs started together
 * (or beside a start with MIGRATE_ON_START) apply each migration once.
 */
async function main() {
  const { dataSource, close } = await openCliDataSource();
  try {
    await dataSource.initialize();
    const applied = await runMigrationsLocked(dataSource);
    console.log(
      applied.length
        ? `applied ${applied.length} migration(s): ${applied.map((m) => m.name).join(', ')}`
        : 'no pending migrations',
    );
  } finally {
    await close();
  }
}

main().catch((error: unknown) => {
  console.error(`migration failed: ${(error as Error).message}`);
  process.exit(1);
});
