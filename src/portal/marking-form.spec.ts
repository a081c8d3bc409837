import { essayOf, inputOf, markOf, responseText } from './marking-form';

describe('the grading page form', () => {
  it('reads each criterion input, a decimal comma as a point, with the feedback', () => {
    expect(markOf({ 'c_noi-dung': '5,5', 'c_trinh-bay': ' 3 ', feedback: ' Rõ ràng. ' })).toEqual({
      criteria: { 'noi-dung': 5.5, 'trinh-bay': 3 },
      feedback: 'Rõ ràng.',
    });
  });

  it('leaves a blank criterion out and passes what is not a number as typed, for the service to refuse', () => {
    expect(markOf({ 'c_noi-dung': '', 'c_trinh-bay': 'ba', feedback: '' })).toEqual({
      criteria: { 'trinh-bay': 'ba' },
    });
  });

  it('is an override with points and reason when the form has no criterion', () => {
    expect(markOf({ points: '0,75', reason: 'Đáp án tương đương', feedback: '' })).toEqual({
      points: 0.75,
      reason: 'Đáp án tương đương',
    });
    expect(markOf({})).toEqual({});
  });

  it('places a refusal beside its input, or on top when it names none', () => {
    expect(inputOf('criteria.noi-dung')).toBe('c_noi-dung');
    expect(inputOf('feedback')).toBe('feedback');
    expect(inputOf('points')).toBe('points');
    expect(inputOf('markerNo')).toBeNull();
  });

  it('reads an essay as paragraphs with its word count', () => {
    expect(essayOf('Mở đầu cuộc đối thoại.\r\n\r\n  Bước hai:   lắng nghe. \nKết luận')).toEqual({
      paragraphs: ['Mở đầu cuộc đối thoại.', 'Bước hai:   lắng nghe.', 'Kết luận'],
      words: 11,
    });
    expect(essayOf(null)).toEqual({ paragraphs: [], words: 0 });
  });

  it('words any other response: lists, pairs and numbers', () => {
    expect(responseText(['b', 'c'])).toBe('b, c');
    expect(responseText({ luat: '2024', bo: '2019' })).toBe('luat → 2024; bo → 2019');
    expect(responseText(3.5)).toBe('3.5');
    expect(responseText(null)).toBe('');
  });
});
