import { Actor, scopeCondition, scopeConditionRaw } from './actor';

const actor = new Actor('u', 'p', 'a@b.c', 's', [
  { role: 'hr', orgUnitId: 'hn', path: '/1/2/' },
  { role: 'training_officer', orgUnitId: 'bn', path: '/1/3/' },
  { role: 'hr', orgUnitId: 'hn-child', path: '/1/2/9/' },
  { role: 'learner', orgUnitId: 'home', path: '/1/2/9/12/' },
]);

describe('Actor', () => {
  it('knows its permissions from its roles', () => {
    expect(actor.can('people:write')).toBe(true);
    expect(actor.can('accounts:manage')).toBe(false);
  });

  it('reduces nested grants to the outermost subtree per permission', () => {
    expect(actor.scopePaths('people:write')).toEqual(['/1/2/']);
    expect(actor.scopePaths('people:read').sort()).toEqual(['/1/2/', '/1/3/']);
    expect(actor.scopePaths('accounts:manage')).toEqual([]);
  });

  it('covers a path only inside a granted subtree', () => {
    expect(actor.covers('people:write', '/1/2/9/40/')).toBe(true);
    expect(actor.covers('people:write', '/1/3/')).toBe(false);
    // "/1/2/" must not cover "/1/20/": paths end with a slash for that reason.
    expect(actor.covers('people:write', '/1/20/')).toBe(false);
  });
});

describe('scopeCondition', () => {
  it('builds one LIKE per subtree', () => {
    expect(scopeCondition('o.path', ['/1/2/'])).toEqual({
      sql: 'o.path LIKE :scope0',
      params: { scope0: '/1/2/%' },
    });
    expect(scopeCondition('o.path', ['/1/', '/5/'], 's').sql).toBe(
      '(o.path LIKE :s0 OR o.path LIKE :s1)',
    );
  });

  it('matches nothing without a scope', () => {
    expect(scopeCondition('o.path', []).sql).toBe('FALSE');
    expect(scopeConditionRaw('o.path', [], 1)).toEqual({ sql: 'FALSE', params: [] });
  });

  it('numbers raw parameters from the given start', () => {
    expect(scopeConditionRaw('o.path', ['/1/', '/2/'], 3)).toEqual({
      sql: '(o.path LIKE $3 OR o.path LIKE $4)',
      params: ['/1/%', '/2/%'],
    });
  });
});
