import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import { parse } from 'yaml';
import type { PolicyDefinition } from '@loupe/database';
import { PolicyCatalogFileDto } from './policy-catalog-file.dto';

export interface LoadedCatalog {
  version: number;
  checksum: string;
  policies: PolicyDefinition[];
}

function flatten(errors: ValidationError[], prefix = ''): string[] {
  return errors.flatMap((e) => {
    const at = `${prefix}${e.property}`;
    return [...Object.values(e.constraints ?? {}).map((m) => `${at}: ${m}`), ...flatten(e.children ?? [], `${at}.`)];
  });
}

/** Parses and validates catalog text; throws with every problem listed. */
export function parsePolicyCatalog(text: string, source: string): LoadedCatalog {
  const file = plainToInstance(PolicyCatalogFileDto, parse(text) as object);
  const problems = flatten(validateSync(file, { forbidUnknownValues: false }));
  const ids = file.policies?.map((p) => p.id) ?? [];
  const duplicates = ids.filter((id, i) => ids.indexOf(id) !== i);
  if (duplicates.length > 0) problems.push(`duplicate policy ids: ${duplicates.join(', ')}`);
  for (const policy of file.policies ?? []) {
    if (policy.thresholds && policy.thresholds.review > policy.thresholds.remove) {
      problems.push(`${policy.id}: the review threshold is above the remove threshold`);
    }
  }
  if (problems.length > 0) throw new Error(`Invalid policy catalog ${source}:\n  ${problems.join('\n  ')}`);
  return {
    version: file.version,
    checksum: createHash('sha256').update(text).digest('hex'),
    policies: file.policies.map((p) => ({
      id: p.id,
      title: p.title,
      description: p.description,
      severity: p.severity,
      reviewThreshold: p.thresholds.review,
      removeThreshold: p.thresholds.remove,
      modelInputs: (p.models ?? []).map((m) => ({ model: m.model, outputs: m.outputs })),
      nuances: (p.nuances ?? []).map((n) => ({ id: n.id, title: n.title, violating: n.violating })),
      requiresConsensus: p.consensus ?? false,
      catalogVersion: file.version,
    })),
  };
}

export async function loadPolicyCatalog(file: string): Promise<LoadedCatalog> {
  return parsePolicyCatalog(await readFile(file, 'utf8'), file);
}
