import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from '@jest/globals';
import { collectTags, parseFileArgument, parseKeyValue, parseMetric, parseVersionArgument } from '../arguments';
import { runCli } from '../cli';
import type { CliIo } from '../cli-io';
import { credentialsPath, resolveCredentials, storeCredentials } from '../credentials';
import { uploadProgress } from '../progress';
import { formatBytes, formatNumber, formatTable } from '../table';

describe('table output', () => {
  it('aligns columns, shows - for empty cells and keeps cells on one line', () => {
    expect(
      formatTable(
        ['NAME', 'N', 'NOTE'],
        [
          ['a', 1, 'x\ny'],
          ['longer', null, ''],
        ],
      ),
    ).toBe('NAME    N  NOTE\na       1  x y\nlonger  -  -\n');
  });
  it('formats sizes and metric values', () => {
    expect([formatBytes(512), formatBytes(5000), formatBytes(3 * 1024 ** 3), formatBytes(null)]).toEqual(['512 B', '4.9 KiB', '3.0 GiB', '-']);
    expect([formatNumber(0.912345678), formatNumber(12.3456789), formatNumber(3), formatNumber(null)]).toEqual(['0.9123', '12.3457', '3', '-']);
    expect([formatNumber('NaN'), formatNumber('Infinity'), formatNumber('-Infinity'), formatNumber(Number.NaN)]).toEqual([
      'NaN',
      'Infinity',
      '-Infinity',
      'NaN',
    ]);
  });
});

describe('argument parsers', () => {
  it('reads key=value (the value may contain =) and refuses a missing key', () => {
    expect(parseKeyValue('expr=a=b')).toEqual({ key: 'expr', value: 'a=b' });
    expect(() => parseKeyValue('=x')).toThrow('expected key=value');
  });
  it('collects repeated --tag key=value into one tags object and refuses a key given twice', () => {
    const tags = ['team=risk', 'git=main=1'].reduce<Record<string, string>>((previous, text) => collectTags(text, previous), {});
    expect(tags).toEqual({ team: 'risk', git: 'main=1' });
    expect(collectTags('team=risk')).toEqual({ team: 'risk' });
    expect(() => collectTags('team=ads', tags)).toThrow('tag "team" given twice');
    expect(() => collectTags('team', tags)).toThrow('expected key=value');
  });
  it('reads metrics with an optional step and refuses non-numbers', () => {
    expect(parseMetric('loss=0.25@3')).toEqual({ key: 'loss', value: 0.25, step: 3 });
    expect(parseMetric('f1=1e-3')).toEqual({ key: 'f1', value: 0.001, step: 0 });
    expect(() => parseMetric('f1=')).toThrow('is not a finite number');
    expect(parseMetric('loss=NaN@7')).toEqual({ key: 'loss', value: 'NaN', step: 7 });
    expect(parseMetric('loss=-Infinity')).toEqual({ key: 'loss', value: '-Infinity', step: 0 });
    expect(() => parseMetric('f1=inf')).toThrow('is not a finite number, NaN, Infinity or -Infinity');
    expect(() => parseMetric('f1=1e999')).toThrow('is not a finite number');
    expect(() => parseMetric('f1=1@-2')).toThrow('is not a whole number');
  });
  it('reads file[:path] and model:version', () => {
    expect(parseFileArgument('out/model.bin')).toEqual({ file: 'out/model.bin', path: 'model.bin' });
    expect(parseFileArgument('out/model.bin:weights/w.bin')).toEqual({ file: 'out/model.bin', path: 'weights/w.bin' });
    expect(parseVersionArgument('fraud-v2:12')).toEqual({ model: 'fraud-v2', version: 12 });
    expect(parseVersionArgument('fraud@3')).toEqual({ model: 'fraud', version: 3 });
    expect(() => parseVersionArgument('fraud')).toThrow('expected <model>:<version>');
  });
});

describe('credentials', () => {
  const homes: string[] = [];
  const home = () => {
    const dir = mkdtempSync(join(tmpdir(), 'slipway-cli-unit-'));
    homes.push(dir);
    return dir;
  };
  afterEach(() => homes.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('are stored 0600 under ~/.config/slipway (or XDG_CONFIG_HOME) and the environment overrides them', () => {
    const io = { env: {}, homeDir: home() };
    const path = storeCredentials(io, { url: 'http://a', token: 'slw_1' });
    expect(path).toBe(join(io.homeDir, '.config', 'slipway', 'credentials.json'));
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(resolveCredentials(io)).toEqual({ url: 'http://a', token: 'slw_1' });
    expect(resolveCredentials({ ...io, env: { SLIPWAY_TOKEN: 'slw_env' } })).toEqual({ url: 'http://a', token: 'slw_env' });
    const xdg = home();
    expect(credentialsPath({ env: { XDG_CONFIG_HOME: xdg }, homeDir: io.homeDir })).toBe(join(xdg, 'slipway', 'credentials.json'));
  });

  it('narrow an existing, wider file to 0600 and say so when the file is not JSON', () => {
    const io = { env: {}, homeDir: home() };
    const path = storeCredentials(io, { url: 'http://a', token: 'slw_1' });
    writeFileSync(path, 'not json', { mode: 0o644 });
    expect(() => resolveCredentials(io)).toThrow('is not valid JSON');
    storeCredentials(io, { url: 'http://b', token: 'slw_2' });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ url: 'http://b', token: 'slw_2' });
  });
});

describe('upload progress', () => {
  it('draws one bar per file on the given stream', () => {
    const stream = new PassThrough();
    let drawn = '';
    stream.on('data', (chunk: Buffer) => (drawn += chunk.toString()));
    const progress = uploadProgress(stream, true, { noTTYOutput: true });
    progress.update('weights.bin', 0, 2048);
    progress.update('weights.bin', 2048, 2048);
    progress.stop();
    expect(drawn).toContain('weights.bin [');
    expect(drawn).toContain('100% 2.0 KiB/2.0 KiB');
  });
  it('draws nothing when off', () => {
    const stream = new PassThrough();
    const progress = uploadProgress(stream, false);
    progress.update('a', 1, 2);
    progress.stop();
    expect(stream.read()).toBeNull();
  });
});

describe('runCli without an API', () => {
  function io(env: Record<string, string> = {}) {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    const home = mkdtempSync(join(tmpdir(), 'slipway-cli-run-'));
    const value: CliIo = { stdout, stderr, env, homeDir: home, prompt: async () => '', progress: false };
    const text = (stream: PassThrough) => (stream.read() as Buffer | null)?.toString() ?? '';
    return { io: value, out: () => text(stdout), err: () => text(stderr), done: () => rmSync(home, { recursive: true, force: true }) };
  }

  it('prints help with exit 0 and refuses a usage error with exit 1', async () => {
    const help = io();
    await expect(runCli(['runs', 'search', '--help'], help.io)).resolves.toBe(0);
    expect(help.out()).toContain('--order-by <field>');
    const usage = io();
    await expect(runCli(['alias', 'set', 'fraud', 'champion', 'three'], usage.io)).resolves.toBe(1);
    expect(usage.err()).toContain('expected a whole number ≥ 1, got "three"');
    help.done();
    usage.done();
  });

  it('login refuses an empty token from the prompt', async () => {
    const run = io();
    await expect(runCli(['login', '--url', 'http://127.0.0.1:1'], run.io)).resolves.toBe(1);
    expect(run.err()).toBe('error: no token given\n');
    run.done();
  });
});
