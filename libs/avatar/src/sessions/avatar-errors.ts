import { HttpStatus } from '@nestjs/common';
import { AppException, ErrorDetail } from '@showroom/core';

/** 404, not 403: whether someone else's session exists is not the caller's business. */
export const sessionNotFound = () => new AppException(HttpStatus.NOT_FOUND, 'AVATAR_SESSION_NOT_FOUND', 'No such avatar session, or it is not yours.');

export const sessionEnded = (reason: string | null) =>
  new AppException(HttpStatus.CONFLICT, 'AVATAR_SESSION_ENDED', `This avatar session has ended${reason ? ` (${reason})` : ''}; start a new one.`);

export const quotaExceeded = (message: string, details: ErrorDetail[]) => new AppException(HttpStatus.TOO_MANY_REQUESTS, 'AVATAR_QUOTA_EXCEEDED', message, details);
