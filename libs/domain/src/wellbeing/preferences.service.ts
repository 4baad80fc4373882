import { Injectable } from '@nestjs/common';
import { LoupeConfig } from '@loupe/config';
import { ModeratorRepository, SettingsRepository, TransactionManager } from '@loupe/database';
import { AuditService } from '../audit/audit.service';
import type { Principal } from '@loupe/vocabulary';

export interface PreviewPreferences {
  /** 0..100: 0 shows the item sharp, 100 leaves only colour. */
  blur: number;
  greyscale: boolean;
}

export interface EffectivePreferences extends PreviewPreferences {
  /** Whether each value is the moderator's own or the organisation's default. */
  source: { blur: 'own' | 'default'; greyscale: 'own' | 'default' };
}

const DEFAULTS_KEY = 'preview.defaults';

/** Preview preferences: an organisation default, which each moderator may override. */
@Injectable()
export class PreferencesService {
  constructor(
    private readonly moderators: ModeratorRepository,
    private readonly settings: SettingsRepository,
    private readonly audit: AuditService,
    private readonly transactions: TransactionManager,
    private readonly config: LoupeConfig,
  ) {}

  async defaults(): Promise<PreviewPreferences> {
    const stored = await this.settings.get<Partial<PreviewPreferences>>(DEFAULTS_KEY);
    return {
      blur: stored?.blur ?? this.config.wellbeing.previewBlur,
      greyscale: stored?.greyscale ?? this.config.wellbeing.previewGreyscale,
    };
  }

  async setDefaults(values: Partial<PreviewPreferences>, actor: Principal): Promise<PreviewPreferences> {
    return this.transactions.run(async () => {
      const next = { ...(await this.defaults()), ...values };
      await this.settings.set(DEFAULTS_KEY, next, actor.id);
      await this.audit.record(actor, 'wellbeing.defaults.update', { type: 'settings', id: DEFAULTS_KEY }, { ...next });
      return next;
    });
  }

  async effective(moderatorId: string): Promise<EffectivePreferences> {
    const [profile, defaults] = await Promise.all([this.moderators.profile(moderatorId), this.defaults()]);
    const blur = profile?.previewBlur ?? null;
    const greyscale = profile?.previewGreyscale ?? null;
    return {
      blur: blur ?? defaults.blur,
      greyscale: greyscale ?? defaults.greyscale,
      source: { blur: blur === null ? 'default' : 'own', greyscale: greyscale === null ? 'default' : 'own' },
    };
  }

  /** Sets the moderator's own values; null goes back to the organisation's default. */
  async update(moderator: Principal, values: { blur?: number | null; greyscale?: boolean | null }): Promise<EffectivePreferences> {
    await this.moderators.upsertProfile(moderator.id, {
      ...(values.blur !== undefined ? { previewBlur: values.blur } : {}),
      ...(values.greyscale !== undefined ? { previewGreyscale: values.greyscale } : {}),
    });
    return this.effective(moderator.id);
  }
}
