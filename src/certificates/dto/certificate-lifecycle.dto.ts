import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { IsOmittable, Trim } from '../../common/http/validators';
import { CERTIFICATE_ACTIONS, CertificateAction } from '../certificate-lifecycle';
import { CERTIFICATE_STATUSES, CertificateStatus } from '../certificate.types';

/** Suspend, revoke, reissue: the reason is kept in the certificate's history. */
export class CertificateReasonDto {
  @ApiProperty({ example: 'Sai họ tên trên giấy chứng nhận', minLength: 1, maxLength: 500 })
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  reason: string;
}

export class ReinstateCertificateDto {
  @ApiPropertyOptional({ example: 'Đã xác minh lại kết quả', maxLength: 500 })
  @IsOmittable()
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  reason?: string;
}

export class CertificateRefDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'GCN-2026-000001' }) serial: string;
}

/** One recorded change of a certificate, from the audit log. */
export class CertificateEventDto {
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiProperty({ enum: CERTIFICATE_ACTIONS }) action: CertificateAction;
  @ApiProperty({ enum: CERTIFICATE_STATUSES, nullable: true, type: String })
  fromStatus: CertificateStatus | null;
  @ApiProperty({ enum: CERTIFICATE_STATUSES }) toStatus: CertificateStatus;
  @ApiProperty({ type: String, nullable: true }) reason: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'Who acted' })
  actorPersonId: string | null;
  @ApiProperty({
    type: CertificateRefDto,
    nullable: true,
    description: 'reissue: the new certificate; issue (of a reissue): the one it replaces',
  })
  related: CertificateRefDto | null;
}

/** A certificate as staff in scope see it, with its whole status history. */
export class CertificateDetailDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'GCN-2026-000001' }) serial: string;
  @ApiProperty() code: string;
  @ApiProperty({ format: 'uuid' }) personId: string;
  @ApiProperty({ description: 'As printed (frozen at issue)' }) holderName: string;
  @ApiProperty() courseCode: string;
  @ApiProperty() courseTitle: string;
  @ApiProperty({ format: 'date-time' }) issuedAt: string;
  @ApiProperty({ enum: CERTIFICATE_STATUSES, description: 'As of today' })
  status: CertificateStatus;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  statusChangedAt: string | null;
  @ApiProperty({
    type: String,
    format: 'date',
    nullable: true,
    description: 'Last valid day (Vietnam calendar); null: no expiry',
  })
  expiresOn: string | null;
  @ApiProperty({ type: CertificateRefDto, nullable: true }) replacedBy: CertificateRefDto | null;
  @ApiProperty({ type: CertificateRefDto, nullable: true }) replaces: CertificateRefDto | null;
  @ApiProperty({ type: [CertificateEventDto] }) history: CertificateEventDto[];
}
