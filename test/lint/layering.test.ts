// The layering allow-list of eslint.config.js, exercised on code that breaks it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));

async function problems(file: string, code: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: REPO });
  const [result] = await eslint.lintText(code, { filePath: `${REPO}${file}` });
  return result!.messages.filter((m) => m.ruleId === 'sipscope/layering').map((m) => m.message);
}

test('a stage imports only what its allow-list names', async () => {
  assert.deepEqual(await problems('src/store/x.ts', "import type { Dialog } from '../model/sip.js';\nexport type D = Dialog;\n"), []);
  assert.match((await problems('src/store/x.ts', "import { runTui } from '../ui/app.js';\nexport const r = runTui;\n"))[0] ?? '', /store\/ must not import ui\//);
  assert.match((await problems('src/ui/screens/x.ts', "import { Pipeline } from '../../cli/pipeline.js';\nexport const p = Pipeline;\n"))[0] ?? '', /ui\/ must not import cli\//);
  assert.match((await problems('src/sip/x.ts', "import blessed from 'reblessed';\nexport const b = blessed;\n"))[0] ?? '', /only ui\/ talks to the terminal/);
});

test('an unknown folder under src/ and a dynamic import() across stages fail', async () => {
  assert.match((await problems('src/extras/x.ts', 'export const x = 1;\n'))[0] ?? '', /src\/extras\/ is not a stage/);
  assert.match((await problems('src/source/x.ts', "export const load = () => import('../store/store.js');\n"))[0] ?? '', /source\/ must not import store\//);
  assert.match((await problems('src/source/x.ts', 'export const load = (p: string) => import(p);\n'))[0] ?? '', /computed path/);
});
