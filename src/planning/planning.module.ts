import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { CoursesModule } from '../courses/courses.module';
import { EvaluationsModule } from '../evaluations/evaluations.module';
import { GapsModule } from '../gaps/gaps.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { OrgUnitsModule } from '../org-units/org-units.module';
import { PeopleModule } from '../people/people.module';
import { NominationsService } from './nominations.service';
import { PlanningController } from './planning.controller';
import { PlanningCyclesService } from './planning-cycles.service';

/** Cadre planning (quy hoạch): cycles, nominations under the rules, yearly reviews. */
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
  providers: [PlanningCyclesService, NominationsService],
  exports: [PlanningCyclesService, NominationsService],
})
export class PlanningModule {}
