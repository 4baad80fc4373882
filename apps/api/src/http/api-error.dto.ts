import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** The body of every error response. */
export class ApiErrorDto {
  @ApiProperty({ example: 404 }) statusCode!: number;
  @ApiProperty({ example: 'content.not_found', description: 'Stable, machine-readable error code' }) code!: string;
  @ApiProperty({ example: 'No content 6f1c...' }) message!: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true }) details?: Record<string, unknown>;
  @ApiProperty({ description: 'Also sent as the x-request-id header; quote it when reporting a problem' }) correlationId!: string;
}
