import type { LocalizedDetail } from '../common/errors/domain-error';
import { detail } from './competency-details';
import type { CompetencyBodyDto, PolicyInputDto, VersionInputDto } from './dto/framework.dto';

/** N years belongs to highest_valid_within_years only. */
export function checkPolicy(p: PolicyInputDto, prefix: string): LocalizedDetail[] {
  return p.kind !== 'highest_valid_within_years' && p.years !== undefined
    ? [detail(`${prefix}.years`, 'policyYearsOnlyHighest')]
    : [];
}

/**
 * Rules that tie the parts of a version together and that class-validator cannot see from one
 * field: the scale is 1..n in order, the proficient level lies on it, codes are unique, every
 * competency names a domain of the version, indicators stay on the scale, one per level.
 * Each problem names its field, so the client can point at it (400 VALIDATION_FAILED).
 */
export function checkVersionStructure(v: VersionInputDto, prefix = 'version'): LocalizedDetail[] {
  const details: LocalizedDetail[] = checkPolicy(v.policy, `${prefix}.policy`);
  const levels = v.scale.levels.length;
  v.scale.levels.forEach((l, i) => {
    if (l.level !== i + 1) {
      details.push(
        detail(`${prefix}.scale.levels.${i}.level`, 'levelsInOrder', { levels, expected: i + 1 }),
      );
    }
  });
  if (v.scale.proficientLevel > levels) {
    details.push(detail(`${prefix}.scale.proficientLevel`, 'proficientOffScale', { levels }));
  }
  const domainCodes = new Set<string>();
  v.domains.forEach((d, i) => {
    if (domainCodes.has(d.code)) {
      details.push(detail(`${prefix}.domains.${i}.code`, 'domainTwice', { code: d.code }));
    }
    domainCodes.add(d.code);
  });
  const codes = new Set<string>();
  v.competencies.forEach((c, i) => {
    const at = `${prefix}.competencies.${i}`;
    if (codes.has(c.code)) {
      details.push(detail(`${at}.code`, 'competencyTwice', { code: c.code }));
    }
    codes.add(c.code);
    details.push(...checkCompetency(c, levels, domainCodes, at));
  });
  return details;
}

/** One competency against the version's scale size and domain codes. */
export function checkCompetency(
  c: CompetencyBodyDto,
  levels: number,
  domainCodes: ReadonlySet<string>,
  at: string,
): LocalizedDetail[] {
  const details: LocalizedDetail[] = [];
  if (!domainCodes.has(c.domainCode)) {
    details.push(detail(`${at}.domainCode`, 'domainUnknown', { code: c.domainCode }));
  }
  const seen = new Set<number>();
  c.indicators.forEach((ind, j) => {
    if (ind.level > levels) {
      details.push(detail(`${at}.indicators.${j}.level`, 'levelOffScale', { levels }));
    }
    if (seen.has(ind.level)) {
      details.push(detail(`${at}.indicators.${j}.level`, 'indicatorTwice', { level: ind.level }));
    }
    seen.add(ind.level);
  });
  return details;
}
