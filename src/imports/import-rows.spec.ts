import { foldForSearch, personSortKey } from '../common/text/vietnamese';
import { fullNameOf } from '../people/people.service';
import { personSearchName, personSortKeyOf } from './import-rows';

describe('names staged by an import', () => {
  const names = [
    { familyName: 'Nguyễn', middleName: 'Thị Ngọc', givenName: 'Ánh' },
    { familyName: 'Đặng', middleName: null, givenName: 'Đức' },
    { familyName: 'Tôn Nữ', middleName: 'Thị', givenName: 'Hà' },
    { familyName: 'Lê', middleName: '', givenName: 'Hưng 2' },
    { familyName: 'Trương', middleName: 'Văn', givenName: 'X'.repeat(90) },
  ];

  it('gives the search name and sort key the people module gives the full name', () => {
    for (const parts of names) {
      // Twice: the second time from the forms kept of each part.
      for (let i = 0; i < 2; i++) {
        expect(personSearchName(parts)).toBe(foldForSearch(fullNameOf(parts)));
        expect(personSortKeyOf(parts)).toBe(personSortKey(parts));
      }
    }
  });
});
