import { HttpStatus } from '@nestjs/common';
import { AppException } from '../errors/app.exception';

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

export function decodeCursor(cursor: string | undefined): CursorPosition | undefined {
  if (!cursor) return undefined;
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as Partial<CursorPosition>;
    if (typeof value.createdAt === 'string' && typeof value.id === 'string' && !Number.isNaN(Date.parse(value.createdAt))) {
      return { createdAt: value.createdAt, id: value.id };
    }
  } catch {
    // fall through to the error below
  }
  throw new AppException(HttpStatus.BAD_REQUEST, 'INVALID_CURSOR', 'The cursor is not one this API handed out.', [{ field: 'cursor', message: 'is malformed' }]);
}
