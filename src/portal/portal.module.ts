import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { CertificatesModule } from '../certificates/certificates.module';
import { PageExceptionFilter } from './page-exception.filter';
import { PageRenderer } from './page-renderer';
import { PublicPagesController } from './public-pages.controller';

/**
 * The web portal (docs/portal.md): server-rendered pages over the same services as the API.
 * It holds no rule of its own; what a page shows or changes is what its API twin would.
 */
@Module({
  imports: [AuthModule, CertificatesModule],
  controllers: [PublicPagesController],
  providers: [PageRenderer, PageExceptionFilter],
})
export class PortalModule {}
