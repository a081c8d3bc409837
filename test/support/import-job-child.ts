import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../../src/app.module';
import { ImportJobsWorker } from '../../src/imports/import-jobs.worker';

/**
 * The app as a separate process, for the crash test of import jobs: it boots on the database
 * named by the environment (DATABASE_URL, or the PGlite DATA_DIR), lets the worker claim queued
 * or orphaned imports, and prints their progress and outcome on stdout, so that the test can
 * kill -9 it mid-way.
 */
async function main(): Promise<void> {
  const app = await NestFactory.createApplicationContext(AppModule, { logger: false });
  const worker = app.get(ImportJobsWorker);
  worker.onProgress = (p) => process.stdout.write(`progress ${JSON.stringify(p)}\n`);
  worker.onFinished = (p) => process.stdout.write(`finished ${JSON.stringify(p)}\n`);
  process.stdout.write('ready\n');
  process.on('SIGTERM', () => {
    void app.close().then(() => process.exit(0));
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
