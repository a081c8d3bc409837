import { DomainError } from '../common/errors/domain-error';
import { CreateSessionDto } from './dto/session.dto';
import { readDays, roomKey } from './sessions.service';

const body = (over: Partial<CreateSessionDto> = {}): CreateSessionDto => ({
  title: 'Lớp K01',
  days: [
    { startsAt: '2027-03-10T08:00', endsAt: '2027-03-10T16:30' },
    { startsAt: '2027-03-11T08:00', endsAt: '2027-03-11T16:30' },
  ],
  venue: { name: 'Trường Cán bộ Công đoàn', room: 'P.301', capacity: 40 },
  signupOpensAt: '2027-02-01T08:00',
  signupClosesAt: '2027-03-08T17:00',
  maxSeats: 30,
  ...over,
});

/** The fields a refusal names, or [] when the body passes. */
const fieldsOf = (dto: CreateSessionDto): string[] => {
  try {
    readDays(dto);
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    return (error as DomainError).details.map((d) => d.field);
  }
};

describe('the rules across the fields of a session', () => {
  it('reads the days as instants in Vietnam time', () => {
    expect(readDays(body()).map((d) => d.startsAt.toISOString())).toEqual([
      '2027-03-10T01:00:00.000Z',
      '2027-03-11T01:00:00.000Z',
    ]);
  });

  it('names each field at fault', () => {
    expect(
      fieldsOf(body({ days: [{ startsAt: '2027-03-10T08:00', endsAt: '2027-03-10T08:00' }] })),
    ).toEqual(['days[0].endsAt']);
    expect(
      fieldsOf(
        body({
          days: [
            { startsAt: '2027-03-10T08:00', endsAt: '2027-03-10T12:00' },
            { startsAt: '2027-03-10T11:00', endsAt: '2027-03-10T13:00' },
          ],
        }),
      ),
    ).toEqual(['days[1]']);
    expect(fieldsOf(body({ signupClosesAt: '2027-03-10T09:00' }))).toEqual(['signupClosesAt']);
    expect(fieldsOf(body({ signupOpensAt: '2027-03-09T09:00' }))).toEqual(['signupClosesAt']);
    expect(fieldsOf(body({ minSeats: 31 }))).toEqual(['minSeats']);
    expect(fieldsOf(body({ maxSeats: 41 }))).toEqual(['maxSeats']);
    expect(fieldsOf(body({ venue: undefined }))).toEqual(['venue']);
    expect(fieldsOf(body({ venue: undefined, onlineUrl: 'https://meet.example.vn/k01' }))).toEqual(
      [],
    );
  });

  it('keys a room by venue and room whatever the case or spacing', () => {
    expect(roomKey(' Trường Cán bộ ', 'P.301')).toBe(roomKey('TRƯỜNG CÁN BỘ', ' p.301 '));
    expect(roomKey('Trường Cán bộ', 'P.301')).not.toBe(roomKey('Trường Cán bộ', 'P.302'));
  });
});
