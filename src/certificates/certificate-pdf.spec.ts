import { extractPdfText } from '../../test/support/pdf-text';
import { certificateTexts, renderCertificatePdf } from './certificate-pdf';
import { CertificateSnapshot } from './certificate.types';

const snapshot: CertificateSnapshot = {
  holderName: 'Nguyễn Thị Hương',
  courseCode: 'K01',
  courseTitle: 'Kỹ năng thương lượng, đối thoại tại nơi làm việc',
  hours: 24,
  score: 8.5,
  grade: 'Giỏi',
  issuedOn: '01/12/2026',
  issuerName: 'Liên đoàn Lao động Thành phố Hà Nội',
  serial: 'GCN-2026-000001',
  verifyUrl: 'http://localhost:3000/api/v1/verify/ABCDEFGHIJKLMNOPQRSTUVWX',
};

describe('renderCertificatePdf', () => {
  it('renders a PDF that embeds Be Vietnam Pro and gives the same bytes every time', async () => {
    const first = await renderCertificatePdf(snapshot);
    const second = await renderCertificatePdf({ ...snapshot });
    expect(first.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(first.equals(second)).toBe(true);
    expect(first.toString('latin1')).toContain('BeVietnamPro-Bold');
    expect(first.toString('latin1')).toContain('BeVietnamPro-Regular');
  });

  it('writes the Vietnamese texts so that they extract back exactly, even from NFD input', async () => {
    const nfd: CertificateSnapshot = {
      ...snapshot,
      holderName: snapshot.holderName.normalize('NFD'),
      courseTitle: snapshot.courseTitle.normalize('NFD'),
    };
    const text = extractPdfText(await renderCertificatePdf(nfd));
    for (const expected of [
      'GIẤY CHỨNG NHẬN',
      'Chứng nhận Ông/Bà',
      'Nguyễn Thị Hương',
      'Đã hoàn thành khóa học',
      'Kỹ năng thương lượng, đối thoại tại nơi làm việc',
      'Xếp loại: Giỏi',
      'Số hiệu: GCN-2026-000001',
      'Ngày cấp: 01/12/2026',
      'Liên đoàn Lao động Thành phố Hà Nội',
    ]) {
      expect(text).toContain(expected);
    }
  });

  it('changes the bytes when the issue instant changes (CreationDate comes from it)', async () => {
    const a = await renderCertificatePdf(snapshot, new Date('2026-12-01T03:00:00Z'));
    const b = await renderCertificatePdf(snapshot, new Date('2026-12-01T03:00:01Z'));
    expect(a.equals(b)).toBe(false);
  });
});

describe('certificateTexts', () => {
  it('fills every field of the template, on one line each', () => {
    const texts = certificateTexts({ ...snapshot, courseTitle: 'Dòng một\nDòng hai' });
    expect(texts.title).toBe('GIẤY CHỨNG NHẬN');
    expect(texts.course).toBe('Dòng một Dòng hai');
    expect(texts.details).toBe('Mã khóa học: K01 · Thời lượng: 24 giờ · Điểm: 8,5/10');
    expect(texts.grade).toBe('Xếp loại: Giỏi');
    expect(texts.reissue).toBe('');
  });

  it('names the replaced serial on a reissued certificate only', async () => {
    const reissued = { ...snapshot, replacesSerial: 'GCN-2025-000007' };
    expect(certificateTexts(reissued).reissue).toBe('Cấp lại, thay thế số hiệu GCN-2025-000007');
    const text = extractPdfText(await renderCertificatePdf(reissued));
    expect(text).toContain('Cấp lại, thay thế số hiệu GCN-2025-000007');
  });

  it('prints the hours attended only on a certificate of a classroom course', async () => {
    expect(certificateTexts(snapshot).details).toBe(
      'Mã khóa học: K01 · Thời lượng: 24 giờ · Điểm: 8,5/10',
    );
    const classroom = { ...snapshot, attendedHours: 13.5 };
    expect(certificateTexts(classroom).details).toBe(
      'Mã khóa học: K01 · Thời lượng: 24 giờ · Tham dự: 13,5 giờ · Điểm: 8,5/10',
    );
    const text = extractPdfText(await renderCertificatePdf(classroom));
    expect(text).toContain('Tham dự: 13,5 giờ');
  });

  it('prints the last valid day only on a certificate that has one', async () => {
    expect(certificateTexts(snapshot).validity).toBe('');
    const limited = { ...snapshot, validUntil: '31/01/2030' };
    expect(certificateTexts(limited).validity).toBe('Có giá trị đến hết ngày 31/01/2030');
    const text = extractPdfText(await renderCertificatePdf(limited));
    expect(text).toContain('Có giá trị đến hết ngày 31/01/2030');
    expect(extractPdfText(await renderCertificatePdf(snapshot))).not.toContain('Có giá trị');
  });
});
