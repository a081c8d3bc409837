import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppConfig } from '../config/app-config';

export const IMPORT_CONFIG = Symbol('IMPORT_CONFIG');

/** Settings of bulk imports, from the environment (read once at start, like AppConfig). */
export interface ImportConfig {
  /** Largest upload accepted (IMPORT_MAX_BYTES, default 50 MB); larger answers 413. */
  maxBytes: number;
  /** Files of more data rows than this run as a background job and answer 202 (default 5,000). */
  asyncThreshold: number;
  /** Rows per INSERT into the staging table. */
  batchSize: number;
  /** Where uploads wait until their import is finished. */
  uploadDir: string;
  jobPollMs: number;
  /** A running job whose heartbeat is older than this was orphaned by a crash (PostgreSQL). */
  jobStaleSeconds: number;
  /** Tests only: a pause after each staged batch, so a test can kill the process mid-way. */
  jobTestDelayMs: number;
}

function intSetting(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) {
    throw new Error(`${name} must be an integer of at least ${min} (given "${raw}")`);
  }
  return n;
}

/**
 * Kept apart from AppConfig so that the import module stays one folder: it reads its own
 * variables, validated the same way (a bad value stops the start with the variable named).
 */
export function loadImportConfig(
  app: AppConfig,
  env: NodeJS.ProcessEnv = process.env,
): ImportConfig {
  const dataDir = app.dataDir.startsWith('memory://') ? join(tmpdir(), 'lms-data') : app.dataDir;
  return {
    maxBytes: intSetting(env, 'IMPORT_MAX_BYTES', 50 * 1024 * 1024, 1024),
    asyncThreshold: intSetting(env, 'IMPORT_ASYNC_THRESHOLD', 5000, 1),
    batchSize: intSetting(env, 'IMPORT_BATCH_SIZE', 2000, 1),
    uploadDir: env.IMPORT_UPLOAD_DIR || join(dataDir, 'imports'),
    jobPollMs: intSetting(env, 'IMPORT_JOB_POLL_MS', 1000, 50),
    jobStaleSeconds: intSetting(env, 'IMPORT_JOB_STALE_SECONDS', 30, 1),
    jobTestDelayMs: intSetting(env, 'IMPORT_JOB_TEST_DELAY_MS', 0, 0),
  };
}
