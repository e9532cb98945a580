import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { modelListSchema, runSchema, runSearchResultSchema, versionSchema } from '@slipway/contracts';
import { useTestDatabase } from '@slipway/testing';
import { startApiTestApp, type ApiTestApp } from './api-test-app';
import { runSlipwayCli } from './support/repo-process';

/** `input` is the CLI's standard input (`login` reads the token from it); empty when not given, so nothing waits for a terminal. */
const slipway = (args: string[], env: Record<string, string | undefined>, input = '') => runSlipwayCli(args, env, input);

describe('the slipway CLI against the real API', () => {
  const db = useTestDatabase();
  let api: ApiTestApp;
  let home: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    api = await startApiTestApp(db.url);
    home = mkdtempSync(join(tmpdir(), 'slipway-cli-home-'));
    env = { HOME: home, SLIPWAY_API_URL: api.baseUrl, SLIPWAY_TOKEN: api.tokens.editor };
  });
  afterAll(async () => {
    await api?.close();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it('login asks for the token, checks it with whoami and stores it 0600; later commands use it', async () => {
    const loginHome = mkdtempSync(join(tmpdir(), 'slipway-cli-login-'));
    try {
      const login = await slipway(['login', '--url', `${api.baseUrl}/`], { HOME: loginHome }, `${api.tokens.viewer}\n`);
      expect(login.stderr).toContain('API token:');
      expect(login.stdout).toContain(`Logged in to ${api.baseUrl} as test-viewer (viewer)`);
      expect(login.code).toBe(0);
      const file = join(loginHome, '.config', 'slipway', 'credentials.json');
      expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ url: api.baseUrl, token: api.tokens.viewer });
      expect(statSync(file).mode & 0o777).toBe(0o600);

      const whoami = await slipway(['whoami', '--json'], { HOME: loginHome });
      expect(whoami.code).toBe(0);
      expect(JSON.parse(whoami.stdout)).toMatchObject({ url: api.baseUrl, name: 'test-viewer', role: 'viewer' });
      // The environment wins over the stored login.
      const overridden = await slipway(['whoami'], { HOME: loginHome, SLIPWAY_TOKEN: api.tokens.admin });
      expect(overridden.stdout.trim()).toBe(`test-admin (admin) at ${api.baseUrl}`);

      const refused = await slipway(['login', '--url', api.baseUrl, '--token', 'slw_not-a-token'], { HOME: loginHome });
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/^error: UNAUTHENTICATED: /m);
      // A refused token does not replace the stored one.
      expect(JSON.parse(readFileSync(file, 'utf8')).token).toBe(api.tokens.viewer);
    } finally {
      rmSync(loginHome, { recursive: true, force: true });
    }
  });

  it('without a login it says how to log in, exit 1', async () => {
    const result = await slipway(['models', 'list'], { HOME: home });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('not logged in: run `slipway login --url <api>`');
  });

  it('logs runs with params, metrics at steps, tags and an artifact, then searches them as a table and as JSON', async () => {
    const artifact = join(home, 'weights.bin');
    writeFileSync(artifact, Buffer.alloc(70_000, 7));
    const first = await slipway(
      [
        'runs',
        'log',
        '--experiment',
        'cli-exp',
        '--name',
        'gini',
        '--param',
        'criterion=gini',
        '--param',
        'maxDepth=4',
        '--metric',
        'f1=0.93',
        '--metric',
        'loss=0.5@1',
        '--metric',
        'loss=0.25@2',
        '--tag',
        'team=risk',
        '--artifact',
        `${artifact}:model/weights.bin`,
        '--end',
        'FINISHED',
        '--json',
      ],
      env,
    );
    expect(first.code).toBe(0);
    const run = runSchema.parse(JSON.parse(first.stdout));
    expect(run).toMatchObject({
      name: 'gini',
      status: 'FINISHED',
      params: [
        { key: 'criterion', value: 'gini' },
        { key: 'maxDepth', value: '4' },
      ],
      tags: { team: 'risk' },
    });
    expect(run.metrics.find((m) => m.key === 'loss')).toMatchObject({ value: 0.25, step: 2 });
    expect(run.artifacts).toMatchObject([{ path: 'model/weights.bin', sizeBytes: 70_000 }]);
    expect(first.stderr).toContain('uploaded model/weights.bin (70000 bytes, sha256 ');

    const second = await slipway(['runs', 'log', '--experiment', 'cli-exp', '--name', 'entropy', '--param', 'criterion=entropy', '--metric', 'f1=0.81'], env);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/^RUN\s+EXPERIMENT\s+STATUS\s+PARAMS\s+METRICS\s+ARTIFACTS\n\S+\s+cli-exp\s+RUNNING\s+1\s+1\s+0\n$/);
    const secondId = second.stdout.split('\n')[1].split(/\s+/)[0];
    const ended = await slipway(['runs', 'log', '--run', secondId, '--metric', 'f1=0.84@1', '--end', 'KILLED', '--json'], env);
    expect(runSchema.parse(JSON.parse(ended.stdout))).toMatchObject({ id: secondId, status: 'KILLED' });

    const table = await slipway(['runs', 'search', 'metrics.f1 > 0.8', '--order-by', 'metrics.f1 DESC', '--experiment', 'cli-exp'], env);
    expect(table.code).toBe(0);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^RUN\s+NAME\s+STATUS\s+CREATED\s+f1\s+loss\s+PARAMS$/);
    expect(lines[1]).toMatch(new RegExp(`^${run.id}\\s+gini\\s+FINISHED\\s+\\S+ \\S+\\s+0\\.93\\s+0\\.25\\s+criterion=gini maxDepth=4$`));
    expect(lines[2]).toMatch(new RegExp(`^${secondId}\\s+entropy\\s+KILLED\\s+\\S+ \\S+\\s+0\\.84\\s+-\\s+criterion=entropy$`));
    // Columns line up: every row starts its second column where the header does.
    expect(new Set(lines.map((line) => line.indexOf('  ') + line.slice(line.indexOf('  ')).search(/\S/))).size).toBe(1);

    const json = await slipway(['runs', 'search', "params.criterion = 'gini'", '--json', '--limit', '5'], env);
    expect(runSearchResultSchema.parse(JSON.parse(json.stdout)).runs.map((r) => r.id)).toEqual([run.id]);

    const bad = await slipway(['runs', 'search', 'metrics.f1 >>> 2'], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^error: INVALID_ARGUMENT: .*body\.filter/m);
    const badMetric = await slipway(['runs', 'log', '--experiment', 'cli-exp', '--metric', 'f1=high'], env);
    expect(badMetric.code).toBe(1);
    expect(badMetric.stderr).toContain('metric f1: "high" is not a finite number');

    // A diverged run: the words go in as values and come out as words.
    const diverged = await slipway(
      ['runs', 'log', '--experiment', 'cli-diverged', '--metric', 'loss=NaN', '--metric', 'grad=-Infinity', '--end', 'FAILED'],
      env,
    );
    expect(diverged.code).toBe(0);
    const divergedTable = await slipway(['runs', 'search', '--experiment', 'cli-diverged'], env);
    expect(divergedTable.stdout.trimEnd().split('\n')[1]).toMatch(/\s-Infinity\s+NaN\s/);
  });

  it('registers versions from a run artifact (with an alias) and from uploaded files, lists models, sets aliases, compares', async () => {
    const runLog = await slipway(
      [
        'runs',
        'log',
        '--experiment',
        'cli-reg',
        '--param',
        'maxDepth=4',
        '--metric',
        'f1=0.9',
        '--artifact',
        `${writeTemp('model.json', '{"v":1}')}:model/model.json`,
        '--json',
      ],
      env,
    );
    const run = runSchema.parse(JSON.parse(runLog.stdout));

    const fromRun = await slipway(['models', 'register', 'cli-fraud', '--run', run.id, '--artifact-path', 'model', '--alias', 'challenger', '--json'], env);
    expect(fromRun.code).toBe(0);
    expect(versionSchema.parse(JSON.parse(fromRun.stdout))).toMatchObject({
      model: 'cli-fraud',
      version: 1,
      status: 'READY',
      aliases: ['challenger'],
      runId: run.id,
    });

    const uploaded = await slipway(
      [
        'models',
        'register',
        'cli-fraud',
        '--file',
        `${writeTemp('model.json', '{"v":2}')}`,
        '--file',
        `${writeTemp('w.bin', 'x'.repeat(5000))}:weights/w.bin`,
        '--description',
        'uploaded',
      ],
      env,
    );
    expect(uploaded.code).toBe(0);
    expect(uploaded.stdout).toMatch(/^MODEL\s+VERSION\s+STATUS\s+FILES\s+SIZE\s+SHA256\s+ALIASES\ncli-fraud\s+2\s+READY\s+2\s+4\.9 KiB\s+[0-9a-f]{12}\s+-\n$/);

    const moved = await slipway(['alias', 'set', 'cli-fraud', 'champion', '2'], env);
    expect(moved.stdout.trim()).toBe('cli-fraud@champion → version 2 (new)');
    const again = await slipway(['alias', 'set', 'cli-fraud', 'champion', '1', '--json'], env);
    expect(JSON.parse(again.stdout)).toMatchObject({ model: 'cli-fraud', alias: 'champion', version: 1, previousVersion: 2 });

    const list = await slipway(['models', 'list'], env);
    expect(list.stdout).toMatch(/^MODEL\s+VERSIONS\s+LATEST\s+ALIASES\s+UPDATED\ncli-fraud\s+2\s+2 \(READY\)\s+challenger→1 champion→1\s+\S+ \S+\n$/);
    const listJson = modelListSchema.pick({ models: true }).parse(JSON.parse((await slipway(['models', 'list', '--json'], env)).stdout));
    expect(listJson.models.map((m) => m.name)).toEqual(['cli-fraud']);

    const compare = await slipway(['models', 'compare', 'cli-fraud:1', 'cli-fraud:2'], env);
    expect(compare.code).toBe(0);
    const rows = compare.stdout.trimEnd().split('\n');
    expect(rows[0]).toMatch(/^\s+cli-fraud@1\s+cli-fraud@2$/);
    expect(rows).toContainEqual(expect.stringMatching(/^\* params\.maxDepth\s+4\s+-$/));
    expect(rows).toContainEqual(expect.stringMatching(/^ {2}metrics\.f1 \(max\)\s+0\.9 \*\s+-$/));
    const compareJson = JSON.parse((await slipway(['models', 'compare', 'cli-fraud:1', 'cli-fraud:2', '--json'], env)).stdout);
    expect(compareJson.items.map((i: { label: string }) => i.label)).toEqual(['cli-fraud@1', 'cli-fraud@2']);

    const missing = await slipway(['models', 'compare', 'cli-fraud:1', 'cli-fraud:9'], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^error: NOT_FOUND: /m);
    const viewerDenied = await slipway(['alias', 'set', 'cli-fraud', 'champion', '2'], { ...env, SLIPWAY_TOKEN: api.tokens.viewer });
    expect(viewerDenied.code).toBe(1);
    expect(viewerDenied.stderr).toMatch(/^error: PERMISSION_DENIED: /m);
    const neither = await slipway(['models', 'register', 'cli-fraud'], env);
    expect(neither.code).toBe(1);
    expect(neither.stderr).toContain('give either --run <id> --artifact-path <path>, or --file <file>');
  });

  it('--help works for every command and exits 0; an unknown command exits 1', async () => {
    const help = await slipway(['--help'], env);
    expect(help.code).toBe(0);
    for (const command of ['login', 'whoami', 'runs', 'models', 'alias', 'datasets', 'train', 'jobs', 'deploy', 'predict'])
      expect(help.stdout).toContain(command);
    const registerHelp = await slipway(['models', 'register', '--help'], env);
    expect(registerHelp.code).toBe(0);
    expect(registerHelp.stdout).toContain('--artifact-path <path>');
    const unknown = await slipway(['teleport'], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("unknown command 'teleport'");
  });

  function writeTemp(name: string, content: string): string {
    const dir = mkdtempSync(join(home, 'f-'));
    const file = join(dir, name);
    writeFileSync(file, content);
    return file;
  }
});
