import type { ExecutionContext } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';

type Target = object;
const resolved = new WeakMap<Target, WeakMap<Target, Map<string, unknown>>>();

/**
 * `reflector.getAllAndOverride(key, [handler, class])`, remembered per handler and class.
 *
 * Decorator metadata is fixed once the classes are defined, yet the global guards asked for it
 * on every request: four guards, up to two reflect-metadata lookups each (handler, then class),
 * about 2% of GET /health/live's CPU. Keyed by the handler and then its class, because an
 * inherited handler can be shared by two controllers whose class-level metadata differ; weak
 * maps, so nothing outlives an app that is closed (the tests build many).
 */
export function routeMetadata<T>(reflector: Reflector, key: string, context: ExecutionContext): T | undefined {
  const handler = context.getHandler();
  const controller = context.getClass();
  let byClass = resolved.get(handler);
  if (!byClass) resolved.set(handler, (byClass = new WeakMap()));
  let byKey = byClass.get(controller);
  if (!byKey) byClass.set(controller, (byKey = new Map()));
  if (byKey.has(key)) return byKey.get(key) as T | undefined;
  const value = reflector.getAllAndOverride<T | undefined>(key, [handler, controller]);
  byKey.set(key, value);
  return value;
}
