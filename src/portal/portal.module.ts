import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { AuditModule } from '../audit/audit.module';
import { CertificatesModule } from '../certificates/certificates.module';
import { EvaluationsModule } from '../evaluations/evaluations.module';
import { GapsModule } from '../gaps/gaps.module';
import { OrgUnitsModule } from '../org-units/org-units.module';
import { PeopleModule } from '../people/people.module';
import { PlanningModule } from '../planning/planning.module';
import { PostsModule } from '../posts/posts.module';
import { ReportsModule } from '../reports/reports.module';
import { RotationsModule } from '../rotations/rotations.module';
import { AdminPagesController } from './admin-pages.controller';
import { HrPagesController } from './hr-pages.controller';
import { PageExceptionFilter } from './page-exception.filter';
import { PageRenderer } from './page-renderer';
import { PublicPagesController } from './public-pages.controller';

/**
 * The web portal (docs/portal.md): server-rendered pages over the same services as the API.
 * It holds no rule of its own; what a page shows or changes is what its API twin would.
 */
@Module({
  imports: [
    AuthModule,
    CertificatesModule,
    // HR and admin pages (hr-pages, admin-pages)
    AuditModule,
    EvaluationsModule,
    GapsModule,
    OrgUnitsModule,
    PeopleModule,
    PlanningModule,
    PostsModule,
    ReportsModule,
    RotationsModule,
  ],
  controllers: [PublicPagesController, HrPagesController, AdminPagesController],
  providers: [PageRenderer, PageExceptionFilter],
})
export class PortalModule {}
