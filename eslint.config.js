// Lint, including the layering rule of DESIGN.md: packets flow source → decode → sip → media →
// store → diagnose → sink, with config, ui and cli on top and model/ shared types only.
import { dirname, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), 'src');

/**
 * What each folder under src/ may import besides itself: the stages before it in DESIGN.md's
 * order and model/; config/ only model/; ui/ reads windows and views, never packets. A folder
 * not listed here fails lint.
 */
const ALLOWED = {
  model: [],
  source: ['model'],
  decode: ['model', 'source'],
  sip: ['model', 'source', 'decode'],
  media: ['model', 'source', 'decode', 'sip'],
  store: ['model', 'source', 'decode', 'sip', 'media'],
  diagnose: ['model', 'source', 'decode', 'sip', 'media', 'store'],
  sink: ['model', 'source', 'decode', 'sip', 'media', 'store', 'diagnose'],
  config: ['model'],
  ui: ['model', 'media', 'store', 'diagnose', 'sink', 'config'],
  cli: ['model', 'source', 'decode', 'sip', 'media', 'store', 'diagnose', 'sink', 'config'],
};
/** Files directly in src/: the composition root, which wires every stage. */
const ROOT_ALLOWED = Object.keys(ALLOWED);
/** Only ui/ talks to the terminal. */
const TERMINAL_PACKAGES = new Set(['reblessed', 'blessed']);

/** The stage folder of a path under src/ ('' for a file directly in src/, undefined outside src/). */
function stageOf(path) {
  const rel = relative(SRC, path);
  if (rel.startsWith('..')) return undefined;
  const parts = rel.split(sep);
  return parts.length === 1 ? '' : parts[0];
}

const layering = {
  meta: { type: 'problem', schema: [] },
  create(context) {
    const file = context.filename;
    const from = stageOf(file);
    if (from === undefined) return {};
    const allowed = from === '' ? ROOT_ALLOWED : ALLOWED[from];
    const check = (node, source, dynamic) => {
      if (typeof source !== 'string') {
        if (dynamic) context.report({ node, message: 'import() of a computed path: name the module, so layering can be checked' });
        return;
      }
      if (TERMINAL_PACKAGES.has(source) && from !== 'ui') {
        context.report({ node, message: `only ui/ talks to the terminal (${source})` });
        return;
      }
      if (!source.startsWith('.')) return;
      const to = stageOf(resolve(dirname(file), source));
      if (to === undefined || to === from) return;
      if (to === '') context.report({ node, message: `${from}/ must not import the composition root (${source})` });
      else if (!(to in ALLOWED)) context.report({ node, message: `src/${to}/ is not a stage in DESIGN.md (eslint.config.js ALLOWED)` });
      else if (!allowed.includes(to)) context.report({ node, message: `${from || 'src'}/ must not import ${to}/ (DESIGN.md layering; allowed: ${allowed.join(', ') || 'nothing'})` });
    };
    return {
      Program(node) {
        if (from !== '' && !(from in ALLOWED)) {
          context.report({ node, message: `src/${from}/ is not a stage in DESIGN.md: add it to ALLOWED in eslint.config.js` });
        }
      },
      ImportDeclaration: (node) => check(node, node.source.value, false),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value, false),
      ExportAllDeclaration: (node) => check(node, node.source.value, false),
      ImportExpression: (node) => check(node, node.source.type === 'Literal' ? node.source.value : undefined, true),
    };
  },
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-control-regex': 'off',
    },
  },
  {
    files: ['src/**/*.ts'],
    plugins: { sipscope: { rules: { layering } } },
    rules: { 'sipscope/layering': 'error' },
  },
);
