export * from './prisma-client';
