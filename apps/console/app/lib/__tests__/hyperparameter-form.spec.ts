import { describe, expect, it } from '@jest/globals';
import { expectNamed } from '@slipway/testing-matchers';
import { HYPERPARAMETER_SCHEMAS, TRAINING_ALGORITHMS } from '@slipway/contracts';
import { z } from 'zod';
import {
  draftForVariant,
  draftOf,
  fieldLabel,
  fieldSpecOf,
  formPathOfApiField,
  readDraft,
  type Draft,
  type FieldSpec,
  type JsonValue,
} from '../hyperparameter-form';

// The form is generated from the JSON Schema the API serves; these tests feed it the contracts' own schemas,
// written the way the API writes them (zod's toJSONSchema, input side), and in the other dialects a server may use.
const TARGETS = ['draft-2020-12', 'draft-7', 'openapi-3.0'] as const;

function jsonSchemaOf(algorithm: (typeof TRAINING_ALGORITHMS)[number], target: (typeof TARGETS)[number] = 'draft-2020-12'): unknown {
  return z.toJSONSchema(HYPERPARAMETER_SCHEMAS[algorithm], { io: 'input', target });
}

function objectSpec(algorithm: (typeof TRAINING_ALGORITHMS)[number], target?: (typeof TARGETS)[number]): Extract<FieldSpec, { kind: 'object' }> {
  const spec = fieldSpecOf(jsonSchemaOf(algorithm, target));
  if (spec.kind !== 'object') throw new Error(`${algorithm}: not an object spec`);
  return spec;
}

function field(spec: Extract<FieldSpec, { kind: 'object' }>, name: string): FieldSpec {
  const found = spec.fields.find((f) => f.name === name);
  if (!found) throw new Error(`no field ${name}`);
  return found.spec;
}

function defaultsDraft(algorithm: (typeof TRAINING_ALGORITHMS)[number]): Extract<Draft, { kind: 'object' }> {
  const draft = draftOf(objectSpec(algorithm), undefined);
  if (draft.kind !== 'object') throw new Error('not an object draft');
  return draft;
}

describe('hyper-parameter form from JSON Schema', () => {
  it('lays out every field of every algorithm, in every JSON Schema dialect, without falling back to raw JSON', () => {
    for (const target of TARGETS) {
      for (const algorithm of TRAINING_ALGORITHMS) {
        const spec = objectSpec(algorithm, target);
        expectNamed(
          spec.fields.map((f) => f.name),
          `${target} ${algorithm} fields`,
        ).toEqual(Object.keys(HYPERPARAMETER_SCHEMAS[algorithm].shape));
        expectNamed(JSON.stringify(spec).includes('"json"'), `${target} ${algorithm} has a raw JSON field`).toBe(false);
      }
    }
  });

  it('reads the bounds, enums, nullable numbers, unions, layer lists and tuples', () => {
    const cart = objectSpec('cart');
    expect(field(cart, 'criterion')).toEqual({ kind: 'enum', options: ['gini', 'entropy', 'squared_error'] });
    expect(field(cart, 'maxDepth')).toEqual({
      kind: 'choice',
      variants: [
        { label: 'integer 1–1000', spec: { kind: 'number', integer: true, minimum: 1, maximum: 1000 } },
        { label: 'none', spec: { kind: 'const', value: null } },
      ],
    });
    const maxFeatures = field(cart, 'maxFeatures');
    expect(maxFeatures.kind === 'choice' && maxFeatures.variants.map((v) => v.label)).toEqual([
      'integer 1–100000',
      'number > 0 and < 1',
      'sqrt',
      'log2',
      'none',
    ]);

    const nn = objectSpec('nn-regression');
    expect(field(nn, 'learningRate')).toEqual({ kind: 'number', integer: false, exclusiveMinimum: 0, maximum: 10 });
    const layers = field(nn, 'hiddenLayers');
    expect(layers).toMatchObject({ kind: 'array', maxItems: 16, itemDefault: { activation: 'relu' }, item: { kind: 'object' } });
    const earlyStopping = field(nn, 'earlyStopping');
    expect(earlyStopping.kind === 'choice' && earlyStopping.variants.map((v) => v.spec.kind)).toEqual(['object', 'const']);

    const cnn = objectSpec('cnn');
    expect(field(cnn, 'filters')).toMatchObject({ kind: 'tuple', items: [{ kind: 'number' }, { kind: 'number' }, { kind: 'number' }] });
    expect(objectSpec('cnn', 'draft-7').fields.find((f) => f.name === 'filters')?.spec).toMatchObject({ kind: 'tuple' });
  });

  it('pre-fills the defaults: an untouched form sends exactly what the contract defaults to', () => {
    for (const algorithm of TRAINING_ALGORITHMS) {
      const spec = objectSpec(algorithm);
      const draft = draftOf(spec, HYPERPARAMETER_SCHEMAS[algorithm].parse({}) as JsonValue);
      const read = readDraft(spec, draft, 'hyperparameters');
      expectNamed(read.problems, `${algorithm} problems`).toEqual([]);
      expectNamed(read.value, `${algorithm} value`).toEqual(HYPERPARAMETER_SCHEMAS[algorithm].parse({}));
      // The schema's own defaults, without the API's defaults object, give the same form.
      expectNamed(readDraft(spec, draftOf(spec, undefined), 'hyperparameters').value, `${algorithm} from schema defaults`).toEqual(
        HYPERPARAMETER_SCHEMAS[algorithm].parse({}),
      );
    }
  });

  it('names each out-of-bounds field by its dotted path, with the bound in words', () => {
    const spec = objectSpec('cart');
    const draft = defaultsDraft('cart');
    draft.fields['maxDepth'] = { kind: 'choice', variant: 0, inner: { kind: 'text', text: '0' } };
    draft.fields['minSamplesSplit'] = { kind: 'text', text: '2.5' };
    draft.fields['minSamplesLeaf'] = { kind: 'text', text: '0x10' };
    draft.fields['maxFeatures'] = { kind: 'choice', variant: 1, inner: { kind: 'text', text: '1' } };
    expect(readDraft(spec, draft, 'hyperparameters').problems).toEqual([
      { field: 'hyperparameters.maxDepth', message: 'must be at least 1' },
      { field: 'hyperparameters.minSamplesSplit', message: 'must be a whole number' },
      { field: 'hyperparameters.minSamplesLeaf', message: 'must be a whole number' },
      { field: 'hyperparameters.maxFeatures', message: 'must be less than 1' },
    ]);

    const nn = objectSpec('nn-regression');
    const nnDraft = defaultsDraft('nn-regression');
    nnDraft.fields['learningRate'] = { kind: 'text', text: '0' };
    const layers = nnDraft.fields['hiddenLayers'];
    if (layers?.kind !== 'list') throw new Error('hiddenLayers is not a list');
    const layerSpec = field(nn, 'hiddenLayers');
    if (layerSpec.kind !== 'array') throw new Error('hiddenLayers is not an array');
    // A layer added in the form starts from the item's defaults: its units still have to be typed.
    layers.items.push(draftOf(layerSpec.item, layerSpec.itemDefault));
    expect(readDraft(nn, nnDraft, 'hyperparameters').problems).toEqual([
      { field: 'hyperparameters.hiddenLayers.2.units', message: 'is required' },
      { field: 'hyperparameters.learningRate', message: 'must be greater than 0' },
    ]);
  });

  it('sends what the user chose, and the contract accepts everything the form lets through', () => {
    const spec = objectSpec('cart');
    const draft = defaultsDraft('cart');
    draft.fields['maxDepth'] = { kind: 'choice', variant: 0, inner: { kind: 'text', text: '4' } };
    draft.fields['maxFeatures'] = { kind: 'choice', variant: 2, inner: draftForVariant({ kind: 'const', value: 'sqrt' }) };
    draft.fields['criterion'] = { kind: 'text', text: 'entropy' };
    const read = readDraft(spec, draft, 'hyperparameters');
    expect(read).toEqual({
      value: { criterion: 'entropy', maxDepth: 4, minSamplesSplit: 2, minSamplesLeaf: 1, maxFeatures: 'sqrt', preprocessing: 'none' },
      problems: [],
    });
    expect(HYPERPARAMETER_SCHEMAS.cart.safeParse(read.value).success).toBe(true);

    const cnn = objectSpec('cnn');
    const cnnDraft = defaultsDraft('cnn');
    const augmentation = field(cnn, 'augmentation');
    if (augmentation.kind !== 'choice') throw new Error('augmentation is not a choice');
    const settings = augmentation.variants.findIndex((v) => v.spec.kind === 'object');
    const settingsSpec = augmentation.variants[settings]?.spec;
    if (!settingsSpec) throw new Error('augmentation has no settings option');
    cnnDraft.fields['augmentation'] = { kind: 'choice', variant: settings, inner: draftForVariant(settingsSpec) };
    cnnDraft.fields['filters'] = { kind: 'list', items: ['8', '16', '16'].map((text) => ({ kind: 'text' as const, text })) };
    const cnnRead = readDraft(cnn, cnnDraft, 'hyperparameters');
    expect(cnnRead.problems).toEqual([]);
    expect(cnnRead.value).toMatchObject({ filters: [8, 16, 16], augmentation: { maxShift: 2, flipHorizontal: false } });
    expect(HYPERPARAMETER_SCHEMAS.cnn.safeParse(cnnRead.value).success).toBe(true);
  });

  it('maps API field names onto form paths and labels fields in words', () => {
    expect(formPathOfApiField('body.hyperparameters.maxDepth')).toBe('hyperparameters.maxDepth');
    expect(formPathOfApiField('body')).toBe('');
    expect(fieldLabel('minSamplesLeaf')).toBe('Min samples leaf');
    expect(fieldLabel('l2')).toBe('L2');
  });
});
