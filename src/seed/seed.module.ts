import { Inject, Injectable, Logger, Module, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PasswordService } from '../auth/password.service';
import { AuthModule } from '../auth/auth.module';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { seedDemo } from './demo-seed';
import { DEMO_SEED_STEPS } from './seed-steps';

/**
 * Seeds the demo on the first start of an empty embedded database (the quick start), and on
 * any database when SEED_DEMO=true. A production start never seeds. Seeding again over demo
 * data that users have since changed never fails the start (see seedDemo): what cannot be
 * seeded again is logged and skipped.
 */
@Injectable()
export class DemoSeeder implements OnApplicationBootstrap {
  private readonly logger = new Logger('Seed');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly passwords: PasswordService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // Production never seeds (loadConfig also refuses SEED_DEMO=true there).
    if (this.config.env === 'production') return;
    const wanted =
      this.config.seedDemo === true ||
      (this.config.seedDemo === undefined && !this.config.databaseUrl && (await this.isEmpty()));
    if (!wanted) return;
    await seedDemo(
      this.dataSource,
      (pw) => this.passwords.hash(pw),
      DEMO_SEED_STEPS,
      (message) => this.logger.log(message),
    );
    this.logger.log('demo data loaded (demo-only password: Demo@2026)');
  }

  private async isEmpty(): Promise<boolean> {
    const [row] = await this.dataSource.query<{ empty: boolean }[]>(
      `SELECT NOT EXISTS (SELECT 1 FROM org_units) AS empty`,
    );
    return row?.empty ?? true;
  }
}

@Module({ imports: [AuthModule], providers: [DemoSeeder] })
export class SeedModule {}
