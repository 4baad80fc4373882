export * from './retro-hunt.service';
