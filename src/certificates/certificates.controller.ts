import { Controller, Get, Header, Param, Req, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { CurrentActor, Public, RequirePermission } from '../auth/access.decorators';
import { Actor } from '../auth/actor';
import { UuidParam } from '../common/http/params';
import { CertificatesService } from './certificates.service';
import { CertificateVerificationDto, MyCertificatesDto } from './dto/certificate.dto';

@ApiTags('certificates')
@Controller('me/certificates')
export class MyCertificatesController {
  constructor(private readonly certificates: CertificatesService) {}

  @Get()
  @RequirePermission('self:use')
  @ApiOkResponse({ type: MyCertificatesDto })
  list(@CurrentActor() actor: Actor): Promise<MyCertificatesDto> {
    return this.certificates.listMine(actor);
  }
}

@ApiTags('certificates')
@Controller('certificates')
export class CertificatesController {
  constructor(private readonly certificates: CertificatesService) {}

  @Get(':id/pdf')
  @RequirePermission('self:use')
  @ApiOperation({ summary: 'The certificate as PDF: its holder, or staff whose scope covers them' })
  @ApiProduces('application/pdf')
  @Header('Cache-Control', 'private, max-age=0, must-revalidate')
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
  @ApiOperation({ summary: 'Public verification of a certificate by its code (throttled per IP)' })
  @ApiOkResponse({ type: CertificateVerificationDto })
  @Header('Cache-Control', 'no-store')
  verify(@Param('code') code: string, @Req() req: Request): Promise<CertificateVerificationDto> {
    return this.certificates.verify(code, req.ip ?? 'unknown');
  }
}
