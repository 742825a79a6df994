import { HttpStatus } from '@nestjs/common';
import { AppException } from '@showroom/core';

export const documentNotFound = () => new AppException(HttpStatus.NOT_FOUND, 'DOCUMENT_NOT_FOUND', 'No such document in your dealership.');

export const documentBusy = () =>
  new AppException(HttpStatus.CONFLICT, 'DOCUMENT_BUSY', 'This document is still being processed; reindex it once it is ready.');
