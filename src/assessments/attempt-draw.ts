import { EntityManager } from 'typeorm';
import { AnyDetail, DomainError } from '../common/errors/domain-error';
import { QuestionBody } from './questions/question-model';
import { drawRandom, shuffled } from './questions/seeded-random';

/** A rule of a blueprint as stored (assessment_rules), with its section. */
export interface RuleRow {
  position: number;
  section: string;
  question_id: string | null;
  count: number;
  points: number | null;
}

/** A question a rule may draw: an active bank question at its current version. */
export interface PoolRow {
  rule: number;
  id: string;
  version: number;
}

/** One question of a drawn attempt, in the order shown. */
export interface LayoutItem {
  position: number;
  section: string;
  questionId: string;
  version: number;
  /** Points as the rule sets them (null: the version's own). */
  points: number | null;
}

/** Where rule `position` sits in the blueprint's body, for refusals that name it. */
export type RuleField = (position: number) => string;

/**
 * The questions of one attempt: fixed questions first reserved, then each random rule draws
 * its count from its pool less what is already taken, seeded by the attempt's seed and the
 * rule, so the same seed and pools give the same attempt. With `shuffle`, questions are
 * reordered within each section (sections keep their order). A rule whose pool is short →
 * 409/422 ASSESSMENT_POOL_SHORT naming the rules.
 */
export function drawLayout(
  rules: readonly RuleRow[],
  pools: readonly PoolRow[],
  seed: string,
  shuffle: boolean,
  field: RuleField,
): LayoutItem[] {
  const byRule = new Map<number, PoolRow[]>();
  for (const p of pools) {
    const list = byRule.get(p.rule) ?? [];
    list.push(p);
    byRule.set(p.rule, list);
  }
  const taken = new Set<string>();
  const picked = new Map<number, PoolRow[]>();
  const short: AnyDetail[] = [];
  for (const r of rules.filter((x) => x.question_id)) {
    const q = byRule.get(r.position)?.[0];
    if (!q || taken.has(q.id)) short.push({ field: field(r.position), message: '0' });
    else {
      taken.add(q.id);
      picked.set(r.position, [q]);
    }
  }
  for (const r of rules.filter((x) => !x.question_id)) {
    const pool = (byRule.get(r.position) ?? []).filter((q) => !taken.has(q.id));
    if (pool.length < r.count) {
      short.push({ field: field(r.position), message: String(pool.length) });
      continue;
    }
    const drawn = drawRandom(pool, r.count, `${seed}:rule:${r.position}`);
    drawn.forEach((q) => taken.add(q.id));
    picked.set(r.position, drawn);
  }
  if (short.length) throw new DomainError('ASSESSMENT_POOL_SHORT', {}, short);
  const sections: { title: string; items: Omit<LayoutItem, 'position'>[] }[] = [];
  for (const r of rules) {
    let s = sections[sections.length - 1];
    if (!s || s.title !== r.section) sections.push((s = { title: r.section, items: [] }));
    for (const q of picked.get(r.position) ?? []) {
      s.items.push({ section: r.section, questionId: q.id, version: q.version, points: r.points });
    }
  }
  let position = 0;
  return sections.flatMap((s, i) =>
    (shuffle ? shuffled(s.items, `${seed}:section:${i}`) : s.items).map((item) => ({
      ...item,
      position: (position += 1),
    })),
  );
}

/**
 * The order an attempt shows a question's choices in, as keys: shuffled options (single,
 * multiple) and matching responses when the assessment shuffles options; the items to order
 * always (in their right order they would give the answer away). Null: nothing to order.
 */
export function optionOrder(body: QuestionBody, seed: string, shuffleOptions: boolean) {
  switch (body.kind) {
    case 'single':
    case 'multiple': {
      const keys = body.options.map((o) => o.key);
      return shuffleOptions ? shuffled(keys, seed) : keys;
    }
    case 'ordering': {
      const keys = body.items.map((o) => o.key);
      let order = shuffled(keys, seed);
      // A shuffle that happens to give the right order is turned once more.
      if (keys.length > 1 && order.every((k, i) => k === keys[i]))
        order = [...keys.slice(1), keys[0]];
      return order;
    }
    case 'matching': {
      const keys = body.responses.map((o) => o.key);
      return shuffleOptions ? shuffled(keys, seed) : keys;
    }
    default:
      return null;
  }
}

/**
 * A bank question `q` that rule `r` may draw, its status aside: the fixed question, or every
 * filter the rule sets. The draw and the blueprint's "available now" count share it.
 */
export const RULE_MATCHES = `(r.question_id IS NULL OR q.id = r.question_id)
        AND (r.category_id IS NULL OR q.category_id = r.category_id)
        AND (r.tag IS NULL OR q.tags @> ARRAY[r.tag::text])
        AND (r.difficulty IS NULL OR q.difficulty = r.difficulty)
        AND (r.kind IS NULL OR q.kind = r.kind)`;

/** A blueprint's rules and what each may draw now. */
export interface DrawSource {
  rules: RuleRow[];
  pools: PoolRow[];
}

/**
 * The rules of assessment `param` and every active question each may draw, at its current
 * version, a row each (a rule whose pool is empty still comes back, with no question). Read
 * through DRAW_RULES_SQL, which folds them a row per rule.
 */
export const DRAW_SOURCE_SQL = (param: string) =>
  `SELECT r.position, r.section, r.question_id, r.count, r.points,
            q.id AS pool_id, q.current_version AS pool_version
       FROM assessment_rules r
       LEFT JOIN LATERAL (
         SELECT q.id, q.current_version
           FROM bank_questions q
           JOIN question_banks b ON b.id = q.bank_id AND b.status = 'active'
          WHERE q.bank_id = r.bank_id AND q.status = 'active'
            AND ${RULE_MATCHES}
       ) q ON TRUE
      WHERE r.assessment_id = ${param}`;

/** One row of DRAW_RULES_SQL: a rule, and the questions it may draw in pool order. */
export type DrawRuleRow = RuleRow & { pool_ids: string[]; pool_versions: number[] };

/**
 * DRAW_SOURCE_SQL folded in SQL: a row per rule of assessment `param` (in rule order), with the
 * ids and versions of the questions it may draw as two arrays in `pool_id` order — the same
 * source, in far fewer rows than a row per question (a start reads it on the exam's rush).
 */
export const DRAW_RULES_SQL = (param: string) =>
  `SELECT s.position, s.section, s.question_id, s.count, s.points,
          array_remove(array_agg(s.pool_id ORDER BY s.pool_id), NULL) AS pool_ids,
          array_remove(array_agg(s.pool_version ORDER BY s.pool_id), NULL) AS pool_versions
     FROM (${DRAW_SOURCE_SQL(param)}) s
    GROUP BY s.position, s.section, s.question_id, s.count, s.points`;

/** Rows of DRAW_RULES_SQL in rule order → rules and pools (a row without a rule: none). */
export function foldDrawRules(rows: readonly DrawRuleRow[]): DrawSource {
  const rules: RuleRow[] = [];
  const pools: PoolRow[] = [];
  for (const r of rows) {
    if (r.position === null) continue;
    rules.push({
      position: r.position,
      section: r.section,
      question_id: r.question_id,
      count: r.count,
      points: r.points,
    });
    r.pool_ids.forEach((id, k) =>
      pools.push({ rule: r.position, id, version: r.pool_versions[k] }),
    );
  }
  return { rules, pools };
}

/** The blueprint's rules and pools of an assessment, in one statement. */
export async function loadDrawSource(em: EntityManager, assessmentId: string): Promise<DrawSource> {
  const rows = await em.query<DrawRuleRow[]>(
    `SELECT * FROM (${DRAW_RULES_SQL('$1')}) s ORDER BY s.position`,
    [assessmentId],
  );
  return foldDrawRules(rows);
}
