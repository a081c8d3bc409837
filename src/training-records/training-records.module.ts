import { Module } from '@nestjs/common';
import { PeopleModule } from '../people/people.module';
import { TrainingRecordsController } from './training-records.controller';
import { TrainingRecordsService } from './training-records.service';

@Module({
  imports: [PeopleModule],
  controllers: [TrainingRecordsController],
  providers: [TrainingRecordsService],
  exports: [TrainingRecordsService],
})
export class TrainingRecordsModule {}
