// Lint, including the layering rule of DESIGN.md: packets flow source → decode → sip → store → ui,
// and a stage imports only from the stages before it and from model/.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const stages = ['model', 'layout', 'source', 'decode', 'sip', 'media', 'store', 'diagnose', 'sink', 'config', 'ui', 'cli'];
// What each folder must never import.
const forbidden = {
  model: stages.filter((s) => s !== 'model'),
  // Pure presentation (ladder layout, list columns, styled lines, cell widths) over store data, shared by ui/ and sink/ exports.
  layout: ['source', 'decode', 'sip', 'media', 'diagnose', 'sink', 'config', 'ui', 'cli'],
  source: ['layout', 'decode', 'sip', 'media', 'store', 'diagnose', 'sink', 'ui', 'cli'],
  decode: ['layout', 'sip', 'media', 'store', 'diagnose', 'sink', 'ui', 'cli'],
  sip: ['layout', 'media', 'store', 'diagnose', 'sink', 'ui', 'cli'],
  media: ['layout', 'store', 'diagnose', 'sink', 'ui', 'cli'],
  store: ['layout', 'diagnose', 'sink', 'ui', 'cli'],
  diagnose: ['layout', 'sink', 'ui', 'cli'],
  sink: ['ui', 'cli'],
  config: ['layout', 'source', 'decode', 'sip', 'media', 'store', 'diagnose', 'sink', 'ui', 'cli'],
  ui: ['source', 'decode', 'sip', 'cli'],
  cli: ['ui'],
};

const layering = Object.entries(forbidden).map(([stage, banned]) => ({
  files: [`src/${stage}/**/*.ts`],
  rules: {
    'no-restricted-imports': ['error', {
      patterns: [
        ...banned.map((b) => ({ group: [`**/${b}/*`, `../${b}/*`], message: `${stage}/ must not import ${b}/ (see DESIGN.md layering)` })),
        ...(stage === 'ui' ? [] : [{ group: ['reblessed', 'blessed'], message: 'only ui/ talks to the terminal' }]),
      ],
    }],
  },
}));

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
  ...layering,
);
