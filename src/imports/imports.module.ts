import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { mkdirSync } from 'node:fs';
import { AuditModule } from '../audit/audit.module';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { IMPORT_CONFIG, ImportConfig, loadImportConfig } from './import-config';
import { ImportJobsWorker } from './import-jobs.worker';
import { ImportsController } from './imports.controller';
import { ImportsService } from './imports.service';

/** The import settings, for the module and for multer's options. */
@Module({
  providers: [
    {
      provide: IMPORT_CONFIG,
      inject: [APP_CONFIG],
      useFactory: (app: AppConfig) => loadImportConfig(app),
    },
  ],
  exports: [IMPORT_CONFIG],
})
export class ImportsConfigModule {}

/**
 * Bulk import of org units and people from XLSX and CSV (issue 15): uploads go to disk under
 * the data directory (never into memory), are staged, checked and written set-based; files
 * above the threshold run as jobs.
 */
@Module({
  imports: [
    AuditModule,
    ImportsConfigModule,
    MulterModule.registerAsync({
      imports: [ImportsConfigModule],
      inject: [IMPORT_CONFIG],
      useFactory: (config: ImportConfig) => {
        mkdirSync(config.uploadDir, { recursive: true });
        return {
          dest: config.uploadDir,
          limits: { fileSize: config.maxBytes, files: 1, fields: 10 },
        };
      },
    }),
  ],
  controllers: [ImportsController],
  providers: [ImportsService, ImportJobsWorker],
  // MulterModule too: the portal's upload page stores its files as the API's route does.
  exports: [ImportsService, MulterModule],
})
export class ImportsModule {}
