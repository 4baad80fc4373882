export * from './view-events';
export * from './views.service';
