import { z } from 'zod';
import type { AppConfig } from './app-config';
import type { CoreEnv } from './env.schema';

type SectionEnv<Shape extends z.ZodRawShape> = z.output<z.ZodObject<Shape>> & CoreEnv;

/**
 * One lib's slice of the configuration: the variables it reads (with their defaults), the
 * rules between them, and the typed settings it makes of them. A lib adds its settings to
 * `AppConfig` by module augmentation (`declare module '@showroom/core' { interface AppConfig
 * { chat: ChatSettings } }`), so every reader keeps one typed `config.chat.…`, while core
 * never learns a domain's variables. The apps compose the sections into the one validated
 * config (`loadConfig(env, sections)`); `.env.example` has one block per section.
 */
export interface ConfigSection<Shape extends z.ZodRawShape = z.ZodRawShape, Key extends keyof AppConfig = keyof AppConfig> {
  /** The lib that owns these variables, as named in `.env.example`'s block headers. */
  readonly owner: string;
  readonly env: Shape;
  /** Rules across variables ("a key is required when this provider is chosen"). */
  check?(env: SectionEnv<Shape>, problem: (variable: string, message: string) => void): void;
  read(env: SectionEnv<Shape>): Pick<AppConfig, Key>;
}

export function defineConfigSection<Shape extends z.ZodRawShape, Key extends keyof AppConfig>(
  section: ConfigSection<Shape, Key>,
): ConfigSection<Shape, Key> {
  return section;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a list of sections of different shapes
export type AnyConfigSection = ConfigSection<any, any>;
