import { Pool } from 'pg';
import QueryStream from 'pg-query-stream';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Actor } from '../../src/auth/actor';
import { tableCsv, tableXlsx } from '../../src/common/csv/table';
import { todayVn } from '../../src/common/dates/vietnam-dates';
import {
  PROGRESS_EXPORT_SQL,
  PROGRESS_TABLE,
  ProgressService,
} from '../../src/programmes/progress.service';
import { bootApp, prepare, PROGRAMME_CODE } from './assign.bench';
import { Measure, MeasureResult, round } from './measure';

/**
 * Issue 12, item 5: the progress export of the assignment of every grassroots chair (~150,000
 * members at national scale) must be written in constant memory. Each measure samples the
 * process's resident set every 10 ms while the whole file is written to a sink that counts
 * bytes, and reports the peak in MB (it must stay under 300 MB); the baseline is the peak of
 * the bare cursor reading the same statement through pg-query-stream, with no writer at all.
 */
async function ensureAssignment(pool: Pool): Promise<string> {
  const found = await pool.query<{ id: string }>(
    `SELECT a.id FROM programme_assignments a JOIN programmes p ON p.id = a.programme_id
      WHERE p.code = $1 ORDER BY (SELECT count(*) FROM assignment_members m
                                   WHERE m.assignment_id = a.id) DESC LIMIT 1`,
    [PROGRAMME_CODE],
  );
  if (found.rows[0]) return found.rows[0].id;
  // Without the assign measure's run: every chair, as one INSERT … SELECT.
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO programme_assignments (programme_id, org_unit_id, audience, due_rule_kind,
                                        due_days, due_date, status)
     SELECT p.id, o.id, '{"postTypes":["chair"]}'::jsonb, 'fixed_date', NULL, DATE '2027-06-30',
            'completed'
       FROM programmes p, org_units o WHERE p.code = $1 AND o.seq = 1
     RETURNING id`,
    [PROGRAMME_CODE],
  );
  await pool.query(
    `INSERT INTO assignment_members (assignment_id, programme_id, person_id, cycle, org_path, due_on)
     SELECT $1, a.programme_id, ap.person_id, 1, u.path, DATE '2027-06-30'
       FROM programme_assignments a
       JOIN appointments ap ON ap.status = 'active'
       JOIN posts po ON po.id = ap.post_id AND po.post_type = 'chair'
       JOIN org_units u ON u.id = po.org_unit_id
      WHERE a.id = $1
     ON CONFLICT DO NOTHING`,
    [rows[0].id],
  );
  return rows[0].id;
}

/** Peak RSS (MB) while `work` runs. */
async function peakRss(work: () => Promise<unknown>): Promise<{ mb: number; bytes: number }> {
  global.gc?.();
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 10);
  try {
    const bytes = Number(await work());
    peak = Math.max(peak, process.memoryUsage.rss());
    return { mb: round(peak / 2 ** 20, 1), bytes };
  } finally {
    clearInterval(timer);
  }
}

function counter(): { sink: Writable; total: () => number } {
  let n = 0;
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      n += chunk.length;
      cb();
    },
  });
  return { sink, total: () => n };
}

function exportMeasure(format: 'csv' | 'xlsx'): Measure {
  return {
    name: `programmes.progress-export-${format}-peak-rss`,
    needsDatabase: true,
    async run({ scale, databaseUrl }): Promise<MeasureResult> {
      const url = await prepare(databaseUrl!, scale);
      const pool = new Pool({ connectionString: url, max: 2 });
      const app = await bootApp(url);
      try {
        const id = await ensureAssignment(pool);
        const {
          rows: [root],
        } = await pool.query<{ id: string; path: string }>(
          `SELECT id, path FROM org_units WHERE seq = 1`,
        );
        const {
          rows: [{ n }],
        } = await pool.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM assignment_members WHERE assignment_id = $1`,
          [id],
        );
        const actor = new Actor(
          '00000000-0000-4000-8000-000000000001',
          '00000000-0000-4000-8000-000000000002',
          'bench@lms.congdoan.test',
          '00000000-0000-4000-8000-000000000003',
          [{ role: 'admin', orgUnitId: root.id, path: root.path }],
        );
        const baseline = await peakRss(async () => {
          const client = await pool.connect();
          try {
            const { sink, total } = counter();
            const stream = client.query(
              new QueryStream(PROGRESS_EXPORT_SQL, [id, todayVn()], { batchSize: 1000 }),
            );
            await pipeline(
              stream,
              new Writable({
                objectMode: true,
                write(row: object, _e, cb) {
                  sink.write(Buffer.from(JSON.stringify(row)), cb);
                },
              }),
            );
            return total();
          } finally {
            client.release();
          }
        });
        const ours = await peakRss(async () => {
          const rows = await app.get(ProgressService).exportRows(actor, id);
          const { sink, total } = counter();
          const out: Readable =
            format === 'xlsx' ? tableXlsx(PROGRESS_TABLE, rows) : tableCsv(PROGRESS_TABLE, rows);
          await pipeline(out, sink);
          return total();
        });
        console.error(
          `${format}: ${n} members, ${round(ours.bytes / 2 ** 20, 1)} MB written, peak RSS ` +
            `${ours.mb} MB (bare cursor ${baseline.mb} MB); limit 300 MB`,
        );
        return {
          name: this.name,
          value: ours.mb,
          unit: 'MB',
          baseline: baseline.mb,
          ratio: round(ours.mb / baseline.mb),
          n,
        };
      } finally {
        await app.close();
        await pool.end();
      }
    },
  };
}

export const progressCsvMeasure = exportMeasure('csv');
export const progressXlsxMeasure = exportMeasure('xlsx');
