import { Global, Module } from '@nestjs/common';
import { LoupeConfig } from '@loupe/config';
import { ImageCodec } from './image/image-codec';
import { MediaStore } from './store/media-store';
import { VideoCodec } from './video/video-codec';
import { VideoTools } from './video/video-tools';

@Global()
@Module({
  providers: [
    ImageCodec,
    VideoCodec,
    {
      provide: VideoTools,
      inject: [LoupeConfig],
      useFactory: (config: LoupeConfig) => new VideoTools({ ffmpegPath: config.video.ffmpegPath, ffprobePath: config.video.ffprobePath }),
    },
    { provide: MediaStore, inject: [LoupeConfig], useFactory: (config: LoupeConfig) => new MediaStore(config.storage.mediaDir) },
  ],
  exports: [ImageCodec, VideoCodec, VideoTools, MediaStore],
})
export class MediaModule {}
