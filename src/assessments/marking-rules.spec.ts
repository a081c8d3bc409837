import {
  checkCriteria,
  finalPoints,
  MarkingRule,
  nextSlot,
  parsePosition,
  rubricItemPoints,
} from './marking-rules';

describe('marking rules', () => {
  const single: MarkingRule = { secondMarking: false, threshold: null };
  const double: MarkingRule = { secondMarking: true, threshold: 2 };
  const alwaysAverage: MarkingRule = { secondMarking: true, threshold: null };

  it('one marker: the first mark is final', () => {
    expect(nextSlot(single, {})).toBe(1);
    expect(finalPoints(single, {})).toBeNull();
    expect(nextSlot(single, { 1: 7 })).toBeNull();
    expect(finalPoints(single, { 1: 7 })).toBe(7);
  });

  it('two markers within the threshold: their average', () => {
    expect(nextSlot(double, { 1: 7 })).toBe(2);
    expect(finalPoints(double, { 1: 7 })).toBeNull();
    expect(nextSlot(double, { 1: 7, 2: 5 })).toBeNull();
    expect(finalPoints(double, { 1: 7, 2: 5 })).toBe(6);
    expect(finalPoints(double, { 1: 7.25, 2: 6.5 })).toBe(6.88);
  });

  it('two markers beyond the threshold: a third, whose mark is final', () => {
    expect(nextSlot(double, { 1: 8, 2: 5 })).toBe(3);
    expect(finalPoints(double, { 1: 8, 2: 5 })).toBeNull();
    expect(nextSlot(double, { 1: 8, 2: 5, 3: 6 })).toBeNull();
    expect(finalPoints(double, { 1: 8, 2: 5, 3: 6 })).toBe(6);
    // A first mark changed into agreement: the average again, the third set aside.
    expect(finalPoints(double, { 1: 6, 2: 5, 3: 9 })).toBe(5.5);
  });

  it('a null threshold always averages', () => {
    expect(nextSlot(alwaysAverage, { 1: 10, 2: 0 })).toBeNull();
    expect(finalPoints(alwaysAverage, { 1: 10, 2: 0 })).toBe(5);
  });

  it('checks every criterion of the rubric and no other', () => {
    const rubric = [
      { key: 'noi-dung', title: 'Nội dung', maxPoints: 6 },
      { key: 'trinh-bay', title: 'Trình bày', maxPoints: 4 },
    ];
    expect(checkCriteria(rubric, { 'noi-dung': 6, 'trinh-bay': 0 })).toEqual([]);
    const fields = (c: Record<string, unknown>) => checkCriteria(rubric, c).map((d) => d.field);
    expect(fields({ 'noi-dung': 5 })).toEqual(['criteria.trinh-bay']);
    expect(fields({ 'noi-dung': 6.5, 'trinh-bay': -1 })).toEqual([
      'criteria.noi-dung',
      'criteria.trinh-bay',
    ]);
    expect(fields({ 'noi-dung': '5', 'trinh-bay': 1.234 })).toEqual([
      'criteria.noi-dung',
      'criteria.trinh-bay',
    ]);
    expect(fields({ 'noi-dung': 1, 'trinh-bay': 1, khac: 1 })).toEqual(['criteria.khac']);
  });

  it('scales a rubric total to the item’s points', () => {
    expect(rubricItemPoints({ a: 6, b: 4 }, 10, 10)).toBe(10);
    expect(rubricItemPoints({ a: 3, b: 2 }, 20, 10)).toBe(10);
    expect(rubricItemPoints({ a: 1, b: 0 }, 2, 3)).toBe(0.67);
    expect(rubricItemPoints({ a: 1 }, 5, 0)).toBe(0);
  });

  it('reads a position from the path, refusing anything but a whole number from 1', () => {
    expect(parsePosition('1')).toBe(1);
    expect(parsePosition('120')).toBe(120);
    for (const bad of ['0', '-1', '1.5', 'abc', '', '01', '1e3', '9999999']) {
      expect(() => parsePosition(bad)).toThrow(
        expect.objectContaining({ code: 'VALIDATION_FAILED' }),
      );
    }
  });
});
