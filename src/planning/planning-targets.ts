import type { EntityManager } from 'typeorm';
import type { Language } from '../common/http/language';
import { Bilingual, fill, percentText } from '../common/text/bilingual';
import type { PlanningTargetsDto, PlanningWarningDto } from './dto/planning.dto';
import { PLANNING_WARNING_TEXTS, PlanningWarning } from './planning-labels';
import { targetOf } from './planning-rules';
import type { PlanningRules } from './planning.types';

/**
 * Women and under-40 shares over the cycle's distinct non-removed nominees (one person named
 * for two posts counts once); age on today's date in Vietnam; unknown birth date ≠ under 40.
 */
export async function cycleTargets(
  em: EntityManager,
  cycle: { id: string; rules: PlanningRules },
  today: string,
): Promise<PlanningTargetsDto> {
  const [row] = await em.query<{ total: number; women: number; under40: number }[]>(
    `SELECT count(*)::int AS total,
            count(*) FILTER (WHERE p.gender = 'female')::int AS women,
            count(*) FILTER (WHERE p.birth_date > ($2::date - interval '40 years'))::int
              AS under40
       FROM (SELECT DISTINCT person_id FROM nominations
              WHERE cycle_id = $1 AND status <> 'removed') d
       JOIN people p ON p.id = d.person_id`,
    [cycle.id, today],
  );
  const total = Number(row?.total ?? 0);
  return {
    women: targetOf(Number(row?.women ?? 0), total, cycle.rules.womenTarget),
    under40: targetOf(Number(row?.under40 ?? 0), total, cycle.rules.under40Target),
  };
}

/**
 * The warnings of a list in the caller's language: no nominee at all, women or under-40 below
 * their targets, and planned posts nobody is named for. Warnings, never refusals: the upper
 * level decides.
 */
export async function cycleWarnings(
  em: EntityManager,
  cycle: { id: string; rules: PlanningRules },
  targets: PlanningTargetsDto,
  lang: Language,
): Promise<PlanningWarningDto[]> {
  const out: { code: PlanningWarning; params: Record<string, string | number | Bilingual> }[] = [];
  if (targets.women.total === 0) {
    out.push({ code: 'no_nominees', params: {} });
  } else {
    for (const [code, t] of [
      ['women_below_target', targets.women],
      ['under40_below_target', targets.under40],
    ] as const) {
      if (!t.met) {
        out.push({
          code,
          params: {
            share: percentText(t.count / t.total),
            count: t.count,
            total: t.total,
            target: percentText(t.target),
          },
        });
      }
    }
  }
  const empty = await em.query<{ title: string }[]>(
    `SELECT po.title FROM planning_cycle_posts cp JOIN posts po ON po.id = cp.post_id
      WHERE cp.cycle_id = $1
        AND NOT EXISTS (SELECT 1 FROM nominations n WHERE n.cycle_id = cp.cycle_id
                           AND n.post_id = cp.post_id AND n.status <> 'removed')
      ORDER BY po.post_type, po.title, po.id`,
    [cycle.id],
  );
  if (targets.women.total > 0) {
    for (const p of empty) out.push({ code: 'post_without_nominees', params: { post: p.title } });
  }
  return out.map((w) => ({
    code: w.code,
    message: fill(PLANNING_WARNING_TEXTS[w.code], w.params)[lang],
  }));
}
