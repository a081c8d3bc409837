import { BlueprintDto } from '../assessments/dto/blueprint.dto';
import {
  bodyOf,
  grantOf,
  instantOf,
  localOf,
  movedRule,
  placeOf,
  positionOf,
  ruleOf,
  vnDateTime,
  windowOf,
  withoutRule,
  withRule,
  withSettings,
} from './blueprint-form';

const BANK = '11111111-1111-4111-8111-111111111111';
const Q = '22222222-2222-4222-8222-222222222222';
const CAT = '33333333-3333-4333-8333-333333333333';

const rule = (over: Partial<BlueprintDto['sections'][number]['rules'][number]> = {}) => ({
  bankId: BANK,
  bankName: 'Luật',
  questionId: null,
  categoryId: null,
  tag: null,
  difficulty: null,
  kind: null,
  count: 2,
  points: null,
  available: 5,
  ...over,
});

const blueprint: BlueprintDto = {
  assessmentId: 'a',
  drawn: true,
  sections: [
    { title: 'Phần 1', rules: [rule({ questionId: Q, count: 1, points: 3 }), rule({ tag: 'C2' })] },
    { title: 'Phần 2', rules: [rule({ categoryId: CAT, difficulty: 2, kind: 'single' })] },
  ],
  questionCount: 5,
  shuffleQuestions: true,
  shuffleOptions: false,
  gradingPolicy: 'latest',
  secondMarking: false,
  markerThreshold: null,
  opensAt: null,
  closesAt: null,
};

describe('the blueprint page forms', () => {
  it('turns the stored blueprint into the body that stores it again, nulls left out', () => {
    const body = bodyOf(blueprint);
    expect(body.sections[0].rules).toEqual([
      { bankId: BANK, questionId: Q, points: 3 },
      { bankId: BANK, tag: 'C2', count: 2 },
    ]);
    expect(body.sections[1].rules[0]).toEqual({
      bankId: BANK,
      categoryId: CAT,
      difficulty: 2,
      kind: 'single',
      count: 2,
    });
    expect(body).toMatchObject({ shuffleQuestions: true, gradingPolicy: 'latest' });
  });

  it('reads a random rule with its filters, and a fixed question without them', () => {
    expect(
      ruleOf({
        bankId: BANK,
        categoryId: '',
        tag: ' C3 ',
        difficulty: '3',
        count: '4',
        points: '',
      }),
    ).toEqual({ bankId: BANK, tag: 'C3', difficulty: 3, count: 4 });
    expect(ruleOf({ bankId: BANK, questionId: Q, tag: 'x', count: '9', points: '2' })).toEqual({
      bankId: BANK,
      questionId: Q,
      points: 2,
    });
    // What does not read as a number goes on as typed, for the DTO to refuse beside its field.
    expect(ruleOf({ bankId: BANK, count: 'ba' })).toMatchObject({ count: 'ba' });
    expect(ruleOf({})).toEqual({ bankId: '', count: 1 });
  });

  it('adds a rule to its section, or to a new one, and says where it landed', () => {
    const body = bodyOf(blueprint);
    const added = withRule(body, 'Phần 2', { bankId: BANK, count: 1 });
    expect(added.at).toBe('sections.1.rules.1');
    expect(added.body.sections[1].rules).toHaveLength(2);
    expect(body.sections[1].rules).toHaveLength(1); // the current one is left as it was
    const fresh = withRule(body, 'Phần 3', { bankId: BANK, count: 1 });
    expect(fresh.at).toBe('sections.2.rules.0');
    expect(fresh.body.sections.map((s) => s.title)).toEqual(['Phần 1', 'Phần 2', 'Phần 3']);
  });

  it('removes a rule (and a section left empty) and moves one inside its section', () => {
    const body = bodyOf(blueprint);
    expect(positionOf({ section: '1', rule: '0' }, body)).toEqual({ s: 1, r: 0 });
    expect(positionOf({ section: '1', rule: '1' }, body)).toBeUndefined();
    expect(positionOf({ section: 'x', rule: '0' }, body)).toBeUndefined();
    expect(withoutRule(body, 1, 0).sections.map((s) => s.title)).toEqual(['Phần 1']);
    expect(withoutRule(body, 0, 0).sections[0].rules).toEqual([body.sections[0].rules[1]]);
    const down = movedRule(body, 0, 0, 'down');
    expect(down.sections[0].rules).toEqual([body.sections[0].rules[1], body.sections[0].rules[0]]);
    expect(movedRule(body, 0, 0, 'up')).toEqual(body);
  });

  it('reads the settings: unticked boxes are off, a blank threshold is none', () => {
    const body = withSettings(bodyOf(blueprint), {
      shuffleOptions: 'true',
      gradingPolicy: 'average',
      secondMarking: 'true',
      markerThreshold: '1,5',
    });
    expect(body).toMatchObject({
      shuffleQuestions: false,
      shuffleOptions: true,
      gradingPolicy: 'average',
      secondMarking: true,
      markerThreshold: 1.5,
    });
    expect(withSettings(bodyOf(blueprint), { markerThreshold: '' }).markerThreshold).toBeNull();
    expect(body.sections).toEqual(bodyOf(blueprint).sections);
  });

  it('reads the window in Vietnam time and shows an instant back in it', () => {
    expect(instantOf('2026-12-10T08:00')).toBe('2026-12-10T01:00:00.000Z');
    expect(instantOf('2026-12-10T06:30:15')).toBe('2026-12-09T23:30:15.000Z');
    expect(instantOf('')).toBeNull();
    expect(instantOf('mai')).toBe('mai');
    expect(windowOf({ opensAt: '2026-12-10T08:00', closesAt: ' ' })).toEqual({
      opensAt: '2026-12-10T01:00:00.000Z',
      closesAt: null,
    });
    expect(localOf('2026-12-09T23:30:00.000Z')).toBe('2026-12-10T06:30');
    expect(localOf(null)).toBe('');
    expect(vnDateTime('2026-12-31T17:05:00Z')).toBe('01/01/2027 00:05');
  });

  it('reads the grant form, a blank number as none', () => {
    expect(grantOf({ extraMinutes: '15', extraAttempts: '', reason: ' Thị lực kém ' })).toEqual({
      extraMinutes: 15,
      extraAttempts: 0,
      reason: 'Thị lực kém',
    });
  });

  it('places a refusal beside the rule or field it names', () => {
    expect(placeOf('sections.0.rules.2')).toEqual({ place: 'rule', key: '0-2', sub: undefined });
    expect(placeOf('sections.1.rules.0.count')).toEqual({
      place: 'rule',
      key: '1-0',
      sub: 'count',
    });
    expect(placeOf('sections.1.title')).toEqual({ place: 'field', name: 'section' });
    expect(placeOf('markerThreshold')).toEqual({ place: 'field', name: 'markerThreshold' });
  });
});
