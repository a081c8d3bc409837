import { ApiProperty } from '@nestjs/swagger';
import { CERTIFICATE_STATUSES, CertificateStatus } from '../certificate.types';

export class CertificateSummaryDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'GCN-2026-000001' }) serial: string;
  @ApiProperty({ description: 'Verification code of the public /verify/:code link' })
  code: string;
  @ApiProperty() courseTitle: string;
  @ApiProperty({ format: 'date-time' }) issuedAt: string;
  @ApiProperty({ enum: CERTIFICATE_STATUSES }) status: CertificateStatus;
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
  @ApiProperty({ enum: CERTIFICATE_STATUSES }) status: CertificateStatus;
  @ApiProperty({
    type: String,
    nullable: true,
    example: '20/03/2027',
    description: 'dd/MM/yyyy of the last status change; null while as issued',
  })
  statusChangedOn: string | null;
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
