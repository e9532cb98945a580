/**
 * What @slipway/db exports is the unit of work, stores and plain entities: no Prisma namespace, no Prisma
 * model or input types, no transaction client, no Prisma error codes. Checked on the compiled surface of
 * index.ts (every export, followed through `export *` and aliases, back to where it is declared).
 */
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import ts from 'typescript';
import * as db from '../index';

const INDEX = join(__dirname, '..', 'index.ts');
const GENERATED = `${join(__dirname, '..', 'generated')}/`;

function publicExports(): { name: string; files: string[] }[] {
  const program = ts.createProgram([INDEX], { strict: true, noEmit: true, skipLibCheck: true, esModuleInterop: true, experimentalDecorators: true });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(INDEX);
  const moduleSymbol = source && checker.getSymbolAtLocation(source);
  if (!moduleSymbol) throw new Error('index.ts has no module symbol');
  return checker.getExportsOfModule(moduleSymbol).map((symbol) => {
    const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    return { name: symbol.getName(), files: (target.getDeclarations() ?? []).map((d) => d.getSourceFile().fileName) };
  });
}

describe('the public surface of @slipway/db', () => {
  const exports = publicExports();

  it('declares nothing it exports in the generated Prisma client (no Prisma namespace, models or types)', () => {
    const fromPrisma = exports.filter((e) => e.files.some((f) => f.startsWith(GENERATED)));
    expect(fromPrisma.map((e) => e.name)).toEqual([]);
  });

  it('exports no transaction client, Prisma namespace or error-code helpers by name', () => {
    const names = new Set(exports.map((e) => e.name));
    for (const name of ['Prisma', 'PrismaClient', 'createPrismaClient', 'DbClient', 'PrismaCode', 'isPrismaError', 'prismaCode', 'dbFailureOf', 'queryAll'])
      expect([name, names.has(name)]).toEqual([name, false]);
    expect(Object.keys(db).filter((key) => /prisma/i.test(key))).toEqual([]);
  });

  it('exports the unit of work, its error mapping and the stores', () => {
    expect(typeof db.UnitOfWork.connect).toBe('function');
    expect(typeof db.toSlipwayError).toBe('function');
    for (const store of [db.ModelStore, db.ModelVersionStore, db.ModelAliasStore, db.LineageStore, db.DeploymentUsageStore, db.RunStore, db.WebhookStore]) {
      expect(typeof store).toBe('function');
    }
  });
});
