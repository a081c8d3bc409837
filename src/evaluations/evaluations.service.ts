import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Actor } from '../auth/actor';
import { detail, DomainError } from '../common/errors/domain-error';
import { decodeCursor, DEFAULT_PAGE_SIZE, Page, toPage } from '../common/pagination/page';
import { OrgUnitsService } from '../org-units/org-units.service';
import { PeopleService } from '../people/people.service';
import { PERSON_AGE_LIMITS } from '../people/person-dates';
import { PersonStatus } from '../people/person.types';
import {
  EvaluationDto,
  EvaluationWarning,
  LatestEvaluation,
  ListPersonEvaluationsQueryDto,
  ListUnitEvaluationsQueryDto,
  RecordEvaluationDto,
  UnitEvaluationDto,
  UnitEvaluationPageDto,
} from './dto/evaluation.dto';
import {
  EVALUATION_LEVEL_LABELS,
  EVALUATION_POLICY,
  EvaluationLevel,
  EvaluationPolicy,
  levelForScore,
} from './evaluation-policy';
import { isUniqueViolation } from '../common/sql/unique-violation';

interface EvaluationRow {
  id: string;
  person_id: string;
  year: number;
  revision: number;
  score: string;
  level: EvaluationLevel;
  superseded_at: Date | string | null;
  evaluator_person_id: string;
  evaluator_name: string;
  comments: string | null;
  created_at: Date | string;
}

const EVALUATION_COLUMNS = `e.id, e.person_id, e.year, e.revision, e.score, e.level,
  e.superseded_at, e.evaluator_person_id, ev.full_name AS evaluator_name, e.comments, e.created_at`;

const iso = (v: Date | string) => new Date(v).toISOString();

function toEvaluationDto(r: EvaluationRow): EvaluationDto {
  return {
    id: r.id,
    personId: r.person_id,
    year: Number(r.year),
    revision: Number(r.revision),
    score: Number(r.score),
    level: r.level,
    levelLabel: EVALUATION_LEVEL_LABELS[r.level].vi,
    current: r.superseded_at === null,
    supersededAt: r.superseded_at === null ? null : iso(r.superseded_at),
    evaluatorPersonId: r.evaluator_person_id,
    evaluatorName: r.evaluator_name,
    comments: r.comments,
    createdAt: iso(r.created_at),
  };
}

const STATUS_WORDS: Record<Exclude<PersonStatus, 'active'>, { vi: string; en: string }> = {
  inactive: { vi: 'đã thôi công tác', en: 'no longer in service' },
  retired: { vi: 'đã nghỉ hưu', en: 'retired' },
  deceased: { vi: 'đã từ trần', en: 'deceased' },
};

/**
 * Only a person in service (status active) is evaluated, and only for a year in which they
 * were of working age: the year they turn 16 at the earliest.
 */
function checkEvaluable(
  person: { status: PersonStatus; birthDate: string | null },
  year: number,
): void {
  if (person.status !== 'active') {
    const words = STATUS_WORDS[person.status];
    throw new DomainError('EVALUATION_PERSON_NOT_ACTIVE', {}, [
      detail(
        'personId',
        `Trạng thái của cán bộ: ${words.vi}.`,
        `The person's status: ${words.en}.`,
      ),
    ]);
  }
  if (person.birthDate) {
    const minAge = PERSON_AGE_LIMITS.min;
    const earliestYear = Number(person.birthDate.slice(0, 4)) + minAge;
    if (year < earliestYear) {
      throw new DomainError(
        'EVALUATION_YEAR_BEFORE_MIN_AGE',
        { birthDate: person.birthDate, minAge, year, earliestYear },
        [
          detail(
            'year',
            `Năm đánh giá sớm nhất của cán bộ này là ${earliestYear}.`,
            `The earliest year to evaluate this person is ${earliestYear}.`,
          ),
        ],
      );
    }
  }
}

/**
 * Yearly evaluations (đánh giá, xếp loại). A correction is a new revision; the old one stays,
 * marked superseded. The unit list carries the warnings HR must see: too many "excellent" and
 * people "not completed" two years running — both computed in SQL over the whole subtree.
 */
@Injectable()
export class EvaluationsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(EVALUATION_POLICY) private readonly policy: EvaluationPolicy,
    private readonly people: PeopleService,
    private readonly orgUnits: OrgUnitsService,
    private readonly audit: AuditService,
  ) {}

  /**
   * Records the year's evaluation, or corrects it. The current revision is locked while the
   * next is written. A submission identical to the current revision (same score, hence the same
   * level under today's thresholds, and the same comments) is no correction: it answers the
   * current revision, `created` false, and writes nothing — whoever sends it, so a double click
   * or a retried request adds no revision. Two writers racing meet the unique indexes (one
   * current revision per person and year; one row per revision): the loser retries on the new
   * state — identical to it, it is answered with it; different, it becomes the next revision —
   * and after a few lost rounds answers 409 CONCURRENT_UPDATE; never a second current revision.
   */
  async record(
    actor: Actor,
    dto: RecordEvaluationDto,
  ): Promise<{ evaluation: EvaluationDto; created: boolean }> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.recordOnce(actor, dto);
      } catch (error) {
        const raced =
          isUniqueViolation(error, 'ux_evaluations_current') ||
          isUniqueViolation(error, 'uq_evaluations_revision');
        if (!raced) throw error;
        if (attempt >= 3) throw new DomainError('CONCURRENT_UPDATE');
      }
    }
  }

  private async recordOnce(
    actor: Actor,
    dto: RecordEvaluationDto,
  ): Promise<{ evaluation: EvaluationDto; created: boolean }> {
    return this.dataSource.transaction(async (em) => {
      const person = await this.people.findInScope(actor, dto.personId, 'hr:manage', em);
      if (person.id === actor.personId) {
        throw new DomainError('EVALUATION_SELF', {}, [
          detail(
            'personId',
            'Đây là hồ sơ của chính bạn; người khác phải đánh giá.',
            'This is your own record; someone else must evaluate it.',
          ),
        ]);
      }
      checkEvaluable(person, dto.year);
      const [previous] = await em.query<EvaluationRow[]>(
        `SELECT ${EVALUATION_COLUMNS} FROM evaluations e
           JOIN people ev ON ev.id = e.evaluator_person_id
          WHERE e.person_id = $1 AND e.year = $2 AND e.superseded_at IS NULL
            FOR UPDATE OF e`,
        [person.id, dto.year],
      );
      const level = levelForScore(dto.score, this.policy.thresholds);
      const comments = dto.comments || null;
      if (
        previous &&
        Number(previous.score) === dto.score &&
        previous.level === level &&
        (previous.comments ?? null) === comments
      ) {
        return { evaluation: toEvaluationDto(previous), created: false };
      }
      if (previous) {
        await em.query(`UPDATE evaluations SET superseded_at = now() WHERE id = $1`, [previous.id]);
      }
      const [inserted] = await em.query<{ id: string }[]>(
        `INSERT INTO evaluations (person_id, year, revision, score, level, evaluator_person_id,
                                    comments)
           VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
        [
          person.id,
          dto.year,
          (previous ? Number(previous.revision) : 0) + 1,
          dto.score,
          level,
          actor.personId,
          comments,
        ],
      );
      const [row] = await em.query<EvaluationRow[]>(
        `SELECT ${EVALUATION_COLUMNS} FROM evaluations e
             JOIN people ev ON ev.id = e.evaluator_person_id
            WHERE e.id = $1`,
        [inserted.id],
      );
      const recorded = toEvaluationDto(row);
      // A revision is its own row: the entry names it, with the revision it supersedes as
      // `before` (as it stood until now, still current), in the person's home unit.
      await this.audit.record(em, actor, {
        action: previous ? 'evaluation.revise' : 'evaluation.record',
        entityType: 'evaluation',
        entityId: recorded.id,
        orgUnitId: person.homeOrgUnitId,
        before: previous ? toEvaluationDto(previous) : null,
        after: recorded,
      });
      return { evaluation: recorded, created: true };
    });
  }

  /** Every revision of a person's evaluations, newest year and revision first. */
  async listForPerson(
    actor: Actor,
    personId: string,
    query: ListPersonEvaluationsQueryDto,
  ): Promise<Page<EvaluationDto>> {
    const person = await this.people.findInScope(actor, personId, 'people:read');
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const cursor = decodeCursor(query.cursor, ['int', 'int']);
    const params: unknown[] = [person.id, limit + 1];
    let keyset = '';
    if (cursor) {
      params.push(cursor[0], cursor[1]);
      keyset = 'AND (e.year, e.revision) < ($3::int, $4::int)';
    }
    const rows = await this.dataSource.query<EvaluationRow[]>(
      `SELECT ${EVALUATION_COLUMNS} FROM evaluations e
         JOIN people ev ON ev.id = e.evaluator_person_id
        WHERE e.person_id = $1 ${keyset}
        ORDER BY e.year DESC, e.revision DESC
        LIMIT $2`,
      params,
    );
    return toPage(rows, limit, (r) => [Number(r.year), Number(r.revision)], toEvaluationDto);
  }

  /**
   * The current evaluations of one year for the people of a unit's subtree, in Vietnamese name
   * order, with the subtree's warnings for that year.
   */
  async listForUnit(
    actor: Actor,
    unitId: string,
    query: ListUnitEvaluationsQueryDto,
  ): Promise<UnitEvaluationPageDto> {
    const unit = await this.orgUnits.findInScope(actor, unitId, 'people:read');
    const subtree = `${unit.path}%`;
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const cursor = decodeCursor(query.cursor, ['text', 'uuid']);
    const params: unknown[] = [subtree, query.year, limit + 1];
    let filters = '';
    if (query.level) {
      params.push(query.level);
      filters += ` AND e.level = $${params.length}::evaluation_level`;
    }
    if (cursor) {
      params.push(cursor[0], cursor[1]);
      filters += ` AND (p.sort_key, p.id) > ($${params.length - 1}, $${params.length}::uuid)`;
    }
    const rows = await this.dataSource.query<
      (EvaluationRow & { full_name: string; sort_key: string; home_org_unit_id: string })[]
    >(
      `SELECT ${EVALUATION_COLUMNS}, p.full_name, p.sort_key, p.home_org_unit_id
         FROM org_units o
         JOIN people p ON p.home_org_unit_id = o.id
         JOIN evaluations e ON e.person_id = p.id AND e.year = $2 AND e.superseded_at IS NULL
         JOIN people ev ON ev.id = e.evaluator_person_id
        WHERE o.path LIKE $1 ${filters}
        ORDER BY p.sort_key, p.id
        LIMIT $3`,
      params,
    );
    const page = toPage(
      rows,
      limit,
      (r) => [r.sort_key, r.person_id],
      (r): UnitEvaluationDto => ({
        ...toEvaluationDto(r),
        fullName: r.full_name,
        homeOrgUnitId: r.home_org_unit_id,
      }),
    );
    return { ...page, warnings: await this.warnings(subtree, query.year) };
  }

  private async warnings(subtree: string, year: number): Promise<EvaluationWarning[]> {
    const warnings: EvaluationWarning[] = [];
    const [share] = await this.dataSource.query<{ total: number; excellent: number }[]>(
      `SELECT count(*)::int AS total,
              count(*) FILTER (WHERE e.level = 'excellent')::int AS excellent
         FROM org_units o
         JOIN people p ON p.home_org_unit_id = o.id
         JOIN evaluations e ON e.person_id = p.id AND e.year = $2 AND e.superseded_at IS NULL
        WHERE o.path LIKE $1`,
      [subtree, year],
    );
    const total = Number(share?.total ?? 0);
    const count = Number(share?.excellent ?? 0);
    if (total > 0 && count / total > this.policy.excellentCap) {
      warnings.push({
        code: 'EXCELLENT_SHARE_ABOVE_CAP',
        share: Math.round((count / total) * 10_000) / 10_000,
        cap: this.policy.excellentCap,
        count,
        total,
      });
    }
    // LAG over each person's current revisions of the two years: one pass, no per-person query.
    const flagged = await this.dataSource.query<
      { person_id: string; full_name: string; prev_year: number; year: number }[]
    >(
      `SELECT person_id, full_name, prev_year, year FROM (
         SELECT e.person_id, p.full_name, p.sort_key, e.year, e.level,
                LAG(e.level) OVER w AS prev_level,
                LAG(e.year) OVER w AS prev_year
           FROM org_units o
           JOIN people p ON p.home_org_unit_id = o.id
           JOIN evaluations e ON e.person_id = p.id AND e.superseded_at IS NULL
                             AND e.year BETWEEN $2::int - 1 AND $2::int
          WHERE o.path LIKE $1
         WINDOW w AS (PARTITION BY e.person_id ORDER BY e.year)
       ) x
       WHERE x.year = $2::int AND x.prev_year = $2::int - 1
         AND x.level = 'not_completed' AND x.prev_level = 'not_completed'
       ORDER BY x.sort_key, x.person_id`,
      [subtree, year],
    );
    for (const f of flagged) {
      warnings.push({
        code: 'CONSECUTIVE_NOT_COMPLETED',
        personId: f.person_id,
        fullName: f.full_name,
        years: [Number(f.prev_year), Number(f.year)],
      });
    }
    return warnings;
  }

  /**
   * The latest current evaluation of each given person (highest year, current revision), in one
   * query; people never evaluated are absent from the map. Runs in the caller's transaction.
   */
  async latestFor(
    em: EntityManager,
    personIds: readonly string[],
  ): Promise<Map<string, LatestEvaluation>> {
    if (personIds.length === 0) return new Map();
    const rows = await em.query<
      { person_id: string; year: number; revision: number; score: string; level: EvaluationLevel }[]
    >(
      `SELECT DISTINCT ON (e.person_id) e.person_id, e.year, e.revision, e.score, e.level
         FROM evaluations e
        WHERE e.person_id = ANY($1::uuid[]) AND e.superseded_at IS NULL
        ORDER BY e.person_id, e.year DESC`,
      [[...personIds]],
    );
    return new Map(
      rows.map((r) => [
        r.person_id,
        {
          personId: r.person_id,
          year: Number(r.year),
          revision: Number(r.revision),
          score: Number(r.score),
          level: r.level,
        },
      ]),
    );
  }
}
