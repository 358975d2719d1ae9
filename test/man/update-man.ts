// npm run man: rewrites the generated blocks of sipscope.1 (keys, settings) from the program's tables.
import { readFileSync, writeFileSync } from 'node:fs';
import { REPO } from '../support/cli.js';
import { regenerate } from './man-sections.js';

const file = `${REPO}/sipscope.1`;
writeFileSync(file, regenerate(readFileSync(file, 'utf8')));
