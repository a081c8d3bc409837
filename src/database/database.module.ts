import { Global, Inject, Injectable, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource, TypeOrmModule } from '@nestjs/typeorm';
import type { PGlite } from '@electric-sql/pglite';
import { DataSource, DataSourceOptions } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { dataSourceOptions } from './data-source-options';
import { openPgliteDir, PGLITE_OPENER, PgliteOpener } from './pglite';
import { prepareSchema } from './schema';

/** Holds the embedded database, when there is one, so that shutdown can close it. */
@Injectable()
export class EmbeddedDatabase {
  instance: PGlite | undefined;
}

@Global()
@Module({
  providers: [
    EmbeddedDatabase,
    {
      provide: PGLITE_OPENER,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig): PgliteOpener => openPgliteDir(config.dataDir),
    },
  ],
  exports: [EmbeddedDatabase, PGLITE_OPENER],
})
export class EmbeddedDatabaseModule {}

@Injectable()
export class DatabaseShutdown implements OnApplicationShutdown {
  private readonly logger = new Logger('Database');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(EmbeddedDatabase) private readonly embedded: EmbeddedDatabase,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
    if (this.embedded.instance && !this.embedded.instance.closed) {
      await this.embedded.instance.close();
      this.logger.log('embedded database closed');
    }
  }
}

@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      imports: [EmbeddedDatabaseModule],
      inject: [APP_CONFIG, PGLITE_OPENER, EmbeddedDatabase],
      // A failed connection must stop the start with one clear line, not retry for minutes.
      useFactory: async (config: AppConfig, open: PgliteOpener, embedded: EmbeddedDatabase) => {
        // migrationsRun carries MIGRATE_ON_START to dataSourceFactory below, which does the run.
        const overrides = { migrationsRun: config.migrateOnStart };
        if (config.databaseUrl) {
          return { ...dataSourceOptions({ url: config.databaseUrl }, overrides), retryAttempts: 0 };
        }
        embedded.instance = await open();
        return {
          ...dataSourceOptions({ pglite: embedded.instance }, overrides),
          retryAttempts: 0,
        };
      },
      // The schema step of a start: pending migrations under the migration lock when
      // MIGRATE_ON_START, else a refusal to serve a schema older than the code.
      dataSourceFactory: async (options?: DataSourceOptions) => {
        const migrateOnStart = options!.migrationsRun === true;
        const dataSource = await new DataSource({ ...options!, migrationsRun: false }).initialize();
        try {
          await prepareSchema(dataSource, { migrateOnStart });
        } catch (error) {
          await dataSource.destroy().catch(() => undefined);
          throw error;
        }
        return dataSource;
      },
    }),
  ],
  providers: [DatabaseShutdown],
})
export class DatabaseModule {}
