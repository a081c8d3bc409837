import { Pool } from 'pg';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { prepare, PROGRAMME_CODE } from './assign.bench';
import { Measure, MeasureResult, round } from './measure';

/**
 * Issue 12, item 5: the progress export of the assignment of every grassroots chair (~150,000
 * members at national scale) must be written in constant memory. Each measure runs the export
 * in a fresh process on the built server code (scripts/export-rss.mjs: the app booted as `npm start`
 * boots it, nothing else loaded), samples its resident set every 10 ms while the whole file is
 * written to a sink that counts bytes, and reports the peak in MB (it must stay under 300 MB);
 * the baseline is the peak of the same process reading the statement through a bare
 * pg-query-stream cursor, with no writer at all.
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

interface ChildOutcome {
  restMb: number;
  peakMb: number;
  bytes: number;
}

/** Runs scripts/export-rss.mjs on the built server code and reads its one JSON line. */
function runChild(url: string, mode: 'csv' | 'xlsx' | 'cursor', args: string[]): ChildOutcome {
  const root = join(__dirname, '..', '..');
  const result = spawnSync(
    process.execPath,
    ['--expose-gc', join(root, 'scripts', 'export-rss.mjs'), mode, ...args],
    {
      cwd: root,
      encoding: 'utf8',
      maxBuffer: 2 ** 20,
      env: {
        ...process.env,
        DATABASE_URL: url,
        NODE_ENV: 'test',
        LOG_LEVEL: 'silent',
        SEED_DEMO: 'false',
        MIGRATE_ON_START: 'false',
      },
    },
  );
  const line = result.stdout.trim().split('\n').pop() ?? '';
  if (result.status !== 0 || !line.startsWith('{')) {
    throw new Error(`export child (${mode}) failed: ${result.stderr || result.stdout}`);
  }
  return JSON.parse(line) as ChildOutcome;
}

function exportMeasure(format: 'csv' | 'xlsx'): Measure {
  return {
    name: `programmes.progress-export-${format}-peak-rss`,
    needsDatabase: true,
    async run({ scale, databaseUrl }): Promise<MeasureResult> {
      const url = await prepare(databaseUrl!, scale);
      const pool = new Pool({ connectionString: url, max: 2 });
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
        // The server's own code, as `npm start` runs it: built when sources are newer.
        const build = spawnSync(process.execPath, ['scripts/build-if-stale.mjs'], {
          cwd: join(__dirname, '..', '..'),
          stdio: 'inherit',
        });
        if (build.status !== 0) throw new Error('the build failed');
        const args = [id, root.id, root.path];
        const baseline = runChild(url, 'cursor', args);
        const ours = runChild(url, format, args);
        console.error(
          `${format}: ${n} members, ${round(ours.bytes / 2 ** 20, 1)} MB written; server process ` +
            `at rest ${ours.restMb} MB, peak ${ours.peakMb} MB (bare cursor: rest ` +
            `${baseline.restMb} MB, peak ${baseline.peakMb} MB); limit 300 MB`,
        );
        return {
          name: this.name,
          value: ours.peakMb,
          unit: 'MB',
          baseline: baseline.peakMb,
          ratio: round(ours.peakMb / baseline.peakMb),
          n,
        };
      } finally {
        await pool.end();
      }
    },
  };
}

export const progressCsvMeasure = exportMeasure('csv');
export const progressXlsxMeasure = exportMeasure('xlsx');
