import { INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { getDataSourceToken } from '@nestjs/typeorm';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module';
import { Actor } from '../../src/auth/actor';
import { APP_CONFIG, loadConfig } from '../../src/config/app-config';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { GapsService } from '../../src/gaps/gaps.service';
import { heatmapSql } from '../../src/gaps/heatmap.sql';
import { benchDatabase, once, SHAPES } from './dataset';
import { Measure, round, Scale } from './measure';
import { isoDateVi } from '../../src/common/dates/vietnam-dates';

const FRAMEWORK_CODE = 'B-KNL';

/**
 * Competency data on top of the synthetic tree, set-based: one published framework version
 * (5 levels, 7 competencies), a chair profile for grassroots unions and a more specific one
 * for FDI grassroots unions, a chair post and a current appointment (the unit's first person)
 * in every grassroots union, and 8 ratings per chair — one self-rating of each competency
 * (those of every fifth chair expired) and a recent supervisor rating of one — about
 * 1.2 million ratings at national scale.
 */
async function generateCompetencies(ds: DataSource, scale: Scale): Promise<void> {
  const { p } = SHAPES[scale];
  await ds.transaction(async (em) => {
    const [f] = await em.query<{ id: string }[]>(
      `INSERT INTO competency_frameworks (code, name_vi, name_en, owner_org_unit_id)
       SELECT $1, 'Khung năng lực chủ tịch CĐCS (bench)', 'Chair framework (bench)', id
         FROM org_units WHERE seq = 1
       RETURNING id`,
      [FRAMEWORK_CODE],
    );
    const [v] = await em.query<{ id: string }[]>(
      `INSERT INTO framework_versions (framework_id, version_no, status, proficient_level, policy,
                                       published_at)
       VALUES ($1, 1, 'published', 4, 'latest_valid', now()) RETURNING id`,
      [f.id],
    );
    await em.query(
      `INSERT INTO framework_levels (version_id, level, name_vi, name_en)
       SELECT $1, l, 'Mức ' || l, 'Level ' || l FROM generate_series(1, 5) l`,
      [v.id],
    );
    const [d] = await em.query<{ id: string }[]>(
      `INSERT INTO competency_domains (version_id, code, name_vi, name_en, position)
       VALUES ($1, 'D1', 'Chung', 'General', 1) RETURNING id`,
      [v.id],
    );
    await em.query(
      `INSERT INTO competencies (id, lineage_id, version_id, domain_id, code, name_vi, name_en, position)
       SELECT g, g, $1, $2, 'C' || i, 'Năng lực ' || i, 'Competency ' || i, i
         FROM (SELECT gen_random_uuid() AS g, i FROM generate_series(1, 7) i) s`,
      [v.id, d.id],
    );
    await em.query(
      `WITH prof AS (
         INSERT INTO role_profiles (version_id, post_type, org_level, sector)
         VALUES ($1, 'chair', 'grassroots', NULL), ($1, 'chair', 'grassroots', 'fdi')
         RETURNING id, sector
       )
       INSERT INTO role_profile_requirements (profile_id, competency_id, required_level, critical)
       SELECT prof.id, c.id,
              CASE WHEN prof.sector IS NULL THEN (ARRAY[4,3,3,3,3,2,2])[c.position]
                   ELSE (ARRAY[4,4,3,3,3,3,2])[c.position] END,
              c.position <= 2
         FROM prof CROSS JOIN competencies c WHERE c.version_id = $1`,
      [v.id],
    );
    await em.query(
      `INSERT INTO posts (org_unit_id, post_type, title, employment, single_holder, key_post)
       SELECT id, 'chair', 'Chủ tịch', 'part_time', true, true
         FROM org_units WHERE level = 'grassroots'
       ON CONFLICT (org_unit_id, post_type, title) WHERE status = 'active' DO NOTHING`,
    );
    // The unit's first person (national_id = seq × people per unit, see generateTree).
    await em.query(
      `INSERT INTO appointments (person_id, post_id, method, start_date, status)
       SELECT pe.id, po.id, 'elected', DATE '2023-07-01', 'active'
         FROM org_units gr
         JOIN posts po ON po.org_unit_id = gr.id AND po.post_type = 'chair' AND po.title = 'Chủ tịch'
         JOIN people pe ON pe.national_id = lpad((gr.seq * $1)::text, 12, '0')
        WHERE gr.level = 'grassroots'
          AND NOT EXISTS (SELECT 1 FROM appointments a WHERE a.post_id = po.id)`,
      [p],
    );
    await em.query(
      `INSERT INTO competency_ratings (person_id, competency_id, version_id, level, source,
                                       rater_person_id, rated_on, valid_until)
       SELECT h.person_id, c.id, $1,
              1 + (h.n * 7 + k) % 5,
              (CASE WHEN k < 7 THEN 'self' ELSE 'supervisor' END)::rating_source,
              CASE WHEN k < 7 THEN h.person_id END,
              CASE WHEN k < 7 THEN CURRENT_DATE - (200 + h.n % 300) ELSE CURRENT_DATE - (h.n % 90) END,
              CASE WHEN k < 7 AND h.n % 5 = 0 THEN CURRENT_DATE - 10
                   WHEN k < 7 THEN CURRENT_DATE - (200 + h.n % 300) + 730
                   ELSE CURRENT_DATE - (h.n % 90) + 730 END
         FROM (SELECT a.person_id, (row_number() OVER (ORDER BY a.person_id))::int AS n
                 FROM appointments a JOIN posts po ON po.id = a.post_id AND po.post_type = 'chair'
                WHERE a.status = 'active') h
         CROSS JOIN generate_series(0, 7) k
         JOIN competencies c ON c.version_id = $1
                            AND c.position = CASE WHEN k < 7 THEN k + 1 ELSE 1 + (h.n % 7)::int END`,
      [v.id],
    );
  });
  await ds.query('ANALYZE');
}

/**
 * The heatmap of the national root (34 federations × 7 competencies) through GapsService — the
 * real code path: scope and version checks, the statement through TypeORM, mapping to the DTO —
 * beside the same statement text run through a bare pg Client in the same process.
 * Median of 5 after one warm-up of each, alternating.
 */
export const heatmapMeasure: Measure = {
  name: 'competencies.heatmap',
  needsDatabase: true,
  async run({ scale, databaseUrl }) {
    const url = await benchDatabase(databaseUrl!, scale);
    const ds = new DataSource(dataSourceOptions({ url }));
    await ds.initialize();
    try {
      await once(ds, 'competencies', () => generateCompetencies(ds, scale));
    } finally {
      await ds.destroy();
    }

    const config = loadConfig({
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATABASE_URL: url,
      SEED_DEMO: 'false',
    });
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] })
      .overrideProvider(APP_CONFIG)
      .useValue(config)
      .compile();
    const app: INestApplicationContext = await moduleRef.init();
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      const appDs = app.get<DataSource>(getDataSourceToken());
      const [root] = await appDs.query<{ id: string; path: string }[]>(
        `SELECT id, path FROM org_units WHERE seq = 1`,
      );
      const [version] = await appDs.query<{ id: string }[]>(
        `SELECT v.id FROM framework_versions v JOIN competency_frameworks f ON f.id = v.framework_id
          WHERE f.code = $1 AND v.version_no = 1`,
        [FRAMEWORK_CODE],
      );
      const actor = new Actor(
        '00000000-0000-4000-8000-000000000001',
        '00000000-0000-4000-8000-000000000002',
        'bench@lms.congdoan.test',
        '00000000-0000-4000-8000-000000000003',
        [{ role: 'admin', orgUnitId: root.id, path: root.path }],
      );
      const gaps = app.get(GapsService);
      const query = { versionId: version.id, postType: 'chair' as const };
      // Exactly the statement GapsService.heatmap runs (its page asks for limit + 1 rows).
      const bare = heatmapSql({
        rootId: root.id,
        rootPath: root.path,
        versionId: version.id,
        postType: 'chair',
        asOf: isoDateVi(new Date()),
        limit: 101,
        after: null,
      });
      const ours = async () => {
        const t0 = process.hrtime.bigint();
        const res = await gaps.heatmap(actor, root.id, query);
        const ms = Number(process.hrtime.bigint() - t0) / 1e6;
        return { ms, rows: res.rows.length * res.competencies.length };
      };
      const base = async () => {
        const t0 = process.hrtime.bigint();
        const res = await client.query(bare.sql, bare.params);
        const ms = Number(process.hrtime.bigint() - t0) / 1e6;
        return { ms, rows: res.rowCount ?? 0 };
      };
      const warmOurs = await ours();
      const warmBare = await base();
      if (warmOurs.rows !== warmBare.rows) {
        throw new Error(
          `heatmap: ${warmOurs.rows} cells through the service, ${warmBare.rows} bare`,
        );
      }
      const n = 5;
      const oursMs: number[] = [];
      const bareMs: number[] = [];
      for (let i = 0; i < n; i += 1) {
        bareMs.push((await base()).ms);
        oursMs.push((await ours()).ms);
      }
      const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
      const value = median(oursMs);
      const baseline = median(bareMs);
      return {
        name: this.name,
        value: round(value, 1),
        unit: 'ms',
        baseline: round(baseline, 1),
        ratio: round(value / baseline),
        n,
      };
    } finally {
      await client.end();
      await app.close();
    }
  },
};
