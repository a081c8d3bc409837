import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Actor } from '../auth/actor';
import { DomainError, LocalizedDetail } from '../common/errors/domain-error';
import { decodeCursor, DEFAULT_PAGE_SIZE, Page, toPage } from '../common/pagination/page';
import { nfc } from '../common/text/vietnamese';
import { PeopleService } from '../people/people.service';
import { detail } from './competency-details';
import { CompetencyLevelsQuery } from './competency-levels.query';
import { FrameworkVersionEntity } from './competency.entities';
import { defaultValidUntil, LearningSource, RatingSource } from './competency.types';
import {
  CurrentLevelsDto,
  ListRatingsQueryDto,
  RatingDto,
  RatingItemDto,
  RatingListDto,
  SelfRatingDto,
  SupervisorRatingDto,
} from './dto/rating.dto';
import { FrameworksService } from './frameworks.service';
import { Clock } from '../common/clock/clock';

/** One piece of learning evidence for RatingsService.appendEvidence. */
export interface EvidenceRow {
  personId: string;
  competencyId: string;
  versionId: string;
  level: number;
  source: LearningSource;
  /** yyyy-MM-dd */
  ratedOn: string;
  /** What produced it, e.g. 'enrolment' or 'attempt', and its id. */
  sourceType: string;
  sourceId: string;
}

interface RatingRow {
  id: string;
  person_id: string;
  version_id: string;
  competency_id: string;
  competency_code: string;
  level: number;
  source: RatingSource;
  rater_person_id: string | null;
  rated_on: string;
  valid_until: string;
  note: string | null;
  source_type: string | null;
  source_id: string | null;
  created_at: Date;
}

const RATING_COLUMNS = `r.id, r.person_id, r.version_id, r.competency_id, c.code AS competency_code,
  r.level, r.source, r.rater_person_id, r.rated_on::text AS rated_on,
  r.valid_until::text AS valid_until, r.note, r.source_type, r.source_id, r.created_at`;

function toRatingDto(r: RatingRow): RatingDto {
  return {
    id: r.id,
    personId: r.person_id,
    versionId: r.version_id,
    competencyId: r.competency_id,
    competencyCode: r.competency_code,
    level: r.level,
    source: r.source,
    raterPersonId: r.rater_person_id,
    ratedOn: r.rated_on,
    validUntil: r.valid_until,
    note: r.note,
    sourceRef: r.source_type && r.source_id ? { type: r.source_type, id: r.source_id } : null,
    createdAt: new Date(r.created_at).toISOString(),
  };
}

interface VersionCompetency {
  id: string;
  code: string;
  domain_code: string;
  name_vi: string;
  name_en: string;
}

/**
 * Ratings: append-only evidence of a person's level per competency. Nothing here updates or
 * deletes a rating; a correction is a new rating, and the current level is chosen by the
 * version's policy (CompetencyLevelsQuery), never by overwriting.
 */
@Injectable()
export class RatingsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly people: PeopleService,
    private readonly frameworks: FrameworksService,
    private readonly clock: Clock,
  ) {}

  /**
   * Learning evidence (course completions, graded attempts), in one INSERT … SELECT. Valid-until
   * follows RATING_VALIDITY_YEARS. Idempotent per (sourceType, sourceId, competency); rows
   * against a version that is not published are skipped. Returns how many rows were added.
   * Runs in the caller's transaction.
   */
  static async appendEvidence(em: EntityManager, rows: readonly EvidenceRow[]): Promise<number> {
    if (rows.length === 0) return 0;
    const inserted = await em.query<unknown[]>(
      `INSERT INTO competency_ratings (person_id, competency_id, version_id, level, source,
                                       rated_on, valid_until, source_type, source_id)
       SELECT x.person_id, x.competency_id, x.version_id, x.level, x.source::rating_source,
              x.rated_on, x.valid_until, x.source_type, x.source_id
         FROM jsonb_to_recordset($1::jsonb)
           AS x(person_id uuid, competency_id uuid, version_id uuid, level int, source text,
                rated_on date, valid_until date, source_type text, source_id uuid)
         JOIN framework_versions v ON v.id = x.version_id AND v.status = 'published'
         JOIN competencies c ON c.id = x.competency_id AND c.version_id = x.version_id
       ON CONFLICT (source_type, source_id, competency_id) WHERE source_id IS NOT NULL
       DO NOTHING
       RETURNING id`,
      [
        JSON.stringify(
          rows.map((r) => ({
            person_id: r.personId,
            competency_id: r.competencyId,
            version_id: r.versionId,
            level: r.level,
            source: r.source,
            rated_on: r.ratedOn,
            valid_until: defaultValidUntil(r.source, r.ratedOn),
            source_type: r.sourceType,
            source_id: r.sourceId,
          })),
        ),
      ],
    );
    return inserted.length;
  }

  /** Instance form of appendEvidence, for callers that inject the service. */
  appendEvidence(em: EntityManager, rows: readonly EvidenceRow[]): Promise<number> {
    return RatingsService.appendEvidence(em, rows);
  }

  /**
   * The person themself rates every competency of a published version, in one request and
   * one INSERT. Someone else's self-rating answers 403 (it cannot be made by anyone else).
   */
  async rateSelf(actor: Actor, personId: string, dto: SelfRatingDto): Promise<RatingListDto> {
    if (personId !== actor.personId) throw new DomainError('SELF_RATING_OTHERS');
    const ratedOn = this.clock.todayVn();
    return this.dataSource.transaction(async (em) => {
      const version = await this.publishedVersion(actor, dto.versionId, em);
      const { items, all } = await this.resolveItems(em, version, dto.ratings);
      const missing = all.filter((c) => !items.some((i) => i.competencyId === c.id));
      if (missing.length) {
        throw new DomainError(
          'SELF_RATING_INCOMPLETE',
          { expected: all.length, missing: missing.map((m) => m.code).join(', ') },
          missing.map((m) => detail('ratings', 'selfRatingMissing', { code: m.code })),
        );
      }
      const rows = await this.insert(em, personId, version.id, items, {
        source: 'self',
        raterPersonId: actor.personId,
        ratedOn,
        validUntil: defaultValidUntil('self', ratedOn),
      });
      return { items: rows };
    });
  }

  /**
   * A supervisor's rating of one or more competencies of a person in the actor's
   * competencies:rate scope (else 404). The source follows the rater's role over the person:
   * hr (or admin) → 'hr', a training officer → 'supervisor'.
   */
  async rateAsSupervisor(
    actor: Actor,
    personId: string,
    dto: SupervisorRatingDto,
  ): Promise<RatingListDto> {
    const today = this.clock.todayVn();
    const ratedOn = dto.ratedOn ?? today;
    const details: LocalizedDetail[] = [];
    if (ratedOn > today) details.push(detail('ratedOn', 'ratedOnFuture'));
    if (dto.validUntil && dto.validUntil < ratedOn) {
      details.push(detail('validUntil', 'validUntilBeforeRatedOn'));
    }
    if (details.length) throw new DomainError('VALIDATION_FAILED', {}, details);
    return this.dataSource.transaction(async (em) => {
      const person = await this.people.findInScope(actor, personId, 'competencies:rate', em);
      if (person.id === actor.personId) throw new DomainError('SUPERVISOR_RATING_SELF');
      const source: RatingSource = actor.grants.some(
        (g) => (g.role === 'hr' || g.role === 'admin') && person.orgPath.startsWith(g.path),
      )
        ? 'hr'
        : 'supervisor';
      const version = await this.publishedVersion(actor, dto.versionId, em);
      const { items } = await this.resolveItems(em, version, dto.ratings);
      const rows = await this.insert(em, person.id, version.id, items, {
        source,
        raterPersonId: actor.personId,
        ratedOn,
        validUntil: dto.validUntil ?? defaultValidUntil(source, ratedOn),
      });
      return { items: rows };
    });
  }

  /** A person's ratings, newest first (keyset on rated_on, id): the person, or staff in scope. */
  async history(
    actor: Actor,
    personId: string,
    query: ListRatingsQueryDto,
  ): Promise<Page<RatingDto>> {
    await this.people.assertCanRead(actor, personId, 'people:read');
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const cursor = decodeCursor(query.cursor, ['date', 'uuid']);
    const rows = await this.dataSource.query<RatingRow[]>(
      `SELECT ${RATING_COLUMNS}
         FROM competency_ratings r JOIN competencies c ON c.id = r.competency_id
        WHERE r.person_id = $1
          AND ($2::uuid IS NULL OR r.version_id = $2)
          AND ($3::date IS NULL OR (r.rated_on, r.id) < ($3::date, $4::uuid))
        ORDER BY r.rated_on DESC, r.id DESC
        LIMIT $5`,
      [personId, query.versionId ?? null, cursor?.[0] ?? null, cursor?.[1] ?? null, limit + 1],
    );
    return toPage(rows, limit, (r) => [r.rated_on, r.id], toRatingDto);
  }

  /** The current level of every competency of a version for one person, by its policy. */
  async currentLevels(
    actor: Actor,
    personId: string,
    versionId: string,
  ): Promise<CurrentLevelsDto> {
    await this.people.assertCanRead(actor, personId, 'people:read');
    const em = this.dataSource.manager;
    const version = await this.frameworks.findVersion(actor, versionId, 'read', em);
    const asOf = this.clock.todayVn();
    const competencies = await this.competenciesOf(em, version.id);
    const current = await CompetencyLevelsQuery.currentLevels(em, {
      versionId: version.id,
      personIds: [personId],
      asOf,
    });
    const byCompetency = new Map(current.map((c) => [c.competencyId, c]));
    return {
      personId,
      versionId: version.id,
      policy: { kind: version.policy, years: version.policyYears },
      asOf,
      items: competencies.map((c) => {
        const cur = byCompetency.get(c.id);
        return {
          competencyId: c.id,
          code: c.code,
          domainCode: c.domain_code,
          nameVi: c.name_vi,
          nameEn: c.name_en,
          level: cur?.level ?? null,
          proficient: cur ? cur.level >= version.proficientLevel : null,
          source: cur?.source ?? null,
          ratedOn: cur?.ratedOn ?? null,
          validUntil: cur?.validUntil ?? null,
          ageDays: cur?.ageDays ?? null,
          ratingId: cur?.ratingId ?? null,
          ratedVersionId: cur?.ratedVersionId ?? null,
        };
      }),
    };
  }

  /** A version the actor reads that takes ratings: published; draft or retired → 422. */
  private async publishedVersion(
    actor: Actor,
    versionId: string,
    em: EntityManager,
  ): Promise<FrameworkVersionEntity> {
    const version = await this.frameworks.findVersion(actor, versionId, 'read', em);
    if (version.status === 'draft') throw new DomainError('FRAMEWORK_VERSION_NOT_PUBLISHED');
    if (version.status === 'retired') throw new DomainError('FRAMEWORK_VERSION_RETIRED');
    return version;
  }

  private competenciesOf(em: EntityManager, versionId: string): Promise<VersionCompetency[]> {
    return em.query<VersionCompetency[]>(
      `SELECT c.id, c.code, d.code AS domain_code, c.name_vi, c.name_en
         FROM competencies c JOIN competency_domains d ON d.id = c.domain_id
        WHERE c.version_id = $1
        ORDER BY c.position, c.code`,
      [versionId],
    );
  }

  /**
   * Names each item's competency in the version (by code or id), and checks the level is on
   * the scale and no competency is named twice. Every problem is reported at once (400).
   */
  private async resolveItems(
    em: EntityManager,
    version: FrameworkVersionEntity,
    ratings: RatingItemDto[],
  ): Promise<{
    items: { competencyId: string; level: number; note: string | null }[];
    all: VersionCompetency[];
  }> {
    const all = await this.competenciesOf(em, version.id);
    const [{ levels }] = await em.query<{ levels: number }[]>(
      `SELECT count(*)::int AS levels FROM framework_levels WHERE version_id = $1`,
      [version.id],
    );
    const details: LocalizedDetail[] = [];
    const seen = new Set<string>();
    const items: { competencyId: string; level: number; note: string | null }[] = [];
    ratings.forEach((r, i) => {
      const at = `ratings.${i}`;
      if (r.competencyCode !== undefined && r.competencyId !== undefined) {
        details.push(detail(at, 'codeOrId'));
        return;
      }
      const competency = all.find((c) =>
        r.competencyId !== undefined ? c.id === r.competencyId : c.code === r.competencyCode,
      );
      if (!competency) {
        const field = r.competencyId !== undefined ? 'competencyId' : 'competencyCode';
        details.push(detail(`${at}.${field}`, 'notInVersion'));
        return;
      }
      if (seen.has(competency.id)) {
        details.push(detail(at, 'ratedTwice', { code: competency.code }));
      }
      seen.add(competency.id);
      if (r.level > levels) {
        details.push(detail(`${at}.level`, 'levelOffScale', { levels }));
      }
      items.push({
        competencyId: competency.id,
        level: r.level,
        note: r.note ? nfc(r.note) : null,
      });
    });
    if (details.length) throw new DomainError('VALIDATION_FAILED', {}, details);
    return { items, all };
  }

  /** One INSERT for all items; the version must still be published when the row is written. */
  private async insert(
    em: EntityManager,
    personId: string,
    versionId: string,
    items: { competencyId: string; level: number; note: string | null }[],
    common: { source: RatingSource; raterPersonId: string; ratedOn: string; validUntil: string },
  ): Promise<RatingDto[]> {
    const rows = await em.query<RatingRow[]>(
      `WITH ins AS (
         INSERT INTO competency_ratings (person_id, competency_id, version_id, level, source,
                                         rater_person_id, rated_on, valid_until, note)
         SELECT $1, x.competency_id, $2, x.level, $3::rating_source, $4, $5, $6, x.note
           FROM jsonb_to_recordset($7::jsonb) AS x(competency_id uuid, level int, note text)
          WHERE EXISTS (SELECT 1 FROM framework_versions v WHERE v.id = $2 AND v.status = 'published')
         RETURNING *
       )
       SELECT ${RATING_COLUMNS} FROM ins r JOIN competencies c ON c.id = r.competency_id
        ORDER BY c.position, c.code`,
      [
        personId,
        versionId,
        common.source,
        common.raterPersonId,
        common.ratedOn,
        common.validUntil,
        JSON.stringify(
          items.map((i) => ({ competency_id: i.competencyId, level: i.level, note: i.note })),
        ),
      ],
    );
    if (rows.length !== items.length) throw new DomainError('FRAMEWORK_VERSION_RETIRED');
    return rows.map(toRatingDto);
  }
}
