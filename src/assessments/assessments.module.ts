import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { CoursesModule } from '../courses/courses.module';
import { OrgUnitsModule } from '../org-units/org-units.module';
import { AccommodationsService } from './accommodations.service';
import { AssessmentsController } from './assessments.controller';
import { AttemptDeadlineScheduler } from './attempt-deadline.scheduler';
import { BlueprintService } from './blueprint.service';
import { DrawnAttemptsService } from './drawn-attempts.service';
import { ExamController } from './exam.controller';
import { AssessmentAuthoringService } from './assessment-authoring.service';
import { AssessmentsService } from './assessments.service';
import { AttemptsService } from './attempts.service';
import { ItemStatisticsController } from './item-statistics.controller';
import { ItemStatisticsService } from './item-statistics.service';
import { MarkingController } from './marking.controller';
import { MarkingService } from './marking.service';
import { QuestionBanksController } from './question-banks.controller';
import { QuestionBanksService } from './question-banks.service';
import { QuestionExchangeService } from './question-exchange.service';
import { QuestionSheetService } from './question-sheet.service';
import { SubmittedAttemptsService } from './submitted-attempts.service';

@Module({
  imports: [CoursesModule, OrgUnitsModule, AuditModule],
  controllers: [
    AssessmentsController,
    ExamController,
    QuestionBanksController,
    ItemStatisticsController,
    MarkingController,
  ],
  providers: [
    AssessmentsService,
    AssessmentAuthoringService,
    AttemptsService,
    DrawnAttemptsService,
    BlueprintService,
    AccommodationsService,
    AttemptDeadlineScheduler,
    QuestionBanksService,
    QuestionExchangeService,
    ItemStatisticsService,
    QuestionSheetService,
    MarkingService,
    SubmittedAttemptsService,
  ],
  exports: [
    AssessmentsService,
    AssessmentAuthoringService,
    AttemptsService,
    DrawnAttemptsService,
    BlueprintService,
    AccommodationsService,
    QuestionBanksService,
    // The portal's bank pages export and import QTI through the same service as the API.
    QuestionExchangeService,
    // The portal's statistics page reads the same report as the API.
    ItemStatisticsService,
    // The portal's grading pages mark and release through the same service as the API.
    MarkingService,
    // The portal's attempt pages read a submitted attempt and the list of them from it.
    SubmittedAttemptsService,
  ],
})
export class AssessmentsModule {}
