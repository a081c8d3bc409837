import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPgliteDump, createPgTemplate, PGLITE_DUMP_ENV, TEMPLATE_DB_ENV } from './databases';

/**
 * Runs once per `npm test`: migrates and seeds one template, which every suite then copies —
 * a PostgreSQL template database when DATABASE_URL is set, else a PGlite data-dir dump.
 */
export default async function globalSetup(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (url) {
    const name = `lms_tpl_${process.pid}_${Date.now()}`;
    await createPgTemplate(url, name);
    process.env[TEMPLATE_DB_ENV] = name;
  } else {
    const file = join(tmpdir(), `lms-test-template-${process.pid}-${Date.now()}.tar`);
    writeFileSync(file, await createPgliteDump());
    process.env[PGLITE_DUMP_ENV] = file;
  }
}
