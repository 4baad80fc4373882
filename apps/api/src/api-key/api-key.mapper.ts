import type { ApiKeyRow, CreatedApiKey } from '@loupe/domain/auth';
import { ApiKeyCreatedDto, ApiKeyDto } from './api-key.dto';

export function toApiKeyDto(key: ApiKeyRow): ApiKeyDto {
  return { id: key.id, name: key.name, role: key.role, prefix: key.keyPrefix, seeded: key.seeded, createdAt: key.createdAt, revokedAt: key.revokedAt };
}

export function toApiKeyCreatedDto({ key, secret }: CreatedApiKey): ApiKeyCreatedDto {
  return { ...toApiKeyDto(key), key: secret };
}
