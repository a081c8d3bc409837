import { QUESTIONS_OF_EACH_KIND } from '../../test/fixtures/bank-questions';
import { BankQuestionKind, QuestionBody } from '../assessments/question-bank.types';
import {
  buildQuestion,
  formOfQuestion,
  keysFor,
  linesOf,
  optionRows,
  tagsOf,
} from './question-form';

const saved = (kind: string) => {
  const q = QUESTIONS_OF_EACH_KIND[kind];
  return {
    kind: kind as BankQuestionKind,
    prompt: q.prompt,
    points: q.points,
    body: q.body as Record<string, unknown>,
    categoryId: null,
    tags: ['C2'],
    difficulty: 2,
    version: 1,
  };
};

describe('the question editor form', () => {
  it.each(Object.keys(QUESTIONS_OF_EACH_KIND))(
    'reads a saved %s back unchanged (so saving it as it is makes no new version)',
    (kind) => {
      const q = saved(kind);
      const form = formOfQuestion(q);
      const built = buildQuestion(q.kind, form, q.body as unknown as QuestionBody);
      expect(built.body).toEqual(q.body);
      expect(built.points).toBe(q.points);
      expect(built.prompt).toBe(q.prompt);
    },
  );

  it('keys new options A, B, C by their row, skipping blank rows, and keeps a kept text’s key', () => {
    const built = buildQuestion('single', {
      prompt: 'Câu hỏi',
      option_0: 'Một',
      option_2: 'Ba',
      option_5: 'Sáu',
      right: '5',
      points: '1',
    });
    expect(built.body).toEqual({
      kind: 'single',
      options: [
        { key: 'A', text: 'Một' },
        { key: 'B', text: 'Ba' },
        { key: 'C', text: 'Sáu' },
      ],
      correct: 'C',
    });
    expect(built.spotOf('body.options[1].text')).toEqual({ field: 'option_2' });
    expect(built.spotOf('body.correct')).toEqual({ field: 'right' });
    expect(built.unchosen).toEqual([]);
    expect(keysFor(['x', 'B-text', 'y'], [{ key: 'A', text: 'B-text' }], (i) => 'ABC'[i])).toEqual([
      'B',
      'A',
      'C',
    ]);
  });

  it('says which input a failure belongs to, by line for a textarea', () => {
    const built = buildQuestion('matching', {
      prompt: 'Nối',
      pairs: 'Luật Công đoàn | 2024\n\nBộ luật Lao động | 2019',
      distractors: '2012',
      points: '2',
    });
    expect(built.spotOf('body.premises[1].text')).toEqual({ field: 'pairs', line: 3 });
    expect(built.spotOf('body.responses[2].text')).toEqual({ field: 'distractors', line: 1 });
    expect(built.spotOf('body.pairs.P2')).toEqual({ field: 'pairs', line: 3 });
    expect(built.spotOf('prompt')).toEqual({ field: 'prompt' });
    expect(built.spotOf('tags[0]')).toEqual({ field: 'tags' });
    const essay = buildQuestion('essay', { prompt: 'x', rubric: 'A | 6\nB | x' });
    expect(essay.spotOf('body.rubric[1].maxPoints')).toEqual({ field: 'rubric', line: 2 });
    expect(essay.spotOf('points')).toEqual({ field: 'rubric' });
  });

  it('reads a decimal comma, a blank tolerance as 0, and tells what was not chosen', () => {
    const numeric = buildQuestion('numeric', { prompt: 'x', value: ' 3,5 ', points: '1' });
    expect(numeric.body).toEqual({ kind: 'numeric', value: 3.5, tolerance: 0 });
    expect(buildQuestion('true_false', { prompt: 'x' }).unchosen).toEqual(['correct']);
    expect(buildQuestion('multiple', { prompt: 'x', option_0: 'a' }).unchosen).toEqual(['right']);
  });

  it('splits lines and tags, and shows at least 8 option rows', () => {
    expect(linesOf(' a \r\n\n b')).toEqual([
      { text: 'a', line: 1 },
      { text: 'b', line: 3 },
    ]);
    expect(tagsOf('C2, Luật,, C2 ')).toEqual(['C2', 'Luật']);
    expect(optionRows({})).toHaveLength(8);
    expect(optionRows({ option_7: 'h', right: '7' })[7]).toEqual({
      row: 7,
      letter: 'H',
      text: 'h',
      right: true,
    });
    expect(optionRows({ option_7: 'h' })).toHaveLength(9);
  });
});
