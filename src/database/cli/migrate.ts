import { openCliDataSource } from './open';

/** `npm run migration:run`: applies pending migrations to DATABASE_URL or the embedded database. */
async function main() {
  const { dataSource, close } = await openCliDataSource();
  try {
    await dataSource.initialize();
    const applied = await dataSource.runMigrations({ transaction: 'each' });
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
