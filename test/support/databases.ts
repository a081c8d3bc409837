import { PGlite } from '@electric-sql/pglite';
import * as argon2 from 'argon2';
import { Client } from 'pg';
import { accessSync, constants, cpSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { DataSource } from 'typeorm';
import { PasswordService } from '../../src/auth/password.service';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { seedDemo } from '../../src/seed/demo-seed';
import { DEMO_SEED_STEPS } from '../../src/seed/seed-steps';

/** Env keys through which the global setup hands the prepared template to the suites. */
export const TEMPLATE_DB_ENV = 'LMS_TEST_TEMPLATE_DB';
/** A migrated and seeded PGlite data directory that each suite copies. */
export const PGLITE_DIR_ENV = 'LMS_TEST_PGLITE_DIR';
/**
 * An initialised but empty PGlite data directory, for the suites that migrate a database from
 * nothing: creating a cluster (initdb) costs about 5 s in WebAssembly, copying one under 1 s.
 */
export const PGLITE_EMPTY_DIR_ENV = 'LMS_TEST_PGLITE_EMPTY_DIR';

/**
 * The demo password of the test template is hashed with argon2id at its lowest cost: every suite
 * signs in five accounts, and at the production cost (64 MiB, 3 passes) those checks alone took a
 * second per suite. The app verifies with the parameters stored in the hash, so the sign-in code
 * path is the same; accounts created through the API still get the production cost.
 */
export const cheapTestHash = (password: string): Promise<string> =>
  argon2.hash(password, { type: argon2.argon2id, memoryCost: 1024, timeCost: 1, parallelism: 1 });

/** Migrates and seeds a database: the starting point every suite copies. */
export async function prepare(
  dataSource: DataSource,
  hashPassword: (password: string) => Promise<string> = cheapTestHash,
): Promise<void> {
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  await seedDemo(dataSource, hashPassword, DEMO_SEED_STEPS);
  await dataSource.destroy();
}

/** The production hasher, for a caller that wants the template exactly as `npm run seed` makes it. */
export const productionHash = (password: string) => new PasswordService().hash(password);

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

/**
 * Where the e2e run keeps its PGlite data directories: in memory (/dev/shm) when the machine has
 * it, so that copying a template and PostgreSQL's file I/O cost no disk.
 */
export function testScratchRoot(): string {
  try {
    accessSync('/dev/shm', constants.W_OK);
    return '/dev/shm';
  } catch {
    return tmpdir();
  }
}

/** Creates an empty cluster in `dir` (initdb), checkpointed so that each copy opens at once. */
export async function createEmptyPgliteDir(dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const pglite = new PGlite(dir);
  await pglite.waitReady;
  await pglite.exec('CHECKPOINT');
  await pglite.close();
}

/** Migrates and seeds a copy of the empty cluster into `dir`: the template every suite copies. */
export async function createPgliteTemplateDir(emptyDir: string, dir: string): Promise<void> {
  cpSync(emptyDir, dir, { recursive: true });
  const pglite = new PGlite(dir);
  await pglite.waitReady;
  await prepare(new DataSource(dataSourceOptions({ pglite })));
  // A checkpoint leaves nothing to replay when each copy opens.
  await pglite.exec('CHECKPOINT');
  await pglite.close();
}

export interface PgliteCopy {
  pglite: PGlite;
  /** Removes the copy; call after the instance is closed. */
  remove(): void;
}

let copies = 0;

/** A private copy of a data directory (for a suite, or for a child process to open). */
export function copyPgliteDir(templateDir: string): { dir: string; remove(): void } {
  const dir = `${templateDir}-w${process.env.JEST_WORKER_ID ?? '0'}-${process.pid}-${++copies}`;
  const remove = () => rmSync(dir, { recursive: true, force: true });
  remove();
  cpSync(templateDir, dir, { recursive: true });
  return { dir, remove };
}

/** The data directory the global setup prepared under `key`, or a clear failure. */
export function preparedPgliteDir(key: string): string {
  const dir = process.env[key];
  if (!dir) throw new Error(`the e2e global setup did not prepare ${key}`);
  return dir;
}

/**
 * Opens a private copy of the template directory: a recursive copy of ~45 MB in memory plus
 * opening an existing data directory takes about 1 s, against about 2–4 s to unpack the dump.
 */
export async function openPgliteCopy(templateDir: string): Promise<PgliteCopy> {
  const { dir, remove } = copyPgliteDir(templateDir);
  try {
    const pglite = new PGlite(dir);
    await pglite.waitReady;
    return { pglite, remove };
  } catch (error) {
    remove();
    throw error;
  }
}
