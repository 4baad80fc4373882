export * from './format/container-check';
export * from './format/media-format';
export * from './image/image-codec';
export * from './media.error';
export * from './media.module';
export * from './store/media-store';
