import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { EvaluationsModule } from '../evaluations/evaluations.module';
import { OrgUnitsModule } from '../org-units/org-units.module';
import { PeopleModule } from '../people/people.module';
import { NominationsService } from './nominations.service';
import { PlanningController } from './planning.controller';
import { PlanningCyclesService } from './planning-cycles.service';

/** Cadre planning (quy hoạch): cycles, nominations under the rules, yearly reviews. */
@Module({
  imports: [OrgUnitsModule, PeopleModule, EvaluationsModule, AuditModule],
  controllers: [PlanningController],
  providers: [PlanningCyclesService, NominationsService],
  exports: [PlanningCyclesService, NominationsService],
})
export class PlanningModule {}
