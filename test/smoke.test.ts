import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InputError } from '../src/model/errors.js';

test('InputError carries an exit code', () => {
  assert.equal(new InputError('x').exitCode, 2);
});
