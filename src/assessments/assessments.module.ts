import { Module } from '@nestjs/common';
import { CoursesModule } from '../courses/courses.module';
import { AssessmentsController } from './assessments.controller';
import { AssessmentAuthoringService } from './assessment-authoring.service';
import { AssessmentsService } from './assessments.service';
import { AttemptsService } from './attempts.service';

@Module({
  imports: [CoursesModule],
  controllers: [AssessmentsController],
  providers: [AssessmentsService, AssessmentAuthoringService, AttemptsService],
  exports: [AssessmentsService, AssessmentAuthoringService, AttemptsService],
})
export class AssessmentsModule {}
