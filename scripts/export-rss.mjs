// The progress export measured as the server runs it: a fresh process on the built code (dist/,
// as `npm start` runs), the app booted, then the export of one assignment written to a sink that
// counts bytes while the resident set is sampled every 10 ms. Prints one JSON line:
// { restMb, peakMb, bytes }. `mode` is csv, xlsx, or cursor (the bare pg-query-stream read of
// the same statement, the baseline). Started by test/bench/export.bench.ts; plain JavaScript so that no
// compiler hook sits in the measured process.
/* eslint-disable @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-call,
   @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-argument,
   @typescript-eslint/no-unsafe-return --
   the built modules are loaded from dist/ at run time, untyped on purpose: the measured process
   must hold nothing but the server's own code. */
import { createRequire } from 'node:module';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

const require = createRequire(import.meta.url);
const [mode, assignmentId, rootId, rootPath] = process.argv.slice(2);
/** @param {string} path @returns {any} a module of the built server */
const dist = (path) => require(`../dist/src/${path}`);

require('reflect-metadata');
const { NestFactory } = require('@nestjs/core');
const { AppModule } = dist('app.module');
const { Actor } = dist('auth/actor');
const { tableCsv, tableXlsx } = dist('common/csv/table');
const { ProgressService, PROGRESS_EXPORT_SQL, PROGRESS_TABLE } = dist(
  'programmes/progress.service',
);
const { todayVn } = dist('common/dates/vietnam-dates');

/** @param {number} bytes */
const mb = (bytes) => Math.round((bytes / 2 ** 20) * 10) / 10;

const app = await NestFactory.createApplicationContext(AppModule, { logger: false });
global.gc?.();
const rest = process.memoryUsage.rss();
let peak = rest;
const timer = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage.rss());
}, 10);
let bytes = 0;
const sink = new Writable({
  objectMode: mode === 'cursor',
  /** @param {any} chunk @param {string} _encoding @param {() => void} done */
  write(chunk, _encoding, done) {
    bytes += mode === 'cursor' ? JSON.stringify(chunk).length : chunk.length;
    done();
  },
});
if (mode === 'cursor') {
  const { Pool } = require('pg');
  const QueryStream = require('pg-query-stream');
  const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 1 });
  const client = await pool.connect();
  const stream = client.query(
    new QueryStream(PROGRESS_EXPORT_SQL, [assignmentId, todayVn()], { batchSize: 1000 }),
  );
  await pipeline(stream, sink);
  client.release();
  await pool.end();
} else {
  const actor = new Actor(
    '00000000-0000-4000-8000-000000000001',
    '00000000-0000-4000-8000-000000000002',
    'bench@lms.congdoan.test',
    '00000000-0000-4000-8000-000000000003',
    [{ role: 'admin', orgUnitId: rootId, path: rootPath }],
  );
  const rows = await app.get(ProgressService).exportRows(actor, assignmentId);
  const out = mode === 'xlsx' ? tableXlsx(PROGRESS_TABLE, rows) : tableCsv(PROGRESS_TABLE, rows);
  await pipeline(out, sink);
}
peak = Math.max(peak, process.memoryUsage.rss());
clearInterval(timer);
await app.close();
console.log(JSON.stringify({ restMb: mb(rest), peakMb: mb(peak), bytes }));
