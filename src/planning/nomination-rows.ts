import { EntityManager } from 'typeorm';
import { Actor } from '../auth/actor';
import { DomainError } from '../common/errors/domain-error';
import type { Language } from '../common/http/language';
import { GapTarget } from '../gaps/gaps.service';
import { NominationDto, ReadinessSuggestionDto, ReviewDto } from './dto/planning.dto';
import { CycleRow, PlanningCyclesService } from './planning-cycles.service';
import {
  CYCLE_STATUS_LABELS,
  NOMINATION_STATUS_LABELS,
  READINESS_LABELS,
  REMOVAL_REASON_LABELS,
  REVIEW_DECISION_LABELS,
  SUGGESTION_REASON_LABELS,
} from './planning-labels';
import { findNominationOfCycle, NominationRow, ReviewRow } from './nominations.queries';

/*
 * What the nomination services share: the rows as DTOs and audit snapshots, and the loader
 * that answers 404 for a nomination outside the (already scope-checked) cycle.
 */

const isoOrNull = (v: Date | string | null) => (v === null ? null : new Date(v).toISOString());

/** The suggestion as computed, before its reasons are worded for a reader. */
export type Suggestion = Omit<ReadinessSuggestionDto, 'reasonLabels'>;

export function labelSuggestion(s: Suggestion, lang: Language): ReadinessSuggestionDto {
  return { ...s, reasonLabels: s.reasons.map((r) => SUGGESTION_REASON_LABELS[r][lang]) };
}

export function toNominationDto(
  r: NominationRow,
  suggestion: Suggestion,
  lang: Language,
): NominationDto {
  return {
    id: r.id,
    cycleId: r.cycle_id,
    postId: r.post_id,
    postTitle: r.post_title,
    postType: r.post_type,
    personId: r.person_id,
    fullName: r.full_name,
    gender: r.gender,
    birthDate: r.birth_date,
    readiness: r.readiness,
    readinessLabel: READINESS_LABELS[r.readiness][lang],
    readinessOverrideReason: r.readiness_override_reason,
    suggestedReadiness: suggestion.readiness,
    suggestedReadinessLabel: suggestion.readiness
      ? READINESS_LABELS[suggestion.readiness][lang]
      : null,
    suggestion: labelSuggestion(suggestion, lang),
    status: r.status,
    statusLabel: NOMINATION_STATUS_LABELS[r.status][lang],
    removalReason: r.removal_reason,
    removalReasonLabel: r.removal_reason ? REMOVAL_REASON_LABELS[r.removal_reason][lang] : null,
    removalNote: r.removal_note,
    firstTime: r.first_time,
    proposedBy: r.proposed_by,
    approvedBy: r.approved_by,
    approvedAt: isoOrNull(r.approved_at),
    removedBy: r.removed_by,
    removedAt: isoOrNull(r.removed_at),
    createdAt: new Date(r.created_at).toISOString(),
  };
}

/** What the audit log keeps of a nomination. */
export function nominationSnapshot(r: NominationRow) {
  return {
    cycleId: r.cycle_id,
    postId: r.post_id,
    personId: r.person_id,
    readiness: r.readiness,
    readinessOverrideReason: r.readiness_override_reason,
    status: r.status,
    removalReason: r.removal_reason,
    removalNote: r.removal_note,
    firstTime: r.first_time,
    proposedBy: r.proposed_by,
    approvedBy: r.approved_by,
  };
}

export function toReviewDto(r: ReviewRow, lang: Language): ReviewDto {
  return {
    id: r.id,
    nominationId: r.nomination_id,
    cycleId: r.cycle_id,
    reviewYear: Number(r.review_year),
    personId: r.person_id,
    fullName: r.full_name,
    postId: r.post_id,
    postTitle: r.post_title,
    readinessBefore: r.readiness_before,
    readinessBeforeLabel: READINESS_LABELS[r.readiness_before][lang],
    readinessAfter: r.readiness_after,
    readinessAfterLabel: r.readiness_after ? READINESS_LABELS[r.readiness_after][lang] : null,
    decision: r.decision,
    decisionLabel: r.decision ? REVIEW_DECISION_LABELS[r.decision][lang] : null,
    flags: r.flags,
    note: r.note,
    reviewer: r.reviewer,
    decidedAt: isoOrNull(r.decided_at),
    createdAt: new Date(r.created_at).toISOString(),
  };
}

export function reviewSnapshot(r: ReviewRow) {
  return {
    nominationId: r.nomination_id,
    reviewYear: Number(r.review_year),
    readinessBefore: r.readiness_before,
    readinessAfter: r.readiness_after,
    decision: r.decision,
    flags: r.flags,
    note: r.note,
    reviewer: r.reviewer,
  };
}

/** A nomination of the cycle, or 404 NOMINATION_NOT_FOUND. */
export async function loadNomination(
  em: EntityManager,
  cycleId: string,
  id: string,
  lock = false,
): Promise<NominationRow> {
  const row = await findNominationOfCycle(em, cycleId, id, lock);
  if (!row) throw new DomainError('NOMINATION_NOT_FOUND');
  return row;
}

/** What the gap measure needs of a nomination: the nominee against the nominated post. */
export function targetOf(r: NominationRow): GapTarget {
  return {
    key: r.id,
    personId: r.person_id,
    postType: r.post_type,
    orgUnitId: r.post_org_unit_id,
  };
}

/** The cycle in the actor's hr scope, share-locked; nothing changes once it is closed. */
export async function writableCycle(
  cycles: PlanningCyclesService,
  actor: Actor,
  cycleId: string,
  em: EntityManager,
): Promise<CycleRow> {
  const cycle = await cycles.findInScope(actor, cycleId, 'hr:manage', em, 'share');
  if (cycle.status === 'closed') {
    throw new DomainError('PLANNING_CYCLE_STATUS', {
      status: CYCLE_STATUS_LABELS[cycle.status],
    });
  }
  return cycle;
}
