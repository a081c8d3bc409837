import { rmSync } from 'node:fs';
import { adminQuery, PGLITE_DIR_ENV, PGLITE_EMPTY_DIR_ENV, TEMPLATE_DB_ENV } from './databases';
import { SCRATCH_ENV } from './global-setup';

export default async function globalTeardown(): Promise<void> {
  const url = process.env.DATABASE_URL;
  const template = process.env[TEMPLATE_DB_ENV];
  if (url && template) await adminQuery(url, `DROP DATABASE IF EXISTS "${template}" WITH (FORCE)`);
  const scratch = process.env[SCRATCH_ENV];
  if (scratch) rmSync(scratch, { recursive: true, force: true });
  // Jest calls the teardown of each project that ran: the first one cleans up.
  for (const key of [TEMPLATE_DB_ENV, SCRATCH_ENV, PGLITE_DIR_ENV, PGLITE_EMPTY_DIR_ENV]) {
    delete process.env[key];
  }
}
