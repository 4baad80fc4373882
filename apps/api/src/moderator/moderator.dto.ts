import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsString, Length } from 'class-validator';

export class ModeratorUpdateDto {
  @ApiPropertyOptional({ example: 'emea-night' }) @IsOptional() @IsString() @Length(1, 100) team?: string;
  @ApiPropertyOptional({ description: 'Senior moderators settle escalations and disagreements' }) @IsOptional() @IsBoolean() senior?: boolean;
}

export class ModeratorDto {
  @ApiProperty({ format: 'uuid', description: "The moderator's API key id" }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() team!: string;
  @ApiProperty() senior!: boolean;
  @ApiProperty() revoked!: boolean;
}

export class ModeratorGoldDto {
  @ApiProperty() answered!: number;
  @ApiProperty() correct!: number;
  @ApiPropertyOptional({ nullable: true, type: Boolean, description: 'Within GOLD_WINDOW answers at GOLD_PASS_RATE; null without any' }) passing!: boolean | null;
}
