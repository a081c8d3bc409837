import { PGlite } from '@electric-sql/pglite';
import { mkdirSync } from 'node:fs';

/** How the embedded database is opened; tests replace it to load a migrated template. */
export type PgliteOpener = () => Promise<PGlite>;
export const PGLITE_OPENER = Symbol('PGLITE_OPENER');

export function openPgliteDir(dataDir: string): PgliteOpener {
  return async () => {
    // PGlite does not create parent folders, and its failure to do so cannot be caught.
    mkdirSync(dataDir, { recursive: true });
    const db = new PGlite(dataDir);
    await db.waitReady;
    return db;
  };
}
