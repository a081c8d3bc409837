import { ApiProperty } from '@nestjs/swagger';
import { CERTIFICATE_STATUSES, CertificateStatus } from '../certificate.types';

export class CertificateSummaryDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'GCN-2026-000001' }) serial: string;
  @ApiProperty({ description: 'Verification code of the public /verify/:code link' })
  code: string;
  @ApiProperty() courseTitle: string;
  @ApiProperty({ format: 'date-time' }) issuedAt: string;
  @ApiProperty({ enum: CERTIFICATE_STATUSES, description: 'As of today' })
  status: CertificateStatus;
  @ApiProperty({
    type: String,
    format: 'date',
    nullable: true,
    description: 'Last valid day; null: no expiry',
  })
  expiresOn: string | null;
}

export class MyCertificatesDto {
  @ApiProperty({ type: [CertificateSummaryDto] }) items: CertificateSummaryDto[];
}

/** Where a replaced certificate went: the successor's serial and date, nothing personal. */
export class CertificateReplacementDto {
  @ApiProperty({ example: 'GCN-2027-000013' }) serial: string;
  @ApiProperty({ example: '05/01/2027', description: 'dd/MM/yyyy' }) issuedOn: string;
}

/** What anyone holding the code may read: nothing personal beyond the holder's name. */
export class CertificateVerificationDto {
  @ApiProperty({
    enum: CERTIFICATE_STATUSES,
    description: 'As of today: a certificate past its last valid day is expired',
  })
  status: CertificateStatus;
  @ApiProperty({
    example: 'Hết hiệu lực từ ngày 01/02/2030',
    description:
      'The status in words with its date; Vietnamese, English with Accept-Language: en. ' +
      'Còn hiệu lực [đến hết ngày …] · Tạm đình chỉ từ ngày … · Đã thu hồi ngày … · ' +
      'Đã thay thế bằng giấy chứng nhận số hiệu … cấp ngày … · Hết hiệu lực từ ngày …',
  })
  statusText: string;
  @ApiProperty({
    type: String,
    nullable: true,
    example: '20/03/2027',
    description:
      'dd/MM/yyyy of the last status change (for an expired certificate, the first day it ' +
      'was no longer valid); null while as issued',
  })
  statusChangedOn: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    example: '31/01/2030',
    description: 'dd/MM/yyyy: the last day of validity; null when it has no end',
  })
  validUntil: string | null;
  @ApiProperty({ type: CertificateReplacementDto, nullable: true })
  replacedBy: CertificateReplacementDto | null;
  @ApiProperty() holderName: string;
  @ApiProperty() courseTitle: string;
  @ApiProperty({ example: '01/12/2026', description: 'dd/MM/yyyy' }) issuedOn: string;
  @ApiProperty({
    example: 'Giỏi',
    type: String,
    nullable: true,
    description: 'null when the course had no final assessment',
  })
  grade: string | null;
  @ApiProperty({ description: 'Issuing union unit' }) issuer: string;
  @ApiProperty({ example: 'GCN-2026-000001' }) serial: string;
}
