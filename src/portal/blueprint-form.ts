import { BlueprintDto } from '../assessments/dto/blueprint.dto';
import { numberOrText, text } from './forms';

/**
 * The blueprint pages' forms turned into the API's bodies. The API replaces a blueprint whole
 * (PUT /assessments/:id/blueprint), so each change — a rule added, removed or moved, the
 * settings — is the current blueprint in ReplaceBlueprintDto's shape with that one change.
 */

type Form = Record<string, unknown>;

export interface RuleBody {
  bankId: string;
  questionId?: string;
  categoryId?: string;
  tag?: string;
  difficulty?: unknown;
  kind?: string;
  count?: unknown;
  points?: unknown;
}

export interface BlueprintBody {
  sections: { title: string; rules: RuleBody[] }[];
  shuffleQuestions: boolean;
  shuffleOptions: boolean;
  gradingPolicy: string;
  secondMarking: boolean;
  markerThreshold: unknown;
}

/** A rule's key for the values the form leaves out: absent, not null (the DTO wants absent). */
function present(value: Record<string, unknown>): RuleBody {
  return Object.fromEntries(
    Object.entries(value).filter(([, v]) => v !== undefined && v !== null),
  ) as unknown as RuleBody;
}

/** The blueprint as it stands, as the body that would store it again unchanged. */
export function bodyOf(bp: BlueprintDto): BlueprintBody {
  return {
    sections: bp.sections.map((s) => ({
      title: s.title,
      rules: s.rules.map((r) =>
        present({
          bankId: r.bankId,
          questionId: r.questionId,
          categoryId: r.categoryId,
          tag: r.tag,
          difficulty: r.difficulty,
          kind: r.kind,
          // A fixed question is one question: count stays 1, the DTO's default.
          count: r.questionId ? undefined : r.count,
          points: r.points,
        }),
      ),
    })),
    shuffleQuestions: bp.shuffleQuestions,
    shuffleOptions: bp.shuffleOptions,
    gradingPolicy: bp.gradingPolicy,
    secondMarking: bp.secondMarking,
    markerThreshold: bp.markerThreshold,
  };
}

/**
 * The rule of the add form: a fixed question when a question id is given (its filters and
 * count then mean nothing and are left out), else a random draw with the filters chosen.
 */
export function ruleOf(form: Form): RuleBody {
  const bankId = text(form.bankId) ?? '';
  const questionId = text(form.questionId);
  if (questionId) return present({ bankId, questionId, points: numberOrText(form.points) });
  return present({
    bankId,
    categoryId: text(form.categoryId),
    tag: text(form.tag),
    difficulty: numberOrText(form.difficulty),
    kind: text(form.kind),
    count: numberOrText(form.count) ?? 1,
    points: numberOrText(form.points),
  });
}

const copy = (body: BlueprintBody): BlueprintBody => ({
  ...body,
  sections: body.sections.map((s) => ({ title: s.title, rules: [...s.rules] })),
});

/**
 * The body with the rule added at the end of the section of that title (a new section at the
 * end when no section has it), and where the rule lands, `sections.i.rules.j`, as the API names
 * it in a refusal.
 */
export function withRule(
  body: BlueprintBody,
  sectionTitle: string,
  rule: RuleBody,
): { body: BlueprintBody; at: string } {
  const out = copy(body);
  let i = out.sections.findIndex((s) => s.title === sectionTitle);
  if (i < 0) {
    out.sections.push({ title: sectionTitle, rules: [] });
    i = out.sections.length - 1;
  }
  out.sections[i].rules.push(rule);
  return { body: out, at: `sections.${i}.rules.${out.sections[i].rules.length - 1}` };
}

/** A rule's position from the form (section and rule index), or undefined if not one. */
export function positionOf(form: Form, body: BlueprintBody): { s: number; r: number } | undefined {
  const s = Number(text(form.section));
  const r = Number(text(form.rule));
  if (!Number.isInteger(s) || !Number.isInteger(r)) return undefined;
  if (s < 0 || r < 0 || s >= body.sections.length || r >= body.sections[s].rules.length) {
    return undefined;
  }
  return { s, r };
}

/** The body without that rule; a section left with no rule goes too. */
export function withoutRule(body: BlueprintBody, s: number, r: number): BlueprintBody {
  const out = copy(body);
  out.sections[s].rules.splice(r, 1);
  out.sections = out.sections.filter((x) => x.rules.length > 0);
  return out;
}

/**
 * The body with that rule one place up or down inside its section (the order in which a
 * section's questions are shown when they are not shuffled); at an end, unchanged.
 */
export function movedRule(
  body: BlueprintBody,
  s: number,
  r: number,
  direction: 'up' | 'down',
): BlueprintBody {
  const out = copy(body);
  const rules = out.sections[s].rules;
  const to = direction === 'up' ? r - 1 : r + 1;
  if (to < 0 || to >= rules.length) return out;
  [rules[r], rules[to]] = [rules[to], rules[r]];
  return out;
}

/** The body with the settings form's values: checkboxes absent mean off. */
export function withSettings(body: BlueprintBody, form: Form): BlueprintBody {
  return {
    ...copy(body),
    shuffleQuestions: form.shuffleQuestions === 'true',
    shuffleOptions: form.shuffleOptions === 'true',
    gradingPolicy: text(form.gradingPolicy) ?? '',
    secondMarking: form.secondMarking === 'true',
    markerThreshold: numberOrText(form.markerThreshold) ?? null,
  };
}

/** Vietnam's offset from UTC; it keeps no summer time. */
const VN_OFFSET_MS = 7 * 3600_000;
const LOCAL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/;

/**
 * A datetime-local input's value, read as Vietnam's time (Asia/Ho_Chi_Minh), as an ISO instant;
 * blank is an open end (null); anything else is passed on as typed for the DTO to refuse.
 */
export function instantOf(value: unknown): string | null {
  const t = text(value);
  if (t === undefined) return null;
  if (!LOCAL.test(t)) return t;
  const at = new Date(`${t.length === 16 ? `${t}:00` : t}+07:00`);
  return Number.isNaN(at.getTime()) ? t : at.toISOString();
}

/** An instant as a datetime-local input's value in Vietnam's time ('' for none). */
export function localOf(iso: string | null | undefined): string {
  if (!iso) return '';
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return '';
  return new Date(at.getTime() + VN_OFFSET_MS).toISOString().slice(0, 16);
}

/** An instant as people read it in Vietnam: dd/MM/yyyy HH:mm. */
export function vnDateTime(iso: string | null | undefined): string {
  const local = localOf(iso);
  if (!local) return '';
  const [date, time] = local.split('T');
  const [y, m, d] = date.split('-');
  return `${d}/${m}/${y} ${time}`;
}

/** The window form as AssessmentWindowDto's body. */
export function windowOf(form: Form): { opensAt: string | null; closesAt: string | null } {
  return { opensAt: instantOf(form.opensAt), closesAt: instantOf(form.closesAt) };
}

/** The grant form as GrantAccommodationDto's body (blank numbers are none: 0). */
export function grantOf(form: Form): Record<string, unknown> {
  return {
    extraMinutes: numberOrText(form.extraMinutes) ?? 0,
    extraAttempts: numberOrText(form.extraAttempts) ?? 0,
    reason: text(form.reason) ?? '',
  };
}

/** Where a refusal's detail belongs on the blueprint page. */
export type DetailPlace =
  { place: 'rule'; key: string; sub: string | undefined } | { place: 'field'; name: string };

/** `sections.0.rules.2.count` → the rule 0-2 and its field; `markerThreshold` → that field. */
export function placeOf(field: string): DetailPlace {
  const m = /^sections\.(\d+)\.rules\.(\d+)(?:\.(\w+))?$/.exec(field);
  if (m) return { place: 'rule', key: `${m[1]}-${m[2]}`, sub: m[3] };
  const section = /^sections\.(\d+)\.(\w+)$/.exec(field);
  if (section) return { place: 'field', name: section[2] === 'title' ? 'section' : section[2] };
  return { place: 'field', name: field };
}
