import { Module } from '@nestjs/common';
import { OrgUnitsModule } from '../org-units/org-units.module';
import { PipelineFactsService } from './pipeline-facts.service';
import { ReportsController } from './reports.controller';
import { ReportsService } from './reports.service';

/** Read-only reports over a subtree: the cadre pipeline with its CSV and PDF exports. */
@Module({
  imports: [OrgUnitsModule],
  controllers: [ReportsController],
  providers: [ReportsService, PipelineFactsService],
  exports: [ReportsService, PipelineFactsService],
})
export class ReportsModule {}
