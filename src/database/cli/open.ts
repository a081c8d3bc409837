import 'reflect-metadata';
import { PGlite } from '@electric-sql/pglite';
import { DataSource, DataSourceOptions } from 'typeorm';
import { loadConfig } from '../../config/app-config';
import { checkDatabaseUrl } from '../check-connection';
import { dataSourceOptions } from '../data-source-options';
import { openPgliteDir } from '../pglite';

/**
 * A DataSource for command-line tools: PostgreSQL when DATABASE_URL is set, else the embedded
 * database under DATA_DIR (or a throwaway in-memory one). `close` also shuts PGlite.
 */
export async function openCliDataSource(
  options: { memory?: boolean } & Partial<DataSourceOptions> = {},
): Promise<{ dataSource: DataSource; close: () => Promise<void> }> {
  const { memory, ...overrides } = options;
  const config = loadConfig();
  if (config.databaseUrl && !memory) {
    await checkDatabaseUrl(config.databaseUrl);
    const dataSource = new DataSource(dataSourceOptions({ url: config.databaseUrl }, overrides));
    return { dataSource, close: () => dataSource.destroy() };
  }
  const pglite = memory ? new PGlite() : await openPgliteDir(config.dataDir)();
  const dataSource = new DataSource(dataSourceOptions({ pglite }, overrides));
  return {
    dataSource,
    close: async () => {
      if (dataSource.isInitialized) await dataSource.destroy();
      await pglite.close();
    },
  };
}
