import { ApiProperty } from '@nestjs/swagger';

export class HealthDto {
  @ApiProperty({ example: 'ok' }) status!: string;
  @ApiProperty({ enum: ['all', 'api'], description: 'all: api and worker in one process' }) mode!: string;
  @ApiProperty({ enum: ['postgres', 'pglite'] }) database!: string;
  @ApiProperty({ enum: ['redis', 'in-process'] }) queue!: string;
  @ApiProperty({ enum: ['available', 'unavailable'], description: 'unavailable: ffmpeg or ffprobe is missing, and video uploads get 503' }) video!: string;
}
