import { ESLint } from 'eslint';
import { join } from 'node:path';

/**
 * The import graph is enforced by `npm run lint`; this proves the lint config still catches
 * what it must (a config typo would otherwise turn the rule into a silent no-op).
 */
describe('import boundaries (eslint.config.mjs)', () => {
  const eslint = new ESLint({ cwd: join(__dirname, '..') });

  async function problems(asFile: string, code: string): Promise<string[]> {
    const [result] = await eslint.lintText(code, { filePath: join(__dirname, '..', asFile) });
    return result.messages.map((m) => `${m.ruleId}@${m.line}`);
  }

  it('refuses a lib importing a lib it may not use, and core importing any lib', async () => {
    expect(await problems('libs/rag/src/index.ts', "import { chatConfig } from '@showroom/chat';\nexport const x = chatConfig;\n")).toEqual([
      'boundaries/dependencies@1',
    ]);
    expect(await problems('libs/core/src/index.ts', "import { authConfig } from '@showroom/auth';\nexport const x = authConfig;\n")).toEqual([
      'boundaries/dependencies@1',
    ]);
  });

  it('refuses a lib importing an app, and a relative import into another lib', async () => {
    expect(await problems('libs/chat/src/index.ts', "import { createApiApp } from '../../../apps/api/src/create-api-app';\nexport const x = createApiApp;\n")).toEqual(
      expect.arrayContaining(['boundaries/dependencies@1', 'no-restricted-imports@1']),
    );
    expect(await problems('libs/chat/src/index.ts', "import { ragConfig } from '../../rag/src/rag.config';\nexport const x = ragConfig;\n")).toEqual([
      'no-restricted-imports@1',
    ]);
  });

  it('allows what the graph allows', async () => {
    expect(await problems('libs/chat/src/index.ts', "import { ragConfig } from '@showroom/rag';\nimport { authConfig } from '@showroom/auth';\nexport const x = [ragConfig, authConfig];\n")).toEqual([]);
    expect(await problems('apps/worker/src/main.ts', "import { chatConfig } from '@showroom/chat';\nexport const x = chatConfig;\n")).toEqual([]);
  });
});
