import { Global, Module } from '@nestjs/common';
import { LoupeConfig } from '@loupe/config';
import { ImageCodec } from './image/image-codec';
import { MediaStore } from './store/media-store';

@Global()
@Module({
  providers: [
    ImageCodec,
    { provide: MediaStore, inject: [LoupeConfig], useFactory: (config: LoupeConfig) => new MediaStore(config.storage.mediaDir) },
  ],
  exports: [ImageCodec, MediaStore],
})
export class MediaModule {}
