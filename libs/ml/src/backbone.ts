import { NSFW_MODEL_ID } from './nsfw-model';
import { packageVersion } from './package-version';

/** The backbone's id and version, as embeddings record it (e.g. `nsfwjs-mobilenetv2@4.3.0`), without loading it. */
export function backboneId(): string {
  return `${NSFW_MODEL_ID}@${packageVersion('nsfwjs')}`;
}
