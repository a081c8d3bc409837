import { PGlite } from '@electric-sql/pglite';
import { Client } from 'pg';
import { readFileSync } from 'node:fs';
import { DataSource } from 'typeorm';
import { PasswordService } from '../../src/auth/password.service';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { seedDemo } from '../../src/seed/demo-seed';
import { DEMO_SEED_STEPS } from '../../src/seed/seed-steps';

/** Env keys through which the global setup hands the prepared template to the suites. */
export const TEMPLATE_DB_ENV = 'LMS_TEST_TEMPLATE_DB';
export const PGLITE_DUMP_ENV = 'LMS_TEST_PGLITE_DUMP';

/** Migrates and seeds a database: the starting point every suite copies. */
export async function prepare(dataSource: DataSource): Promise<void> {
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  const passwords = new PasswordService();
  await seedDemo(dataSource, (pw) => passwords.hash(pw), DEMO_SEED_STEPS);
  await dataSource.destroy();
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export async function adminQuery(url: string, sql: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export async function createPgTemplate(url: string, name: string): Promise<void> {
  await adminQuery(url, `DROP DATABASE IF EXISTS "${name}"`);
  await adminQuery(url, `CREATE DATABASE "${name}"`);
  await prepare(new DataSource(dataSourceOptions({ url: withDatabase(url, name) })));
}

export async function createPgliteDump(): Promise<Buffer> {
  const pglite = new PGlite();
  await prepare(new DataSource(dataSourceOptions({ pglite })));
  const dump = await pglite.dumpDataDir('none');
  await pglite.close();
  return Buffer.from(await dump.arrayBuffer());
}

export async function openPgliteFromDump(path: string): Promise<PGlite> {
  const blob = new Blob([readFileSync(path)]);
  const pglite = new PGlite({ loadDataDir: blob });
  await pglite.waitReady;
  return pglite;
}
