export * from './exposure.service';
export * from './preferences.service';
export * from './wellbeing-report.service';
export * from './wellbeing.module';
