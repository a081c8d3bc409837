import { tableCsv } from '../common/csv/table';
import { TRANSCRIPT_TABLE, TranscriptLine, transcriptRows } from './transcript-csv';

async function transcriptCsv(lines: TranscriptLine[]): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of tableCsv(TRANSCRIPT_TABLE, transcriptRows(lines))) {
    chunks.push(Buffer.from(c as Buffer));
  }
  return Buffer.concat(chunks).toString('utf8');
}

describe('transcriptCsv', () => {
  it('starts with a BOM, has the Vietnamese header and dd/MM/yyyy dates', async () => {
    const csv = await transcriptCsv([
      {
        kind: 'course',
        courseCode: 'K01',
        courseTitle: 'Kỹ năng "thương lượng", đối thoại',
        provider: null,
        completedOn: '2026-12-01',
        hours: 24,
        score: 8.5,
        grade: 'Giỏi',
        recognition: 'rules',
        note: null,
        certificateSerial: 'GCN-2026-000001',
      },
      {
        kind: 'external',
        courseCode: null,
        courseTitle: 'Bồi dưỡng nghiệp vụ công đoàn',
        provider: 'Trường Cán bộ Công đoàn tỉnh Bắc Ninh',
        completedOn: '2025-10-08',
        hours: 24.5,
        score: null,
        grade: null,
        recognition: 'external',
        note: '=cmd',
        certificateSerial: null,
      },
    ]);
    expect(Buffer.from(csv, 'utf8').subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const [header, line, external] = csv.slice(1).split('\r\n');
    expect(header).toBe(
      'Mã khóa học,Tên khóa học,Ngày hoàn thành,Số giờ,Xếp loại,Số hiệu chứng nhận,' +
        'Hình thức,Đơn vị đào tạo,Ghi chú',
    );
    expect(line).toBe(
      'K01,"Kỹ năng ""thương lượng"", đối thoại",01/12/2026,24,Giỏi,GCN-2026-000001,' +
        'Hoàn thành khóa học,,',
    );
    expect(external).toBe(
      ',Bồi dưỡng nghiệp vụ công đoàn,08/10/2025,24.5,,,Đào tạo bên ngoài (đã xác minh),' +
        "Trường Cán bộ Công đoàn tỉnh Bắc Ninh,'=cmd",
    );
  });
});
