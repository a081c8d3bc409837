import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { PeopleModule } from '../people/people.module';
import { ExternalTrainingsService } from './external-trainings.service';
import {
  ExternalTrainingsController,
  TrainingRecordsController,
} from './training-records.controller';
import { TrainingRecordsService } from './training-records.service';

@Module({
  imports: [PeopleModule, AuditModule],
  controllers: [TrainingRecordsController, ExternalTrainingsController],
  providers: [TrainingRecordsService, ExternalTrainingsService],
  exports: [TrainingRecordsService],
})
export class TrainingRecordsModule {}
