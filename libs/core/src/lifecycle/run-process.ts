import { AppConfig, ConfigError, loadConfig } from '../config/app-config';
import type { AnyConfigSection } from '../config/config-section';

/**
 * Entry-point wrapper for every process: loads the .env file if there is one, validates the
 * config of core and the given lib sections (a bad variable stops the process with a message naming it), then runs `main`.
 * Any failure during start-up exits non-zero with a one-line reason instead of a hang.
 */
export function runProcess(name: string, sections: readonly AnyConfigSection[], main: (config: AppConfig) => Promise<void>): void {
  let config: AppConfig;
  try {
    loadDotEnvIfPresent();
    config = loadConfig(process.env, sections);
  } catch (error) {
    const message = error instanceof ConfigError ? error.message : String(error);
    process.stderr.write(`${name}: refusing to start. ${message}\n`);
    process.exit(1);
  }
  main(config).catch((error: unknown) => {
    process.stderr.write(`${name}: failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}

function loadDotEnvIfPresent(): void {
  try {
    // Node's own loader; variables already set in the environment win.
    process.loadEnvFile('.env');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}
