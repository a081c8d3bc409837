import { join } from 'node:path';
import QRCode from 'qrcode';
import {
  CERTIFICATE_FONTS,
  drawCertificate,
  loadFont,
  renderCertificatePdf,
} from '../../src/certificates/certificate-pdf';
import { formatSerial } from '../../src/certificates/certificate-format';
import { CertificateSnapshot } from '../../src/certificates/certificate.types';
import { projectRoot } from '../../src/common/project-root';
import { Measure, round, timeIt } from './measure';

function snapshot(i: number): CertificateSnapshot {
  return {
    holderName: 'Nguyễn Thị Hương',
    courseCode: 'K01',
    courseTitle: 'Nghiệp vụ công tác công đoàn cơ sở dành cho chủ tịch công đoàn',
    hours: 24,
    score: 8.5,
    grade: 'Giỏi',
    issuedOn: '01/12/2026',
    issuerName: 'Liên đoàn Lao động Thành phố Hà Nội',
    serial: formatSerial(2026, i + 1),
    verifyUrl: `https://lms.congdoan.vn/api/v1/verify/ABCDEFGHIJKLMNOPQRST${String(i).padStart(4, '0')}`,
  };
}

/**
 * Certificates per second through renderCertificatePdf (template, snapshot, QR, layout)
 * beside bare pdfkit drawing the same page: the same fonts parsed once, the same texts written
 * out literally and the same QR rectangles, with no Handlebars and no snapshot plumbing.
 */
export const certificateMeasure: Measure = {
  name: 'certificates.render_pdf',
  needsDatabase: false,
  async run({ scale }) {
    const n = scale === 'smoke' ? 50 : 500;
    const root = projectRoot();
    const fonts = {
      regular: loadFont(join(root, CERTIFICATE_FONTS.regular)),
      bold: loadFont(join(root, CERTIFICATE_FONTS.bold)),
    };
    const issuedAt = new Date('2026-12-01T03:00:00Z');
    const bare = (i: number) => {
      const s = snapshot(i);
      return drawCertificate({
        texts: {
          nation: 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
          motto: 'Độc lập – Tự do – Hạnh phúc',
          title: 'GIẤY CHỨNG NHẬN',
          certifies: 'Chứng nhận Ông/Bà',
          holder: s.holderName,
          completed: 'Đã hoàn thành khóa học',
          course: s.courseTitle,
          details: 'Mã khóa học: K01 · Thời lượng: 24 giờ · Điểm: 8,5/10',
          grade: 'Xếp loại: Giỏi',
          validity: '',
          serial: `Số hiệu: ${s.serial}`,
          issued: 'Ngày cấp: 01/12/2026',
          reissue: '',
          issuerLabel: 'Đơn vị cấp',
          issuer: s.issuerName,
          verifyHint: 'Quét mã QR hoặc truy cập địa chỉ dưới đây để kiểm tra giấy chứng nhận',
          verifyUrl: s.verifyUrl,
        },
        qr: QRCode.create(s.verifyUrl, { errorCorrectionLevel: 'M' }).modules,
        fonts,
        info: {
          Title: s.serial,
          Subject: s.courseTitle,
          Author: s.issuerName,
          CreationDate: issuedAt,
        },
      });
    };
    const ours = (i: number) => renderCertificatePdf(snapshot(i), issuedAt);

    // Warm both paths (JIT, font subsetting code, template compile), then alternate halves so
    // that drift of a shared machine falls on both sides alike.
    await timeIt(Math.min(20, n), ours);
    await timeIt(Math.min(20, n), bare);
    const half = Math.ceil(n / 2);
    let oursSeconds = 0;
    let bareSeconds = 0;
    for (const offset of [0, half]) {
      const count = Math.min(half, n - offset);
      bareSeconds += await timeIt(count, (i) => bare(offset + i));
      oursSeconds += await timeIt(count, (i) => ours(offset + i));
    }
    const value = n / oursSeconds;
    const baseline = n / bareSeconds;
    return {
      name: this.name,
      value: round(value, 1),
      unit: 'certificates/s',
      baseline: round(baseline, 1),
      ratio: round(value / baseline),
      n,
    };
  },
};
