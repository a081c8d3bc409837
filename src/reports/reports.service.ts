import { Injectable, StreamableFile } from '@nestjs/common';
import { tableFile } from '../common/csv/table';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Actor } from '../auth/actor';
import type { Language } from '../common/http/language';
import { decodeCursor, DEFAULT_PAGE_SIZE, encodeCursor } from '../common/pagination/page';
import { OrgUnitsService } from '../org-units/org-units.service';
import { NOMINATION_STATUS_LABELS, READINESS_LABELS } from '../planning/planning-labels';
import { DEFAULT_PLANNING_RULES, PlanningRules } from '../planning/planning.types';
import { POST_TYPES, PostType } from '../posts/post-types';
import {
  DEFAULT_MONTHS_AHEAD,
  NineBoxCellDto,
  PipelineHolderDto,
  PipelineNomineeDto,
  PipelinePostDto,
  PipelineQueryDto,
  PipelineReportDto,
  PipelineSummaryDto,
  PipelineUnitRefDto,
  RISK_REASON_LABELS,
  RiskReason,
} from './dto/pipeline.dto';
import { Band, BAND_LABELS, BANDS } from './nine-box';
import {
  PIPELINE_NINE_BOX_NAMES_SQL,
  PIPELINE_POSTS_SQL,
  PIPELINE_SUMMARY_SQL,
  PipelineSummaryRow,
  pipelineParams,
  summaryParams,
} from './pipeline.sql';
import { PipelineFactsService } from './pipeline-facts.service';
import { PIPELINE_TABLE, pipelineRow } from './pipeline-csv';
import { PDF_MAX_POSTS, renderPipelinePdf } from './pipeline-pdf';
import { addMonths } from '../common/dates/calendar';
import { Clock } from '../common/clock/clock';

/** Names listed per nine-box cell in the JSON report (counts are always complete). */
export const NINE_BOX_NAMES = 20;
/** Page size when the exports read every key post of a subtree. */
const EXPORT_BATCH = 1000;

interface PostRow {
  post_id: string;
  post_type: PostType;
  title: string;
  unit_id: string;
  unit_code: string;
  unit_name: string;
  path: string;
  horizon: string;
  term_end: string | null;
  holders: PipelineHolderDto[] | string;
  nominees: Omit<PipelineNomineeDto, 'readinessLabel' | 'statusLabel'>[] | string;
}

/** The subtree, the report date and the horizon one report is computed for. */
export interface PipelineScope {
  unit: PipelineUnitRefDto & { path: string };
  asOf: string;
  monthsAhead: number;
  horizon: string;
  rules: PlanningRules;
}

/** PGlite hands json columns back parsed; node-postgres too, but a string is tolerated. */
const json = <T>(v: T | string): T => (typeof v === 'string' ? (JSON.parse(v) as T) : v);

const ratio = (count: number, total: number) =>
  total === 0 ? 0 : Math.round((count / total) * 10_000) / 10_000;

/**
 * The HR pipeline view of a subtree (read-only): per key post its holders, term end, nominees
 * by readiness, bench strength and risk; for the subtree coverage, the women and under-40 shares
 * of the nominees against the planning targets, and the nine-box. Each part is one set-based
 * statement over the whole subtree (see pipeline.sql.ts); the post list is keyset paged.
 * Retirement dates follow the statutory roadmap (retirement_date() in SQL); the women and
 * under-40 targets are the planning rule defaults (DEFAULT_PLANNING_RULES). Labels of codes are
 * in the caller's language; the CSV and PDF exports are Vietnamese.
 */
@Injectable()
export class ReportsService {
  private readonly rules: PlanningRules = DEFAULT_PLANNING_RULES;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly orgUnits: OrgUnitsService,
    private readonly facts: PipelineFactsService,
    private readonly clock: Clock,
  ) {}

  get manager(): EntityManager {
    return this.dataSource.manager;
  }

  /** The unit in the caller's HR scope (else 404) and the dates of the report. */
  async scope(actor: Actor, unitId: string, monthsAhead?: number): Promise<PipelineScope> {
    const unit = await this.orgUnits.findInScope(actor, unitId, 'hr:manage');
    const asOf = this.clock.todayVn();
    const months = monthsAhead ?? DEFAULT_MONTHS_AHEAD;
    return {
      unit: { id: unit.id, code: unit.code, name: unit.name, path: unit.path },
      asOf,
      monthsAhead: months,
      horizon: addMonths(asOf, months),
      rules: this.rules,
    };
  }

  /**
   * The pipeline of a subtree as a file: all key posts as CSV (UTF-8 BOM) or an Excel workbook,
   * or the printable PDF report. The API's format=csv|xlsx|pdf and the portal's download links.
   */
  async exportFile(
    actor: Actor,
    unitId: string,
    monthsAhead: number | undefined,
    format: 'csv' | 'xlsx' | 'pdf',
  ): Promise<StreamableFile> {
    const scope = await this.scope(actor, unitId, monthsAhead);
    const file = `pipeline-${scope.unit.code}-${scope.asOf}`;
    if (format === 'csv' || format === 'xlsx') {
      const posts = await this.allPosts(scope);
      return tableFile(format, PIPELINE_TABLE, posts.map(pipelineRow), file);
    }
    const { summary, nineBox } = await this.summaryOf(this.manager, scope, false);
    const pdf = await renderPipelinePdf({
      unitName: scope.unit.name,
      asOf: scope.asOf,
      monthsAhead: scope.monthsAhead,
      summary,
      nineBox,
      posts: await this.allPosts(scope, PDF_MAX_POSTS),
      totalPosts: summary.keyPosts,
    });
    return new StreamableFile(pdf, {
      type: 'application/pdf',
      disposition: `attachment; filename="${file}.pdf"`,
      length: pdf.length,
    });
  }

  /** The subtree summary and nine-box counts: what the national benchmark times. */
  async summary(
    actor: Actor,
    unitId: string,
    monthsAhead?: number,
  ): Promise<{ summary: PipelineSummaryDto; nineBox: NineBoxCellDto[] }> {
    const scope = await this.scope(actor, unitId, monthsAhead);
    return this.summaryOf(this.dataSource.manager, scope, false);
  }

  async report(
    actor: Actor,
    unitId: string,
    query: PipelineQueryDto,
    lang: Language = 'vi',
  ): Promise<PipelineReportDto> {
    const scope = await this.scope(actor, unitId, query.monthsAhead);
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const cursor = decodeCursor(query.cursor, ['text', POST_TYPES, 'uuid']);
    const em = this.dataSource.manager;
    const { summary, nineBox } = await this.summaryOf(em, scope, true, lang);
    const page = await this.postsPage(em, scope, limit, cursor, lang);
    return {
      orgUnit: { id: scope.unit.id, code: scope.unit.code, name: scope.unit.name },
      asOf: scope.asOf,
      monthsAhead: scope.monthsAhead,
      summary,
      nineBox,
      items: page.items,
      nextCursor: page.nextCursor,
    };
  }

  /** Every key post of the subtree (for the exports), read page by page on the keyset. */
  async allPosts(scope: PipelineScope, max = Infinity): Promise<PipelinePostDto[]> {
    const out: PipelinePostDto[] = [];
    let cursor: [string, string, string] | null = null;
    for (;;) {
      const size = Math.min(EXPORT_BATCH, max - out.length);
      if (size <= 0) break;
      const page = await this.postsPage(this.dataSource.manager, scope, size, cursor, 'vi');
      out.push(...page.items);
      if (!page.last) break;
      cursor = page.last;
    }
    return out;
  }

  async summaryOf(
    em: EntityManager,
    scope: PipelineScope,
    withNames: boolean,
    lang: Language = 'vi',
  ): Promise<{ summary: PipelineSummaryDto; nineBox: NineBoxCellDto[] }> {
    await this.facts.refresh(scope.asOf);
    const [row] = await em.query<PipelineSummaryRow[]>(
      PIPELINE_SUMMARY_SQL,
      summaryParams({ subtreePath: scope.unit.path, asOf: scope.asOf, horizon: scope.horizon }),
    );
    const names = new Map<string, string[]>();
    if (withNames) {
      const rows = await em.query<{ performance: Band; potential: Band; names: string[] }[]>(
        PIPELINE_NINE_BOX_NAMES_SQL,
        [`${scope.unit.path}%`, NINE_BOX_NAMES],
      );
      for (const r of rows) names.set(`${r.performance}/${r.potential}`, json(r.names));
    }
    const counts = new Map(
      json(row.nine_box).map((c) => [`${c.performance}/${c.potential}`, Number(c.count)]),
    );
    const nominees = Number(row.nominees);
    const women = Number(row.women);
    const under40 = Number(row.under40);
    const keyPosts = Number(row.key_posts);
    const covered = Number(row.covered_posts);
    const womenRatio = ratio(women, nominees);
    const under40Ratio = ratio(under40, nominees);
    return {
      summary: {
        keyPosts,
        coveredPosts: covered,
        coverage: ratio(covered, keyPosts),
        atRiskPosts: Number(row.at_risk_posts),
        nominees,
        women: {
          count: women,
          ratio: womenRatio,
          target: scope.rules.womenTarget,
          met: nominees > 0 && women / nominees >= scope.rules.womenTarget,
        },
        under40: {
          count: under40,
          ratio: under40Ratio,
          target: scope.rules.under40Target,
          met: nominees > 0 && under40 / nominees >= scope.rules.under40Target,
        },
      },
      // Potential high → low, then performance high → low: the grid read row by row.
      nineBox: BANDS.flatMap((potential) =>
        BANDS.map((performance) => ({
          performance,
          performanceLabel: BAND_LABELS[performance][lang],
          potential,
          potentialLabel: BAND_LABELS[potential][lang],
          count: counts.get(`${performance}/${potential}`) ?? 0,
          names: names.get(`${performance}/${potential}`) ?? [],
        })),
      ),
    };
  }

  private async postsPage(
    em: EntityManager,
    scope: PipelineScope,
    limit: number,
    cursor: [string, string, string] | null,
    lang: Language,
  ): Promise<{
    items: PipelinePostDto[];
    nextCursor: string | null;
    last: [string, string, string] | null;
  }> {
    const rows = await em.query<PostRow[]>(PIPELINE_POSTS_SQL, [
      ...pipelineParams({ subtreePath: scope.unit.path, asOf: scope.asOf, horizon: scope.horizon }),
      limit + 1,
      cursor?.[0] ?? null,
      cursor?.[1] ?? null,
      cursor?.[2] ?? null,
    ]);
    const more = rows.length > limit;
    const pageRows = more ? rows.slice(0, limit) : rows;
    const tail = pageRows[pageRows.length - 1];
    const last: [string, string, string] | null =
      more && tail ? [tail.path, tail.post_type, tail.post_id] : null;
    return {
      items: pageRows.map((r) => toPostDto(r, lang)),
      nextCursor: last ? encodeCursor(last) : null,
      last,
    };
  }
}

function toPostDto(r: PostRow, lang: Language): PipelinePostDto {
  const holders = json(r.holders);
  const nominees = json(r.nominees).map((n) => ({
    ...n,
    readinessLabel: READINESS_LABELS[n.readiness][lang],
    statusLabel: NOMINATION_STATUS_LABELS[n.status][lang],
  }));
  const readyNow = nominees.filter((n) => n.readiness === 'ready_now');
  const reasons: RiskReason[] = [];
  if (r.term_end && r.term_end <= r.horizon) reasons.push('term_end');
  if (holders.some((h) => h.retirementDate !== null && h.retirementDate <= r.horizon)) {
    reasons.push('retirement');
  }
  if (holders.length === 0) reasons.push('vacant');
  const atRisk = readyNow.length === 0 && reasons.length > 0;
  return {
    postId: r.post_id,
    postType: r.post_type,
    title: r.title,
    orgUnit: { id: r.unit_id, code: r.unit_code, name: r.unit_name },
    holders,
    termEnd: r.term_end,
    nominees: {
      readyNow,
      ready1To2Years: nominees.filter((n) => n.readiness === 'ready_1_2_years'),
      ready3PlusYears: nominees.filter((n) => n.readiness === 'ready_3_plus_years'),
    },
    benchStrength: readyNow.length,
    atRisk,
    riskReasons: atRisk ? reasons : [],
    riskReasonLabels: atRisk ? reasons.map((x) => RISK_REASON_LABELS[x][lang]) : [],
  };
}
