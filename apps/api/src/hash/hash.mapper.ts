import type { DecidedMatch, HashedMedia, LookupQuery, LookupResult } from '@loupe/domain/matching';
import { HashLookupCreateDto, HashLookupResultDto, HashMatchDto, HashResultDto } from './hash.dto';

export function toHashResultDto(media: HashedMedia): HashResultDto {
  if (media.kind === 'image') return media;
  const { frames, ...rest } = media;
  return { ...rest, frames: frames.map((f) => ({ frameNumber: f.frameNumber, timestamp: f.timestamp, quality: f.quality, pdq: f.pdq })) };
}

export function toLookupQuery(dto: HashLookupCreateDto): LookupQuery {
  return dto.signalType === 'pdq'
    ? { signalType: 'pdq', hash: dto.hash!.toLowerCase(), quality: dto.quality }
    : { signalType: 'vpdq', frames: dto.frames!.map((f) => ({ ...f, pdq: f.pdq.toLowerCase() })) };
}

function toHashMatchDto(match: DecidedMatch): HashMatchDto {
  const { bank, entry } = match;
  return {
    bank: { id: bank.id, name: bank.name, kind: bank.kind, action: bank.action, policyId: bank.policyId },
    entry: { id: entry.id, signalType: entry.signalType, source: entry.source, note: entry.note, tags: entry.tags },
    distance: match.distance,
    ...(match.queryMatchPercent !== undefined ? { queryMatchPercent: match.queryMatchPercent, comparedMatchPercent: match.comparedMatchPercent } : {}),
    disposition: match.disposition,
  };
}

export function toHashLookupResultDto({ query, outcome }: LookupResult): HashLookupResultDto {
  const action = outcome.action;
  return {
    query,
    matches: outcome.matches.map(toHashMatchDto),
    action: action
      ? { action: action.bank.action, bankId: action.bank.id, bankName: action.bank.name, entryId: action.entry.id, policyId: action.bank.policyId }
      : null,
  };
}
