import { Injectable } from '@nestjs/common';
import { eq } from 'drizzle-orm';
import { settings } from '../schema';
import { RepositoryBase } from './repository.base';

@Injectable()
export class SettingsRepository extends RepositoryBase {
  async get<T>(key: string): Promise<T | undefined> {
    const [row] = await this.db.select().from(settings).where(eq(settings.key, key));
    return row?.value as T | undefined;
  }

  async set(key: string, value: unknown, updatedBy: string | null): Promise<void> {
    await this.db
      .insert(settings)
      .values({ key, value, updatedBy })
      .onConflictDoUpdate({ target: settings.key, set: { value, updatedBy, updatedAt: new Date() } });
  }
}
