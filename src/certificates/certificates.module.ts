import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { AuthModule } from '../auth/auth.module';
import { TrainingRecordsModule } from '../training-records/training-records.module';
import { CertificateLifecycleService } from './certificate-lifecycle.service';
import {
  CertificatesController,
  MyCertificatesController,
  VerifyController,
} from './certificates.controller';
import { CertificatesService } from './certificates.service';

@Module({
  imports: [AuthModule, AuditModule, TrainingRecordsModule],
  controllers: [MyCertificatesController, CertificatesController, VerifyController],
  providers: [CertificatesService, CertificateLifecycleService],
  exports: [CertificatesService],
})
export class CertificatesModule {}
