import { z } from 'zod';
import { digitsInt, freeText, isWellFormedText } from '../common/primitives';

/** Model names appear in refs (`name@alias`, `name/3`) and URLs, so `@`, `/` and spaces are not allowed. */
export const modelNameSchema = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, ".", "_" and "-", starting with a letter or digit');

/** Aliases are lower-case names; `latest` and `v<digits>` are reserved for version refs (as in MLflow). */
export const aliasNameSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z][a-z0-9_-]*$/, 'lower-case letters, digits, "_" and "-", starting with a letter')
  .refine((alias) => alias !== 'latest' && !/^v\d+$/.test(alias), 'reserved: "latest" and "v<number>" name versions, not aliases');

export const MAX_VERSION_NUMBER = 2_147_483_647;
/** A version number as it arrives in a path or query: plain digits (`1.0`, `1e0`, ` 1` are refused). */
export const versionNumberSchema = z
  .string()
  .regex(/^[1-9]\d{0,9}$/, 'a version number: 1, 2, 3, …')
  .pipe(digitsInt(1, MAX_VERSION_NUMBER));
/** In a JSON body a version number must be a number (`"3"` or `[3]` are refused). */
export const versionNumberBodySchema = z.number().int().min(1).max(MAX_VERSION_NUMBER);

export const descriptionSchema = freeText(5000);

/**
 * A file path inside an artifact folder: relative, `/`-separated, no empty, `.` or `..` segments, no
 * backslashes or control characters — it becomes part of an object-store key.
 */
export const artifactPathSchema = z
  .string()
  .min(1)
  .max(512)
  .refine((path) => !path.startsWith('/'), 'must be relative')
  .refine((path) => !path.includes('\\'), 'backslashes are not allowed')
  // eslint-disable-next-line no-control-regex
  .refine((path) => !/[\u0000-\u001f\u007f]/.test(path), 'control characters are not allowed')
  .refine((path) => isWellFormedText(path), 'must be well-formed Unicode (a lone UTF-16 surrogate is not allowed)')
  .refine((path) => path.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..'), 'empty, "." and ".." segments are not allowed');

export const sha256HexSchema = z.string().regex(/^[0-9a-f]{64}$/, 'lower-case hex sha256');
