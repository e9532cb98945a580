import { Prisma } from '../generated/prisma/client';

/** Prisma's known error codes that stores turn into SlipwayErrors (never a 500). */
export const PrismaCode = {
  UniqueViolation: 'P2002',
  ForeignKeyViolation: 'P2003',
  RecordNotFound: 'P2025',
  TransactionConflict: 'P2034',
  TransactionStart: 'P2028',
} as const;

export function isPrismaError(error: unknown, code: (typeof PrismaCode)[keyof typeof PrismaCode]): boolean {
  return (
    (error instanceof Prisma.PrismaClientKnownRequestError || (typeof error === 'object' && error !== null && 'code' in error)) &&
    (error as { code?: string }).code === code
  );
}
