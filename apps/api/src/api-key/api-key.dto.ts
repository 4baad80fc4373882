import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, Length } from 'class-validator';
import { ROLES, Role } from '@loupe/vocabulary';

export class ApiKeyCreateDto {
  @ApiProperty({ example: 'alice', description: 'Who or what holds the key' })
  @IsString() @Length(1, 200)
  name!: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role!: Role;
}

export class ApiKeyDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ROLES }) role!: string;
  @ApiProperty({ example: 'lp_AbC123', description: 'The first characters of a generated key, to tell keys apart; `seeded` for the key set by LOUPE_ADMIN_KEY' })
  prefix!: string;
  @ApiProperty({ description: 'Seeded from LOUPE_ADMIN_KEY; changing the variable revokes it at the next start' }) seeded!: boolean;
  @ApiProperty() createdAt!: Date;
  @ApiPropertyOptional({ nullable: true, type: Date }) revokedAt!: Date | null;
}

export class ApiKeyCreatedDto extends ApiKeyDto {
  @ApiProperty({ description: 'The secret. It is shown this once and cannot be recovered.' }) key!: string;
}
