import { overlappingPairs, overlaps, toVnLocal, vnLocalToInstant } from './session-time';

describe('session times in Vietnam', () => {
  it('reads a Hà Nội wall-clock time as the instant seven hours earlier in UTC', () => {
    expect(vnLocalToInstant('2027-03-10T08:00')?.toISOString()).toBe('2027-03-10T01:00:00.000Z');
    expect(vnLocalToInstant('2027-01-01T06:30')?.toISOString()).toBe('2026-12-31T23:30:00.000Z');
  });

  it('shows an instant back in Vietnam time with its offset', () => {
    expect(toVnLocal(new Date('2027-03-10T01:00:00Z'))).toBe('2027-03-10T08:00:00+07:00');
    expect(toVnLocal(new Date('2026-12-31T23:30:00Z'))).toBe('2027-01-01T06:30:00+07:00');
  });

  it('refuses what is not a real local time', () => {
    for (const bad of [
      '2027-02-30T08:00',
      '2027-13-01T08:00',
      '2027-03-10T24:00',
      '2027-03-10T08:60',
      '2027-03-10 08:00',
      '2027-03-10T08:00Z',
      '2027-03-10T08:00:00+07:00',
      '1999-12-31T08:00',
      '',
      42,
      null,
    ]) {
      expect(vnLocalToInstant(bad)).toBeNull();
    }
  });

  it('round-trips every half hour of a day', () => {
    for (let h = 0; h < 24; h++) {
      const local = `2027-06-15T${String(h).padStart(2, '0')}:30`;
      expect(toVnLocal(vnLocalToInstant(local)!)).toBe(`${local}:00+07:00`);
    }
  });
});

describe('clash overlap', () => {
  const at = (from: string, to: string) => ({
    startsAt: vnLocalToInstant(from)!,
    endsAt: vnLocalToInstant(to)!,
  });

  it('finds a partial overlap and containment, in both orders', () => {
    const a = at('2027-03-10T08:00', '2027-03-10T12:00');
    const b = at('2027-03-10T11:00', '2027-03-10T17:00');
    const inner = at('2027-03-10T09:00', '2027-03-10T10:00');
    expect([overlaps(a, b), overlaps(b, a), overlaps(a, inner), overlaps(inner, a)]).toEqual([
      true,
      true,
      true,
      true,
    ]);
  });

  it('lets back-to-back and separate days pass', () => {
    const a = at('2027-03-10T08:00', '2027-03-10T12:00');
    expect(overlaps(a, at('2027-03-10T12:00', '2027-03-10T17:00'))).toBe(false);
    expect(overlaps(a, at('2027-03-11T08:00', '2027-03-11T12:00'))).toBe(false);
  });

  it('names the overlapping pairs of one list of days', () => {
    expect(
      overlappingPairs([
        at('2027-03-10T08:00', '2027-03-10T12:00'),
        at('2027-03-11T08:00', '2027-03-11T12:00'),
        at('2027-03-10T11:00', '2027-03-10T13:00'),
      ]),
    ).toEqual([[0, 2]]);
  });
});
