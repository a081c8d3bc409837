import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { CoursesModule } from '../courses/courses.module';
import { EvaluationsModule } from '../evaluations/evaluations.module';
import { GapsModule } from '../gaps/gaps.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { OrgUnitsModule } from '../org-units/org-units.module';
import { PeopleModule } from '../people/people.module';
import { DevelopmentPlansService } from './development-plans.service';
import { NominationReviewsService } from './nomination-reviews.service';
import { NominationsService } from './nominations.service';
import { PlanningController } from './planning.controller';
import { PlanningCyclesService } from './planning-cycles.service';
import { ReadinessService } from './readiness.service';

/**
 * Cadre planning (quy hoạch): cycles, nominations under the rules, readiness, development plans
 * and yearly reviews.
 */
@Module({
  imports: [
    OrgUnitsModule,
    PeopleModule,
    EvaluationsModule,
    AuditModule,
    GapsModule,
    CoursesModule,
    NotificationsModule,
  ],
  controllers: [PlanningController],
  providers: [
    PlanningCyclesService,
    NominationsService,
    ReadinessService,
    DevelopmentPlansService,
    NominationReviewsService,
  ],
  exports: [PlanningCyclesService, NominationsService, ReadinessService],
})
export class PlanningModule {}
