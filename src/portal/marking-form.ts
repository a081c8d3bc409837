import { numberOrText, text } from './forms';

/**
 * The grading page's form turned into MarkItemDto's shape, and the learner's response turned
 * into what a marker reads. Kept apart from the controller so that the decimal comma, blank
 * criteria and the placing of refusals are tested without a database.
 */

type Form = Record<string, unknown>;

/** The input of a rubric criterion is named `c_<key>`; the API names it `criteria.<key>`. */
export const CRITERION_PREFIX = 'c_';

/**
 * A mark as the form gives it: an essay's points per criterion (each `c_<key>` input, a
 * decimal comma read as a point, a blank one sent as missing so that the service says which)
 * with the feedback; without criteria inputs, an override's points and reason.
 */
export function markOf(form: Form): Record<string, unknown> {
  const criteria = Object.entries(form)
    .filter(([name]) => name.startsWith(CRITERION_PREFIX))
    .map(([name, value]) => [name.slice(CRITERION_PREFIX.length), numberOrText(value)] as const);
  const feedback = text(form.feedback);
  if (criteria.length) {
    return {
      criteria: Object.fromEntries(criteria.filter(([, v]) => v !== undefined)),
      ...(feedback === undefined ? {} : { feedback }),
    };
  }
  const body: Record<string, unknown> = {
    points: numberOrText(form.points),
    reason: text(form.reason),
    feedback,
  };
  return Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined));
}

/**
 * The input a refusal's detail belongs beside: `criteria.<key>` is the criterion's input, the
 * DTO's own fields keep their names; anything else (a criterion the rubric lacks) goes on top.
 */
export function inputOf(field: string): string | null {
  if (field.startsWith('criteria.')) return `${CRITERION_PREFIX}${field.slice('criteria.'.length)}`;
  return ['points', 'reason', 'feedback'].includes(field) ? field : null;
}

/** An essay as a marker reads it: its paragraphs (blank lines or line breaks) and word count. */
export function essayOf(response: unknown): { paragraphs: string[]; words: number } {
  const body = typeof response === 'string' ? response : '';
  const paragraphs = body
    .split(/\r?\n/)
    .map((p) => p.trim())
    .filter((p) => p !== '');
  const words = body.split(/\s+/u).filter((w) => w !== '').length;
  return { paragraphs, words };
}

/** Any other response in words: a list joined by commas, pairs as "left → right". */
export function responseText(response: unknown): string {
  if (response === null || response === undefined) return '';
  if (typeof response === 'string') return response;
  if (Array.isArray(response)) return response.map(responseText).join(', ');
  if (typeof response === 'object') {
    return Object.entries(response as Record<string, unknown>)
      .map(([k, v]) => `${k} → ${responseText(v)}`)
      .join('; ');
  }
  return typeof response === 'number' || typeof response === 'boolean' ? String(response) : '';
}
