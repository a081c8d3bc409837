import { Inject, Injectable, Optional } from '@nestjs/common';
import * as argon2 from 'argon2';
import { APP_CONFIG, AppConfig, PRODUCTION_HASH } from '../config/app-config';

/**
 * argon2id, by default with the library's cost (64 MiB, 3 passes): OWASP's recommended family.
 * PASSWORD_HASH_MEMORY_KIB / PASSWORD_HASH_PASSES change the cost of new hashes (production
 * refuses less than OWASP's floor); a check always uses the cost stored in the hash.
 */
@Injectable()
export class PasswordService {
  private dummyHash: Promise<string> | undefined;
  private readonly cost: { memoryKiB: number; passes: number };

  constructor(@Optional() @Inject(APP_CONFIG) config?: Pick<AppConfig, 'passwordHash'>) {
    this.cost = config?.passwordHash ?? PRODUCTION_HASH;
  }

  hash(password: string): Promise<string> {
    return argon2.hash(password, {
      type: argon2.argon2id,
      memoryCost: this.cost.memoryKiB,
      timeCost: this.cost.passes,
    });
  }

  async verify(hash: string, password: string): Promise<boolean> {
    try {
      return await argon2.verify(hash, password);
    } catch {
      return false;
    }
  }

  /** Spends the time of a real check so that unknown emails cannot be told apart by timing. */
  async burn(password: string): Promise<void> {
    this.dummyHash ??= this.hash('not-a-real-password-' + Date.now());
    await this.verify(await this.dummyHash, password);
  }
}
