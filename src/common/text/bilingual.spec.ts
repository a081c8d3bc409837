import { decimalText, fill, percentText } from './bilingual';

describe('bilingual text', () => {
  it('writes decimals with a comma in Vietnamese and a point in English', () => {
    expect(decimalText(9.9)).toEqual({ vi: '9,9', en: '9.9' });
    expect(decimalText(10)).toEqual({ vi: '10', en: '10' });
    expect(percentText(1 / 3)).toEqual({ vi: '33,3%', en: '33.3%' });
    expect(percentText(0.25)).toEqual({ vi: '25%', en: '25%' });
  });

  it('fills placeholders per language, pairs and plain values alike', () => {
    expect(
      fill(
        { vi: 'Còn {left} năm ({name})', en: '{left} years left ({name})' },
        { left: decimalText(7.5), name: 'Lê Thị Hà' },
      ),
    ).toEqual({ vi: 'Còn 7,5 năm (Lê Thị Hà)', en: '7.5 years left (Lê Thị Hà)' });
    expect(fill({ vi: '{missing}', en: '{missing}' }, {})).toEqual({
      vi: '{missing}',
      en: '{missing}',
    });
  });
});
