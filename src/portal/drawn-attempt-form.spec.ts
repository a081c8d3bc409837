import { AttemptItemDto } from '../assessments/dto/drawn-attempt.dto';
import {
  answerWords,
  draftOfSaved,
  drawnField,
  drawnSections,
  needsSave,
  numberVi,
  readResponse,
  Words,
} from './drawn-attempt-form';

const words: Words = (key, params = {}) =>
  ({
    'learn.drawn.true': 'Đúng',
    'learn.drawn.false': 'Sai',
    'learn.drawn.numberWithin': `${params.value} (± ${params.tolerance})`,
  })[key] ?? key;

function item(kind: AttemptItemDto['kind'], extra: Partial<AttemptItemDto> = {}): AttemptItemDto {
  return {
    questionId: `q-${kind}`,
    position: 1,
    section: 'Phần 1',
    kind,
    prompt: `Câu ${kind}`,
    points: 2,
    options: null,
    responses: null,
    wordLimit: null,
    rubric: null,
    response: null,
    savedAt: null,
    result: null,
    ...extra,
  };
}

const abc = [
  { key: 'a', text: 'Một' },
  { key: 'b', text: 'Hai' },
  { key: 'c', text: 'Ba' },
];
const ordering = item('ordering', { options: abc });
const matching = item('matching', {
  options: [
    { key: 'p1', text: 'Luật Công đoàn' },
    { key: 'p2', text: 'Bộ luật Lao động' },
  ],
  responses: [
    { key: 'r1', text: '2024' },
    { key: 'r2', text: '2019' },
  ],
});

describe('the drawn attempt form', () => {
  it('reads each kind into the response shape saveResponse takes; blank is undefined', () => {
    const f = (i: AttemptItemDto, value: unknown) => ({ [drawnField(i.questionId)]: value });
    expect(readResponse(item('single'), f(item('single'), 'b')).response).toBe('b');
    expect(readResponse(item('multiple'), f(item('multiple'), ['a', 'c'])).response).toEqual([
      'a',
      'c',
    ]);
    expect(readResponse(item('multiple'), f(item('multiple'), 'a')).response).toEqual(['a']);
    expect(readResponse(item('true_false'), f(item('true_false'), 'false')).response).toBe(false);
    expect(readResponse(item('true_false'), f(item('true_false'), 'true')).response).toBe(true);
    // A value the page did not offer goes to the service as it is, to be refused there.
    expect(readResponse(item('true_false'), f(item('true_false'), 'có')).response).toBe('có');
    expect(readResponse(item('numeric'), f(item('numeric'), ' 3,5 ')).response).toBe('3,5');
    expect(readResponse(item('short_answer'), f(item('short_answer'), '  ')).response).toBe(
      undefined,
    );
    expect(readResponse(item('essay'), f(item('essay'), 'Dòng 1\nDòng 2\n')).response).toBe(
      'Dòng 1\nDòng 2\n',
    );
    expect(readResponse(item('single'), {}).response).toBeUndefined();
  });

  it('orders the items by the places chosen, and refuses a place given twice or left out', () => {
    const form = (places: string[]) =>
      Object.fromEntries(abc.map((o, i) => [drawnField(ordering.questionId, o.key), places[i]]));
    expect(readResponse(ordering, form(['2', '3', '1'])).response).toEqual(['c', 'a', 'b']);
    expect(readResponse(ordering, form(['', '', ''])).response).toBeUndefined();
    expect(readResponse(ordering, form(['1', '1', '2']))).toMatchObject({
      response: undefined,
      problem: 'orderingTwice',
      draft: { places: { a: '1', b: '1', c: '2' } },
    });
    expect(readResponse(ordering, form(['1', '', '2'])).problem).toBe('orderingIncomplete');
  });

  it('pairs each premise with the response chosen, leaving out the ones not chosen', () => {
    const read = readResponse(matching, {
      [drawnField(matching.questionId, 'p1')]: 'r2',
      [drawnField(matching.questionId, 'p2')]: '',
    });
    expect(read.response).toEqual({ p1: 'r2' });
    expect(readResponse(matching, {}).response).toBeUndefined();
  });

  it('writes only a changed answer, and an emptied one as unanswered', () => {
    const saved = item('multiple', { response: ['a', 'c'] });
    const read = (value: unknown) => readResponse(saved, { [drawnField(saved.questionId)]: value });
    expect(needsSave(saved, read(['a', 'c']))).toBe(false);
    expect(needsSave(saved, read(['a']))).toBe(true);
    expect(needsSave(saved, read(undefined))).toBe(true);
    expect(needsSave(item('multiple'), read(undefined))).toBe(false);
    const pairs = { ...matching, response: { p2: 'r2', p1: 'r1' } };
    const same = readResponse(pairs, {
      [drawnField(matching.questionId, 'p1')]: 'r1',
      [drawnField(matching.questionId, 'p2')]: 'r2',
    });
    expect(needsSave(pairs, same)).toBe(false);
    const number = item('numeric', { response: 1.5 });
    const typed = (text: string) =>
      needsSave(number, readResponse(number, { [drawnField(number.questionId)]: text }));
    expect(typed('1,5')).toBe(false);
    expect(typed('1.5')).toBe(false);
    expect(typed('2')).toBe(true);
    expect(typed('một')).toBe(true);
  });

  it('shows a saved response in the form: a number with a decimal comma, places from the order', () => {
    expect(draftOfSaved(item('numeric', { response: 3.5 })).text).toBe('3,5');
    expect(draftOfSaved(item('true_false', { response: false })).chosen).toEqual(['false']);
    expect(draftOfSaved({ ...ordering, response: ['c', 'a', 'b'] }).places).toEqual({
      c: '1',
      a: '2',
      b: '3',
    });
    expect(numberVi(1234.5)).toBe('1234,5');
  });

  it('says a right answer in words, by kind', () => {
    expect(answerWords(item('true_false'), true, words).text).toBe('Đúng');
    expect(answerWords(item('multiple', { options: abc }), ['a', 'c'], words).lines).toEqual([
      'Một',
      'Ba',
    ]);
    expect(answerWords(item('numeric'), { value: 2.5, tolerance: 0.1 }, words).text).toBe(
      '2,5 (± 0,1)',
    );
    expect(answerWords(item('numeric'), { value: 1, tolerance: 0 }, words).text).toBe('1');
    expect(answerWords(item('short_answer'), ['Đại hội', 'ĐH'], words).text).toBe('Đại hội / ĐH');
    expect(answerWords(ordering, ['b', 'a', 'c'], words).lines).toEqual(['Hai', 'Một', 'Ba']);
    expect(answerWords(matching, { p1: 'r1', p2: 'r2' }, words).lines).toEqual([
      'Luật Công đoàn → 2024',
      'Bộ luật Lao động → 2019',
    ]);
    expect(answerWords(item('essay'), null, words)).toEqual({ text: '', lines: [] });
  });

  it('groups the questions by section in order, numbering them through, typed values first', () => {
    const items = [
      item('single', { questionId: 'x', section: 'A', options: abc, response: 'a' }),
      item('essay', { questionId: 'y', section: 'A' }),
      item('numeric', { questionId: 'z', section: 'B', response: 2 }),
    ];
    const drafts = new Map([['z', { chosen: [], text: 'hai', places: {}, pairs: {} }]]);
    const sections = drawnSections(items, words, drafts, new Map([['z', ['Không phải số']]]));
    expect(sections.map((s) => [s.title, s.items.map((i) => i.number)])).toEqual([
      ['A', [1, 2]],
      ['B', [3]],
    ]);
    expect(sections[0].items[0].options.map((o) => o.checked)).toEqual([true, false, false]);
    expect(sections[1].items[0]).toMatchObject({ text: 'hai', errors: ['Không phải số'] });
  });

  it('marks the outcome of a released question, an essay as marked', () => {
    const released = (i: AttemptItemDto, pointsEarned: number, correct: boolean | null) =>
      drawnSections(
        [{ ...i, result: { pointsEarned, correct, correctAnswer: null, feedback: 'Tốt' } }],
        words,
      )[0].items[0].review;
    expect(released(item('essay', { response: 'x' }), 7.5, null)).toMatchObject({
      outcomeKey: 'learn.drawn.marked',
      pointsEarned: '7,5',
      feedback: 'Tốt',
    });
    expect(released(item('single', { response: 'a' }), 0, false)?.outcomeKey).toBe(
      'learn.result.outcomes.incorrect',
    );
    expect(released(item('ordering', { response: ['a'] }), 1, false)?.outcomeKey).toBe(
      'learn.result.outcomes.partially_correct',
    );
    expect(released(item('single'), 0, false)?.outcomeKey).toBe('learn.result.outcomes.unanswered');
  });
});
