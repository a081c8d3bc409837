import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { Actor } from '../../src/auth/actor';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { OrgUnitsService } from '../../src/org-units/org-units.service';
import { DEFAULT_PLANNING_RULES } from '../../src/planning/planning.types';
import {
  PIPELINE_NINE_BOX_NAMES_SQL,
  PIPELINE_POSTS_SQL,
  PIPELINE_SUMMARY_LIVE_SQL,
  PIPELINE_SUMMARY_SQL,
  pipelineParams,
  summaryParams,
} from '../../src/reports/pipeline.sql';
import { PipelineFactsService } from '../../src/reports/pipeline-facts.service';
import { AppConfig } from '../../src/config/app-config';
import { NINE_BOX_NAMES, ReportsService } from '../../src/reports/reports.service';
import { benchDatabase, once } from './dataset';
import { Measure, round } from './measure';
import { addMonths } from '../../src/common/dates/calendar';
import { todayVn } from '../../src/common/dates/vietnam-dates';
import { SystemClock } from '../../src/common/clock/clock';

/**
 * The planning layer of the bench data set, generated once per database with set-based SQL:
 * for every grassroots union a key chair post, its 2023–2028 term and the current appointment
 * of the union's first person (each skipped where another measure's step made it already); one open (or approved) planning cycle per federation planning
 * all its chairs, with two nominations per post (the union's 2nd and 3rd people, readiness
 * spread over the three bands, two in three approved) — ~300k at national scale; and yearly
 * evaluations 2024–2025 of two people in five.
 */
async function generatePipeline(ds: DataSource): Promise<void> {
  await ds.transaction(async (em) => {
    await em.query(
      `INSERT INTO posts (org_unit_id, post_type, title, employment, single_holder, key_post)
       SELECT id, 'chair', 'Chủ tịch', 'part_time', TRUE, TRUE
         FROM org_units WHERE level = 'grassroots'
       ON CONFLICT (org_unit_id, post_type, title) WHERE status = 'active' DO NOTHING`,
    );
    await em.query(
      `INSERT INTO terms (org_unit_id, name, start_date, end_date)
       SELECT id, 'Nhiệm kỳ 2023–2028', '2023-07-01', '2028-06-30'
         FROM org_units o WHERE level = 'grassroots'
          AND NOT EXISTS (SELECT 1 FROM terms t WHERE t.org_unit_id = o.id)`,
    );
    // The first three people of each union (national_id order): holder, then two nominees.
    await em.query(
      `CREATE TEMP TABLE bench_ranked ON COMMIT DROP AS
       SELECT id, home_org_unit_id, rn FROM (
         SELECT id, home_org_unit_id,
                row_number() OVER (PARTITION BY home_org_unit_id ORDER BY national_id) AS rn
           FROM people) x
        WHERE rn <= 3`,
    );
    await em.query(
      `INSERT INTO appointments (person_id, post_id, term_id, method, start_date, status)
       SELECT r.id, p.id, t.id, 'elected', '2023-07-01', 'active'
         FROM bench_ranked r
         JOIN posts p ON p.org_unit_id = r.home_org_unit_id AND p.post_type = 'chair'
         JOIN terms t ON t.org_unit_id = r.home_org_unit_id
        WHERE r.rn = 1
          AND NOT EXISTS (SELECT 1 FROM appointments a WHERE a.post_id = p.id
                             AND a.status <> 'cancelled' AND a.end_date IS NULL)`,
    );
    await em.query(
      `INSERT INTO planning_cycles (org_unit_id, term_label, term_start, term_end, status, rules)
       SELECT id, '2028–2033', '2028-07-01', '2033-06-30',
              (CASE WHEN seq % 4 = 0 THEN 'approved' ELSE 'open' END)::planning_cycle_status,
              $1::jsonb
         FROM org_units WHERE level = 'federation'`,
      [JSON.stringify(DEFAULT_PLANNING_RULES)],
    );
    await em.query(
      `CREATE TEMP TABLE bench_cycle_posts ON COMMIT DROP AS
       SELECT c.id AS cycle_id, p.id AS post_id, p.org_unit_id
         FROM planning_cycles c
         JOIN org_units f ON f.id = c.org_unit_id
         JOIN org_units g ON g.path LIKE f.path || '%' AND g.level = 'grassroots'
         JOIN posts p ON p.org_unit_id = g.id AND p.post_type = 'chair'`,
    );
    await em.query(
      `INSERT INTO planning_cycle_posts (cycle_id, post_id) SELECT cycle_id, post_id FROM bench_cycle_posts`,
    );
    await em.query(
      `INSERT INTO nominations (cycle_id, post_id, person_id, readiness, status, approved_at,
                                first_time)
       SELECT cp.cycle_id, cp.post_id, r.id,
              (ARRAY['ready_now', 'ready_1_2_years', 'ready_3_plus_years'])[
                1 + abs(hashtext(r.id::text)) % 3]::nomination_readiness,
              (CASE WHEN abs(hashtext(r.id::text || 's')) % 3 = 0 THEN 'proposed'
                    ELSE 'approved' END)::nomination_status,
              CASE WHEN abs(hashtext(r.id::text || 's')) % 3 = 0 THEN NULL ELSE now() END,
              TRUE
         FROM bench_cycle_posts cp
         JOIN bench_ranked r ON r.home_org_unit_id = cp.org_unit_id AND r.rn IN (2, 3)`,
    );
    const [evaluator] = await em.query<{ id: string }[]>(
      `SELECT id FROM people ORDER BY national_id LIMIT 1`,
    );
    await em.query(
      `INSERT INTO evaluations (person_id, year, revision, score, level, evaluator_person_id)
       SELECT p.id, y, 1, s,
              (CASE WHEN s >= 90 THEN 'excellent' WHEN s >= 70 THEN 'good'
                    WHEN s >= 50 THEN 'completed' ELSE 'not_completed' END)::evaluation_level,
              $1
         FROM people p
        CROSS JOIN generate_series(2024, 2025) y
        CROSS JOIN LATERAL (SELECT (40 + abs(hashtext(p.id::text || y)) % 60)::numeric AS s) sc
        WHERE p.national_id::bigint % 5 < 2`,
      [evaluator.id],
    );
  });
  await ds.query('ANALYZE');
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function ms(run: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await run();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/**
 * The national pipeline report's first page — the VGCL subtree's coverage, women and under-40
 * ratios, at-risk count, nine-box counts and names, and the first 20 key posts with holders and
 * nominees — through ReportsService.report (scope lookup, facts freshness check, the three
 * statements through TypeORM, the mapping) beside the same three statements through a bare pg
 * Client in the same process. Median of 7 after a warm-up, alternating the two. It also prints
 * the day's full rebuild of the facts and the live summary statement those facts replace.
 */
export const pipelineMeasure: Measure = {
  name: 'pipeline.national',
  needsDatabase: true,
  async run({ scale, databaseUrl }) {
    const url = await benchDatabase(databaseUrl!, scale);
    const ds = new DataSource(dataSourceOptions({ url }));
    await ds.initialize();
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      await once(ds, 'pipeline', () => generatePipeline(ds));
      const [root] = await ds.query<{ id: string; path: string }[]>(
        `SELECT id, path FROM org_units WHERE depth = 0 ORDER BY seq LIMIT 1`,
      );
      const clock = new SystemClock();
      const facts = new PipelineFactsService(
        ds,
        {
          dailyScanEnabled: false,
          dailyScanIntervalMs: 3_600_000,
        } as AppConfig,
        clock,
      );
      const service = new ReportsService(ds, new OrgUnitsService(ds), facts, clock);
      const actor = new Actor('bench', 'bench', 'bench@lms', 'bench', [
        { role: 'admin', orgUnitId: root.id, path: root.path },
      ]);
      const asOf = todayVn();
      const horizon = addMonths(asOf, 24);
      const params = summaryParams({ subtreePath: root.path, asOf, horizon });
      const pageParams = [
        ...pipelineParams({ subtreePath: root.path, asOf, horizon }),
        21,
        null,
        null,
        null,
      ];
      const ours = () => service.report(actor, root.id, { monthsAhead: 24, limit: 20 });
      const bare = async () => {
        const summary = await client.query(PIPELINE_SUMMARY_SQL, params);
        await client.query(PIPELINE_NINE_BOX_NAMES_SQL, [params[0], NINE_BOX_NAMES]);
        await client.query(PIPELINE_POSTS_SQL, pageParams);
        return summary;
      };

      // The day's rebuild of the facts (what the first report of a day, or the hourly refresh,
      // pays) and the live statement over the source tables it replaces, each timed once.
      await ds.query(`UPDATE pipeline_facts_state SET as_of = NULL WHERE id = 1`);
      const rebuildMs = await ms(() => facts.refresh(asOf));
      let live: Record<string, unknown> = {};
      const liveMs = await ms(async () => {
        const liveParams = pipelineParams({ subtreePath: root.path, asOf, horizon });
        [live] = (await client.query(PIPELINE_SUMMARY_LIVE_SQL, liveParams)).rows as Record<
          string,
          unknown
        >[];
      });
      // One nomination changed, then the next report: the marked post is recomputed first.
      const changeMs = await ms(async () => {
        await ds.query(
          `UPDATE nominations SET updated_at = now()
            WHERE id = (SELECT id FROM nominations ORDER BY id LIMIT 1)`,
        );
        await ours();
      });

      const [check] = (await bare()).rows as Record<string, unknown>[];
      const viaService = await ours();
      for (const key of ['key_posts', 'covered_posts', 'at_risk_posts', 'nominees', 'women']) {
        if (Number(check[key]) !== Number(live[key])) {
          throw new Error(`facts and live statement disagree on ${key}`);
        }
      }
      if (viaService.summary.keyPosts !== Number(check.key_posts)) {
        throw new Error('the service and the bare statement disagree');
      }
      console.error(
        `pipeline: ${String(check.key_posts)} key posts, ${String(check.nominees)} nominees; ` +
          `facts rebuild ${round(rebuildMs, 0)} ms, live statement ${round(liveMs, 0)} ms, ` +
          `one change then report ${round(changeMs, 0)} ms; ` +
          `summary ${JSON.stringify(viaService.summary)}`,
      );
      const n = 7;
      const oursMs: number[] = [];
      const bareMs: number[] = [];
      for (let i = 0; i < n; i += 1) {
        bareMs.push(await ms(bare));
        oursMs.push(await ms(ours));
      }
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
      await ds.destroy();
    }
  },
};
