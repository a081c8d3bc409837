import { openCliDataSource } from './open';

/**
 * For the TypeORM CLI. With MIGRATION_SCRATCH=1 (set by `npm run migration:generate`) it is a
 * fresh in-memory database with every existing migration applied, so a new migration is the
 * exact difference between the migrations and the entities.
 */
async function create() {
  const scratch = process.env.MIGRATION_SCRATCH === '1';
  const { dataSource } = await openCliDataSource({ memory: scratch });
  if (scratch) {
    await dataSource.initialize();
    await dataSource.runMigrations({ transaction: 'each' });
    await dataSource.destroy();
  }
  return dataSource;
}

export const dataSource = create();
