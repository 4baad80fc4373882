export * from './compute-pool';
export * from './compute.module';
export * from './compute.tasks';
export * from './training-thread';
