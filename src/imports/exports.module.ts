import { Module } from '@nestjs/common';
import { OrgUnitsModule } from '../org-units/org-units.module';
import { ExportsController } from './exports.controller';
import { ExportsService } from './exports.service';

/**
 * The import's templates (/import-templates) and the export of the same shapes (/exports), from
 * src/imports/import-kinds.types.ts. Kept apart from the import itself: it only reads.
 */
@Module({
  imports: [OrgUnitsModule],
  controllers: [ExportsController],
  providers: [ExportsService],
  exports: [ExportsService],
})
export class ExportsModule {}
