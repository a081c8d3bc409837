import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Actor } from '../auth/actor';
import { DomainError } from '../common/errors/domain-error';
import type { Language } from '../common/http/language';
import { fill } from '../common/text/bilingual';
import { EvaluationsService } from '../evaluations/evaluations.service';
import { GapsService, GapTarget } from '../gaps/gaps.service';
import { ChangeReadinessDto, NominationDto } from './dto/planning.dto';
import { CycleRow, PlanningCyclesService } from './planning-cycles.service';
import {
  NOMINATION_STATUS_LABELS,
  READINESS_LABELS,
  SUGGESTION_REASON_LABELS,
} from './planning-labels';
import { Readiness } from './planning.types';
import { isOverride, suggestReadiness } from './readiness-suggestion';
import { NominationRow } from './nominations.queries';
import {
  loadNomination,
  nominationSnapshot,
  Suggestion,
  targetOf,
  toNominationDto,
  writableCycle,
} from './nomination-rows';

/**
 * Readiness of nominees: the suggestion computed from gaps and the latest evaluation (issue 5,
 * item 3), a reason required for overriding it, and HR's readiness changes.
 */
@Injectable()
export class ReadinessService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cycles: PlanningCyclesService,
    private readonly evaluations: EvaluationsService,
    private readonly audit: AuditService,
    private readonly gaps: GapsService,
  ) {}

  /**
   * The suggested readiness of many nominees in two queries whatever their number: the gaps
   * of every (person, nominated post) at once (GapsService.gapsForTargets) and the latest
   * evaluation of every person (EvaluationsService.latestFor); the rule is suggestReadiness.
   */
  async suggestionsFor(
    em: EntityManager,
    targets: readonly GapTarget[],
  ): Promise<Map<string, Suggestion>> {
    const gaps = await this.gaps.gapsForTargets(em, targets);
    const latest = await this.evaluations.latestFor(em, [
      ...new Set(targets.map((t) => t.personId)),
    ]);
    const out = new Map<string, Suggestion>();
    for (const t of targets) {
      const g = gaps.get(t.key);
      const e = latest.get(t.personId);
      const s = suggestReadiness({
        hasProfile: !!g?.profile,
        gaps: g?.items ?? [],
        evaluation: e ? { year: e.year, level: e.level } : null,
      });
      const slim = (x: (typeof s.criticalGaps)[number]) => ({
        code: x.code,
        requiredLevel: x.requiredLevel,
        currentLevel: x.currentLevel,
        critical: x.critical,
        gap: x.gap,
      });
      out.set(t.key, {
        readiness: s.readiness,
        reasons: s.reasons,
        versionId: g?.versionId ?? null,
        profileId: g?.profile?.id ?? null,
        criticalGaps: s.criticalGaps.map(slim),
        gapsOverOne: s.gapsOverOne.map(slim),
        maxGap: s.maxGap,
        totalGap: s.totalGap,
        evaluation: s.evaluation,
      });
    }
    return out;
  }

  /** Rows to DTOs with their suggestions: a bounded number of queries for the whole list. */
  async toDtos(
    em: EntityManager,
    rows: readonly NominationRow[],
    lang: Language,
  ): Promise<NominationDto[]> {
    const suggestions = await this.suggestionsFor(em, rows.map(targetOf));
    return rows.map((r) => toNominationDto(r, suggestions.get(r.id)!, lang));
  }

  async toDto(em: EntityManager, row: NominationRow, lang: Language): Promise<NominationDto> {
    return (await this.toDtos(em, [row], lang))[0];
  }

  /**
   * Refuses a readiness other than the suggested one without a reason (422
   * PLANNING_READINESS_OVERRIDE_REASON, the detail naming `field`); returns what to store in
   * readiness_override_reason: the reason for an override, null when HR follows the suggestion.
   */
  static overrideReason(
    chosen: Readiness,
    suggestion: Suggestion,
    reason: string | undefined,
    field: string,
  ): string | null {
    if (!isOverride(chosen, suggestion)) return null;
    if (!reason) {
      const suggested = READINESS_LABELS[suggestion.readiness!];
      const why = suggestion.reasons.map((r) => SUGGESTION_REASON_LABELS[r]);
      throw new DomainError('PLANNING_READINESS_OVERRIDE_REASON', { suggested }, [
        {
          field,
          ...fill(
            {
              vi: 'Cần nêu lý do: hệ thống gợi ý "{suggested}" ({why}).',
              en: 'A reason is required: the suggested readiness is "{suggested}" ({why}).',
            },
            {
              suggested,
              why: why.length
                ? { vi: why.map((w) => w.vi).join('; '), en: why.map((w) => w.en).join('; ') }
                : { vi: 'không có thiếu hụt', en: 'no gaps' },
            },
          ),
        },
      ]);
    }
    return reason;
  }

  /**
   * HR changes a nominee's readiness. A readiness other than the suggested one needs a reason,
   * stored with it (following the suggestion clears it); audited as nomination.readiness.
   * Unchanged readiness and reason: nothing written.
   */
  async changeReadiness(
    actor: Actor,
    cycleId: string,
    id: string,
    dto: ChangeReadinessDto,
    lang: Language,
  ): Promise<NominationDto> {
    return this.dataSource.transaction(async (em) => {
      const cycle = await writableCycle(this.cycles, actor, cycleId, em);
      const before = await loadNomination(em, cycle.id, id, true);
      if (before.status === 'removed') {
        throw new DomainError('PLANNING_NOMINATION_STATUS', {
          status: NOMINATION_STATUS_LABELS[before.status],
        });
      }
      const after = await this.setReadinessLocked(
        em,
        actor,
        cycle,
        before,
        dto.readiness,
        dto.reason,
        'reason',
      );
      return this.toDto(em, after, lang);
    });
  }

  /** The readiness change of changeReadiness and of a review decision, nomination locked. */
  async setReadinessLocked(
    em: EntityManager,
    actor: Actor,
    cycle: CycleRow,
    before: NominationRow,
    readiness: Readiness,
    reason: string | undefined,
    field: string,
  ): Promise<NominationRow> {
    const suggestion = (await this.suggestionsFor(em, [targetOf(before)])).get(before.id)!;
    const overrideReason = ReadinessService.overrideReason(readiness, suggestion, reason, field);
    if (readiness === before.readiness && overrideReason === before.readiness_override_reason) {
      return before;
    }
    await em.query(
      `UPDATE nominations SET readiness = $2, readiness_override_reason = $3, updated_at = now()
        WHERE id = $1`,
      [before.id, readiness, overrideReason],
    );
    const after = await loadNomination(em, cycle.id, before.id);
    await this.audit.record(em, actor, {
      action: 'nomination.readiness',
      entityType: 'nomination',
      entityId: before.id,
      orgUnitId: cycle.org_unit_id,
      before: nominationSnapshot(before),
      after: { ...nominationSnapshot(after), suggestedReadiness: suggestion.readiness },
    });
    return after;
  }
}
