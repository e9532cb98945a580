// The readers the deployment checks rely on, on small inputs whose answers are known, including the
// failures they must report (a checker that cannot fail checks nothing).
import { describe, expect, it } from '@jest/globals';
import { interpolate } from './compose-file';
import { crdProblems, kedaValidators } from './crd-schema';
import { problemWithNodeCommand } from './deployment-catalogue';
import { envOf, finalStage, findStage, parseDockerfile, workdirAt } from './dockerfile-parser';
import { parseDockerIgnore } from './dockerignore';
import { originOf, type BuildContext } from './image-file-origin';
import { repoRoot } from './workspace-facts';

const SAMPLE = `# syntax=docker/dockerfile:1
ARG BASE=node:22-bookworm
FROM \${BASE} AS build
WORKDIR /app
COPY package.json ./
COPY prisma ./prisma
# a comment inside the stage
RUN npm ci \\
 && npm run build:server
COPY . .
FROM node:22-bookworm-slim
ENV A=1 B="two words"
ENV LEGACY value
WORKDIR /srv
COPY --from=build /app/dist/server ./dist
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/nowhere ./nowhere
CMD ["node", "dist/apps/api/src/main.js"]
`;

const context: BuildContext = {
  root: repoRoot,
  dockerignore: parseDockerIgnore('**/node_modules\n**/dist\n'),
  outputs: [
    { path: 'dist/server', producedBy: /npm run build:server/, description: 'server build' },
    { path: 'node_modules', producedBy: /npm ci/, description: 'dependencies' },
  ],
};

describe('parseDockerfile', () => {
  const dockerfile = parseDockerfile(SAMPLE, 'sample.Dockerfile');

  it('reads stages, build-argument substitution, continuation lines and both ENV forms', () => {
    expect(dockerfile.stages.map((s) => [s.name, s.from])).toEqual([
      ['build', 'node:22-bookworm'],
      [undefined, 'node:22-bookworm-slim'],
    ]);
    const build = findStage(dockerfile, 'build');
    expect(build?.instructions.find((i) => i.keyword === 'RUN')?.rest).toBe('npm ci  && npm run build:server');
    expect(envOf(dockerfile, finalStage(dockerfile))).toEqual({ A: '1', B: 'two words', LEGACY: 'value' });
    expect(workdirAt(dockerfile, finalStage(dockerfile))).toBe('/srv');
    expect(finalStage(dockerfile).instructions.at(-1)?.execForm).toEqual(['node', 'dist/apps/api/src/main.js']);
  });

  it('rejects instructions before FROM and build arguments without a value', () => {
    expect(() => parseDockerfile('RUN true\nFROM node', 'x')).toThrow(/only ARG/);
    expect(() => parseDockerfile('ARG IMAGE\nFROM ${IMAGE}', 'x')).toThrow(/FROM \$\{IMAGE\} names no image/);
  });
});

describe('originOf', () => {
  const dockerfile = parseDockerfile(SAMPLE, 'sample.Dockerfile');
  const runtime = finalStage(dockerfile);

  it('follows COPY --from back to the build step that produced a file', () => {
    expect(originOf(dockerfile, runtime, '/srv/dist/apps/api/src/main.js', context)).toMatchObject({
      kind: 'build-output',
      output: { path: 'dist/server' },
      rest: 'apps/api/src/main.js',
    });
    expect(originOf(dockerfile, runtime, '/srv/node_modules', context)).toMatchObject({ kind: 'build-output', output: { path: 'node_modules' } });
  });

  it('follows it to the build context, for files the context holds and does not ignore', () => {
    expect(originOf(dockerfile, runtime, '/srv/package.json', context)).toEqual({ kind: 'context', path: 'package.json' });
    const build = findStage(dockerfile, 'build');
    if (!build) throw new Error('no build stage');
    expect(originOf(dockerfile, build, '/app/prisma/schema.prisma', context)).toEqual({ kind: 'context', path: 'prisma/schema.prisma' });
  });

  it('answers base-image for what no instruction wrote (missing or .dockerignored files)', () => {
    expect(originOf(dockerfile, runtime, '/srv/nowhere', context).kind).toBe('base-image');
    const ignoredOnly = parseDockerfile('FROM node AS build\nWORKDIR /app\nCOPY . .\nFROM node\nCOPY --from=build /app/node_modules ./node_modules', 'x');
    expect(originOf(ignoredOnly, finalStage(ignoredOnly), '/node_modules', context).kind).toBe('base-image');
  });
});

describe('problemWithNodeCommand', () => {
  it('accepts the API entry point and names what is wrong with a script no build produces', () => {
    expect(problemWithNodeCommand('docker/api.Dockerfile', ['node', 'dist/server/apps/api/src/main.js'])).toBeUndefined();
    expect(problemWithNodeCommand('docker/api.Dockerfile', ['node', 'dist/server/apps/api/src/missing.js'])).toMatch(
      /has no source apps\/api\/src\/missing\.ts/,
    );
    expect(problemWithNodeCommand('docker/api.Dockerfile', ['node', 'server.js'])).toMatch(/does not come from a build step/);
    expect(problemWithNodeCommand('docker/api.Dockerfile', ['npm', 'start'])).toMatch(/expected \["node"/);
  });
});

describe('parseDockerIgnore', () => {
  const ignore = parseDockerIgnore('# comment\n**/node_modules\ndist\n*.log\n!keep.log\n/secret/**\n');

  it('matches at any depth with **, at the root otherwise, with later ! rules re-including', () => {
    expect(ignore.isIgnored('node_modules')).toBe(true);
    expect(ignore.isIgnored('libs/a/node_modules/x/index.js')).toBe(true);
    expect(ignore.isIgnored('dist/server/main.js')).toBe(true);
    expect(ignore.isIgnored('apps/api/dist')).toBe(false);
    expect(ignore.isIgnored('debug.log')).toBe(true);
    expect(ignore.isIgnored('keep.log')).toBe(false);
    expect(ignore.isIgnored('secret/a/b')).toBe(true);
    expect(ignore.isIgnored('package.json')).toBe(false);
  });
});

describe('compose interpolate', () => {
  it('substitutes defaults, keeps $$ as a literal $, and refuses unset variables without a default', () => {
    const seen = new Set<string>();
    expect(interpolate('a ${X:-dflt} ${Y-other} $$HOME', { Y: '' }, seen)).toBe('a dflt  $HOME');
    expect([...seen]).toEqual(['X', 'Y']);
    expect(() => interpolate('${Z}', {})).toThrow(/Z is used without a default/);
  });
});

describe('CRD schema validation (KEDA)', () => {
  const keda = kedaValidators();
  const scaledObject = {
    apiVersion: 'keda.sh/v1alpha1',
    kind: 'ScaledObject',
    metadata: { name: 'w' },
    spec: {
      scaleTargetRef: { name: 'w' },
      minReplicaCount: 0,
      maxReplicaCount: 2,
      triggers: [{ type: 'postgresql', metadata: { query: 'SELECT 1', targetQueryValue: '1' }, authenticationRef: { name: 'a' } }],
    },
  };

  it('accepts a well-formed ScaledObject and TriggerAuthentication', () => {
    expect(crdProblems(keda, scaledObject)).toEqual([]);
    const auth = {
      apiVersion: 'keda.sh/v1alpha1',
      kind: 'TriggerAuthentication',
      metadata: { name: 'a' },
      spec: { secretTargetRef: [{ parameter: 'connection', name: 's', key: 'DATABASE_URL' }] },
    };
    expect(crdProblems(keda, auth)).toEqual([]);
  });

  it('reports a misspelt field, a number where KEDA wants a string, a missing required field and a bad enum', () => {
    const bad = {
      ...scaledObject,
      spec: {
        ...scaledObject.spec,
        cooldownPeriods: 10,
        triggers: [{ type: 'postgresql', metadata: { targetQueryValue: 1 }, authenticationRef: { name: 'a', kind: 'Secret' } }],
      },
    };
    expect(crdProblems(keda, bad)).toEqual(
      expect.arrayContaining([
        '/spec: unknown field cooldownPeriods',
        '/spec/triggers/0/metadata/targetQueryValue: must be string',
        '/spec/triggers/0/authenticationRef/kind: must be equal to one of the allowed values',
      ]),
    );
    const { scaleTargetRef: _ref, ...withoutTarget } = scaledObject.spec;
    expect(crdProblems(keda, { ...scaledObject, spec: withoutTarget })).toContain("/spec: must have required property 'scaleTargetRef'");
  });

  it('knows nothing of kinds it has no CRD for', () => {
    expect(crdProblems(keda, { apiVersion: 'apps/v1', kind: 'Deployment' })).toBeUndefined();
  });
});
