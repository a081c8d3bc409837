import { bandLevel, checkBands, competencyScores } from './competency-bands';

describe('competency score bands', () => {
  const bands = [
    { minScore: 9, level: 4 },
    { minScore: 7, level: 3 },
    { minScore: 5, level: 2 },
  ];

  it('maps a score to the first band it reaches, boundaries included', () => {
    expect(bandLevel(10, bands)).toBe(4);
    expect(bandLevel(9, bands)).toBe(4);
    expect(bandLevel(8.99, bands)).toBe(3);
    expect(bandLevel(7, bands)).toBe(3);
    expect(bandLevel(5, bands)).toBe(2);
  });

  it('gives no level below the lowest band', () => {
    expect(bandLevel(4.99, bands)).toBeNull();
    expect(bandLevel(0, bands)).toBeNull();
    expect(bandLevel(10, [])).toBeNull();
  });

  it('accepts bands that run strictly down in score and level', () => {
    expect(checkBands(bands)).toEqual([]);
    expect(checkBands([{ minScore: 0, level: 1 }])).toEqual([]);
  });

  it('refuses bands out of order or with a level that does not fall', () => {
    expect(
      checkBands([
        { minScore: 7, level: 3 },
        { minScore: 9, level: 2 },
        { minScore: 5, level: 2 },
      ]).map((d) => d.field),
    ).toEqual(['competencyBands.1.minScore', 'competencyBands.2.level']);
  });

  it('scores each competency on its own questions only, on the 10-point scale', () => {
    const q = (id: string, lineage: string | null, points: number) => ({
      id,
      kind: 'single' as const,
      correct: ['a'],
      points,
      competencyLineageId: lineage,
    });
    const questions = [
      q('1', 'L1', 2),
      q('2', 'L1', 2),
      q('3', 'L2', 1),
      q('4', null, 5),
      q('5', 'L1', 1),
    ];
    const answers = new Map([
      ['1', ['a']],
      ['2', ['b']],
      ['3', ['a']],
      ['4', ['a']],
      ['5', ['a']],
    ]);
    expect(Object.fromEntries(competencyScores(questions, answers, false))).toEqual({
      L1: 6,
      L2: 10,
    });
  });
});
