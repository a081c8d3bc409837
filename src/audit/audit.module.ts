import { MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { OrgUnitsModule } from '../org-units/org-units.module';
import { AuditController } from './audit.controller';
import { AuditService } from './audit.service';
import { requestContextMiddleware } from './request-context';

/** The append-only audit log: `AuditService.record` for writers, GET /audit for hr and admins. */
@Module({
  imports: [OrgUnitsModule],
  controllers: [AuditController],
  providers: [AuditService],
  exports: [AuditService],
})
export class AuditModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(requestContextMiddleware).forRoutes('{*splat}');
  }
}
