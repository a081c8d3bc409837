import { Global, Module } from '@nestjs/common';
import { Clock, SystemClock } from './clock';

/** The one Clock of the app, available everywhere without importing this module again. */
@Global()
@Module({
  providers: [{ provide: Clock, useClass: SystemClock }],
  exports: [Clock],
})
export class ClockModule {}
