import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  createEmptyPgliteDir,
  createPgliteTemplateDir,
  createPgTemplate,
  PGLITE_DIR_ENV,
  PGLITE_EMPTY_DIR_ENV,
  TEMPLATE_DB_ENV,
  testScratchRoot,
} from './databases';

/** Env key of the folder that holds this run's PGlite templates and copies. */
export const SCRATCH_ENV = 'LMS_TEST_SCRATCH';

/**
 * Runs once per `npm test` (a second call does nothing): migrates and seeds one template, which every suite then copies —
 * a PostgreSQL template database when DATABASE_URL is set, else a PGlite data directory (made
 * from an empty cluster that is kept too, for the suites that migrate from nothing).
 */
export default async function globalSetup(): Promise<void> {
  // Jest calls the setup of each project that runs (e2e, browser): the first one prepares.
  if (process.env[TEMPLATE_DB_ENV] || process.env[PGLITE_DIR_ENV]) return;
  const url = process.env.DATABASE_URL;
  if (url) {
    const name = `lms_tpl_${process.pid}_${Date.now()}`;
    await createPgTemplate(url, name);
    process.env[TEMPLATE_DB_ENV] = name;
  } else {
    const root = join(testScratchRoot(), `lms-test-${process.pid}-${Date.now()}`);
    mkdirSync(root, { recursive: true });
    process.env[SCRATCH_ENV] = root;
    const empty = join(root, 'empty');
    await createEmptyPgliteDir(empty);
    process.env[PGLITE_EMPTY_DIR_ENV] = empty;
    const dir = join(root, 'template');
    await createPgliteTemplateDir(empty, dir);
    process.env[PGLITE_DIR_ENV] = dir;
  }
}
