import { applyDecorators, Injectable, SetMetadata } from '@nestjs/common';
import type { JobName } from './job-catalog';

export const JOB_HANDLER_METADATA = 'loupe:job-handler';

/** Marks a provider as the one handler of a job name (see JobHandler). */
export const JobHandlerFor = (name: JobName) => applyDecorators(Injectable(), SetMetadata(JOB_HANDLER_METADATA, name));
