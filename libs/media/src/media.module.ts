import { Global, Module } from '@nestjs/common';
import { LoupeConfig } from '@loupe/config';
import { ImageCodec } from './image/image-codec';
import { MediaStore } from './store/media-store';
import { VideoCodec } from './video/video-codec';

@Global()
@Module({
  providers: [
    ImageCodec,
    VideoCodec,
    { provide: MediaStore, inject: [LoupeConfig], useFactory: (config: LoupeConfig) => new MediaStore(config.storage.mediaDir) },
  ],
  exports: [ImageCodec, VideoCodec, MediaStore],
})
export class MediaModule {}
