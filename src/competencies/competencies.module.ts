import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { OrgUnitsModule } from '../org-units/org-units.module';
import { PeopleModule } from '../people/people.module';
import {
  FrameworksController,
  FrameworkVersionsController,
  RatingsController,
  RoleProfilesController,
} from './competencies.controller';
import {
  FrameworkExportController,
  FrameworkImportController,
} from './exchange/exchange.controller';
import { FrameworkExchangeService } from './exchange/exchange.service';
import { FrameworkAuthoringService } from './framework-authoring.service';
import { FrameworksService } from './frameworks.service';
import { RatingsService } from './ratings.service';
import { RoleProfilesService } from './role-profiles.service';

/**
 * Frameworks, role profiles and ratings. Exports the services; CompetencyLevelsQuery and
 * RatingsService.appendEvidence are static for use inside another module's transaction.
 */
@Module({
  imports: [OrgUnitsModule, PeopleModule, AuditModule],
  controllers: [
    FrameworksController,
    FrameworkVersionsController,
    RoleProfilesController,
    RatingsController,
    FrameworkImportController,
    FrameworkExportController,
  ],
  providers: [
    FrameworksService,
    FrameworkAuthoringService,
    RoleProfilesService,
    RatingsService,
    FrameworkExchangeService,
  ],
  exports: [FrameworksService, RoleProfilesService, RatingsService],
})
export class CompetenciesModule {}
