import { compareVietnameseNames, escapeLike, foldForSearch, vietnameseSortKey } from './vietnamese';

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
});
