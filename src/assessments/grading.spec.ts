import { FAILING_GRADE, gradeAttempt, gradeWord, pointsFor } from './grading';

describe('grading', () => {
  const single = { id: 'q1', kind: 'single' as const, correct: ['b'], points: 2 };
  const multi = { id: 'q2', kind: 'multiple' as const, correct: ['a', 'c'], points: 4 };
  const tf = { id: 'q3', kind: 'true_false' as const, correct: ['true'], points: 1 };

  it('scores single and true/false all or nothing', () => {
    expect(pointsFor(single, ['b'], false)).toBe(2);
    expect(pointsFor(single, ['a'], false)).toBe(0);
    expect(pointsFor(single, [], false)).toBe(0);
    expect(pointsFor(single, undefined, true)).toBe(0);
    expect(pointsFor(tf, ['true'], true)).toBe(1);
    expect(pointsFor(tf, ['false'], true)).toBe(0);
  });

  it('without partial credit, multiple needs exactly all right options', () => {
    expect(pointsFor(multi, ['a', 'c'], false)).toBe(4);
    expect(pointsFor(multi, ['c', 'a'], false)).toBe(4);
    expect(pointsFor(multi, ['a'], false)).toBe(0);
    expect(pointsFor(multi, ['a', 'b', 'c'], false)).toBe(0);
  });

  it('with partial credit, multiple earns right minus wrong, never below zero', () => {
    expect(pointsFor(multi, ['a'], true)).toBe(2);
    expect(pointsFor(multi, ['a', 'b', 'c'], true)).toBe(2);
    expect(pointsFor(multi, ['a', 'b'], true)).toBe(0);
    expect(pointsFor(multi, ['b', 'd'], true)).toBe(0);
    expect(pointsFor(multi, ['a', 'c'], true)).toBe(4);
  });

  it('scores on the 10-point scale rounded to 2 decimals', () => {
    const answers = new Map([
      ['q1', ['b']],
      ['q2', ['a']],
    ]);
    const off = gradeAttempt([single, multi, tf], answers, { partialCredit: false, passScore: 5 });
    expect(off).toEqual({
      pointsEarned: 2,
      pointsTotal: 7,
      score: 2.86,
      passed: false,
      grade: FAILING_GRADE,
    });
    const on = gradeAttempt([single, multi, tf], answers, { partialCredit: true, passScore: 5 });
    expect(on.score).toBe(5.71);
    expect(on.passed).toBe(true);
    expect(on.grade).toBe('Trung bình');
  });

  it('gives a perfect paper 10 and Xuất sắc', () => {
    const answers = new Map([
      ['q1', ['b']],
      ['q2', ['c', 'a']],
      ['q3', ['true']],
    ]);
    expect(
      gradeAttempt([single, multi, tf], answers, { partialCredit: false, passScore: 5 }),
    ).toMatchObject({ score: 10, passed: true, grade: 'Xuất sắc' });
  });

  it('words grades at the thresholds', () => {
    expect(gradeWord(10)).toBe('Xuất sắc');
    expect(gradeWord(9)).toBe('Xuất sắc');
    expect(gradeWord(8.99)).toBe('Giỏi');
    expect(gradeWord(8)).toBe('Giỏi');
    expect(gradeWord(7)).toBe('Khá');
    expect(gradeWord(6.99)).toBe('Trung bình');
    expect(gradeWord(5)).toBe('Trung bình');
    expect(gradeWord(4.99)).toBe('Không đạt');
    expect(gradeWord(0)).toBe('Không đạt');
  });

  it('takes another threshold table', () => {
    const bands = [
      { min: 5, word: 'Đạt' },
      { min: 8.5, word: 'Tốt' },
    ];
    expect(gradeWord(9, bands, 'Chưa đạt')).toBe('Tốt');
    expect(gradeWord(6, bands, 'Chưa đạt')).toBe('Đạt');
    expect(gradeWord(4, bands, 'Chưa đạt')).toBe('Chưa đạt');
  });
});
