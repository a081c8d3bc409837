import {
  Body,
  Controller,
  Get,
  Header,
  Headers,
  HttpCode,
  Param,
  Post,
  StreamableFile,
} from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentActor, Public, RequirePermission } from '../auth/access.decorators';
import { Actor } from '../auth/actor';
import { pickLanguage } from '../common/http/language';
import { UuidParam } from '../common/http/params';
import { CertificateLifecycleService } from './certificate-lifecycle.service';
import { CertificatesService } from './certificates.service';
import { CertificateVerificationDto, MyCertificatesDto } from './dto/certificate.dto';
import {
  CertificateDetailDto,
  CertificateReasonDto,
  ReinstateCertificateDto,
} from './dto/certificate-lifecycle.dto';
import { ApiFileResponse } from '../common/openapi/api-page.decorator';
import { ApiErrors } from '../common/openapi/api-errors.decorator';

const REFUSED_MOVE =
  'CERTIFICATE_STATUS_INVALID (the status machine lacks the move), CERTIFICATE_REVOKED ' +
  '(revocation is final), CERTIFICATE_REPLACED (act on the reissued certificate), ' +
  'CERTIFICATE_EXPIRED (past its last valid day: only a revocation remains) or ' +
  'CERTIFICATE_SUSPENDED (a reissue waits for the reinstatement)';

@ApiTags('certificates')
@Controller('me/certificates')
export class MyCertificatesController {
  constructor(private readonly certificates: CertificatesService) {}

  @Get()
  @RequirePermission('self:use')
  @ApiOkResponse({ type: MyCertificatesDto })
  @ApiOperation({
    summary: 'Chứng chỉ của tôi',
    description: "The caller's certificates with their status",
  })
  list(@CurrentActor() actor: Actor): Promise<MyCertificatesDto> {
    return this.certificates.listMine(actor);
  }
}

@ApiTags('certificates')
@Controller('certificates')
export class CertificatesController {
  constructor(
    private readonly certificates: CertificatesService,
    private readonly lifecycle: CertificateLifecycleService,
  ) {}

  @Get(':id')
  @RequirePermission('training:read')
  @ApiOperation({
    summary: 'Xem chứng chỉ và lịch sử trạng thái',
    description: 'A certificate of a person in scope, with its status history',
  })
  @ApiOkResponse({ type: CertificateDetailDto })
  detail(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
  ): Promise<CertificateDetailDto> {
    return this.lifecycle.detail(actor, id);
  }

  @Post(':id/suspend')
  @HttpCode(200)
  @RequirePermission('certificates:manage')
  @ApiOperation({
    summary: 'Tạm đình chỉ chứng chỉ',
    description:
      'valid → suspended, with a reason (verification shows it at once); the holder is told',
  })
  @ApiOkResponse({ type: CertificateDetailDto })
  @ApiConflictResponse({ description: REFUSED_MOVE })
  suspend(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Body() dto: CertificateReasonDto,
  ): Promise<CertificateDetailDto> {
    return this.lifecycle.suspend(actor, id, dto.reason);
  }

  @Post(':id/reinstate')
  @HttpCode(200)
  @RequirePermission('certificates:manage')
  @ApiOperation({
    summary: 'Khôi phục chứng chỉ đang tạm đình chỉ',
    description:
      'suspended → valid (expired when its last valid day has passed meanwhile); the reason ' +
      'is optional; the holder is told',
  })
  @ApiOkResponse({ type: CertificateDetailDto })
  @ApiConflictResponse({ description: REFUSED_MOVE })
  reinstate(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Body() dto: ReinstateCertificateDto,
  ): Promise<CertificateDetailDto> {
    return this.lifecycle.reinstate(actor, id, dto.reason);
  }

  @Post(':id/revoke')
  @HttpCode(200)
  @RequirePermission('certificates:manage')
  @ApiOperation({
    summary: 'Thu hồi chứng chỉ (không thể hoàn tác)',
    description: 'valid, suspended or expired → revoked, with a reason; final; the holder is told',
  })
  @ApiOkResponse({ type: CertificateDetailDto })
  @ApiConflictResponse({ description: REFUSED_MOVE })
  revoke(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Body() dto: CertificateReasonDto,
  ): Promise<CertificateDetailDto> {
    return this.lifecycle.revoke(actor, id, dto.reason);
  }

  @Post(':id/reissue')
  @RequirePermission('certificates:manage')
  @ApiOperation({
    summary: 'Cấp lại chứng chỉ với số hiệu mới',
    description:
      'Reissue of a valid certificate (e.g. after a name correction): a new certificate with ' +
      'a new serial, today’s names and the same last valid day; the old one becomes replaced ' +
      'and points at it. A suspended one is reinstated first. Answers the new one.',
  })
  @ApiCreatedResponse({ type: CertificateDetailDto })
  @ApiConflictResponse({ description: REFUSED_MOVE })
  reissue(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Body() dto: CertificateReasonDto,
  ): Promise<CertificateDetailDto> {
    return this.lifecycle.reissue(actor, id, dto.reason);
  }

  @Get(':id/pdf')
  @RequirePermission('self:use')
  @ApiOperation({
    summary: 'Tải chứng chỉ dạng PDF',
    description:
      'The certificate as PDF: its holder, or staff whose scope covers them. Any status, the ' +
      'same bytes as when issued: the status is what verification answers.',
  })
  @ApiProduces('application/pdf')
  @Header('Cache-Control', 'private, max-age=0, must-revalidate')
  @ApiFileResponse('The certificate as PDF')
  async pdf(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
  ): Promise<StreamableFile> {
    const pdf = await this.certificates.pdf(actor, id);
    return new StreamableFile(pdf.content, {
      type: 'application/pdf',
      disposition: `inline; filename="${pdf.serial}.pdf"`,
      length: pdf.content.length,
    });
  }
}

@ApiTags('certificates')
@Controller('verify')
export class VerifyController {
  constructor(private readonly certificates: CertificatesService) {}

  @Get(':code')
  @Public()
  @ApiOperation({
    summary: 'Xác minh chứng chỉ (công khai)',
    description:
      'Public verification of a certificate by its code (throttled per IP): its status as of ' +
      'today, in words (Vietnamese; English with Accept-Language: en)',
  })
  @ApiOkResponse({ type: CertificateVerificationDto })
  @ApiParam({
    name: 'code',
    description: 'The verification code printed on the certificate and in its QR code',
    example: 'ABCDEFGHIJKLMNOPQRSTUVWX',
  })
  @Header('Cache-Control', 'no-store')
  @ApiErrors('CERTIFICATE_NOT_FOUND')
  verify(
    @Param('code') code: string,
    @Headers('accept-language') acceptLanguage: string | undefined,
  ): Promise<CertificateVerificationDto> {
    return this.certificates.verify(code, pickLanguage(acceptLanguage));
  }
}
