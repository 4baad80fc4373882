import { Command, InvalidArgumentError } from 'commander';
import { ComputeModule } from '@loupe/compute';
import { MediaError, MediaModule } from '@loupe/media';
import { MediaInspector, SignalExtractor, SignalsModule } from '@loupe/domain/signals';
import { withCliContext } from '../cli-context';
import { progressBar } from '../progress';

function parseFps(value: string): number {
  const fps = Number(value);
  if (!Number.isFinite(fps) || fps < 0 || fps > 120) throw new InvalidArgumentError('must be a number from 0 (every frame) to 120');
  return fps;
}

/**
 * `loupe hash FILE...`: one JSON line per file, hashed exactly as ingest
 * hashes it (same decoder, same pre-scaling, same frame sampling).
 */
export function hashCommand(): Command {
  return new Command('hash')
    .description('Print the PDQ hash of images and the vPDQ hash of videos, one JSON line per file')
    .argument('<files...>', 'images (JPEG, PNG, WebP, GIF) or videos (MP4, MOV, WebM)')
    .option('--fps <n>', 'video frames per second to hash; 0 = every frame', parseFps, 1)
    .option('--dihedral', "add an image's 8 dihedral hashes (rotations and flips)")
    .action(async (files: string[], options: { fps: number; dihedral?: boolean }) => {
      let failures = 0;
      await withCliContext({ database: false, imports: [MediaModule, ComputeModule, SignalsModule] }, async (app) => {
        const inspector = app.get(MediaInspector);
        const signals = app.get(SignalExtractor);
        const bar = progressBar('hashing', files.length, ' files');
        for (const [i, file] of files.entries()) {
          try {
            const media = await inspector.inspect(file);
            // An animated GIF or WebP is hashed as ingest hashes it: vPDQ, like a video.
            const { animation } = media;
            if (media.format.kind === 'image' && !animation) {
              const { pdq, quality, dihedral } = await signals.image(file);
              console.log(JSON.stringify({ file, kind: 'image', pdq, quality, ...(options.dihedral ? { dihedral } : {}) }));
            } else {
              const hashOptions = { fps: options.fps, modelFrames: 0 };
              const { frames } = animation ? await signals.animation(file, animation, hashOptions) : await signals.video(file, hashOptions);
              const out = frames.map((f) => ({ index: f.frameNumber, timestamp: f.timestamp, quality: f.quality, pdq: f.pdq }));
              console.log(JSON.stringify({ file, kind: 'video', frames: out }));
            }
          } catch (error) {
            failures += 1;
            const code = error instanceof MediaError ? error.code : (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file.not_found' : 'error';
            console.log(JSON.stringify({ file, error: { code, message: (error as Error).message } }));
          }
          bar.update(i + 1);
        }
        bar.stop();
      });
      if (failures > 0) process.exitCode = 1;
    });
}
