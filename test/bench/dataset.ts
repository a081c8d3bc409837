import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { Scale } from './measure';

/** Shape of the synthetic union tree per scale: federations × uppers × grassroots × people. */
export const SHAPES: Record<Scale, { f: number; u: number; g: number; p: number }> = {
  smoke: { f: 2, u: 5, g: 10, p: 8 }, // 100 grassroots, 800 people
  province: { f: 34, u: 10, g: 13, p: 8 }, // 4,420 grassroots, 35k people
  national: { f: 34, u: 100, g: 44, p: 8 }, // 149,600 grassroots, ~1.2M people
};

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/**
 * A PostgreSQL database holding the migrated schema and the synthetic national data set for
 * `scale`, generated once with set-based SQL (generate_series, INSERT … SELECT) and reused by
 * later runs (a bench_meta row marks it complete). Returns its URL. Later measures add their own
 * tables' rows through `extend`, also once per database.
 */
export async function benchDatabase(baseUrl: string, scale: Scale): Promise<string> {
  const name = `lms_bench_${scale}`;
  const admin = new Client({ connectionString: baseUrl });
  await admin.connect();
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!exists.rowCount) await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = withDatabase(baseUrl, name);
  const ds = new DataSource(dataSourceOptions({ url }));
  await ds.initialize();
  try {
    await ds.runMigrations({ transaction: 'each' });
    await ds.query(
      `CREATE TABLE IF NOT EXISTS bench_meta (step text PRIMARY KEY, done_at timestamptz NOT NULL DEFAULT now())`,
    );
    await once(ds, 'tree', () => generateTree(ds, scale));
  } finally {
    await ds.destroy();
  }
  return url;
}

/** Runs a generation step only if this database has not recorded it yet. */
export async function once(ds: DataSource, step: string, run: () => Promise<void>): Promise<void> {
  const [done] = await ds.query<unknown[]>('SELECT 1 FROM bench_meta WHERE step = $1', [step]);
  if (done) return;
  const started = Date.now();
  await run();
  await ds.query('INSERT INTO bench_meta (step) VALUES ($1)', [step]);
  console.error(`bench data: ${step} generated in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

async function generateTree(ds: DataSource, scale: Scale): Promise<void> {
  const { f, u, g, p } = SHAPES[scale];
  await ds.transaction(async (em) => {
    // Sequence numbers are assigned arithmetically so every path is known in the same statement.
    await em.query(`
      INSERT INTO org_units (seq, code, name, search_name, sort_key, level, path, depth, member_count)
      VALUES (1, 'B-VGCL', 'Tổng Liên đoàn Lao động Việt Nam', 'tong lien doan lao dong viet nam',
              'tong lien doan', 'confederation', '/1/', 0, 11000000)`);
    await em.query(
      `INSERT INTO org_units (seq, code, name, search_name, sort_key, level, province_code, parent_id,
                              path, depth, member_count)
       SELECT 1 + i, 'B-F' || lpad(i::text, 2, '0'), 'Liên đoàn Lao động tỉnh ' || i,
              'lien doan lao dong tinh ' || i, 'lien doan ' || lpad(i::text, 2, '0'), 'federation',
              lpad(i::text, 2, '0'), r.id, '/1/' || (1 + i) || '/', 1, 300000
         FROM generate_series(1, $1) i, org_units r WHERE r.seq = 1`,
      [f],
    );
    await em.query(
      `INSERT INTO org_units (seq, code, name, search_name, sort_key, level, province_code, parent_id,
                              path, depth, member_count)
       SELECT 1 + $1 + (fed.seq - 2) * $2 + j, fed.code || '-U' || lpad(j::text, 3, '0'),
              'Công đoàn phường ' || j || ' – ' || fed.name, 'cong doan phuong ' || j,
              'cong doan phuong ' || lpad(j::text, 3, '0'), 'upper', fed.province_code, fed.id,
              fed.path || (1 + $1 + (fed.seq - 2) * $2 + j) || '/', 2, 5000
         FROM org_units fed, generate_series(1, $2) j WHERE fed.level = 'federation'`,
      [f, u],
    );
    await em.query(
      `INSERT INTO org_units (seq, code, name, search_name, sort_key, level, sector, province_code,
                              parent_id, path, depth, member_count)
       SELECT 1 + $1 + $1 * $2 + (up.seq - 2 - $1) * $3 + k, up.code || '-G' || lpad(k::text, 2, '0'),
              'Công đoàn cơ sở Công ty số ' || k || ' – ' || up.code,
              'cong doan co so cong ty so ' || k, 'cong doan co so ' || lpad(k::text, 3, '0'),
              'grassroots',
              (ARRAY['public_service','state_enterprise','private','fdi','cooperative','informal'])[1 + k % 6]::org_sector,
              up.province_code, up.id,
              up.path || (1 + $1 + $1 * $2 + (up.seq - 2 - $1) * $3 + k) || '/', 3, 200
         FROM org_units up, generate_series(1, $3) k WHERE up.level = 'upper'`,
      [f, u, g],
    );
    await em.query(
      `SELECT setval(pg_get_serial_sequence('org_units', 'seq'), (SELECT max(seq) FROM org_units))`,
    );
    await em.query(
      `INSERT INTO people (family_name, middle_name, given_name, full_name, search_name, sort_key,
                           birth_date, gender, ethnicity_code, national_id, home_org_unit_id)
       SELECT fam, mid, giv, fam || ' ' || mid || ' ' || giv, lower(fam || ' ' || mid || ' ' || giv),
              lower(giv || ' ' || mid || ' ' || fam), make_date((1965 + n % 35)::int, (1 + n % 12)::int, (1 + n % 28)::int),
              (CASE WHEN n % 2 = 0 THEN 'female' ELSE 'male' END)::person_gender, '01',
              lpad(n::text, 12, '0'), unit_id
         FROM (
           SELECT gr.id AS unit_id, (gr.seq * $1 + x) AS n,
                  (ARRAY['Nguyễn','Trần','Lê','Phạm','Hoàng','Vũ','Đặng','Bùi'])[1 + (gr.seq + x) % 8] AS fam,
                  (ARRAY['Thị','Văn','Minh','Thu','Đức','Ngọc'])[1 + x % 6] AS mid,
                  (ARRAY['Hương','Dũng','Lan','Hùng','Hà','Tuấn','Mai','Sơn','Yến','Long'])[1 + (gr.seq * 3 + x) % 10] AS giv
             FROM org_units gr, generate_series(0, $1 - 1) x WHERE gr.level = 'grassroots'
         ) s`,
      [p],
    );
  });
  await ds.query('ANALYZE');
}
