import {
  ageParts,
  LABOUR_CODE_2019,
  retirementDate,
  retirementStep,
  roadmapOf,
  STATUTORY_RETIREMENT_ROADMAP,
} from './retirement';

const monthOf = (date: string | null) => date?.slice(0, 7);

describe('statutory retirement roadmap', () => {
  it('gives the worked example of docs/domain.md#retirement-roadmap: a man born 03/1965 retires at 61y6m in 09/2026', () => {
    const step = retirementStep('1965-03-15', 'male');
    expect(ageParts(step!.ageMonths)).toEqual({ years: 61, months: 6 });
    // The end of the last day of the month in which he reaches the age.
    expect(retirementDate('1965-03-15', 'male')).toBe('2026-09-30');
    expect(retirementDate('1965-03-01', 'male')).toBe('2026-09-30');
    expect(retirementDate('1965-03-31', 'male')).toBe('2026-09-30');
  });

  it('follows the by-birth-month table of Decree 135/2020 for men', () => {
    const cases: [string, string, number][] = [
      // Reached 60 in 2020: the Labour Code 2012 age.
      ['1960-12-10', '2020-12', 60 * 12],
      ['1961-01-10', '2021-04', 60 * 12 + 3],
      ['1961-09-10', '2021-12', 60 * 12 + 3],
      ['1961-10-10', '2022-04', 60 * 12 + 6],
      ['1962-06-10', '2022-12', 60 * 12 + 6],
      ['1962-07-10', '2023-04', 60 * 12 + 9],
      ['1966-03-10', '2027-12', 61 * 12 + 9],
      ['1966-04-10', '2028-04', 62 * 12],
      ['1990-02-10', '2052-02', 62 * 12],
    ];
    for (const [birth, month, age] of cases) {
      expect({ birth, month: monthOf(retirementDate(birth, 'male')) }).toEqual({ birth, month });
      expect({ birth, age: retirementStep(birth, 'male')?.ageMonths }).toEqual({ birth, age });
    }
  });

  it('follows the table for women, up to 60 from those born 05/1975', () => {
    const cases: [string, string, number][] = [
      ['1965-12-10', '2020-12', 55 * 12],
      ['1966-01-10', '2021-05', 55 * 12 + 4],
      ['1966-08-10', '2021-12', 55 * 12 + 4],
      ['1966-09-10', '2022-05', 55 * 12 + 8],
      ['1975-04-10', '2034-12', 59 * 12 + 8],
      ['1975-05-10', '2035-05', 60 * 12],
      ['1986-04-12', '2046-04', 60 * 12],
    ];
    for (const [birth, month, age] of cases) {
      expect({ birth, month: monthOf(retirementDate(birth, 'female')) }).toEqual({ birth, month });
      expect({ birth, age: retirementStep(birth, 'female')?.ageMonths }).toEqual({ birth, age });
    }
  });

  it('is reached in the year whose age applies, for every birth month of the roadmap', () => {
    // The defining property: the age used is the one in force in the year of reaching it.
    const inForce = (gender: 'male' | 'female', year: number) =>
      year < LABOUR_CODE_2019.firstYear
        ? LABOUR_CODE_2019.before[gender]
        : Math.min(
            LABOUR_CODE_2019.first[gender] +
              LABOUR_CODE_2019.stepPerYear[gender] * (year - LABOUR_CODE_2019.firstYear),
            LABOUR_CODE_2019.target[gender],
          );
    for (const gender of ['male', 'female'] as const) {
      for (let y = 1950; y <= 1990; y += 1) {
        for (let m = 1; m <= 12; m += 1) {
          const birth = `${y}-${String(m).padStart(2, '0')}-15`;
          const date = retirementDate(birth, gender)!;
          const age = retirementStep(birth, gender)!.ageMonths;
          expect({ birth, gender, age }).toEqual({
            birth,
            gender,
            age: inForce(gender, Number(date.slice(0, 4))),
          });
        }
      }
    }
  });

  it('is a table: each gender starts with the old age and ends at the target', () => {
    const men = STATUTORY_RETIREMENT_ROADMAP.filter((s) => s.gender === 'male');
    const women = STATUTORY_RETIREMENT_ROADMAP.filter((s) => s.gender === 'female');
    expect(men).toHaveLength(9);
    expect(women).toHaveLength(16);
    expect(men[0]).toEqual({ gender: 'male', bornFrom: '1900-01-01', ageMonths: 720 });
    expect(men[men.length - 1]).toEqual({ gender: 'male', bornFrom: '1966-04-01', ageMonths: 744 });
    expect(women[women.length - 1]).toEqual({
      gender: 'female',
      bornFrom: '1975-05-01',
      ageMonths: 720,
    });
    // Another law is another table, not another function.
    const flat = roadmapOf({ ...LABOUR_CODE_2019, first: { male: 744, female: 720 } });
    expect(retirementDate('1965-03-15', 'male', flat)).toBe('2027-03-31');
    expect(retirementDate('1899-12-31', 'male')).toBeNull();
  });
});
