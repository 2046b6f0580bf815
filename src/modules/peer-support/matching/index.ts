/** The peer-support matching engine: pure functions, no database and no I/O. */
export * from './assign.ts';
export * from './explain.ts';
export * from './score.ts';
export * from './suggest.ts';
export * from './types.ts';
