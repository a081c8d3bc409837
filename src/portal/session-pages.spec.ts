import { inputOfField, sessionBodyOf } from './session-form';
import { currentVnMonth, dayText, monthsAround, momentText, spanText } from './session-pages';

describe('session pages: days in Vietnam time', () => {
  it('reads the API’s wall-clock time as written, with the Vietnamese weekday', () => {
    expect(dayText('2031-03-12T08:00:00+07:00', 'vi')).toBe('Thứ Tư 12/03/2031');
    expect(dayText('2031-03-16T08:00:00+07:00', 'vi')).toBe('Chủ nhật 16/03/2031');
    expect(dayText('2031-03-16T08:00:00+07:00', 'en')).toBe('Sunday 16/03/2031');
    expect(spanText('2031-03-12T08:00:00+07:00', '2031-03-12T16:30:00+07:00', 'vi')).toBe(
      'Thứ Tư 12/03/2031, 08:00–16:30',
    );
    // A day past midnight names both dates.
    expect(spanText('2031-03-12T20:00:00+07:00', '2031-03-13T02:00:00+07:00', 'vi')).toBe(
      'Thứ Tư 12/03/2031 20:00 – Thứ Năm 13/03/2031 02:00',
    );
    expect(momentText('2031-03-01T08:05:00+07:00')).toBe('01/03/2031 08:05');
  });

  it('takes the month of Vietnam, not of UTC, and the months around one', () => {
    // 31 March 18:00 UTC is already 1 April in Hà Nội.
    expect(currentVnMonth(new Date('2031-03-31T18:00:00Z'))).toBe('2031-04');
    expect(monthsAround('2031-01')).toEqual({ previous: '2030-12', next: '2031-02' });
    expect(monthsAround('2031-12')).toEqual({ previous: '2031-11', next: '2032-01' });
  });
});

describe('session form', () => {
  it('maps the form to the API’s body: blank day rows and venue left out, trainers by line', () => {
    expect(
      sessionBodyOf({
        title: ' Lớp A ',
        day0Start: '2031-04-02T08:00',
        day0End: '2031-04-02T16:00',
        day1Start: '',
        day1End: '',
        day2Start: '2031-04-04T08:00',
        day2End: '',
        onlineUrl: 'https://meet.congdoan.vn/a',
        externalTrainers: 'TS. An\r\n\r\n ThS. Bình ',
        signupOpensAt: '2031-03-01T08:00',
        signupClosesAt: '2031-03-30T17:00',
        maxSeats: '20',
        minSeats: '',
      }),
    ).toEqual({
      title: 'Lớp A',
      days: [
        { startsAt: '2031-04-02T08:00', endsAt: '2031-04-02T16:00' },
        { startsAt: '2031-04-04T08:00', endsAt: '' },
      ],
      onlineUrl: 'https://meet.congdoan.vn/a',
      externalTrainers: ['TS. An', 'ThS. Bình'],
      signupOpensAt: '2031-03-01T08:00',
      signupClosesAt: '2031-03-30T17:00',
      maxSeats: 20,
    });
    expect(sessionBodyOf({ venueRoom: 'P.1', venueCapacity: 'ba mươi' }).venue).toEqual({
      name: '',
      room: 'P.1',
      capacity: 'ba mươi',
    });
  });

  it('sends null for an emptied venue, link or trainers on edit only', () => {
    const blank = { title: 'Lớp B', venueName: '', onlineUrl: ' ', externalTrainers: '\r\n' };
    const created = sessionBodyOf(blank);
    expect(created).not.toHaveProperty('venue');
    expect(created).not.toHaveProperty('onlineUrl');
    expect(created).not.toHaveProperty('externalTrainers');
    expect(sessionBodyOf(blank, { clearBlank: true })).toMatchObject({
      venue: null,
      onlineUrl: null,
      externalTrainers: null,
    });
    expect(
      sessionBodyOf(
        { venueName: 'Nhà văn hóa', venueCapacity: '20', onlineUrl: 'https://meet.congdoan.vn/b' },
        { clearBlank: true },
      ),
    ).toMatchObject({
      venue: { name: 'Nhà văn hóa', capacity: 20 },
      onlineUrl: 'https://meet.congdoan.vn/b',
      externalTrainers: null,
    });
  });

  it('places each refusal beside its input', () => {
    expect(inputOfField('days[1].endsAt')).toBe('day1End');
    expect(inputOfField('days.0.startsAt')).toBe('day0Start');
    expect(inputOfField('days[2]')).toBe('day2Start');
    expect(inputOfField('venue.room')).toBe('venueRoom');
    expect(inputOfField('venue')).toBe('venueName');
    expect(inputOfField('externalTrainers.1')).toBe('externalTrainers');
    expect(inputOfField('maxSeats')).toBe('maxSeats');
    expect(inputOfField('instructorPersonIds[0]')).toBeUndefined();
  });
});
