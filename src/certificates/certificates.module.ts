import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { AuthModule } from '../auth/auth.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { TrainingRecordsModule } from '../training-records/training-records.module';
import { CertificateExpiryService } from './certificate-expiry.service';
import { CertificateLifecycleService } from './certificate-lifecycle.service';
import {
  CertificatesController,
  MyCertificatesController,
  VerifyController,
} from './certificates.controller';
import { CertificatesService } from './certificates.service';

@Module({
  imports: [AuthModule, AuditModule, TrainingRecordsModule, NotificationsModule],
  controllers: [MyCertificatesController, CertificatesController, VerifyController],
  providers: [CertificatesService, CertificateLifecycleService, CertificateExpiryService],
  exports: [CertificatesService, CertificateExpiryService],
})
export class CertificatesModule {}
