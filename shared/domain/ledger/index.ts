export * from './entry';
export * from './jsonl';
export * from './verify';
