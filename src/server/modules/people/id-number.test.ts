import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isValidIdNumber, parseIdNumber } from './id-number.ts';
import { validIdNumber } from './people.fixtures.ts';

test('a published sample identity number is valid and carries its birth date and gender', () => {
  // The example in GB 11643-1999, appendix A.
  assert.deepEqual(parseIdNumber('11010519491231002X'), { birthDate: '1949-12-31', gender: 'female' });
});

test('a wrong check character, an impossible date, a future date or a wrong shape is refused', () => {
  assert.equal(isValidIdNumber('110105194912310021'), false);
  assert.equal(isValidIdNumber(validIdNumber('2023-02-29', 11)), false);
  assert.equal(isValidIdNumber(validIdNumber('2999-01-01', 11)), false);
  assert.equal(isValidIdNumber('11010519491231002x'), false, 'callers upper-case first');
  assert.equal(isValidIdNumber('110105491231002'), false, 'the old 15-digit form is not accepted');
  assert.equal(parseIdNumber(validIdNumber('2024-02-29', 13), new Date('2026-01-01'))?.gender, 'male');
});
