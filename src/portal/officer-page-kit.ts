import { Type } from '@nestjs/common';
import type { Response } from 'express';
import { AuthenticatedRequest } from '../auth/access.decorators';
import { Actor } from '../auth/actor';
import { OrgUnitDto } from '../org-units/dto/org-unit.dto';
import { OrgUnitsService } from '../org-units/org-units.service';
import { ORG_LEVELS, SECTORS } from '../org-units/org-unit.types';
import { formProblem, numberOrText, text, validated } from './forms';
import { PageRenderer } from './page-renderer';

// The posts an audience may name, course delivery modes and the lessons a page writes by hand:
// the lists the DTOs validate against, not copies of them.
import { POST_TYPES } from '../posts/post-types';
import { DELIVERY_MODES, MANUAL_LESSON_KINDS as LESSON_KINDS } from '../courses/course.types';
import { BANK_QUESTION_KINDS, PARTIAL_CREDIT_POLICIES } from '../assessments/question-bank.types';
export { POST_TYPES, DELIVERY_MODES, LESSON_KINDS };
export const OPTION_KEYS = ['a', 'b', 'c', 'd'] as const;

export type Form = Record<string, unknown>;

export const STATUSES = [
  'draft',
  'published',
  'archived',
  'superseded',
  'pending',
  'running',
  'assigned',
  'failed',
  'rolled_back',
  'sending',
  'sent',
  'dead',
] as const;

/** API field names that have a word of their own (officer.field.<name>). */
export const FIELD_NAMES = Object.fromEntries(
  [
    'code',
    'title',
    'description',
    'deliveryMode',
    'durationHours',
    'passScore',
    'ownerOrgUnitId',
    'kind',
    'content',
    'url',
    'timeLimitMinutes',
    'maxAttempts',
    'prompt',
    'options',
    'correct',
    'points',
    'courseIds',
    'sets',
    'rule',
    'minCount',
    'dueDays',
    'dueDate',
    'dueRuleKind',
    'orgUnitId',
    'postTypes',
    'orgLevels',
    'sectors',
    'appointedSince',
    'note',
    'name',
    'categoryId',
    'file',
    'mode',
    'status',
  ].map((k) => [k, true]),
);

/** Word keys of each coded value a page shows: `{{t (lookup @root.labels.mode value)}}`. */
export const LABELS = Object.fromEntries(
  Object.entries({
    status: [...new Set(STATUSES)],
    mode: DELIVERY_MODES,
    kind: [...LESSON_KINDS, 'assessment'],
    post: POST_TYPES,
    level: ORG_LEVELS,
    sector: SECTORS,
    rule: ['all_in_order', 'any_order', 'at_least_n'],
    due: ['days_after_assignment', 'fixed_date'],
    // The question bank's pages: kinds of question, difficulty, the states of a bank and of a
    // question, and how a multiple-choice question scores a partly right response.
    qkind: BANK_QUESTION_KINDS,
    difficulty: ['1', '2', '3'],
    state: ['active', 'archived', 'retired'],
    policy: PARTIAL_CREDIT_POLICIES,
  } as Record<string, readonly string[]>).map(([group, keys]) => [
    group,
    Object.fromEntries(keys.map((k) => [k, `officer.${group}.${k}`])),
  ]),
);

/** A checkbox group's values: one string, several, or none. */
export function many(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return typeof value === 'string' && value !== '' ? [value] : [];
}

/** Drops the keys whose value is undefined (a field left blank is not sent to the DTO). */
export function defined(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
}

/** A question as the form gives it: options a–d (blank ones left out), the right one, points. */
export function questionOf(form: Form): Record<string, unknown> {
  const options = OPTION_KEYS.map((key) => ({ key, text: text(form[`option_${key}`]) })).filter(
    (o) => o.text !== undefined,
  );
  const correct = text(form.correct);
  return {
    kind: 'single',
    prompt: text(form.prompt) ?? '',
    options,
    correct: correct ? [correct] : [],
    points: numberOrText(form.points) ?? 1,
  };
}

/** The option inputs of the question form, with what was typed and the chosen right one. */
export function optionsOf(form: Form) {
  return OPTION_KEYS.map((key) => ({
    key,
    text: typeof form[`option_${key}`] === 'string' ? form[`option_${key}`] : '',
    checked: form.correct === key,
  }));
}

/** The audience rule of the assignment form, in AudienceDto's shape. */
export function audienceOf(form: Form): Record<string, unknown> {
  const postTypes = many(form.postTypes);
  const orgLevels = many(form.orgLevels);
  const sectors = many(form.sectors);
  return defined({
    orgUnitId: text(form.orgUnitId) ?? '',
    postTypes: postTypes.length ? postTypes : undefined,
    orgLevels: orgLevels.length ? orgLevels : undefined,
    sectors: sectors.length ? sectors : undefined,
    appointedSince: text(form.appointedSince),
    withinCurrentTerm: form.withinCurrentTerm === 'true' ? true : undefined,
    notCompletedCourseId: text(form.notCompletedCourseId),
    notCompletedProgrammeId: text(form.notCompletedProgrammeId),
  });
}

/**
 * What the officer's page controllers share: the page with the word keys of coded values, the
 * signed-in actor, the API's validation, refusals worded by field label, the units of scope.
 */
export abstract class OfficerPageBase {
  constructor(
    protected readonly pages: PageRenderer,
    protected readonly orgUnits: OrgUnitsService,
  ) {}

  /** A page of this area, with the word keys of its coded values. */
  protected send(
    req: AuthenticatedRequest,
    res: Response,
    view: string,
    model: Record<string, unknown>,
    status = 200,
  ): void {
    this.pages.send(req, res, view, { ...model, labels: LABELS }, status);
  }

  protected actorOf(req: AuthenticatedRequest): Actor {
    if (!req.actor) throw new Error('An officer page without a signed-in actor');
    return req.actor;
  }

  protected validate<T extends object>(dto: Type<T>, value: Record<string, unknown>): Promise<T> {
    return validated(dto, value);
  }

  /** The refusal to show on the form, or the error itself rethrown (404, 403 … as pages). */
  protected problemOf(req: AuthenticatedRequest, error: unknown) {
    const lang = this.pages.languageOf(req);
    const problem = formProblem(error, lang);
    if (!problem) throw error;
    // Each field by the words of its label, not its name in the API's body.
    const label = (field: string) => {
      const name = /([A-Za-z]+)(\[\d+\])*$/.exec(field)?.[1] ?? field;
      return name in FIELD_NAMES ? this.pages.word(lang, `officer.field.${name}`) : field;
    };
    return { ...problem, details: problem.details.map((d) => ({ ...d, field: label(d.field) })) };
  }

  /**
   * The units of the officer's scope, for the owner and audience selects: each top of the scope
   * followed by the units under it, as a tree (children indented under their parent).
   */
  protected async units(actor: Actor): Promise<{ id: string; label: string; path: string }[]> {
    const tops = await this.orgUnits.list(actor, { limit: 100 });
    const found: OrgUnitDto[] = [];
    for (const top of tops.items) {
      found.push(...(await this.orgUnits.list(actor, { under: top.id, limit: 100 })).items);
    }
    const paths = await this.orgUnits.pathsOf(found.map((u) => u.id));
    const children = new Map<string | null, OrgUnitDto[]>();
    for (const u of found) {
      const siblings = children.get(u.parentId) ?? [];
      siblings.push(u);
      children.set(u.parentId, siblings);
    }
    const out: { id: string; label: string; path: string }[] = [];
    const seen = new Set<string>();
    const walk = (u: OrgUnitDto, depth: number) => {
      if (seen.has(u.id)) return;
      seen.add(u.id);
      out.push({
        id: u.id,
        label: `${'\u00a0\u00a0\u00a0'.repeat(depth)}${u.name} (${u.code})`,
        path: paths.get(u.id) ?? '',
      });
      for (const c of children.get(u.id) ?? []) walk(c, depth + 1);
    };
    for (const top of tops.items) {
      const root = found.find((u) => u.id === top.id);
      if (root) walk(root, 0);
    }
    return out;
  }
}
