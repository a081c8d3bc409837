import { csvField, transcriptCsv } from './transcript-csv';

describe('transcriptCsv', () => {
  it('starts with a BOM, has the Vietnamese header and dd/MM/yyyy dates', () => {
    const csv = transcriptCsv([
      {
        courseCode: 'K01',
        courseTitle: 'Kỹ năng "thương lượng", đối thoại',
        completedAt: new Date('2026-12-01T03:00:00Z'),
        hours: 24,
        grade: 'Giỏi',
        certificateSerial: 'GCN-2026-000001',
      },
    ]);
    expect(Buffer.from(csv, 'utf8').subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const [header, line] = csv.slice(1).split('\r\n');
    expect(header).toBe(
      'Mã khóa học,Tên khóa học,Ngày hoàn thành,Số giờ,Xếp loại,Số hiệu chứng nhận',
    );
    expect(line).toBe(
      'K01,"Kỹ năng ""thương lượng"", đối thoại",01/12/2026,24,Giỏi,GCN-2026-000001',
    );
  });

  it('defuses spreadsheet formulas', () => {
    expect(csvField('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvField('-1')).toBe("'-1");
  });
});
