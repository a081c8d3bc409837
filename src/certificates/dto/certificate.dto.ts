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

/** What anyone holding the code may read: nothing personal beyond the holder's name. */
export class CertificateVerificationDto {
  @ApiProperty({ enum: CERTIFICATE_STATUSES }) status: CertificateStatus;
  @ApiProperty() holderName: string;
  @ApiProperty() courseTitle: string;
  @ApiProperty({ example: '01/12/2026', description: 'dd/MM/yyyy' }) issuedOn: string;
  @ApiProperty({ example: 'Giỏi' }) grade: string;
  @ApiProperty({ description: 'Issuing union unit' }) issuer: string;
  @ApiProperty({ example: 'GCN-2026-000001' }) serial: string;
}
