export * from './expect-named';
