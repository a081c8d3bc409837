import { PasswordService } from '../../auth/password.service';
import { seedDemo } from '../../seed/demo-seed';
import { DEMO_SEED_STEPS } from '../../seed/seed-steps';
import { loadConfig } from '../../config/app-config';
import { runMigrationsLocked } from '../schema';
import { openCliDataSource } from './open';

/** `npm run seed`: migrates, then loads the demo set (idempotent) into whichever database. */
async function main() {
  if (loadConfig().env === 'production') {
    throw new Error('demo data is never loaded with NODE_ENV=production');
  }
  const { dataSource, close } = await openCliDataSource();
  try {
    await dataSource.initialize();
    await runMigrationsLocked(dataSource);
    const passwords = new PasswordService();
    await seedDemo(
      dataSource,
      (pw) => passwords.hash(pw),
      DEMO_SEED_STEPS,
      (message) => console.log(message),
    );
    console.log('demo data loaded (demo-only password: Demo@2026)');
  } finally {
    await close();
  }
}

main().catch((error: unknown) => {
  console.error(`seed failed: ${(error as Error).message}`);
  process.exit(1);
});
