import { Module } from '@nestjs/common';
import { CertificatesModule } from '../certificates/certificates.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { ProgrammesModule } from './programmes.module';
import { RecertificationController } from './recertification.controller';
import { RecertificationScheduler } from './recertification.scheduler';
import { RecertificationService } from './recertification.service';

/**
 * Recertification and the daily scan. Kept beside ProgrammesModule (it uses its completion
 * stamp) and imported before it, so that /programmes/recertification/* is routed before the
 * /programmes/:id/* routes.
 */
@Module({
  imports: [ProgrammesModule, NotificationsModule, CertificatesModule],
  controllers: [RecertificationController],
  providers: [RecertificationService, RecertificationScheduler],
  exports: [RecertificationService],
})
export class RecertificationModule {}
