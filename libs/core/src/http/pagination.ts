import { HttpStatus } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { Equal, FindOptionsWhere, LessThan } from 'typeorm';
import { AppException } from '../errors/app.exception';
import { isBoundedInstant } from './date-bounds';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface CursorPosition {
  createdAt: string;
  id: string;
}

/** Opaque cursors for newest-first lists: the (createdAt, id) of the last item served. */
export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

/**
 * The one cursor decoder: a cursor is client input, so each field is checked before it reaches
 * a query — the id must be a UUID and the time an ISO instant Postgres can store (see
 * date-bounds.ts); anything else is 400 INVALID_CURSOR.
 */
export function decodeCursor(cursor: string | undefined): CursorPosition | undefined {
  if (!cursor) return undefined;
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as Partial<CursorPosition> | null;
    if (value && isBoundedInstant(value.createdAt) && typeof value.id === 'string' && UUID.test(value.id)) {
      return { createdAt: value.createdAt, id: value.id };
    }
  } catch {
    // fall through to the error below
  }
  throw new AppException(HttpStatus.BAD_REQUEST, 'INVALID_CURSOR', 'The cursor is not one this API handed out.', [{ field: 'cursor', message: 'is malformed' }]);
}

/** `?cursor=&limit=` of every list endpoint. */
export class ListQueryDto {
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;
}

/** The TypeORM where of "rows after the cursor" for a (createdAt DESC, id DESC) order. */
export function afterCursor(cursor: string | undefined): FindOptionsWhere<{ createdAt: Date; id: string }>[] | undefined {
  const after = decodeCursor(cursor);
  if (!after) return undefined;
  const at = new Date(after.createdAt);
  return [{ createdAt: LessThan(at) }, { createdAt: Equal(at), id: LessThan(after.id) }];
}

/** Turns `limit + 1` fetched rows into a page: the extra row only says whether more exist. */
export function toPage<Row extends { createdAt: Date; id: string }, View>(rows: Row[], limit: number, view: (row: Row) => View): Page<View> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return {
    items: items.map(view),
    nextCursor: rows.length > limit && last ? encodeCursor({ createdAt: last.createdAt.toISOString(), id: last.id }) : null,
  };
}
