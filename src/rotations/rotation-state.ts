import { addDays, addMonths } from '../common/dates/calendar';
import { isoToVi } from '../common/dates/vietnam-dates';
import { DomainError } from '../common/errors/domain-error';
import type { Language } from '../common/http/language';
import { fill } from '../common/text/bilingual';
import { EVALUATION_LEVEL_LABELS, EvaluationLevel } from '../evaluations/evaluation-policy';
import { yearsBetween } from '../planning/planning-rules';
import { RotationDto } from './dto/rotation.dto';
import { ROTATION_STATUS_LABELS, RotationStatus } from './rotation.types';

/**
 * A rotation as the database holds it and as the API shows it: the one SELECT every read uses,
 * the row → state mapping, the labels, and the date rules that need no database.
 */
export interface RotationRow {
  id: string;
  person_id: string;
  full_name: string;
  from_post_id: string | null;
  from_title: string | null;
  from_post_unit_id: string | null;
  from_post_unit_name: string | null;
  from_org_unit_id: string;
  to_post_id: string;
  to_title: string;
  to_org_unit_id: string;
  to_unit_name: string;
  start_date: string;
  planned_end_date: string;
  actual_end_date: string | null;
  purpose: string;
  status: RotationStatus;
  from_appointment_id: string | null;
  to_appointment_id: string | null;
  return_appointment_id: string | null;
  end_evaluation: string | null;
  end_score: string | null;
  end_level: EvaluationLevel | null;
  early_end_reason: string | null;
  cancel_reason: string | null;
  retirement_date: string | null;
}

/** A rotation as the audit log keeps it: codes, no words for a reader. */
export type RotationState = Omit<RotationDto, 'statusLabel' | 'endLevelLabel'>;

export const ROTATION_SELECT = `
  SELECT r.id, r.person_id, pe.full_name,
         r.from_post_id, fp.title AS from_title, fp.org_unit_id AS from_post_unit_id,
         fo.name AS from_post_unit_name, r.from_org_unit_id,
         r.to_post_id, tp.title AS to_title, r.to_org_unit_id, tou.name AS to_unit_name,
         r.start_date::text AS start_date, r.planned_end_date::text AS planned_end_date,
         r.actual_end_date::text AS actual_end_date, r.purpose, r.status,
         r.from_appointment_id, r.to_appointment_id, r.return_appointment_id,
         r.end_evaluation, r.end_score, r.end_level, r.early_end_reason, r.cancel_reason,
         retirement_date(pe.birth_date, pe.gender)::text AS retirement_date
    FROM rotations r
    JOIN people pe ON pe.id = r.person_id
    JOIN org_units ho ON ho.id = pe.home_org_unit_id
    JOIN posts tp ON tp.id = r.to_post_id
    JOIN org_units tou ON tou.id = r.to_org_unit_id
    LEFT JOIN posts fp ON fp.id = r.from_post_id
    LEFT JOIN org_units fo ON fo.id = fp.org_unit_id`;

export function toRotationState(r: RotationRow): RotationState {
  return {
    id: r.id,
    personId: r.person_id,
    fullName: r.full_name,
    fromPost:
      r.from_post_id && r.from_title && r.from_post_unit_id && r.from_post_unit_name
        ? {
            id: r.from_post_id,
            title: r.from_title,
            orgUnitId: r.from_post_unit_id,
            orgUnitName: r.from_post_unit_name,
          }
        : null,
    fromOrgUnitId: r.from_org_unit_id,
    toPost: {
      id: r.to_post_id,
      title: r.to_title,
      orgUnitId: r.to_org_unit_id,
      orgUnitName: r.to_unit_name,
    },
    startDate: r.start_date,
    plannedEndDate: r.planned_end_date,
    actualEndDate: r.actual_end_date,
    purpose: r.purpose,
    status: r.status,
    fromAppointmentId: r.from_appointment_id,
    toAppointmentId: r.to_appointment_id,
    returnAppointmentId: r.return_appointment_id,
    endEvaluation: r.end_evaluation,
    endScore: r.end_score === null ? null : Number(r.end_score),
    endLevel: r.end_level,
    earlyEndReason: r.early_end_reason,
    cancelReason: r.cancel_reason,
    retirementDate: r.retirement_date,
    serviceYearsLeftAtStart: r.retirement_date
      ? Math.max(0, yearsBetween(r.start_date, r.retirement_date))
      : null,
  };
}

export function labelled(r: RotationState, lang: Language): RotationDto {
  return {
    ...r,
    statusLabel: ROTATION_STATUS_LABELS[r.status][lang],
    endLevelLabel: r.endLevel ? EVALUATION_LEVEL_LABELS[r.endLevel][lang] : null,
  };
}

/** The first day a rotation of `minMonths` from `start` may end on (both ends inclusive). */
export function minimumEnd(start: string, minMonths: number): string {
  return addDays(addMonths(start, minMonths), -1);
}

export function checkEndAfterStart(rotation: RotationState, endDate: string): void {
  if (endDate < rotation.startDate) {
    const startDate = isoToVi(rotation.startDate);
    throw new DomainError('DATE_RANGE_INVALID', { startDate }, [
      {
        field: 'endDate',
        ...fill(
          {
            vi: 'Trước ngày bắt đầu luân chuyển {startDate}.',
            en: 'Before the rotation starts on {startDate}.',
          },
          { startDate },
        ),
      },
    ]);
  }
}
