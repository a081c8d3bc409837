import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import {
  CertificatesController,
  MyCertificatesController,
  VerifyController,
} from './certificates.controller';
import { CertificatesService } from './certificates.service';

@Module({
  imports: [AuthModule],
  controllers: [MyCertificatesController, CertificatesController, VerifyController],
  providers: [CertificatesService],
  exports: [CertificatesService],
})
export class CertificatesModule {}
