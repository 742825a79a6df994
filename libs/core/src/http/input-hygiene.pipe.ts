import { HttpStatus, Injectable, PipeTransform } from '@nestjs/common';
import type { ArgumentMetadata } from '@nestjs/common';
import { AppException, ErrorDetail } from '../errors/app.exception';

/** Deeper than any DTO of the API; class-transformer recurses, so unbounded depth overflows its stack. */
export const MAX_INPUT_DEPTH = 32;

/** Keys JSON.parse keeps as own properties but class-transformer skips, so the whitelist never sees them. */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** A UTF-16 surrogate without its partner: not Unicode text (String#isWellFormed is ES2024). */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** U+0000 (Postgres text cannot store it) or a lone surrogate. */
const isUnstorable = (text: string) => text.includes('\u0000') || LONE_SURROGATE.test(text);

/**
 * Runs before validation on every body, query and path parameter: refuses what no DTO can
 * express and what would otherwise fail deep inside a library or the database — nesting past
 * MAX_INPUT_DEPTH (400 BODY_TOO_DEEP), and NUL characters, lone surrogates or prototype keys
 * anywhere (422 VALIDATION_FAILED naming the field). The walk is iterative, so the check itself
 * cannot overflow the stack.
 */
@Injectable()
export class InputHygienePipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type === 'custom') return value;
    const problems = findProblems(value, metadata.type === 'param' ? (metadata.data ?? '') : '');
    if (problems === 'too-deep') {
      throw new AppException(HttpStatus.BAD_REQUEST, 'BODY_TOO_DEEP', `The request nests deeper than ${MAX_INPUT_DEPTH} levels.`);
    }
    if (problems.length > 0) throw new AppException(HttpStatus.UNPROCESSABLE_ENTITY, 'VALIDATION_FAILED', 'The request has invalid or unknown fields.', problems);
    return value;
  }
}

function findProblems(root: unknown, rootField: string): ErrorDetail[] | 'too-deep' {
  const problems: ErrorDetail[] = [];
  const pending: { value: unknown; field: string; depth: number }[] = [{ value: root, field: rootField, depth: 0 }];
  while (pending.length > 0 && problems.length < 20) {
    const { value, field, depth } = pending.pop()!;
    if (typeof value === 'string') {
      if (isUnstorable(value)) problems.push({ field, message: 'must not contain NUL characters or unpaired surrogates' });
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= MAX_INPUT_DEPTH) return 'too-deep';
    for (const key of Object.keys(value)) {
      const child = field ? (Array.isArray(value) ? `${field}[${key}]` : `${field}.${key}`) : key;
      if (PROTOTYPE_KEYS.has(key)) problems.push({ field: child, message: `property ${key} should not exist` });
      else pending.push({ value: (value as Record<string, unknown>)[key], field: child, depth: depth + 1 });
    }
  }
  return problems;
}
