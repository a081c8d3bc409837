import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { OrgUnitsModule } from '../org-units/org-units.module';
import { PeopleModule } from '../people/people.module';
import { DEFAULT_EVALUATION_POLICY, EVALUATION_POLICY } from './evaluation-policy';
import { EvaluationsController } from './evaluations.controller';
import { EvaluationsService } from './evaluations.service';

@Module({
  imports: [OrgUnitsModule, PeopleModule, AuditModule],
  controllers: [EvaluationsController],
  providers: [
    EvaluationsService,
    { provide: EVALUATION_POLICY, useValue: DEFAULT_EVALUATION_POLICY },
  ],
  exports: [EvaluationsService, EVALUATION_POLICY],
})
export class EvaluationsModule {}
