import type { ErrorDetail } from '../common/errors/domain-error';
import type { CompetencyBodyDto, PolicyInputDto, VersionInputDto } from './dto/framework.dto';

/** N years belongs to highest_valid_within_years only. */
export function checkPolicy(p: PolicyInputDto, prefix: string): ErrorDetail[] {
  return p.kind !== 'highest_valid_within_years' && p.years !== undefined
    ? [{ field: `${prefix}.years`, message: `years applies only to highest_valid_within_years` }]
    : [];
}

/**
 * Rules that tie the parts of a version together and that class-validator cannot see from one
 * field: the scale is 1..n in order, the proficient level lies on it, codes are unique, every
 * competency names a domain of the version, indicators stay on the scale, one per level.
 * Each problem names its field, so the client can point at it (400 VALIDATION_FAILED).
 */
export function checkVersionStructure(v: VersionInputDto, prefix = 'version'): ErrorDetail[] {
  const details: ErrorDetail[] = checkPolicy(v.policy, `${prefix}.policy`);
  const levels = v.scale.levels.length;
  v.scale.levels.forEach((l, i) => {
    if (l.level !== i + 1) {
      details.push({
        field: `${prefix}.scale.levels.${i}.level`,
        message: `levels must be numbered 1..${levels} in order; expected ${i + 1}`,
      });
    }
  });
  if (v.scale.proficientLevel > levels) {
    details.push({
      field: `${prefix}.scale.proficientLevel`,
      message: `proficientLevel must be a level of the scale (1..${levels})`,
    });
  }
  const domainCodes = new Set<string>();
  v.domains.forEach((d, i) => {
    if (domainCodes.has(d.code)) {
      details.push({ field: `${prefix}.domains.${i}.code`, message: `duplicate domain ${d.code}` });
    }
    domainCodes.add(d.code);
  });
  const codes = new Set<string>();
  v.competencies.forEach((c, i) => {
    const at = `${prefix}.competencies.${i}`;
    if (codes.has(c.code)) {
      details.push({ field: `${at}.code`, message: `duplicate competency ${c.code}` });
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
): ErrorDetail[] {
  const details: ErrorDetail[] = [];
  if (!domainCodes.has(c.domainCode)) {
    details.push({
      field: `${at}.domainCode`,
      message: `no domain ${c.domainCode} in the version`,
    });
  }
  const seen = new Set<number>();
  c.indicators.forEach((ind, j) => {
    if (ind.level > levels) {
      details.push({
        field: `${at}.indicators.${j}.level`,
        message: `level must be on the scale (1..${levels})`,
      });
    }
    if (seen.has(ind.level)) {
      details.push({
        field: `${at}.indicators.${j}.level`,
        message: `a second indicator for level ${ind.level}`,
      });
    }
    seen.add(ind.level);
  });
  return details;
}
