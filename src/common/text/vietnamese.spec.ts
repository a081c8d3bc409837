import {
  compareVietnameseNames,
  escapeLike,
  foldForSearch,
  PERSON_SORT_KEY_LENGTH,
  personSortKey,
  vietnameseSortKey,
} from './vietnamese';

describe('foldForSearch', () => {
  it('drops diacritics and folds đ', () => {
    expect(foldForSearch('Liên đoàn Lao động TP Hà Nội')).toBe('lien doan lao dong tp ha noi');
    expect(foldForSearch('ĐẶNG  Thị   Ánh')).toBe('dang thi anh');
  });

  it('gives the same fold for NFC and NFD input', () => {
    const nfd = 'Nguyễn'.normalize('NFD');
    expect(foldForSearch(nfd)).toBe(foldForSearch('Nguyễn'));
  });
});

describe('escapeLike', () => {
  it('escapes wildcards', () => {
    expect(escapeLike('50%_a\\b')).toBe('50\\%\\_a\\\\b');
  });
});

describe('compareVietnameseNames', () => {
  it('sorts by given name first, then middle, then family', () => {
    const people = [
      { familyName: 'Trần', middleName: 'Văn', givenName: 'Bình' },
      { familyName: 'Lê', middleName: 'Thị', givenName: 'An' },
      { familyName: 'Nguyễn', middleName: 'Văn', givenName: 'An' },
      { familyName: 'Đỗ', middleName: null, givenName: 'Ánh' },
    ];
    const sorted = [...people].sort(compareVietnameseNames).map((p) => p.familyName);
    expect(sorted).toEqual(['Lê', 'Nguyễn', 'Đỗ', 'Trần']);
  });
});

describe('vietnameseSortKey', () => {
  it('orders letters the Vietnamese way, tones only breaking ties', () => {
    const words = ['Đức', 'Dung', 'Ánh', 'Anh', 'Ân', 'Bình', 'Ăn'];
    const sorted = [...words].sort((a, b) =>
      vietnameseSortKey(a) < vietnameseSortKey(b) ? -1 : 1,
    );
    expect(sorted).toEqual(['Anh', 'Ánh', 'Ăn', 'Ân', 'Bình', 'Dung', 'Đức']);
  });

  it('puts a shorter run of words before its longer forms', () => {
    const names = ['Thịnh', 'Thị Thu', 'Thị', 'Hà Nội Mới', 'Hàm', 'Hà Nội'];
    const sorted = [...names].sort((a, b) =>
      vietnameseSortKey(a) < vietnameseSortKey(b) ? -1 : 1,
    );
    expect(sorted).toEqual(['Hà Nội', 'Hà Nội Mới', 'Hàm', 'Thị', 'Thị Thu', 'Thịnh']);
  });
});

describe('personSortKey', () => {
  it('fits the column even for the longest names allowed', () => {
    const key = personSortKey({
      familyName: 'Đ'.repeat(60),
      middleName: 'Ư'.repeat(80),
      givenName: 'Ậ'.repeat(60),
    });
    expect(key.length).toBeLessThanOrEqual(PERSON_SORT_KEY_LENGTH);
  });
});
