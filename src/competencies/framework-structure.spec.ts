import { defaultValidUntil, RATING_VALIDITY_YEARS } from './competency.types';
import { CHAIR_FRAMEWORK } from './competencies.seed';
import { checkVersionStructure } from './framework-structure';
import { addYears } from '../common/dates/calendar';

describe('rating validity', () => {
  it('adds whole years, rolling 29 February back to 28 February', () => {
    expect(addYears('2026-03-15', 2)).toBe('2028-03-15');
    expect(addYears('2028-02-29', 1)).toBe('2029-02-28');
    expect(addYears('2028-02-29', 4)).toBe('2032-02-29');
  });

  it('takes the default validity of each source from one table', () => {
    expect(RATING_VALIDITY_YEARS).toEqual({
      self: 1,
      supervisor: 2,
      hr: 2,
      assessment: 3,
      course: 3,
    });
    expect(defaultValidUntil('self', '2026-11-30')).toBe('2027-11-30');
    expect(defaultValidUntil('course', '2026-11-30')).toBe('2029-11-30');
  });
});

describe('checkVersionStructure', () => {
  it('accepts the seeded chair framework', () => {
    expect(checkVersionStructure(CHAIR_FRAMEWORK)).toEqual([]);
  });

  it('names every broken cross-reference', () => {
    const v = structuredClone(CHAIR_FRAMEWORK);
    v.scale.levels[2].level = 7;
    v.scale.proficientLevel = 6;
    v.policy = { kind: 'latest_valid', years: 2 };
    v.domains.push({ ...v.domains[0] });
    v.competencies[1].code = 'C1';
    v.competencies[2].domainCode = 'NOPE';
    v.competencies[3].indicators.push({ level: 6, textVi: 'x', textEn: 'y' });
    v.competencies[4].indicators[1].level = 1;
    expect(checkVersionStructure(v).map((d) => d.field)).toEqual([
      'version.policy.years',
      'version.scale.levels.2.level',
      'version.scale.proficientLevel',
      'version.domains.3.code',
      'version.competencies.1.code',
      'version.competencies.2.domainCode',
      'version.competencies.3.indicators.5.level',
      'version.competencies.4.indicators.1.level',
    ]);
  });
});
