import { DomainError } from '../common/errors/domain-error';
import { dmy } from '../common/dates/vietnam-dates';

/**
 * A due date before `today` (Vietnam, from the caller's Clock) is refused — for an assignment, or a programme's fixed
 * date: whoever it reached would be overdue on the day they are told. 422 naming the date and
 * today; the detail carries the date given.
 */
export function assertNotPast(
  dueDate: string | null | undefined,
  today: string,
  field = 'dueDate',
): void {
  if (dueDate && dueDate < today) {
    throw new DomainError('DUE_DATE_IN_PAST', { dueDate: dmy(dueDate), today: dmy(today) }, [
      { field, message: dueDate },
    ]);
  }
}
