import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { AssessmentsModule } from '../assessments/assessments.module';
import { AuditModule } from '../audit/audit.module';
import { CertificatesModule } from '../certificates/certificates.module';
import { CompetenciesModule } from '../competencies/competencies.module';
import { CoursesModule } from '../courses/courses.module';
import { EvaluationsModule } from '../evaluations/evaluations.module';
import { GapsModule } from '../gaps/gaps.module';
import { ExportsModule } from '../imports/exports.module';
import { ImportsModule } from '../imports/imports.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { OrgUnitsModule } from '../org-units/org-units.module';
import { PeopleModule } from '../people/people.module';
import { PlanningModule } from '../planning/planning.module';
import { PostsModule } from '../posts/posts.module';
import { ProgrammesModule } from '../programmes/programmes.module';
import { ReportsModule } from '../reports/reports.module';
import { RotationsModule } from '../rotations/rotations.module';
import { TrainingRecordsModule } from '../training-records/training-records.module';
import { AdminPagesController } from './admin-pages.controller';
import { HrPagesController } from './hr-pages.controller';
import { ImportPagesController } from './import-pages.controller';
import { LearnPagesController } from './learn-pages.controller';
import { LearnSessionsPagesController } from './learn-sessions-pages.controller';
import { OfficerAttendancePagesController } from './officer-attendance-pages.controller';
import { OfficerSessionsPagesController } from './officer-sessions-pages.controller';
import { OfficerStatisticsPagesController } from './officer-statistics-pages.controller';
import { OfficerAccommodationsPagesController } from './officer-accommodations-pages.controller';
import { OfficerBlueprintPagesController } from './officer-blueprint-pages.controller';
import { OfficerMarkingPagesController } from './officer-marking-pages.controller';
import { OfficerAttemptsPagesController } from './officer-attempts-pages.controller';
import { OfficerBankQuestionsPagesController } from './officer-bank-questions-pages.controller';
import { OfficerBanksPagesController } from './officer-banks-pages.controller';
import { OfficerCoursesPagesController } from './officer-courses-pages.controller';
import { OfficerProgrammesPagesController } from './officer-programmes-pages.controller';
import { DrawnAttemptPage } from './drawn-attempt-page';
import { PageExceptionFilter } from './page-exception.filter';
import { PageRenderer } from './page-renderer';
import { ProfilePagesController, ProfileRequestsPagesController } from './profile-pages.controller';
import { PublicPagesController } from './public-pages.controller';

/**
 * The web portal (README, "Web portal"): server-rendered pages over the same services as the API.
 * It holds no rule of its own; what a page shows or changes is what its API twin would.
 */
@Module({
  imports: [
    AuthModule,
    CertificatesModule,
    CoursesModule,
    AssessmentsModule,
    ProgrammesModule,
    OrgUnitsModule,
    NotificationsModule,
    TrainingRecordsModule,
    GapsModule,
    CompetenciesModule,
    AuditModule,
    EvaluationsModule,
    PeopleModule,
    PlanningModule,
    PostsModule,
    ReportsModule,
    RotationsModule,
    ImportsModule,
    ExportsModule,
  ],
  controllers: [
    PublicPagesController,
    LearnPagesController,
    LearnSessionsPagesController,
    OfficerCoursesPagesController,
    OfficerSessionsPagesController,
    OfficerAttendancePagesController,
    OfficerProgrammesPagesController,
    OfficerBanksPagesController,
    OfficerBankQuestionsPagesController,
    OfficerStatisticsPagesController,
    OfficerBlueprintPagesController,
    OfficerAccommodationsPagesController,
    OfficerMarkingPagesController,
    OfficerAttemptsPagesController,
    HrPagesController,
    ImportPagesController,
    AdminPagesController,
    ProfilePagesController,
    ProfileRequestsPagesController,
  ],
  providers: [PageRenderer, PageExceptionFilter, DrawnAttemptPage],
})
export class PortalModule {}
