import { detail, DomainError } from '../common/errors/domain-error';
import { POST_DATE_LIMITS } from './post.types';
import { addYears } from '../common/dates/calendar';
import { dmy } from '../common/dates/vietnam-dates';

/** An end before the start: 400 with the start as people read it. */
export const endBeforeStart = (startDate: string) =>
  new DomainError('DATE_RANGE_INVALID', { startDate }, [
    detail(
      'endDate',
      `Không được trước ngày bắt đầu ${dmy(startDate)}.`,
      `Cannot be before the start date ${dmy(startDate)}.`,
    ),
  ]);

/**
 * Plausible dates of an appointment recorded through the API (POST_DATE_LIMITS), against today
 * in Vietnam: a start from 1950 to a year ahead, an end at most ten years ahead.
 */
export function checkAppointmentDates(
  startDate: string | null,
  endDate: string | null,
  today: string,
): void {
  const earliest = POST_DATE_LIMITS.earliest;
  const latest = addYears(today, POST_DATE_LIMITS.appointmentStartYearsAhead);
  const latestEnd = addYears(today, POST_DATE_LIMITS.appointmentEndYearsAhead);
  const details = [];
  if (startDate !== null && (startDate < earliest || startDate > latest)) {
    details.push(
      detail(
        'startDate',
        `Phải từ ${dmy(earliest)} đến ${dmy(latest)}.`,
        `Must be from ${dmy(earliest)} to ${dmy(latest)}.`,
      ),
    );
  }
  if (endDate !== null && (endDate < earliest || endDate > latestEnd)) {
    details.push(
      detail(
        'endDate',
        `Phải từ ${dmy(earliest)} đến ${dmy(latestEnd)}.`,
        `Must be from ${dmy(earliest)} to ${dmy(latestEnd)}.`,
      ),
    );
  }
  if (details.length) {
    throw new DomainError(
      'APPOINTMENT_DATE_OUT_OF_RANGE',
      { earliest, latest, latestEnd },
      details,
    );
  }
}
