import { NSFW_INPUT_SIZE } from '@loupe/ml';

/** Model inputs of an item: 224x224 RGB images back to back (one for an image, a few frames for a video). */
export const MODEL_INPUT_FILE = `model-input-${NSFW_INPUT_SIZE}.rgb`;
