import { ApiPropertyOptional, ApiProperty } from '@nestjs/swagger';
import { IsBoolean, IsEmail, IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { PASSWORD_MAX_LENGTH } from '../../passwords/password-policy';
import { DEALERSHIP_ROLES, DealershipRole } from '../../roles';

export class CreateUserDto {
  @ApiProperty()
  @IsEmail()
  @MaxLength(254)
  email: string;

  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  name: string;

  @ApiProperty({ enum: DEALERSHIP_ROLES })
  @IsIn(DEALERSHIP_ROLES)
  role: DealershipRole;

  @ApiProperty({ description: 'Initial password, at least 12 characters' })
  @IsString()
  @MaxLength(PASSWORD_MAX_LENGTH)
  password: string;
}

export class UpdateUserDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  name?: string;

  @ApiPropertyOptional({ enum: DEALERSHIP_ROLES })
  @IsOptional()
  @IsIn(DEALERSHIP_ROLES)
  role?: DealershipRole;

  @ApiPropertyOptional({ description: 'false deactivates the user and signs them out everywhere' })
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}
