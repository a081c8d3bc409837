import type { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import type { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../../migrations';
import { ENTITIES } from './entities';

/**
 * One set of options for both databases: the same entities, the same migrations, the same SQL.
 * With a PGlite instance the pg driver talks to it in-process over a single connection.
 */
export function dataSourceOptions(
  target: { url: string } | { pglite: PGlite },
  overrides: Partial<DataSourceOptions> = {},
): DataSourceOptions {
  const base = {
    type: 'postgres' as const,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsRun: false,
    migrationsTransactionMode: 'each' as const,
    synchronize: false,
    uuidExtension: 'pgcrypto' as const,
    installExtensions: false,
    logging: false,
  };
  if ('url' in target) {
    return {
      ...base,
      url: target.url,
      extra: { max: 10, connectionTimeoutMillis: 10_000 },
      ...overrides,
    } as DataSourceOptions;
  }
  return {
    ...base,
    poolSize: 1,
    extra: Object.assign(createPgConfig(target.pglite), {
      idleTimeoutMillis: 0,
      connectionTimeoutMillis: 30_000,
    }),
    ...overrides,
  } as DataSourceOptions;
}
